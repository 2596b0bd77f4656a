//! The workspace's settings (PRODUCT.md §12 "Settings"): read by everyone who computes with
//! them, changed by an admin. A change is a partial document, deep-merged and validated
//! whole; its scoring replay (how many leads would change grade, each grade's win rate now
//! and under the proposal) can be seen before publishing; publishing regrades the open leads
//! in one audited step and reaches every computation and every open page at once.
use crate::domain::enums::Status;
use crate::scoring::{self, ScoreInputs};
use crate::scoring_replay::{replay, Replay, ReplayLead};
use crate::settings::WorkspaceSettings;
use crate::settings_edit::apply_patch;
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::settings as repo;
use crate::ssr::state::AppState;
use chrono::Utc;
use serde_json::{json, Value};

/// The settings every page and computation uses now.
pub async fn current(state: &AppState) -> WorkspaceSettings {
    state.settings.read().await.clone()
}

/// The settings a patch would give, checked whole (admin only).
async fn proposed(state: &AppState, actor: &Actor, patch: &Value) -> ApiResult<(WorkspaceSettings, WorkspaceSettings)> {
    actor.require_admin()?;
    let now = current(state).await;
    let next = apply_patch(&now, patch).map_err(ApiError::Invalid)?;
    Ok((now, next))
}

fn inputs(row: &repo::ScoredRow) -> ScoreInputs {
    ScoreInputs {
        employees: row.employees,
        budget: row.budget,
        decision_months: row.decision_months,
        decision_chain: row.decision_chain,
    }
}

/// What publishing a patch would do to the workspace's grades; writes nothing.
pub async fn preview(state: &AppState, actor: &Actor, patch: &Value) -> ApiResult<Replay> {
    let (now, next) = proposed(state, actor, patch).await?;
    let leads: Vec<ReplayLead> = repo::scored_leads(&state.db)
        .await?
        .iter()
        .map(|r| ReplayLead { inputs: inputs(r), overrides: r.overrides.clone(), status: r.status })
        .collect();
    Ok(replay(&leads, &now.scoring, &next.scoring))
}

/// Publishes a patch: saved, audited, open leads regraded (each audited, with a new
/// version), the in-memory views and every open page following. Answers the new settings
/// and how many leads were regraded.
pub async fn update(state: &AppState, actor: &Actor, patch: &Value) -> ApiResult<(WorkspaceSettings, usize)> {
    let (now, next) = proposed(state, actor, patch).await?;
    let at = Utc::now();
    let audit = |record: String, field: &str, old: Value, new: Value| {
        Doc::new()
            .time("at", at)
            .set("actor", actor.user.clone())
            .set("record", record)
            .set("field", field.to_string())
            .set("old", old)
            .set("new", new)
    };
    let mut audits = vec![audit("settings:workspace".into(), "settings", json!(now), json!(next))];
    let mut regrades = Vec::new();
    if now.scoring != next.scoring {
        for row in repo::scored_leads(&state.db).await? {
            if matches!(row.status, Status::Won | Status::Lost) {
                continue;
            }
            let score = scoring::score_with(&inputs(&row), &row.overrides, &next.scoring);
            if score != row.score {
                if score.grade != row.score.grade {
                    audits.push(audit(
                        format!("lead:{}", row.code),
                        "grade",
                        json!(row.score.grade),
                        json!(score.grade),
                    ));
                }
                regrades.push((row.code, score));
            }
        }
    }
    repo::publish(&state.db, &next, audits, regrades.clone()).await?;
    let codes: Vec<String> = regrades.into_iter().map(|(c, _)| c).collect();
    state.settings_changed(next.clone(), &codes).await?;
    Ok((next, codes.len()))
}

/// One of the last leads as a dry run of assignment rules shows it: who has it now and who
/// the rules being edited would have given it to, by which rule (none: the default rules).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DryRunRow {
    pub code: String,
    pub company: String,
    pub grade: crate::domain::enums::Grade,
    pub owner_now: Option<String>,
    pub owner_then: Option<String>,
    pub rule: Option<usize>,
}

/// How many of the latest leads a dry run replays.
pub const DRY_RUN_LEADS: usize = 100;

/// Who would have received the workspace's last 100 leads under `rules`, in the order the
/// leads came in, with today's reps and loads (admin only). Writes nothing.
pub async fn dry_run(
    state: &AppState,
    actor: &Actor,
    rules: &crate::assignment_rules::AssignmentRules,
) -> ApiResult<Vec<DryRunRow>> {
    actor.require_admin()?;
    let problems = crate::assignment_rules::validate_rules(rules, "assignment");
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let pool = super::leads::current_pool(state).await?;
    let names: std::collections::HashMap<String, String> =
        crate::ssr::repo::people::users(&state.db).await?.into_iter().map(|u| (u.key, u.name)).collect();
    let mut latest: Vec<crate::kpi::LeadFacts> = state.view.read().await.leads().map(|l| l.facts.clone()).collect();
    latest.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.code.cmp(&a.code)));
    latest.truncate(DRY_RUN_LEADS);
    latest.reverse();
    let traits: Vec<crate::assignment_rules::LeadTraits> = latest
        .iter()
        .map(|f| crate::assignment_rules::LeadTraits {
            grade: f.grade,
            source: Some(f.source),
            region: f.region.as_deref(),
            industry: f.industry.as_deref(),
        })
        .collect();
    let outcome = crate::assignment_rules::dry_run(rules, &traits, &pool, Utc::now());
    let index = state.index.read().await;
    let name = |k: &Option<String>| k.as_ref().map(|k| names.get(k).cloned().unwrap_or_else(|| k.clone()));
    let mut rows: Vec<DryRunRow> = latest
        .iter()
        .zip(outcome)
        .map(|(f, then)| DryRunRow {
            code: f.code.clone(),
            company: index.get(&f.code).map(|c| c.company.clone()).unwrap_or_default(),
            grade: f.grade,
            owner_now: name(&f.owner),
            owner_then: name(&then.as_ref().map(|t| t.0.clone())),
            rule: then.and_then(|t| t.1),
        })
        .collect();
    rows.reverse();
    Ok(rows)
}

/// Saves the assignment rules (admin only): a settings change like any other, audited.
pub async fn save_rules(
    state: &AppState,
    actor: &Actor,
    rules: &crate::assignment_rules::AssignmentRules,
) -> ApiResult<WorkspaceSettings> {
    let patch = json!({ "assignment": rules });
    Ok(update(state, actor, &patch).await?.0)
}
