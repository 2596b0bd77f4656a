//! Logging a follow-up on a lead: the edge `rep ->followed_up-> lead`, the lead's first
//! contact, a stage change when the follow-up moved the lead, the cadence task it completes
//! and the next one — all in one transaction at the version the rep saw.
use super::{visible_lead, written};
use crate::domain::bundle::InteractionRecord;
use crate::domain::commands::NewFollowUp;
use crate::domain::enums::{Direction, Role};
use crate::domain::lead::Lead;
use crate::domain::validate::ProblemCode;
use crate::kpi::{InteractionFacts, LeadFacts, ViewChange};
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::import::interaction_doc;
use crate::ssr::repo::leads::{self as repo, audit_doc, stage_change_doc};
use crate::ssr::state::{AppState, LeadChange};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use surrealdb::types::Value as DbValue;

/// A logged follow-up as the API answers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoggedInteraction {
    pub lead: String,
    pub rep: String,
    #[serde(flatten)]
    pub details: crate::domain::bundle::InteractionDetails,
    pub logged_at: DateTime<Utc>,
    pub stage_before: crate::domain::enums::Status,
    pub stage_after: crate::domain::enums::Status,
    /// Logged more than the workspace's limit (24 h) after it happened.
    pub late: bool,
}

/// How many times a follow-up is written before a lead that keeps changing is answered 409.
const ATTEMPTS: u32 = 8;

/// Logs a follow-up. A follow-up carries no version: a move or an edit someone else made to
/// the lead between this one reading it and writing is not the rep's to resolve, so the
/// follow-up is written again on the lead as it then stands (its stage, its cadence task).
pub async fn log(
    state: &AppState,
    actor: &Actor,
    code: &str,
    cmd: NewFollowUp,
) -> ApiResult<(LoggedInteraction, Lead)> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match log_on_current(state, actor, code, cmd.clone()).await {
            Err(ApiError::Conflict(_)) if attempt < ATTEMPTS => {
                // A short, jittered pause: writers of one lead at the same moment go in turn.
                let jitter = u64::from(rand::random::<u8>() % 8);
                tokio::time::sleep(std::time::Duration::from_millis(u64::from(attempt) * 2 + jitter)).await;
            }
            outcome => return outcome,
        }
    }
}

