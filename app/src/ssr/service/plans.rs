//! Follow-up plans (客户跟进计划表, PRODUCT.md §5, §13): the workspace's templates by grade
//! (an admin's), a lead's plan as its owner and managers see it — each stage's content (the
//! lead's own once edited, its grade's template before), time node, milestone and expected
//! vs actual follow-ups — editing it, and checking a milestone off, which suggests the
//! matching stage move.
use super::{editable_lead, visible_lead, written};
use crate::domain::commands::{CheckMilestone, SavePlan};
use crate::domain::enums::{PlanStage, Status};
use crate::domain::lead::Lead;
use crate::domain::plan::{self, PlanTemplates, Progress, StagePlan};
use crate::kpi::{LeadFacts, ViewChange};
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::leads::{self as leads_repo, audit_doc};
use crate::ssr::repo::plans::{self as repo, Check};
use crate::ssr::state::{AppState, LeadChange};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};

pub async fn templates(state: &AppState) -> ApiResult<PlanTemplates> {
    Ok(repo::templates(&state.db).await?)
}

pub async fn save_templates(state: &AppState, actor: &Actor, next: PlanTemplates) -> ApiResult<PlanTemplates> {
    actor.require_admin()?;
    let now = repo::templates(&state.db).await?;
    let audit = Doc::new()
        .time("at", Utc::now())
        .set("actor", actor.user.clone())
        .set("record", "settings:plans".to_string())
        .set("field", "plan_templates".to_string())
        .set("old", json!(now))
        .set("new", json!(next));
    repo::save_templates(&state.db, &next, audit).await?;
    Ok(next)
}

/// Expected and actual follow-ups of a stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FollowUps {
    pub expected_min: u32,
    pub expected_max: u32,
    pub actual: u32,
}

/// One stage of a lead's plan as it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageView {
    pub stage: PlanStage,
    pub status: Status,
    #[serde(flatten)]
    pub plan: StagePlan,
    /// The time node: when the stage's milestone is due.
    pub due_at: DateTime<Utc>,
    pub milestone: String,
    pub reached: bool,
    /// Checked by hand: by whom and when (a stage moved beyond is reached without one).
    pub checked: Option<Check>,
    pub follow_ups: FollowUps,
    /// The stage the lead is in now.
    pub current: bool,
}

/// A lead's plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanView {
    pub lead: String,
    pub company: String,
    pub grade: crate::domain::enums::Grade,
    pub status: Status,
    pub stages: Vec<StageView>,
    pub progress: Progress,
    pub completion: Option<f64>,
    /// The plan's version (0: still its grade's template).
    pub version: u64,
    pub lead_version: u64,
    pub can_edit: bool,
}

pub async fn view(state: &AppState, actor: &Actor, code: &str, lang: crate::i18n::Lang) -> ApiResult<PlanView> {
    let lead = visible_lead(state, actor, code).await?;
    let stored = repo::plan(&state.db, code).await?;
    let cadence = state.settings.read().await.cadence.clone();
    let template = repo::templates(&state.db).await?;
    let stages_now: Vec<StagePlan> = match &stored {
        Some(p) if p.stages.len() == 4 => p.stages.clone(),
        _ => template.of(lead.grade).to_vec(),
    };
    let logged = repo::follow_up_stages(&state.db, code).await?;
    let now = Utc::now();
    let checked = plan::mask(&lead.milestones);
    let reached = plan::reached(lead.status, checked);
    let nodes = plan::time_nodes(lead.created_at, lead.grade, &cadence);
    let stages = PlanStage::ALL
        .iter()
        .zip(stages_now)
        .map(|(stage, content)| {
            let (expected_min, expected_max) = stage.expected_follow_ups();
            let actual = logged.iter().filter(|s| s.as_str() == stage.status().key()).count() as u32;
            StageView {
                stage: *stage,
                status: stage.status(),
                plan: content,
                due_at: nodes[stage.index()],
                milestone: stage.milestone(lang).to_string(),
                reached: reached & plan::bit(*stage) != 0,
                checked: stored
                    .as_ref()
                    .and_then(|p| p.checks.iter().find(|c| c.stage == *stage).cloned())
                    .filter(|_| checked & plan::bit(*stage) != 0),
                follow_ups: FollowUps { expected_min, expected_max, actual },
                current: PlanStage::of_status(lead.status) == Some(*stage),
            }
        })
        .collect();
    let progress = plan::progress(lead.status, lead.grade, lead.created_at, checked, &cadence, now);
    Ok(PlanView {
        lead: lead.code.clone(),
        company: lead.profile.company.clone().unwrap_or_default(),
        grade: lead.grade,
        status: lead.status,
        stages,
        progress,
        completion: progress.ratio(),
        version: stored.map_or(0, |p| p.version),
        lead_version: lead.version,
        can_edit: actor.can_edit(lead.owner.as_deref(), lead.team.as_deref()),
    })
}

