//! The spreadsheets a manager or admin is importing, kept in the database between the upload,
//! the preview (checked again each time the columns are corrected) and the import running in
//! the background — so each step may reach any app server behind the load balancer. An upload
//! stays 30 minutes and only its uploader may use it; at most 20 are kept at once (the oldest
//! leave first). An import keeps its progress and, once finished, its report, under the
//! upload's id.
use crate::domain::sheet_report::ImportReport;
use crate::ssr::db::{record, Db, Doc};
use crate::ssr::repo::{checked, rows, RepoError, RepoResult};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use surrealdb::types::Datetime;

/// How long an upload (and a finished import's report) is kept.
pub const KEEP: Duration = Duration::minutes(30);
/// The most uploads (and finished imports) kept at once.
pub const MAX_KEPT: usize = 20;

/// An uploaded spreadsheet waiting to be imported.
#[derive(Debug, Clone)]
pub struct Upload {
    pub bytes: Arc<Vec<u8>>,
    pub content_type: Option<String>,
    pub file_name: String,
    /// The uploader's user key: nobody else sees the file.
    pub user: String,
    /// The file's column headers and data rows, once a preview has read it.
    pub headers: Option<Vec<String>>,
    pub rows: Option<usize>,
}

/// How an import ended: its report, or why it stopped (in the importer's language).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Done(ImportReport),
    Failed(String),
}

/// What the progress page shows of an import.
#[derive(Debug, Clone)]
pub struct JobState {
    pub file_name: String,
    pub rows: usize,
    pub done: usize,
    pub outcome: Option<Outcome>,
}

/// A new random id for an upload (48 hexadecimal digits).
fn new_id() -> String {
    crate::ssr::secrets::new_token().trim_start_matches("gj_").to_string()
}

fn since(now: DateTime<Utc>) -> Datetime {
    Datetime::from(now - KEEP)
}

#[derive(Deserialize)]
struct UploadRow {
    bytes: String,
    content_type: Option<String>,
    file_name: String,
    user: String,
    headers: Option<Vec<String>>,
    rows: Option<usize>,
}

impl UploadRow {
    fn into_upload(self) -> RepoResult<Upload> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(self.bytes)
            .map_err(|e| RepoError::Decode(format!("an upload's bytes: {e}")))?;
        Ok(Upload {
            bytes: Arc::new(bytes),
            content_type: self.content_type,
            file_name: self.file_name,
            user: self.user,
            headers: self.headers,
            rows: self.rows,
        })
    }
}

const UPLOAD_FIELDS: &str = "bytes, content_type, file_name, user, headers, rows";

/// Keeps an upload and answers its new id; the expired ones leave, and beyond [`MAX_KEPT`]
/// the oldest.
pub async fn keep_upload(db: &Db, upload: Upload) -> RepoResult<String> {
    let id = new_id();
    let now = Utc::now();
    let doc = Doc::new()
        .set("bytes", base64::engine::general_purpose::STANDARD.encode(upload.bytes.as_slice()))
        .opt("content_type", upload.content_type)
        .set("file_name", upload.file_name)
        .set("user", upload.user)
        .time("created_at", now);
    checked(
        db.query(
            "DELETE sheet_upload WHERE created_at < $since RETURN NONE;
             LET $over = (SELECT VALUE id FROM sheet_upload ORDER BY created_at DESC START $start);
             DELETE $over RETURN NONE;
             CREATE $upload CONTENT $doc RETURN NONE;",
        )
        .bind(("since", since(now)))
        .bind(("start", MAX_KEPT as i64 - 1))
        .bind(("upload", record("sheet_upload", &id)))
        .bind(("doc", doc.into_value()))
        .await?,
    )?;
    Ok(id)
}

/// The upload `id` if `user` made it and it has not expired.
pub async fn upload(db: &Db, id: &str, user: &str) -> RepoResult<Option<Upload>> {
    let mut res = db
        .query(format!("SELECT {UPLOAD_FIELDS} FROM $upload WHERE user = $user AND created_at >= $since"))
        .bind(("upload", record("sheet_upload", id)))
        .bind(("user", user.to_string()))
        .bind(("since", since(Utc::now())))
        .await?;
    rows::<UploadRow>(&mut res, 0)?.into_iter().next().map(UploadRow::into_upload).transpose()
}

