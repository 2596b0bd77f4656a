//! The KPI engine on small hand-made histories: each KPI of PRODUCT.md §7 at its edges.
use super::*;
use crate::domain::bundle::{Bundle, Existing};
use serde_json::{json, Value};

/// A lead of team t1's rep r1 with the given times; grade C unless the inputs say more.
fn lead(key: &str, created_at: &str, status: &str) -> Value {
    json!({"key": key, "code": format!("LX2024{key:0>5}"), "source": "web_form",
           "company": format!("测试公司{key}"), "owner": "r1", "created_at": created_at,
           "assigned_at": created_at, "status": status})
}

fn follow_up(lead: &str, occurred_at: &str, logged_at: &str) -> Value {
    json!({"lead": lead, "rep": "r1", "occurred_at": occurred_at, "logged_at": logged_at,
           "channel": "phone", "direction": "outbound", "responded": true,
           "stage_before": "contacted", "stage_after": "contacted"})
}

fn view(extra: Value) -> AnalyticView {
    let mut bundle = json!({
        "teams": [{"key": "t1", "name": "华东销售1组", "region": "华东"}],
        "reps": [{"key": "r1", "name": "王伟", "seniority": "senior", "team": "t1"}],
    });
    for (k, v) in extra.as_object().unwrap() {
        bundle[k] = v.clone();
    }
    let bundle = Bundle::read(&bundle, &Existing::default()).expect("valid test bundle");
    AnalyticView::from_bundle(&bundle, &WorkspaceSettings::default().scoring)
}

fn kpis(view: &AnalyticView, from: &str, to: &str) -> Kpis {
    let settings = WorkspaceSettings::default();
    let period = Period::parse(from, to, settings.tz()).unwrap();
    compute(view, &period, None, &settings, |_| true).total
}

#[test]
fn zero_denominators_give_null_not_zero() {
    let k = kpis(&view(json!({})), "2024-01-01", "2024-02-01");
    assert_eq!(k.new_leads, 0);
    for (name, v) in [
        ("conversion_rate", k.conversion_rate),
        ("win_rate", k.win_rate),
        ("response_rate", k.response_rate),
        ("response_time_hours_mean", k.response_time_hours_mean),
        ("response_time_hours_median", k.response_time_hours_median),
        ("sla_compliance", k.sla_compliance),
        ("interaction_frequency", k.interaction_frequency),
        ("plan_completion", k.plan_completion),
        ("info_completeness", k.info_completeness),
        ("avg_deal_size", k.avg_deal_size),
        ("sales_cycle_days", k.sales_cycle_days),
        ("followup_conversion", k.followup_conversion),
        ("satisfaction_mean", k.satisfaction_mean),
        ("satisfied_rate", k.satisfied_rate),
        ("dissatisfied_rate", k.dissatisfied_rate),
        ("timely_logging", k.timely_logging),
        ("feedback_closure", k.feedback_closure),
    ] {
        assert_eq!(v, None, "{name}");
    }
    assert!(k.funnel.iter().all(|s| s.reached == 0 && s.conversion.is_none()));
}

#[test]
fn a_lead_created_at_23_55_shanghai_time_belongs_to_that_local_day() {
    // 2024-03-31 23:55 in Shanghai is 15:55 UTC.
    let v = view(json!({"leads": [lead("1", "2024-03-31T15:55:00Z", "new")]}));
    assert_eq!(kpis(&v, "2024-03-31", "2024-04-01").new_leads, 1);
    assert_eq!(kpis(&v, "2024-04-01", "2024-04-02").new_leads, 0);
    // And 00:05 on 1 April local time (16:05 UTC on 31 March) is the next day.
    let v = view(json!({"leads": [lead("2", "2024-03-31T16:05:00Z", "new")]}));
    assert_eq!(kpis(&v, "2024-03-31", "2024-04-01").new_leads, 0);
    assert_eq!(kpis(&v, "2024-04-01", "2024-04-02").new_leads, 1);
}

#[test]
fn conversion_rate_counts_only_leads_created_in_the_period() {
    let mut won = lead("1", "2024-02-20T02:00:00Z", "won");
    won["won_at"] = json!("2024-03-05T02:00:00Z");
    won["deal_amount"] = json!(100000);
    let v = view(json!({"leads": [won, lead("2", "2024-03-02T02:00:00Z", "new")]}));
    let march = kpis(&v, "2024-03-01", "2024-04-01");
    assert_eq!(march.new_leads, 1);
    assert_eq!(march.conversion_rate, Some(0.0));
    // The win belongs to March's win rate, deal size and cycle.
    assert_eq!(march.win_rate, Some(1.0));
    assert_eq!(march.avg_deal_size, Some(100000.0));
    assert_eq!(march.sales_cycle_days, Some(14.0));
}

