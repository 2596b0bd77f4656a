//! Tasks and the response SLA (API.md "Follow-up work", PRODUCT.md §4, §5, §13): the open
//! tasks come from the lead index (every open task of a 100,000-lead workspace answers
//! without a database scan), done ones from the database; a manual task is made and a task
//! done through here, each with its audit row, in one transaction.
use crate::domain::board::BoardCard;
pub use crate::domain::commands::NewTask;
use crate::domain::enums::{Quadrant, Role, TaskKind};
use crate::domain::routine::{quadrant, sla_clock, Reminders, SlaRow, SlaState, TaskRow};
use crate::domain::validate::ProblemCode;
use crate::kpi::TaskFacts;
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::index::DayScope;
use crate::ssr::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Which tasks a list asks for (every field optional).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskQuery {
    pub lead: Option<String>,
    pub owner: Option<String>,
    /// `open` (the default) or `done`.
    pub status: Option<String>,
    pub due_before: Option<DateTime<Utc>>,
    pub kind: Option<TaskKind>,
    /// How many at most (1–2,000; 200 unless asked).
    pub limit: Option<usize>,
}

/// At most this many tasks in one answer (the soonest due first), and as many unless the
/// caller asks for more.
pub const MAX_TASKS: usize = 2_000;
pub const DEFAULT_LIMIT: usize = 200;

/// May `actor` see this task? Their own, or one on a lead they may see.
fn may_see(actor: &Actor, task: &TaskFacts, card: &BoardCard) -> bool {
    actor.can_see_record(task.owner.as_ref(), card)
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
        remind_at: task.remind_at,
    }
}

/// What reminds `actor` at `now`: their own tasks whose time has come, as My day counts them.
pub async fn reminders(state: &AppState, actor: &Actor, now: DateTime<Utc>, lang: crate::i18n::Lang) -> Reminders {
    let Some(rep) = &actor.rep else { return Reminders { due: 0, next_at: None, latest: None, text: None } };
    let tz = state.settings.read().await.tz();
    let index = state.index.read().await;
    // The owner's day is ordered by when each task reminds: what has, and the next that will.
    let soon = now + chrono::Duration::nanoseconds(1);
    let reminded = index.day(DayScope::Owner(rep), soon);
    let due = reminded.len();
    let latest = reminded.into_iter().max_by(|a, b| (a.0.alert_at(), &a.0.id).cmp(&(b.0.alert_at(), &b.0.id)));
    let next_at = index.next_alert(rep, soon);
    let today = now.with_timezone(&tz).date_naive();
    let latest = latest.map(|(t, card, _)| row(t, card, today, &tz));
    let text = latest.as_ref().map(|r| {
        let what = r.title.clone().unwrap_or_else(|| r.kind.label(lang).to_string());
        format!("{} · {what}", r.company)
    });
    Reminders { due, next_at, latest, text }
}

/// The open tasks `actor` may see under `q`, soonest due first: a closed lead's cadence
/// tasks are not listed (nothing is left to follow up).
pub async fn open(state: &AppState, actor: &Actor, q: &TaskQuery, limit: usize) -> (Vec<TaskRow>, usize) {
    let tz = state.settings.read().await.tz();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let index = state.index.read().await;
    // Chosen and ordered by reference; only the rows answered are built.
    let wanted = |t: &TaskFacts, card: &BoardCard| {
        // The cadence's own tasks end with the lead.
        !(t.kind.ends_with_lead() && card.status.is_closed())
            && q.lead.as_ref().is_none_or(|l| *l == t.lead)
            && q.owner.as_ref().is_none_or(|o| t.owner.as_ref() == Some(o))
            && q.due_before.is_none_or(|d| t.due_at < d)
            && q.kind.is_none_or(|k| k == t.kind)
    };
    // One owner's tasks are found through their own list; everyone's through the leads, each
    // lead's visibility worked out once for its tasks (as `may_see` has it).
    let mut found = match &q.owner {
        Some(owner) => {
            index.owner_tasks_where(owner, q.due_before, |t, card| may_see(actor, t, card) && wanted(t, card))
        }
        None => index.open_tasks_where(
            |card| actor.can_see(card.owner.as_deref(), card.team.as_deref()),
            |t, card, visible| (visible || actor.holds(t.owner.as_ref())) && wanted(t, card),
        ),
    };
    found.sort_unstable_by(|a, b| a.0.due_at.cmp(&b.0.due_at).then_with(|| a.0.id.cmp(&b.0.id)));
    let total = found.len();
    (found.into_iter().take(limit).map(|(t, card)| row(t, card, today, &tz)).collect(), total)
}

