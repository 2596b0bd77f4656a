//! Computes a KPI set (and its slices) for a period in one pass over the analytic view.
use super::period::{Dimension, Period};
use super::view::{AnalyticView, Instant, ViewLead};
use crate::domain::enums::Status;
use crate::settings::WorkspaceSettings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One funnel step: how many leads of the period reached the stage, and the share of the
/// previous step's leads that did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FunnelStep {
    pub stage: Status,
    pub reached: u64,
    pub conversion: Option<f64>,
}

/// The KPI set of API.md; `None` where the denominator is zero.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Kpis {
    pub new_leads: u64,
    pub conversion_rate: Option<f64>,
    pub win_rate: Option<f64>,
    pub response_rate: Option<f64>,
    pub response_time_hours_mean: Option<f64>,
    pub response_time_hours_median: Option<f64>,
    pub sla_compliance: Option<f64>,
    pub interaction_frequency: Option<f64>,
    pub plan_completion: Option<f64>,
    pub info_completeness: Option<f64>,
    pub avg_deal_size: Option<f64>,
    pub sales_cycle_days: Option<f64>,
    pub followup_conversion: Option<f64>,
    pub satisfaction_mean: Option<f64>,
    pub satisfied_rate: Option<f64>,
    pub dissatisfied_rate: Option<f64>,
    pub timely_logging: Option<f64>,
    pub feedback_closure: Option<f64>,
    pub funnel: Vec<FunnelStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KpiGroup {
    pub key: Option<String>,
    pub kpis: Kpis,
}

/// The answer of `GET /api/v1/kpis`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KpiReport {
    pub from: String,
    pub to: String,
    pub by: Option<Dimension>,
    pub total: Kpis,
    #[serde(default)]
    pub groups: Option<Vec<KpiGroup>>,
}

/// The API leaves `groups` out of a report that is not sliced; the pages' binary wire
/// (`crate::wire`) is positional and keeps every field.
impl Serialize for KpiReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let skip_groups = s.is_human_readable() && self.groups.is_none();
        let mut st = s.serialize_struct("KpiReport", if skip_groups { 4 } else { 5 })?;
        st.serialize_field("from", &self.from)?;
        st.serialize_field("to", &self.to)?;
        st.serialize_field("by", &self.by)?;
        st.serialize_field("total", &self.total)?;
        if skip_groups {
            st.skip_field("groups")?;
        } else {
            st.serialize_field("groups", &self.groups)?;
        }
        st.end()
    }
}

/// Running sums for one KPI set.
#[derive(Debug, Default, Clone)]
struct Acc {
    new_leads: u64,
    converted: u64,
    won: u64,
    lost: u64,
    responded: u64,
    response_hours: Vec<f64>,
    within_sla: u64,
    interactions: u64,
    leads_interacted: u64,
    tasks_due: u64,
    tasks_done: u64,
    completeness: f64,
    deal_sum: f64,
    cycle_days: f64,
    advances: u64,
    satisfaction_sum: f64,
    satisfaction_n: u64,
    satisfied: u64,
    dissatisfied: u64,
    timely: u64,
    feedback_resolved: u64,
    feedback_closed: u64,
    reached: [u64; 6],
}

fn ratio(num: f64, den: u64) -> Option<f64> {
    (den > 0).then(|| num / den as f64)
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 })
}

fn hours(d: chrono::TimeDelta) -> f64 {
    d.num_milliseconds() as f64 / 3_600_000.0
}

impl Acc {
    fn add_satisfaction(&mut self, score: u8) {
        self.satisfaction_sum += f64::from(score);
        self.satisfaction_n += 1;
        self.satisfied += u64::from(score >= 4);
        self.dissatisfied += u64::from(score <= 2);
    }

    fn finish(mut self, period: &Period) -> Kpis {
        let n = self.new_leads;
        let mean_hours = ratio(self.response_hours.iter().sum(), self.response_hours.len() as u64);
        let weeks = period.days() as f64 / 7.0;
        let mut funnel = Vec::with_capacity(5);
        let mut previous = n;
        for (k, stage) in Status::FUNNEL.into_iter().enumerate() {
            let reached = self.reached[k + 1];
            funnel.push(FunnelStep { stage, reached, conversion: ratio(reached as f64, previous) });
            previous = reached;
        }
        Kpis {
            new_leads: n,
            conversion_rate: ratio(self.converted as f64, n),
            win_rate: ratio(self.won as f64, self.won + self.lost),
            response_rate: ratio(self.responded as f64, n),
            response_time_hours_mean: mean_hours,
            response_time_hours_median: median(&mut self.response_hours),
            sla_compliance: ratio(self.within_sla as f64, n),
            interaction_frequency: ratio(self.interactions as f64, self.leads_interacted)
                .map(|per_lead| per_lead / weeks),
            plan_completion: ratio(self.tasks_done as f64, self.tasks_due),
            info_completeness: ratio(self.completeness, n),
            avg_deal_size: ratio(self.deal_sum, self.won),
            sales_cycle_days: ratio(self.cycle_days, self.won),
            followup_conversion: ratio(self.advances as f64, self.interactions),
            satisfaction_mean: ratio(self.satisfaction_sum, self.satisfaction_n),
            satisfied_rate: ratio(self.satisfied as f64, self.satisfaction_n),
            dissatisfied_rate: ratio(self.dissatisfied as f64, self.satisfaction_n),
            timely_logging: ratio(self.timely as f64, self.interactions),
            feedback_closure: ratio(self.feedback_closed as f64, self.feedback_resolved),
            funnel,
        }
    }
}

