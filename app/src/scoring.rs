//! Lead scoring and grading (二维四类, PRODUCT.md §3). Pure functions shared by the browser's
//! live score and the server's authoritative one.
use crate::domain::enums::{DecisionChain, Grade, ScorePart};
use crate::settings::ScoringSettings;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a lead's score is computed from. Any input may be unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScoreInputs {
    #[serde(default)]
    pub employees: Option<u32>,
    #[serde(default)]
    pub budget: Option<f64>,
    #[serde(default)]
    pub decision_months: Option<u32>,
    #[serde(default)]
    pub decision_chain: Option<DecisionChain>,
}

/// The four sub-scores, their total and the grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Score {
    pub company_size: u32,
    pub budget_match: u32,
    pub urgency: u32,
    pub decision_chain: u32,
    pub total: u32,
    pub grade: Grade,
}

pub fn company_size_points(employees: Option<u32>, s: &ScoringSettings) -> u32 {
    let Some(n) = employees else { return 0 };
    s.employee_bands.iter().find(|b| f64::from(n) >= b.min).map_or(0, |b| b.points)
}

pub fn budget_points(budget: Option<f64>, s: &ScoringSettings) -> u32 {
    let Some(budget) = budget else { return 0 };
    if s.reference_deal_size <= 0.0 || budget <= 0.0 || !budget.is_finite() {
        return 0;
    }
    let ratio = budget / s.reference_deal_size;
    s.budget_bands.iter().find(|b| ratio >= b.min).map_or(s.budget_positive_points, |b| b.points)
}

pub fn urgency_points(months: Option<u32>, s: &ScoringSettings) -> u32 {
    let Some(m) = months else { return 0 };
    s.urgency_bands.iter().find(|b| m <= b.max_months).map_or(s.urgency_later_points, |b| b.points)
}

pub fn chain_points(chain: Option<DecisionChain>, s: &ScoringSettings) -> u32 {
    match chain {
        None => 0,
        Some(DecisionChain::DmEngaged) => s.chain_points[0],
        Some(DecisionChain::DmIdentified) => s.chain_points[1],
        Some(DecisionChain::Influencer) => s.chain_points[2],
        Some(DecisionChain::ContactOnly) => s.chain_points[3],
    }
}

pub fn grade_for(total: u32, s: &ScoringSettings) -> Grade {
    if total >= s.grade_s {
        Grade::S
    } else if total >= s.grade_a {
        Grade::A
    } else if total >= s.grade_b {
        Grade::B
    } else {
        Grade::C
    }
}

/// Builds a score from four sub-scores (used when a manager overrides one).
pub fn from_parts(parts: [u32; 4], s: &ScoringSettings) -> Score {
    let total = parts.iter().sum();
    Score {
        company_size: parts[0],
        budget_match: parts[1],
        urgency: parts[2],
        decision_chain: parts[3],
        total,
        grade: grade_for(total, s),
    }
}

/// The four parts the workspace's rules give a lead's inputs.
pub fn rule_parts(inputs: &ScoreInputs, s: &ScoringSettings) -> [u32; 4] {
    [
        company_size_points(inputs.employees, s),
        budget_points(inputs.budget, s),
        urgency_points(inputs.decision_months, s),
        chain_points(inputs.decision_chain, s),
    ]
}

/// Scores a lead's inputs with the workspace's rules.
pub fn score(inputs: &ScoreInputs, s: &ScoringSettings) -> Score {
    from_parts(rule_parts(inputs, s), s)
}

/// A manager's points for one part of a lead's score in place of the rules' (PRODUCT.md §3):
/// who set them, when and why. The lead keeps at most one per part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScoreOverride {
    pub part: ScorePart,
    pub points: u32,
    pub reason: String,
    /// The user who set it, and their name then.
    pub by: String,
    #[serde(default)]
    pub by_name: Option<String>,
    pub at: DateTime<Utc>,
}

impl Score {
    /// One of the four parts.
    pub fn part(&self, part: ScorePart) -> u32 {
        match part {
            ScorePart::CompanySize => self.company_size,
            ScorePart::BudgetMatch => self.budget_match,
            ScorePart::Urgency => self.urgency,
            ScorePart::DecisionChain => self.decision_chain,
        }
    }
}

