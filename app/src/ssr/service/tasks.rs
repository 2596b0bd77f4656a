//! Tasks and the response SLA (API.md "Follow-up work", PRODUCT.md §4, §5, §13): the open
//! tasks come from the lead index (every open task of a 100,000-lead workspace answers
//! without a database scan), done ones from the database; a manual task is made and a task
//! done through here, each with its audit row, in one transaction.
use crate::domain::board::BoardCard;
pub use crate::domain::commands::NewTask;
use crate::domain::enums::{Role, TaskKind};
use crate::domain::routine::{quadrant, sla_clock, SlaRow, SlaState, TaskRow};
use crate::domain::validate::ProblemCode;
use crate::kpi::TaskFacts;
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

/// Which tasks a list asks for (every field optional).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskQuery {
    pub lead: Option<String>,
    pub owner: Option<String>,
    /// `open` (the default) or `done`.
    pub status: Option<String>,
    pub due_before: Option<DateTime<Utc>>,
    pub kind: Option<TaskKind>,
}

/// At most this many tasks in one answer (the soonest due first).
pub const MAX_TASKS: usize = 2_000;

/// May `actor` see this task? Their own, or one on a lead they may see.
fn may_see(actor: &Actor, task: &TaskFacts, card: &BoardCard) -> bool {
    (task.owner.is_some() && task.owner == actor.rep) || actor.can_see(card.owner.as_deref(), card.team.as_deref())
}

/// A task as shown, its quadrant worked out for `today`.
pub fn row(task: &TaskFacts, card: &BoardCard, today: NaiveDate, tz: &chrono_tz::Tz) -> TaskRow {
    let due_day = task.due_at.with_timezone(tz).date_naive();
    TaskRow {
        id: task.id.clone(),
        lead: card.code.clone(),
        company: card.company.clone(),
        grade: card.grade,
        status: card.status,
        owner: task.owner.clone(),
        owner_name: if task.owner == card.owner { card.owner_name.clone() } else { None },
        kind: task.kind,
        title: task.title.clone(),
        priority: quadrant(task.priority, card.grade, due_day, today),
        due_at: task.due_at,
        done_at: task.done_at,
    }
}

/// The open tasks `actor` may see under `q`, soonest due first: a closed lead's cadence
/// tasks are not listed (nothing is left to follow up).
pub async fn open(state: &AppState, actor: &Actor, q: &TaskQuery) -> Vec<TaskRow> {
    let tz = state.settings.read().await.tz();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let index = state.index.read().await;
    let mut rows: Vec<TaskRow> = index
        .open_tasks_where(|t, card| {
            may_see(actor, t, card)
                && !(t.kind == TaskKind::FollowUp && card.status.is_closed())
                && q.lead.as_ref().is_none_or(|l| *l == t.lead)
                && q.owner.as_ref().is_none_or(|o| t.owner.as_ref() == Some(o))
                && q.due_before.is_none_or(|d| t.due_at < d)
                && q.kind.is_none_or(|k| k == t.kind)
        })
        .into_iter()
        .map(|(t, card)| row(t, card, today, &tz))
        .collect();
    rows.sort_by(|a, b| a.due_at.cmp(&b.due_at).then_with(|| a.id.cmp(&b.id)));
    rows.truncate(MAX_TASKS);
    rows
}

/// The tasks `actor` may see under `q`: open ones from the index, done ones (newest first)
/// from the database.
pub async fn list(state: &AppState, actor: &Actor, q: &TaskQuery) -> ApiResult<Vec<TaskRow>> {
    match q.status.as_deref() {
        None | Some("open") => Ok(open(state, actor, q).await),
        Some("done") => done(state, actor, q).await,
        Some(other) => Err(ApiError::invalid(
            "status",
            ProblemCode::UnknownValue,
            format!("`{other}` is not a task status (open, done)"),
        )),
    }
}

async fn done(state: &AppState, actor: &Actor, q: &TaskQuery) -> ApiResult<Vec<TaskRow>> {
    let found = crate::ssr::repo::tasks::done(&state.db, q, MAX_TASKS).await?;
    let tz = state.settings.read().await.tz();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let index = state.index.read().await;
    Ok(found
        .iter()
        .filter_map(|t| index.get(&t.lead).filter(|card| may_see(actor, t, card)).map(|card| row(t, card, today, &tz)))
        .collect())
}

fn audit(actor: &Actor, id: &str, field: &str, new: Value, at: DateTime<Utc>) -> Doc {
    Doc::new()
        .time("at", at)
        .set("actor", actor.user.clone())
        .set("record", format!("task:{id}"))
        .set("field", field.to_string())
        .set("old", Value::Null)
        .set("new", new)
}

