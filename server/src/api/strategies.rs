//! Strategy variants (PRODUCT.md §14) — thin doors onto `service::strategies`.
use super::JsonBody;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::strategy::{StrategyVariant, VariantFields};
use app::ssr::service::strategies as service;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

#[utoipa::path(get, path = "/api/v1/strategy-variants",
    responses((status = 200, body = [StrategyVariant]), (status = 401)))]
pub async fn list(State(state): State<AppState>, _actor: Actor) -> ApiResult<Json<Vec<StrategyVariant>>> {
    Ok(Json(service::variants(&state).await?))
}

#[utoipa::path(post, path = "/api/v1/strategy-variants",
    request_body(content = Object, description = "`{key, description?, rotate?, active?}`: `key` is the variant's name as leads carry it; `rotate` gives it in turn to new leads without a strategy"),
    responses((status = 201, body = StrategyVariant), (status = 401), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<StrategyVariant>)> {
    let fields = VariantFields::read(&body, true).map_err(ApiError::Invalid)?;
    Ok((StatusCode::CREATED, Json(service::create(&state, &actor, fields).await?)))
}

#[utoipa::path(patch, path = "/api/v1/strategy-variants/{key}", params(("key" = String, Path)),
    request_body(content = Object, description = "`{description?, rotate?, active?, version}`"),
    responses((status = 200, body = StrategyVariant), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(key): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<StrategyVariant>> {
    let fields = VariantFields::read(&body, false).map_err(ApiError::Invalid)?;
    Ok(Json(service::update(&state, &actor, &key, fields).await?))
}

#[utoipa::path(post, path = "/api/v1/strategy-variants/{key}/assign", params(("key" = String, Path)),
    request_body(content = Object, description = "`{leads: [code, …]}` (up to 500)"),
    responses((status = 200, description = "`{assigned: [code], unchanged: [code], refused: [code]}`: each lead put on the variant is a versioned, audited lead write"),
        (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn assign(
    State(state): State<AppState>,
    actor: Actor,
    Path(key): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<service::Assigned>> {
    let Some(leads) = body.get("leads").and_then(|l| l.as_array()) else {
        return Err(ApiError::invalid("leads", app::domain::validate::ProblemCode::Required, "a list of lead codes"));
    };
    let codes: Vec<String> = leads.iter().filter_map(|c| c.as_str()).map(str::to_owned).collect();
    if codes.len() != leads.len() {
        return Err(ApiError::invalid("leads", app::domain::validate::ProblemCode::WrongType, "lead codes are texts"));
    }
    Ok(Json(service::assign(&state, &actor, &key, &codes).await?))
}