/// The first moment of a local day, as an instant.
fn day_start(day: NaiveDate, tz: &chrono_tz::Tz) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&midnight).earliest().map_or_else(|| midnight.and_utc(), |d| d.with_timezone(&Utc))
}

/// The tasks `actor` may see under `q`: open ones from the index, done ones (newest first)
/// from the database.
pub async fn list(state: &AppState, actor: &Actor, q: &TaskQuery) -> ApiResult<(Vec<TaskRow>, usize)> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_TASKS);
    match q.status.as_deref() {
        None | Some("open") => Ok(open(state, actor, q, limit).await),
        Some("done") => {
            let rows = done(state, actor, q, limit).await?;
            let total = rows.len();
            Ok((rows, total))
        }
        Some(other) => Err(ApiError::invalid(
            "status",
            ProblemCode::UnknownValue,
            format!("`{other}` is not a task status (open, done)"),
        )),
    }
}

async fn done(state: &AppState, actor: &Actor, q: &TaskQuery, limit: usize) -> ApiResult<Vec<TaskRow>> {
    let found = crate::ssr::repo::tasks::done(&state.db, q, limit).await?;
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
        remind_at: cmd.remind_at,
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
    // A rep's may-change is their own leads: the rule covers "own tasks only" too.
    if !actor.holds(task.owner.as_ref()) && !actor.can_edit(card.owner.as_deref(), card.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not close this task".into()));
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

/// A lead on the response-SLA list, as its clock stands.
fn sla_row(card: &BoardCard, clock: crate::domain::routine::SlaClock) -> SlaRow {
    SlaRow {
        lead: card.code.clone(),
        company: card.company.clone(),
        grade: card.grade,
        status: card.status,
        owner: card.owner.clone(),
        owner_name: card.owner_name.clone(),
        created_at: card.created_at,
        due_at: clock.due_at,
        state: clock.state.key().to_string(),
    }
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
            rows.push(sla_row(card, clock));
        }
    }
    rows.sort_by(|a, b| a.due_at.cmp(&b.due_at).then_with(|| a.lead.cmp(&b.lead)));
    rows
}

/// A lead past its grade's days in the first stages (PRODUCT.md §5).
#[derive(Debug, Clone, PartialEq)]
pub struct StaleRow {
    pub card: BoardCard,
    pub days: i64,
}

/// Who is behind, for a manager: each rep's overdue tasks and leads past their SLA.
#[derive(Debug, Clone, PartialEq)]
pub struct Behind {
    pub rep: String,
    pub name: String,
    pub overdue: usize,
    pub due_today: usize,
    pub breached: usize,
    pub due_soon: usize,
}

/// My day (PRODUCT.md §13): overdue and today's tasks, leads past or near their response
/// SLA, stale leads — the viewer's own, or with `team` everything they may see, with who is
/// behind.
#[derive(Debug, Clone)]
pub struct MyDay {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub team: bool,
    pub tasks: Vec<DayTask>,
    pub tasks_total: usize,
    pub overdue_total: usize,
    pub sla: Vec<SlaRow>,
    pub sla_total: usize,
    pub stale: Vec<StaleRow>,
    pub stale_total: usize,
    pub behind: Vec<Behind>,
    /// Feedback resolved and waiting for the customer's confirmation, the longest waiting first.
    pub awaiting: Vec<AwaitingRow>,
    pub awaiting_total: usize,
    /// Follow-ups of the last seven days logged later than the workspace's limit (24 h).
    pub late: Vec<LateRow>,
    pub late_total: usize,
    /// The workspace's limit for logging a follow-up, in hours.
    pub late_hours: f64,
    /// For a manager or an admin: how many of their teams' open leads wait for the score
    /// review (scored in the last `scores::REVIEW_DAYS` days and not reviewed since).
    pub to_review: Option<usize>,
}

/// A piece of feedback waiting for the customer's confirmation.
#[derive(Debug, Clone)]
pub struct AwaitingRow {
    pub id: String,
    pub lead: String,
    pub company: String,
    pub summary: String,
    pub resolved_at: Option<DateTime<Utc>>,
    pub owner: Option<String>,
}

/// A follow-up logged late: on which lead, whose, when it happened and when it was logged.
#[derive(Debug, Clone)]
pub struct LateRow {
    pub lead: String,
    pub company: String,
    pub owner_name: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub logged_at: DateTime<Utc>,
}

/// How far back My day looks for follow-ups logged late.
pub const LATE_DAYS: i64 = 7;

/// A row of My day's tasks: a task, and how many more cadence tasks of its lead it stands
/// for (overdue ones, closed together by the next follow-up).
#[derive(Debug, Clone)]
pub struct DayTask {
    pub task: TaskRow,
    pub more: usize,
}

