//! Tasks in the database: a manual task made, a task finished (each with its audit row, in
//! one transaction), and the done tasks a list asks for.
use super::error::{checked, retrying, RepoResult};
use super::rows;
use crate::domain::enums::{Quadrant, TaskKind};
use crate::kpi::TaskFacts;
use crate::ssr::db::{Db, Doc};
use crate::ssr::service::tasks::TaskQuery;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use surrealdb::types::Value as DbValue;

pub async fn create(db: &Db, id: &str, task: Doc, audit: Doc) -> RepoResult<()> {
    let (task, audit) = (task.into_value(), audit.into_value());
    retrying(|| async {
        checked(
            db.query(
                "BEGIN TRANSACTION;
                 CREATE type::record('task', $id) CONTENT $task RETURN NONE;
                 CREATE audit CONTENT $audit RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("id", id.to_string()))
            .bind(("task", task.clone()))
            .bind(("audit", audit.clone()))
            .await?,
        )
        .map(|_| ())
    })
    .await
}

/// Which of these task ids exist (done or not).
pub async fn existing(db: &Db, ids: &[String]) -> RepoResult<std::collections::HashSet<String>> {
    let records: Vec<surrealdb::types::RecordId> = ids.iter().map(|id| crate::ssr::db::record("task", id)).collect();
    let mut res = db.query("SELECT VALUE record::id(id) FROM $ids").bind(("ids", records)).await?;
    let found: Vec<String> = res.take(0)?;
    Ok(found.into_iter().collect())
}

/// Inserts planned tasks, each with its own id, leaving any already there as they are (two
/// app servers planning the same month), with one audit row for the batch.
pub async fn insert_ignoring_known(db: &Db, kind: TaskKind, tasks: Vec<Doc>) -> RepoResult<()> {
    let n = tasks.len();
    let tasks = crate::ssr::db::docs(tasks);
    retrying(|| async {
        checked(
            db.query(
                "BEGIN TRANSACTION;
                 INSERT IGNORE INTO task $tasks RETURN NONE;
                 CREATE audit CONTENT { at: time::now(), actor: 'genjin', record: 'task', field: $field,
                     old: NONE, new: $n } RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("tasks", tasks.clone()))
            .bind(("n", n as i64))
            .bind(("field", format!("{}_planned", kind.key())))
            .await?,
        )
        .map(|_| ())
    })
    .await
}

/// Marks an open task done; false when it was not open any more.
pub async fn finish(db: &Db, id: &str, at: DateTime<Utc>, audit: Doc) -> RepoResult<bool> {
    let audit = audit.into_value();
    retrying(|| async {
        let mut res = checked(
            db.query(
                "BEGIN TRANSACTION;
                 LET $done = UPDATE type::record('task', $id) SET done_at = $at
                     WHERE done_at = NONE AND dropped_at = NONE RETURN VALUE id;
                 IF array::len($done) > 0 { CREATE audit CONTENT $audit RETURN NONE; };
                 array::len($done);
                 COMMIT TRANSACTION;",
            )
            .bind(("id", id.to_string()))
            .bind(("at", DbValue::Datetime(at.into())))
            .bind(("audit", audit.clone()))
            .await?,
        )?;
        let count = res.num_statements().saturating_sub(2);
        let n: Option<i64> = res.take(count)?;
        Ok(n.unwrap_or(0) > 0)
    })
    .await
}

/// A task's fields as [`TaskRow`] reads them.
pub const FIELDS: &str = "record::id(id) AS id, record::id(lead) AS lead, kind, due_at, done_at,
    IF owner THEN record::id(owner) END AS owner, title, quadrant, dropped_at, remind_at";

/// [`FIELDS`] as an array, in [`TaskRow`]'s order (which reads it too): for reading every
/// task at once (the views at start-up), where SurrealDB makes an array in about half the
/// time of an object with the fields' names.
pub const VALUES: &str = "[record::id(id), record::id(lead), kind, due_at, done_at,
    IF owner THEN record::id(owner) END, title, quadrant, dropped_at, remind_at]";

/// A task as the database holds it (its fields are read in this order by [`VALUES`]).
#[derive(Deserialize)]
pub struct TaskRow {
    id: String,
    lead: String,
    kind: TaskKind,
    due_at: DateTime<Utc>,
    done_at: Option<DateTime<Utc>>,
    owner: Option<String>,
    title: Option<String>,
    quadrant: Option<Quadrant>,
    dropped_at: Option<DateTime<Utc>>,
    #[serde(default)]
    remind_at: Option<DateTime<Utc>>,
}

impl TaskRow {
    /// The task as the views follow it.
    pub fn into_facts(self) -> TaskFacts {
        TaskFacts {
            done_at: self.done_at,
            title: self.title,
            priority: self.quadrant,
            dropped: self.dropped_at.is_some(),
            remind_at: self.remind_at,
            ..TaskFacts::planned(self.id, self.lead, self.kind, self.due_at, self.owner)
        }
    }
}

/// Done tasks under the query's filters, newest first, at most `limit` (callers scope them).
pub async fn done(db: &Db, q: &TaskQuery, limit: usize) -> RepoResult<Vec<TaskFacts>> {
    let mut sql = format!("SELECT {FIELDS} FROM task WHERE done_at != NONE");
    if q.lead.is_some() {
        sql.push_str(" AND lead = type::record('lead', $lead)");
    }
    if q.owner.is_some() {
        sql.push_str(" AND owner = type::record('rep', $owner)");
    }
    if q.due_before.is_some() {
        sql.push_str(" AND due_at < $due_before");
    }
    if q.kind.is_some() {
        sql.push_str(" AND kind = $kind");
    }
    sql.push_str(" ORDER BY done_at DESC LIMIT $limit");
    let mut query = db.query(sql).bind(("limit", limit as i64));
    if let Some(l) = &q.lead {
        query = query.bind(("lead", l.clone()));
    }
    if let Some(o) = &q.owner {
        query = query.bind(("owner", o.clone()));
    }
    if let Some(d) = q.due_before {
        query = query.bind(("due_before", DbValue::Datetime(d.into())));
    }
    if let Some(k) = q.kind {
        query = query.bind(("kind", k.key().to_string()));
    }
    let mut res = query.await?;
    Ok(rows::<TaskRow>(&mut res, 0)?.into_iter().map(TaskRow::into_facts).collect())
}

/// Tasks as they stand now, by id (another app server changed them): missing ones are left out.
pub async fn facts_by_ids(db: &Db, ids: &[String]) -> RepoResult<Vec<TaskFacts>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<surrealdb::types::RecordId> = ids.iter().map(|id| crate::ssr::db::record("task", id)).collect();
    let mut res = db.query(format!("SELECT {FIELDS} FROM $ids")).bind(("ids", ids)).await?;
    Ok(rows::<TaskRow>(&mut res, 0)?.into_iter().map(TaskRow::into_facts).collect())
}