/// Scores a lead's inputs with the workspace's rules, a manager's overrides taking the place
/// of the rules' points for their parts (never above the part's maximum).
pub fn score_with(inputs: &ScoreInputs, overrides: &[ScoreOverride], s: &ScoringSettings) -> Score {
    let mut parts = rule_parts(inputs, s);
    let max = s.max_points();
    for o in overrides {
        let i = o.part.index();
        parts[i] = o.points.min(max[i]);
    }
    from_parts(parts, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d() -> ScoringSettings {
        ScoringSettings::default()
    }

    #[test]
    fn company_size_band_edges() {
        let cases = [
            (None, 0),
            (Some(0), 0),
            (Some(1), 5),
            (Some(9), 5),
            (Some(10), 10),
            (Some(49), 10),
            (Some(50), 15),
            (Some(199), 15),
            (Some(200), 20),
            (Some(499), 20),
            (Some(500), 25),
            (Some(999), 25),
            (Some(1000), 30),
            (Some(250_000), 30),
        ];
        for (employees, points) in cases {
            assert_eq!(company_size_points(employees, &d()), points, "{employees:?}");
        }
    }

    #[test]
    fn budget_match_band_edges_against_the_reference_deal() {
        let cases = [
            (None, 0),
            (Some(0.0), 0),
            (Some(-5.0), 0),
            (Some(1.0), 5),
            (Some(39_999.0), 5),
            (Some(40_000.0), 10),
            (Some(69_999.0), 10),
            (Some(70_000.0), 20),
            (Some(99_999.0), 20),
            (Some(100_000.0), 25),
            (Some(149_999.0), 25),
            (Some(150_000.0), 30),
        ];
        for (budget, points) in cases {
            assert_eq!(budget_points(budget, &d()), points, "{budget:?}");
        }
    }

    #[test]
    fn budget_match_follows_the_workspace_reference_deal_size() {
        let s = ScoringSettings { reference_deal_size: 200_000.0, ..d() };
        assert_eq!(budget_points(Some(150_000.0), &s), 20);
    }

    #[test]
    fn urgency_band_edges() {
        let cases = [
            (None, 0),
            (Some(0), 20),
            (Some(1), 20),
            (Some(2), 15),
            (Some(3), 15),
            (Some(4), 10),
            (Some(6), 10),
            (Some(7), 5),
            (Some(36), 5),
        ];
        for (months, points) in cases {
            assert_eq!(urgency_points(months, &d()), points, "{months:?}");
        }
    }

    #[test]
    fn decision_chain_points() {
        assert_eq!(chain_points(Some(DecisionChain::DmEngaged), &d()), 20);
        assert_eq!(chain_points(Some(DecisionChain::DmIdentified), &d()), 15);
        assert_eq!(chain_points(Some(DecisionChain::Influencer), &d()), 10);
        assert_eq!(chain_points(Some(DecisionChain::ContactOnly), &d()), 5);
        assert_eq!(chain_points(None, &d()), 0);
    }

    #[test]
    fn grade_band_edges() {
        let cases = [
            (100, Grade::S),
            (80, Grade::S),
            (79, Grade::A),
            (60, Grade::A),
            (59, Grade::B),
            (40, Grade::B),
            (39, Grade::C),
            (0, Grade::C),
        ];
        for (total, grade) in cases {
            assert_eq!(grade_for(total, &d()), grade, "{total}");
        }
    }

    #[test]
    fn the_articles_examples() {
        assert_eq!(from_parts([25, 25, 20, 20], &d()).grade, Grade::S);
        assert_eq!(from_parts([25, 25, 20, 20], &d()).total, 90);
        assert_eq!(from_parts([20, 25, 15, 15], &d()).grade, Grade::A);
        assert_eq!(from_parts([20, 25, 15, 15], &d()).total, 75);
        assert_eq!(from_parts([10, 10, 10, 5], &d()).grade, Grade::C);
        assert_eq!(from_parts([10, 10, 10, 5], &d()).total, 35);
    }

    #[test]
    fn the_api_example_scores_85_and_grades_s() {
        let inputs = ScoreInputs {
            employees: Some(120),
            budget: Some(150_000.0),
            decision_months: Some(1),
            decision_chain: Some(DecisionChain::DmEngaged),
        };
        let s = score(&inputs, &d());
        assert_eq!(
            (s.company_size, s.budget_match, s.urgency, s.decision_chain, s.total, s.grade),
            (15, 30, 20, 20, 85, Grade::S)
        );
    }

    #[test]
    fn nothing_known_scores_zero_and_grades_c() {
        let s = score(&ScoreInputs::default(), &d());
        assert_eq!((s.total, s.grade), (0, Grade::C));
    }

    #[test]
    fn an_override_takes_its_parts_place_and_the_grade_follows() {
        // The API's example: 15/30/20/20 = 85, S. A manager who knows the budget is not
        // approved sets budget match to 5: 60, A.
        let inputs = ScoreInputs {
            employees: Some(120),
            budget: Some(150_000.0),
            decision_months: Some(1),
            decision_chain: Some(DecisionChain::DmEngaged),
        };
        let at = DateTime::from_timestamp(0, 0).unwrap();
        let o = |part, points| ScoreOverride { part, points, reason: "r".into(), by: "u".into(), by_name: None, at };
        let s = score_with(&inputs, &[o(ScorePart::BudgetMatch, 5)], &d());
        assert_eq!((s.part(ScorePart::BudgetMatch), s.total, s.grade), (5, 60, Grade::A));
        // Never above the part's maximum.
        let s = score_with(&ScoreInputs::default(), &[o(ScorePart::Urgency, 99)], &d());
        assert_eq!((s.urgency, s.total, s.grade), (20, 20, Grade::C));
        // No override: the rules' score.
        assert_eq!(score_with(&inputs, &[], &d()), score(&inputs, &d()));
    }
}
