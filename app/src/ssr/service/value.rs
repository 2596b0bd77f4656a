//! Customer value (PRODUCT.md §8): a lead's activity, conversion potential and lifetime value,
//! and the conversion potential's model — fitted on the workspace's closed leads in the
//! background once there are enough of them, again when that set has changed materially, kept
//! in the database with when and on how many leads it was fitted.
use crate::kpi::LeadFacts;
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::ApiResult;
use crate::ssr::repo;
use crate::ssr::state::AppState;
use crate::value::potential::{by_grade_rate, fit_with_quality, MIN_CLOSED};
use crate::value::workspace::features;
use crate::value::{clv, Activity, Features, Model, Potential, LIFETIME_YEARS};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::sync::Arc;

/// The model is fitted again when the closed leads grew (or shrank) by this share since...
pub const REFIT_CHANGE: f64 = 0.10;
/// ...or when it is this many days old.
pub const REFIT_DAYS: i64 = 30;

/// What the model needs now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refit {
    /// It stands as it is.
    Keep,
    /// It is fitted (first, or again).
    Fit,
    /// Fewer closed leads than it needs: the grades' win rates stand in.
    Forget,
}

/// What to do with `model` when the workspace has `closed` closed leads at `now`.
pub fn due(model: Option<&Model>, closed: usize, now: DateTime<Utc>) -> Refit {
    match model {
        _ if closed < MIN_CLOSED => {
            if model.is_some() {
                Refit::Forget
            } else {
                Refit::Keep
            }
        }
        None => Refit::Fit,
        Some(m) => {
            let change = (closed as f64 - m.sample as f64).abs() / (m.sample.max(1) as f64);
            if change >= REFIT_CHANGE || now - m.fitted_at >= Duration::days(REFIT_DAYS) {
                Refit::Fit
            } else {
                Refit::Keep
            }
        }
    }
}

/// Fits the model when it is due (the routine's hourly round); answers what was done.
pub async fn refit_if_due(state: &AppState, now: DateTime<Utc>) -> ApiResult<Refit> {
    let closed = state.view.read().await.closed_count();
    let current = state.value_model();
    match due(current.as_deref(), closed, now) {
        Refit::Keep => Ok(Refit::Keep),
        _ => refit(state, &Actor::system(), now).await,
    }
}

/// Fits the model on the closed leads as they stand (an admin may ask at any time), keeps it
/// and puts it to use; with fewer than it needs, forgets it.
pub async fn refit(state: &AppState, actor: &Actor, now: DateTime<Utc>) -> ApiResult<Refit> {
    actor.require_admin()?;
    let rows = state.view.read().await.closed_for_model();
    let before = state.value_model().map(|m| m.sample);
    let model = if rows.len() < MIN_CLOSED {
        None
    } else {
        let names = Features::names();
        tokio::task::spawn_blocking(move || fit_with_quality(&rows, &names, now))
            .await
            .map_err(|e| crate::ssr::error::ApiError::Internal(format!("fitting the model: {e}")))?
    };
    if model.is_none() && before.is_none() {
        return Ok(Refit::Keep);
    }
    let audit = Doc::new()
        .time("at", now)
        .set("actor", actor.user.clone())
        .set("record", "value_model:current".to_string())
        .set("field", "sample".to_string())
        .set("old", serde_json::json!(before))
        .set("new", serde_json::json!(model.as_ref().map(|m| m.sample)));
    repo::value::store_model(&state.db, model.as_ref(), audit).await?;
    let done = if model.is_some() { Refit::Fit } else { Refit::Forget };
    if let Some(m) = &model {
        tracing::info!(sample = m.sample, auc = ?m.quality.as_ref().and_then(|q| q.auc), "conversion potential model fitted");
    }
    state.set_value_model(model.map(Arc::new));
    Ok(done)
}

/// A lead's value now (`GET /api/v1/leads/{code}/value`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LeadValue {
    pub activity: Activity,
    pub potential: Potential,
    /// Lifetime value from the lead's orders; none without orders or without a known profit.
    pub clv: Option<f64>,
}

/// The value of a lead the actor may see, computed now.
pub async fn lead_value(state: &AppState, actor: &Actor, code: &str, now: DateTime<Utc>) -> ApiResult<LeadValue> {
    let lead = super::visible_lead(state, actor, code).await?;
    let recent = state.index.read().await.recent(code).unwrap_or_default();
    let activity = recent.activity(lead.created_at, now);
    let potential = match state.value_model() {
        Some(model) => model.predict(&features(&LeadFacts::of_lead(&lead), &recent, now)),
        None => by_grade_rate(state.view.read().await.grade_win_rates().of(lead.grade)),
    };
    let orders = repo::value::orders(&state.db, code).await?;
    let clv = clv(&orders, now, LIFETIME_YEARS);
    Ok(LeadValue { activity, potential, clv })
}