/// At most this many rows in My day's task list (the most pressing first), and in each of
/// its other lists (response clocks, stale leads, feedback awaiting the customer, follow-ups
/// logged late): the rest are counted, and the leads list and the feedback page hold them all.
pub const MY_DAY_ROWS: usize = 50;
pub const MY_DAY_OTHER_ROWS: usize = 20;

pub async fn my_day(state: &AppState, actor: &Actor, team: bool) -> MyDay {
    let settings = state.settings.read().await.clone();
    let tz = settings.tz();
    let now = Utc::now();
    let today = now.with_timezone(&tz).date_naive();
    let team = team && actor.role != Role::Rep;
    let mine = |owner: Option<&String>| owner.is_some() && owner == actor.rep.as_ref();
    let index = state.index.read().await;
    // Tasks due by the end of today, chosen and ordered by reference.
    let (today_start, tomorrow_start) = (day_start(today, &tz), day_start(today + chrono::Days::new(1), &tz));
    // The days hold one follow-up task a lead and owner, standing for the others due with it
    // (one follow-up logged closes them all), and none of a closed lead's cadence.
    let scope = match (&actor.rep, team, actor.role) {
        (_, true, Role::Admin) => Some(DayScope::All),
        (rep, true, _) => Some(DayScope::Teams { teams: &actor.teams, holder: rep.as_deref() }),
        (Some(rep), false, _) => Some(DayScope::Owner(rep)),
        (None, false, _) => None,
    };
    let due = scope.map(|scope| index.day(scope, tomorrow_start)).unwrap_or_default();
    // The most pressing first: by quadrant (every one is due today or before, so its quadrant
    // is that of a task due today), then the longest overdue. Only the rows shown are sorted.
    type Ranked<'a> = ((Quadrant, DateTime<Utc>, &'a str), &'a TaskFacts, &'a BoardCard, usize);
    let mut picked: Vec<Ranked> = due
        .into_iter()
        .map(|(t, card, more)| {
            ((quadrant(t.priority, card.grade, today, today), t.due_at, t.id.as_str()), t, card, more)
        })
        .collect();
    if picked.len() > MY_DAY_ROWS {
        picked.select_nth_unstable_by(MY_DAY_ROWS, |a, b| a.0.cmp(&b.0));
    }
    let shown = picked.len().min(MY_DAY_ROWS);
    picked[..shown].sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let picked: Vec<(&TaskFacts, &BoardCard, usize)> =
        picked.into_iter().map(|(_, t, card, more)| (t, card, more)).collect();
    let tasks_total = picked.len();
    let overdue_total = picked.iter().filter(|(t, _, _)| t.due_at < today_start).count();
    // Who is behind: each rep's overdue and today's tasks.
    let mut task_counts: HashMap<&str, (usize, usize)> = HashMap::new();
    if team {
        for (t, _, _) in &picked {
            if let Some(o) = &t.owner {
                let c = task_counts.entry(o.as_str()).or_default();
                if t.due_at < today_start {
                    c.0 += 1;
                } else {
                    c.1 += 1;
                }
            }
        }
    }
    let tasks: Vec<DayTask> = picked
        .iter()
        .take(MY_DAY_ROWS)
        .map(|(t, card, more)| DayTask { task: row(t, card, today, &tz), more: *more })
        .collect();
    // The response clocks, the stale leads and the scores to review, in one pass over the
    // leads: found by reference, and only the rows shown are made (a team can have thousands
    // of each).
    let mut sla = Vec::new();
    let mut stale = Vec::new();
    let review_since = now - chrono::Duration::days(crate::ssr::service::scores::REVIEW_DAYS);
    let mut to_review = (actor.role != Role::Rep).then_some(0);
    index.for_each(|card, first, score| {
        if card.status.is_closed() {
            return;
        }
        // A manager's count is the team's, whichever day is shown; the time checks first.
        if let Some(n) = to_review.as_mut() {
            if crate::ssr::service::scores::in_queue(actor, card, score, review_since) {
                *n += 1;
            }
        }
        let visible =
            if team { actor.can_see(card.owner.as_deref(), card.team.as_deref()) } else { mine(card.owner.as_ref()) };
        if !visible {
            return;
        }
        if let Some(clock) = sla_clock(card.created_at, first, card.status, card.grade, &settings.sla, now) {
            if clock.state != SlaState::Running {
                sla.push((card, clock));
            }
        }
        if card.is_stale(now, &settings.cadence) {
            stale.push((card, card.days_in_stage(now)));
        }
    });
    sla.sort_unstable_by(|a, b| a.1.due_at.cmp(&b.1.due_at).then_with(|| a.0.code.cmp(&b.0.code)));
    stale.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.code.cmp(&b.0.code)));
    // The reps' names, from the leads they hold among those listed.
    let mut names: HashMap<&str, &str> = HashMap::new();
    if team {
        let held = picked.iter().map(|(_, card, _)| *card).chain(sla.iter().map(|(card, _)| *card));
        for card in held {
            if let (Some(o), Some(n)) = (&card.owner, &card.owner_name) {
                names.entry(o.as_str()).or_insert(n.as_str());
            }
        }
    }
    // Who is behind: per rep, overdue and today's tasks, breached and near SLAs.
    let mut behind: HashMap<String, Behind> = HashMap::new();
    if team {
        fn slot<'a>(behind: &'a mut HashMap<String, Behind>, names: &HashMap<&str, &str>, rep: &str) -> &'a mut Behind {
            behind.entry(rep.to_string()).or_insert_with(|| Behind {
                rep: rep.to_string(),
                name: names.get(rep).map_or(rep, |n| n).to_string(),
                overdue: 0,
                due_today: 0,
                breached: 0,
                due_soon: 0,
            })
        }
        for (rep, (overdue, today)) in &task_counts {
            let b = slot(&mut behind, &names, rep);
            b.overdue += overdue;
            b.due_today += today;
        }
        for (card, clock) in &sla {
            if let Some(o) = &card.owner {
                let b = slot(&mut behind, &names, o);
                if clock.state == SlaState::Breached {
                    b.breached += 1;
                } else {
                    b.due_soon += 1;
                }
            }
        }
    }
    let mut behind: Vec<Behind> = behind.into_values().collect();
    behind.sort_by(|a, b| (b.overdue + b.breached).cmp(&(a.overdue + a.breached)).then_with(|| a.rep.cmp(&b.rep)));
    let stale_total = stale.len();
    let sla_total = sla.len();
    let sla: Vec<SlaRow> = sla.into_iter().take(MY_DAY_OTHER_ROWS).map(|(card, clock)| sla_row(card, clock)).collect();
    let stale: Vec<StaleRow> =
        stale.into_iter().take(MY_DAY_OTHER_ROWS).map(|(card, days)| StaleRow { card: card.clone(), days }).collect();
    // Feedback resolved and waiting for the customer's word: the holder's, or the team's.
    let mut awaiting: Vec<AwaitingRow> = index
        .feedback_where(
            |f| f.status == crate::domain::enums::FeedbackStatus::Resolved && (team || mine(f.owner.as_ref())),
            |f, card| !team || actor.can_see_record(f.owner.as_ref(), card),
        )
        .into_iter()
        .map(|f| AwaitingRow {
            id: f.id.clone(),
            lead: f.lead.clone(),
            company: index.get(&f.lead).map(|c| c.company.clone()).unwrap_or_default(),
            summary: f.summary.clone().unwrap_or_default(),
            resolved_at: f.resolved_at,
            owner: f.owner.clone(),
        })
        .collect();
    awaiting.sort_by(|a, b| a.resolved_at.cmp(&b.resolved_at).then_with(|| a.id.cmp(&b.id)));
    let awaiting_total = awaiting.len();
    awaiting.truncate(MY_DAY_OTHER_ROWS);
    // Follow-ups logged late this week, on the leads one holds (or the team's).
    let since = now - chrono::Duration::days(LATE_DAYS);
    let mut late: Vec<LateRow> = state
        .view
        .read()
        .await
        .logged_late_since(since, settings.timely_logging_hours)
        .into_iter()
        .filter_map(|(code, occurred_at, logged_at)| {
            let card = index.get(code)?;
            let visible = if team {
                actor.can_see(card.owner.as_deref(), card.team.as_deref())
            } else {
                mine(card.owner.as_ref())
            };
            visible.then(|| LateRow {
                lead: card.code.clone(),
                company: card.company.clone(),
                owner_name: card.owner_name.clone(),
                occurred_at,
                logged_at,
            })
        })
        .collect();
    late.sort_by(|a, b| b.logged_at.cmp(&a.logged_at).then_with(|| a.lead.cmp(&b.lead)));
    let late_total = late.len();
    late.truncate(MY_DAY_OTHER_ROWS);
    MyDay {
        now,
        today,
        team,
        tasks,
        tasks_total,
        overdue_total,
        sla,
        sla_total,
        stale,
        stale_total,
        behind,
        awaiting,
        awaiting_total,
        late,
        late_total,
        late_hours: settings.timely_logging_hours,
        to_review,
    }
}
