//! The feedback loop (客户需求分析表, PRODUCT.md §13, API.md "Follow-up work"): feedback is
//! recorded on a lead (its priority suggested from the lead's grade and its type), its 5-Why
//! chain ends in a root cause, and it moves open → in progress → resolved → confirmed.
//! `resolve_now` gets a task due in 24 hours; resolving it plans the confirmation call the
//! workspace's confirmation days later (3 by default); confirming records the customer's
//! satisfaction. Every write goes with its audit rows and tasks in one transaction.
pub use crate::domain::commands::{FeedbackPatch, NewFeedback};
use crate::domain::enums::{FeedbackStatus, FeedbackType, Priority, Resolution, TaskKind};
use crate::domain::feedback::{can_move, suggest_priority, Feedback};
use crate::domain::validate::ProblemCode;
use crate::kpi::{FeedbackFacts, Period, TaskFacts, ViewChange};
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::feedback as repo;
use crate::ssr::repo::leads::random_id;
use crate::ssr::state::AppState;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use surrealdb::types::Value as DbValue;

fn audit(actor: &Actor, id: &str, field: &str, old: Value, new: Value, at: DateTime<Utc>) -> Doc {
    Doc::new()
        .time("at", at)
        .set("actor", actor.user.clone())
        .set("record", format!("feedback:{id}"))
        .set("field", field.to_string())
        .set("old", old)
        .set("new", new)
}

/// A task of a piece of feedback, as written and as the views follow it.
struct FeedbackTask {
    id: String,
    doc: Doc,
    facts: TaskFacts,
}

