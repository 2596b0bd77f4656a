//! The service layer: every write use case of Genjin, and the reads that need the rules.
//! A use case takes the shared state, the acting user and a typed command parsed once at the
//! edge (`domain::commands`), checks the rules (scope, state, values), commits through the
//! repository in one transaction with its audit rows, and then publishes one versioned
//! change (`AppState::apply`) that the analytic view, the board index and every open board
//! follow. The REST handlers and the server functions are thin doors onto these functions,
//! so nothing is decided twice.
pub mod accounts;
pub mod cadence;
pub mod embeds;
pub mod export;
pub mod feedback;
pub mod follow_ups;
pub mod import;
pub mod intake;
pub mod leads;
pub mod merge;
pub mod moves;
pub mod people;
pub mod plans;
pub mod reports;
pub mod scores;
pub mod settings;
pub mod sheet_import;
pub mod strategies;
pub mod tasks;
pub mod value;

use crate::domain::lead::Lead;
use crate::ssr::actor::Actor;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::{self, leads::Versioned};
use crate::ssr::state::AppState;

/// A lead the actor may see; any other is answered as not found, so nothing leaks.
pub async fn visible_lead(state: &AppState, actor: &Actor, code: &str) -> ApiResult<Lead> {
    match repo::leads::fetch(&state.db, code).await? {
        Some(l) if actor.can_see(l.owner.as_deref(), l.team.as_deref()) => match l.merged_into {
            Some(into) => Err(ApiError::Merged(into)),
            None => Ok(with_plan(state, l).await),
        },
        _ => Err(ApiError::NotFound(format!("no lead `{code}`"))),
    }
}

/// A lead's activity as the index holds it now: read after a write's change is applied, so it
/// counts what the write added (a new lead, a follow-up, a merged lead's history).
pub async fn with_activity(state: &AppState, mut lead: Lead) -> Lead {
    lead.activity = state.index.read().await.activity(&lead.code, chrono::Utc::now());
    lead
}

/// A lead with its follow-up plan's completion and its activity now.
pub async fn with_plan(state: &AppState, mut lead: Lead) -> Lead {
    let cadence = state.settings.read().await.cadence.clone();
    lead.plan = Some(plans::progress_of(&lead, &cadence));
    lead.activity = state.index.read().await.activity(&lead.code, chrono::Utc::now());
    lead
}

/// A lead the actor may change, still at the version they saw (else a conflict carrying the
/// lead as it now stands).
pub async fn editable_lead(state: &AppState, actor: &Actor, code: &str, version: u64) -> ApiResult<Lead> {
    let lead = visible_lead(state, actor, code).await?;
    if !actor.can_edit(lead.owner.as_deref(), lead.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not change this lead".into()));
    }
    if lead.version != version {
        return Err(conflict(lead));
    }
    Ok(lead)
}

/// The answer to a write that found the lead at another version than the writer saw.
pub fn conflict(current: Lead) -> ApiError {
    ApiError::Conflict(serde_json::to_value(current).unwrap_or_default())
}

/// A versioned write's outcome as the service answers it.
pub async fn written(state: &AppState, outcome: Versioned, code: &str) -> ApiResult<Lead> {
    match outcome {
        Versioned::Written(lead) => Ok(with_plan(state, *lead).await),
        Versioned::Stale(Some(current)) => Err(conflict(*current)),
        Versioned::Stale(None) => Err(ApiError::NotFound(format!("no lead `{code}`"))),
    }
}
