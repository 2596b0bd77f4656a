//! Leads in the database: reading them, allocating codes, and the writes the service layer
//! decides on — each one transaction with its audit rows, retried when SurrealDB reports a
//! conflicting concurrent transaction. No rules live here: who may do what, and what a write
//! means, is the service's (`ssr::service`).
use super::error::{checked, retrying, RepoResult};
use super::rows;
use crate::domain::enums::{Seniority, Status};
use crate::domain::lead::Lead;
use crate::ssr::actor::Actor;
use crate::ssr::db::{docs, record, Db, Doc};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use surrealdb::types::Value as DbValue;

/// A lead's fields, with its owner's and team's as `$owner`.
macro_rules! lead_fields {
    ($owner:literal) => {
        concat!(
            "code, source, source_details, company, industry, region, employees,
    contact_name, contact_title, phone, email, need, pain_points, expected_solution, budget,
    decision_months, decision_chain, strategy, tags, verified, remarks, details ?? {} AS details, sources ?? [] AS sources, merged_into, ",
            $owner,
            ", created_at, assigned_at, first_contact_at, status,
    status_since, won_at, lost_at, deal_amount, loss_reason, score, grade, version,
    overrides ?? [] AS overrides, milestones ?? [] AS milestones, scored_at ?? created_at AS scored_at, score_review"
        )
    };
}

/// The fields of a lead as the API answers them.
pub const LEAD_FIELDS: &str = lead_fields!("owner.key AS owner, owner.name AS owner_name, team.key AS team");

/// [`LEAD_FIELDS`] without the owner's name, and the owner's and team's keys read from the
/// links themselves (a rep's and a team's record id is its key) rather than from their
/// records: for reading every lead at once (the views at start-up), where fetching two
/// records per lead took two-fifths of the read (1.0 of 2.5 s on 100,000 leads); the owners' names
/// are read once from the reps (`view::load`).
pub const LEAD_FIELDS_UNLINKED: &str =
    lead_fields!("IF owner THEN record::id(owner) END AS owner, IF team THEN record::id(team) END AS team");

pub use crate::domain::lead::LeadFilter;

pub use crate::domain::lead::Cursor;

/// Reads several leads by code, in the order asked (missing ones are left out).
pub async fn fetch_many(db: &Db, codes: &[String]) -> RepoResult<Vec<Lead>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<surrealdb::types::RecordId> = codes.iter().map(|c| record("lead", c)).collect();
    let mut res = db.query(format!("SELECT {LEAD_FIELDS} FROM $ids")).bind(("ids", ids)).await?;
    let mut found: Vec<Lead> = rows(&mut res, 0)?;
    let order: std::collections::HashMap<&str, usize> =
        codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    found.sort_by_key(|l| order.get(l.code.as_str()).copied().unwrap_or(usize::MAX));
    Ok(found)
}

/// Reads one lead, visible or not (the service checks visibility).
pub async fn fetch(db: &Db, code: &str) -> RepoResult<Option<Lead>> {
    let mut res = db
        .query(format!("SELECT {LEAD_FIELDS} FROM type::record('lead', $code)"))
        .bind(("code", code.to_string()))
        .await?;
    Ok(rows::<Lead>(&mut res, 0)?.into_iter().next())
}

/// The next free lead code of the year: LX{year}{5 digits}. The sequence is one record per
/// year; simultaneous creations conflict on it, are retried, and so never share a code.
pub async fn next_code(db: &Db, year: i32) -> RepoResult<String> {
    loop {
        let next = retrying(|| async {
            let mut res = checked(
                db.query("UPSERT type::record('lead_sequence', $year) SET next = (next ?? 0) + 1 RETURN VALUE next;")
                    .bind(("year", year.to_string()))
                    .await?,
            )?;
            let next: Vec<i64> = res.take(0)?;
            Ok(next.first().copied().unwrap_or(1))
        })
        .await?;
        let code = format!("LX{year}{next:05}");
        // Codes imported from elsewhere may already sit ahead of the sequence.
        if fetch(db, &code).await?.is_none() {
            return Ok(code);
        }
    }
}

/// An active rep as assignment sees them.
#[derive(Debug, Clone, Deserialize)]
pub struct RepRow {
    pub key: String,
    pub seniority: Seniority,
    pub region: Option<String>,
    #[serde(default)]
    pub industries: Vec<String>,
    pub team: Option<String>,
    #[serde(default)]
    pub max_open_leads: Option<u32>,
}

/// Every active rep.
pub async fn active_reps(db: &Db) -> RepoResult<Vec<RepRow>> {
    let mut res = db
        .query(
            "SELECT key, seniority, region, industries, team.key AS team, max_open_leads FROM rep WHERE active = true",
        )
        .await?;
    rows(&mut res, 0)
}

/// A rep's team: `None` when there is no such rep, `Some(None)` for a rep without a team.
pub async fn rep_team(db: &Db, rep: &str) -> RepoResult<Option<Option<String>>> {
    let mut res =
        db.query("SELECT VALUE team.key FROM type::record('rep', $rep)").bind(("rep", rep.to_string())).await?;
    let team: Vec<Option<String>> = res.take(0)?;
    Ok(team.into_iter().next())
}

