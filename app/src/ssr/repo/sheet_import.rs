//! Writing the new leads of a spreadsheet import: a block of lead codes reserved at once,
//! and the leads with their first tasks and audit rows inserted a few hundred per
//! transaction, each row whole.
use super::error::{checked, retrying, RepoResult};
use crate::ssr::db::{docs, Db, Doc};

/// Reserves `n` consecutive numbers of the year's lead sequence; answers the first.
pub async fn reserve_codes(db: &Db, year: i32, n: usize) -> RepoResult<i64> {
    retrying(|| async {
        let mut res = checked(
            db.query("UPSERT type::record('lead_sequence', $year) SET next = (next ?? 0) + $n RETURN VALUE next;")
                .bind(("year", year.to_string()))
                .bind(("n", n as i64))
                .await?,
        )?;
        let next: Vec<i64> = res.take(0)?;
        Ok(next.first().copied().unwrap_or(n as i64) - n as i64 + 1)
    })
    .await
}

/// Which of these codes are taken already (by any lead, merged ones included).
pub async fn taken(db: &Db, codes: &[String]) -> RepoResult<Vec<String>> {
    let ids: Vec<surrealdb::types::RecordId> = codes.iter().map(|c| crate::ssr::db::record("lead", c)).collect();
    let mut res = db.query("SELECT VALUE code FROM $ids").bind(("ids", ids)).await?;
    Ok(res.take(0)?)
}

/// One new lead of an import: its record (with `id`), first task (with `id`) and audit row.
pub struct NewRow {
    pub lead: Doc,
    pub task: Doc,
    pub audit: Doc,
}

/// Inserts a batch of new leads in one transaction.
pub async fn insert_rows(db: &Db, rows: Vec<NewRow>) -> RepoResult<()> {
    let mut leads = Vec::with_capacity(rows.len());
    let mut tasks = Vec::with_capacity(rows.len());
    let mut audits = Vec::with_capacity(rows.len());
    for r in rows {
        leads.push(r.lead);
        tasks.push(r.task);
        audits.push(r.audit);
    }
    let (leads, tasks, audits) = (docs(leads), docs(tasks), docs(audits));
    retrying(|| async {
        checked(
            db.query(
                "BEGIN TRANSACTION;
                 INSERT INTO lead $leads RETURN NONE;
                 INSERT INTO task $tasks RETURN NONE;
                 INSERT INTO audit $audits RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("leads", leads.clone()))
            .bind(("tasks", tasks.clone()))
            .bind(("audits", audits.clone()))
            .await?,
        )
        .map(|_| ())
    })
    .await
}
