//! The repository's errors, and the bounded retry of a transaction SurrealDB refused for a
//! conflicting concurrent write. Conflicts are told apart by their kind, never by their text.
use std::future::Future;
use std::time::Duration;
use surrealdb::types::QueryError;

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// The database refused or failed a query (its text stays in the log).
    #[error("the database: {0}")]
    Db(surrealdb::Error),
    /// Concurrent writes kept conflicting with this one, past every retry.
    #[error("the record is being changed by someone else right now")]
    Busy,
    /// A record being created exists already (a concurrent write claimed its id first).
    #[error("a record being written exists already")]
    Exists,
    /// The database's disk is full: the write was refused whole.
    #[error("the database's disk is full")]
    StorageFull,
    /// One transaction held more than the storage engine takes in one go (an embedded
    /// workspace's memtable, `surrealkv_max_memtable_size`): refused whole, nothing written.
    #[error("too much to write in one transaction")]
    WriteTooLarge,
    /// A row did not have the shape the code expects.
    #[error("decoding a row: {0}")]
    Decode(String),
}

pub type RepoResult<T> = Result<T, RepoError>;

impl From<surrealdb::Error> for RepoError {
    fn from(e: surrealdb::Error) -> Self {
        if is_transaction_conflict(&e) {
            RepoError::Busy
        } else if is_storage_full(&e) {
            RepoError::StorageFull
        } else if is_write_too_large(&e) {
            RepoError::WriteTooLarge
        } else {
            RepoError::Db(e)
        }
    }
}

/// A write SurrealDB refused because a concurrent transaction changed the same keys first
/// ("this transaction can be retried"): running it again is safe.
pub fn is_transaction_conflict(e: &surrealdb::Error) -> bool {
    matches!(e.query_details(), Some(QueryError::TransactionConflict))
}

/// A write the storage refused for want of space (surrealkv's "No space left on device", os
/// error 28, as SurrealDB passes it on; a SurrealDB server answers with the same text).
pub fn is_storage_full(e: &surrealdb::Error) -> bool {
    let text = e.to_string();
    text.contains("No space left on device") || text.contains("os error 28") || text.contains("no storage space")
}

/// A transaction the storage engine refused as larger than it takes in one go (surrealkv's
/// "Batch too large", as SurrealDB passes it on).
pub fn is_write_too_large(e: &surrealdb::Error) -> bool {
    e.to_string().contains("Batch too large")
}

/// Checks every statement of a response: a transaction conflict anywhere (a transaction that
/// failed reports it on one statement and "not executed" on the others) is
/// [`RepoError::Busy`]; any other error is that of the statement that failed.
pub fn checked(mut res: surrealdb::IndexedResults) -> RepoResult<surrealdb::IndexedResults> {
    let errors = res.take_errors();
    if errors.is_empty() {
        return Ok(res);
    }
    if errors.values().any(is_transaction_conflict) {
        return Err(RepoError::Busy);
    }
    // A full disk fails the commit; the other statements say only "not executed".
    if errors.values().any(is_storage_full) {
        return Err(RepoError::StorageFull);
    }
    if errors.values().any(is_write_too_large) {
        return Err(RepoError::WriteTooLarge);
    }
    // The statement that failed says why; the others of its transaction only say they were
    // not executed because of it.
    let mut errors: Vec<(usize, surrealdb::Error)> = errors.into_iter().collect();
    errors.sort_by_key(|(index, _)| *index);
    let cause = errors.iter().position(|(_, e)| !is_not_executed(e)).unwrap_or(0);
    let first = errors.into_iter().nth(cause).map(|(_, e)| e);
    Err(first.map_or(RepoError::Decode("an error without a statement".into()), RepoError::Db))
}

/// A statement of a failed transaction that did not run because another one failed.
fn is_not_executed(e: &surrealdb::Error) -> bool {
    e.to_string().contains("not executed due to a failed transaction")
}

/// How many times a conflicting transaction is tried in all.
pub const ATTEMPTS: u32 = 12;

/// Runs a write, again when it met a transaction conflict (with a short, growing, jittered
/// pause), at most [`ATTEMPTS`] times; then [`RepoError::Busy`].
pub async fn retrying<T, F, Fut>(mut write: F) -> RepoResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = RepoResult<T>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match write().await {
            Err(RepoError::Busy) if attempt < ATTEMPTS => {
                let jitter = u64::from(rand::random::<u8>() % 8);
                tokio::time::sleep(Duration::from_millis(u64::from(attempt.min(6)) * 4 + jitter)).await;
            }
            outcome => return outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_conflicting_write_is_tried_again_until_it_goes_through() {
        let mut tries = 0;
        let out = retrying(|| {
            tries += 1;
            let t = tries;
            async move {
                if t < 3 {
                    Err(RepoError::Busy)
                } else {
                    Ok(t)
                }
            }
        })
        .await;
        assert_eq!(out.unwrap(), 3);
    }

    #[tokio::test]
    async fn retries_are_bounded_and_other_errors_are_not_retried() {
        let mut tries = 0;
        let out: RepoResult<()> = retrying(|| {
            tries += 1;
            async { Err(RepoError::Busy) }
        })
        .await;
        assert!(matches!(out, Err(RepoError::Busy)));
        assert_eq!(tries, ATTEMPTS);
        let mut tries = 0;
        let out: RepoResult<()> = retrying(|| {
            tries += 1;
            async { Err(RepoError::Decode("x".into())) }
        })
        .await;
        assert!(matches!(out, Err(RepoError::Decode(_))));
        assert_eq!(tries, 1);
    }

    #[test]
    fn a_transaction_conflict_is_known_by_its_kind() {
        let conflict = surrealdb::Error::query("anything".into(), QueryError::TransactionConflict);
        assert!(is_transaction_conflict(&conflict));
        assert!(matches!(RepoError::from(conflict), RepoError::Busy));
        let other = surrealdb::Error::query(
            "Transaction conflict. This transaction can be retried".into(),
            QueryError::Cancelled,
        );
        assert!(!is_transaction_conflict(&other));
    }
}