/// A new random record id.
pub fn random_id() -> String {
    use rand::Rng;
    format!("{:016x}", rand::rng().random::<u64>())
}

/// An audit row: who changed which field of a lead, from what to what, when.
pub fn audit_doc(actor: &Actor, code: &str, field: &str, old: Value, new: Value, at: DateTime<Utc>) -> Doc {
    Doc::new()
        .time("at", at)
        .set("actor", actor.user.clone())
        .set("record", format!("lead:{code}"))
        .set("field", field.to_string())
        .set("old", old)
        .set("new", new)
}

/// Writes a new lead, its first task and its audit row in one transaction.
pub async fn insert(db: &Db, code: &str, lead: Doc, task_id: &str, task: Doc, audit: Doc) -> RepoResult<Lead> {
    let (lead, task, audit) = (lead.into_value(), task.into_value(), audit.into_value());
    retrying(|| async {
        checked(
            db.query(
                "BEGIN TRANSACTION;
                 CREATE type::record('lead', $code) CONTENT $doc RETURN NONE;
                 CREATE type::record('task', $task_id) CONTENT $task RETURN NONE;
                 CREATE audit CONTENT $audit RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("code", code.to_string()))
            .bind(("doc", lead.clone()))
            .bind(("task_id", task_id.to_string()))
            .bind(("task", task.clone()))
            .bind(("audit", audit.clone()))
            .await?,
        )?;
        Ok(())
    })
    .await?;
    fetch(db, code).await?.ok_or_else(|| super::error::RepoError::Decode(format!("lead `{code}` vanished")))
}

/// What a versioned write of a lead came to.
#[derive(Debug)]
pub enum Versioned {
    /// Written: the lead as it now stands.
    Written(Box<Lead>),
    /// The lead was not at the version the writer saw: nothing was written. The lead as it now
    /// stands, if it still exists.
    Stale(Option<Box<Lead>>),
}

/// Merges `patch` into the lead if it is still at `version`, and with it writes the audit rows
/// and any `extra` statements (bound by the `bind` values), in one transaction. When the lead
/// moved on, nothing is written — known from the update's own result, not from an error.
pub async fn update_versioned(
    db: &Db,
    code: &str,
    version: u64,
    patch: Doc,
    audits: Vec<Doc>,
    extra: &str,
    bind: Vec<(&'static str, DbValue)>,
) -> RepoResult<Versioned> {
    let sql = format!(
        "BEGIN TRANSACTION;
         LET $updated = UPDATE type::record('lead', $code) MERGE $patch WHERE version = $version RETURN VALUE code;
         IF array::len($updated) > 0 {{
             INSERT INTO audit $audits RETURN NONE;
             {extra}
         }};
         array::len($updated);
         SELECT {LEAD_FIELDS} FROM type::record('lead', $code);
         COMMIT TRANSACTION;"
    );
    let (patch, audits) = (patch.into_value(), docs(audits));
    let written = retrying(|| async {
        let mut query = db
            .query(sql.as_str())
            .bind(("code", code.to_string()))
            .bind(("version", version as i64))
            .bind(("patch", patch.clone()))
            .bind(("audits", audits.clone()));
        for (name, value) in &bind {
            query = query.bind((*name, value.clone()));
        }
        let mut res = checked(query.await?)?;
        // BEGIN and COMMIT answer too: the count and the lead as it now stands (read in the
        // same transaction, not one more round trip) are the two statements before COMMIT.
        let count = res.num_statements().saturating_sub(3);
        let written: Option<i64> = res.take(count)?;
        let current = rows::<Lead>(&mut res, count + 1)?.into_iter().next();
        Ok((written.unwrap_or(0) > 0, current))
    })
    .await?;
    let (written, current) = written;
    Ok(match (written, current) {
        (true, Some(lead)) => Versioned::Written(Box::new(lead)),
        (_, current) => Versioned::Stale(current.map(Box::new)),
    })
}

/// A lead's open cadence tasks, earliest first.
#[derive(Debug, Clone, Deserialize)]
pub struct OpenTask {
    pub id: String,
    pub due_at: DateTime<Utc>,
}

pub async fn open_follow_up_tasks(db: &Db, code: &str) -> RepoResult<Vec<OpenTask>> {
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, due_at FROM task
             WHERE lead = type::record('lead', $code) AND kind = 'follow_up' AND done_at = NONE AND dropped_at = NONE
             ORDER BY due_at",
        )
        .bind(("code", code.to_string()))
        .await?;
    rows(&mut res, 0)
}

/// A stage change row (`from` → `to`, by whom).
pub fn stage_change_doc(code: &str, from: Status, to: Status, at: DateTime<Utc>, rep: Option<&str>, user: &str) -> Doc {
    Doc::new()
        .link("lead", "lead", code)
        .set("from_status", from.key().to_string())
        .set("to_status", to.key().to_string())
        .time("at", at)
        .opt_link("by_rep", "rep", rep)
        .link("by_user", "user", user)
}
