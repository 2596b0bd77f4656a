//! Accounts: signing in (throttled per account and per client address, the password checked
//! on the blocking pool), signing out, passwords, the language a user speaks, API tokens.
use crate::domain::enums::Role;
use crate::domain::validate::ProblemCode;
use crate::i18n::Lang;
use crate::ssr::actor::Actor;
use crate::ssr::defence::throttle;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo;
use crate::ssr::secrets;
use crate::ssr::state::AppState;

/// The shortest password Genjin takes.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Sets a user's password (an admin's or the user's own act; callers check which).
pub async fn set_password(state: &AppState, user: &str, password: &str) -> ApiResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            "password",
            ProblemCode::TooShort,
            format!("must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    let hash = secrets::hash_password_blocking(password.to_string()).await?;
    Ok(repo::sessions::set_password_hash(&state.db, &[user.to_string()], &hash).await?)
}

/// Checks a user's password and opens a new session; answers its secret (for the cookie), or
/// `None` for a wrong user or password (answered alike). After a handful of failures for the
/// account or from the address, further tries wait ([`ApiError::TooManyAttempts`]).
pub async fn sign_in(state: &AppState, user: &str, password: &str, client: Option<&str>) -> ApiResult<Option<String>> {
    let user = user.trim();
    let keys = throttle::keys(user, client);
    throttle::check(&state.db, &keys, chrono::Utc::now()).await?.map_err(ApiError::TooManyAttempts)?;
    let hash = repo::sessions::password_hash(&state.db, user).await?.flatten();
    if !secrets::verify_password_blocking(password.to_string(), hash).await {
        throttle::failed(&state.db, &keys, chrono::Utc::now()).await?;
        return Ok(None);
    }
    throttle::succeeded(&state.db, &keys).await?;
    Ok(Some(repo::sessions::open(&state.db, user).await?))
}

/// The user of a request's live session, and the language they chose.
pub async fn viewer(state: &AppState, headers: &axum::http::HeaderMap) -> ApiResult<Option<(Actor, Lang)>> {
    match crate::ssr::cookies::session_secret(headers) {
        Some(secret) => Ok(repo::sessions::actor_for_session(&state.db, secret).await?),
        None => Ok(None),
    }
}

/// Ends a session.
pub async fn sign_out(state: &AppState, secret: &str) -> ApiResult<()> {
    Ok(repo::sessions::sign_out(&state.db, secret).await?)
}

/// Remembers the language a user chose.
pub async fn set_lang(state: &AppState, actor: &Actor, lang: Lang) -> ApiResult<()> {
    Ok(repo::sessions::set_lang(&state.db, &actor.user, lang).await?)
}

/// Makes an API token for a user (admin only); the token is shown once, stored hashed.
pub async fn create_token(state: &AppState, actor: &Actor, user: &str, label: &str) -> ApiResult<(Role, String)> {
    actor.require_admin()?;
    let Some(role) = repo::users::role_of(&state.db, user).await? else {
        return Err(ApiError::invalid("user", ProblemCode::UnknownRecord, format!("no user `{user}`")));
    };
    let token = secrets::new_token();
    repo::users::add_token(&state.db, user, &token, label).await?;
    Ok((role, token))
}
