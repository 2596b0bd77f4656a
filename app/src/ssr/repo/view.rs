//! Rebuilds the analytic view and the lead index from the database (at start-up).
use super::error::{RepoError, RepoResult};
use super::rows;
use crate::domain::enums::*;
use crate::domain::lead::Lead;
use crate::kpi::{AnalyticView, FeedbackFacts, InteractionFacts, LeadFacts};
use crate::ssr::db::Db;
use crate::ssr::index::LeadIndex;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

// The large tables are read as arrays of values (`SELECT VALUE [a, b, …]`), each row into
// its struct field by field in order: SurrealDB makes an array in about half the time of an
// object with the fields' names (975,483 follow-ups: 3.3 s rather than 5.5 s, and a quarter
// of the time to decode).

/// A status change, read by [`STAGES`] in this order.
#[derive(Deserialize)]
struct StageRow {
    lead: String,
    at: DateTime<Utc>,
    from_status: Option<Status>,
    to_status: Status,
}

/// A follow-up, read by [`INTERACTIONS`] in this order.
#[derive(Deserialize)]
struct InteractionRow {
    lead: String,
    occurred_at: DateTime<Utc>,
    logged_at: DateTime<Utc>,
    channel: Channel,
    direction: Direction,
    responded: bool,
    satisfaction: Option<u8>,
    stage_before: Status,
    stage_after: Status,
}

/// Reads every lead and its history into a fresh view and board index, one table at a time
/// so that only one table's rows are held as database values at once (a 100,000-lead
/// workspace has about a million follow-ups). The tables are read in one read transaction:
/// the views hold the database as it stood at one moment, so a lead's version says which of
/// its changes they hold (`AppState::apply` and `peers`).
pub async fn load(db: &Db) -> RepoResult<(AnalyticView, LeadIndex)> {
    let tx = db.clone().begin().await?;
    let loaded = follow(Tables {
        reps: Box::pin(all(&tx, REPS.into())),
        leads: Box::pin(all(&tx, leads_sql())),
        stages: Box::pin(all(&tx, STAGES.into())),
        interactions: Box::pin(all(&tx, INTERACTIONS.into())),
        tasks: Box::pin(all(&tx, tasks_sql())),
        feedback: Box::pin(all(&tx, feedback_sql())),
    })
    .await;
    // Read only: nothing to keep.
    if let Err(e) = tx.cancel().await {
        tracing::debug!("ending the views' read transaction: {e}");
    }
    give_back_freed_memory();
    loaded
}

/// [`load`] for an app server alone on its database (embedded storage, which one process
/// opens at a time) before it serves: nothing writes meanwhile, so each table is read in a
/// transaction of its own, [`READING`] at once (SurrealDB answers one transaction's queries
/// one after another, each on one core), and followed as they arrive. A restart then takes about as long as the reads' work shared
/// between the cores, rather than the sum of the reads and the following.
pub async fn load_alone(db: &Db) -> RepoResult<(AnalyticView, LeadIndex)> {
    let mut turns = Turns { permits: Arc::new(tokio::sync::Semaphore::new(READING)), previous: None };
    // The leads first, which everything else waits for, beside the longest read (the
    // follow-ups); the shorter ones while the leads are followed.
    let reps = turns.read(db, REPS.into());
    let leads = turns.read(db, leads_sql());
    let interactions = turns.read(db, INTERACTIONS.into());
    let stages = turns.read(db, STAGES.into());
    let tasks = turns.read(db, tasks_sql());
    let feedback = turns.read(db, feedback_sql());
    let loaded = follow(Tables { reps, leads, stages, interactions, tasks, feedback }).await;
    give_back_freed_memory();
    loaded
}

/// Tables read at once by [`load_alone`]: as many as a small server has cores, the following
/// taking its turns between them. (All at once, the leads — which everything else waits for —
/// shared the cores with the rest and came last.)
const READING: usize = 2;

/// [`load_alone`]'s reads, each on a task of its own, starting in turn.
struct Turns {
    permits: Arc<tokio::sync::Semaphore>,
    /// Told when the read before the next one has started.
    previous: Option<tokio::sync::oneshot::Receiver<()>>,
}

impl Turns {
    /// Reads a table once the read before it has started and fewer than [`READING`] are
    /// under way.
    fn read<T: serde::de::DeserializeOwned + Send + 'static>(&mut self, db: &Db, sql: String) -> Rows<'static, T> {
        let (started, next) = tokio::sync::oneshot::channel();
        let previous = self.previous.replace(next);
        let permits = Arc::clone(&self.permits);
        let db = db.clone();
        let reading = Reading(tokio::spawn(async move {
            if let Some(previous) = previous {
                // Dropped unsent only when the read before failed, and the load with it.
                let _ = previous.await;
            }
            let _turn = permits.acquire_owned().await.map_err(|e| RepoError::Decode(e.to_string()))?;
            let _ = started.send(());
            all(&db, sql).await
        }));
        Box::pin(async move {
            let mut reading = reading;
            (&mut reading.0).await.map_err(|e| RepoError::Decode(format!("reading a table for the views: {e}")))?
        })
    }
}

