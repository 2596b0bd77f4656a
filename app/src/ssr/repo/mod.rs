//! Repositories: the only place that talks to the database, data access and nothing else.
//! Functions that read workspace data for someone take the acting user to scope by; queries
//! bind parameters, never format user input; every function answers [`RepoError`].
pub mod duplicates;
pub mod embeds;
pub mod error;
pub mod feedback;
pub mod history;
pub mod import;
pub mod intake;
pub mod leads;
pub mod locks;
pub mod peers;
pub mod people;
pub mod plans;
pub mod sessions;
pub mod settings;
pub mod sheet_import;
pub mod strategies;
pub mod tasks;
pub mod users;
pub mod value;
pub mod view;

pub use error::{checked, retrying, RepoError, RepoResult};

use serde::de::DeserializeOwned;
use surrealdb::IndexedResults;

/// Takes statement `index` of a response as typed rows, through JSON.
pub fn rows<T: DeserializeOwned>(res: &mut IndexedResults, index: usize) -> RepoResult<Vec<T>> {
    let values: Vec<serde_json::Value> = res.take(index)?;
    values.into_iter().map(|v| serde_json::from_value(v).map_err(|e| RepoError::Decode(e.to_string()))).collect()
}

/// How many records a table holds.
pub async fn count(db: &crate::ssr::db::Db, table: &str) -> RepoResult<u64> {
    let mut res =
        db.query("SELECT count() AS n FROM type::table($table) GROUP ALL").bind(("table", table.to_string())).await?;
    let values: Vec<serde_json::Value> = res.take(0)?;
    Ok(values.first().and_then(|v| v["n"].as_u64()).unwrap_or(0))
}
