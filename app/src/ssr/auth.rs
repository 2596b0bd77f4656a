//! Who is acting on a request: an API token (`Authorization: Bearer`) or, from the browser,
//! the session cookie.
pub use crate::ssr::actor::Actor;
use crate::ssr::error::ApiError;
pub use crate::ssr::secrets::{hash_token, new_token};
use crate::ssr::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    /// An API token (`Authorization: Bearer`) or, from the browser, the session cookie.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Actor, ApiError> {
        actor_of(&parts.headers, state).await?.ok_or(ApiError::Unauthorized)
    }
}

/// The acting user of a request with these headers, if any.
pub async fn actor_of(headers: &axum::http::HeaderMap, state: &AppState) -> Result<Option<Actor>, ApiError> {
    if let Some(header) = headers.get(axum::http::header::AUTHORIZATION) {
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        return Ok(crate::ssr::repo::users::actor_for_token(&state.db, token).await?);
    }
    match crate::ssr::cookies::session_secret(headers) {
        Some(secret) => Ok(crate::ssr::repo::sessions::actor_for_session(&state.db, secret).await?.map(|(a, _)| a)),
        None => Ok(None),
    }
}
