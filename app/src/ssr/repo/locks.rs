//! Work one app server at a time may do (an import), held in the database so that it holds
//! across every app server on it: taken by creating the `lock` record, renewed while the work
//! runs, released when it ends, and taken over once its lease ran out (its holder died).
use super::error::{RepoError, RepoResult};
use crate::ssr::db::{record, Db};
use chrono::{Duration, Utc};
use surrealdb::types::Datetime;

/// How long a lock holds without being renewed; it is renewed three times as often.
const LEASE: Duration = Duration::minutes(2);
/// How often someone waiting for a lock tries again.
const RETRY: std::time::Duration = std::time::Duration::from_millis(200);

/// A lock this app server holds until it is dropped.
pub struct Held {
    db: Db,
    name: String,
    holder: String,
    renew: tokio::task::JoinHandle<()>,
}

impl Drop for Held {
    fn drop(&mut self) {
        self.renew.abort();
        let (db, name, holder) = (self.db.clone(), self.name.clone(), self.holder.clone());
        // Released in the background: a failure leaves it to expire.
        tokio::spawn(async move {
            let released = db
                .query("DELETE type::record('lock', $name) WHERE holder = $holder RETURN NONE")
                .bind(("name", name))
                .bind(("holder", holder))
                .await;
            if let Err(e) = released {
                tracing::warn!("releasing a lock failed (it expires by itself): {e}");
            }
        });
    }
}

/// Waits until the lock `name` is free and takes it.
pub async fn hold(db: &Db, name: &str) -> RepoResult<Held> {
    let holder = crate::ssr::secrets::new_token();
    while !try_take(db, name, &holder).await? {
        tokio::time::sleep(RETRY).await;
    }
    let renew = {
        let (db, name, holder) = (db.clone(), name.to_string(), holder.clone());
        tokio::spawn(async move {
            let every = (LEASE / 3).to_std().unwrap_or(std::time::Duration::from_secs(40));
            loop {
                tokio::time::sleep(every).await;
                let renewed = db
                    .query(
                        "UPDATE type::record('lock', $name) SET expires_at = $until WHERE holder = $holder RETURN NONE",
                    )
                    .bind(("name", name.clone()))
                    .bind(("holder", holder.clone()))
                    .bind(("until", Datetime::from(Utc::now() + LEASE)))
                    .await;
                if let Err(e) = renewed {
                    tracing::warn!("renewing the lock `{name}` failed: {e}");
                }
            }
        })
    };
    Ok(Held { db: db.clone(), name: name.to_string(), holder, renew })
}

/// Takes the lock if it is free or its lease ran out; answers whether it is now held.
async fn try_take(db: &Db, name: &str, holder: &str) -> RepoResult<bool> {
    let now = Utc::now();
    let res = db
        .query(
            "BEGIN TRANSACTION;
             DELETE $lock WHERE expires_at < $now RETURN NONE;
             CREATE $lock SET holder = $holder, expires_at = $until RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("lock", record("lock", name)))
        .bind(("holder", holder.to_string()))
        .bind(("now", Datetime::from(now)))
        .bind(("until", Datetime::from(now + LEASE)))
        .await?;
    match super::checked(res) {
        Ok(_) => Ok(true),
        // Someone holds it (or took it at the same moment).
        Err(RepoError::Busy) => Ok(false),
        Err(RepoError::Db(e)) if e.to_string().contains("already exists") => Ok(false),
        Err(e) => Err(e),
    }
}
