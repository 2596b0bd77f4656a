//! The workspace's settings, stored as one document.
use super::error::{RepoError, RepoResult};
use crate::settings::WorkspaceSettings;
use crate::ssr::db::Db;

pub async fn load(db: &Db) -> RepoResult<WorkspaceSettings> {
    let mut res = db.query("SELECT VALUE doc FROM settings:workspace").await?;
    let docs: Vec<String> = res.take(0)?;
    match docs.first() {
        Some(doc) => serde_json::from_str(doc).map_err(|e| RepoError::Decode(format!("settings: {e}"))),
        None => Ok(WorkspaceSettings::default()),
    }
}

pub async fn save(db: &Db, settings: &WorkspaceSettings) -> RepoResult<()> {
    let doc = serde_json::to_string(settings).map_err(|e| RepoError::Decode(e.to_string()))?;
    db.query("UPSERT settings:workspace SET doc = $doc, updated_at = time::now() RETURN NONE")
        .bind(("doc", doc))
        .await?
        .check()?;
    Ok(())
}

/// Marks the workspace as the generated demo (the pages say so).
pub async fn mark_demo(db: &Db) -> RepoResult<()> {
    db.query("UPSERT settings:demo SET doc = 'demo', updated_at = time::now() RETURN NONE").await?.check()?;
    Ok(())
}

/// Whether the workspace is the generated demo.
pub async fn is_demo(db: &Db) -> RepoResult<bool> {
    let mut res = db.query("SELECT VALUE doc FROM settings:demo").await?;
    let docs: Vec<String> = res.take(0)?;
    Ok(!docs.is_empty())
}
