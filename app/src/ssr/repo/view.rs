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
/// workspace has about a million follow-ups).
pub async fn load(db: &Db) -> RepoResult<(AnalyticView, LeadIndex)> {
    async fn all<T: serde::de::DeserializeOwned>(db: &Db, sql: String) -> RepoResult<Vec<T>> {
        let mut res = db.query(sql).await?;
        rows::<T>(&mut res, 0)
    }
    let mut view = AnalyticView::new();
    let mut board = LeadIndex::default();
    for lead in
        all::<Lead>(db, format!("SELECT {} FROM lead WHERE merged_into = NONE", super::leads::LEAD_FIELDS)).await?
    {
        view.upsert_lead(LeadFacts::of_lead(&lead));
        board.upsert_lead(&lead);
    }
    let stages = "SELECT record::id(lead) AS lead, at, from_status, to_status FROM stage_change";
    for s in all::<StageRow>(db, stages.into()).await? {
        view.add_stage_change(&s.lead, s.to_status);
        board.record_move(&s.lead, s.from_status, s.to_status, s.at);
    }
    let interactions =
        "SELECT record::id(out) AS lead, occurred_at, logged_at, channel, direction, responded, satisfaction,
                               stage_before, stage_after FROM followed_up";
    for i in all::<InteractionRow>(db, interactions.into()).await? {
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
    let tasks: Vec<_> = all::<super::tasks::TaskRow>(db, format!("SELECT {} FROM task", super::tasks::FIELDS))
        .await?
        .into_iter()
        .map(|row| row.into_facts())
        .collect();
    board.follow_tasks(&tasks);
    for task in tasks {
        view.upsert_task(task);
    }
    // Feedback whole: the view counts its times, the index answers the feedback pages.
    for f in super::feedback::all(db).await? {
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
    Ok((view, board))
}
