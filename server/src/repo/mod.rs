//! Repository functions: the only place that talks to the database. Every function that
//! reads or writes workspace data takes the acting user and scopes by it; queries bind
//! parameters, never format user input.
pub mod import;
pub mod leads;
pub mod settings;
pub mod users;
pub mod view;

use serde::de::DeserializeOwned;
use surrealdb::IndexedResults;

/// Takes statement `index` of a response as typed rows, through JSON.
pub fn rows<T: DeserializeOwned>(res: &mut IndexedResults, index: usize) -> Result<Vec<T>, crate::error::ApiError> {
    let values: Vec<serde_json::Value> = res.take(index)?;
    values
        .into_iter()
        .map(|v| serde_json::from_value(v).map_err(|e| crate::error::ApiError::Internal(format!("decoding a row: {e}"))))
        .collect()
}
