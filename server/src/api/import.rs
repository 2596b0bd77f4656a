//! `POST /api/v1/import` (admin): a team's history in one bundle, all or nothing.
use super::JsonBody;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::state::AppState;
use app::domain::bundle::{Bundle, BundleCounts};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

#[utoipa::path(post, path = "/api/v1/import", request_body = Bundle,
    responses((status = 200, description = "`{\"imported\": counts}`", body = BundleCounts),
              (status = 400), (status = 401), (status = 403), (status = 413),
              (status = 422, description = "every problem with its path; nothing written")))]
pub async fn import(State(state): State<AppState>, actor: Actor, JsonBody(body): JsonBody) -> ApiResult<Json<Value>> {
    let counts = app::ssr::service::import::import(&state, &actor, &body).await?;
    Ok(Json(json!({ "imported": counts })))
}
