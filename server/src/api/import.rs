//! `POST /api/v1/import` (admin): a team's history in one bundle, all or nothing.
use super::JsonBody;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::state::AppState;
use app::domain::bundle::{Bundle, BundleCounts};
use axum::extract::State;
use axum::Json;
use serde::Serialize;

/// What an import wrote: how many records of each kind.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    pub imported: BundleCounts,
}

#[utoipa::path(post, path = "/api/v1/import", request_body = Bundle,
    responses((status = 200, description = "how many records of each kind were written", body = Imported),
              (status = 400), (status = 401), (status = 403), (status = 413),
              (status = 422, description = "every problem with its path; nothing written")))]
pub async fn import(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<Imported>> {
    let counts = app::ssr::service::import::import(&state, &actor, &body).await?;
    Ok(Json(Imported { imported: counts }))
}