fn feedback_task(
    feedback: &str,
    lead: &str,
    owner: Option<&str>,
    kind: TaskKind,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> FeedbackTask {
    let id = random_id();
    let doc = Doc::new()
        .link("lead", "lead", lead)
        .opt_link("owner", "rep", owner)
        .link("feedback", "feedback", feedback)
        .set("kind", kind.key().to_string())
        .set("quadrant", crate::domain::enums::Quadrant::UrgentImportant.key().to_string())
        .time("due_at", due)
        .time("created_at", now);
    let facts = TaskFacts {
        priority: Some(crate::domain::enums::Quadrant::UrgentImportant),
        ..TaskFacts::planned(id.clone(), lead.to_string(), kind, due, owner.map(str::to_owned))
    };
    FeedbackTask { id, doc, facts }
}

/// Statements creating a write's tasks (at most two: the names they are bound by are fixed).
fn create_tasks(tasks: &[FeedbackTask]) -> (String, Vec<(&'static str, DbValue)>) {
    const NAMES: [(&str, &str); 2] = [("fb_task_id_0", "fb_task_0"), ("fb_task_id_1", "fb_task_1")];
    let mut sql = String::new();
    let mut bind = Vec::new();
    for (t, (id, doc)) in tasks.iter().zip(NAMES) {
        sql.push_str(&format!("CREATE type::record('task', ${id}) CONTENT ${doc} RETURN NONE;"));
        bind.push((id, DbValue::String(t.id.clone())));
        bind.push((doc, t.doc.clone().into_value()));
    }
    (sql, bind)
}

pub(crate) fn facts_of(f: &Feedback) -> FeedbackFacts {
    FeedbackFacts {
        id: f.id.clone(),
        lead: f.lead.clone(),
        received_at: f.received_at,
        resolved_at: f.resolved_at,
        confirmed_at: f.customer_confirmed_at,
        satisfaction: f.satisfaction,
    }
}

/// A rep who may take a piece of feedback: an active rep.
async fn check_owner(state: &AppState, owner: &str) -> ApiResult<()> {
    let reps = crate::ssr::repo::leads::active_reps(&state.db).await?;
    if reps.iter().any(|r| r.key == owner) {
        Ok(())
    } else {
        Err(ApiError::invalid("owner", ProblemCode::UnknownRecord, format!("`{owner}` is not an active rep")))
    }
}

/// Records feedback on a lead the actor may change.
pub async fn create(state: &AppState, actor: &Actor, code: &str, cmd: NewFeedback) -> ApiResult<Feedback> {
    let lead = super::visible_lead(state, actor, code).await?;
    if !actor.can_edit(lead.owner.as_deref(), lead.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not record feedback on this lead".into()));
    }
    let now = Utc::now();
    let received_at = cmd.received_at.unwrap_or(now);
    if received_at > now + Duration::minutes(5) {
        return Err(ApiError::invalid("received_at", ProblemCode::BadOrder, "is in the future"));
    }
    let owner = cmd.owner.clone().or_else(|| lead.owner.clone());
    if let Some(o) = &owner {
        check_owner(state, o).await?;
    }
    let id = random_id();
    let feedback = Feedback {
        id: id.clone(),
        lead: lead.code.clone(),
        received_at,
        channel: cmd.channel,
        kind: cmd.kind,
        priority: cmd.priority.unwrap_or_else(|| suggest_priority(lead.grade, cmd.kind)),
        summary: Some(cmd.summary),
        why: cmd.why,
        root_cause: cmd.root_cause,
        resolution: cmd.resolution,
        plan: cmd.plan,
        owner,
        due_at: cmd.due_at,
        status: FeedbackStatus::Open,
        resolved_at: None,
        customer_confirmed_at: None,
        satisfaction: None,
    };
    let doc = Doc::new()
        .link("lead", "lead", &lead.code)
        .time("received_at", received_at)
        .opt("channel", feedback.channel.map(|c| c.key().to_string()))
        .set("kind", feedback.kind.key().to_string())
        .set("priority", feedback.priority.key().to_string())
        .opt("summary", feedback.summary.clone())
        .strings("why_chain", &feedback.why)
        .opt("root_cause", feedback.root_cause.clone())
        .opt("resolution", feedback.resolution.map(|r| r.key().to_string()))
        .opt("plan", feedback.plan.clone())
        .opt_link("owner", "rep", feedback.owner.as_deref())
        .opt_time("due_at", feedback.due_at)
        .set("status", FeedbackStatus::Open.key().to_string())
        .time("created_at", now)
        .set("created_by", actor.user.clone());
    // Resolving now means within 24 hours.
    let tasks: Vec<FeedbackTask> = (feedback.resolution == Some(Resolution::ResolveNow))
        .then(|| {
            feedback_task(
                &id,
                &lead.code,
                feedback.owner.as_deref(),
                TaskKind::Feedback,
                now + Duration::hours(24),
                now,
            )
        })
        .into_iter()
        .collect();
    let (sql, bind) = create_tasks(&tasks);
    let row = audit(
        actor,
        &id,
        "created",
        Value::Null,
        json!({"lead": lead.code, "type": feedback.kind, "priority": feedback.priority}),
        now,
    );
    repo::write(&state.db, &id, doc, true, vec![row], &sql, bind).await?;
    let mut changes = vec![ViewChange::Feedback(facts_of(&feedback))];
    changes.extend(tasks.into_iter().map(|t| ViewChange::Task(t.facts)));
    state.apply_facts(vec![feedback.clone()], changes).await;
    Ok(feedback)
}

/// A piece of feedback and its lead, when the actor may see them.
async fn visible(state: &AppState, actor: &Actor, id: &str) -> ApiResult<(Feedback, crate::domain::board::BoardCard)> {
    let index = state.index.read().await;
    match index.feedback(id).and_then(|f| index.get(&f.lead).map(|c| (f, c))) {
        Some((f, c)) if may_see(actor, f, c) => Ok((f.clone(), c.clone())),
        _ => Err(ApiError::NotFound(format!("no feedback `{id}`"))),
    }
}

/// May the actor see this feedback? On a lead they may see, or handed to them.
fn may_see(actor: &Actor, f: &Feedback, card: &crate::domain::board::BoardCard) -> bool {
    actor.can_see_record(f.owner.as_ref(), card)
}

pub async fn get(state: &AppState, actor: &Actor, id: &str) -> ApiResult<Feedback> {
    Ok(visible(state, actor, id).await?.0)
}

/// Changes a piece of feedback: its fields and its status. Resolving sets `resolved_at`
/// (now unless given), finishes its handling task and plans the confirmation call;
/// confirming sets `customer_confirmed_at` and finishes that call.
pub async fn update(state: &AppState, actor: &Actor, id: &str, cmd: FeedbackPatch) -> ApiResult<Feedback> {
    let (before, lead) = visible(state, actor, id).await?;
    if !actor.holds(before.owner.as_ref()) && !actor.can_edit(lead.owner.as_deref(), lead.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not change this feedback".into()));
    }
    let now = Utc::now();
    let mut after = before.clone();
    let to = cmd.status.unwrap_or(before.status);
    if !can_move(before.status, to) {
        return Err(ApiError::invalid(
            "status",
            ProblemCode::BadOrder,
            format!("feedback cannot go from {} back to {}", before.status.key(), to.key()),
        ));
    }
    if let Some(o) = cmd.owner.as_ref().filter(|o| before.owner.as_ref() != Some(*o)) {
        check_owner(state, o).await?;
        after.owner = Some(o.clone());
    }
    after.kind = cmd.kind.unwrap_or(before.kind);
    after.priority = cmd.priority.unwrap_or(before.priority);
    after.channel = cmd.channel.or(before.channel);
    after.summary = cmd.summary.clone().or(before.summary.clone());
    after.why = cmd.why.clone().unwrap_or(before.why.clone());
    after.root_cause = cmd.root_cause.clone().or(before.root_cause.clone());
    after.resolution = cmd.resolution.or(before.resolution);
    after.plan = cmd.plan.clone().or(before.plan.clone());
    after.due_at = cmd.due_at.or(before.due_at);
    after.status = to;
    after.satisfaction = cmd.satisfaction.or(before.satisfaction);
    let settings = state.settings.read().await.clone();
    let mut new_tasks = Vec::new();
    let mut finish: Vec<String> = Vec::new();
    let open = repo::open_tasks(&state.db, id).await?;
    let resolving = matches!(to, FeedbackStatus::Resolved | FeedbackStatus::Confirmed);
    if resolving {
        let resolved_at = cmd.resolved_at.or(before.resolved_at).unwrap_or(now);
        if resolved_at < before.received_at || resolved_at > now + Duration::minutes(5) {
            return Err(ApiError::invalid(
                "resolved_at",
                ProblemCode::BadOrder,
                "must fall between receiving it and now",
            ));
        }
        after.resolved_at = Some(resolved_at);
        finish.extend(open.iter().filter(|(_, k)| k == TaskKind::Feedback.key()).map(|(i, _)| i.clone()));
        if before.resolved_at.is_none() && to == FeedbackStatus::Resolved {
            let due = resolved_at + Duration::minutes((settings.feedback_confirm_days * 24.0 * 60.0) as i64);
            new_tasks.push(feedback_task(
                id,
                &before.lead,
                after.owner.as_deref(),
                TaskKind::ConfirmFeedback,
                due,
                now,
            ));
        }
    } else if before.resolved_at.is_some() {
        // Back to in progress: the customer was not satisfied; the call is no longer due.
        after.resolved_at = None;
    }
    if to == FeedbackStatus::Confirmed {
        let confirmed = cmd.customer_confirmed_at.or(before.customer_confirmed_at).unwrap_or(now);
        if Some(confirmed) < after.resolved_at || confirmed > now + Duration::minutes(5) {
            return Err(ApiError::invalid(
                "customer_confirmed_at",
                ProblemCode::BadOrder,
                "must fall between resolving it and now",
            ));
        }
        after.customer_confirmed_at = Some(confirmed);
        finish.extend(open.iter().filter(|(_, k)| k == TaskKind::ConfirmFeedback.key()).map(|(i, _)| i.clone()));
    } else if cmd.customer_confirmed_at.is_some() {
        return Err(ApiError::invalid("customer_confirmed_at", ProblemCode::BadOrder, "comes with status `confirmed`"));
    }
    // A resolve_now decided later gets its 24-hour task too.
    if after.resolution == Some(Resolution::ResolveNow)
        && before.resolution != Some(Resolution::ResolveNow)
        && !resolving
        && !open.iter().any(|(_, k)| k == TaskKind::Feedback.key())
    {
        new_tasks.push(feedback_task(
            id,
            &before.lead,
            after.owner.as_deref(),
            TaskKind::Feedback,
            now + Duration::hours(24),
            now,
        ));
    }
    // Tasks no longer due once back in progress: the confirmation call.
    if to == FeedbackStatus::InProgress && before.status == FeedbackStatus::Resolved {
        finish.extend(open.iter().filter(|(_, k)| k == TaskKind::ConfirmFeedback.key()).map(|(i, _)| i.clone()));
    }

    let opt_str = |v: &Option<String>| v.clone().map_or(DbValue::None, DbValue::String);
    let opt_time = |v: Option<DateTime<Utc>>| v.map_or(DbValue::None, |t| DbValue::Datetime(t.into()));
    let doc = Doc::new()
        .set("kind", after.kind.key().to_string())
        .set("priority", after.priority.key().to_string())
        .set("channel", after.channel.map_or(DbValue::None, |c| DbValue::String(c.key().to_string())))
        .set("summary", opt_str(&after.summary))
        .strings("why_chain", &after.why)
        .set("root_cause", opt_str(&after.root_cause))
        .set("resolution", after.resolution.map_or(DbValue::None, |r| DbValue::String(r.key().to_string())))
        .set("plan", opt_str(&after.plan))
        .set(
            "owner",
            after.owner.as_deref().map_or(DbValue::None, |o| DbValue::RecordId(crate::ssr::db::record("rep", o))),
        )
        .set("due_at", opt_time(after.due_at))
        .set("status", after.status.key().to_string())
        .set("resolved_at", opt_time(after.resolved_at))
        .set("customer_confirmed_at", opt_time(after.customer_confirmed_at))
        .opt("satisfaction", after.satisfaction.map(i64::from));
    let b = serde_json::to_value(&before).unwrap_or_default();
    let a = serde_json::to_value(&after).unwrap_or_default();
    let audits: Vec<Doc> = FeedbackPatch::FIELDS
        .iter()
        .filter(|f| b[**f] != a[**f])
        .map(|f| audit(actor, id, f, b[*f].clone(), a[*f].clone(), now))
        .collect();
    let (mut sql, mut bind) = create_tasks(&new_tasks);
    if !finish.is_empty() {
        sql.push_str("FOR $t IN $fb_done { UPDATE type::record('task', $t) SET done_at = $fb_now RETURN NONE; };");
        bind.push(("fb_done", DbValue::Array(finish.iter().map(|t| DbValue::String(t.clone())).collect())));
        bind.push(("fb_now", DbValue::Datetime(now.into())));
    }
    repo::write(&state.db, id, doc, false, audits, &sql, bind).await?;
    let mut changes = vec![ViewChange::Feedback(facts_of(&after))];
    {
        let index = state.index.read().await;
        for t in &finish {
            if let Some(open) = index.open_task(t) {
                changes.push(ViewChange::Task(TaskFacts { done_at: Some(now), ..open.clone() }));
            }
        }
    }
    changes.extend(new_tasks.into_iter().map(|t| ViewChange::Task(t.facts)));
    state.apply_facts(vec![after.clone()], changes).await;
    Ok(after)
}

/// The feedback the actor may see received in the period (any time without one), newest first,
/// of a type and a status when asked.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    period: Option<&Period>,
    kind: Option<FeedbackType>,
    status: Option<FeedbackStatus>,
) -> ApiResult<Vec<Feedback>> {
    let index = state.index.read().await;
    let mut found: Vec<Feedback> = index
        .feedback_where(
            |f| {
                period.is_none_or(|p| f.received_at >= p.start && f.received_at < p.end)
                    && kind.is_none_or(|k| k == f.kind)
                    && status.is_none_or(|s| s == f.status)
            },
            |f, card| may_see(actor, f, card),
        )
        .into_iter()
        .cloned()
        .collect();
    found.sort_by(|a, b| b.received_at.cmp(&a.received_at).then_with(|| a.id.cmp(&b.id)));
    Ok(found)
}

/// How often a key occurs and its share of the whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub key: String,
    pub count: usize,
    pub share: f64,
}

