//! Rebuilds the analytic view and the lead index from the database (at start-up).
use super::error::RepoResult;
use super::rows;
use crate::domain::enums::*;
use crate::domain::lead::Lead;
use crate::kpi::{AnalyticView, FeedbackFacts, InteractionFacts, LeadFacts};
use crate::ssr::db::Db;
use crate::ssr::index::LeadIndex;
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Deserialize)]
struct StageRow {
    lead: String,
    at: DateTime<Utc>,
    from_status: Option<Status>,
    to_status: Status,
}

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
    let loaded = load_in(&tx).await;
    // Read only: nothing to keep.
    if let Err(e) = tx.cancel().await {
        tracing::debug!("ending the views' read transaction: {e}");
    }
    give_back_freed_memory();
    loaded
}

/// Hands the heap the load freed back to the system: each table's rows are read whole (as
/// database values, then JSON) and freed once followed, but glibc's allocator keeps freed
/// memory in its arenas for reuse, so without this the server would go on holding the load's
/// peak. (Reading each table in pages by record-id range, `table:⟨k⟩>.. LIMIT n`, was tried:
/// on SurrealDB 3.3.5 each page took longer than the last, and the 100k demo's load went from
/// under a minute to several.)
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only returns free pages of the allocator's own arenas to the
        // system; it touches no memory in use and is safe to call from any thread.
        let trimmed = unsafe { libc::malloc_trim(0) };
        tracing::debug!(trimmed, "freed heap handed back after the views' load");
    }
}

type Tx = surrealdb::method::Transaction<surrealdb::engine::any::Any>;

async fn load_in(db: &Tx) -> RepoResult<(AnalyticView, LeadIndex)> {
    async fn all<T: serde::de::DeserializeOwned>(db: &Tx, sql: String) -> RepoResult<Vec<T>> {
        let asked = std::time::Instant::now();
        let mut res = db.query(sql).await?;
        let answered = asked.elapsed();
        let read = rows::<T>(&mut res, 0);
        tracing::debug!(query = ?answered, decoded = ?asked.elapsed() - answered, "view read a table");
        read
    }
    let mut view = AnalyticView::new();
    let mut board = LeadIndex::default();
    // Each table's read and its following, timed: a restart's time is mostly here.
    let started = std::time::Instant::now();
    let mut step = started;
    let mut lap = |table: &str, rows: usize| {
        tracing::info!(table, rows, elapsed = ?step.elapsed(), "view loaded a table");
        step = std::time::Instant::now();
    };
    let leads =
        all::<Lead>(db, format!("SELECT {} FROM lead WHERE merged_into = NONE", super::leads::LEAD_FIELDS)).await?;
    let count = leads.len();
    for lead in leads {
        view.upsert_lead(LeadFacts::of_lead(&lead));
        board.upsert_lead(&lead);
    }
    lap("lead", count);
    let stages = "SELECT record::id(lead) AS lead, at, from_status, to_status FROM stage_change";
    let stages = all::<StageRow>(db, stages.into()).await?;
    let count = stages.len();
    for s in stages {
        view.add_stage_change(&s.lead, s.to_status);
        board.record_move(&s.lead, s.from_status, s.to_status, s.at);
    }
    lap("stage_change", count);
    let interactions =
        "SELECT record::id(out) AS lead, occurred_at, logged_at, channel, direction, responded, satisfaction,
                               stage_before, stage_after FROM followed_up";
    let interactions = all::<InteractionRow>(db, interactions.into()).await?;
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
    let tasks: Vec<_> = all::<super::tasks::TaskRow>(db, format!("SELECT {} FROM task", super::tasks::FIELDS))
        .await?
        .into_iter()
        .map(|row| row.into_facts())
        .collect();
    board.follow_tasks(&tasks);
    let count = tasks.len();
    for task in tasks {
        view.upsert_task(task);
    }
    lap("task", count);
    // Feedback whole: the view counts its times, the index answers the feedback pages.
    let feedback =
        all::<crate::domain::feedback::Feedback>(db, format!("SELECT {} FROM feedback", super::feedback::FIELDS))
            .await?;
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
