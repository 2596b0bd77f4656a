//! A lead's history from the database: its follow-ups, read through the graph (the reps who
//! followed it up, `<-followed_up<-rep`), its stage changes, tasks and feedback, and the notes
//! the reps wrote down. The service checks that the actor may see the lead.
use super::error::RepoResult;
use super::rows;
use crate::domain::enums::*;
use crate::domain::history::{FollowUpNotes, TimelineEntry};
use crate::settings::WorkspaceSettings;
use crate::ssr::db::Db;
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Deserialize)]
struct FollowUpRow {
    occurred_at: DateTime<Utc>,
    logged_at: DateTime<Utc>,
    rep: String,
    rep_name: Option<String>,
    channel: Channel,
    direction: Direction,
    responded: bool,
    satisfaction: Option<u8>,
    summary: Option<String>,
    mood: Option<Mood>,
    stage_before: Status,
    stage_after: Status,
    next_follow_up_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct StageRow {
    at: DateTime<Utc>,
    from_status: Option<Status>,
    to_status: Status,
    by_name: Option<String>,
}

#[derive(Deserialize)]
struct TaskRow {
    due_at: DateTime<Utc>,
    kind: TaskKind,
    title: Option<String>,
    done_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct FeedbackRow {
    received_at: DateTime<Utc>,
    kind: FeedbackType,
    priority: Priority,
    status: FeedbackStatus,
    summary: Option<String>,
}

/// A lead's history, newest first: its follow-ups, read through the graph (the reps who
/// followed it up, `<-followed_up<-rep`), its stage changes, tasks and feedback. Callers
/// check that the actor may see the lead.
pub async fn timeline(db: &Db, code: &str, settings: &WorkspaceSettings) -> RepoResult<Vec<TimelineEntry>> {
    let mut res = db
        .query(
            "LET $lead = type::record('lead', $code);
             SELECT occurred_at, logged_at, in.key AS rep, in.name AS rep_name, channel, direction, responded,
                    satisfaction, summary, mood, stage_before, stage_after, next_follow_up_at
               FROM $lead<-followed_up;
             SELECT at, from_status, to_status, by_rep.name AS by_name FROM stage_change WHERE lead = $lead;
             SELECT due_at, kind, title, done_at FROM task WHERE lead = $lead;
             SELECT received_at, kind, priority, status, summary FROM feedback WHERE lead = $lead;",
        )
        .bind(("code", code.to_string()))
        .await?;
    let mut out = Vec::new();
    for f in rows::<FollowUpRow>(&mut res, 1)? {
        let late = settings.logged_late(f.occurred_at, f.logged_at);
        out.push(TimelineEntry::FollowUp {
            at: f.occurred_at,
            logged_at: f.logged_at,
            rep: f.rep,
            rep_name: f.rep_name,
            channel: f.channel,
            direction: f.direction,
            responded: f.responded,
            satisfaction: f.satisfaction,
            summary: f.summary,
            mood: f.mood,
            stage_before: f.stage_before,
            stage_after: f.stage_after,
            next_follow_up_at: f.next_follow_up_at,
            late,
        });
    }
    for s in rows::<StageRow>(&mut res, 2)? {
        out.push(TimelineEntry::StageChange {
            at: s.at,
            from: s.from_status.unwrap_or(Status::New),
            to: s.to_status,
            by_name: s.by_name,
        });
    }
    for t in rows::<TaskRow>(&mut res, 3)? {
        out.push(TimelineEntry::Task { at: t.due_at, task_kind: t.kind, title: t.title, done_at: t.done_at });
    }
    for f in rows::<FeedbackRow>(&mut res, 4)? {
        out.push(TimelineEntry::Feedback {
            at: f.received_at,
            feedback_type: f.kind,
            priority: f.priority,
            status: f.status,
            summary: f.summary,
        });
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.at()));
    Ok(out)
}

/// What the reps wrote down in a lead's follow-ups beyond the summary (contact, BANT notes,
/// needs change, feedback, decision progress), read through the graph. Callers check that
/// the actor may see the lead.
pub async fn follow_up_notes(db: &Db, code: &str) -> RepoResult<Vec<FollowUpNotes>> {
    #[derive(Deserialize, Default)]
    struct BantRow {
        #[serde(default)]
        background: Option<String>,
        #[serde(default)]
        pain: Option<String>,
        #[serde(default)]
        need: Option<String>,
        #[serde(default)]
        value: Option<String>,
    }
    #[derive(Deserialize)]
    struct NotesRow {
        occurred_at: DateTime<Utc>,
        logged_at: DateTime<Utc>,
        rep: Option<String>,
        #[serde(default)]
        contact: Option<String>,
        #[serde(default)]
        bant: Option<BantRow>,
        #[serde(default)]
        needs_change: Option<String>,
        #[serde(default)]
        feedback: Option<String>,
        #[serde(default)]
        decision_progress: Option<String>,
    }
    let mut res = db
        .query(
            "LET $lead = type::record('lead', $code);
             SELECT occurred_at, logged_at, in.key AS rep, contact, bant, needs_change, feedback, decision_progress
               FROM $lead<-followed_up;",
        )
        .bind(("code", code.to_string()))
        .await?;
    Ok(rows::<NotesRow>(&mut res, 1)?
        .into_iter()
        .map(|n| {
            let bant = n.bant.unwrap_or_default();
            FollowUpNotes {
                at: n.occurred_at,
                logged_at: n.logged_at,
                rep: n.rep.unwrap_or_default(),
                contact: n.contact,
                bant_background: bant.background,
                bant_pain: bant.pain,
                bant_need: bant.need,
                bant_value: bant.value,
                needs_change: n.needs_change,
                feedback: n.feedback,
                decision_progress: n.decision_progress,
            }
        })
        .filter(|n| {
            n.contact.is_some()
                || n.bant_background.is_some()
                || n.bant_pain.is_some()
                || n.bant_need.is_some()
                || n.bant_value.is_some()
                || n.needs_change.is_some()
                || n.feedback.is_some()
                || n.decision_progress.is_some()
        })
        .collect())
}
