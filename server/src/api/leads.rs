//! Leads and the board: list, create, read, edit, move, log a follow-up.
use super::JsonBody;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::repo::leads::{self as repo, LeadFilter, LeadPage, LoggedInteraction};
use crate::state::AppState;
use app::domain::enums::{Grade, Role, Source, Status};
use app::domain::lead::{Lead, StageMove};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    pub status: Option<String>,
    pub grade: Option<String>,
    pub owner: Option<String>,
    pub team: Option<String>,
    pub source: Option<String>,
    pub tag: Option<String>,
    pub q: Option<String>,
    /// 1–500, default 50.
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

fn enum_param<E: std::str::FromStr<Err = String>>(name: &str, v: &Option<String>) -> ApiResult<Option<E>> {
    match v.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|m| ApiError::invalid(name, m)),
    }
}

#[utoipa::path(get, path = "/api/v1/leads", params(ListQuery),
    responses((status = 200, description = "`{items: [Lead], next_cursor}`"), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<LeadPage>> {
    let filter = LeadFilter {
        status: enum_param::<Status>("status", &q.status)?,
        grade: enum_param::<Grade>("grade", &q.grade)?,
        owner: q.owner.filter(|s| !s.is_empty()),
        team: q.team.filter(|s| !s.is_empty()),
        source: enum_param::<Source>("source", &q.source)?,
        tag: q.tag.filter(|s| !s.is_empty()),
        q: q.q,
    };
    let limit = match q.limit.as_deref().filter(|s| !s.is_empty()) {
        None => 50,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| ApiError::invalid("limit", "must be a whole number from 1 to 500"))?,
    };
    let page = repo::list(&state.db, &actor, &filter, limit, q.cursor.as_deref().filter(|c| !c.is_empty())).await?;
    Ok(Json(page))
}

#[utoipa::path(post, path = "/api/v1/leads", request_body = app::domain::lead::LeadProfile,
    responses((status = 201, body = Lead), (status = 400), (status = 401), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Lead>)> {
    let (profile, owner) = repo::read_profile(&body).map_err(ApiError::Invalid)?;
    let settings = state.settings.read().await.clone();
    let (lead, changes) = {
        let view = state.view.read().await;
        repo::create(&state.db, &actor, profile, owner, &settings, &view).await?
    };
    state.follow(&lead, changes).await;
    Ok((StatusCode::CREATED, Json(lead)))
}

#[utoipa::path(get, path = "/api/v1/leads/{code}", params(("code" = String, Path)),
    responses((status = 200, body = Lead), (status = 401), (status = 404)))]
pub async fn get(State(state): State<AppState>, actor: Actor, Path(code): Path<String>) -> ApiResult<Json<Lead>> {
    Ok(Json(repo::get(&state.db, &actor, &code).await?))
}

#[utoipa::path(patch, path = "/api/v1/leads/{code}", params(("code" = String, Path)),
    request_body(content = Object, description = "`version` and the profile fields to change"),
    responses((status = 200, body = Lead), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn patch(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Lead>> {
    let settings = state.settings.read().await.clone();
    let (lead, changes) = repo::patch(&state.db, &actor, &code, &body, &settings).await?;
    state.follow(&lead, changes).await;
    Ok(Json(lead))
}

#[utoipa::path(post, path = "/api/v1/leads/{code}/move", params(("code" = String, Path)), request_body = StageMove,
    responses((status = 200, body = Lead), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "stale version; the body is the current lead"), (status = 422)))]
pub async fn move_lead(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Lead>> {
    let m = StageMove::read(&body).map_err(ApiError::Invalid)?;
    let (lead, changes) = repo::move_lead(&state.db, &actor, &code, &m).await?;
    state.follow(&lead, changes).await;
    Ok(Json(lead))
}

#[utoipa::path(post, path = "/api/v1/leads/{code}/interactions", params(("code" = String, Path)),
    request_body(content = Object, description = "occurred_at, channel, direction, responded, and optionally satisfaction, summary, contact, bant_*, needs_change, feedback, decision_progress, mood, stage_after, next_follow_up_at, rep"),
    responses((status = 201, description = "the follow-up and the lead after it"), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn log_interaction(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let settings = state.settings.read().await.clone();
    let (logged, lead, changes): (LoggedInteraction, Lead, _) =
        repo::log_interaction(&state.db, &actor, &code, &body, &settings).await?;
    state.follow(&lead, changes).await;
    Ok((StatusCode::CREATED, Json(json!({ "interaction": logged, "lead": lead }))))
}

/// Creates an API token for a user (admin only). The token is shown once.
#[utoipa::path(post, path = "/api/v1/tokens",
    request_body(content = Object, description = "`{\"user\": KEY, \"label\": TEXT}`"),
    responses((status = 201, description = "`{\"token\": SECRET}`"), (status = 403), (status = 422)))]
pub async fn create_token(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    actor.require_admin()?;
    let user = body.get("user").and_then(Value::as_str).ok_or_else(|| ApiError::invalid("user", "is required"))?;
    let label = body.get("label").and_then(Value::as_str).unwrap_or("api");
    let mut res =
        state.db.query("SELECT VALUE role FROM type::record('user', $user)").bind(("user", user.to_string())).await?;
    let roles: Vec<String> = res.take(0)?;
    if roles.is_empty() {
        return Err(ApiError::invalid("user", format!("no user `{user}`")));
    }
    let token = crate::auth::new_token();
    crate::repo::users::add_token(&state.db, user, &token, label).await?;
    let role = Role::parse(&roles[0]).unwrap_or(Role::Rep);
    Ok((StatusCode::CREATED, Json(json!({ "user": user, "role": role, "token": token }))))
}
