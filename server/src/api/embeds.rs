//! The pipeline widget's embeds (API.md "The pipeline widget"), for admins: create one for a
//! team with the intranet origins allowed to show it (the key answered once, with the snippet),
//! list them with their last use, revoke one (every open widget of it stops at once).
use super::JsonBody;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::embed::{snippet, Embed, NewEmbed};
use app::ssr::service::embeds as service;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

#[utoipa::path(get, path = "/api/v1/embeds",
    responses((status = 200, description = "`{items: [Embed]}`, newest first, with each one's last use and revocation"), (status = 401), (status = 403)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "items": service::embeds(&state, &actor).await? })))
}

#[utoipa::path(post, path = "/api/v1/embeds",
    request_body(content = Object, description = "`{\"name\": \"销售部门户\", \"team\": \"t1\", \"origins\": [\"https://intranet.example.com\"]}`"),
    responses((status = 201, description = "`{id, key, snippet, embed}`: the key is shown this once (stored hashed)"),
        (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    actor.require_admin()?;
    let new = NewEmbed::read(&body).map_err(ApiError::Invalid)?;
    let created = service::create(&state, &actor, new).await?;
    let origin = app::ssr::admin::forms::public_origin(state.public_origin.as_deref(), &headers);
    let lang = if asks_english(&body) { "en" } else { "zh" };
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": created.embed.id,
            "key": created.key,
            "snippet": snippet(&origin, &created.key, lang),
            "embed": created.embed,
        })),
    ))
}

/// The snippet's language: `"lang": "en"` in the body asks for English, else Chinese.
fn asks_english(body: &Value) -> bool {
    body.get("lang").and_then(Value::as_str).is_some_and(|l| l.starts_with("en"))
}

#[utoipa::path(delete, path = "/api/v1/embeds/{id}", params(("id" = String, Path)),
    responses((status = 200, body = Embed, description = "the embed, revoked: its key opens nothing and its open widgets stop"),
        (status = 401), (status = 403), (status = 404)))]
pub async fn revoke(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<Embed>> {
    Ok(Json(service::revoke(&state, &actor, &id).await?))
}
