//! `POST /api/v1/import` (admin): a team's history in one bundle, all or nothing.
use super::JsonBody;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::bundle::{Bundle, BundleCounts};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

#[utoipa::path(post, path = "/api/v1/import", request_body = Bundle,
    responses((status = 200, description = "`{\"imported\": counts}`", body = BundleCounts),
              (status = 400), (status = 401), (status = 403), (status = 413),
              (status = 422, description = "every problem with its path; nothing written")))]
pub async fn import(State(state): State<AppState>, actor: Actor, JsonBody(body): JsonBody) -> ApiResult<Json<Value>> {
    actor.require_admin()?;
    let counts = import_bundle(&state, &body).await?;
    Ok(Json(json!({ "imported": counts })))
}

/// Validates and writes a bundle, then lets the analytic view and open boards follow.
/// Imports are serialised so two bundles cannot claim the same codes at once.
pub async fn import_bundle(state: &AppState, body: &Value) -> ApiResult<BundleCounts> {
    static IMPORTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one_at_a_time = IMPORTS.lock().await;
    let started = std::time::Instant::now();
    let known = crate::repo::import::known(&state.db).await?;
    let bundle = Bundle::read(body, &known.existing).map_err(ApiError::Invalid)?;
    let validated = started.elapsed();
    let settings = state.settings.read().await.clone();
    let changes = crate::repo::import::write(&state.db, &bundle, &known, &settings).await?;
    let written = started.elapsed();
    state.follow_import(changes, bundle.leads.iter().map(|l| l.code.clone()).collect()).await?;
    tracing::info!(leads = bundle.leads.len(), ?validated, ?written, total = ?started.elapsed(), "bundle imported");
    Ok(bundle.counts())
}
