//! Score review (API.md "Follow-up work"): a manager's override of a part of a lead's score,
//! the review of a score as it stands, the review's queue, and the month's re-evaluation
//! tasks of C leads — thin doors onto `service::scores`.
use super::tasks::limit_param;
use super::{ApiQuery, JsonBody};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::commands::{OverrideScore, ReviewScore};
use app::domain::lead::Lead;
use app::domain::validate::ProblemCode;
use app::ssr::service::scores as service;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[utoipa::path(put, path = "/api/v1/leads/{code}/override", params(("code" = String, Path)),
    request_body(content = Object, description = "`{\"part\": \"company_size\"|\"budget_match\"|\"urgency\"|\"decision_chain\", \"points\": n|null, \"reason\": \"…\", \"version\": n}`: the manager's points for the part in place of the rules' (a reason is required); `points: null` removes the override"),
    responses((status = 200, body = Lead, description = "the lead with its new score, grade and `overrides`"), (status = 400), (status = 401),
        (status = 403, description = "a rep, or a manager of another team"), (status = 404), (status = 409), (status = 410), (status = 422)))]
pub async fn override_part(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Lead>> {
    let cmd = OverrideScore::read(&body).map_err(ApiError::Invalid)?;
    Ok(Json(service::override_part(&state, &actor, &code, cmd).await?))
}

#[utoipa::path(post, path = "/api/v1/leads/{code}/score-review", params(("code" = String, Path)),
    request_body(content = Object, description = "`{\"version\": n}`: the manager has reviewed the lead's score as it stands"),
    responses((status = 200, body = Lead), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 410), (status = 422)))]
pub async fn review(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Lead>> {
    let cmd = ReviewScore::read(&body).map_err(ApiError::Invalid)?;
    Ok(Json(service::review(&state, &actor, &code, cmd).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// Scores set or changed in the last `days` days (1–366, default 30).
    pub days: Option<String>,
    /// 1–2,000 (default 200).
    pub limit: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/score-review", params(QueueQuery),
    responses((status = 200, description = "`{items: [{code, company, owner, owner_name, status, score, grade, scored_at, reviewed, overridden, version}], total}`: the open leads of the caller's teams whose score was set or changed in the period and not reviewed since, the latest first"),
        (status = 400), (status = 401), (status = 403, description = "a rep"), (status = 422)))]
pub async fn queue(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<Value>> {
    let days = match q.days.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => app::ssr::service::scores::REVIEW_DAYS,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=366).contains(&n) => n,
            _ => {
                return Err(ApiError::invalid("days", ProblemCode::OutOfRange, "must be a whole number from 1 to 366"))
            }
        },
    };
    let limit = limit_param(&q.limit, 200, 2_000)?;
    let since = chrono::Utc::now() - chrono::Duration::days(days);
    let queue = service::queue(&state, &actor, since, limit).await?;
    Ok(Json(json!({ "items": queue.items, "total": queue.total })))
}

#[utoipa::path(post, path = "/api/v1/tasks/routine",
    responses((status = 200, description = "`{reevaluate: n, weekly_touch: n}`: the routine's recurring tasks planned now — this month's re-evaluation of every open C lead, this week's touch (S: a meeting; A: an e-mail or a call) of every open S and A lead — where none was (Genjin also does this hourly; planning twice adds nothing)"),
        (status = 401), (status = 403, description = "not an admin")))]
pub async fn plan_routine(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Value>> {
    actor.require_admin()?;
    Ok(Json(json!(service::plan_routine(&state, chrono::Utc::now()).await?)))
}
