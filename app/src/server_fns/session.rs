//! Signing in and out, who is signed in, and their language.
use crate::domain::enums::Role;
use crate::error::UiError;
use crate::i18n::Lang;
use leptos::prelude::*;
#[cfg_attr(not(feature = "ssr"), allow(unused_imports))]
use leptos::server_fn::codec::Postcard;
use serde::{Deserialize, Serialize};

/// The signed-in user as the pages see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user: String,
    pub name: String,
    pub role: Role,
    pub rep: Option<String>,
    pub teams: Vec<String>,
    pub lang: Lang,
}

/// The cookie that keeps a signed-out visitor's language.
pub const LANG_COOKIE: &str = "genjin_lang";

/// Who is signed in (none when signed out), and the language to speak.
#[server(prefix = "/rpc", endpoint = "viewer", output = Postcard)]
pub async fn current_viewer() -> Result<(Option<Viewer>, Lang), UiError> {
    use crate::ssr::repo::sessions;
    let state = super::state()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(|e| UiError::Network(e.to_string()))?;
    let cookie_lang = sessions::cookie(&headers, LANG_COOKIE).map(Lang::from_code);
    let Some(secret) = sessions::cookie(&headers, sessions::COOKIE) else {
        return Ok((None, cookie_lang.unwrap_or_default()));
    };
    Ok(match sessions::actor_for_session(&state.db, secret).await? {
        Some((a, lang)) => {
            (Some(Viewer { user: a.user, name: a.name, role: a.role, rep: a.rep, teams: a.teams, lang }), lang)
        }
        None => (None, cookie_lang.unwrap_or_default()),
    })
}

/// Where a sign-in goes on to: `next` when it is a path on this site, else the board.
pub fn landing(next: Option<&str>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//")).unwrap_or("/board").to_string()
}

/// Checks the password and starts a new session (a new session id at every sign-in).
#[server(prefix = "/rpc", endpoint = "sign_in", output = Postcard)]
pub async fn sign_in(user: String, password: String, next: Option<String>) -> Result<(), UiError> {
    use crate::ssr::repo::sessions;
    let state = super::state()?;
    let Some(secret) = sessions::sign_in(&state.db, &user, &password).await? else {
        return Err(UiError::BadCredentials);
    };
    let response = expect_context::<leptos_axum::ResponseOptions>();
    response.append_header(
        axum::http::header::SET_COOKIE,
        axum::http::HeaderValue::from_str(&sessions::session_cookie(&secret)).map_err(|_| UiError::Server)?,
    );
    // A form posted without script (it asks for HTML) goes straight on to `next`, a path on
    // this site, or the board; a page with script goes on by itself.
    let parts = use_context::<axum::http::request::Parts>();
    let plain_form = parts
        .and_then(|p| p.headers.get(axum::http::header::ACCEPT).cloned())
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
    use crate::ssr::repo::sessions;
    let state = super::state()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(|e| UiError::Network(e.to_string()))?;
    if let Some(secret) = sessions::cookie(&headers, sessions::COOKIE) {
        sessions::sign_out(&state.db, secret).await?;
    }
    let response = expect_context::<leptos_axum::ResponseOptions>();
    response.append_header(
        axum::http::header::SET_COOKIE,
        axum::http::HeaderValue::from_str(&sessions::cleared_cookie()).map_err(|_| UiError::Server)?,
    );
    Ok(())
}

/// Switches the language: remembered on the account when signed in, and in a cookie.
#[server(prefix = "/rpc", endpoint = "set_lang", output = Postcard)]
pub async fn set_lang(lang: String) -> Result<(), UiError> {
    use crate::ssr::repo::sessions;
    let lang = Lang::from_code(&lang);
    let state = super::state()?;
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(|e| UiError::Network(e.to_string()))?;
    if let Some(actor) = crate::ssr::auth::actor_of(&headers, &state).await? {
        sessions::set_lang(&state.db, &actor.user, lang).await?;
    }
    let response = expect_context::<leptos_axum::ResponseOptions>();
    let cookie = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code());
    response.append_header(
        axum::http::header::SET_COOKIE,
        axum::http::HeaderValue::from_str(&cookie).map_err(|_| UiError::Server)?,
    );
    Ok(())
}
