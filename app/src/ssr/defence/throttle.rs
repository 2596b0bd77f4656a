//! Sign-in throttling, per account and per client address: after [`FREE_FAILURES`] failed
//! sign-ins within [`WINDOW`], each further try waits, twice as long after every failure up
//! to [`MAX_WAIT`]. A good sign-in clears its account's count (not its address's: one person
//! guessing many accounts from one place stays slowed). The counts live in the database, so
//! every app server behind a load balancer slows the same guesser down.
use crate::ssr::db::{record, Db};
use crate::ssr::repo::{checked, RepoResult};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

pub const FREE_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::minutes(15);
pub const FIRST_WAIT: Duration = Duration::seconds(30);
pub const MAX_WAIT: Duration = Duration::minutes(15);

/// A key's failed sign-ins: how many, and the last one's time.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Failures {
    pub count: u32,
    pub last: DateTime<Utc>,
}

impl Failures {
    /// How long after the last failure the next try must wait.
    pub fn wait(&self) -> Duration {
        if self.count < FREE_FAILURES {
            return Duration::zero();
        }
        let doublings = (self.count - FREE_FAILURES).min(10);
        (FIRST_WAIT * 2i32.pow(doublings)).min(MAX_WAIT)
    }

    /// How long a try at `now` must still wait (zero: it may go ahead).
    pub fn wait_left(&self, now: DateTime<Utc>) -> Duration {
        (self.wait() - (now - self.last)).max(Duration::zero())
    }
}

/// After this long without a failure a key starts afresh (the window, or the longest wait).
pub fn forgotten_after() -> Duration {
    WINDOW.max(MAX_WAIT)
}

/// The keys a sign-in is counted under: the account, and the client's address if known.
pub fn keys(user: &str, client: Option<&str>) -> Vec<String> {
    let mut keys = vec![format!("user:{}", user.trim().to_lowercase())];
    if let Some(addr) = client {
        keys.push(format!("addr:{addr}"));
    }
    keys
}

/// The longest any of `keys` must still wait at `now`, in whole seconds (`None`: go ahead).
pub fn must_wait(failures: &[Failures], now: DateTime<Utc>) -> Option<u64> {
    let wait = failures
        .iter()
        .filter(|f| now - f.last < forgotten_after())
        .map(|f| f.wait_left(now))
        .max()
        .unwrap_or_else(Duration::zero);
    (wait > Duration::zero()).then(|| wait.num_seconds().max(1) as u64)
}

fn ids(keys: &[String]) -> Vec<surrealdb::types::RecordId> {
    keys.iter().map(|k| record("sign_in_failure", k)).collect()
}

/// `Err(seconds)` while any key must still wait.
pub async fn check(db: &Db, keys: &[String], now: DateTime<Utc>) -> RepoResult<Result<(), u64>> {
    let mut res = db.query("SELECT count, last FROM $ids").bind(("ids", ids(keys))).await?;
    let failures: Vec<Failures> = crate::ssr::repo::rows(&mut res, 0)?;
    Ok(must_wait(&failures, now).map_or(Ok(()), Err))
}

/// Counts a failed sign-in under each key, in one statement (two app servers counting at once
/// both count), and forgets the keys nobody failed for a while.
pub async fn failed(db: &Db, keys: &[String], now: DateTime<Utc>) -> RepoResult<()> {
    let since = now - forgotten_after();
    checked(
        db.query(
            "FOR $id IN $ids {
                UPSERT $id SET count = IF last != NONE AND last > $since THEN count + 1 ELSE 1 END, last = $now
                RETURN NONE;
             };
             DELETE sign_in_failure WHERE last < $since RETURN NONE;",
        )
        .bind(("ids", ids(keys)))
        .bind(("since", surrealdb::types::Datetime::from(since)))
        .bind(("now", surrealdb::types::Datetime::from(now)))
        .await?,
    )?;
    Ok(())
}

/// A good sign-in: the account starts afresh.
pub async fn succeeded(db: &Db, keys: &[String]) -> RepoResult<()> {
    let accounts: Vec<String> = keys.iter().filter(|k| k.starts_with("user:")).cloned().collect();
    checked(db.query("DELETE $ids RETURN NONE").bind(("ids", ids(&accounts))).await?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failures(count: u32, last: DateTime<Utc>) -> Failures {
        Failures { count, last }
    }

    #[test]
    fn a_handful_of_failures_is_free_then_each_try_waits_longer() {
        let start = Utc::now();
        assert_eq!(must_wait(&[failures(FREE_FAILURES - 1, start)], start), None);
        assert_eq!(must_wait(&[failures(FREE_FAILURES, start)], start), Some(30));
        let later = start + Duration::seconds(31);
        assert_eq!(must_wait(&[failures(FREE_FAILURES, start)], later), None);
        assert_eq!(must_wait(&[failures(FREE_FAILURES + 1, later)], later), Some(60));
        // Never longer than the longest wait.
        assert_eq!(must_wait(&[failures(40, start)], start), Some(MAX_WAIT.num_seconds() as u64));
    }

    #[test]
    fn the_longest_wait_of_the_keys_counts() {
        let now = Utc::now();
        let account = Failures { count: FREE_FAILURES, last: now };
        let address = Failures { count: FREE_FAILURES + 2, last: now };
        assert_eq!(must_wait(&[account, address], now), Some(120));
    }

    #[test]
    fn failures_are_forgotten_after_the_window() {
        let start = Utc::now();
        let later = start + forgotten_after() + Duration::seconds(1);
        assert_eq!(must_wait(&[Failures { count: 40, last: start }], later), None);
    }

    #[test]
    fn keys_are_the_account_in_lower_case_and_the_address() {
        assert_eq!(keys(" R14 ", Some("10.0.0.7")), vec!["user:r14".to_string(), "addr:10.0.0.7".to_string()]);
        assert_eq!(keys("r14", None), vec!["user:r14".to_string()]);
    }
}
