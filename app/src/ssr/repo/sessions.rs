//! Browser sign-in: passwords stored as argon2id hashes, sessions as the SHA-256 of a random
//! secret that lives only in the user's HttpOnly cookie. Every sign-in makes a new session.
use crate::domain::enums::Role;
use crate::i18n::Lang;
use crate::ssr::auth::{hash_token, new_token, Actor};
use crate::ssr::db::{Db, Doc};
use crate::ssr::error::{ApiError, ApiResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{Duration, Utc};
use rand::RngCore;
use serde::Deserialize;

/// The session cookie's name.
pub const COOKIE: &str = "genjin_session";
/// How long a session lasts without signing in again.
pub const SESSION_DAYS: i64 = 14;

/// An argon2id hash (PHC string) of a password, with a fresh random salt.
pub fn hash_password(password: &str) -> ApiResult<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hashing a password: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Sets a user's password (an admin's or the user's own act; callers check which).
pub async fn set_password(db: &Db, user: &str, password: &str) -> ApiResult<()> {
    if password.chars().count() < 8 {
        return Err(ApiError::invalid("password", "must have at least 8 characters"));
    }
    let hash = hash_password(password)?;
    set_password_hash(db, &[user.to_string()], &hash).await
}

/// Stores one password hash for several users (the demo accounts share a password).
pub async fn set_password_hash(db: &Db, users: &[String], hash: &str) -> ApiResult<()> {
    let ids: Vec<surrealdb::types::RecordId> = users.iter().map(|u| crate::ssr::db::record("user", u)).collect();
    db.query("UPDATE $ids SET password_hash = $hash RETURN NONE")
        .bind(("ids", ids))
        .bind(("hash", hash.to_string()))
        .await?
        .check()?;
    Ok(())
}

#[derive(Deserialize)]
struct HashRow {
    password_hash: Option<String>,
}

/// Checks a user's password and opens a new session; answers its secret (for the cookie).
/// A wrong user and a wrong password are answered alike.
pub async fn sign_in(db: &Db, user: &str, password: &str) -> ApiResult<Option<String>> {
    let mut res = db
        .query("SELECT password_hash FROM type::record('user', $user)")
        .bind(("user", user.trim().to_string()))
        .await?;
    let rows: Vec<HashRow> = super::rows(&mut res, 0)?;
    let hash = rows.into_iter().next().and_then(|r| r.password_hash);
    let ok = match &hash {
        Some(h) => verify_password(password, h),
        None => {
            // Spend the same time as a real check, so a missing account is not told apart.
            let _ = hash_password(password);
            false
        }
    };
    if !ok {
        return Ok(None);
    }
    let secret = new_token();
    let now = Utc::now();
    let doc = Doc::new()
        .link("user", "user", user.trim())
        .set("hash", hash_token(&secret))
        .time("created_at", now)
        .time("expires_at", now + Duration::days(SESSION_DAYS));
    db.query("CREATE session CONTENT $doc RETURN NONE").bind(("doc", doc.into_value())).await?.check()?;
    Ok(Some(secret))
}

/// Ends a session.
pub async fn sign_out(db: &Db, secret: &str) -> ApiResult<()> {
    db.query("DELETE session WHERE hash = $hash RETURN NONE").bind(("hash", hash_token(secret))).await?.check()?;
    Ok(())
}

#[derive(Deserialize)]
struct SessionRow {
    user: String,
    name: String,
    role: String,
    rep: Option<String>,
    #[serde(default)]
    teams: Vec<String>,
    lang: Option<String>,
}

/// The user of a live session, and the language they chose.
pub async fn actor_for_session(db: &Db, secret: &str) -> ApiResult<Option<(Actor, Lang)>> {
    let mut res = db
        .query(
            "SELECT user.key AS user, user.name AS name, user.role AS role, user.rep.key AS rep,
                    user.teams.key AS teams, user.lang AS lang
             FROM session WHERE hash = $hash AND expires_at > time::now() LIMIT 1",
        )
        .bind(("hash", hash_token(secret)))
        .await?;
    let rows: Vec<SessionRow> = super::rows(&mut res, 0)?;
    Ok(rows.into_iter().next().map(|r| {
        (
            Actor {
                user: r.user,
                name: r.name,
                role: Role::parse(&r.role).unwrap_or(Role::Rep),
                rep: r.rep,
                teams: r.teams,
            },
            Lang::from_code(r.lang.as_deref().unwrap_or("zh-CN")),
        )
    }))
}

/// Remembers the language a user chose.
pub async fn set_lang(db: &Db, user: &str, lang: Lang) -> ApiResult<()> {
    db.query("UPDATE type::record('user', $user) SET lang = $lang RETURN NONE")
        .bind(("user", user.to_string()))
        .bind(("lang", lang.code().to_string()))
        .await?
        .check()?;
    Ok(())
}

/// Reads a cookie's value from a request's headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// The Set-Cookie value of a new session (HttpOnly, SameSite=Lax, whole site).
pub fn session_cookie(secret: &str) -> String {
    format!("{COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}", SESSION_DAYS * 86_400)
}

/// The Set-Cookie value that removes the session cookie.
pub fn cleared_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hashed_with_argon2id_and_a_fresh_salt() {
        let a = hash_password("销售冠军2026").unwrap();
        let b = hash_password("销售冠军2026").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b);
        assert!(verify_password("销售冠军2026", &a));
        assert!(!verify_password("销售冠军2025", &a));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn the_session_cookie_is_read_among_others_and_is_http_only() {
        let mut h = axum::http::HeaderMap::new();
        h.insert(axum::http::header::COOKIE, "theme=dark; genjin_session=gj_abc; x=1".parse().unwrap());
        assert_eq!(cookie(&h, COOKIE), Some("gj_abc"));
        assert_eq!(cookie(&h, "none"), None);
        let set = session_cookie("gj_abc");
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.starts_with("genjin_session=gj_abc;"));
        assert!(cleared_cookie().contains("Max-Age=0"));
    }
}
