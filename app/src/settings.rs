//! A workspace's settings: every number the product rules use, with PRODUCT.md's defaults.
//! Every computation (scoring, SLAs, KPIs) reads them instead of constants.
use crate::assignment_rules::AssignmentRules;
use crate::domain::enums::{Grade, LossReason};
use serde::{Deserialize, Serialize};

/// Points for a sub-score band: the value must be at least `min` to earn `points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub min: f64,
    pub points: u32,
}

/// The rules of the four sub-scores and the grade thresholds (PRODUCT.md §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoringSettings {
    /// Company size by employees, highest band first.
    pub employee_bands: Vec<Band>,
    /// The deal size a budget is compared with, in CNY.
    pub reference_deal_size: f64,
    /// Budget match by budget / reference deal size, highest band first; a positive ratio
    /// below every band earns `budget_positive_points`.
    pub budget_bands: Vec<Band>,
    pub budget_positive_points: u32,
    /// Urgency by months to decision: the first band whose `max_months` holds wins.
    pub urgency_bands: Vec<UrgencyBand>,
    pub urgency_later_points: u32,
    /// Decision chain points: engaged, identified, influencer, contact only.
    pub chain_points: [u32; 4],
    /// Minimum totals for S, A and B; below B is C.
    pub grade_s: u32,
    pub grade_a: u32,
    pub grade_b: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UrgencyBand {
    pub max_months: u32,
    pub points: u32,
}

impl ScoringSettings {
    /// The most points each part can earn: company size, budget match, urgency, decision
    /// chain.
    pub fn max_points(&self) -> [u32; 4] {
        let most = |points: &mut dyn Iterator<Item = u32>| points.max().unwrap_or(0);
        [
            most(&mut self.employee_bands.iter().map(|b| b.points)),
            most(&mut self.budget_bands.iter().map(|b| b.points).chain([self.budget_positive_points])),
            most(&mut self.urgency_bands.iter().map(|b| b.points).chain([self.urgency_later_points])),
            most(&mut self.chain_points.iter().copied()),
        ]
    }
}

impl Default for ScoringSettings {
    fn default() -> Self {
        let band = |min: f64, points| Band { min, points };
        ScoringSettings {
            employee_bands: vec![
                band(1000.0, 30),
                band(500.0, 25),
                band(200.0, 20),
                band(50.0, 15),
                band(10.0, 10),
                band(1.0, 5),
            ],
            reference_deal_size: 100_000.0,
            budget_bands: vec![band(1.5, 30), band(1.0, 25), band(0.7, 20), band(0.4, 10)],
            budget_positive_points: 5,
            urgency_bands: vec![
                UrgencyBand { max_months: 1, points: 20 },
                UrgencyBand { max_months: 3, points: 15 },
                UrgencyBand { max_months: 6, points: 10 },
            ],
            urgency_later_points: 5,
            chain_points: [20, 15, 10, 5],
            grade_s: 80,
            grade_a: 60,
            grade_b: 40,
        }
    }
}

/// Hours from creation to the first outbound follow-up, per grade (PRODUCT.md §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaSettings {
    pub s_hours: f64,
    pub a_hours: f64,
    pub b_hours: f64,
    pub c_hours: f64,
}

impl Default for SlaSettings {
    fn default() -> Self {
        SlaSettings { s_hours: 2.0, a_hours: 2.0, b_hours: 4.0, c_hours: 24.0 }
    }
}

impl SlaSettings {
    pub fn hours(&self, grade: Grade) -> f64 {
        match grade {
            Grade::S => self.s_hours,
            Grade::A => self.a_hours,
            Grade::B => self.b_hours,
            Grade::C => self.c_hours,
        }
    }
}

/// Follow-up cadence and stale limits per grade (PRODUCT.md §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CadenceSettings {
    /// Days between follow-up tasks: S, A, B, C.
    pub every_days: [u32; 4],
    /// Maximum days in the initial stage before a lead is stale: S, A, B, C.
    pub max_initial_days: [u32; 4],
    /// The follow-up plan's time limits of the later stages (需求深化, 方案对比, 商务谈判), each
    /// S, A, B, C: a lead longer in one is stale too, and the plan's time nodes follow them.
    #[serde(default = "later_stage_days")]
    pub later_stage_days: [[u32; 4]; 3],
}

fn later_stage_days() -> [[u32; 4]; 3] {
    [[7, 10, 14, 21], [7, 10, 14, 21], [10, 14, 21, 30]]
}