#[test]
fn win_rate_is_won_over_won_and_lost_closed_in_the_period() {
    let mut a = lead("1", "2024-03-01T02:00:00Z", "won");
    a["won_at"] = json!("2024-03-10T02:00:00Z");
    a["deal_amount"] = json!(50000);
    let mut b = lead("2", "2024-03-01T02:00:00Z", "lost");
    b["lost_at"] = json!("2024-03-11T02:00:00Z");
    b["loss_reason"] = json!("price");
    let mut c = lead("3", "2024-03-01T02:00:00Z", "lost");
    c["lost_at"] = json!("2024-04-11T02:00:00Z");
    c["loss_reason"] = json!("competitor");
    let v = view(json!({"leads": [a, b, c]}));
    let k = kpis(&v, "2024-03-01", "2024-04-01");
    assert_eq!(k.win_rate, Some(0.5));
    assert_eq!(k.conversion_rate, Some(1.0 / 3.0));
}

#[test]
fn sla_and_response_time_use_the_first_outbound_follow_up() {
    // Grade C (no score inputs): 24 hours to the first contact.
    let v = view(json!({
        "leads": [lead("1", "2024-03-01T00:00:00Z", "contacted"), lead("2", "2024-03-01T00:00:00Z", "contacted")],
        "interactions": [
            follow_up("1", "2024-03-01T20:00:00Z", "2024-03-01T20:10:00Z"),
            follow_up("2", "2024-03-02T06:00:00Z", "2024-03-02T06:10:00Z"),
        ]
    }));
    let k = kpis(&v, "2024-03-01", "2024-04-01");
    assert_eq!(k.sla_compliance, Some(0.5));
    assert_eq!(k.response_rate, Some(1.0));
    assert_eq!(k.response_time_hours_mean, Some(25.0));
    assert_eq!(k.response_time_hours_median, Some(25.0));
}

#[test]
fn a_follow_up_logged_over_24_hours_late_is_not_timely() {
    let v = view(json!({
        "leads": [lead("1", "2024-03-01T00:00:00Z", "contacted")],
        "interactions": [
            follow_up("1", "2024-03-02T00:00:00Z", "2024-03-03T00:00:00Z"),
            follow_up("1", "2024-03-04T00:00:00Z", "2024-03-05T00:00:01Z"),
        ]
    }));
    let k = kpis(&v, "2024-03-01", "2024-04-01");
    assert_eq!(k.timely_logging, Some(0.5));
}

#[test]
fn a_task_done_late_on_its_due_day_counts_but_one_done_the_next_day_does_not() {
    // Due 10:00 on 5 March local; done 23:30 local the same day, and 00:30 the day after.
    let v = view(json!({
        "leads": [lead("1", "2024-03-01T00:00:00Z", "contacted")],
        "tasks": [
            {"lead": "1", "owner": "r1", "kind": "follow_up", "due_at": "2024-03-05T02:00:00Z", "done_at": "2024-03-05T15:30:00Z"},
            {"lead": "1", "owner": "r1", "kind": "follow_up", "due_at": "2024-03-06T02:00:00Z", "done_at": "2024-03-06T16:30:00Z"},
            {"lead": "1", "owner": "r1", "kind": "follow_up", "due_at": "2024-03-07T02:00:00Z", "done_at": null},
        ]
    }));
    let k = kpis(&v, "2024-03-01", "2024-04-01");
    assert_eq!(k.plan_completion, Some(1.0 / 3.0));
}

#[test]
fn satisfaction_counts_follow_ups_and_feedback_of_the_period() {
    let mut i = follow_up("1", "2024-03-02T00:00:00Z", "2024-03-02T00:00:00Z");
    i["satisfaction"] = json!(5);
    let v = view(json!({
        "leads": [lead("1", "2024-03-01T00:00:00Z", "contacted")],
        "interactions": [i],
        "feedback": [
            {"lead": "1", "received_at": "2024-03-03T00:00:00Z", "channel": "phone", "type": "price",
             "priority": "high", "summary": "价格偏高", "status": "resolved",
             "resolved_at": "2024-03-04T00:00:00Z", "customer_confirmed_at": "2024-03-05T00:00:00Z", "satisfaction": 2},
            {"lead": "1", "received_at": "2024-03-03T00:00:00Z", "channel": "phone", "type": "service",
             "priority": "low", "summary": "响应慢", "status": "resolved",
             "resolved_at": "2024-03-04T00:00:00Z", "customer_confirmed_at": null, "satisfaction": 3},
        ]
    }));
    let k = kpis(&v, "2024-03-01", "2024-04-01");
    assert_eq!(k.satisfaction_mean, Some(10.0 / 3.0));
    assert_eq!(k.satisfied_rate, Some(1.0 / 3.0));
    assert_eq!(k.dissatisfied_rate, Some(1.0 / 3.0));
    assert_eq!(k.feedback_closure, Some(0.5));
}

