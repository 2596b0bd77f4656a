//! The analytic view: the plain facts the KPIs are computed from, kept in memory and in step
//! with every write. The database stays the source of truth; the view is rebuilt from it at
//! start-up and follows each change as a [`ViewChange`], so changes arriving from another
//! app server (through a change feed) can be applied the same way.
use crate::domain::enums::{Channel, Direction, Grade, Source, Status, TaskKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub type Instant = DateTime<Utc>;

/// What the KPIs need to know about a lead, apart from its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadFacts {
    pub code: String,
    pub created_at: Instant,
    pub assigned_at: Option<Instant>,
    pub status: Status,
    pub won_at: Option<Instant>,
    pub lost_at: Option<Instant>,
    pub deal_amount: Option<f64>,
    pub grade: Grade,
    pub source: Source,
    /// The owner's rep key and that rep's team key.
    pub owner: Option<String>,
    pub team: Option<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
    /// Share of the ten profile fields that are filled (0–1).
    pub completeness: f64,
    /// The score's parts: company size, budget match, urgency, decision chain (PRODUCT.md §3).
    #[serde(default)]
    pub parts: [u8; 4],
    /// The strategy variant the lead is followed up by (PRODUCT.md §14).
    #[serde(default)]
    pub strategy: Option<String>,
}

/// The score's parts as the view keeps them.
pub fn parts_of(s: &crate::scoring::Score) -> [u8; 4] {
    let p = |v: u32| v.min(u32::from(u8::MAX)) as u8;
    [p(s.company_size), p(s.budget_match), p(s.urgency), p(s.decision_chain)]
}

mod merge;
#[cfg(test)]
pub(crate) mod tests_support;

