//! Browser sessions in the database: a session is stored as the SHA-256 of a random secret
//! that lives only in the user's HttpOnly cookie; passwords as argon2id hashes (made and
//! checked in `ssr::auth`, on the blocking pool, by the service).
use super::error::RepoResult;
use crate::domain::enums::Role;
use crate::i18n::Lang;
use crate::ssr::actor::Actor;
use crate::ssr::cookies::SESSION_DAYS;
use crate::ssr::db::{Db, Doc};
use crate::ssr::secrets::{hash_token, new_token};
use chrono::{Duration, Utc};
use serde::Deserialize;

/// Stores one password hash for several users (the demo accounts share a password).
pub async fn set_password_hash(db: &Db, users: &[String], hash: &str) -> RepoResult<()> {
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

/// A user's password hash: `None` for no such user, `Some(None)` for one without a password.
pub async fn password_hash(db: &Db, user: &str) -> RepoResult<Option<Option<String>>> {
    let mut res = db
        .query("SELECT password_hash FROM type::record('user', $user) WHERE active != false")
        .bind(("user", user.to_string()))
        .await?;
    let rows: Vec<HashRow> = super::rows(&mut res, 0)?;
    Ok(rows.into_iter().next().map(|r| r.password_hash))
}

/// Opens a new session for a user; answers its secret (for the cookie).
pub async fn open(db: &Db, user: &str) -> RepoResult<String> {
    let secret = new_token();
    let now = Utc::now();
    let doc = Doc::new()
        .link("user", "user", user)
        .set("hash", hash_token(&secret))
        .time("created_at", now)
        .time("expires_at", now + Duration::days(SESSION_DAYS));
    db.query("CREATE session CONTENT $doc RETURN NONE").bind(("doc", doc.into_value())).await?.check()?;
    Ok(secret)
}

/// Ends a session.
pub async fn sign_out(db: &Db, secret: &str) -> RepoResult<()> {
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
pub async fn actor_for_session(db: &Db, secret: &str) -> RepoResult<Option<(Actor, Lang)>> {
    let mut res = db
        .query(
            "SELECT user.key AS user, user.name AS name, user.role AS role, user.rep.key AS rep,
                    user.teams.key AS teams, user.lang AS lang
             FROM session WHERE hash = $hash AND expires_at > time::now() AND user.active != false LIMIT 1",
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
pub async fn set_lang(db: &Db, user: &str, lang: Lang) -> RepoResult<()> {
    db.query("UPDATE type::record('user', $user) SET lang = $lang RETURN NONE")
        .bind(("user", user.to_string()))
        .bind(("lang", lang.code().to_string()))
        .await?
        .check()?;
    Ok(())
}

/// The language a user chose (Chinese when none).
pub async fn lang_of(db: &Db, user: &str) -> RepoResult<Lang> {
    let mut res =
        db.query("SELECT VALUE lang FROM type::record('user', $user)").bind(("user", user.to_string())).await?;
    let langs: Vec<Option<String>> = res.take(0)?;
    Ok(Lang::from_code(langs.into_iter().flatten().next().as_deref().unwrap_or("zh-CN")))
}