/// A table's read on a task of its own, stopped if the load ends without it (another read
/// failed).
struct Reading<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for Reading<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Hands the heap the load freed back to the system where glibc's allocator is in use (the
/// tests; the app server uses mimalloc, which does so by itself): each table's rows are read
/// whole (as database values, then JSON) and freed once followed, and glibc keeps freed
/// memory in its arenas for reuse, so without this the process would go on holding the
/// load's peak. (Reading each table in pages by record-id range, `table:⟨k⟩>.. LIMIT n`, was
/// tried: on SurrealDB 3.3.5 each page took longer than the last, and the 100k demo's load
/// went from under a minute to several.)
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only returns free pages of the allocator's own arenas to the
        // system; it touches no memory in use and is safe to call from any thread.
        let trimmed = unsafe { libc::malloc_trim(0) };
        tracing::debug!(trimmed, "freed heap handed back after the views' load");
    }
}

const REPS: &str = "SELECT VALUE [record::id(id), name] FROM rep";
fn leads_sql() -> String {
    format!("SELECT {} FROM lead WHERE merged_into = NONE", super::leads::LEAD_FIELDS_UNLINKED)
}
const STAGES: &str = "SELECT VALUE [record::id(lead), at, from_status, to_status] FROM stage_change";
const INTERACTIONS: &str =
    "SELECT VALUE [record::id(out), occurred_at, logged_at, channel, direction, responded, satisfaction,
            stage_before, stage_after] FROM followed_up";
fn tasks_sql() -> String {
    format!("SELECT VALUE {} FROM task", super::tasks::VALUES)
}
fn feedback_sql() -> String {
    format!("SELECT {} FROM feedback", super::feedback::FIELDS)
}

type Tx = surrealdb::method::Transaction<surrealdb::engine::any::Any>;

/// What a table is read through: the database, or a transaction on it.
trait Ask: Sync {
    fn ask(&self, sql: String) -> surrealdb::method::Query<'_, surrealdb::engine::any::Any>;
}

impl Ask for Db {
    fn ask(&self, sql: String) -> surrealdb::method::Query<'_, surrealdb::engine::any::Any> {
        self.query(sql)
    }
}

impl Ask for Tx {
    fn ask(&self, sql: String) -> surrealdb::method::Query<'_, surrealdb::engine::any::Any> {
        self.query(sql)
    }
}

/// One table's rows, timed.
async fn all<T: serde::de::DeserializeOwned>(db: &impl Ask, sql: String) -> RepoResult<Vec<T>> {
    let asked = std::time::Instant::now();
    let mut res = db.ask(sql).await?;
    let answered = asked.elapsed();
    let read = rows::<T>(&mut res, 0);
    tracing::debug!(query = ?answered, decoded = ?asked.elapsed() - answered, "view read a table");
    read
}

type Rows<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = RepoResult<Vec<T>>> + Send + 'a>>;

/// The tables the views are made of, as they are read.
struct Tables<'a> {
    /// Each rep's key and name: the owners' names on the leads.
    reps: Rows<'a, (String, String)>,
    leads: Rows<'a, Lead>,
    stages: Rows<'a, StageRow>,
    interactions: Rows<'a, InteractionRow>,
    tasks: Rows<'a, super::tasks::TaskRow>,
    feedback: Rows<'a, crate::domain::feedback::Feedback>,
}

/// Follows the tables in order: leads, their status changes, follow-ups, tasks, feedback.
async fn follow(tables: Tables<'_>) -> RepoResult<(AnalyticView, LeadIndex)> {
    let mut view = AnalyticView::new();
    let mut board = LeadIndex::default();
    // Each table's read and its following, timed: a restart's time is mostly here.
    let started = std::time::Instant::now();
    let mut step = started;
    let mut lap = |table: &str, rows: usize| {
        tracing::info!(table, rows, elapsed = ?step.elapsed(), "view loaded a table");
        step = std::time::Instant::now();
    };
    let names: HashMap<String, String> = tables.reps.await?.into_iter().collect();
    let leads = tables.leads.await?;
    let count = leads.len();
    for mut lead in leads {
        lead.owner_name = lead.owner.as_ref().and_then(|owner| names.get(owner)).cloned();
        view.upsert_lead(LeadFacts::of_lead(&lead));
        board.upsert_lead(&lead);
    }
    lap("lead", count);
    let stages = tables.stages.await?;
    let count = stages.len();
    for s in stages {
        view.add_stage_change(&s.lead, s.to_status);
        board.record_move(&s.lead, s.from_status, s.to_status, s.at);
    }
    lap("stage_change", count);
    let interactions = tables.interactions.await?;
    let count = interactions.len();
    for i in interactions {
        let facts = InteractionFacts {
            lead: i.lead,
            occurred_at: i.occurred_at,
            logged_at: i.logged_at,
            channel: i.channel,
            direction: i.direction,
            responded: i.responded,
            satisfaction: i.satisfaction,
            stage_before: i.stage_before,
            stage_after: i.stage_after,
        };
        board.touch(&facts);
        view.add_interaction(&facts);
    }
    lap("followed_up", count);
    let tasks: Vec<_> = tables.tasks.await?.into_iter().map(|row| row.into_facts()).collect();
    board.follow_tasks(&tasks);
    let count = tasks.len();
    for task in tasks {
        view.upsert_task(task);
    }
    lap("task", count);
    // Feedback whole: the view counts its times, the index answers the feedback pages.
    let feedback = tables.feedback.await?;
    let count = feedback.len();
    for f in feedback {
        view.upsert_feedback(FeedbackFacts {
            id: f.id.clone(),
            lead: f.lead.clone(),
            received_at: f.received_at,
            resolved_at: f.resolved_at,
            confirmed_at: f.customer_confirmed_at,
            satisfaction: f.satisfaction,
        });
        board.put_feedback(f);
    }
    lap("feedback", count);
    tracing::info!(elapsed = ?started.elapsed(), "view and lead index loaded");
    Ok((view, board))
}
