//! Feedback in the database: recorded and changed with its audit rows and its tasks in one
//! transaction, and read all at once.
use super::error::{checked, retrying, RepoResult};
use super::rows;
use crate::domain::feedback::Feedback;
use crate::ssr::db::{docs, Db, Doc};
use surrealdb::types::Value as DbValue;

/// The fields of a piece of feedback as [`Feedback`] reads them.
pub const FIELDS: &str = "record::id(id) AS id, record::id(lead) AS lead, received_at, channel, kind AS type, priority,
    summary, why_chain AS why, root_cause, resolution, plan, IF owner THEN record::id(owner) END AS owner, due_at,
    status, resolved_at, customer_confirmed_at, satisfaction";

/// Writes `doc` as feedback `id` (created, or merged over the one there), its audit rows and
/// any statements of `extra` (its tasks), in one transaction.
pub async fn write(
    db: &Db,
    id: &str,
    doc: Doc,
    create: bool,
    audits: Vec<Doc>,
    extra: &str,
    bind: Vec<(&'static str, DbValue)>,
) -> RepoResult<()> {
    let verb = if create {
        "CREATE type::record('feedback', $id) CONTENT $doc"
    } else {
        "UPDATE type::record('feedback', $id) MERGE $doc"
    };
    let sql = format!(
        "BEGIN TRANSACTION;
         {verb} RETURN NONE;
         INSERT INTO audit $audits RETURN NONE;
         {extra}
         COMMIT TRANSACTION;"
    );
    let (doc, audits) = (doc.into_value(), docs(audits));
    retrying(|| async {
        let mut q = db
            .query(sql.as_str())
            .bind(("id", id.to_string()))
            .bind(("doc", doc.clone()))
            .bind(("audits", audits.clone()));
        for (name, value) in &bind {
            q = q.bind((*name, value.clone()));
        }
        checked(q.await?).map(|_| ())
    })
    .await
}

/// Every piece of feedback (the view and the index hold them all).
pub async fn all(db: &Db) -> RepoResult<Vec<Feedback>> {
    let mut res = db.query(format!("SELECT {FIELDS} FROM feedback")).await?;
    rows(&mut res, 0)
}

/// Pieces of feedback as they stand now, by id (another app server changed them): missing ones
/// are left out.
pub async fn by_ids(db: &Db, ids: &[String]) -> RepoResult<Vec<Feedback>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<surrealdb::types::RecordId> = ids.iter().map(|id| crate::ssr::db::record("feedback", id)).collect();
    let mut res = db.query(format!("SELECT {FIELDS} FROM $ids")).bind(("ids", ids)).await?;
    rows(&mut res, 0)
}

/// The open tasks of a piece of feedback, by kind.
pub async fn open_tasks(db: &Db, id: &str) -> RepoResult<Vec<(String, String)>> {
    #[derive(serde::Deserialize)]
    struct Row {
        id: String,
        kind: String,
    }
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, kind FROM task
             WHERE feedback = type::record('feedback', $id) AND done_at = NONE AND dropped_at = NONE",
        )
        .bind(("id", id.to_string()))
        .await?;
    Ok(rows::<Row>(&mut res, 0)?.into_iter().map(|r| (r.id, r.kind)).collect())
}
