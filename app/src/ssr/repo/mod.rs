//! Repository functions: the only place that talks to the database. Every function that
//! reads or writes workspace data takes the acting user and scopes by it; queries bind
//! parameters, never format user input.
pub mod import;
pub mod leads;
pub mod sessions;
pub mod settings;
pub mod users;
pub mod view;

use serde::de::DeserializeOwned;
use surrealdb::IndexedResults;

/// Takes statement `index` of a response as typed rows, through JSON.
pub fn rows<T: DeserializeOwned>(
    res: &mut IndexedResults,
    index: usize,
) -> Result<Vec<T>, crate::ssr::error::ApiError> {
    let values: Vec<serde_json::Value> = res.take(index)?;
    values
        .into_iter()
        .map(|v| {
            serde_json::from_value(v).map_err(|e| crate::ssr::error::ApiError::Internal(format!("decoding a row: {e}")))
        })
        .collect()
}

/// How many records a table holds.
pub async fn count(db: &crate::ssr::db::Db, table: &str) -> Result<u64, crate::ssr::error::ApiError> {
    let mut res =
        db.query("SELECT count() AS n FROM type::table($table) GROUP ALL").bind(("table", table.to_string())).await?;
    let values: Vec<serde_json::Value> = res.take(0)?;
    Ok(values.first().and_then(|v| v["n"].as_u64()).unwrap_or(0))
}
