//! Follow-up plans (PRODUCT.md §5, §13): the workspace's templates by grade, a lead's plan,
//! editing it, and checking its milestones off — thin doors onto `service::plans`.
use super::{ApiQuery, JsonBody};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::commands::{CheckMilestone, SavePlan};
use app::domain::lead::Lead;
use app::ssr::service::plans as service;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[utoipa::path(get, path = "/api/v1/plan-templates",
    responses((status = 200, description = "`{grades: [[stage × 4] × S, A, B, C]}`, each stage `{goal, strategy, channels, talking_points, expected_result, contingency}`"), (status = 401)))]
pub async fn templates(State(state): State<AppState>, _actor: Actor) -> ApiResult<Json<Value>> {
    Ok(Json(json!(service::templates(&state).await?)))
}

#[utoipa::path(put, path = "/api/v1/plan-templates",
    request_body(content = Object, description = "`{grades: [[stage × 4] × S, A, B, C]}`: the plans new leads of each grade start from"),
    responses((status = 200), (status = 400), (status = 401), (status = 403, description = "not an admin"), (status = 422)))]
pub async fn put_templates(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    actor.require_admin()?;
    let templates = app::domain::commands::read_templates(&body).map_err(ApiError::Invalid)?;
    Ok(Json(json!(service::save_templates(&state, &actor, templates).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PlanQuery {
    /// `zh` (default) or `en`: the milestones' language.
    pub lang: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/leads/{code}/plan", params(("code" = String, Path), PlanQuery),
    responses((status = 200, description = "`{lead, company, grade, status, stages: [{stage, status, goal, strategy, channels, talking_points, expected_result, contingency, due_at, milestone, reached, checked, follow_ups: {expected_min, expected_max, actual}, current}], progress: {reached, due}, completion, version, lead_version, can_edit}`"),
        (status = 401), (status = 404), (status = 410)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> ApiResult<Json<Value>> {
    let lang = app::i18n::Lang::from_code(q.lang.as_deref().unwrap_or("zh"));
    Ok(Json(json!(service::view(&state, &actor, &code, lang).await?)))
}

#[utoipa::path(put, path = "/api/v1/leads/{code}/plan", params(("code" = String, Path)),
    request_body(content = Object, description = "`{stages: [4 × {goal, strategy, channels, talking_points, expected_result, contingency}], version}`: `version` is the plan's as read (0 while it is its grade's template)"),
    responses((status = 200, description = "`{version}`"), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 410), (status = 422)))]
pub async fn put(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let cmd = SavePlan::read(&body).map_err(ApiError::Invalid)?;
    Ok(Json(json!({ "version": service::save(&state, &actor, &code, cmd).await? })))
}

#[utoipa::path(post, path = "/api/v1/leads/{code}/milestones", params(("code" = String, Path)),
    request_body(content = Object, description = "`{stage: initial_contact|need_deepening|proposal_comparison|negotiation, reached: bool, version}` (`version`: the lead's)"),
    responses((status = 200, description = "`{lead, suggested_move: status|null}`: a reached milestone of the lead's current stage suggests its next status"),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 410), (status = 422)))]
pub async fn check(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Value>> {
    let cmd = CheckMilestone::read(&body).map_err(ApiError::Invalid)?;
    let (lead, suggested): (Lead, _) = service::check(&state, &actor, &code, cmd).await?;
    Ok(Json(json!({ "lead": lead, "suggested_move": suggested })))
}
