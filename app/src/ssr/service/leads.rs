//! Leads: the list and a lead as the actor may see them, creating a lead (scored, graded,
//! assigned by the rules of PRODUCT.md §4, with its first follow-up task due within the
//! grade's SLA) and editing one (regraded, every changed field audited, at the version the
//! editor saw).
use super::{editable_lead, written};
use crate::assignment::Candidate;
use crate::assignment_rules::{self, LeadTraits, Pool, PoolRep};
use crate::domain::commands::{LeadPatch, NewLead};
use crate::domain::enums::{Role, Status, TaskKind};
use crate::domain::lead::{Lead, LeadList};
use crate::domain::validate::ProblemCode;
use crate::kpi::{AnalyticView, LeadFacts, TaskFacts, ViewChange};
use crate::scoring;
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::import::lead_doc;
use crate::ssr::repo::leads::{self as repo, audit_doc, random_id, Cursor, LeadFilter, RepRow};
use crate::ssr::state::{AppState, LeadChange};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use surrealdb::types::Value as DbValue;

/// A page of the leads the actor may see, newest first: chosen from the in-memory lead index
/// (every filter, sort and search of the list at 100,000 leads in milliseconds), read whole
/// from the database.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    filter: &LeadFilter,
    limit: usize,
    cursor: Option<&str>,
) -> ApiResult<LeadList> {
    let after = match cursor.filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(Cursor::decode(c).ok_or_else(|| {
            ApiError::invalid("cursor", ProblemCode::UnknownValue, "is not a cursor this server gave out")
        })?),
    };
    // The page is chosen from the in-memory index, then read whole from the database.
    let (codes, next) = state.index.read().await.page(actor, filter, limit, after.as_ref());
    let mut items = repo::fetch_many(&state.db, &codes).await?;
    let cadence = state.settings.read().await.cadence.clone();
    let now = Utc::now();
    let index = state.index.read().await;
    for lead in &mut items {
        lead.plan = Some(super::plans::progress_of(lead, &cadence));
        lead.activity = index.activity(&lead.code, now);
    }
    Ok(LeadList { items, next_cursor: next.map(|c| c.encode()) })
}

/// A lead the actor may see with its history (timeline and follow-up notes).
pub async fn with_history(
    state: &AppState,
    actor: &Actor,
    code: &str,
) -> ApiResult<(Lead, Vec<crate::domain::history::TimelineEntry>, Vec<crate::domain::history::FollowUpNotes>)> {
    let lead = super::visible_lead(state, actor, code).await?;
    let settings = state.settings.read().await.clone();
    let timeline = crate::ssr::repo::history::timeline(&state.db, code, &settings).await?;
    let notes = crate::ssr::repo::history::follow_up_notes(&state.db, code).await?;
    Ok((lead, timeline, notes))
}

/// The reps and teams the actor may see (a rep: themselves and their team).
pub async fn people(state: &AppState, actor: &Actor) -> ApiResult<crate::domain::people::People> {
    Ok(crate::ssr::repo::users::people(&state.db, actor).await?)
}

/// Every active rep with their load from the analytic view, as the assignment rules see
/// them.
fn pool(reps: Vec<RepRow>, view: &AnalyticView) -> Pool {
    let mut load: std::collections::HashMap<&str, (u32, Option<DateTime<Utc>>)> = Default::default();
    for l in view.leads() {
        if let Some(owner) = l.facts.owner.as_deref() {
            let e = load.entry(owner).or_default();
            e.0 += u32::from(!l.facts.status.is_closed());
            e.1 = e.1.max(l.facts.assigned_at);
        }
    }
    let candidates = reps
        .into_iter()
        .map(|r| {
            let (open_leads, last) = load.get(r.key.as_str()).copied().unwrap_or_default();
            PoolRep {
                candidate: Candidate {
                    key: r.key,
                    seniority: r.seniority,
                    region: r.region,
                    industries: r.industries,
                    open_leads,
                    last_assigned_at: last,
                },
                team: r.team,
                active: true,
                max_open_leads: r.max_open_leads,
            }
        })
        .collect();
    Pool { candidates }
}

/// The workspace's active reps as the assignment rules see them now.
pub async fn current_pool(state: &AppState) -> ApiResult<Pool> {
    let reps = repo::active_reps(&state.db).await?;
    Ok(pool(reps, &*state.view.read().await))
}

