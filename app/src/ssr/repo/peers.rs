//! The `change` table, through which app servers sharing one database follow each other's
//! writes: a row per committed change, read back by LIVE SELECT or through the change feed.
use super::error::{checked, RepoResult};
use crate::ssr::db::Db;
use futures::StreamExt;
use serde::Deserialize;
use surrealdb::Notification;

/// A change as another app server wrote it.
#[derive(Debug, Clone, Deserialize)]
pub struct SharedRow {
    pub origin: String,
    pub body: String,
}

/// Writes one committed change for the other app servers.
pub async fn share(db: &Db, origin: &str, body: String) -> RepoResult<()> {
    checked(
        db.query("CREATE change SET origin = $origin, at = time::now(), body = $body RETURN NONE")
            .bind(("origin", origin.to_string()))
            .bind(("body", body))
            .await?,
    )?;
    Ok(())
}

/// Clears the rows every app server has had time to read (the change feed keeps its own).
pub async fn clear_old(db: &Db) -> RepoResult<()> {
    checked(db.query("DELETE change WHERE at < time::now() - 10m RETURN NONE").await?)?;
    Ok(())
}

/// What LIVE SELECT sends about the `change` table.
#[derive(Debug)]
pub enum LiveRow {
    /// A change another app server (or this one) committed.
    Created(SharedRow),
    /// Anything else (the clearing of old rows): nothing to follow.
    Other,
    /// The connection to the database was lost: changes may have been missed.
    Broken(String),
}

/// The rows created from now on, as LIVE SELECT sends them. The stream says `Broken` and ends
/// when the connection to the database is lost.
pub async fn live(db: &Db) -> RepoResult<impl futures::Stream<Item = LiveRow> + Send + Unpin + 'static> {
    let mut res = db.query("LIVE SELECT origin, body FROM change").await?;
    let stream = res.stream::<Notification<serde_json::Value>>(0)?;
    Ok(stream.map(|item| match item {
        Ok(n) if n.action == surrealdb::types::Action::Create => match serde_json::from_value::<SharedRow>(n.data) {
            Ok(row) => LiveRow::Created(row),
            Err(e) => LiveRow::Broken(format!("an unreadable change: {e}")),
        },
        Ok(_) => LiveRow::Other,
        Err(e) => LiveRow::Broken(e.to_string()),
    }))
}

/// One page of the change feed from `since` (a versionstamp, inclusive): the rows created, in
/// commit order, and the versionstamp of the last change set read.
pub async fn feed_page(db: &Db, since: u64, limit: u32) -> RepoResult<(Vec<SharedRow>, Option<u64>)> {
    #[derive(Deserialize)]
    struct Set {
        versionstamp: u64,
        changes: Vec<serde_json::Value>,
    }
    // `SINCE` takes a literal: a number Genjin computed, never user input.
    let mut res = db.query(format!("SHOW CHANGES FOR TABLE change SINCE {since} LIMIT {limit}")).await?;
    let sets: Vec<Set> = super::rows(&mut res, 0)?;
    let last = sets.last().map(|s| s.versionstamp);
    let rows = sets
        .into_iter()
        .flat_map(|s| s.changes)
        .filter_map(|c| c.get("update").cloned())
        .filter_map(|row| serde_json::from_value::<SharedRow>(row).ok())
        .collect();
    Ok((rows, last))
}

/// The versionstamp of the change feed's newest change set (0 when it holds none), found by
/// bisection over `SHOW CHANGES … SINCE n LIMIT 1` (true while a change set at or after `n`
/// exists): where a follower starts before it reads the views.
pub async fn feed_end(db: &Db) -> RepoResult<u64> {
    let (_, first) = feed_page(db, 0, 1).await?;
    let Some(mut low) = first else { return Ok(0) };
    // `low` holds a change set; find the greatest that does.
    let mut high = u64::MAX >> 1;
    while low < high {
        let mid = low + (high - low).div_ceil(2);
        match feed_page(db, mid, 1).await? {
            (_, Some(at)) => low = at.max(mid),
            (_, None) => high = mid - 1,
        }
    }
    Ok(low)
}
