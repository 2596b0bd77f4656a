//! The feedback loop (API.md "Follow-up work"): feedback recorded on a lead, changed through
//! its statuses, listed and counted — thin doors onto `service::feedback`.
use super::{ApiQuery, JsonBody};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::enums::{FeedbackStatus, FeedbackType};
use app::domain::feedback::Feedback;
use app::domain::validate::ProblemCode;
use app::kpi::{Period, PeriodError};
use app::ssr::service::feedback::{self as service, FeedbackPatch, FeedbackStats, NewFeedback};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct FeedbackQuery {
    /// YYYY-MM-DD: received on or after this day (with `to`).
    pub from: Option<String>,
    /// YYYY-MM-DD: received before this day (with `from`).
    pub to: Option<String>,
    /// `product_service`, `price`, `service` or `decision`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `open`, `in_progress`, `resolved` or `confirmed`.
    pub status: Option<String>,
    /// 1–2,000 (default 200).
    pub limit: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

async fn period(state: &AppState, from: Option<&str>, to: Option<&str>, required: bool) -> ApiResult<Option<Period>> {
    let tz = state.settings.read().await.tz();
    match (from, to) {
        (None, None) if !required => Ok(None),
        (Some(from), Some(to)) => Period::parse(from, to, tz).map(Some).map_err(|e| match &e {
            PeriodError::BadDate(d) if d == from => ApiError::invalid("from", ProblemCode::BadTime, e.to_string()),
            PeriodError::BadDate(_) => ApiError::invalid("to", ProblemCode::BadTime, e.to_string()),
            PeriodError::Empty => ApiError::invalid("to", ProblemCode::BadOrder, e.to_string()),
        }),
        (None, _) => Err(ApiError::invalid("from", ProblemCode::Required, "is required with `to` (YYYY-MM-DD)")),
        (_, None) => Err(ApiError::invalid("to", ProblemCode::Required, "is required with `from` (YYYY-MM-DD)")),
    }
}

fn parse<E: std::str::FromStr<Err = String>>(name: &str, v: &Option<String>) -> ApiResult<Option<E>> {
    given(v).map(|s| s.parse::<E>().map_err(|m| ApiError::invalid(name, ProblemCode::UnknownValue, m))).transpose()
}

#[utoipa::path(post, path = "/api/v1/leads/{code}/feedback", params(("code" = String, Path)),
    request_body(content = Object, description = "`{\"received_at\", \"channel\", \"type\", \"priority\", \"summary\", \"why\": [\"…\"] (≤ 5), \"root_cause\", \"resolution\": \"resolve_now\"|\"negotiate\"|\"cannot_resolve\", \"plan\", \"owner\", \"due_at\"}`; `priority` is suggested from the lead's grade and the type when left out"),
    responses((status = 201, body = Feedback), (status = 400), (status = 401), (status = 403), (status = 404), (status = 410), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Feedback>)> {
    let cmd = NewFeedback::read(&body).map_err(ApiError::Invalid)?;
    Ok((StatusCode::CREATED, Json(service::create(&state, &actor, &code, cmd).await?)))
}

#[utoipa::path(get, path = "/api/v1/feedback/{id}", params(("id" = String, Path)),
    responses((status = 200, body = Feedback), (status = 401), (status = 404)))]
pub async fn get(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<Feedback>> {
    Ok(Json(service::get(&state, &actor, &id).await?))
}

#[utoipa::path(patch, path = "/api/v1/feedback/{id}", params(("id" = String, Path)),
    request_body(content = Object, description = "any field of the feedback, and `status` (open → in_progress → resolved → confirmed; resolved → in_progress when the customer is not satisfied) with `resolved_at`, `customer_confirmed_at`, `satisfaction`"),
    responses((status = 200, body = Feedback), (status = 400), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn patch(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Feedback>> {
    let cmd = FeedbackPatch::read(&body).map_err(ApiError::Invalid)?;
    Ok(Json(service::update(&state, &actor, &id, cmd).await?))
}

#[utoipa::path(get, path = "/api/v1/feedback", params(FeedbackQuery),
    responses((status = 200, description = "`{items: [feedback], total}`, newest first, `limit` of them"), (status = 400), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<FeedbackQuery>,
) -> ApiResult<Json<Value>> {
    let period = period(&state, given(&q.from), given(&q.to), false).await?;
    let kind: Option<FeedbackType> = parse("type", &q.kind)?;
    let status: Option<FeedbackStatus> = parse("status", &q.status)?;
    let limit = super::tasks::limit_param(&q.limit, 200, 2_000)?;
    let mut items = service::list(&state, &actor, period.as_ref(), kind, status).await?;
    let total = items.len();
    items.truncate(limit);
    Ok(Json(json!({ "items": items, "total": total })))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    /// YYYY-MM-DD, required.
    pub from: Option<String>,
    /// YYYY-MM-DD, required.
    pub to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/feedback/stats", params(StatsQuery),
    responses((status = 200, description = "`{total, by_type: [{key, count, share}], by_priority, by_resolution, closure, median_days_to_resolve, root_causes}`"),
        (status = 400), (status = 401), (status = 422)))]
pub async fn stats(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Json<FeedbackStats>> {
    let Some(period) = period(&state, given(&q.from), given(&q.to), true).await? else {
        return Err(ApiError::invalid("from", ProblemCode::Required, "is required (YYYY-MM-DD)"));
    };
    Ok(Json(service::stats(&state, &actor, &period).await?))
}
