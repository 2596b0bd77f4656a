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

/// What a scoring replay and a regrade read of each lead: its score inputs, status and the
/// score it holds now.
#[derive(serde::Deserialize)]
pub struct ScoredRow {
    pub code: String,
    pub employees: Option<u32>,
    pub budget: Option<f64>,
    pub decision_months: Option<u32>,
    pub decision_chain: Option<crate::domain::enums::DecisionChain>,
    pub status: crate::domain::enums::Status,
    pub score: crate::scoring::Score,
    #[serde(default)]
    pub overrides: Vec<crate::scoring::ScoreOverride>,
}

/// Every lead's score inputs (merged leads left out).
pub async fn scored_leads(db: &Db) -> RepoResult<Vec<ScoredRow>> {
    let mut res = db
        .query(
            "SELECT code, employees, budget, decision_months, decision_chain, status, score,
                 overrides ?? [] AS overrides FROM lead
             WHERE merged_into = NONE",
        )
        .await?;
    super::rows(&mut res, 0)
}

/// Publishes new settings: the document, its audit row, and the open leads regraded under
/// them (each with its new score, a new version and an audit row), in one transaction.
pub async fn publish(
    db: &Db,
    settings: &WorkspaceSettings,
    audits: Vec<crate::ssr::db::Doc>,
    regrades: Vec<(String, crate::scoring::Score)>,
) -> RepoResult<()> {
    let doc = serde_json::to_string(settings).map_err(|e| RepoError::Decode(e.to_string()))?;
    let changes: Vec<serde_json::Value> = regrades
        .iter()
        .map(|(code, score)| serde_json::json!({"id": code, "score": score, "grade": score.grade}))
        .collect();
    let changes = serde_json::Value::Array(changes);
    let audits = crate::ssr::db::docs(audits);
    super::retrying(|| async {
        super::checked(
            db.query(
                "BEGIN TRANSACTION;
                 UPSERT settings:workspace SET doc = $doc, updated_at = time::now() RETURN NONE;
                 FOR $c IN $changes {
                     UPDATE type::record('lead', $c.id) SET score = $c.score, grade = $c.grade,
                         scored_at = time::now(), version += 1, updated_at = time::now() RETURN NONE;
                 };
                 INSERT INTO audit $audits RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("doc", doc.clone()))
            .bind(("changes", changes.clone()))
            .bind(("audits", audits.clone()))
            .await?,
        )
        .map(|_| ())
    })
    .await
}
