//! The server functions the pages call: each runs on the server as the signed-in user
//! (checked on every call) and goes through the same repository functions as `/api/v1`.
pub mod board;
pub mod embed;
pub mod kpis;
pub mod leads;
pub mod session;

/// The shared state and the acting user of the current request; signed out is an error.
#[cfg(feature = "ssr")]
pub async fn acting() -> Result<(crate::ssr::state::AppState, crate::ssr::auth::Actor), crate::error::UiError> {
    let state = state()?;
    let headers: axum::http::HeaderMap =
        leptos_axum::extract().await.map_err(|e| crate::error::UiError::Network(e.to_string()))?;
    let actor = crate::ssr::auth::actor_of(&headers, &state).await?.ok_or(crate::error::UiError::SignedOut)?;
    Ok((state, actor))
}

#[cfg(feature = "ssr")]
pub fn state() -> Result<crate::ssr::state::AppState, crate::error::UiError> {
    leptos::prelude::use_context::<crate::ssr::state::AppState>().ok_or(crate::error::UiError::Server)
}
