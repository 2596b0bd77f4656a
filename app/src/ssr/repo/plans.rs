//! Follow-up plans in the database: the workspace's templates (one document, like the
//! settings), a lead's plan (`lead_plan`, keyed by the lead's code) and the statuses its
//! follow-ups were logged in.
use super::error::{checked, retrying, RepoError, RepoResult};
use crate::domain::plan::{PlanTemplates, StagePlan};
use crate::ssr::db::{record, Db, Doc};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use surrealdb::types::Value as DbValue;

pub async fn templates(db: &Db) -> RepoResult<PlanTemplates> {
    let mut res = db.query("SELECT VALUE doc FROM settings:plans").await?;
    let docs: Vec<String> = res.take(0)?;
    match docs.first() {
        Some(doc) => serde_json::from_str(doc).map_err(|e| RepoError::Decode(format!("plan templates: {e}"))),
        None => Ok(PlanTemplates::default()),
    }
}

/// Saves the templates with their audit row, in one transaction.
pub async fn save_templates(db: &Db, templates: &PlanTemplates, audit: Doc) -> RepoResult<()> {
    let doc = serde_json::to_string(templates).map_err(|e| RepoError::Decode(e.to_string()))?;
    let audit = audit.into_value();
    retrying(|| async {
        checked(
            db.query(
                "BEGIN TRANSACTION;
                 UPSERT settings:plans SET doc = $doc, updated_at = time::now() RETURN NONE;
                 CREATE audit CONTENT $audit RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("doc", doc.clone()))
            .bind(("audit", audit.clone()))
            .await?,
        )
        .map(|_| ())
    })
    .await
}

/// A milestone's check: who and when.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct Check {
    pub stage: crate::domain::enums::PlanStage,
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(default)]
    pub by_name: Option<String>,
}

/// A lead's stored plan.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredPlan {
    pub stages: Vec<StagePlan>,
    #[serde(default)]
    pub checks: Vec<Check>,
    pub version: u64,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub updated_by: Option<String>,
}

pub async fn plan(db: &Db, code: &str) -> RepoResult<Option<StoredPlan>> {
    let mut res = db
        .query("SELECT stages, checks, version, updated_at, updated_by FROM type::record('lead_plan', $code)")
        .bind(("code", code.to_string()))
        .await?;
    Ok(super::rows::<StoredPlan>(&mut res, 0)?.into_iter().next())
}

/// The statuses a lead's follow-ups were logged in, one per follow-up.
pub async fn follow_up_stages(db: &Db, code: &str) -> RepoResult<Vec<String>> {
    let mut res = db
        .query("SELECT VALUE stage_before FROM type::record('lead', $code)<-followed_up")
        .bind(("code", code.to_string()))
        .await?;
    Ok(res.take(0)?)
}

pub fn stages_value(stages: &[StagePlan]) -> DbValue {
    crate::ssr::db::docs(stages.iter().map(|s| {
        Doc::new()
            .set("goal", s.goal.clone())
            .set("strategy", s.strategy.clone())
            .strings("channels", &s.channels.iter().map(|c| c.key().to_string()).collect::<Vec<_>>())
            .set("talking_points", s.talking_points.clone())
            .set("expected_result", s.expected_result.clone())
            .set("contingency", s.contingency.clone())
    }))
}

pub fn checks_value(checks: &[Check]) -> DbValue {
    crate::ssr::db::docs(checks.iter().map(|c| {
        Doc::new()
            .set("stage", c.stage.key().to_string())
            .time("at", c.at)
            .set("by", c.by.clone())
            .opt("by_name", c.by_name.clone())
    }))
}

/// Writes a lead's plan if it is still at `version` (0: none yet), with its audit row; false
/// when someone saved it meanwhile.
pub async fn save(db: &Db, code: &str, version: u64, plan: Doc, audit: Doc) -> RepoResult<bool> {
    let (plan, audit) = (plan.into_value(), audit.into_value());
    retrying(|| async {
        let mut res = checked(
            db.query(
                "BEGIN TRANSACTION;
                 LET $id = type::record('lead_plan', $code);
                 LET $current = $id.version ?? 0;
                 IF $current = $version {
                     UPSERT $id CONTENT $plan RETURN NONE;
                     CREATE audit CONTENT $audit RETURN NONE;
                 };
                 ($current = $version);
                 COMMIT TRANSACTION;",
            )
            .bind(("code", code.to_string()))
            .bind(("version", version as i64))
            .bind(("plan", plan.clone()))
            .bind(("audit", audit.clone()))
            .await?,
        )?;
        let count = res.num_statements().saturating_sub(2);
        let ok: Option<bool> = res.take(count)?;
        Ok(ok.unwrap_or(false))
    })
    .await
}

/// The statements recording milestone checks on a lead's plan, run in the lead's own write
/// (`repo::leads::update_versioned`): the plan is made from `stages` when it has none yet.
pub const CHECKS_SQL: &str = "LET $plan_id = type::record('lead_plan', $code);
    IF record::exists($plan_id) {
        UPDATE $plan_id SET checks = $plan_checks RETURN NONE;
    } ELSE {
        CREATE $plan_id CONTENT { lead: type::record('lead', $code), stages: $plan_stages, checks: $plan_checks,
            version: 1, updated_at: time::now(), updated_by: $plan_by } RETURN NONE;
    };";

pub fn lead_id(code: &str) -> DbValue {
    DbValue::RecordId(record("lead", code))
}