/// The rep and team the assignment rules give a lead with these traits (none: nobody to
/// give it to), leaving out `except` (a leaver whose leads are being handed on). The admin's
/// rules place a lead anywhere; the default rules keep a lead a rep or a manager enters within
/// their own teams (`home`) when someone there can take it.
pub async fn rule_owner(
    state: &AppState,
    traits: &LeadTraits<'_>,
    except: Option<&str>,
    home: &[String],
) -> ApiResult<Option<(String, Option<String>)>> {
    let mut pool = current_pool(state).await?;
    pool.candidates.retain(|r| Some(r.candidate.key.as_str()) != except);
    let rules = state.settings.read().await.assignment.clone();
    Ok(pick(&rules, traits, &pool, home))
}

/// The choice of [`rule_owner`] over a given pool.
pub fn pick(
    rules: &assignment_rules::AssignmentRules,
    traits: &LeadTraits<'_>,
    pool: &Pool,
    home: &[String],
) -> Option<(String, Option<String>)> {
    let placed = assignment_rules::assign(rules, traits, pool);
    if let Some(a) = &placed {
        if a.rule.is_some() || home.is_empty() {
            return Some((a.rep.candidate.key.clone(), a.rep.team.clone()));
        }
    }
    let at_home = Pool {
        candidates: pool
            .candidates
            .iter()
            .filter(|r| r.team.as_ref().is_some_and(|t| home.contains(t)))
            .cloned()
            .collect(),
    };
    assignment_rules::assign(&Default::default(), traits, &at_home)
        .or(placed)
        .map(|a| (a.rep.candidate.key.clone(), a.rep.team.clone()))
}

/// Whom the rules would give an existing lead now (reassigning a leaver's leads).
pub async fn pick_owner_for(
    state: &AppState,
    _actor: &Actor,
    code: &str,
    except: Option<&str>,
) -> ApiResult<Option<String>> {
    let Some(lead) = repo::fetch(&state.db, code).await? else { return Ok(None) };
    let traits = LeadTraits {
        grade: lead.grade,
        source: lead.profile.source,
        region: lead.profile.region.as_deref(),
        industry: lead.profile.industry.as_deref(),
    };
    Ok(rule_owner(state, &traits, except, &[]).await?.map(|(k, _)| k))
}

pub async fn create(state: &AppState, actor: &Actor, cmd: NewLead) -> ApiResult<Lead> {
    let NewLead { mut profile, owner } = cmd;
    // A lead that comes without a strategy takes the next variant given in turn, if any.
    if profile.strategy.is_none() {
        profile.strategy = super::strategies::next_in_turn(state).await?;
    }
    let settings = state.settings.read().await.clone();
    let score = scoring::score(&profile.score_inputs(), &settings.scoring);
    let (owner, team) = match owner {
        // A manager or an admin may hand the lead to a rep of their scope.
        Some(key) => {
            let pool = current_pool(state).await?;
            match pool.candidates.iter().find(|r| r.candidate.key == key) {
                Some(r) if actor.role != Role::Rep && actor.can_edit(Some(&key), r.team.as_deref()) => {
                    (Some(key), r.team.clone())
                }
                Some(r) if actor.rep.as_deref() == Some(key.as_str()) => (Some(key), r.team.clone()),
                _ => {
                    return Err(ApiError::invalid(
                        "owner",
                        ProblemCode::UnknownRecord,
                        format!("`{key}` is not a rep you can assign leads to"),
                    ))
                }
            }
        }
        // Everyone else's leads, a rep's own included, follow the assignment rules.
        None => {
            let traits = LeadTraits {
                grade: score.grade,
                source: profile.source,
                region: profile.region.as_deref(),
                industry: profile.industry.as_deref(),
            };
            let home = if actor.is_admin() { Vec::new() } else { actor.teams.clone() };
            match rule_owner(state, &traits, None, &home).await? {
                Some((k, t)) => (Some(k), t),
                None => (None, None),
            }
        }
    };
    let now = Utc::now();
    let year = chrono::Datelike::year(&now.with_timezone(&settings.tz()));
    let code = repo::next_code(&state.db, year).await?;
    let doc = lead_doc(&code, &profile, &score)
        .opt_link("owner", "rep", owner.as_deref())
        .opt_link("team", "team", team.as_deref())
        .time("created_at", now)
        .opt_time("assigned_at", owner.as_ref().map(|_| now))
        .set("status", Status::New.key().to_string())
        .time("status_since", now)
        .set("version", 1i64)
        .time("updated_at", now);
    let task_id = random_id();
    let due = now + Duration::minutes((settings.sla.hours(score.grade) * 60.0) as i64);
    let task = Doc::new()
        .link("lead", "lead", &code)
        .opt_link("owner", "rep", owner.as_deref())
        .set("kind", TaskKind::FollowUp.key().to_string())
        .time("due_at", due);
    let audit = audit_doc(actor, &code, "created", Value::Null, json!(code), now);
    let lead = super::with_plan(state, repo::insert(&state.db, &code, doc, &task_id, task, audit).await?).await;
    let facts = vec![
        ViewChange::Lead(LeadFacts::of_lead(&lead)),
        ViewChange::Task(TaskFacts::planned(task_id, code, TaskKind::FollowUp, due, lead.owner.clone())),
    ];
    state.apply(LeadChange { lead: lead.clone(), facts }).await;
    Ok(super::with_activity(state, lead).await)
}

