//! Customer value (PRODUCT.md §8): a lead's activity, conversion potential and lifetime value,
//! and the conversion potential's model — thin doors onto `service::value`.
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::enums::Role;
use app::ssr::service::value as service;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct ValueQuery {
    /// zh or en: the factors carry a `label` in that language.
    pub lang: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/leads/{code}/value", params(("code" = String, Path), ValueQuery),
    responses((status = 200, body = service::LeadValue, description = "`{activity: {score, tier}, potential: {probability, model, factors: [{name, contribution}]}, clv}` computed now"),
        (status = 401), (status = 404), (status = 410)))]
pub async fn lead_value(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    super::ApiQuery(q): super::ApiQuery<ValueQuery>,
) -> ApiResult<Json<service::LeadValue>> {
    let lang = q.lang.as_deref().map(app::i18n::Lang::from_code);
    Ok(Json(service::lead_value(&state, &actor, &code, chrono::Utc::now(), lang).await?))
}

/// The model in use and what the workspace holds to fit it on.
fn model_state(state: &AppState, closed: usize) -> Value {
    json!({
        "model": state.value_model().as_deref(),
        "closed": closed,
        "min_closed": app::value::potential::MIN_CLOSED,
    })
}

#[utoipa::path(get, path = "/api/v1/value/model",
    responses((status = 200, description = "`{model: {intercept, coefficients: [{name, value}], fitted_at, sample, quality: {held_out, auc, calibration: [{leads, predicted, observed}]}} | null, closed, min_closed}`"),
        (status = 401), (status = 403)))]
pub async fn model(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Value>> {
    if actor.role == Role::Rep {
        return Err(ApiError::Forbidden("the model is shown to managers and admins".into()));
    }
    let closed = state.view.read().await.closed_count();
    Ok(Json(model_state(&state, closed)))
}

#[utoipa::path(post, path = "/api/v1/value/model",
    responses((status = 200, description = "`{result: fit|forget|keep, model, closed, min_closed}`: the model fitted again now on the closed leads (admin)"),
        (status = 401), (status = 403)))]
pub async fn refit(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Value>> {
    let result = service::refit(&state, &actor, chrono::Utc::now()).await?;
    let closed = state.view.read().await.closed_count();
    let mut body = model_state(&state, closed);
    body["result"] = json!(result);
    Ok(Json(body))
}
