//! The board (看板) as plain data, shared by the server (which answers from its in-memory
//! board index) and the browser (which moves cards optimistically and applies other people's
//! moves as they arrive): the cards and the filters here, the columns and their totals in
//! [`columns`].
use crate::domain::enums::{Grade, LossReason, Source, Status, Tier};
use crate::domain::lead::Lead;
use crate::settings::CadenceSettings;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub mod columns;

pub use columns::{build, page, Board, BoardColumn};

/// The board's columns, in the order a lead moves through them (PRODUCT.md §6).
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
    /// The follow-up plan's milestones checked, as bits (`domain::plan::bit`).
    #[serde(default)]
    pub milestones: u8,
    /// The lead's activity tier when the card was read (PRODUCT.md §8; the server fills it
    /// in from its index, it is not kept with the card).
    #[serde(default)]
    pub tier: Option<Tier>,
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
            milestones: crate::domain::plan::mask(&l.milestones),
            tier: l.activity.map(|a| a.tier),
        }
    }

    /// Whole days the lead has been in its current status.
    pub fn days_in_stage(&self, now: DateTime<Utc>) -> i64 {
        (now - self.status_since).num_days().max(0)
    }

    /// A lead longer in its stage than its grade allows is stale (PRODUCT.md §5): new and in
    /// first contact, the initial stage's limit; in the later stages, the follow-up plan's.
    pub fn is_stale(&self, now: DateTime<Utc>, cadence: &CadenceSettings) -> bool {
        let stage = match self.status {
            Status::New | Status::Contacted => 0,
            Status::Qualified => 1,
            Status::Proposal => 2,
            Status::Negotiation => 3,
            Status::Won | Status::Lost => return false,
        };
        self.days_in_stage(now) > i64::from(cadence.stage_days(stage, self.grade))
    }

    /// How far the lead's follow-up plan has come (milestones reached / due so far).
    pub fn plan_progress(&self, now: DateTime<Utc>, cadence: &CadenceSettings) -> crate::domain::plan::Progress {
        crate::domain::plan::progress(self.status, self.grade, self.created_at, self.milestones, cadence, now)
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
                // Latin letters fold to one case; Chinese has none (and the browser's code
                // stays without Unicode's case tables).
                let q = q.to_ascii_lowercase();
                card.company.to_ascii_lowercase().contains(&q) || card.code.to_ascii_lowercase().contains(&q)
            })
    }

    pub fn is_empty(&self) -> bool {
        *self == BoardFilter::default()
    }
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

/// Reads the deal amount a rep typed when a card is won: digits with optional separators and
/// decimals, above 0.
pub fn parse_deal_amount(text: &str) -> Option<f64> {
    let cleaned: String =
        text.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect();
    crate::format::decimal(&cleaned).filter(|a| *a > 0.0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A moment on day `day` of March 2026.
    pub(crate) fn at(day: u32) -> DateTime<Utc> {
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
            milestones: 0,
            tier: None,
        }
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
        // In 方案提交, the plan's limit for a B lead: 14 days.
        assert!(!card("LX2", Status::Proposal, 1, 0.0).is_stale(at(15), &cadence));
        assert!(card("LX2", Status::Proposal, 1, 0.0).is_stale(at(16), &cadence));
        assert!(!card("LX3", Status::Won, 1, 0.0).is_stale(at(31), &cadence));
        assert_eq!(c.days_in_stage(at(7)), 6);
    }

    #[test]
    fn the_keyboard_moves_one_column_at_a_time() {
        assert_eq!(neighbour(Status::New, true), Some(Status::Contacted));
        assert_eq!(neighbour(Status::New, false), None);
        assert_eq!(neighbour(Status::Won, true), Some(Status::Lost));
        assert_eq!(neighbour(Status::Lost, true), None);
    }

    #[test]
    fn amounts_accept_separators_and_a_currency_sign_but_not_zero_or_words() {
        assert_eq!(parse_deal_amount("¥1,200,000"), Some(1_200_000.0));
        assert_eq!(parse_deal_amount(" 95000.5 "), Some(95_000.5));
        assert_eq!(parse_deal_amount("12，000"), Some(12_000.0));
        assert_eq!(parse_deal_amount("0"), None);
        assert_eq!(parse_deal_amount("-5"), None);
        assert_eq!(parse_deal_amount("十万"), None);
        assert_eq!(parse_deal_amount(""), None);
    }
}