#[test]
fn the_funnel_counts_the_furthest_stage_reached_and_lost_is_not_a_stage() {
    let mut lost = lead("1", "2024-03-01T00:00:00Z", "lost");
    lost["lost_at"] = json!("2024-03-09T00:00:00Z");
    lost["loss_reason"] = json!("price");
    let v = view(json!({
        "leads": [lost, lead("2", "2024-03-01T00:00:00Z", "contacted")],
        "stage_changes": [
            {"lead": "1", "from": "new", "to": "contacted", "at": "2024-03-02T00:00:00Z", "by": "r1"},
            {"lead": "1", "from": "contacted", "to": "qualified", "at": "2024-03-03T00:00:00Z", "by": "r1"},
            {"lead": "1", "from": "qualified", "to": "lost", "at": "2024-03-09T00:00:00Z", "by": "r1"},
            {"lead": "2", "from": "new", "to": "contacted", "at": "2024-03-02T00:00:00Z", "by": "r1"},
        ]
    }));
    let k = kpis(&v, "2024-03-01", "2024-04-01");
    let reached: Vec<u64> = k.funnel.iter().map(|s| s.reached).collect();
    assert_eq!(reached, vec![2, 1, 0, 0, 0]);
    assert_eq!(k.funnel[0].conversion, Some(1.0));
    assert_eq!(k.funnel[1].conversion, Some(0.5));
    assert_eq!(k.funnel[2].conversion, Some(0.0));
    assert_eq!(k.funnel[3].conversion, None);
}

#[test]
fn interaction_frequency_is_per_lead_followed_up_per_week() {
    let v = view(json!({
        "leads": [lead("1", "2024-03-01T00:00:00Z", "contacted"), lead("2", "2024-03-01T00:00:00Z", "contacted")],
        "interactions": [
            follow_up("1", "2024-03-02T00:00:00Z", "2024-03-02T00:00:00Z"),
            follow_up("1", "2024-03-03T00:00:00Z", "2024-03-03T00:00:00Z"),
            follow_up("1", "2024-03-04T00:00:00Z", "2024-03-04T00:00:00Z"),
            follow_up("2", "2024-03-05T00:00:00Z", "2024-03-05T00:00:00Z"),
        ]
    }));
    // 4 follow-ups over 2 leads in a 14-day period: 2 per lead, 1 per lead per week.
    let k = kpis(&v, "2024-03-01", "2024-03-15");
    assert_eq!(k.interaction_frequency, Some(1.0));
}

#[test]
fn the_weekly_trend_in_one_pass_equals_each_week_computed_alone() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample-bundle.json");
    let body: Value = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let bundle = Bundle::read(&body, &Existing::default()).unwrap();
    let settings = WorkspaceSettings::default();
    let view = AnalyticView::from_bundle(&bundle, &settings.scoring);
    let mut weeks = Vec::new();
    let mut start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let to = chrono::NaiveDate::from_ymd_opt(2024, 7, 3).unwrap();
    while start < to {
        let end = (start + chrono::Duration::days(7)).min(to);
        weeks.push(Period::new(start, end, settings.tz()).unwrap());
        start = end;
    }
    let visible = |l: &ViewLead| l.facts.owner.as_deref() != Some("r12");
    let together = trend(&view, &weeks, &settings, visible);
    assert_eq!(together.len(), weeks.len());
    let mut busy_weeks = 0;
    for (week, kpis) in weeks.iter().zip(&together) {
        let alone = compute(&view, week, None, &settings, visible).total;
        assert_eq!(kpis, &alone, "week of {}", week.from);
        busy_weeks += usize::from(kpis.new_leads > 0 && kpis.interaction_frequency.is_some());
    }
    assert!(busy_weeks > 10, "the sample has activity in most weeks");
}
