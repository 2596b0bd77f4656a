//! Moving a lead across the pipeline (a card dragged on the board, `POST …/move`): won needs
//! the deal amount, lost the reason, reopening a closed lead is a manager's; the stage change
//! and its audit rows are written with the lead, at the version the mover saw.
use super::{editable_lead, written};
use crate::domain::commands::StageMove;
use crate::domain::enums::{Role, Status};
use crate::domain::lead::Lead;
use crate::kpi::{LeadFacts, ViewChange};
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::leads::{audit_doc, open_follow_up_tasks, stage_change_doc, update_versioned};
use crate::ssr::state::{AppState, LeadChange};
use chrono::Utc;
use serde_json::json;
use surrealdb::types::Value as DbValue;

pub async fn move_lead(state: &AppState, actor: &Actor, code: &str, m: StageMove) -> ApiResult<Lead> {
    let lead = editable_lead(state, actor, code, m.version).await?;
    if lead.status == m.to {
        return Ok(lead);
    }
    if lead.status.is_closed() && actor.role == Role::Rep {
        return Err(ApiError::Forbidden("only a manager can reopen a won or lost lead".into()));
    }
    let now = Utc::now();
    let patch = Doc::new()
        .set("status", m.to.key().to_string())
        .time("status_since", now)
        .set("version", (m.version + 1) as i64)
        .time("updated_at", now);
    // Closing sets when and why; any other move (a reopening) clears both.
    let patch = match m.to {
        Status::Won => patch
            .time("won_at", now)
            .set("deal_amount", m.deal_amount.unwrap_or(0.0))
            .set("lost_at", DbValue::None)
            .set("loss_reason", DbValue::None),
        Status::Lost => patch
            .time("lost_at", now)
            .set("loss_reason", m.loss_reason.map_or("other", |r| r.key()).to_string())
            .set("won_at", DbValue::None)
            .set("deal_amount", DbValue::None),
        _ => patch
            .set("won_at", DbValue::None)
            .set("lost_at", DbValue::None)
            .set("deal_amount", DbValue::None)
            .set("loss_reason", DbValue::None),
    };
    let change = stage_change_doc(code, lead.status, m.to, now, actor.rep.as_deref(), &actor.user);
    let mut audits = vec![audit_doc(actor, code, "status", json!(lead.status), json!(m.to), now)];
    if let Some(amount) = m.deal_amount.filter(|_| m.to == Status::Won) {
        audits.push(audit_doc(actor, code, "deal_amount", json!(lead.deal_amount), json!(amount), now));
    }
    if let Some(reason) = m.loss_reason.filter(|_| m.to == Status::Lost) {
        audits.push(audit_doc(actor, code, "loss_reason", json!(lead.loss_reason), json!(reason), now));
    }
    // Closing drops the cadence tasks not yet due; reopening plans one (service::cadence).
    let tasks = if m.to.is_closed() != lead.status.is_closed() {
        let settings = state.settings.read().await.clone();
        let open = open_follow_up_tasks(&state.db, code).await?;
        if m.to.is_closed() {
            super::cadence::on_close(&open, code, lead.owner.as_deref(), &settings, now)
        } else {
            super::cadence::on_reopen(&open, code, lead.owner.as_deref(), now)
        }
    } else {
        super::cadence::TaskWrites::default()
    };
    let mut bind = vec![("change", change.into_value())];
    bind.extend(tasks.bind);
    let sql = format!("CREATE stage_change CONTENT $change RETURN NONE;{}", tasks.sql);
    let outcome = update_versioned(&state.db, code, m.version, patch, audits, &sql, bind).await?;
    let updated = written(state, outcome, code).await?;
    let mut facts = vec![
        ViewChange::Lead(LeadFacts::of_lead(&updated)),
        ViewChange::StageChange { lead: code.to_string(), from: Some(lead.status), to: m.to, at: now },
    ];
    facts.extend(tasks.facts);
    state.apply(LeadChange { lead: updated.clone(), facts }).await;
    Ok(updated)
}