/// `/api/v1/feedback/stats`: the feedback received in the period by type, priority and
/// resolution; the closure (feedback resolved in the period and confirmed by the customer
/// within the confirmation days, over feedback resolved in the period: the dashboard's KPI,
/// computed by the same engine) and the median days from receiving to resolving over the
/// feedback resolved in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackStats {
    pub total: usize,
    pub by_type: Vec<Share>,
    pub by_priority: Vec<Share>,
    pub by_resolution: Vec<Share>,
    pub closure: Option<f64>,
    pub median_days_to_resolve: Option<f64>,
    /// The root causes named, most frequent first.
    pub root_causes: Vec<Share>,
}

fn shares<'a>(keys: impl Iterator<Item = &'a str>, order: &[&'a str], total: usize) -> Vec<Share> {
    let keys: Vec<&str> = keys.collect();
    order
        .iter()
        .map(|k| {
            let count = keys.iter().filter(|x| *x == k).count();
            Share { key: k.to_string(), count, share: if total == 0 { 0.0 } else { count as f64 / total as f64 } }
        })
        .collect()
}

pub async fn stats(state: &AppState, actor: &Actor, period: &Period) -> ApiResult<FeedbackStats> {
    let confirm_hours = state.settings.read().await.feedback_confirm_days * 24.0;
    let index = state.index.read().await;
    let in_period = |t: DateTime<Utc>| t >= period.start && t < period.end;
    let received: Vec<&Feedback> =
        index.feedback_where(|f| in_period(f.received_at), |f, card| may_see(actor, f, card));
    let total = received.len();
    let types: Vec<&str> = FeedbackType::ALL.iter().map(|k| k.key()).collect();
    let priorities: Vec<&str> = Priority::ALL.iter().map(|k| k.key()).collect();
    let mut resolutions: Vec<&str> = Resolution::ALL.iter().map(|k| k.key()).collect();
    resolutions.push("none");
    let by_type = shares(received.iter().map(|f| f.kind.key()), &types, total);
    let by_priority = shares(received.iter().map(|f| f.priority.key()), &priorities, total);
    let by_resolution = shares(received.iter().map(|f| f.resolution.map_or("none", |r| r.key())), &resolutions, total);
    let mut causes: Vec<Share> = Vec::new();
    for cause in received.iter().filter_map(|f| f.root_cause.as_deref()) {
        match causes.iter_mut().find(|c| c.key == cause) {
            Some(c) => c.count += 1,
            None => causes.push(Share { key: cause.to_string(), count: 1, share: 0.0 }),
        }
    }
    for c in &mut causes {
        c.share = c.count as f64 / total.max(1) as f64;
    }
    causes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    // Resolved in the period, whenever received: the days it took, and the closure — the
    // dashboard's KPI (PRODUCT.md §7): confirmed by the customer within the confirmation days
    // of resolving, over resolved (the engine's rule; a test holds them equal).
    let resolved: Vec<&Feedback> =
        index.feedback_where(|f| f.resolved_at.is_some_and(in_period), |_, card| may_see_lead(actor, card));
    let mut days: Vec<f64> = resolved
        .iter()
        .filter_map(|f| f.resolved_at.map(|r| (r - f.received_at).num_seconds() as f64 / 86_400.0))
        .collect();
    days.sort_by(f64::total_cmp);
    let median_days_to_resolve = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2]),
        n => Some((days[n / 2 - 1] + days[n / 2]) / 2.0),
    };
    let closed = resolved
        .iter()
        .filter(|f| match (f.resolved_at, f.customer_confirmed_at) {
            (Some(r), Some(c)) => (c - r).num_milliseconds() as f64 / 3_600_000.0 <= confirm_hours,
            _ => false,
        })
        .count();
    let closure = (!resolved.is_empty()).then(|| closed as f64 / resolved.len() as f64);
    Ok(FeedbackStats {
        total,
        by_type,
        by_priority,
        by_resolution,
        closure,
        median_days_to_resolve,
        root_causes: causes,
    })
}

/// The KPIs count feedback on the leads a user may see (not feedback handed to them).
fn may_see_lead(actor: &Actor, card: &crate::domain::board::BoardCard) -> bool {
    actor.can_see(card.owner.as_deref(), card.team.as_deref())
}
