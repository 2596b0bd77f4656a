//! Leads and the board: list, create, read, edit, move, log a follow-up.
use super::ApiQuery;
use super::JsonBody;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::repo::leads::LeadFilter;
use crate::state::AppState;
use app::domain::commands::{LeadPatch, NewFollowUp, NewLead, StageMove};
use app::domain::enums::{Grade, Source, Status, Tier};
use app::domain::lead::{Lead, LeadList};
use app::domain::validate::ProblemCode;
use app::ssr::service;
use axum::extract::{Path, State};
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
    /// The activity tier now: active, potential or dormant.
    pub tier: Option<String>,
    /// 1–500, default 50.
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

fn enum_param<E: std::str::FromStr<Err = String>>(name: &str, v: &Option<String>) -> ApiResult<Option<E>> {
    match v.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|m| ApiError::invalid(name, ProblemCode::UnknownValue, m)),
    }
}

/// The list filters of a query.
pub fn filter_of(q: &ListQuery) -> ApiResult<LeadFilter> {
    Ok(LeadFilter {
        status: enum_param::<Status>("status", &q.status)?,
        grade: enum_param::<Grade>("grade", &q.grade)?,
        owner: q.owner.clone().filter(|s| !s.is_empty()),
        team: q.team.clone().filter(|s| !s.is_empty()),
        source: enum_param::<Source>("source", &q.source)?,
        tag: q.tag.clone().filter(|s| !s.is_empty()),
        q: q.q.clone(),
        tier: enum_param::<Tier>("tier", &q.tier)?,
    })
}

#[utoipa::path(get, path = "/api/v1/leads", params(ListQuery),
    responses((status = 200, description = "`{items: [Lead], next_cursor}`"), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<LeadList>> {
    let filter = filter_of(&q)?;
    let limit = match q.limit.as_deref().filter(|s| !s.is_empty()) {
        None => 50,
        Some(s) => s.parse::<usize>().ok().filter(|n| (1..=500).contains(n)).ok_or_else(|| {
            ApiError::invalid("limit", ProblemCode::OutOfRange, "must be a whole number from 1 to 500")
        })?,
    };
    Ok(Json(service::leads::list(&state, &actor, &filter, limit, q.cursor.as_deref()).await?))
}

#[utoipa::path(post, path = "/api/v1/leads", request_body = app::domain::lead::LeadProfile,
    responses((status = 201, description = "the lead, with `duplicates`: the leads you may see that look like the same customer"),
        (status = 400), (status = 401), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let cmd = NewLead::read(&body).map_err(ApiError::Invalid)?;
    let lead = service::leads::create(&state, &actor, cmd).await?;
    let duplicates = service::merge::duplicates_of(&state, &actor, &lead.profile, Some(&lead.code)).await;
    let mut answer = serde_json::to_value(&lead).unwrap_or_default();
    answer["duplicates"] =
        duplicates.into_iter().map(|(code, reasons)| json!({ "lead": code, "reasons": reasons })).collect();
    Ok((StatusCode::CREATED, Json(answer)))
}

#[utoipa::path(get, path = "/api/v1/leads/{code}", params(("code" = String, Path)),
    responses((status = 200, body = Lead), (status = 401), (status = 404)))]
pub async fn get(State(state): State<AppState>, actor: Actor, Path(code): Path<String>) -> ApiResult<Json<Lead>> {
    Ok(Json(service::visible_lead(&state, &actor, &code).await?))
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
    let patch = LeadPatch::read(&body).map_err(ApiError::Invalid)?;
    Ok(Json(service::leads::update(&state, &actor, &code, patch).await?))
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
    Ok(Json(service::moves::move_lead(&state, &actor, &code, m).await?))
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
    let cmd = NewFollowUp::read(&body).map_err(ApiError::Invalid)?;
    let (logged, lead) = service::follow_ups::log(&state, &actor, &code, cmd).await?;
    Ok((StatusCode::CREATED, Json(json!({ "interaction": logged, "lead": lead }))))
}

/// Creates an API token for a user (admin only). The token is shown once.
#[utoipa::path(post, path = "/api/v1/tokens",
    request_body(content = Object, description = "`{\"user\": KEY, \"label\": TEXT}`"),
    responses((status = 201, description = "`{\"token\": SECRET}`"), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn create_token(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut problems = Vec::new();
    let mut fields = app::domain::validate::Fields::new(&body, String::new(), &mut problems);
    let user = fields.req_str("user");
    let label = fields.opt_str("label").unwrap_or_else(|| "api".into());
    let Some(user) = user.filter(|_| problems.is_empty()) else {
        return Err(ApiError::Invalid(problems));
    };
    let user = user.as_str();
    let (role, token) = service::accounts::create_token(&state, &actor, user, &label).await?;
    Ok((StatusCode::CREATED, Json(json!({ "user": user, "role": role, "token": token }))))
}
