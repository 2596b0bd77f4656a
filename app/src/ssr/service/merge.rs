//! Duplicates (PRODUCT.md §2, §12): leads sharing a phone, an e-mail or a normalised company
//! name are proposed as one customer; a merge keeps everything. The merged lead's follow-ups
//! (graph edges, re-drawn to the survivor), tasks, feedback, stage changes, orders, tags and
//! sources end up on the surviving lead; the merged code then answers 410 with the survivor's;
//! both leads are audited; the KPIs count the customer once.
use super::{editable_lead, visible_lead, written};
use crate::domain::commands::NewLead;
pub use crate::domain::commands::{KeepApart, MergeLeads};
use crate::domain::duplicates::{DupGroup, DupKeys, Reason};
use crate::domain::enums::Source;
use crate::domain::lead::{Lead, LeadProfile};
use crate::domain::validate::ProblemCode;
use crate::kpi::{LeadFacts, ViewChange};
use crate::scoring;
use crate::ssr::actor::Actor;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::import::lead_doc;
use crate::ssr::repo::leads::{self as repo, audit_doc};
use crate::ssr::state::{AppState, LeadChange};
use chrono::Utc;
use serde_json::{json, Value};

/// The groups of duplicates among the leads the actor may see, but those a user kept apart.
pub async fn groups(state: &AppState, actor: &Actor) -> ApiResult<Vec<DupGroup>> {
    let marks = crate::ssr::repo::duplicates::dismissals(&state.db).await?;
    let mut groups = state.index.read().await.duplicate_groups(actor);
    groups.retain(|g| !g.kept_apart(&marks));
    Ok(groups)
}

/// Keeps leads apart as different customers: the duplicates page stops listing them together
/// until another lead joins them. Each must be a lead the actor may change (as for a merge);
/// each gets an audit row naming the others.
pub async fn keep_apart(state: &AppState, actor: &Actor, cmd: KeepApart) -> ApiResult<Vec<String>> {
    for code in &cmd.leads {
        let lead = visible_lead(state, actor, code).await?;
        if !actor.can_edit(lead.owner.as_deref(), lead.team.as_deref()) {
            return Err(ApiError::Forbidden(format!("you may not change lead {code}")));
        }
    }
    let now = Utc::now();
    let mark = crate::ssr::db::Doc::new().strings("leads", &cmd.leads).set("by", actor.user.clone()).time("at", now);
    let audits = cmd
        .leads
        .iter()
        .map(|code| {
            let others: Vec<&String> = cmd.leads.iter().filter(|c| *c != code).collect();
            audit_doc(actor, code, "kept_apart_from", Value::Null, json!(others), now)
        })
        .collect();
    crate::ssr::repo::duplicates::dismiss(&state.db, mark, audits).await?;
    Ok(cmd.leads)
}

/// The leads the actor may see that look like the same customer as a profile.
pub async fn duplicates_of(
    state: &AppState,
    actor: &Actor,
    p: &LeadProfile,
    except: Option<&str>,
) -> Vec<(String, Vec<Reason>)> {
    let keys = DupKeys::of(p.phone.as_deref(), p.email.as_deref(), p.company.as_deref());
    let index = state.index.read().await;
    index
        .duplicates_of(&keys, except)
        .into_iter()
        .filter(|(code, _)| index.get(code).is_some_and(|c| actor.can_see(c.owner.as_deref(), c.team.as_deref())))
        .collect()
}

/// Every source of a lead: its own and any merged into it.
fn sources_of(lead: &Lead) -> Vec<Source> {
    let mut s = lead.sources.clone();
    if let Some(own) = lead.profile.source {
        if !s.contains(&own) {
            s.insert(0, own);
        }
    }
    s
}

