//! The board's columns: how many leads each holds and their amount, the first cards, and how
//! they follow a move (the viewer's own, its rollback, or one that arrived from the server).
use super::{BoardCard, BoardFilter, COLUMNS};
use crate::domain::enums::Status;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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

fn newest_first(group: Vec<&BoardCard>, offset: usize, limit: usize) -> Vec<BoardCard> {
    let order = |a: &&BoardCard, b: &&BoardCard| b.status_since.cmp(&a.status_since).then_with(|| b.code.cmp(&a.code));
    let end = offset.saturating_add(limit).min(group.len());
    if offset >= end {
        return Vec::new();
    }
    // Only the first `end` need ordering.
    crate::order::first_by(group, end, order)[offset..].iter().map(|c| (*c).clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::board::tests::{at, card};
    use crate::domain::enums::Grade;

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
}