async fn log_on_current(
    state: &AppState,
    actor: &Actor,
    code: &str,
    cmd: NewFollowUp,
) -> ApiResult<(LoggedInteraction, Lead)> {
    let NewFollowUp { details, stage_after, rep } = cmd;
    let now = Utc::now();
    if details.occurred_at > now + Duration::minutes(5) {
        return Err(ApiError::invalid("occurred_at", ProblemCode::BadOrder, "is in the future"));
    }
    let lead = visible_lead(state, actor, code).await?;
    if !actor.can_edit(lead.owner.as_deref(), lead.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not log follow-ups on this lead".into()));
    }
    let rep = match (rep, &actor.rep, actor.role) {
        (Some(r), _, Role::Admin | Role::Manager) => r,
        (Some(r), Some(own), Role::Rep) if &r == own => r,
        (Some(_), _, Role::Rep) => return Err(ApiError::Forbidden("a rep logs own follow-ups only".into())),
        (None, Some(own), _) => own.clone(),
        (None, None, _) => {
            return Err(ApiError::invalid("rep", ProblemCode::Required, "is required: this account is not a rep"))
        }
    };
    let stage_before = lead.status;
    let stage_after = stage_after.unwrap_or(stage_before);
    if stage_before.is_closed() && stage_after != stage_before {
        return Err(ApiError::invalid("stage_after", ProblemCode::Closed, "the lead is closed; reopen it first"));
    }
    let record = InteractionRecord {
        lead: code.to_string(),
        rep: rep.clone(),
        occurred_at: details.occurred_at,
        logged_at: now,
        channel: details.channel,
        direction: details.direction,
        responded: details.responded,
        satisfaction: details.satisfaction,
        stage_before,
        stage_after,
        summary: details.summary.clone(),
        contact: details.contact.clone(),
        bant: details.bant.clone(),
        needs_change: details.needs_change.clone(),
        feedback: details.feedback.clone(),
        decision_progress: details.decision_progress.clone(),
        mood: details.mood,
        next_follow_up_at: details.next_follow_up_at,
    };
    let version = lead.version;
    // Every follow-up is a new version of the lead, so the views can tell it from a replay.
    let mut patch = Doc::new().time("updated_at", now).set("version", (version + 1) as i64);
    let first_contact = match (details.direction, lead.first_contact_at) {
        (Direction::Outbound, Some(t)) if t <= details.occurred_at => None,
        (Direction::Outbound, _) => Some(details.occurred_at),
        _ => None,
    };
    patch = patch.opt_time("first_contact_at", first_contact);
    let mut audits = Vec::new();
    let mut sql = String::from("INSERT RELATION INTO followed_up [$edge] RETURN NONE;");
    let mut bind: Vec<(&'static str, DbValue)> = vec![("edge", interaction_doc(&rep, code, &record).into_value())];
    let moved = stage_after != stage_before;
    if moved {
        patch = patch.set("status", stage_after.key().to_string()).time("status_since", now);
        audits.push(audit_doc(actor, code, "status", json!(stage_before), json!(stage_after), now));
        sql.push_str("CREATE stage_change CONTENT $change RETURN NONE;");
        let change = stage_change_doc(code, stage_before, stage_after, now, Some(&rep), &actor.user);
        bind.push(("change", change.into_value()));
    }

    // The cadence keeps one follow-up task ahead (service::cadence).
    let settings = state.settings.read().await.clone();
    let open = repo::open_follow_up_tasks(&state.db, code).await?;
    let tasks = super::cadence::after_follow_up(
        &open,
        code,
        lead.owner.as_deref(),
        lead.grade,
        details.occurred_at,
        details.next_follow_up_at,
        stage_after.is_closed(),
        &settings,
        now,
    );
    sql.push_str(&tasks.sql);
    bind.extend(tasks.bind);
    let mut task_facts = tasks.facts;
    // A meeting (S) or an e-mail or call (A) in the week of a weekly touch completes it.
    let touches: Vec<crate::kpi::TaskFacts> = state
        .index
        .read()
        .await
        .open_tasks_of(code)
        .into_iter()
        .filter(|t| {
            t.kind == crate::domain::enums::TaskKind::WeeklyTouch
                && super::scores::is_weekly_touch(lead.grade, details.channel)
                && details.occurred_at <= t.due_at
                && details.occurred_at > t.due_at - Duration::days(7)
        })
        .collect();
    if !touches.is_empty() {
        sql.push_str("FOR $t IN $touch_done { UPDATE type::record('task', $t) SET done_at = $touch_at RETURN NONE; };");
        bind.push(("touch_done", DbValue::Array(touches.iter().map(|t| DbValue::String(t.id.clone())).collect())));
        bind.push(("touch_at", DbValue::Datetime(now.into())));
        task_facts.extend(touches.into_iter().map(|mut t| {
            t.done_at = Some(now);
            ViewChange::Task(t)
        }));
    }
    let outcome = repo::update_versioned(&state.db, code, version, patch, audits, &sql, bind).await?;
    let updated = written(state, outcome, code).await?;

    let mut facts = vec![ViewChange::Lead(LeadFacts::of_lead(&updated))];
    if moved {
        facts.push(ViewChange::StageChange {
            lead: code.to_string(),
            from: Some(stage_before),
            to: stage_after,
            at: now,
        });
    }
    facts.push(ViewChange::Interaction(InteractionFacts {
        lead: code.to_string(),
        occurred_at: record.occurred_at,
        logged_at: now,
        channel: record.channel,
        direction: record.direction,
        responded: record.responded,
        satisfaction: record.satisfaction,
        stage_before,
        stage_after,
    }));
    facts.extend(task_facts);
    state.apply(LeadChange { lead: updated.clone(), facts }).await;
    let updated = super::with_activity(state, updated).await;
    let late = settings.logged_late(details.occurred_at, now);
    let logged =
        LoggedInteraction { lead: code.to_string(), rep, details, logged_at: now, stage_before, stage_after, late };
    Ok((logged, updated))
}
