//! Default lead assignment (PRODUCT.md §4): grade → seniority, then same region, then
//! industry expertise, then fewest open leads, then round-robin.
use crate::domain::enums::{Grade, Seniority};
use chrono::{DateTime, Utc};

/// A rep who might take a new lead, with what the rules look at.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub key: String,
    pub seniority: Seniority,
    pub region: Option<String>,
    pub industries: Vec<String>,
    pub open_leads: u32,
    /// When the rep was last given a lead (round-robin: longest ago first).
    pub last_assigned_at: Option<DateTime<Utc>>,
}

/// The seniority that follows up a lead of this grade.
pub fn seniority_for(grade: Grade) -> Seniority {
    match grade {
        Grade::S => Seniority::Manager,
        Grade::A => Seniority::Senior,
        Grade::B | Grade::C => Seniority::Junior,
    }
}

/// Picks the owner of a new lead, or `None` when there is nobody to pick. When no rep of the
/// right seniority exists, the nearest seniority is used (junior → senior → manager, and
/// the reverse for S and A leads), so a lead is never left unassigned for want of a title.
pub fn assign<'a>(
    grade: Grade,
    region: Option<&str>,
    industry: Option<&str>,
    candidates: &'a [Candidate],
) -> Option<&'a Candidate> {
    let wanted = seniority_for(grade);
    let fallbacks: &[Seniority] = match wanted {
        Seniority::Manager => &[Seniority::Manager, Seniority::Senior, Seniority::Junior],
        Seniority::Senior => &[Seniority::Senior, Seniority::Manager, Seniority::Junior],
        Seniority::Junior => &[Seniority::Junior, Seniority::Senior, Seniority::Manager],
    };
    let pool: Vec<&Candidate> = fallbacks
        .iter()
        .map(|s| candidates.iter().filter(|c| c.seniority == *s).collect::<Vec<_>>())
        .find(|p| !p.is_empty())?;
    pool.into_iter().min_by_key(|c| {
        let same_region = region.is_some() && c.region.as_deref() == region;
        let expert = industry.is_some_and(|i| c.industries.iter().any(|x| x == i));
        (!same_region, !expert, c.open_leads, c.last_assigned_at, c.key.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(key: &str, seniority: Seniority, region: &str, industries: &[&str], open: u32) -> Candidate {
        Candidate {
            key: key.into(),
            seniority,
            region: Some(region.into()),
            industries: industries.iter().map(|s| s.to_string()).collect(),
            open_leads: open,
            last_assigned_at: None,
        }
    }

    fn team() -> Vec<Candidate> {
        vec![
            rep("m1", Seniority::Manager, "华东", &["制造业"], 5),
            rep("s1", Seniority::Senior, "华北", &["金融"], 1),
            rep("s2", Seniority::Senior, "华东", &["零售"], 9),
            rep("j1", Seniority::Junior, "华东", &["制造业"], 7),
            rep("j2", Seniority::Junior, "华东", &["零售"], 3),
        ]
    }

    #[test]
    fn an_s_lead_goes_to_a_manager() {
        assert_eq!(assign(Grade::S, None, None, &team()).unwrap().key, "m1");
    }

    #[test]
    fn an_a_lead_goes_to_a_senior_of_the_same_region_first() {
        assert_eq!(assign(Grade::A, Some("华东"), None, &team()).unwrap().key, "s2");
        assert_eq!(assign(Grade::A, None, None, &team()).unwrap().key, "s1");
    }

    #[test]
    fn b_and_c_leads_go_to_juniors_preferring_industry_then_fewest_open_leads() {
        assert_eq!(assign(Grade::B, Some("华东"), Some("制造业"), &team()).unwrap().key, "j1");
        assert_eq!(assign(Grade::C, Some("华东"), Some("教育"), &team()).unwrap().key, "j2");
    }

    #[test]
    fn ties_go_round_robin_to_whoever_waited_longest() {
        let mut reps = vec![rep("j1", Seniority::Junior, "华东", &[], 2), rep("j2", Seniority::Junior, "华东", &[], 2)];
        reps[0].last_assigned_at = Some(Utc::now());
        assert_eq!(assign(Grade::C, None, None, &reps).unwrap().key, "j2");
    }

    #[test]
    fn without_the_right_seniority_the_nearest_takes_it_and_nobody_means_none() {
        let seniors = vec![rep("s1", Seniority::Senior, "华东", &[], 0)];
        assert_eq!(assign(Grade::C, None, None, &seniors).unwrap().key, "s1");
        assert!(assign(Grade::C, None, None, &[]).is_none());
    }
}
