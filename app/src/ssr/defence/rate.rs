//! Posts counted per client address and minute in the database, so a limit holds across
//! every app server behind a load balancer (each app server's own in-memory limiter,
//! `tower_governor`, keeps a flood off the database first).
use crate::ssr::db::{record, Db};
use crate::ssr::repo::{checked, retrying, rows, RepoResult};
use chrono::{DateTime, Duration, Utc};
use surrealdb::types::Datetime;

/// Counts one post of `key` (a form's kind and the client's address) in the current minute:
/// `Err(seconds)` to the next minute once more than `per_minute` were counted.
pub async fn count(db: &Db, key: &str, per_minute: u32, now: DateTime<Utc>) -> RepoResult<Result<(), u64>> {
    let minute = now.timestamp().div_euclid(60);
    let start = DateTime::<Utc>::from_timestamp(minute * 60, 0).unwrap_or(now);
    let id = record("rate", &format!("{key}|{minute}"));
    let counted: u32 = retrying(|| async {
        let mut res = checked(
            db.query(
                "UPSERT $id SET n = IF n = NONE THEN 1 ELSE n + 1 END, at = $start RETURN VALUE n;
                 DELETE rate WHERE at < $old RETURN NONE;",
            )
            .bind(("id", id.clone()))
            .bind(("start", Datetime::from(start)))
            .bind(("old", Datetime::from(start - Duration::minutes(2))))
            .await?,
        )?;
        Ok(rows::<u32>(&mut res, 0)?.into_iter().next().unwrap_or(1))
    })
    .await?;
    if counted <= per_minute {
        Ok(Ok(()))
    } else {
        Ok(Err((start + Duration::minutes(1) - now).num_seconds().max(1) as u64))
    }
}
