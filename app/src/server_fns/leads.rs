//! The leads' server functions: the list, a lead with its timeline, creating and editing a
//! lead, and logging a follow-up — each a thin door onto the service layer, as the signed-in
//! user.
use crate::domain::history::{FollowUpNotes, TimelineEntry};
use crate::domain::lead::{Lead, LeadList};
use crate::domain::lead_query::LeadQuery;
use crate::error::UiError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
#[cfg_attr(not(feature = "ssr"), allow(unused_imports))]
use leptos::server_fn::codec::{Json, Postcard};
use serde::{Deserialize, Serialize};

/// A lead, its history, and whether the viewer may change it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadDetail {
    pub lead: Lead,
    pub timeline: Vec<TimelineEntry>,
    /// The notes of the follow-ups that have any (see [`FollowUpNotes`]).
    #[serde(default)]
    pub notes: Vec<FollowUpNotes>,
    pub can_edit: bool,
    /// Its activity, conversion potential and lifetime value now (PRODUCT.md §8).
    #[serde(default)]
    pub value: Option<crate::value::LeadValue>,
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
    let filter = crate::domain::lead::LeadFilter {
        status: query.status,
        grade: query.grade,
        owner: query.owner.filter(|s| !s.is_empty()),
        team: None,
        source: query.source,
        tag: query.tag.filter(|s| !s.is_empty()),
        q: query.q,
        tier: query.tier,
    };
    Ok(crate::ssr::service::leads::list(&state, &actor, &filter, 50, query.cursor.as_deref()).await?)
}

/// A lead with its timeline: follow-ups (the `rep ->followed_up-> lead` edges), stage
/// changes, tasks and feedback.
#[server(name = LoadLeadDetail, prefix = "/rpc", endpoint = "lead", input = Json, output = Postcard)]
pub async fn lead_detail(code: String) -> Result<LeadDetail, UiError> {
    let (state, actor) = super::acting().await?;
    let (lead, timeline, notes) = crate::ssr::service::leads::with_history(&state, &actor, &code).await?;
    let can_edit = actor.can_edit(lead.owner.as_deref(), lead.team.as_deref());
    let value = crate::ssr::service::value::value_of(&state, &lead, chrono::Utc::now(), None).await.ok();
    Ok(LeadDetail { lead, timeline, notes, can_edit, value })
}

/// A lead and whether the viewer may change it: what the edit form needs, without the history
/// [`lead_detail`] reads.
#[server(prefix = "/rpc", endpoint = "editable_lead", input = Json, output = Postcard)]
pub async fn editable_lead(code: String) -> Result<(Lead, bool), UiError> {
    let (state, actor) = super::acting().await?;
    let lead = crate::ssr::service::visible_lead(&state, &actor, &code).await?;
    let can_edit = actor.can_edit(lead.owner.as_deref(), lead.team.as_deref());
    Ok((lead, can_edit))
}

/// Creates a lead from the form's fields (as `POST /api/v1/leads`): scored, graded and
/// assigned on the server by the same rules the form previews.
#[server(prefix = "/rpc", endpoint = "create_lead", input = Json, output = Postcard)]
pub async fn create_lead(fields: serde_json::Value) -> Result<Lead, UiError> {
    let (state, actor) = super::acting().await?;
    let cmd = crate::domain::commands::NewLead::read(&fields).map_err(UiError::Invalid)?;
    Ok(crate::ssr::service::leads::create(&state, &actor, cmd).await?)
}

/// Edits a lead's profile (fields as `PATCH /api/v1/leads/{code}`, with the `version` the
/// user edited; a field sent as `null` is cleared): scored again on the server, every change
/// audited, and a stale version answered with the lead as it now stands.
#[server(prefix = "/rpc", endpoint = "update_lead", input = Json, output = Postcard)]
pub async fn update_lead(code: String, fields: serde_json::Value) -> Result<Lead, UiError> {
    let (state, actor) = super::acting().await?;
    let patch = crate::domain::commands::LeadPatch::read(&fields).map_err(UiError::Invalid)?;
    Ok(crate::ssr::service::leads::update(&state, &actor, &code, patch).await?)
}

/// Logs a follow-up on a lead (fields as `POST /api/v1/leads/{code}/interactions`) and
/// answers the lead as it now stands.
#[server(prefix = "/rpc", endpoint = "log_follow_up", input = Json, output = Postcard)]
pub async fn log_follow_up(code: String, fields: serde_json::Value) -> Result<Lead, UiError> {
    let (state, actor) = super::acting().await?;
    let cmd = crate::domain::commands::NewFollowUp::read(&fields).map_err(UiError::Invalid)?;
    Ok(crate::ssr::service::follow_ups::log(&state, &actor, &code, cmd).await?.1)
}

/// The tags on the leads the viewer may see, most used first (for the list's tag filter).
#[server(prefix = "/rpc", endpoint = "lead_tags", output = Postcard)]
pub async fn lead_tags() -> Result<Vec<String>, UiError> {
    // From the in-memory board index: no scan of the lead table, however large the workspace.
    let (state, actor) = super::acting().await?;
    let index = state.index.read().await;
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

/// What the lead form computes the conversion potential from (PRODUCT.md §8): the model, the
/// grades' win rates, and an existing lead's activity, response and age.
#[server(prefix = "/rpc", endpoint = "potential_inputs", input = Json, output = Postcard)]
pub async fn potential_inputs(code: Option<String>) -> Result<crate::value::PotentialInputs, UiError> {
    let (state, actor) = super::acting().await?;
    Ok(crate::ssr::service::value::potential_inputs(&state, &actor, code.as_deref(), chrono::Utc::now()).await?)
}