/// The value of a lead for a dimension (`None` is the group `null`).
pub fn group_key(lead: &ViewLead, by: Dimension) -> Option<&str> {
    let f = &lead.facts;
    match by {
        Dimension::Source => Some(f.source.key()),
        Dimension::Grade => Some(f.grade.key()),
        Dimension::Owner => f.owner.as_deref(),
        Dimension::Team => f.team.as_deref(),
        Dimension::Region => f.region.as_deref(),
        Dimension::Industry => f.industry.as_deref(),
    }
}

const HIDDEN: u32 = u32::MAX;

/// Computes the KPI set of `period` over the leads `visible` admits, sliced by `by`.
/// Interaction-, task- and feedback-based KPIs count the records of the selected leads,
/// whoever logged them. A slice has a group for every value present among the visible leads.
pub fn compute(
    view: &AnalyticView,
    period: &Period,
    by: Option<Dimension>,
    settings: &WorkspaceSettings,
    visible: impl Fn(&ViewLead) -> bool,
) -> KpiReport {
    // Each lead's group slot; the last slot is the total.
    let mut keys: Vec<Option<String>> = Vec::new();
    let mut slot_of: Vec<u32> = Vec::with_capacity(view.leads.len());
    if let Some(dim) = by {
        let mut index: BTreeMap<Option<&str>, u32> = BTreeMap::new();
        for lead in &view.leads {
            if visible(lead) {
                index.entry(group_key(lead, dim)).or_insert(0);
            }
        }
        // Sorted keys, `null` last.
        let mut sorted: Vec<Option<&str>> = index.keys().copied().collect();
        sorted.sort_by_key(|k| (k.is_none(), *k));
        for (i, k) in sorted.iter().enumerate() {
            index.insert(*k, i as u32);
        }
        keys = sorted.iter().map(|k| k.map(str::to_owned)).collect();
        for lead in &view.leads {
            slot_of.push(if visible(lead) { index[&group_key(lead, dim)] } else { HIDDEN });
        }
    } else {
        slot_of.extend(view.leads.iter().map(|l| if visible(l) { 0 } else { HIDDEN }));
    }
    let total_slot = keys.len();
    let mut accs = vec![Acc::default(); total_slot + 1];
    let grouped = by.is_some();
    let targets = |slot: u32, t: Instant| {
        if period.contains(t) {
            [Some(total_slot), grouped.then_some(slot as usize)]
        } else {
            [None, None]
        }
    };
    let mut interacted = vec![false; view.leads.len()];
    accumulate(
        view,
        &slot_of,
        settings,
        &mut accs,
        targets,
        |t| period.local_day(t),
        |lead, _| !std::mem::replace(&mut interacted[lead as usize], true),
    );

    let total = accs.pop().expect("total slot").finish(period);
    let groups =
        by.map(|_| keys.into_iter().zip(accs).map(|(key, acc)| KpiGroup { key, kpis: acc.finish(period) }).collect());
    KpiReport {
        from: period.from.format("%Y-%m-%d").to_string(),
        to: period.to.format("%Y-%m-%d").to_string(),
        by,
        total,
        groups,
    }
}

