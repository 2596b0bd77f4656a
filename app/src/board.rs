//! The pipeline board (看板): its cards, filters and columns as plain data, shared by the
//! server (which answers from its in-memory board index) and the browser (which moves cards
//! optimistically and applies other people's moves as they arrive).
use crate::domain::enums::{Grade, LossReason, Source, Status};
use crate::domain::lead::Lead;
use crate::settings::CadenceSettings;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The board's columns, in pipeline order (PRODUCT.md §6).
pub const COLUMNS: [Status; 7] = [
    Status::New,
    Status::Contacted,
    Status::Qualified,
    Status::Proposal,
    Status::Negotiation,
    Status::Won,
    Status::Lost,
];

/// How many cards a column shows at first and loads at a time on scroll.
pub const PAGE: usize = 30;

/// What a card shows: enough to work the pipeline without opening the lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardCard {
    pub code: String,
    pub company: String,
    pub grade: Grade,
    pub score: u32,
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    pub team: Option<String>,
    pub source: Option<Source>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub status: Status,
    pub status_since: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// The deal amount of a won lead, the budget of any other.
    pub amount: Option<f64>,
    pub budget: Option<f64>,
    pub loss_reason: Option<LossReason>,
    pub version: u64,
}

impl BoardCard {
    pub fn of_lead(l: &Lead) -> BoardCard {
        BoardCard {
            code: l.code.clone(),
            company: l.profile.company.clone().unwrap_or_default(),
            grade: l.grade,
            score: l.score.total,
            owner: l.owner.clone(),
            owner_name: l.owner_name.clone(),
            team: l.team.clone(),
            source: l.profile.source,
            tags: l.profile.tags.clone(),
            status: l.status,
            status_since: l.status_since,
            created_at: l.created_at,
            amount: if l.status == Status::Won { l.deal_amount } else { l.profile.budget },
            budget: l.profile.budget,
            loss_reason: l.loss_reason,
            version: l.version,
        }
    }

    /// Whole days the lead has been in its current status.
    pub fn days_in_stage(&self, now: DateTime<Utc>) -> i64 {
        (now - self.status_since).num_days().max(0)
    }

    /// A lead still new or in first contact past its grade's limit is stale (PRODUCT.md §5).
    pub fn is_stale(&self, now: DateTime<Utc>, cadence: &CadenceSettings) -> bool {
        matches!(self.status, Status::New | Status::Contacted)
            && self.days_in_stage(now) > i64::from(cadence.max_initial(self.grade))
    }

    /// The card as it stands after a move (what the board shows before the server answers).
    pub fn moved(&self, to: Status, deal_amount: Option<f64>, now: DateTime<Utc>) -> BoardCard {
        let mut card = self.clone();
        card.status = to;
        card.status_since = now;
        card.amount = if to == Status::Won { deal_amount.or(self.budget) } else { self.budget };
        card
    }
}

/// The board's filters (PRODUCT.md §9). Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardFilter {
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub grade: Option<Grade>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub tag: Option<String>,
    /// Company name or lead code, case-insensitive.
    #[serde(default)]
    pub q: Option<String>,
}

impl BoardFilter {
    pub fn matches(&self, card: &BoardCard) -> bool {
        let same = |want: &Option<String>, have: &Option<String>| want.is_none() || want == have;
        same(&self.owner, &card.owner)
            && same(&self.team, &card.team)
            && self.grade.is_none_or(|g| g == card.grade)
            && self.source.is_none_or(|s| Some(s) == card.source)
            && self.tag.as_ref().is_none_or(|t| card.tags.contains(t))
            && self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).is_none_or(|q| {
                let q = q.to_lowercase();
                card.company.to_lowercase().contains(&q) || card.code.to_lowercase().contains(&q)
            })
    }

    pub fn is_empty(&self) -> bool {
        *self == BoardFilter::default()
    }
}

/// One column: how many leads it holds and their amount, and the first cards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub status: Status,
    pub count: u64,
    pub amount: f64,
    /// Newest in the column first.
    pub cards: Vec<BoardCard>,
}

impl BoardColumn {
    pub fn has_more(&self) -> bool {
        (self.cards.len() as u64) < self.count
    }

    /// Shows a card at its place (newest in the column first). One older than every card
    /// shown while more are left to load stays for a later page.
    fn show(&mut self, card: BoardCard) {
        let at = self
            .cards
            .iter()
            .position(|c| (c.status_since, &c.code) < (card.status_since, &card.code))
            .unwrap_or(self.cards.len());
        if at < self.cards.len() || !self.has_more() {
            self.cards.insert(at, card);
        }
    }
}

/// The whole board as first shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub columns: Vec<BoardColumn>,
    pub now: DateTime<Utc>,
}