pub async fn merge(state: &AppState, actor: &Actor, code: &str, cmd: MergeLeads) -> ApiResult<Lead> {
    if cmd.from == code {
        return Err(ApiError::invalid("from", ProblemCode::Duplicate, "a lead cannot be merged into itself"));
    }
    let into = editable_lead(state, actor, code, cmd.version).await?;
    let from = visible_lead(state, actor, &cmd.from).await?;
    if !actor.can_edit(from.owner.as_deref(), from.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not change the lead to merge".into()));
    }
    // The profile: the survivor's, with the chosen fields from the merged lead, tags joined.
    let theirs = serde_json::to_value(&from.profile).unwrap_or_default();
    let mut merged = serde_json::to_value(&into.profile).unwrap_or_default();
    for field in &cmd.take {
        merged[field.as_str()] = theirs[field.as_str()].clone();
    }
    let mut tags = into.profile.tags.clone();
    for t in &from.profile.tags {
        if !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    tags.truncate(crate::domain::validate::MAX_LIST_ITEMS);
    merged["tags"] = json!(tags);
    let NewLead { profile, .. } = NewLead::read(&merged).map_err(ApiError::Invalid)?;
    let mut sources = sources_of(&into);
    for s in sources_of(&from) {
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    let settings = state.settings.read().await.clone();
    // The survivor keeps its managers' overrides and takes `from`'s for the other parts.
    let mut overrides = into.overrides.clone();
    for o in &from.overrides {
        if !overrides.iter().any(|x| x.part == o.part) {
            overrides.push(o.clone());
        }
    }
    overrides.sort_by_key(|o| o.part.index());
    let score = scoring::score_with(&profile.score_inputs(), &overrides, &settings.scoring);
    let now = Utc::now();
    let before = serde_json::to_value(&into.profile).unwrap_or_default();
    let after = serde_json::to_value(&profile).unwrap_or_default();
    let mut audits = vec![
        audit_doc(actor, code, "merged_from", Value::Null, json!(from.code), now),
        audit_doc(actor, &from.code, "merged_into", Value::Null, json!(code), now),
    ];
    for field in LeadProfile::FIELDS.iter().chain(&LeadProfile::MORE_FIELDS) {
        if before[field] != after[field] {
            audits.push(audit_doc(actor, code, field, before[field].clone(), after[field].clone(), now));
        }
    }
    let source_keys: Vec<String> = sources.iter().map(|s| s.key().to_string()).collect();
    let doc = lead_doc(code, &profile, &score)
        .strings("sources", &source_keys)
        .set("overrides", super::scores::overrides_value(&overrides))
        .set("version", (cmd.version + 1) as i64)
        .time("updated_at", now);
    let doc = if score != into.score { doc.time("scored_at", now) } else { doc };
    let from_id = crate::ssr::db::record("lead", &from.code);
    let extra = "LET $from = $from_lead;
        UPDATE $from SET merged_into = $code, version += 1, updated_at = time::now() RETURN NONE;
        LET $into = type::record('lead', $code);
        FOR $e IN (SELECT * FROM $from<-followed_up) {
            LET $rep = $e.in;
            RELATE $rep->followed_up->$into CONTENT {
                occurred_at: $e.occurred_at, logged_at: $e.logged_at, channel: $e.channel,
                direction: $e.direction, contact: $e.contact, summary: $e.summary, bant: $e.bant,
                needs_change: $e.needs_change, feedback: $e.feedback, decision_progress: $e.decision_progress,
                mood: $e.mood, responded: $e.responded, satisfaction: $e.satisfaction,
                stage_before: $e.stage_before, stage_after: $e.stage_after, next_follow_up_at: $e.next_follow_up_at
            } RETURN NONE;
            DELETE $e.id RETURN NONE;
        };
        UPDATE task SET lead = $into WHERE lead = $from RETURN NONE;
        UPDATE feedback SET lead = $into WHERE lead = $from RETURN NONE;
        UPDATE stage_change SET lead = $into WHERE lead = $from RETURN NONE;
        UPDATE sales_order SET lead = $into WHERE lead = $from RETURN NONE;";
    let outcome = repo::update_versioned(
        &state.db,
        code,
        cmd.version,
        doc,
        audits,
        extra,
        vec![("from_lead", surrealdb::types::Value::RecordId(from_id))],
    )
    .await?;
    let survivor = written(state, outcome, code).await?;
    let facts = vec![
        ViewChange::Merge { from: from.code.clone(), into: code.to_string() },
        ViewChange::Lead(LeadFacts::of_lead(&survivor)),
    ];
    state.merged(LeadChange { lead: survivor.clone(), facts }, &from.code).await;
    Ok(super::with_activity(state, survivor).await)
}