impl Default for CadenceSettings {
    fn default() -> Self {
        CadenceSettings {
            every_days: [1, 2, 7, 7],
            max_initial_days: [3, 4, 5, 7],
            later_stage_days: later_stage_days(),
        }
    }
}

impl WorkspaceSettings {
    /// A follow-up logged more than the workspace's limit (24 h) after it happened is late.
    pub fn logged_late(
        &self,
        occurred_at: chrono::DateTime<chrono::Utc>,
        logged_at: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        (logged_at - occurred_at).num_minutes() as f64 > self.timely_logging_hours * 60.0
    }
}

impl CadenceSettings {
    fn index(grade: Grade) -> usize {
        match grade {
            Grade::S => 0,
            Grade::A => 1,
            Grade::B => 2,
            Grade::C => 3,
        }
    }
    pub fn every(&self, grade: Grade) -> u32 {
        self.every_days[Self::index(grade)]
    }
    pub fn max_initial(&self, grade: Grade) -> u32 {
        self.max_initial_days[Self::index(grade)]
    }
    /// The days a grade's lead may spend in a plan stage (0: 初步接洽 … 3: 商务谈判).
    pub fn stage_days(&self, stage: usize, grade: Grade) -> u32 {
        match stage {
            0 => self.max_initial(grade),
            s => self.later_stage_days.get(s - 1).map_or(0, |d| d[Self::index(grade)]),
        }
    }
}

/// Everything a workspace admin can tune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceSettings {
    /// IANA time zone in which KPI periods are whole days.
    pub time_zone: String,
    pub scoring: ScoringSettings,
    pub sla: SlaSettings,
    pub cadence: CadenceSettings,
    /// Days after resolution within which a customer's confirmation closes feedback.
    pub feedback_confirm_days: f64,
    /// Logging a follow-up later than this many hours after it happened is late.
    pub timely_logging_hours: f64,
    /// The loss reasons offered when a card moves to lost (PRODUCT.md §6), in the order shown:
    /// the board's lost question lists these. (The API still takes any reason: a program
    /// writing history may name one the team no longer offers.)
    #[serde(default = "all_loss_reasons")]
    pub loss_reasons: Vec<LossReason>,
    /// The expected lifetime of a customer in years, by which the CLV multiplies a year's
    /// profit (PRODUCT.md §8; 3 by default).
    #[serde(default = "default_lifetime_years")]
    pub customer_lifetime_years: f64,
    /// The admin's assignment rules, tried before the default rules of §4 (none: only those).
    /// Only the server assigns: the pages' binary wire leaves them out.
    #[serde(default, with = "server_only")]
    pub assignment: AssignmentRules,
}

/// A settings part only the server uses: whole in JSON (the API, the stored document), left
/// out of the pages' binary wire (read back as its default), so the browser's wasm carries no
/// reader for it.
mod server_only {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            value.serialize(s)
        } else {
            ().serialize(s)
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de> + Default, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        if d.is_human_readable() {
            T::deserialize(d)
        } else {
            <()>::deserialize(d).map(|_| T::default())
        }
    }
}

/// Every loss reason, in the product's order: what a workspace offers until its admin narrows
/// the list.
fn all_loss_reasons() -> Vec<LossReason> {
    LossReason::ALL.to_vec()
}

/// A customer's expected lifetime when the workspace has not set one.
fn default_lifetime_years() -> f64 {
    crate::value::LIFETIME_YEARS
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        WorkspaceSettings {
            time_zone: "Asia/Shanghai".into(),
            scoring: ScoringSettings::default(),
            sla: SlaSettings::default(),
            cadence: CadenceSettings::default(),
            feedback_confirm_days: 3.0,
            timely_logging_hours: 24.0,
            loss_reasons: all_loss_reasons(),
            customer_lifetime_years: default_lifetime_years(),
            assignment: AssignmentRules::default(),
        }
    }
}

impl WorkspaceSettings {
    /// The workspace's time zone; an unknown name falls back to Asia/Shanghai.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_maxima_follow_the_scoring_rules() {
        let mut s = ScoringSettings::default();
        assert_eq!(s.max_points(), [30, 30, 20, 20]);
        s.employee_bands[0].points = 35;
        s.chain_points = [25, 15, 10, 5];
        assert_eq!(s.max_points(), [35, 30, 20, 25]);
    }
}
