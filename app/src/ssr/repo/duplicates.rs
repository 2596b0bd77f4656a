//! Leads marked as different customers although they share a phone, an e-mail or a company
//! name: each mark is the set of leads a user looked at together and kept apart.
use super::error::{checked, retrying, RepoResult};
use super::rows;
use crate::ssr::db::{docs, Db, Doc};
use serde::Deserialize;

#[derive(Deserialize)]
struct Row {
    leads: Vec<String>,
}

/// Every set of leads marked as different customers.
pub async fn dismissals(db: &Db) -> RepoResult<Vec<Vec<String>>> {
    let mut res = db.query("SELECT leads FROM dup_dismissal").await?;
    Ok(rows::<Row>(&mut res, 0)?.into_iter().map(|r| r.leads).collect())
}

/// Marks a set of leads as different customers, with the audit rows, in one transaction.
pub async fn dismiss(db: &Db, mark: Doc, audits: Vec<Doc>) -> RepoResult<()> {
    let (mark, audits) = (mark.into_value(), docs(audits));
    retrying(|| async {
        checked(
            db.query(
                "BEGIN TRANSACTION;
                 CREATE dup_dismissal CONTENT $mark RETURN NONE;
                 INSERT INTO audit $audits RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("mark", mark.clone()))
            .bind(("audits", audits.clone()))
            .await?,
        )
        .map(|_| ())
    })
    .await
}