/// Makes a manual task on a lead the actor may change, for them or a colleague.
pub async fn create(state: &AppState, actor: &Actor, cmd: NewTask) -> ApiResult<TaskRow> {
    let lead = super::visible_lead(state, actor, &cmd.lead).await?;
    if !actor.can_edit(lead.owner.as_deref(), lead.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not plan tasks on this lead".into()));
    }
    let owner = match cmd.owner.clone().or_else(|| actor.rep.clone()).or_else(|| lead.owner.clone()) {
        Some(o) => o,
        None => {
            return Err(ApiError::invalid("owner", ProblemCode::Required, "is required: this account is not a rep"))
        }
    };
    let reps = crate::ssr::repo::leads::active_reps(&state.db).await?;
    if !reps.iter().any(|r| r.key == owner) {
        return Err(ApiError::invalid("owner", ProblemCode::UnknownRecord, format!("`{owner}` is not an active rep")));
    }
    let now = Utc::now();
    let id = crate::ssr::repo::leads::random_id();
    let doc = Doc::new()
        .link("lead", "lead", &lead.code)
        .link("owner", "rep", &owner)
        .set("kind", TaskKind::Manual.key().to_string())
        .set("title", cmd.title.clone())
        .opt("quadrant", cmd.priority.map(|p| p.key().to_string()))
        .time("due_at", cmd.due_at)
        .opt_time("remind_at", cmd.remind_at)
        .time("created_at", now)
        .set("created_by", actor.user.clone());
    let audit_row = audit(actor, &id, "created", json!({"lead": lead.code, "owner": owner, "title": cmd.title}), now);
    crate::ssr::repo::tasks::create(&state.db, &id, doc, audit_row).await?;
    let facts = TaskFacts {
        title: Some(cmd.title),
        priority: cmd.priority,
        ..TaskFacts::planned(id.clone(), lead.code.clone(), TaskKind::Manual, cmd.due_at, Some(owner))
    };
    state.apply_tasks(vec![facts.clone()]).await;
    let tz = state.settings.read().await.tz();
    let today = now.with_timezone(&tz).date_naive();
    let card = BoardCard::of_lead(&lead);
    Ok(row(&facts, &card, today, &tz))
}

/// Marks an open task done: its owner, or anyone who may change its lead.
pub async fn mark_done(state: &AppState, actor: &Actor, id: &str) -> ApiResult<TaskRow> {
    let (task, card) = {
        let index = state.index.read().await;
        match index.open_task(id).and_then(|t| index.get(&t.lead).map(|c| (t.clone(), c.clone()))) {
            Some((t, c)) if may_see(actor, &t, &c) => (t, c),
            _ => return Err(ApiError::NotFound(format!("no open task `{id}`"))),
        }
    };
    let own = task.owner.is_some() && task.owner == actor.rep;
    if !own && !actor.can_edit(card.owner.as_deref(), card.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not close this task".into()));
    }
    if actor.role == Role::Rep && !own && card.owner != actor.rep {
        return Err(ApiError::Forbidden("a rep closes own tasks only".into()));
    }
    let now = Utc::now();
    let audit_row = audit(actor, id, "done_at", json!(now), now);
    if !crate::ssr::repo::tasks::finish(&state.db, id, now, audit_row).await? {
        return Err(ApiError::NotFound(format!("no open task `{id}`")));
    }
    let done = TaskFacts { done_at: Some(now), ..task };
    state.apply_tasks(vec![done.clone()]).await;
    let tz = state.settings.read().await.tz();
    Ok(row(&done, &card, now.with_timezone(&tz).date_naive(), &tz))
}

/// The open leads `actor` may see past (`breached`) or near (`due_soon`, past 75 %) their
/// response SLA, the most urgent first; both when `state` is none.
pub async fn sla(state: &AppState, actor: &Actor, wanted: Option<SlaState>) -> Vec<SlaRow> {
    let settings = state.settings.read().await.clone();
    let now = Utc::now();
    let index = state.index.read().await;
    let mut rows: Vec<SlaRow> = Vec::new();
    for (card, first) in index.cards_where(|card, first| first.is_none() && !card.status.is_closed()) {
        if !actor.can_see(card.owner.as_deref(), card.team.as_deref()) {
            continue;
        }
        let Some(clock) = sla_clock(card.created_at, first, card.status, card.grade, &settings.sla, now) else {
            continue;
        };
        let listed = match wanted {
            Some(w) => clock.state == w,
            None => clock.state != SlaState::Running,
        };
        if listed {
            rows.push(SlaRow {
                lead: card.code.clone(),
                company: card.company.clone(),
                grade: card.grade,
                status: card.status,
                owner: card.owner.clone(),
                owner_name: card.owner_name.clone(),
                created_at: card.created_at,
                due_at: clock.due_at,
                state: clock.state.key().to_string(),
            });
        }
    }
    rows.sort_by(|a, b| a.due_at.cmp(&b.due_at).then_with(|| a.lead.cmp(&b.lead)));
    rows
}
