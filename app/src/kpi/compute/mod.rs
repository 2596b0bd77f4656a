//! Computes a KPI set (and its slices) for a period in one pass over the analytic view.
use super::period::{Calendar, Dimension, Period};
use super::report::{FunnelStep, KpiGroup, KpiReport, Kpis};
use super::view::{AnalyticView, Instant, ViewLead};
use crate::domain::enums::Status;
use crate::settings::WorkspaceSettings;
use std::collections::HashMap;

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
    compute_with(view, period, by, settings, visible, true)
}

/// The KPIs the leads alone answer — new leads, conversion, won and lost, deal size, cycle,
/// response time and SLA, completeness, the funnel — without a pass over the follow-ups,
/// tasks and feedback (whose KPIs are left at nothing): the reps side by side.
pub fn compute_leads(
    view: &AnalyticView,
    period: &Period,
    by: Option<Dimension>,
    settings: &WorkspaceSettings,
    visible: impl Fn(&ViewLead) -> bool,
) -> KpiReport {
    compute_with(view, period, by, settings, visible, false)
}

fn compute_with(
    view: &AnalyticView,
    period: &Period,
    by: Option<Dimension>,
    settings: &WorkspaceSettings,
    visible: impl Fn(&ViewLead) -> bool,
    records: bool,
) -> KpiReport {
    // Each lead's group slot; the last slot is the total.
    let mut keys: Vec<Option<String>> = Vec::new();
    let mut slot_of: Vec<u32> = Vec::with_capacity(view.leads.len());
    if let Some(dim) = by {
        // One hash lookup a lead: each key gets a number as it is first met, then the numbers
        // are turned into the keys' sorted places (`null` last).
        let mut ids: HashMap<Option<&str>, u32> = HashMap::new();
        let mut met: Vec<Option<&str>> = Vec::new();
        for lead in &view.leads {
            if !visible(lead) {
                slot_of.push(HIDDEN);
                continue;
            }
            let key = group_key(lead, dim);
            let next = met.len() as u32;
            let id = *ids.entry(key).or_insert_with(|| {
                met.push(key);
                next
            });
            slot_of.push(id);
        }
        let mut sorted: Vec<u32> = (0..met.len() as u32).collect();
        sorted.sort_by_key(|&i| (met[i as usize].is_none(), met[i as usize]));
        let mut place = vec![0u32; met.len()];
        for (at, &i) in sorted.iter().enumerate() {
            place[i as usize] = at as u32;
        }
        for slot in slot_of.iter_mut().filter(|s| **s != HIDDEN) {
            *slot = place[*slot as usize];
        }
        keys = sorted.iter().map(|&i| met[i as usize].map(str::to_owned)).collect();
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
    // Tasks of the period are mostly done within weeks of being due.
    let calendar = Calendar::around(period, 62);
    accumulate_leads(view, &slot_of, settings, &mut accs, &targets);
    if records {
        accumulate_records(view, &slot_of, settings, &mut accs, targets, |t| calendar.day(t), &mut |lead, _| {
            !std::mem::replace(&mut interacted[lead as usize], true)
        });
    }

    let total = accs.pop().expect("total slot").finish(period);
    let groups =
        by.map(|_| keys.into_iter().zip(accs).map(|(key, acc)| KpiGroup { key, kpis: acc.finish(period) }).collect());
    KpiReport { from: period.from.to_string(), to: period.to.to_string(), by, total, groups }
}

/// Adds to the accumulators `to` names (as `targets` gave them).
fn add_to(accs: &mut [Acc], to: [Option<usize>; 2], f: &mut dyn FnMut(&mut Acc)) {
    for i in to.into_iter().flatten() {
        f(&mut accs[i]);
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
    accumulate_leads(view, slot_of, settings, accs, &targets);
    accumulate_records(view, slot_of, settings, accs, targets, local_day, &mut first);
}

/// Adds every visible lead's own facts (created, assigned and first contacted, won, lost).
fn accumulate_leads(
    view: &AnalyticView,
    slot_of: &[u32],
    settings: &WorkspaceSettings,
    accs: &mut [Acc],
    targets: &impl Fn(u32, Instant) -> [Option<usize>; 2],
) {
    for (lead, &slot) in view.leads.iter().zip(slot_of) {
        if slot == HIDDEN {
            continue;
        }
        let f = &lead.facts;
        add_to(accs, targets(slot, f.created_at), &mut |a| {
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
            add_to(accs, targets(slot, assigned), &mut |a| a.response_hours.push(hours(contact - assigned)));
        }
        if let Some(won) = f.won_at {
            add_to(accs, targets(slot, won), &mut |a| {
                a.won += 1;
                a.deal_sum += f.deal_amount.unwrap_or(0.0);
                if let Some(assigned) = f.assigned_at {
                    a.cycle_days += hours(won - assigned) / 24.0;
                }
            });
        }
        if let Some(lost) = f.lost_at {
            add_to(accs, targets(slot, lost), &mut |a| a.lost += 1);
        }
    }
}

/// Adds the follow-ups, tasks and feedback of the visible leads.
fn accumulate_records(
    view: &AnalyticView,
    slot_of: &[u32],
    settings: &WorkspaceSettings,
    accs: &mut [Acc],
    targets: impl Fn(u32, Instant) -> [Option<usize>; 2],
    local_day: impl Fn(Instant) -> chrono::NaiveDate,
    first: &mut impl FnMut(u32, usize) -> bool,
) {
    let timely_hours = settings.timely_logging_hours;
    for i in &view.interactions {
        let slot = slot_of[i.lead as usize];
        if slot == HIDDEN {
            continue;
        }
        let to = targets(slot, i.occurred_at);
        let Some(primary) = to[0] else {
            continue;
        };
        let first = first(i.lead, primary);
        add_to(accs, to, &mut |a| {
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
        // Only the tasks of the period are looked at closer: a local day takes a time-zone
        // lookup, too dear for every task of the workspace.
        let to = targets(slot, t.due_at);
        if to == [None, None] {
            continue;
        }
        // Completed when done on or before the task's due day (local time).
        let done = t.done_at.is_some_and(|d| local_day(d) <= local_day(t.due_at));
        add_to(accs, to, &mut |a| {
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
            add_to(accs, targets(slot, fb.received_at), &mut |a| a.add_satisfaction(s));
        }
        if let Some(resolved) = fb.resolved_at {
            let closed = fb.confirmed_at.is_some_and(|c| hours(c - resolved) <= confirm_hours);
            add_to(accs, targets(slot, resolved), &mut |a| {
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
    let (Some(first), Some(last)) = (weeks.first(), weeks.last()) else {
        return Vec::new();
    };
    let slot_of: Vec<u32> = view.leads.iter().map(|l| if visible(l) { 0 } else { HIDDEN }).collect();
    let week_of = |_: u32, t: Instant| {
        let i = weeks.partition_point(|w| w.start <= t);
        [(i > 0 && weeks[i - 1].contains(t)).then(|| i - 1), None]
    };
    let mut accs = vec![Acc::default(); weeks.len()];
    let mut seen = std::collections::HashSet::new();
    let calendar = Calendar::spanning(first.from, last.to, first.tz, 62);
    accumulate(
        view,
        &slot_of,
        settings,
        &mut accs,
        week_of,
        |t| calendar.day(t),
        |lead, week| seen.insert((lead, week)),
    );
    accs.into_iter().zip(weeks).map(|(acc, week)| acc.finish(week)).collect()
}

#[cfg(test)]
mod tests;