impl Board {
    pub fn column(&self, status: Status) -> Option<&BoardColumn> {
        self.columns.iter().find(|c| c.status == status)
    }

    pub fn column_mut(&mut self, status: Status) -> Option<&mut BoardColumn> {
        self.columns.iter_mut().find(|c| c.status == status)
    }

    pub fn find(&self, code: &str) -> Option<&BoardCard> {
        self.columns.iter().flat_map(|c| c.cards.iter()).find(|c| c.code == code)
    }

    /// Follows a change of one lead that arrived from the server: `previous` is how it stood
    /// (none for a new lead) and `card` how it stands now. A change already shown (the same
    /// or a newer version is on the board) is ignored, so a change can arrive twice.
    pub fn apply(&mut self, previous: Option<&BoardCard>, card: BoardCard, filter: &BoardFilter) {
        if self.find(&card.code).is_some_and(|shown| shown.version >= card.version) {
            return;
        }
        self.put(previous, card, filter);
    }

    /// Takes out a lead the viewer may no longer see (it was reassigned away), with its share
    /// of the totals when the filter counted it.
    pub fn remove(&mut self, previous: &BoardCard, filter: &BoardFilter) {
        for col in &mut self.columns {
            col.cards.retain(|c| c.code != previous.code);
        }
        if filter.matches(previous) {
            self.uncount(previous);
        }
    }

    /// Takes a lead out of its column's count and amount.
    fn uncount(&mut self, card: &BoardCard) {
        if let Some(col) = self.column_mut(card.status) {
            col.count = col.count.saturating_sub(1);
            col.amount -= card.amount.unwrap_or(0.0);
            if col.amount.abs() < 0.005 {
                col.amount = 0.0;
            }
        }
    }

    /// Puts a lead where it now stands: the totals move from the column of `previous` (or of
    /// the card as shown) to the new one, for leads the filter selects, and the card is shown
    /// in its new place. Used as is for the viewer's own moves and their rollbacks.
    pub fn put(&mut self, previous: Option<&BoardCard>, card: BoardCard, filter: &BoardFilter) {
        let mut old_shown = None;
        for col in &mut self.columns {
            if let Some(at) = col.cards.iter().position(|c| c.code == card.code) {
                old_shown = Some(col.cards.remove(at));
            }
        }
        let counted = previous.or(old_shown.as_ref()).filter(|p| filter.matches(p)).cloned();
        if let Some(prev) = counted {
            self.uncount(&prev);
        }
        if filter.matches(&card) {
            if let Some(col) = self.column_mut(card.status) {
                col.amount += card.amount.unwrap_or(0.0);
                col.show(card);
                col.count += 1;
            }
        }
    }

    /// Appends a later page of a column, skipping cards already shown.
    pub fn append(&mut self, status: Status, more: Vec<BoardCard>) {
        if let Some(col) = self.column_mut(status) {
            for card in more {
                if !col.cards.iter().any(|c| c.code == card.code) {
                    col.cards.push(card);
                }
            }
        }
    }
}

/// Builds the board from every card the viewer may see: count and amount per column, and the
/// first `per_column` cards of each, most recently moved first.
pub fn build<'a>(
    cards: impl IntoIterator<Item = &'a BoardCard>,
    filter: &BoardFilter,
    per_column: usize,
    now: DateTime<Utc>,
) -> Board {
    let mut groups: Vec<Vec<&BoardCard>> = vec![Vec::new(); COLUMNS.len()];
    for card in cards.into_iter().filter(|c| filter.matches(c)) {
        if let Some(i) = COLUMNS.iter().position(|s| *s == card.status) {
            groups[i].push(card);
        }
    }
    let columns = COLUMNS
        .iter()
        .zip(groups)
        .map(|(status, group)| BoardColumn {
            status: *status,
            count: group.len() as u64,
            amount: group.iter().filter_map(|c| c.amount).sum(),
            cards: newest_first(group, 0, per_column),
        })
        .collect();
    Board { columns, now }
}

/// A later page of one column (for scrolling).
pub fn page<'a>(
    cards: impl IntoIterator<Item = &'a BoardCard>,
    status: Status,
    filter: &BoardFilter,
    offset: usize,
    limit: usize,
) -> Vec<BoardCard> {
    let group: Vec<&BoardCard> = cards.into_iter().filter(|c| c.status == status && filter.matches(c)).collect();
    newest_first(group, offset, limit)
}

fn newest_first(mut group: Vec<&BoardCard>, offset: usize, limit: usize) -> Vec<BoardCard> {
    let order = |a: &&BoardCard, b: &&BoardCard| b.status_since.cmp(&a.status_since).then_with(|| b.code.cmp(&a.code));
    let end = offset.saturating_add(limit).min(group.len());
    if offset >= end {
        return Vec::new();
    }
    // Only the first `end` need ordering.
    if end < group.len() {
        group.select_nth_unstable_by(end - 1, order);
        group.truncate(end);
    }
    group.sort_unstable_by(order);
    group[offset..end].iter().map(|c| (*c).clone()).collect()
}

