//! Intake forms: the keys company websites post leads to, and the origins allowed to.
use super::error::RepoResult;
use super::rows;
use crate::domain::intake::IntakeForm;
use crate::ssr::db::{Db, Doc};

pub async fn forms(db: &Db) -> RepoResult<Vec<IntakeForm>> {
    let mut res = db
        .query("SELECT key, name, origins, active, created_at, leads FROM intake_form ORDER BY created_at DESC")
        .await?;
    rows(&mut res, 0)
}

pub async fn form(db: &Db, key: &str) -> RepoResult<Option<IntakeForm>> {
    let mut res = db
        .query("SELECT key, name, origins, active, created_at, leads FROM type::record('intake_form', $key)")
        .bind(("key", key.to_string()))
        .await?;
    Ok(rows(&mut res, 0)?.into_iter().next())
}

/// Creates or changes a form, with its audit row.
pub async fn save(db: &Db, key: &str, form: Doc, audit: Doc) -> RepoResult<()> {
    db.query(
        "BEGIN TRANSACTION;
         LET $id = type::record('intake_form', $key);
         IF record::exists($id) { UPDATE $id MERGE $form RETURN NONE; } ELSE { CREATE $id CONTENT $form RETURN NONE; };
         CREATE audit CONTENT $audit RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("key", key.to_string()))
    .bind(("form", form.into_value()))
    .bind(("audit", audit.into_value()))
    .await?
    .check()?;
    Ok(())
}

/// Counts a lead the form brought in.
pub async fn count_lead(db: &Db, key: &str) -> RepoResult<()> {
    db.query("UPDATE type::record('intake_form', $key) SET leads += 1 RETURN NONE")
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    Ok(())
}
