//! Small views for the view's own tests.
use super::*;
use chrono::TimeZone;

pub fn at(day: u32) -> Instant {
    Utc.with_ymd_and_hms(2026, 3, day, 2, 0, 0).unwrap()
}

pub fn lead(code: &str) -> LeadFacts {
    LeadFacts {
        code: code.into(),
        created_at: at(1),
        assigned_at: Some(at(1)),
        status: Status::Contacted,
        won_at: None,
        lost_at: None,
        deal_amount: None,
        grade: Grade::A,
        source: Source::WebForm,
        owner: Some("r1".into()),
        team: Some("t1".into()),
        region: None,
        industry: None,
        completeness: 0.5,
        parts: [10, 20, 10, 5],
        strategy: None,
    }
}

pub fn follow_up(code: &str, day: u32, responded: bool) -> InteractionFacts {
    InteractionFacts {
        lead: code.into(),
        occurred_at: at(day),
        logged_at: at(day),
        channel: crate::domain::enums::Channel::Phone,
        direction: Direction::Outbound,
        responded,
        satisfaction: None,
        stage_before: Status::New,
        stage_after: Status::Contacted,
    }
}

/// L1 with two follow-ups (one answered), L2 with one, L3 with one.
pub fn three_leads_with_history() -> AnalyticView {
    let mut view = AnalyticView::new();
    for code in ["L1", "L2", "L3"] {
        view.apply(ViewChange::Lead(lead(code)));
    }
    view.add_interaction(&follow_up("L1", 2, true));
    view.add_interaction(&follow_up("L1", 3, false));
    view.add_interaction(&follow_up("L2", 4, false));
    view.add_interaction(&follow_up("L3", 5, false));
    view
}

/// How many follow-ups the view holds for a lead.
pub fn interactions_of(view: &AnalyticView, code: &str) -> usize {
    let idx = view.by_code[code];
    view.interactions.iter().filter(|i| i.lead == idx).count()
}
