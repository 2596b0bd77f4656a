//! Users, teams and API tokens (API.md "Users, teams, settings"): thin doors onto
//! `service::people`.
use super::JsonBody;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::users::{NewTeam, NewUser, Team, TokenInfo, User, UserFields};
use app::ssr::service::people as service;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

#[utoipa::path(get, path = "/api/v1/users",
    responses((status = 200, body = [User]), (status = 401), (status = 403)))]
pub async fn list_users(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Value>> {
    let users = service::users(&state, &actor).await?;
    Ok(Json(json!({ "items": users })))
}

#[utoipa::path(post, path = "/api/v1/users",
    request_body(content = Object, description = "`{key, name, role, seniority, team, region, industries, mentor, max_open_leads, password}`"),
    responses((status = 201, body = User), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn create_user(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<User>)> {
    actor.require_admin()?;
    let cmd = NewUser::read(&body).map_err(ApiError::Invalid)?;
    Ok((StatusCode::CREATED, Json(service::create_user(&state, &actor, cmd).await?)))
}

#[utoipa::path(get, path = "/api/v1/users/{key}", params(("key" = String, Path)),
    responses((status = 200, body = User), (status = 401), (status = 403), (status = 404)))]
pub async fn get_user(State(state): State<AppState>, actor: Actor, Path(key): Path<String>) -> ApiResult<Json<User>> {
    Ok(Json(service::user(&state, &actor, &key).await?))
}

#[utoipa::path(patch, path = "/api/v1/users/{key}", params(("key" = String, Path)),
    request_body(content = Object, description = "any user field; `\"active\": false` deactivates"),
    responses((status = 200, body = User), (status = 400), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn patch_user(
    State(state): State<AppState>,
    actor: Actor,
    Path(key): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<User>> {
    actor.require_admin()?;
    let fields = UserFields::read_patch(&body).map_err(ApiError::Invalid)?;
    Ok(Json(service::update_user(&state, &actor, &key, fields).await?))
}

#[utoipa::path(post, path = "/api/v1/users/{key}/password", params(("key" = String, Path)),
    request_body(content = Object, description = "`{\"password\": TEXT}`, or `{}` for a new random password answered once"),
    responses((status = 200, description = "`{\"password\": TEXT|null}`"), (status = 400), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn reset_password(
    State(state): State<AppState>,
    actor: Actor,
    Path(key): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let mut problems = Vec::new();
    let password = app::domain::validate::Fields::new(&body, String::new(), &mut problems).opt_str("password");
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let generated = service::reset_password(&state, &actor, &key, password).await?;
    Ok(Json(json!({ "user": key, "password": generated })))
}

#[utoipa::path(post, path = "/api/v1/users/{key}/reassign", params(("key" = String, Path)),
    request_body(content = Object, description = "`{\"to\": REP|null}`: null hands each open lead to whoever the assignment rules pick"),
    responses((status = 200, description = "`{\"reassigned\": n}`"), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn reassign(
    State(state): State<AppState>,
    actor: Actor,
    Path(key): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let mut problems = Vec::new();
    let to = app::domain::validate::Fields::new(&body, String::new(), &mut problems).opt_str("to");
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let n = service::reassign_open_leads(&state, &actor, &key, to.as_deref()).await?;
    Ok(Json(json!({ "reassigned": n })))
}

#[utoipa::path(get, path = "/api/v1/users/{key}/tokens", params(("key" = String, Path)),
    responses((status = 200, description = "`{items: [{id, label, created_at, revoked_at}]}`"), (status = 401), (status = 403)))]
pub async fn tokens(State(state): State<AppState>, actor: Actor, Path(key): Path<String>) -> ApiResult<Json<Value>> {
    let items: Vec<TokenInfo> = service::tokens(&state, &actor, &key).await?;
    Ok(Json(json!({ "items": items })))
}

#[utoipa::path(delete, path = "/api/v1/users/{key}/tokens/{id}", params(("key" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    actor: Actor,
    Path((key, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    service::revoke_token(&state, &actor, &key, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/teams",
    responses((status = 200, body = [Team]), (status = 401), (status = 403)))]
pub async fn list_teams(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "items": service::teams(&state, &actor).await? })))
}

#[utoipa::path(post, path = "/api/v1/teams",
    request_body(content = Object, description = "`{key, name, region, manager}`"),
    responses((status = 201, body = Team), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn create_team(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Team>)> {
    actor.require_admin()?;
    let cmd = NewTeam::read(&body).map_err(ApiError::Invalid)?;
    Ok((StatusCode::CREATED, Json(service::create_team(&state, &actor, cmd).await?)))
}
