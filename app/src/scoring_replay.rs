//! The preview of a scoring change (PRODUCT.md §12, `POST /api/v1/settings/preview`): the
//! workspace's leads are scored under the current and the proposed rules, to show how many
//! would change grade and how each grade's historical win rate would read, before an admin
//! publishes the change.
use crate::domain::enums::{Grade, Status};
use crate::scoring::{score_with, ScoreInputs};
use crate::settings::ScoringSettings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A lead as the preview sees it: what it is scored from, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayLead {
    pub inputs: ScoreInputs,
    /// A manager's overrides hold under any rules.
    pub overrides: Vec<crate::scoring::ScoreOverride>,
    pub status: Status,
}

/// What a scoring change would do to the workspace's leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Replay {
    /// The leads that would change grade, by old and new grade (S, A, B, C order).
    pub moves: Vec<GradeMove>,
    /// Every grade, S to C, now and under the proposed rules.
    pub grades: Vec<GradeStats>,
}

/// How many leads would move from one grade to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GradeMove {
    pub from: Grade,
    pub to: Grade,
    pub leads: u64,
}

/// One grade's leads and win rate under the current and the proposed rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GradeStats {
    pub grade: Grade,
    pub now: GradeOutcome,
    pub proposed: GradeOutcome,
}

/// How many leads hold a grade, and how many of its closed ones were won.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GradeOutcome {
    pub leads: u64,
    /// Won / (won + lost) among the grade's leads; `None` when none of them is closed.
    pub win_rate: Option<f64>,
}

/// Counts of one grade's leads while the replay runs.
#[derive(Default)]
struct Tally {
    leads: u64,
    won: u64,
    lost: u64,
}

impl Tally {
    fn add(&mut self, status: Status) {
        self.leads += 1;
        match status {
            Status::Won => self.won += 1,
            Status::Lost => self.lost += 1,
            _ => {}
        }
    }

    fn outcome(&self) -> GradeOutcome {
        let closed = self.won + self.lost;
        GradeOutcome { leads: self.leads, win_rate: (closed > 0).then(|| self.won as f64 / closed as f64) }
    }
}

/// Scores every lead under the current and the proposed rules and sums up the difference.
pub fn replay(leads: &[ReplayLead], current: &ScoringSettings, proposed: &ScoringSettings) -> Replay {
    let mut moves: BTreeMap<(Grade, Grade), u64> = BTreeMap::new();
    let mut now: BTreeMap<Grade, Tally> = BTreeMap::new();
    let mut then: BTreeMap<Grade, Tally> = BTreeMap::new();
    for lead in leads {
        let from = score_with(&lead.inputs, &lead.overrides, current).grade;
        let to = score_with(&lead.inputs, &lead.overrides, proposed).grade;
        now.entry(from).or_default().add(lead.status);
        then.entry(to).or_default().add(lead.status);
        if from != to {
            *moves.entry((from, to)).or_default() += 1;
        }
    }
    let outcome = |tallies: &BTreeMap<Grade, Tally>, grade: &Grade| {
        tallies.get(grade).map_or(GradeOutcome { leads: 0, win_rate: None }, Tally::outcome)
    };
    Replay {
        moves: moves.into_iter().map(|((from, to), leads)| GradeMove { from, to, leads }).collect(),
        grades: Grade::ALL
            .iter()
            .map(|g| GradeStats { grade: *g, now: outcome(&now, g), proposed: outcome(&then, g) })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::DecisionChain;

    /// A lead of 1000 employees and a budget of 1.5 reference deals (60 points), plus urgency
    /// and decision chain points.
    fn lead(budget: f64, months: u32, chain: DecisionChain, status: Status) -> ReplayLead {
        ReplayLead {
            inputs: ScoreInputs {
                employees: Some(1000),
                budget: Some(budget),
                decision_months: Some(months),
                decision_chain: Some(chain),
            },
            overrides: Vec::new(),
            status,
        }
    }

    fn leads() -> Vec<ReplayLead> {
        vec![
            // 30 + 30 + 15 + 5 = 80
            lead(150_000.0, 3, DecisionChain::ContactOnly, Status::Won),
            // 30 + 30 + 20 + 10 = 90
            lead(150_000.0, 1, DecisionChain::Influencer, Status::Lost),
            // 30 + 30 + 20 + 5 = 85
            lead(150_000.0, 1, DecisionChain::ContactOnly, Status::Won),
            // 30 + 25 + 10 + 5 = 70
            lead(100_000.0, 6, DecisionChain::ContactOnly, Status::Lost),
            // 30 + 20 + 10 + 5 = 65
            lead(70_000.0, 6, DecisionChain::ContactOnly, Status::New),
        ]
    }

    fn outcome(leads: u64, win_rate: Option<f64>) -> GradeOutcome {
        GradeOutcome { leads, win_rate }
    }

    #[test]
    fn raising_the_s_threshold_moves_an_80_point_lead_to_a_and_shifts_the_win_rates() {
        let current = ScoringSettings::default();
        let proposed = ScoringSettings { grade_s: 85, ..ScoringSettings::default() };
        let r = replay(&leads(), &current, &proposed);
        assert_eq!(r.moves, [GradeMove { from: Grade::S, to: Grade::A, leads: 1 }]);
        let grades: Vec<Grade> = r.grades.iter().map(|g| g.grade).collect();
        assert_eq!(grades, [Grade::S, Grade::A, Grade::B, Grade::C]);
        assert_eq!(r.grades[0].now, outcome(3, Some(2.0 / 3.0)));
        assert_eq!(r.grades[0].proposed, outcome(2, Some(0.5)));
        assert_eq!(r.grades[1].now, outcome(2, Some(0.0)));
        assert_eq!(r.grades[1].proposed, outcome(3, Some(0.5)));
        assert_eq!(r.grades[2].now, outcome(0, None));
        assert_eq!(r.grades[3].proposed, outcome(0, None));
    }

    #[test]
    fn moves_are_listed_from_s_to_c_and_an_unchanged_rule_moves_nothing() {
        let current = ScoringSettings::default();
        assert!(replay(&leads(), &current, &current).moves.is_empty());
        let proposed = ScoringSettings { grade_s: 95, grade_a: 75, grade_b: 68, ..ScoringSettings::default() };
        let moves: Vec<(Grade, Grade, u64)> =
            replay(&leads(), &current, &proposed).moves.into_iter().map(|m| (m.from, m.to, m.leads)).collect();
        assert_eq!(moves, [(Grade::S, Grade::A, 3), (Grade::A, Grade::B, 1), (Grade::A, Grade::C, 1)]);
    }

    #[test]
    fn a_grade_whose_leads_are_all_open_has_no_win_rate() {
        let r = replay(&leads()[4..], &ScoringSettings::default(), &ScoringSettings::default());
        assert_eq!(r.grades[1].now, outcome(1, None));
    }
}
