//! The leads' server functions: the list, a lead with its timeline, creating and editing a
//! lead, and logging a follow-up — each through the repository as the signed-in user.
use crate::domain::enums::{Channel, Direction, FeedbackStatus, FeedbackType, Mood, Priority, Status, TaskKind};
use crate::domain::lead::Lead;
use crate::error::UiError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
#[cfg_attr(not(feature = "ssr"), allow(unused_imports))]
use leptos::server_fn::codec::{Json, Postcard};
use serde::{Deserialize, Serialize};

/// The list's filters and paging (as `GET /api/v1/leads`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LeadQuery {
    pub status: Option<Status>,
    pub grade: Option<crate::domain::enums::Grade>,
    pub owner: Option<String>,
    pub source: Option<crate::domain::enums::Source>,
    pub tag: Option<String>,
    pub q: Option<String>,
    pub cursor: Option<String>,
}

/// A page of leads, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadList {
    pub items: Vec<Lead>,
    pub next_cursor: Option<String>,
}

/// One entry of a lead's timeline, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineEntry {
    FollowUp {
        at: DateTime<Utc>,
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
        /// Logged more than the workspace's limit (24 h) after it happened.
        late: bool,
    },
    StageChange {
        at: DateTime<Utc>,
        from: Status,
        to: Status,
        by_name: Option<String>,
    },
    Task {
        at: DateTime<Utc>,
        task_kind: TaskKind,
        title: Option<String>,
        done_at: Option<DateTime<Utc>>,
    },
    Feedback {
        at: DateTime<Utc>,
        feedback_type: FeedbackType,
        priority: Priority,
        status: FeedbackStatus,
        summary: Option<String>,
    },
}

impl TimelineEntry {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineEntry::FollowUp { at, .. }
            | TimelineEntry::StageChange { at, .. }
            | TimelineEntry::Task { at, .. }
            | TimelineEntry::Feedback { at, .. } => *at,
        }
    }
}

/// What a rep wrote down in a follow-up beyond its summary: the contact spoken to, the BANT
/// notes (背景 / 难点 / 需求 / 价值), how the need changed, the customer's feedback and the
/// decision progress. Matched to its timeline entry by time, logging time and rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpNotes {
    pub at: DateTime<Utc>,
    pub logged_at: DateTime<Utc>,
    pub rep: String,
    pub contact: Option<String>,
    pub bant_background: Option<String>,
    pub bant_pain: Option<String>,
    pub bant_need: Option<String>,
    pub bant_value: Option<String>,
    pub needs_change: Option<String>,
    pub feedback: Option<String>,
    pub decision_progress: Option<String>,
}

/// A lead, its history, and whether the viewer may change it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadDetail {
    pub lead: Lead,
    pub timeline: Vec<TimelineEntry>,
    /// The notes of the follow-ups that have any (see [`FollowUpNotes`]).
    #[serde(default)]
    pub notes: Vec<FollowUpNotes>,
    pub can_edit: bool,
}

impl LeadDetail {
    /// The notes of one follow-up of the timeline, if it has any.
    pub fn notes_of(&self, at: DateTime<Utc>, logged_at: DateTime<Utc>, rep: &str) -> Option<&FollowUpNotes> {
        self.notes.iter().find(|n| n.at == at && n.logged_at == logged_at && n.rep == rep)
    }
}

/// A page of the leads the viewer may see.
#[server(prefix = "/rpc", endpoint = "leads", input = Json, output = Postcard)]
pub async fn list_leads(query: LeadQuery) -> Result<LeadList, UiError> {
    let (state, actor) = super::acting().await?;
    let filter = crate::ssr::repo::leads::LeadFilter {
        status: query.status,
        grade: query.grade,
        owner: query.owner.filter(|s| !s.is_empty()),
        team: None,
        source: query.source,
        tag: query.tag.filter(|s| !s.is_empty()),
        q: query.q,
    };
    let page = crate::ssr::repo::leads::list(&state.db, &actor, &filter, 50, query.cursor.as_deref()).await?;
    Ok(LeadList { items: page.items, next_cursor: page.next_cursor })
}