/// Edits a lead's profile (and, for managers and admins, its owner): the changed fields are
/// merged over the lead as it stands and validated whole, the score and grade recomputed.
pub async fn update(state: &AppState, actor: &Actor, code: &str, patch: LeadPatch) -> ApiResult<Lead> {
    let lead = editable_lead(state, actor, code, patch.version).await?;
    let mut merged = serde_json::to_value(&lead.profile).unwrap_or_else(|_| json!({}));
    for (k, v) in &patch.fields {
        merged[k] = v.clone();
    }
    let NewLead { profile, .. } = NewLead::read(&merged).map_err(ApiError::Invalid)?;
    let owner = match patch.owner() {
        Some(owner) => owner,
        None => lead.owner.clone(),
    };
    let now = Utc::now();
    let mut audits = Vec::new();
    let before = serde_json::to_value(&lead.profile).unwrap_or_default();
    let after = serde_json::to_value(&profile).unwrap_or_default();
    for field in crate::domain::lead::LeadProfile::FIELDS.iter().chain(&crate::domain::lead::LeadProfile::MORE_FIELDS) {
        let field = *field;
        if before[field] != after[field] {
            audits.push(audit_doc(actor, code, field, before[field].clone(), after[field].clone(), now));
        }
    }
    let settings = state.settings.read().await.clone();
    let score = scoring::score_with(&profile.score_inputs(), &lead.overrides, &settings.scoring);
    let mut doc = lead_doc(code, &profile, &score);
    if score != lead.score {
        doc = doc.time("scored_at", now);
    }
    // Fields left empty are removed.
    for field in crate::domain::lead::LeadProfile::FIELDS {
        if after[field].is_null() {
            doc = doc.set(field, DbValue::None);
        }
    }
    if owner != lead.owner {
        if actor.role == Role::Rep {
            return Err(ApiError::Forbidden("only a manager or an admin can reassign a lead".into()));
        }
        let new_owner = owner.clone().unwrap_or_default();
        let Some(team) = repo::rep_team(&state.db, &new_owner).await? else {
            return Err(ApiError::invalid("owner", ProblemCode::UnknownRecord, format!("no rep `{new_owner}`")));
        };
        if !actor.can_edit(Some(&new_owner), team.as_deref()) {
            return Err(ApiError::Forbidden("that rep is outside your teams".into()));
        }
        audits.push(audit_doc(actor, code, "owner", json!(lead.owner), json!(owner), now));
        doc = doc.link("owner", "rep", &new_owner).opt_link("team", "team", team.as_deref()).time("assigned_at", now);
    }
    let doc = doc.set("version", (patch.version + 1) as i64).time("updated_at", now);
    // The cadence follows a new grade and a new owner (service::cadence).
    let mut tasks = super::cadence::TaskWrites::default();
    if !lead.status.is_closed() && (score.grade != lead.grade || owner != lead.owner) {
        let open = repo::open_follow_up_tasks(&state.db, code).await?;
        if owner != lead.owner {
            tasks = tasks.and(super::cadence::on_owner_change(&open, code, owner.as_deref()));
        }
        if score.grade != lead.grade {
            tasks = tasks.and(super::cadence::on_regrade(&open, code, owner.as_deref(), score.grade, &settings, now));
        }
    }
    let outcome = repo::update_versioned(&state.db, code, patch.version, doc, audits, &tasks.sql, tasks.bind).await?;
    let updated = written(state, outcome, code).await?;
    let mut facts = vec![ViewChange::Lead(LeadFacts::of_lead(&updated))];
    facts.extend(tasks.facts);
    state.apply(LeadChange { lead: updated.clone(), facts }).await;
    Ok(updated)
}