/// A lead in the view: its facts plus what its history tells.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewLead {
    pub facts: LeadFacts,
    /// The earliest outbound follow-up.
    pub first_contact_at: Option<Instant>,
    /// Whether the customer ever responded.
    pub responded: bool,
    /// The highest funnel rank the lead ever reached (stage changes and current status).
    pub max_rank: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InteractionFacts {
    pub lead: String,
    pub occurred_at: Instant,
    pub logged_at: Instant,
    pub channel: Channel,
    pub direction: Direction,
    pub responded: bool,
    pub satisfaction: Option<u8>,
    pub stage_before: Status,
    pub stage_after: Status,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskFacts {
    /// The task's id, to follow its completion.
    pub id: String,
    pub lead: String,
    pub kind: TaskKind,
    pub due_at: Instant,
    pub done_at: Option<Instant>,
    /// Who does it (the lead's owner for cadence tasks; anyone for a manual one).
    #[serde(default)]
    pub owner: Option<String>,
    /// A manual task's title (cadence tasks are named by their kind).
    #[serde(default)]
    pub title: Option<String>,
    /// The quadrant its author chose (none: by the lead's grade).
    #[serde(default)]
    pub priority: Option<crate::domain::enums::Quadrant>,
    /// Dropped unfinished (its lead closed): neither due nor missed.
    #[serde(default)]
    pub dropped: bool,
    /// When its owner asked to be reminded (a manual task's; none: when it is due).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remind_at: Option<Instant>,
}

impl TaskFacts {
    /// A task as planned: open, not dropped.
    pub fn planned(id: String, lead: String, kind: TaskKind, due_at: Instant, owner: Option<String>) -> TaskFacts {
        TaskFacts {
            id,
            lead,
            kind,
            due_at,
            done_at: None,
            owner,
            title: None,
            priority: None,
            dropped: false,
            remind_at: None,
        }
    }

    /// Still to do.
    pub fn is_open(&self) -> bool {
        self.done_at.is_none() && !self.dropped
    }

    /// When it reminds its owner: at its reminder time, or when it is due.
    pub fn alert_at(&self) -> Instant {
        self.remind_at.map_or(self.due_at, |r| r.min(self.due_at))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackFacts {
    pub id: String,
    pub lead: String,
    pub received_at: Instant,
    pub resolved_at: Option<Instant>,
    pub confirmed_at: Option<Instant>,
    pub satisfaction: Option<u8>,
}

/// A change the view follows. Facts for an unknown lead are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ViewChange {
    Lead(LeadFacts),
    Interaction(InteractionFacts),
    /// A status change: the view counts where each lead has been; the lead index keeps when
    /// (the weekly report's status changes).
    StageChange {
        lead: String,
        from: Option<Status>,
        to: Status,
        at: Instant,
    },
    Task(TaskFacts),
    Feedback(FeedbackFacts),
    /// Two leads of one customer were merged: `from`'s history now belongs to `into`.
    Merge {
        from: String,
        into: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ViewInteraction {
    pub lead: u32,
    pub occurred_at: Instant,
    pub logged_at: Instant,
    pub satisfaction: Option<u8>,
    pub advanced: bool,
    pub channel: Channel,
    pub inbound: bool,
    pub responded: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ViewTask {
    pub lead: u32,
    pub follow_up: bool,
    pub due_at: Instant,
    pub done_at: Option<Instant>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ViewFeedback {
    pub lead: u32,
    pub received_at: Instant,
    pub resolved_at: Option<Instant>,
    pub confirmed_at: Option<Instant>,
    pub satisfaction: Option<u8>,
}

/// All the facts, indexed by lead.
#[derive(Debug, Default, Clone)]
pub struct AnalyticView {
    pub(crate) leads: Vec<ViewLead>,
    by_code: HashMap<String, u32>,
    pub(crate) interactions: Vec<ViewInteraction>,
    /// The follow-ups logged more than an hour after they happened (the least a workspace's
    /// limit may be), by when they were logged: the last week's late ones are found without
    /// a pass over every follow-up.
    late_logged: std::collections::BTreeSet<(Instant, u32)>,
    pub(crate) tasks: Vec<ViewTask>,
    task_ids: HashMap<String, u32>,
    pub(crate) feedback: Vec<ViewFeedback>,
    feedback_ids: HashMap<String, u32>,
}

/// The least limit a workspace may set for logging a follow-up, in minutes.
const LATE_LOGGED_MINUTES: i64 = 60;

/// True when the follow-up moved the lead forward in the funnel (lost never counts).
pub fn is_advance(before: Status, after: Status) -> bool {
    matches!((before.rank(), after.rank()), (Some(b), Some(a)) if a > b)
}

impl AnalyticView {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn lead_count(&self) -> usize {
        self.leads.len()
    }

    /// The follow-ups logged since `since` more than `limit_hours` after they happened
    /// (PRODUCT.md §7's timely logging): lead code, when it happened, when it was logged.
    pub fn logged_late_since(&self, since: Instant, limit_hours: f64) -> Vec<(&str, Instant, Instant)> {
        let limit = (limit_hours * 60.0) as i64;
        self.late_logged
            .range((since, 0)..)
            .map(|&(_, n)| &self.interactions[n as usize])
            .filter(|i| (i.logged_at - i.occurred_at).num_minutes() > limit)
            .map(|i| (self.leads[i.lead as usize].facts.code.as_str(), i.occurred_at, i.logged_at))
            .collect()
    }

    pub fn interaction_count(&self) -> usize {
        self.interactions.len()
    }

    pub fn lead(&self, code: &str) -> Option<&ViewLead> {
        self.by_code.get(code).map(|&i| &self.leads[i as usize])
    }

    pub fn leads(&self) -> impl Iterator<Item = &ViewLead> {
        self.leads.iter()
    }

    pub fn apply(&mut self, change: ViewChange) {
        match change {
            ViewChange::Lead(facts) => self.upsert_lead(facts),
            ViewChange::Interaction(i) => self.add_interaction(&i),
            ViewChange::StageChange { lead, to, .. } => self.add_stage_change(&lead, to),
            ViewChange::Task(t) => self.upsert_task(t),
            ViewChange::Feedback(f) => self.upsert_feedback(f),
            ViewChange::Merge { from, into } => self.merge_leads(&from, &into),
        }
    }

    pub fn upsert_lead(&mut self, facts: LeadFacts) {
        let rank = facts.status.rank().unwrap_or(0);
        match self.by_code.get(&facts.code) {
            Some(&i) => {
                let lead = &mut self.leads[i as usize];
                lead.max_rank = lead.max_rank.max(rank);
                lead.facts = facts;
            }
            None => {
                self.by_code.insert(facts.code.clone(), self.leads.len() as u32);
                self.leads.push(ViewLead { facts, first_contact_at: None, responded: false, max_rank: rank });
            }
        }
    }

    pub fn add_interaction(&mut self, i: &InteractionFacts) {
        let Some(&idx) = self.by_code.get(&i.lead) else { return };
        let lead = &mut self.leads[idx as usize];
        if i.direction == Direction::Outbound && lead.first_contact_at.is_none_or(|t| i.occurred_at < t) {
            lead.first_contact_at = Some(i.occurred_at);
        }
        lead.responded |= i.responded;
        if (i.logged_at - i.occurred_at).num_minutes() > LATE_LOGGED_MINUTES {
            self.late_logged.insert((i.logged_at, self.interactions.len() as u32));
        }
        self.interactions.push(ViewInteraction {
            lead: idx,
            occurred_at: i.occurred_at,
            logged_at: i.logged_at,
            satisfaction: i.satisfaction,
            advanced: is_advance(i.stage_before, i.stage_after),
            channel: i.channel,
            inbound: i.direction == Direction::Inbound,
            responded: i.responded,
        });
    }

    pub fn add_stage_change(&mut self, code: &str, to: Status) {
        let Some(&idx) = self.by_code.get(code) else { return };
        if let Some(rank) = to.rank() {
            let lead = &mut self.leads[idx as usize];
            lead.max_rank = lead.max_rank.max(rank);
        }
    }

    pub fn upsert_task(&mut self, t: TaskFacts) {
        let Some(&lead) = self.by_code.get(&t.lead) else { return };
        // A dropped task counts neither as due nor as done (PRODUCT.md §7's plan completion).
        let follow_up = t.kind == TaskKind::FollowUp && !t.dropped;
        let task = ViewTask { lead, follow_up, due_at: t.due_at, done_at: t.done_at };
        match self.task_ids.get(&t.id) {
            Some(&i) => self.tasks[i as usize] = task,
            None => {
                self.task_ids.insert(t.id, self.tasks.len() as u32);
                self.tasks.push(task);
            }
        }
    }

    pub fn upsert_feedback(&mut self, f: FeedbackFacts) {
        let Some(&lead) = self.by_code.get(&f.lead) else { return };
        let fb = ViewFeedback {
            lead,
            received_at: f.received_at,
            resolved_at: f.resolved_at,
            confirmed_at: f.confirmed_at,
            satisfaction: f.satisfaction,
        };
        match self.feedback_ids.get(&f.id) {
            Some(&i) => self.feedback[i as usize] = fb,
            None => {
                self.feedback_ids.insert(f.id, self.feedback.len() as u32);
                self.feedback.push(fb);
            }
        }
    }
}

/// Names what a bundle refers to: lead keys to codes and reps to their teams, covering
/// both the bundle and what the workspace already holds.
pub struct BundleNames<'a> {
    pub lead_code: &'a dyn Fn(&str) -> Option<String>,
    pub rep_team: &'a dyn Fn(&str) -> Option<String>,
}

/// The view changes a validated bundle makes; `task_ids` and `feedback_ids` are the ids the
/// records were stored under.
pub fn bundle_changes(
    bundle: &crate::domain::bundle::Bundle,
    scoring: &crate::settings::ScoringSettings,
    names: &BundleNames<'_>,
    task_ids: &[String],
    feedback_ids: &[String],
) -> Vec<ViewChange> {
    let code = |key: &str| (names.lead_code)(key).unwrap_or_default();
    let mut out = Vec::with_capacity(
        bundle.leads.len() + bundle.stage_changes.len() + bundle.interactions.len() + bundle.tasks.len(),
    );
    for l in &bundle.leads {
        let team = l.owner.as_deref().and_then(|o| (names.rep_team)(o));
        out.push(ViewChange::Lead(LeadFacts::of_record(l, scoring, team)));
    }
    for s in &bundle.stage_changes {
        out.push(ViewChange::StageChange { lead: code(&s.lead), from: s.from, to: s.to, at: s.at });
    }
    for i in &bundle.interactions {
        out.push(ViewChange::Interaction(InteractionFacts {
            lead: code(&i.lead),
            occurred_at: i.occurred_at,
            logged_at: i.logged_at,
            channel: i.channel,
            direction: i.direction,
            responded: i.responded,
            satisfaction: i.satisfaction,
            stage_before: i.stage_before,
            stage_after: i.stage_after,
        }));
    }
    for (t, id) in bundle.tasks.iter().zip(task_ids) {
        out.push(ViewChange::Task(TaskFacts {
            done_at: t.done_at,
            title: t.title.clone(),
            ..TaskFacts::planned(id.clone(), code(&t.lead), t.kind, t.due_at, t.owner.clone())
        }));
    }
    for (f, id) in bundle.feedback.iter().zip(feedback_ids) {
        out.push(ViewChange::Feedback(FeedbackFacts {
            id: id.clone(),
            lead: code(&f.lead),
            received_at: f.received_at,
            resolved_at: f.resolved_at,
            confirmed_at: f.customer_confirmed_at,
            satisfaction: f.satisfaction,
        }));
    }
    out
}

impl AnalyticView {
    /// Builds the view of a validated bundle on its own (tests, benchmarks).
    pub fn from_bundle(
        bundle: &crate::domain::bundle::Bundle,
        scoring: &crate::settings::ScoringSettings,
    ) -> AnalyticView {
        let codes: HashMap<&str, &str> = bundle.leads.iter().map(|l| (l.key.as_str(), l.code.as_str())).collect();
        let teams = bundle.rep_teams();
        let lead_code = |k: &str| codes.get(k).map(|c| (*c).to_owned());
        let rep_team = |r: &str| teams.get(r).copied().flatten().map(str::to_owned);
        let names = BundleNames { lead_code: &lead_code, rep_team: &rep_team };
        let ids = |n: usize| (0..n).map(|i| i.to_string()).collect::<Vec<_>>();
        let mut view = AnalyticView::new();
        for change in bundle_changes(bundle, scoring, &names, &ids(bundle.tasks.len()), &ids(bundle.feedback.len())) {
            view.apply(change);
        }
        view
    }
}

impl LeadFacts {
    /// The facts of an imported lead, graded with the workspace's rules.
    pub fn of_record(
        l: &crate::domain::bundle::LeadRecord,
        scoring: &crate::settings::ScoringSettings,
        team: Option<String>,
    ) -> LeadFacts {
        let p = &l.profile;
        let score = crate::scoring::score(&p.score_inputs(), scoring);
        LeadFacts {
            code: l.code.clone(),
            created_at: l.created_at,
            assigned_at: l.assigned_at,
            status: l.status,
            won_at: l.won_at,
            lost_at: l.lost_at,
            deal_amount: l.deal_amount,
            grade: score.grade,
            source: p.source.unwrap_or(Source::Other),
            owner: l.owner.clone(),
            team,
            region: p.region.clone(),
            industry: p.industry.clone(),
            completeness: p.completeness(),
            parts: parts_of(&score),
            strategy: p.strategy.clone(),
        }
    }
}

impl LeadFacts {
    /// The facts of a stored lead.
    pub fn of_lead(l: &crate::domain::lead::Lead) -> LeadFacts {
        LeadFacts {
            code: l.code.clone(),
            created_at: l.created_at,
            assigned_at: l.assigned_at,
            status: l.status,
            won_at: l.won_at,
            lost_at: l.lost_at,
            deal_amount: l.deal_amount,
            grade: l.grade,
            source: l.profile.source.unwrap_or(Source::Other),
            owner: l.owner.clone(),
            team: l.team.clone(),
            region: l.profile.region.clone(),
            industry: l.profile.industry.clone(),
            completeness: l.profile.completeness(),
            parts: parts_of(&l.score),
            strategy: l.profile.strategy.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_never_counts_as_an_advance() {
        assert!(!is_advance(Status::Negotiation, Status::Lost));
        assert!(!is_advance(Status::Lost, Status::Contacted));
        assert!(is_advance(Status::New, Status::Contacted));
        assert!(!is_advance(Status::Proposal, Status::Proposal));
        assert!(!is_advance(Status::Proposal, Status::Qualified));
    }

    #[test]
    fn follow_ups_logged_late_are_found_by_when_they_were_logged_past_the_limit() {
        use super::tests_support::{at, follow_up, lead};
        let mut view = AnalyticView::new();
        view.apply(ViewChange::Lead(lead("L1")));
        let logged = |day: u32, hours: i64| InteractionFacts {
            logged_at: at(day) + chrono::Duration::hours(hours),
            ..follow_up("L1", day, true)
        };
        // On time, 30 hours late, 2 hours late, and 30 hours late but logged before the week.
        for (day, hours) in [(20, 0), (21, 30), (22, 2), (5, 30)] {
            view.apply(ViewChange::Interaction(logged(day, hours)));
        }
        let since = at(15);
        let found = |limit: f64| -> Vec<Instant> {
            view.logged_late_since(since, limit).into_iter().map(|(_, occurred, _)| occurred).collect()
        };
        assert_eq!(found(24.0), vec![at(21)]);
        assert_eq!(found(1.0), vec![at(22), at(21)], "in the order they were logged");
        assert!(found(48.0).is_empty());
        // Exactly at the limit is on time.
        assert_eq!(found(30.0), Vec::<Instant>::new());
    }
}