/// Remembers the headers and row count a preview read from the upload.
pub async fn remember_shape(db: &Db, id: &str, headers: Vec<String>, rows: usize) -> RepoResult<()> {
    checked(
        db.query("UPDATE $upload SET headers = $headers, rows = $rows RETURN NONE")
            .bind(("upload", record("sheet_upload", id)))
            .bind(("headers", headers))
            .bind(("rows", rows as i64))
            .await?,
    )?;
    Ok(())
}

/// Takes the upload `id` out of the store to import it (so it is imported once, whichever
/// app server is asked twice).
pub async fn take_upload(db: &Db, id: &str, user: &str) -> RepoResult<Option<Upload>> {
    let mut res = db
        .query("DELETE $upload WHERE user = $user AND created_at >= $since RETURN BEFORE")
        .bind(("upload", record("sheet_upload", id)))
        .bind(("user", user.to_string()))
        .bind(("since", since(Utc::now())))
        .await?;
    rows::<UploadRow>(&mut res, 0)?.into_iter().next().map(UploadRow::into_upload).transpose()
}

/// Records a started import under its upload's id; `false` when an import of that upload was
/// started already. Finished imports past [`KEEP`] leave, and beyond [`MAX_KEPT`] the oldest
/// finished ones (a running import is never dropped).
pub async fn start_job(db: &Db, id: &str, user: &str, file_name: &str, rows: usize) -> RepoResult<bool> {
    let now = Utc::now();
    let doc = Doc::new()
        .set("user", user.to_string())
        .set("file_name", file_name.to_string())
        .time("created_at", now)
        .set("rows", rows as i64)
        .set("done", 0i64);
    let res = db
        .query(
            "DELETE sheet_job WHERE finished_at != NONE AND finished_at < $since RETURN NONE;
             LET $over = (SELECT VALUE id FROM sheet_job WHERE finished_at != NONE ORDER BY finished_at DESC START $start);
             DELETE $over RETURN NONE;
             CREATE $job CONTENT $doc RETURN NONE;",
        )
        .bind(("since", since(now)))
        .bind(("start", MAX_KEPT as i64 - 1))
        .bind(("job", record("sheet_job", id)))
        .bind(("doc", doc.into_value()))
        .await?;
    match checked(res) {
        Ok(_) => Ok(true),
        Err(RepoError::Db(e)) if e.to_string().contains("already exists") => Ok(false),
        Err(e) => Err(e),
    }
}

/// Records how far the import `id` has come.
pub async fn progress(db: &Db, id: &str, done: usize) -> RepoResult<()> {
    checked(
        db.query("UPDATE $job SET done = $done WHERE finished_at = NONE RETURN NONE")
            .bind(("job", record("sheet_job", id)))
            .bind(("done", done as i64))
            .await?,
    )?;
    Ok(())
}

/// Records how the import `id` ended.
pub async fn finish_job(db: &Db, id: &str, done: usize, outcome: &Outcome) -> RepoResult<()> {
    let outcome = serde_json::to_string(outcome).map_err(|e| RepoError::Decode(e.to_string()))?;
    checked(
        db.query("UPDATE $job SET done = $done, outcome = $outcome, finished_at = time::now() RETURN NONE")
            .bind(("job", record("sheet_job", id)))
            .bind(("done", done as i64))
            .bind(("outcome", outcome))
            .await?,
    )?;
    Ok(())
}

/// The import `id` as its importer `user` sees it.
pub async fn job(db: &Db, id: &str, user: &str) -> RepoResult<Option<JobState>> {
    #[derive(Deserialize)]
    struct JobRow {
        file_name: String,
        rows: usize,
        done: usize,
        outcome: Option<String>,
    }
    let mut res = db
        .query(
            "SELECT file_name, rows, done, outcome FROM $job
             WHERE user = $user AND (finished_at = NONE OR finished_at >= $since)",
        )
        .bind(("job", record("sheet_job", id)))
        .bind(("user", user.to_string()))
        .bind(("since", since(Utc::now())))
        .await?;
    let Some(row) = rows::<JobRow>(&mut res, 0)?.into_iter().next() else { return Ok(None) };
    let outcome = row.outcome.map(|o| serde_json::from_str::<Outcome>(&o)).transpose();
    let outcome = outcome.map_err(|e| RepoError::Decode(format!("an import's outcome: {e}")))?;
    Ok(Some(JobState { file_name: row.file_name, rows: row.rows, done: row.done, outcome }))
}
