//! The pipeline widget's embeds: created with their audit row, found by their key's hash,
//! marked used, revoked with their audit row.
use super::error::RepoResult;
use super::rows;
use crate::domain::embed::Embed;
use crate::ssr::db::{Db, Doc};
use chrono::{DateTime, Utc};

const FIELDS: &str = "key AS id, name, team, origins, created_at, created_by, last_used_at, revoked_at";

/// Every embed, newest first.
pub async fn embeds(db: &Db) -> RepoResult<Vec<Embed>> {
    let mut res = db.query(format!("SELECT {FIELDS} FROM embed ORDER BY created_at DESC")).await?;
    rows(&mut res, 0)
}

pub async fn embed(db: &Db, id: &str) -> RepoResult<Option<Embed>> {
    let mut res =
        db.query(format!("SELECT {FIELDS} FROM type::record('embed', $id)")).bind(("id", id.to_string())).await?;
    Ok(rows(&mut res, 0)?.into_iter().next())
}

/// The embed whose key hashes to `hash`, revoked or not.
pub async fn by_key_hash(db: &Db, hash: &str) -> RepoResult<Option<Embed>> {
    let mut res = db
        .query(format!("SELECT {FIELDS} FROM embed WHERE key_hash = $hash LIMIT 1"))
        .bind(("hash", hash.to_string()))
        .await?;
    Ok(rows(&mut res, 0)?.into_iter().next())
}

/// The ids of the revoked embeds (each app server's widgets stop by this list).
pub async fn revoked_ids(db: &Db) -> RepoResult<Vec<String>> {
    let mut res = db.query("SELECT VALUE key FROM embed WHERE revoked_at != NONE").await?;
    Ok(res.take(0)?)
}

/// Creates an embed with its audit row.
pub async fn create(db: &Db, id: &str, embed: Doc, audit: Doc) -> RepoResult<()> {
    db.query(
        "BEGIN TRANSACTION;
         CREATE type::record('embed', $id) CONTENT $embed RETURN NONE;
         CREATE audit CONTENT $audit RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("id", id.to_string()))
    .bind(("embed", embed.into_value()))
    .bind(("audit", audit.into_value()))
    .await?
    .check()?;
    Ok(())
}

/// Revokes an embed that is not yet, with its audit row; false when there was nothing to
/// revoke.
pub async fn revoke(db: &Db, id: &str, at: DateTime<Utc>, by: &str, audit: Doc) -> RepoResult<bool> {
    let mut res = db
        .query(
            "BEGIN TRANSACTION;
             LET $done = UPDATE type::record('embed', $id) SET revoked_at = $at, revoked_by = $by
                 WHERE revoked_at = NONE RETURN VALUE key;
             IF array::len($done) > 0 { CREATE audit CONTENT $audit RETURN NONE; };
             array::len($done);
             COMMIT TRANSACTION;",
        )
        .bind(("id", id.to_string()))
        .bind(("at", surrealdb::types::Value::Datetime(at.into())))
        .bind(("by", by.to_string()))
        .bind(("audit", audit.into_value()))
        .await?
        .check()?;
    // BEGIN and COMMIT answer too: the count is the statement before COMMIT.
    let count = res.num_statements().saturating_sub(2);
    let n: Option<i64> = res.take(count)?;
    Ok(n.unwrap_or(0) > 0)
}

/// Notes that a widget of the embed loaded at `at`.
pub async fn used(db: &Db, id: &str, at: DateTime<Utc>) -> RepoResult<()> {
    db.query("UPDATE type::record('embed', $id) SET last_used_at = $at RETURN NONE")
        .bind(("id", id.to_string()))
        .bind(("at", surrealdb::types::Value::Datetime(at.into())))
        .await?
        .check()?;
    Ok(())
}