/// Saves a lead's plan content (the four stages), at the plan's version the editor saw.
pub async fn save(state: &AppState, actor: &Actor, code: &str, cmd: SavePlan) -> ApiResult<u64> {
    let SavePlan { stages, version } = cmd;
    let lead = visible_lead(state, actor, code).await?;
    if !actor.can_edit(lead.owner.as_deref(), lead.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not change this lead's plan".into()));
    }
    let stored = repo::plan(&state.db, code).await?;
    let now = Utc::now();
    let before = stored.as_ref().map(|p| json!(p.stages)).unwrap_or(Value::Null);
    let checks = stored.map(|p| p.checks).unwrap_or_default();
    let doc = Doc::new()
        .set("lead", repo::lead_id(code))
        .set("stages", repo::stages_value(&stages))
        .set("checks", repo::checks_value(&checks))
        .set("version", (version + 1) as i64)
        .time("updated_at", now)
        .set("updated_by", actor.user.clone());
    let audit = Doc::new()
        .time("at", now)
        .set("actor", actor.user.clone())
        .set("record", format!("lead_plan:{code}"))
        .set("field", "stages".to_string())
        .set("old", before)
        .set("new", json!(stages));
    if !repo::save(&state.db, code, version, doc, audit).await? {
        let current = repo::plan(&state.db, code).await?.map_or(0, |p| p.version);
        return Err(ApiError::Conflict(json!({"version": current})));
    }
    Ok(version + 1)
}

/// Checks a milestone off (or takes the check back) at the lead's version the user saw: the
/// lead's plan completion follows on every open board, and a reached milestone of the stage
/// the lead is in suggests its next status.
pub async fn check(
    state: &AppState,
    actor: &Actor,
    code: &str,
    cmd: CheckMilestone,
) -> ApiResult<(Lead, Option<Status>)> {
    let CheckMilestone { stage, reached, version } = cmd;
    let lead = editable_lead(state, actor, code, version).await?;
    let had = lead.milestones.contains(&stage);
    let suggest = |l: &Lead| (reached && l.status == stage.status()).then(|| stage.next_status());
    if had == reached {
        let s = suggest(&lead);
        return Ok((lead, s));
    }
    let mut milestones: Vec<PlanStage> = lead.milestones.iter().copied().filter(|s| *s != stage).collect();
    if reached {
        milestones.push(stage);
    }
    milestones.sort_by_key(|s| s.index());
    let now = Utc::now();
    let stored = repo::plan(&state.db, code).await?;
    let mut checks: Vec<Check> = stored.as_ref().map(|p| p.checks.clone()).unwrap_or_default();
    checks.retain(|c| c.stage != stage);
    if reached {
        checks.push(Check { stage, at: now, by: actor.user.clone(), by_name: Some(actor.name.clone()) });
    }
    let template = repo::templates(&state.db).await?;
    let stages: Vec<StagePlan> = match &stored {
        Some(p) if p.stages.len() == 4 => p.stages.clone(),
        _ => template.of(lead.grade).to_vec(),
    };
    let keys: Vec<String> = milestones.iter().map(|s| s.key().to_string()).collect();
    let doc = Doc::new().strings("milestones", &keys).set("version", (version + 1) as i64).time("updated_at", now);
    let audits = vec![audit_doc(actor, code, &format!("milestone.{}", stage.key()), json!(had), json!(reached), now)];
    let bind = vec![
        ("plan_checks", repo::checks_value(&checks)),
        ("plan_stages", repo::stages_value(&stages)),
        ("plan_by", surrealdb::types::Value::String(actor.user.clone())),
    ];
    let outcome = leads_repo::update_versioned(&state.db, code, version, doc, audits, repo::CHECKS_SQL, bind).await?;
    let updated = written(state, outcome, code).await?;
    state
        .apply(LeadChange { lead: updated.clone(), facts: vec![ViewChange::Lead(LeadFacts::of_lead(&updated))] })
        .await;
    let s = suggest(&updated);
    Ok((updated, s))
}

/// A lead's plan completion now (the lead page and the list show it).
pub fn progress_of(lead: &Lead, cadence: &crate::settings::CadenceSettings) -> Progress {
    plan::progress(lead.status, lead.grade, lead.created_at, plan::mask(&lead.milestones), cadence, Utc::now())
}
