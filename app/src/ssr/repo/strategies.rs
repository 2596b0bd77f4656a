//! Strategy variants, and the count of new leads given one in turn.
use super::error::{RepoError, RepoResult};
use super::rows;
use crate::domain::strategy::StrategyVariant;
use crate::ssr::db::{Db, Doc};
use surrealdb::types::Value as DbValue;

const FIELDS: &str = "key, description, rotate, active, created_at, created_by, version";

/// Every variant, in the order they were defined.
pub async fn variants(db: &Db) -> RepoResult<Vec<StrategyVariant>> {
    let mut res = db.query(format!("SELECT {FIELDS} FROM strategy ORDER BY created_at, key")).await?;
    rows(&mut res, 0)
}

pub async fn variant(db: &Db, key: &str) -> RepoResult<Option<StrategyVariant>> {
    let mut res =
        db.query(format!("SELECT {FIELDS} FROM type::record('strategy', $key)")).bind(("key", key.to_string())).await?;
    Ok(rows(&mut res, 0)?.into_iter().next())
}

/// Defines a variant with its audit row; false when one of that name exists.
pub async fn create(db: &Db, key: &str, variant: Doc, audit: Doc) -> RepoResult<bool> {
    let (variant, audit) = (variant.into_value(), audit.into_value());
    written(
        db,
        "LET $id = type::record('strategy', $key);
         LET $done = IF record::exists($id) { 0 } ELSE { CREATE $id CONTENT $variant RETURN NONE; 1 };
         IF $done > 0 { CREATE audit CONTENT $audit RETURN NONE; };
         $done;",
        vec![("key", DbValue::String(key.to_string())), ("variant", variant), ("audit", audit)],
    )
    .await
}

/// Changes a variant at `version` with its audit row; false when it stands at another version
/// (or is not there).
pub async fn update(db: &Db, key: &str, version: u64, patch: Doc, audit: Doc) -> RepoResult<bool> {
    let (patch, audit) = (patch.into_value(), audit.into_value());
    written(
        db,
        "LET $updated = UPDATE type::record('strategy', $key) MERGE $patch WHERE version = $version RETURN VALUE key;
         IF array::len($updated) > 0 { CREATE audit CONTENT $audit RETURN NONE; };
         array::len($updated);",
        vec![
            ("key", DbValue::String(key.to_string())),
            ("version", DbValue::Number(surrealdb::types::Number::Int(version as i64))),
            ("patch", patch),
            ("audit", audit),
        ],
    )
    .await
}

/// Runs `body` in a transaction whose last statement counts what it wrote; true when it wrote.
async fn written(db: &Db, body: &str, bind: Vec<(&'static str, DbValue)>) -> RepoResult<bool> {
    let sql = format!("BEGIN TRANSACTION; {body} COMMIT TRANSACTION;");
    super::retrying(|| async {
        let mut query = db.query(sql.as_str());
        for (name, value) in &bind {
            query = query.bind((*name, value.clone()));
        }
        let mut res = super::checked(query.await?)?;
        // BEGIN and COMMIT answer too: the count is the statement before COMMIT.
        let count = res.num_statements().saturating_sub(2);
        let n: Option<i64> = res.take(count)?;
        Ok(n.unwrap_or(0) > 0)
    })
    .await
}

/// Counts one more new lead given a variant in turn, and answers its number (from 1).
pub async fn next_turn(db: &Db) -> RepoResult<u64> {
    super::retrying(|| async {
        let mut res = super::checked(
            db.query("UPSERT strategy_rotation:new SET next = (next ?? 0) + 1 RETURN VALUE next;").await?,
        )?;
        let next: Vec<i64> = res.take(0)?;
        next.first().map(|n| *n as u64).ok_or_else(|| RepoError::Decode("the rotation's count is missing".into()))
    })
    .await
}
