//! What the leads list asks for: the filters a user picks ([`LeadQuery`], as the list's
//! server function and `GET /api/v1/leads` take them) and the order of the leads loaded so far
//! ([`SortBy`]; the server always pages newest first).
use super::enums::{Grade, Source, Status, Tier};
use super::lead::Lead;
use serde::{Deserialize, Serialize};

/// The list's filters and paging (as `GET /api/v1/leads`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LeadQuery {
    pub status: Option<Status>,
    pub grade: Option<Grade>,
    pub owner: Option<String>,
    pub source: Option<Source>,
    pub tag: Option<String>,
    pub q: Option<String>,
    /// The activity tier now (PRODUCT.md §8).
    pub tier: Option<Tier>,
    pub cursor: Option<String>,
}

/// How the loaded rows are ordered (the server always pages newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Newest,
    Oldest,
    ScoreDesc,
    ScoreAsc,
    /// By activity score now, highest first (PRODUCT.md §8).
    ActivityDesc,
}

impl SortBy {
    /// Every sort, in the order the list offers them.
    pub const ALL: [SortBy; 5] =
        [SortBy::Newest, SortBy::ScoreDesc, SortBy::ScoreAsc, SortBy::ActivityDesc, SortBy::Oldest];

    /// The sort's name in the address (`sort=score_desc`).
    pub fn key(self) -> &'static str {
        match self {
            SortBy::Newest => "newest",
            SortBy::Oldest => "oldest",
            SortBy::ScoreDesc => "score_desc",
            SortBy::ScoreAsc => "score_asc",
            SortBy::ActivityDesc => "activity_desc",
        }
    }

    /// The sort of this name; newest first when the name is unknown.
    pub fn parse(key: &str) -> SortBy {
        SortBy::ALL.into_iter().find(|s| s.key() == key).unwrap_or(SortBy::Newest)
    }

    /// Orders rows; ties keep the server's order (newest first).
    pub fn apply(self, rows: &mut [Lead]) {
        let activity = |l: &Lead| l.activity.map(|a| a.score);
        // One comparator (one sort compiled into the wasm), chosen per pair.
        rows.sort_by(|a, b| match self {
            SortBy::Newest => b.created_at.cmp(&a.created_at).then_with(|| b.code.cmp(&a.code)),
            SortBy::Oldest => a.created_at.cmp(&b.created_at).then_with(|| a.code.cmp(&b.code)),
            SortBy::ScoreDesc => b.score.total.cmp(&a.score.total),
            SortBy::ScoreAsc => a.score.total.cmp(&b.score.total),
            SortBy::ActivityDesc => activity(b).cmp(&activity(a)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_orders_the_loaded_rows_by_score_or_creation() {
        use crate::scoring::{score, ScoreInputs};
        let settings = crate::settings::WorkspaceSettings::default().scoring;
        let lead = |code: &str, day: u32, employees: u32| {
            let profile = crate::domain::lead::LeadProfile { employees: Some(employees), ..Default::default() };
            let at = chrono::DateTime::parse_from_rfc3339(&format!("2026-03-{day:02}T02:00:00Z"))
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or_default();
            Lead {
                code: code.into(),
                score: score(&ScoreInputs { employees: Some(employees), ..Default::default() }, &settings),
                grade: Grade::C,
                profile,
                owner: None,
                owner_name: None,
                team: None,
                created_at: at,
                assigned_at: None,
                first_contact_at: None,
                status: Status::New,
                status_since: at,
                won_at: None,
                lost_at: None,
                deal_amount: None,
                loss_reason: None,
                version: 1,
                sources: Vec::new(),
                merged_into: None,
                overrides: Vec::new(),
                milestones: Vec::new(),
                plan: None,
                scored_at: None,
                score_review: None,
                activity: None,
            }
        };
        let mut rows = vec![lead("LX3", 3, 5), lead("LX2", 2, 2000), lead("LX1", 1, 300)];
        SortBy::ScoreDesc.apply(&mut rows);
        assert_eq!(rows.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["LX2", "LX1", "LX3"]);
        SortBy::Oldest.apply(&mut rows);
        assert_eq!(rows.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["LX1", "LX2", "LX3"]);
        SortBy::Newest.apply(&mut rows);
        assert_eq!(rows.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["LX3", "LX2", "LX1"]);
        // By activity: the liveliest first, a lead read without one last.
        use crate::value::activity::Activity;
        rows[0].activity = Some(Activity { score: 20, tier: Tier::Dormant });
        rows[2].activity = Some(Activity { score: 70, tier: Tier::Active });
        SortBy::ActivityDesc.apply(&mut rows);
        assert_eq!(rows.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["LX1", "LX3", "LX2"]);
        assert_eq!(SortBy::parse("activity_desc"), SortBy::ActivityDesc);
    }
}