/// A lead with its timeline: follow-ups (the `rep ->followed_up-> lead` edges), stage
/// changes, tasks and feedback.
#[server(name = LoadLeadDetail, prefix = "/rpc", endpoint = "lead", input = Json, output = Postcard)]
pub async fn lead_detail(code: String) -> Result<LeadDetail, UiError> {
    let (state, actor) = super::acting().await?;
    let lead = crate::ssr::repo::leads::get(&state.db, &actor, &code).await?;
    let settings = state.settings.read().await.clone();
    let timeline = crate::ssr::repo::leads::timeline(&state.db, &code, &settings).await?;
    let notes = crate::ssr::repo::leads::follow_up_notes(&state.db, &code).await?;
    let can_edit = actor.can_edit(lead.owner.as_deref(), lead.team.as_deref());
    Ok(LeadDetail { lead, timeline, notes, can_edit })
}

/// A lead and whether the viewer may change it: what the edit form needs, without the history
/// [`lead_detail`] reads.
#[server(prefix = "/rpc", endpoint = "editable_lead", input = Json, output = Postcard)]
pub async fn editable_lead(code: String) -> Result<(Lead, bool), UiError> {
    let (state, actor) = super::acting().await?;
    let lead = crate::ssr::repo::leads::get(&state.db, &actor, &code).await?;
    let can_edit = actor.can_edit(lead.owner.as_deref(), lead.team.as_deref());
    Ok((lead, can_edit))
}

/// Creates a lead from the form's fields (as `POST /api/v1/leads`): scored, graded and
/// assigned on the server by the same rules the form previews.
#[server(prefix = "/rpc", endpoint = "create_lead", input = Json, output = Postcard)]
pub async fn create_lead(fields: serde_json::Value) -> Result<Lead, UiError> {
    let (state, actor) = super::acting().await?;
    let (profile, owner) = crate::ssr::repo::leads::read_profile(&fields).map_err(UiError::Invalid)?;
    let settings = state.settings.read().await.clone();
    let (lead, changes) = {
        let view = state.view.read().await;
        crate::ssr::repo::leads::create(&state.db, &actor, profile, owner, &settings, &view).await?
    };
    state.follow(&lead, changes).await;
    Ok(lead)
}

/// Edits a lead's profile (fields as `PATCH /api/v1/leads/{code}`, with the `version` the
/// user edited; a field sent as `null` is cleared): scored again on the server, every change
/// audited, and a stale version answered with the lead as it now stands.
#[server(prefix = "/rpc", endpoint = "update_lead", input = Json, output = Postcard)]
pub async fn update_lead(code: String, fields: serde_json::Value) -> Result<Lead, UiError> {
    let (state, actor) = super::acting().await?;
    let settings = state.settings.read().await.clone();
    let (lead, changes) = crate::ssr::repo::leads::patch(&state.db, &actor, &code, &fields, &settings).await?;
    state.follow(&lead, changes).await;
    Ok(lead)
}

/// Logs a follow-up on a lead (fields as `POST /api/v1/leads/{code}/interactions`) and
/// answers the lead as it now stands.
#[server(prefix = "/rpc", endpoint = "log_follow_up", input = Json, output = Postcard)]
pub async fn log_follow_up(code: String, fields: serde_json::Value) -> Result<Lead, UiError> {
    let (state, actor) = super::acting().await?;
    let settings = state.settings.read().await.clone();
    let (_, lead, changes) =
        crate::ssr::repo::leads::log_interaction(&state.db, &actor, &code, &fields, &settings).await?;
    state.follow(&lead, changes).await;
    Ok(lead)
}

/// The tags on the leads the viewer may see, most used first (for the list's tag filter).
#[server(prefix = "/rpc", endpoint = "lead_tags", output = Postcard)]
pub async fn lead_tags() -> Result<Vec<String>, UiError> {
    // From the in-memory board index: no scan of the lead table, however large the workspace.
    let (state, actor) = super::acting().await?;
    let index = state.board.read().await;
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for card in index.cards().filter(|c| actor.can_see(c.owner.as_deref(), c.team.as_deref())) {
        for tag in card.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            *counts.entry(tag).or_default() += 1;
        }
    }
    let mut tags: Vec<(&str, usize)> = counts.into_iter().collect();
    tags.sort_by_key(|(tag, n)| (std::cmp::Reverse(*n), *tag));
    Ok(tags.into_iter().map(|(t, _)| t.to_string()).collect())
}
