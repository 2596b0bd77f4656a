//! Signing in and out, who is signed in, and their language.
use crate::error::UiError;
use leptos::prelude::*;
#[cfg_attr(not(feature = "ssr"), allow(unused_imports))]
use leptos::server_fn::codec::Postcard;

pub use crate::domain::people::{Viewer, Visit};

/// The cookie that keeps a signed-out visitor's language.
pub const LANG_COOKIE: &str = "genjin_lang";

/// Who is signed in (none when signed out), the language to speak and the workspace's
/// settings.
#[server(prefix = "/rpc", endpoint = "viewer", output = Postcard)]
pub async fn current_viewer() -> Result<Visit, UiError> {
    use crate::ssr::cookies;
    let state = super::state()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(|e| UiError::Network(e.to_string()))?;
    let cookie_lang = cookies::cookie(&headers, LANG_COOKIE).map(crate::i18n::Lang::from_code);
    let demo = state.demo.load(std::sync::atomic::Ordering::Relaxed);
    let settings = state.settings.read().await.clone();
    let utc_offset = {
        use chrono::{Offset, TimeZone};
        settings.tz().offset_from_utc_datetime(&chrono::Utc::now().naive_utc()).fix().local_minus_utc()
    };
    Ok(match crate::ssr::service::accounts::viewer(&state, &headers).await? {
        Some((a, lang)) => Visit {
            viewer: Some(Viewer { user: a.user, name: a.name, role: a.role, rep: a.rep, teams: a.teams, lang, demo }),
            lang,
            settings,
            utc_offset,
        },
        None => Visit { viewer: None, lang: cookie_lang.unwrap_or_default(), settings, utc_offset },
    })
}

pub use crate::landing::landing;

/// Checks the password and starts a new session (a new session id at every sign-in); after
/// a handful of failures, 429 with `Retry-After`.
#[server(prefix = "/rpc", endpoint = "sign_in", output = Postcard)]
pub async fn sign_in(user: String, password: String, next: Option<String>) -> Result<(), UiError> {
    use crate::ssr::cookies;
    let state = super::state()?;
    let response = expect_context::<leptos_axum::ResponseOptions>();
    let parts = use_context::<axum::http::request::Parts>();
    let client = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>())
        .map(|c| c.0.ip().to_string());
    let secret = match crate::ssr::service::accounts::sign_in(&state, &user, &password, client.as_deref()).await {
        Ok(Some(secret)) => secret,
        Ok(None) => {
            response.set_status(axum::http::StatusCode::UNAUTHORIZED);
            return Err(UiError::BadCredentials);
        }
        Err(crate::ssr::error::ApiError::TooManyAttempts(secs)) => {
            response.set_status(axum::http::StatusCode::TOO_MANY_REQUESTS);
            response.insert_header(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
            return Err(UiError::TooManyAttempts(secs));
        }
        Err(e) => return Err(e.into()),
    };
    let headers = parts.as_ref().map(|p| p.headers.clone()).unwrap_or_default();
    let https = cookies::is_https(&headers, state.public_origin.as_deref());
    response.append_header(
        axum::http::header::SET_COOKIE,
        axum::http::HeaderValue::from_str(&cookies::session_cookie(&secret, https)).map_err(|_| UiError::Server)?,
    );
    // A form posted without script (it asks for HTML) goes straight on to `next`, a path on
    // this site, or the board; a page with script goes on by itself.
    let plain_form = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok().map(|v| v.contains("text/html")))
        .unwrap_or(false);
    if plain_form {
        leptos_axum::redirect(&landing(next.as_deref()));
    }
    Ok(())
}

/// Ends the session and goes to the sign-in page.
#[server(prefix = "/rpc", endpoint = "sign_out", output = Postcard)]
pub async fn sign_out() -> Result<(), UiError> {
    use crate::ssr::cookies;
    let state = super::state()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(|e| UiError::Network(e.to_string()))?;
    if let Some(secret) = cookies::session_secret(&headers) {
        crate::ssr::service::accounts::sign_out(&state, secret).await?;
    }
    let https = cookies::is_https(&headers, state.public_origin.as_deref());
    let response = expect_context::<leptos_axum::ResponseOptions>();
    response.append_header(
        axum::http::header::SET_COOKIE,
        axum::http::HeaderValue::from_str(&cookies::cleared_cookie(https)).map_err(|_| UiError::Server)?,
    );
    Ok(())
}

/// Switches the language: remembered on the account when signed in, and in a cookie.
#[server(prefix = "/rpc", endpoint = "set_lang", output = Postcard)]
pub async fn set_lang(lang: String) -> Result<(), UiError> {
    let lang = crate::i18n::Lang::from_code(&lang);
    let state = super::state()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(|e| UiError::Network(e.to_string()))?;
    if let Some(actor) = crate::ssr::auth::actor_of(&headers, &state).await? {
        crate::ssr::service::accounts::set_lang(&state, &actor, lang).await?;
    }
    let response = expect_context::<leptos_axum::ResponseOptions>();
    let cookie = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code());
    response.append_header(
        axum::http::header::SET_COOKIE,
        axum::http::HeaderValue::from_str(&cookie).map_err(|_| UiError::Server)?,
    );
    Ok(())
}
