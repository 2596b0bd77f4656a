//! The workspace's settings (API.md "Users, teams, settings"): read, preview a change's
//! scoring replay, publish a change. Thin doors onto `service::settings`.
use super::JsonBody;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::state::AppState;
use app::scoring_replay::Replay;
use app::settings::WorkspaceSettings;
use app::ssr::service::settings as service;
use axum::extract::State;
use axum::Json;

#[utoipa::path(get, path = "/api/v1/settings",
    responses((status = 200, description = "the workspace settings document"), (status = 401)))]
pub async fn get(State(state): State<AppState>, _actor: Actor) -> Json<WorkspaceSettings> {
    Json(service::current(&state).await)
}

#[utoipa::path(put, path = "/api/v1/settings",
    request_body(content = Object, description = "a partial settings document, deep-merged"),
    responses((status = 200, description = "the settings now in force"), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn put(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<WorkspaceSettings>> {
    let (settings, _regraded) = service::update(&state, &actor, &body).await?;
    Ok(Json(settings))
}

#[utoipa::path(post, path = "/api/v1/settings/preview",
    request_body(content = Object, description = "a partial settings document, as for PUT"),
    responses((status = 200, description = "`{moves: [{from, to, leads}], grades: [{grade, now: {leads, win_rate}, proposed: {…}}]}`"),
        (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn preview(State(state): State<AppState>, actor: Actor, JsonBody(body): JsonBody) -> ApiResult<Json<Replay>> {
    Ok(Json(service::preview(&state, &actor, &body).await?))
}