/// Where the keyboard takes a card from `from`: the next or previous column.
pub fn neighbour(from: Status, forward: bool) -> Option<Status> {
    let i = COLUMNS.iter().position(|s| *s == from)?;
    if forward {
        COLUMNS.get(i + 1).copied()
    } else {
        i.checked_sub(1).map(|j| COLUMNS[j])
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, 2, 0, 0).unwrap()
    }

    pub(crate) fn card(code: &str, status: Status, since: u32, amount: f64) -> BoardCard {
        BoardCard {
            code: code.into(),
            company: format!("{code} 科技有限公司"),
            grade: Grade::B,
            score: 45,
            owner: Some("r1".into()),
            owner_name: Some("王伟".into()),
            team: Some("t1".into()),
            source: Some(Source::WebForm),
            tags: vec![],
            status,
            status_since: at(since),
            created_at: at(1),
            amount: Some(amount),
            budget: Some(amount),
            loss_reason: None,
            version: 1,
        }
    }

    #[test]
    fn columns_count_and_sum_every_matching_lead_but_show_only_the_newest_page() {
        let cards: Vec<BoardCard> = (1..=5).map(|d| card(&format!("LX{d}"), Status::Proposal, d, 1000.0)).collect();
        let board = build(&cards, &BoardFilter::default(), 2, at(20));
        let col = board.column(Status::Proposal).unwrap();
        assert_eq!(col.count, 5);
        assert_eq!(col.amount, 5000.0);
        let shown: Vec<&str> = col.cards.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(shown, ["LX5", "LX4"]);
        assert!(col.has_more());
        assert_eq!(board.columns.len(), 7);
        assert_eq!(board.column(Status::New).unwrap().count, 0);
        let next: Vec<String> =
            page(&cards, Status::Proposal, &BoardFilter::default(), 2, 2).into_iter().map(|c| c.code).collect();
        assert_eq!(next, ["LX3", "LX2"]);
        assert!(page(&cards, Status::Proposal, &BoardFilter::default(), 9, 2).is_empty());
    }

    #[test]
    fn filters_select_by_owner_grade_source_tag_and_text() {
        let mut a = card("LX1", Status::New, 1, 0.0);
        a.tags = vec!["重点客户".into()];
        let mut b = card("LX2", Status::New, 1, 0.0);
        b.owner = Some("r2".into());
        b.grade = Grade::S;
        let f = |f: BoardFilter| [&a, &b].iter().filter(|c| f.matches(c)).count();
        assert_eq!(f(BoardFilter::default()), 2);
        assert_eq!(f(BoardFilter { owner: Some("r2".into()), ..Default::default() }), 1);
        assert_eq!(f(BoardFilter { grade: Some(Grade::S), ..Default::default() }), 1);
        assert_eq!(f(BoardFilter { tag: Some("重点客户".into()), ..Default::default() }), 1);
        assert_eq!(f(BoardFilter { source: Some(Source::Referral), ..Default::default() }), 0);
        assert_eq!(f(BoardFilter { q: Some("lx2".into()), ..Default::default() }), 1);
        assert_eq!(f(BoardFilter { q: Some("科技".into()), ..Default::default() }), 2);
    }

    #[test]
    fn a_lead_reassigned_away_leaves_the_board_with_its_share_of_the_totals() {
        let all = BoardFilter::default();
        let cards = vec![card("LX1", Status::Proposal, 1, 100.0), card("LX2", Status::Proposal, 2, 50.0)];
        let mut board = build(&cards, &all, 10, at(20));
        board.remove(&cards[0], &all);
        let col = board.column(Status::Proposal).unwrap();
        assert_eq!((col.count, col.amount), (1, 50.0));
        assert_eq!(col.cards.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["LX2"]);
        // A filter that never counted the lead leaves the totals alone.
        let mut s_lead = card("LX3", Status::Proposal, 3, 70.0);
        s_lead.grade = Grade::S;
        let only_s = BoardFilter { grade: Some(Grade::S), ..Default::default() };
        let mut filtered = build(&[cards[1].clone(), s_lead], &only_s, 10, at(20));
        filtered.remove(&cards[1], &only_s);
        let col = filtered.column(Status::Proposal).unwrap();
        assert_eq!((col.count, col.amount), (1, 70.0));
    }

    #[test]
    fn a_moved_card_leaves_the_old_column_and_tops_the_new_and_a_rollback_restores_both() {
        let all = BoardFilter::default();
        let cards = vec![card("LX1", Status::New, 1, 100.0), card("LX2", Status::Contacted, 2, 50.0)];
        let mut board = build(&cards, &all, 10, at(20));
        let moved = cards[0].moved(Status::Contacted, None, at(21));
        board.put(Some(&cards[0]), moved.clone(), &all);
        assert_eq!(board.column(Status::New).unwrap().count, 0);
        assert_eq!(board.column(Status::New).unwrap().amount, 0.0);
        let col = board.column(Status::Contacted).unwrap();
        assert_eq!((col.count, col.amount), (2, 150.0));
        assert_eq!(col.cards[0].code, "LX1");
        // The server refused: the card goes back.
        board.put(Some(&moved), cards[0].clone(), &all);
        assert_eq!(board.column(Status::New).unwrap().cards[0].code, "LX1");
        assert_eq!(board.column(Status::New).unwrap().count, 1);
        assert_eq!(board.column(Status::Contacted).unwrap().count, 1);
    }

    #[test]
    fn the_same_change_arriving_twice_counts_once() {
        let all = BoardFilter::default();
        let cards = vec![card("LX1", Status::New, 1, 100.0)];
        let mut board = build(&cards, &all, 10, at(20));
        let mut moved = cards[0].moved(Status::Proposal, None, at(21));
        moved.version = 2;
        board.apply(Some(&cards[0]), moved.clone(), &all);
        board.apply(Some(&cards[0]), moved.clone(), &all);
        assert_eq!(board.column(Status::New).unwrap().count, 0);
        assert_eq!(board.column(Status::Proposal).unwrap().count, 1);
        // An older change after a newer one is ignored.
        board.apply(None, cards[0].clone(), &all);
        assert_eq!(board.find("LX1").unwrap().status, Status::Proposal);
    }

    #[test]
    fn a_move_of_a_card_not_yet_loaded_still_moves_the_totals() {
        let all = BoardFilter::default();
        let cards: Vec<BoardCard> = (1..=4).map(|d| card(&format!("LX{d}"), Status::New, d, 10.0)).collect();
        let mut board = build(&cards, &all, 2, at(20));
        // LX1 is the oldest and not shown.
        assert!(board.find("LX1").is_none());
        board.apply(Some(&cards[0]), cards[0].moved(Status::Qualified, None, at(21)), &all);
        assert_eq!(board.column(Status::New).unwrap().count, 3);
        assert_eq!(board.column(Status::Qualified).unwrap().cards[0].code, "LX1");
    }

    #[test]
    fn a_card_that_no_longer_matches_the_filter_leaves_the_board() {
        let cards = vec![card("LX1", Status::New, 1, 0.0)];
        let filter = BoardFilter { owner: Some("r1".into()), ..Default::default() };
        let mut board = build(&cards, &filter, 10, at(20));
        let mut reassigned = cards[0].clone();
        reassigned.owner = Some("r9".into());
        reassigned.version = 2;
        board.apply(Some(&cards[0]), reassigned, &filter);
        assert!(board.find("LX1").is_none());
        assert_eq!(board.column(Status::New).unwrap().count, 0);
    }

    #[test]
    fn a_new_lead_appears_on_top_of_its_column() {
        let all = BoardFilter::default();
        let cards = vec![card("LX1", Status::New, 1, 0.0)];
        let mut board = build(&cards, &all, 10, at(20));
        board.apply(None, card("LX9", Status::New, 21, 5.0), &all);
        let col = board.column(Status::New).unwrap();
        assert_eq!((col.count, col.cards[0].code.as_str()), (2, "LX9"));
    }

    #[test]
    fn winning_shows_the_deal_amount_and_any_other_move_the_budget() {
        let c = card("LX1", Status::Negotiation, 1, 80_000.0);
        assert_eq!(c.moved(Status::Won, Some(95_000.0), at(2)).amount, Some(95_000.0));
        assert_eq!(c.moved(Status::Lost, None, at(2)).amount, Some(80_000.0));
    }

    #[test]
    fn a_lead_sitting_new_past_its_grade_limit_is_stale() {
        let cadence = CadenceSettings::default();
        let c = card("LX1", Status::New, 1, 0.0); // grade B: 5 days
        assert!(!c.is_stale(at(6), &cadence));
        assert!(c.is_stale(at(7), &cadence));
        assert!(!card("LX2", Status::Proposal, 1, 0.0).is_stale(at(30), &cadence));
        assert_eq!(c.days_in_stage(at(7)), 6);
    }

    #[test]
    fn the_keyboard_moves_one_column_at_a_time() {
        assert_eq!(neighbour(Status::New, true), Some(Status::Contacted));
        assert_eq!(neighbour(Status::New, false), None);
        assert_eq!(neighbour(Status::Won, true), Some(Status::Lost));
        assert_eq!(neighbour(Status::Lost, true), None);
    }
}
