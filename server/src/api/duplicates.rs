//! Duplicates and merging (API.md "Leads in and out"): thin doors onto `service::merge`.
use super::JsonBody;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::lead::Lead;
use app::ssr::service::merge::{self as service, KeepApart, MergeLeads};
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

#[utoipa::path(get, path = "/api/v1/duplicates",
    responses((status = 200, description = "`{groups: [{leads: [CODE], reasons: [phone|email|company]}]}`"), (status = 401)))]
pub async fn groups(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "groups": service::groups(&state, &actor).await? })))
}

#[utoipa::path(post, path = "/api/v1/duplicates/keep-apart",
    request_body(content = Object, description = "`{\"leads\": [CODE, …]}`: two to twenty leads that are different customers although they share a phone, an e-mail or a company name; `/duplicates` stops listing them together until another lead joins them"),
    responses((status = 200, description = "`{leads: [CODE]}`"), (status = 400), (status = 401), (status = 403), (status = 404),
        (status = 410, description = "one of the leads was merged already"), (status = 422)))]
pub async fn keep_apart(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let cmd = KeepApart::read(&body).map_err(ApiError::Invalid)?;
    Ok(Json(json!({ "leads": service::keep_apart(&state, &actor, cmd).await? })))
}

#[utoipa::path(post, path = "/api/v1/leads/{code}/merge", params(("code" = String, Path)),
    request_body(content = Object, description = "`{\"from\": CODE, \"version\": n, \"take\": [FIELD]}`: `from` merges into `code`; `take` names the fields whose value comes from `from`"),
    responses((status = 200, body = Lead), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 410, description = "one of the leads was merged already"), (status = 422)))]
pub async fn merge(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Lead>> {
    let cmd = MergeLeads::read(&body).map_err(ApiError::Invalid)?;
    Ok(Json(service::merge(&state, &actor, &code, cmd).await?))
}
