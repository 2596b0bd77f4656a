//! Customer value (PRODUCT.md §8, the article's 三大关键指标) and the statistics that evaluate
//! the follow-up (§7's strategy comparison): pure code shared by the browser (the lead form
//! recomputes the conversion potential as the user types) and the server.
pub mod activity;
pub mod alerts;
pub mod analyses;
pub mod clv;
pub mod compare;
pub mod potential;
pub mod stats;
pub mod workspace;

pub use activity::{activity, Activity, Recent, Touch};
pub use clv::{clv, Order, LIFETIME_YEARS};
pub use potential::{Factor, Features, Model, Potential};

use serde::{Deserialize, Serialize};

/// A lead's value now (`GET /api/v1/leads/{code}/value`, the lead page's card).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LeadValue {
    pub activity: Activity,
    pub potential: Potential,
    /// Lifetime value from the lead's orders; none without orders or without a known profit.
    pub clv: Option<f64>,
}

/// What the lead form needs to compute a lead's conversion potential as the user types: the
/// model (or the grades' win rates before it), and what the form does not hold — the lead's
/// activity now, whether the customer ever responded, and its age (all nothing for a new lead).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PotentialInputs {
    pub model: Option<Model>,
    /// S, A, B, C.
    pub grade_rates: [Option<f64>; 4],
    pub activity: u8,
    pub responded: bool,
    pub days: f64,
}

impl PotentialInputs {
    /// The potential of a lead with this score and source, and the rest as given.
    pub fn potential(&self, score: &crate::scoring::Score, source: crate::domain::enums::Source) -> Potential {
        use crate::domain::enums::Grade;
        match &self.model {
            Some(m) => m.predict(&Features {
                company_size: f64::from(score.company_size),
                budget_match: f64::from(score.budget_match),
                urgency: f64::from(score.urgency),
                decision_chain: f64::from(score.decision_chain),
                source,
                activity: f64::from(self.activity),
                responded: self.responded,
                days: self.days,
            }),
            None => {
                let slot = match score.grade {
                    Grade::S => 0,
                    Grade::A => 1,
                    Grade::B => 2,
                    Grade::C => 3,
                };
                potential::by_grade_rate(self.grade_rates[slot])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::{Grade, Source, Tier};

    /// The pages read these in postcard, which needs every field written (a field skipped when
    /// empty would shift everything after it).
    #[test]
    fn a_leads_value_and_the_forms_inputs_cross_the_pages_wire() {
        let value = LeadValue {
            activity: Activity { score: 35, tier: Tier::Potential },
            potential: Potential {
                probability: Some(0.4),
                model: "logistic".into(),
                factors: vec![Factor { name: "budget_match".into(), contribution: 0.7, label: None }],
            },
            clv: None,
        };
        let bytes = postcard::to_allocvec(&value).unwrap();
        assert_eq!(postcard::from_bytes::<LeadValue>(&bytes).unwrap(), value);
        let inputs = PotentialInputs {
            model: None,
            grade_rates: [Some(0.5), None, Some(0.2), None],
            activity: 10,
            responded: true,
            days: 3.5,
        };
        let bytes = postcard::to_allocvec(&inputs).unwrap();
        assert_eq!(postcard::from_bytes::<PotentialInputs>(&bytes).unwrap(), inputs);
        // Before the model: the grade's rate.
        let score = crate::scoring::Score {
            company_size: 20,
            budget_match: 30,
            urgency: 20,
            decision_chain: 20,
            total: 90,
            grade: Grade::S,
        };
        assert_eq!(inputs.potential(&score, Source::Referral).probability, Some(0.5));
    }
}