/// Adds every record of the visible leads (`slot_of` not [`HIDDEN`]) to the accumulators
/// its timestamps fall in: `targets(slot, t)` names up to two (e.g. the total and the lead's
/// group, or the week of `t`), `local_day` is the workspace's calendar day of an instant, and
/// `first(lead, bucket)` says whether this is the lead's first follow-up counted in a bucket.
fn accumulate(
    view: &AnalyticView,
    slot_of: &[u32],
    settings: &WorkspaceSettings,
    accs: &mut [Acc],
    targets: impl Fn(u32, Instant) -> [Option<usize>; 2],
    local_day: impl Fn(Instant) -> chrono::NaiveDate,
    mut first: impl FnMut(u32, usize) -> bool,
) {
    let mut add = |slot: u32, t: Instant, f: &mut dyn FnMut(&mut Acc)| {
        for i in targets(slot, t).into_iter().flatten() {
            f(&mut accs[i]);
        }
    };
    for (lead, &slot) in view.leads.iter().zip(slot_of) {
        if slot == HIDDEN {
            continue;
        }
        let f = &lead.facts;
        add(slot, f.created_at, &mut |a| {
            a.new_leads += 1;
            a.converted += u64::from(f.status == Status::Won);
            a.responded += u64::from(lead.responded);
            a.completeness += f.completeness;
            let sla = settings.sla.hours(f.grade);
            if lead.first_contact_at.is_some_and(|c| hours(c - f.created_at) <= sla) {
                a.within_sla += 1;
            }
            for rank in 1..=lead.max_rank as usize {
                a.reached[rank] += 1;
            }
        });
        if let (Some(assigned), Some(contact)) = (f.assigned_at, lead.first_contact_at) {
            add(slot, assigned, &mut |a| a.response_hours.push(hours(contact - assigned)));
        }
        if let Some(won) = f.won_at {
            add(slot, won, &mut |a| {
                a.won += 1;
                a.deal_sum += f.deal_amount.unwrap_or(0.0);
                if let Some(assigned) = f.assigned_at {
                    a.cycle_days += hours(won - assigned) / 24.0;
                }
            });
        }
        if let Some(lost) = f.lost_at {
            add(slot, lost, &mut |a| a.lost += 1);
        }
    }

    let timely_hours = settings.timely_logging_hours;
    for i in &view.interactions {
        let slot = slot_of[i.lead as usize];
        if slot == HIDDEN {
            continue;
        }
        let Some(primary) = targets(slot, i.occurred_at)[0] else {
            continue;
        };
        let first = first(i.lead, primary);
        add(slot, i.occurred_at, &mut |a| {
            a.interactions += 1;
            a.leads_interacted += u64::from(first);
            a.advances += u64::from(i.advanced);
            a.timely += u64::from(hours(i.logged_at - i.occurred_at) <= timely_hours);
            if let Some(s) = i.satisfaction {
                a.add_satisfaction(s);
            }
        });
    }

    for t in &view.tasks {
        let slot = slot_of[t.lead as usize];
        if slot == HIDDEN || !t.follow_up {
            continue;
        }
        // Completed when done on or before the task's due day (local time).
        let done = t.done_at.is_some_and(|d| local_day(d) <= local_day(t.due_at));
        add(slot, t.due_at, &mut |a| {
            a.tasks_due += 1;
            a.tasks_done += u64::from(done);
        });
    }

    let confirm_hours = settings.feedback_confirm_days * 24.0;
    for fb in &view.feedback {
        let slot = slot_of[fb.lead as usize];
        if slot == HIDDEN {
            continue;
        }
        if let Some(s) = fb.satisfaction {
            add(slot, fb.received_at, &mut |a| a.add_satisfaction(s));
        }
        if let Some(resolved) = fb.resolved_at {
            let closed = fb.confirmed_at.is_some_and(|c| hours(c - resolved) <= confirm_hours);
            add(slot, resolved, &mut |a| {
                a.feedback_resolved += 1;
                a.feedback_closed += u64::from(closed);
            });
        }
    }
}

/// The KPI set of each of `weeks` (consecutive, in order) over the leads `visible` admits,
/// in one pass over the view: every record goes to the week its timestamp falls in.
pub fn trend(
    view: &AnalyticView,
    weeks: &[Period],
    settings: &WorkspaceSettings,
    visible: impl Fn(&ViewLead) -> bool,
) -> Vec<Kpis> {
    let Some(tz) = weeks.first().map(|w| w.tz) else {
        return Vec::new();
    };
    let slot_of: Vec<u32> = view.leads.iter().map(|l| if visible(l) { 0 } else { HIDDEN }).collect();
    let week_of = |_: u32, t: Instant| {
        let i = weeks.partition_point(|w| w.start <= t);
        [(i > 0 && weeks[i - 1].contains(t)).then(|| i - 1), None]
    };
    let mut accs = vec![Acc::default(); weeks.len()];
    let mut seen = std::collections::HashSet::new();
    accumulate(
        view,
        &slot_of,
        settings,
        &mut accs,
        week_of,
        |t| t.with_timezone(&tz).date_naive(),
        |lead, week| seen.insert((lead, week)),
    );
    accs.into_iter().zip(weeks).map(|(acc, week)| acc.finish(week)).collect()
}

#[cfg(test)]
mod tests {
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
}
