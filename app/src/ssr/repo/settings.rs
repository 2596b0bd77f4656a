//! The workspace's settings, stored as one document.
use crate::settings::WorkspaceSettings;
use crate::ssr::db::Db;
use crate::ssr::error::{ApiError, ApiResult};

pub async fn load(db: &Db) -> ApiResult<WorkspaceSettings> {
    let mut res = db.query("SELECT VALUE doc FROM settings:workspace").await?;
    let docs: Vec<String> = res.take(0)?;
    match docs.first() {
        Some(doc) => serde_json::from_str(doc).map_err(|e| ApiError::Internal(format!("settings: {e}"))),
        None => Ok(WorkspaceSettings::default()),
    }
}

pub async fn save(db: &Db, settings: &WorkspaceSettings) -> ApiResult<()> {
    let doc = serde_json::to_string(settings).map_err(|e| ApiError::Internal(e.to_string()))?;
    db.query("UPSERT settings:workspace SET doc = $doc, updated_at = time::now() RETURN NONE")
        .bind(("doc", doc))
        .await?
        .check()?;
    Ok(())
}
