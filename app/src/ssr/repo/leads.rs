//! Leads: list, read, create, edit, move across the pipeline and log follow-ups — each
//! scoped to the acting user.
use super::import::{interaction_doc, lead_doc};
use super::rows;
use crate::assignment::{self, Candidate};
use crate::domain::bundle::{InteractionDetails, InteractionRecord};
use crate::domain::enums::*;
use crate::domain::lead::{Lead, LeadProfile, StageMove};
use crate::kpi::{AnalyticView, InteractionFacts, LeadFacts, TaskFacts, ViewChange};
use crate::scoring;
use crate::settings::WorkspaceSettings;
use crate::ssr::auth::Actor;
use crate::ssr::db::{docs, record, Db, Doc};
use crate::ssr::error::{ApiError, ApiResult};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use surrealdb::types::Value as DbValue;

/// The fields of a lead as the API answers them.
pub const LEAD_FIELDS: &str = "code, source, source_details, company, industry, region, employees,
    contact_name, contact_title, phone, email, need, pain_points, expected_solution, budget,
    decision_months, decision_chain, strategy, tags, verified, owner.key AS owner,
    owner.name AS owner_name, team.key AS team, created_at, assigned_at, first_contact_at, status,
    status_since, won_at, lost_at, deal_amount, loss_reason, score, grade, version";

/// The filters of `GET /api/v1/leads`.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct LeadFilter {
    pub status: Option<Status>,
    pub grade: Option<Grade>,
    pub owner: Option<String>,
    pub team: Option<String>,
    pub source: Option<Source>,
    pub tag: Option<String>,
    pub q: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct LeadPage {
    pub items: Vec<Lead>,
    pub next_cursor: Option<String>,
}

/// Reads one lead, visible or not (callers check visibility).
pub async fn fetch(db: &Db, code: &str) -> ApiResult<Option<Lead>> {
    let mut res = db
        .query(format!("SELECT {LEAD_FIELDS} FROM type::record('lead', $code)"))
        .bind(("code", code.to_string()))
        .await?;
    Ok(rows::<Lead>(&mut res, 0)?.into_iter().next())
}

/// A lead the actor may see; others are answered as not found, so nothing leaks.
pub async fn get(db: &Db, actor: &Actor, code: &str) -> ApiResult<Lead> {
    match fetch(db, code).await? {
        Some(l) if actor.can_see(l.owner.as_deref(), l.team.as_deref()) => Ok(l),
        _ => Err(ApiError::NotFound(format!("no lead `{code}`"))),
    }
}

fn encode_cursor(lead: &Lead) -> String {
    format!("{}~{}", lead.created_at.timestamp_micros(), lead.code)
}

fn decode_cursor(cursor: &str) -> ApiResult<(DateTime<Utc>, String)> {
    let bad = || ApiError::invalid("cursor", "is not a cursor this server gave out");
    let (micros, code) = cursor.split_once('~').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let at = Utc.timestamp_micros(micros).single().ok_or_else(bad)?;
    Ok((at, code.to_string()))
}

/// A page of the leads the actor may see, newest first.
pub async fn list(
    db: &Db,
    actor: &Actor,
    filter: &LeadFilter,
    limit: usize,
    cursor: Option<&str>,
) -> ApiResult<LeadPage> {
    let mut conditions: Vec<&str> = Vec::new();
    match actor.role {
        Role::Admin => {}
        Role::Manager => conditions.push("team IN $scope_teams"),
        Role::Rep => conditions.push("owner = $scope_rep"),
    }
    let scope_teams: Vec<surrealdb::types::RecordId> = actor.teams.iter().map(|t| record("team", t)).collect();
    let scope_rep = actor.rep.as_deref().map(|r| record("rep", r));
    if filter.status.is_some() {
        conditions.push("status = $status");
    }
    if filter.grade.is_some() {
        conditions.push("grade = $grade");
    }
    if filter.owner.is_some() {
        conditions.push("owner = $owner");
    }
    if filter.team.is_some() {
        conditions.push("team = $team");
    }
    if filter.source.is_some() {
        conditions.push("source = $source");
    }
    if filter.tag.is_some() {
        conditions.push("$tag IN tags");
    }
    let q = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_lowercase);
    if q.is_some() {
        conditions.push(
            "(string::contains(string::lowercase(company), $q) OR string::contains(string::lowercase(code), $q)
              OR string::contains(string::lowercase(contact_name ?? ''), $q) OR string::contains(phone ?? '', $q)
              OR string::contains(string::lowercase(email ?? ''), $q) OR string::contains(string::lowercase(need ?? ''), $q))",
        );
    }
    let after = cursor.map(decode_cursor).transpose()?;
    if after.is_some() {
        conditions.push("(created_at < $after_at OR (created_at = $after_at AND code < $after_code))");
    }
    let where_clause =
        if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let sql = format!("SELECT {LEAD_FIELDS} FROM lead {where_clause} ORDER BY created_at DESC, code DESC LIMIT $limit");
    let (after_at, after_code) = after.unzip();
    let mut res = db
        .query(sql)
        .bind(("scope_teams", scope_teams))
        .bind(("scope_rep", scope_rep))
        .bind(("status", filter.status.map(|s| s.key().to_string())))
        .bind(("grade", filter.grade.map(|g| g.key().to_string())))
        .bind(("owner", filter.owner.as_deref().map(|o| record("rep", o))))
        .bind(("team", filter.team.as_deref().map(|t| record("team", t))))
        .bind(("source", filter.source.map(|s| s.key().to_string())))
        .bind(("tag", filter.tag.clone()))
        .bind(("q", q))
        .bind(("after_at", after_at))
        .bind(("after_code", after_code))
        .bind(("limit", (limit + 1) as i64))
        .await?;
    let mut items: Vec<Lead> = rows(&mut res, 0)?;
    let next_cursor = if items.len() > limit {
        items.truncate(limit);
        items.last().map(encode_cursor)
    } else {
        None
    };
    Ok(LeadPage { items, next_cursor })
}

/// Reads a lead's profile from a create or edit body.
pub fn read_profile(body: &Value) -> Result<(LeadProfile, Option<String>), Vec<crate::domain::validate::Problem>> {
    let mut problems = Vec::new();
    let mut f = crate::domain::validate::Fields::new(body, String::new(), &mut problems);
    let profile = LeadProfile::read(&mut f);
    let owner = f.opt_str("owner");
    if problems.is_empty() {
        Ok((profile, owner))
    } else {
        Err(problems)
    }
}

/// The next free lead code of the year: LX{year}{5 digits}.
async fn next_code(db: &Db, year: i32) -> ApiResult<String> {
    loop {
        let mut res = db
            .query("UPSERT type::record('lead_sequence', $year) SET next = (next ?? 0) + 1 RETURN VALUE next;")
            .bind(("year", year.to_string()))
            .await?;
        let next: Vec<i64> = res.take(0)?;
        let code = format!("LX{year}{:05}", next.first().copied().unwrap_or(1));
        if fetch(db, &code).await?.is_none() {
            return Ok(code);
        }
    }
}

#[derive(Deserialize)]
struct RepRow {
    key: String,
    seniority: Seniority,
    region: Option<String>,
    #[serde(default)]
    industries: Vec<String>,
    team: Option<String>,
}

/// The reps the actor may hand a lead to, with their load from the analytic view.
async fn candidates(db: &Db, actor: &Actor, view: &AnalyticView) -> ApiResult<Vec<(Candidate, Option<String>)>> {
    let mut res =
        db.query("SELECT key, seniority, region, industries, team.key AS team FROM rep WHERE active = true").await?;
    let reps: Vec<RepRow> = rows(&mut res, 0)?;
    let mut load: std::collections::HashMap<&str, (u32, Option<DateTime<Utc>>)> = Default::default();
    for l in view.leads() {
        if let Some(owner) = l.facts.owner.as_deref() {
            let e = load.entry(owner).or_default();
            e.0 += u32::from(!l.facts.status.is_closed());
            e.1 = e.1.max(l.facts.assigned_at);
        }
    }
    Ok(reps
        .into_iter()
        .filter(|r| match actor.role {
            Role::Admin => true,
            Role::Manager => r.team.as_ref().is_some_and(|t| actor.teams.contains(t)),
            Role::Rep => actor.rep.as_deref() == Some(r.key.as_str()),
        })
        .map(|r| {
            let (open_leads, last) = load.get(r.key.as_str()).copied().unwrap_or_default();
            (
                Candidate {
                    key: r.key,
                    seniority: r.seniority,
                    region: r.region,
                    industries: r.industries,
                    open_leads,
                    last_assigned_at: last,
                },
                r.team,
            )
        })
        .collect())
}

/// Creates a lead: scored, graded, assigned by the rules (or to the owner an admin or manager
/// names), with its first follow-up task due within the grade's response SLA.
pub async fn create(
    db: &Db,
    actor: &Actor,
    profile: LeadProfile,
    owner: Option<String>,
    settings: &WorkspaceSettings,
    view: &AnalyticView,
) -> ApiResult<(Lead, Vec<ViewChange>)> {
    let score = scoring::score(&profile.score_inputs(), &settings.scoring);
    let pool = candidates(db, actor, view).await?;
    let (owner, team) = match owner {
        Some(key) => match pool.iter().find(|(c, _)| c.key == key) {
            Some((c, team)) if actor.role != Role::Rep || actor.rep.as_deref() == Some(&c.key) => {
                (Some(c.key.clone()), team.clone())
            }
            _ => return Err(ApiError::invalid("owner", format!("`{key}` is not a rep you can assign leads to"))),
        },
        None => {
            let reps: Vec<Candidate> = pool.iter().map(|(c, _)| c.clone()).collect();
            let picked = assignment::assign(score.grade, profile.region.as_deref(), profile.industry.as_deref(), &reps)
                .map(|c| c.key.clone());
            let team =
                picked.as_ref().and_then(|k| pool.iter().find(|(c, _)| &c.key == k)).and_then(|(_, t)| t.clone());
            (picked, team)
        }
    };
    let now = Utc::now();
    let code =
        next_code(db, now.with_timezone(&settings.tz()).format("%Y").to_string().parse().unwrap_or(2026)).await?;
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
        .set("title", "首次跟进".to_string())
        .time("due_at", due);
    let audit = audit_doc(actor, &code, "created", Value::Null, json!(code), now);
    db.query(
        "BEGIN TRANSACTION;
         CREATE type::record('lead', $code) CONTENT $doc RETURN NONE;
         CREATE type::record('task', $task_id) CONTENT $task RETURN NONE;
         CREATE audit CONTENT $audit RETURN NONE;
         COMMIT TRANSACTION;",
    )
    .bind(("code", code.clone()))
    .bind(("doc", doc.into_value()))
    .bind(("task_id", task_id.clone()))
    .bind(("task", task.into_value()))
    .bind(("audit", audit.into_value()))
    .await?
    .check()?;
    let lead = fetch(db, &code).await?.ok_or_else(|| ApiError::Internal("created lead vanished".into()))?;
    let changes = vec![
        ViewChange::Lead(LeadFacts::of_lead(&lead)),
        ViewChange::Task(TaskFacts { id: task_id, lead: code, kind: TaskKind::FollowUp, due_at: due, done_at: None }),
    ];
    Ok((lead, changes))
}

fn random_id() -> String {
    use rand::Rng;
    format!("{:016x}", rand::rng().random::<u64>())
}

fn audit_doc(actor: &Actor, record_id: &str, field: &str, old: Value, new: Value, at: DateTime<Utc>) -> Doc {
    Doc::new()
        .time("at", at)
        .set("actor", actor.user.clone())
        .set("record", format!("lead:{record_id}"))
        .set("field", field.to_string())
        .set("old", old)
        .set("new", new)
}

/// Loads a lead the actor may change and checks its version.
async fn editable(db: &Db, actor: &Actor, code: &str, version: u64) -> ApiResult<Lead> {
    let lead = get(db, actor, code).await?;
    if !actor.can_edit(lead.owner.as_deref(), lead.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not change this lead".into()));
    }
    if lead.version != version {
        return Err(ApiError::Conflict(serde_json::to_value(&lead).unwrap_or(Value::Null)));
    }
    Ok(lead)
}

/// Writes `patch` to the lead if it is still at `version`, with audit entries and any extra
/// statements, in one transaction. A concurrent change answers 409 with the fresh lead.
async fn update_versioned(
    db: &Db,
    code: &str,
    version: u64,
    patch: Doc,
    audits: Vec<Doc>,
    extra_sql: &str,
    extra: Vec<(&'static str, DbValue)>,
) -> ApiResult<Lead> {
    let sql = format!(
        "BEGIN TRANSACTION;
         LET $updated = UPDATE type::record('lead', $code) MERGE $patch WHERE version = $version RETURN VALUE code;
         IF array::len($updated) = 0 {{ THROW 'version_conflict'; }};
         INSERT INTO audit $audits RETURN NONE;
         {extra_sql}
         COMMIT TRANSACTION;"
    );
    let mut query = db
        .query(sql)
        .bind(("code", code.to_string()))
        .bind(("version", version as i64))
        .bind(("patch", patch.into_value()))
        .bind(("audits", docs(audits)));
    for (name, value) in extra {
        query = query.bind((name, value));
    }
    let outcome = query.await.map_err(ApiError::from).and_then(|r| r.check().map_err(ApiError::from));
    match outcome {
        Ok(_) => fetch(db, code).await?.ok_or_else(|| ApiError::NotFound(format!("no lead `{code}`"))),
        Err(ApiError::Internal(msg)) if msg.contains("version_conflict") => {
            let current = fetch(db, code).await?;
            Err(ApiError::Conflict(serde_json::to_value(current).unwrap_or(Value::Null)))
        }
        Err(e) => Err(e),
    }
}

/// Moves a lead to another status (a card dragged on the board).
pub async fn move_lead(db: &Db, actor: &Actor, code: &str, m: &StageMove) -> ApiResult<(Lead, Vec<ViewChange>)> {
    let lead = editable(db, actor, code, m.version).await?;
    if lead.status == m.to {
        return Ok((lead, Vec::new()));
    }
    if lead.status.is_closed() && actor.role == Role::Rep {
        return Err(ApiError::Forbidden("only a manager can reopen a won or lost lead".into()));
    }
    let now = Utc::now();
    let mut patch = Doc::new()
        .set("status", m.to.key().to_string())
        .time("status_since", now)
        .set("version", (m.version + 1) as i64)
        .time("updated_at", now);
    // Closing sets when and why; any other move (a reopening) clears both.
    patch = match m.to {
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
    let change = Doc::new()
        .link("lead", "lead", code)
        .set("from_status", lead.status.key().to_string())
        .set("to_status", m.to.key().to_string())
        .time("at", now)
        .opt_link("by_rep", "rep", actor.rep.as_deref())
        .link("by_user", "user", &actor.user);
    let mut audits = vec![audit_doc(actor, code, "status", json!(lead.status), json!(m.to), now)];
    if let Some(amount) = m.deal_amount.filter(|_| m.to == Status::Won) {
        audits.push(audit_doc(actor, code, "deal_amount", json!(lead.deal_amount), json!(amount), now));
    }
    if let Some(reason) = m.loss_reason.filter(|_| m.to == Status::Lost) {
        audits.push(audit_doc(actor, code, "loss_reason", json!(lead.loss_reason), json!(reason), now));
    }
    let updated = update_versioned(
        db,
        code,
        m.version,
        patch,
        audits,
        "CREATE stage_change CONTENT $change RETURN NONE;",
        vec![("change", change.into_value())],
    )
    .await?;
    let changes = vec![
        ViewChange::Lead(LeadFacts::of_lead(&updated)),
        ViewChange::StageChange { lead: code.to_string(), to: m.to },
    ];
    Ok((updated, changes))
}

/// Edits a lead's profile (and, for managers and admins, its owner); the score and grade are
/// recomputed and every changed field is audited.
pub async fn patch(
    db: &Db,
    actor: &Actor,
    code: &str,
    body: &Value,
    settings: &WorkspaceSettings,
) -> ApiResult<(Lead, Vec<ViewChange>)> {
    let Some(obj) = body.as_object() else {
        return Err(ApiError::invalid("", "the body must be a JSON object"));
    };
    let version = obj
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| ApiError::invalid("version", "is required (the version you edited)"))?;
    let mut problems = Vec::new();
    for key in obj.keys() {
        if key == "status" {
            problems.push(crate::domain::validate::Problem::new("status", "change the status with a move"));
        } else if key != "version" && key != "owner" && !LeadProfile::FIELDS.contains(&key.as_str()) {
            problems.push(crate::domain::validate::Problem::new(key.clone(), "is not a field you can edit"));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let lead = editable(db, actor, code, version).await?;
    // Merge the edit over the current profile, then validate the result as a whole.
    let mut merged = serde_json::to_value(&lead.profile).unwrap_or_else(|_| json!({}));
    for (k, v) in obj {
        if k != "version" {
            merged[k] = v.clone();
        }
    }
    let (profile, owner) = read_profile(&merged).map_err(ApiError::Invalid)?;
    let owner = owner.or(lead.owner.clone());
    let now = Utc::now();
    let mut audits = Vec::new();
    let before = serde_json::to_value(&lead.profile).unwrap_or_default();
    let after = serde_json::to_value(&profile).unwrap_or_default();
    for field in LeadProfile::FIELDS {
        if before[field] != after[field] {
            audits.push(audit_doc(actor, code, field, before[field].clone(), after[field].clone(), now));
        }
    }
    let score = scoring::score(&profile.score_inputs(), &settings.scoring);
    let mut doc = lead_doc(code, &profile, &score);
    // Fields left empty are removed.
    for field in LeadProfile::FIELDS {
        if after[field].is_null() {
            doc = doc.set(field, DbValue::None);
        }
    }
    if owner != lead.owner {
        if actor.role == Role::Rep {
            return Err(ApiError::Forbidden("only a manager or an admin can reassign a lead".into()));
        }
        let new_owner = owner.clone().unwrap_or_default();
        let mut res =
            db.query("SELECT VALUE team.key FROM type::record('rep', $rep)").bind(("rep", new_owner.clone())).await?;
        let team: Vec<Option<String>> = res.take(0)?;
        let Some(team) = team.into_iter().next() else {
            return Err(ApiError::invalid("owner", format!("no rep `{new_owner}`")));
        };
        if !actor.can_edit(Some(&new_owner), team.as_deref()) {
            return Err(ApiError::Forbidden("that rep is outside your teams".into()));
        }
        audits.push(audit_doc(actor, code, "owner", json!(lead.owner), json!(owner), now));
        doc = doc.link("owner", "rep", &new_owner).opt_link("team", "team", team.as_deref()).time("assigned_at", now);
    }
    let doc = doc.set("version", (version + 1) as i64).time("updated_at", now);
    let updated = update_versioned(db, code, version, doc, audits, "", Vec::new()).await?;
    Ok((updated.clone(), vec![ViewChange::Lead(LeadFacts::of_lead(&updated))]))
}

/// A logged follow-up as the API answers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoggedInteraction {
    pub lead: String,
    pub rep: String,
    #[serde(flatten)]
    pub details: InteractionDetails,
    pub logged_at: DateTime<Utc>,
    pub stage_before: Status,
    pub stage_after: Status,
    /// Logged more than the workspace's limit (24 h) after it happened.
    pub late: bool,
}

/// Logs a follow-up on a lead: the edge `rep ->followed_up-> lead`, the lead's first contact,
/// a stage change when the follow-up moved the lead, the cadence task it completes and the
/// next one.
pub async fn log_interaction(
    db: &Db,
    actor: &Actor,
    code: &str,
    body: &Value,
    settings: &WorkspaceSettings,
) -> ApiResult<(LoggedInteraction, Lead, Vec<ViewChange>)> {
    let mut problems = Vec::new();
    let mut f = crate::domain::validate::Fields::new(body, String::new(), &mut problems);
    let details = InteractionRecord::read_details(&mut f);
    let stage_after: Option<Status> = f.opt_enum("stage_after");
    let rep_given = f.opt_str("rep");
    let now = Utc::now();
    if let Some(d) = &details {
        if d.occurred_at > now + Duration::minutes(5) {
            f.reject("occurred_at", "is in the future");
        }
    }
    if let Some(s @ (Status::Won | Status::Lost)) = stage_after {
        f.reject("stage_after", format!("move the lead to {s} with a move, which asks for the amount or reason"));
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let details = details.ok_or_else(|| ApiError::invalid("", "the follow-up is incomplete"))?;
    let lead = get(db, actor, code).await?;
    if !actor.can_edit(lead.owner.as_deref(), lead.team.as_deref()) {
        return Err(ApiError::Forbidden("you may not log follow-ups on this lead".into()));
    }
    let rep = match (rep_given, &actor.rep, actor.role) {
        (Some(r), _, Role::Admin | Role::Manager) => r,
        (Some(r), Some(own), Role::Rep) if &r == own => r,
        (Some(_), _, Role::Rep) => return Err(ApiError::Forbidden("a rep logs own follow-ups only".into())),
        (None, Some(own), _) => own.clone(),
        (None, None, _) => return Err(ApiError::invalid("rep", "is required: this account is not a rep")),
    };
    let stage_before = lead.status;
    let stage_after = stage_after.unwrap_or(stage_before);
    if stage_before.is_closed() && stage_after != stage_before {
        return Err(ApiError::invalid("stage_after", "the lead is closed; reopen it first"));
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
    let edge = interaction_doc(&rep, code, &record);
    let mut patch = Doc::new().time("updated_at", now);
    let first_contact = match (details.direction, lead.first_contact_at) {
        (Direction::Outbound, Some(t)) if t <= details.occurred_at => None,
        (Direction::Outbound, _) => Some(details.occurred_at),
        _ => None,
    };
    patch = patch.opt_time("first_contact_at", first_contact);
    let mut audits = Vec::new();
    let mut stage_sql = "";
    let mut extra: Vec<(&'static str, DbValue)> = vec![("edge", edge.into_value())];
    let moved = stage_after != stage_before;
    let version = lead.version;
    if moved {
        patch = patch
            .set("status", stage_after.key().to_string())
            .time("status_since", now)
            .set("version", (version + 1) as i64);
        audits.push(audit_doc(actor, code, "status", json!(stage_before), json!(stage_after), now));
        stage_sql = "CREATE stage_change CONTENT $change RETURN NONE;";
        let change = Doc::new()
            .link("lead", "lead", code)
            .set("from_status", stage_before.key().to_string())
            .set("to_status", stage_after.key().to_string())
            .time("at", now)
            .link("by_rep", "rep", &rep)
            .link("by_user", "user", &actor.user);
        extra.push(("change", change.into_value()));
    }

    // The cadence: this follow-up completes the next open follow-up task due on or after its
    // day, and plans the next one.
    let tz = settings.tz();
    let mut res = db
        .query("SELECT record::id(id) AS id, due_at FROM task WHERE lead = type::record('lead', $code) AND kind = 'follow_up' AND done_at = NONE ORDER BY due_at")
        .bind(("code", code.to_string()))
        .await?;
    #[derive(Deserialize)]
    struct OpenTask {
        id: String,
        due_at: DateTime<Utc>,
    }
    let open: Vec<OpenTask> = rows(&mut res, 0)?;
    let day = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let completed = open.iter().find(|t| day(t.due_at) >= day(details.occurred_at));
    let mut view_changes = Vec::new();
    let mut task_sql = String::new();
    if let Some(t) = completed {
        task_sql.push_str("UPDATE type::record('task', $done_task) SET done_at = $done_at RETURN NONE;");
        extra.push(("done_task", DbValue::String(t.id.clone())));
        extra.push(("done_at", DbValue::Datetime(now.into())));
        view_changes.push(ViewChange::Task(TaskFacts {
            id: t.id.clone(),
            lead: code.to_string(),
            kind: TaskKind::FollowUp,
            due_at: t.due_at,
            done_at: Some(now),
        }));
    }
    let closed = stage_after.is_closed();
    if !closed {
        let next_due = details
            .next_follow_up_at
            .unwrap_or_else(|| details.occurred_at + Duration::days(i64::from(settings.cadence.every(lead.grade))));
        let next_id = random_id();
        task_sql.push_str("CREATE type::record('task', $next_id) CONTENT $next_task RETURN NONE;");
        let next_task = Doc::new()
            .link("lead", "lead", code)
            .opt_link("owner", "rep", lead.owner.as_deref())
            .set("kind", TaskKind::FollowUp.key().to_string())
            .set("title", "按节奏跟进".to_string())
            .time("due_at", next_due);
        extra.push(("next_id", DbValue::String(next_id.clone())));
        extra.push(("next_task", next_task.into_value()));
        view_changes.push(ViewChange::Task(TaskFacts {
            id: next_id,
            lead: code.to_string(),
            kind: TaskKind::FollowUp,
            due_at: next_due,
            done_at: None,
        }));
    }
    let extra_sql = format!("INSERT RELATION INTO followed_up [$edge] RETURN NONE; {stage_sql} {task_sql}");
    let updated = update_versioned(db, code, version, patch, audits, &extra_sql, extra).await?;

    let mut changes = vec![ViewChange::Lead(LeadFacts::of_lead(&updated))];
    if moved {
        changes.push(ViewChange::StageChange { lead: code.to_string(), to: stage_after });
    }
    changes.push(ViewChange::Interaction(InteractionFacts {
        lead: code.to_string(),
        occurred_at: record.occurred_at,
        logged_at: now,
        direction: record.direction,
        responded: record.responded,
        satisfaction: record.satisfaction,
        stage_before,
        stage_after,
    }));
    changes.extend(view_changes);
    let late = settings.logged_late(details.occurred_at, now);
    let logged =
        LoggedInteraction { lead: code.to_string(), rep, details, logged_at: now, stage_before, stage_after, late };
    Ok((logged, updated, changes))
}

#[derive(Deserialize)]
struct FollowUpRow {
    occurred_at: DateTime<Utc>,
    logged_at: DateTime<Utc>,
    rep: String,
    rep_name: Option<String>,
    channel: Channel,
    direction: Direction,
    responded: bool,
    satisfaction: Option<u8>,
    summary: Option<String>,
    mood: Option<Mood>,
    stage_before: Status,
    stage_after: Status,
    next_follow_up_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct StageRow {
    at: DateTime<Utc>,
    from_status: Option<Status>,
    to_status: Status,
    by_name: Option<String>,
}

#[derive(Deserialize)]
struct TaskRow {
    due_at: DateTime<Utc>,
    kind: TaskKind,
    title: Option<String>,
    done_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct FeedbackRow {
    received_at: DateTime<Utc>,
    kind: FeedbackType,
    priority: Priority,
    status: FeedbackStatus,
    summary: Option<String>,
}

/// A lead's history, newest first: its follow-ups, read through the graph (the reps who
/// followed it up, `<-followed_up<-rep`), its stage changes, tasks and feedback. Callers
/// check that the actor may see the lead.
pub async fn timeline(
    db: &Db,
    code: &str,
    settings: &WorkspaceSettings,
) -> ApiResult<Vec<crate::server_fns::leads::TimelineEntry>> {
    use crate::server_fns::leads::TimelineEntry;
    let mut res = db
        .query(
            "LET $lead = type::record('lead', $code);
             SELECT occurred_at, logged_at, in.key AS rep, in.name AS rep_name, channel, direction, responded,
                    satisfaction, summary, mood, stage_before, stage_after, next_follow_up_at
               FROM $lead<-followed_up;
             SELECT at, from_status, to_status, by_rep.name AS by_name FROM stage_change WHERE lead = $lead;
             SELECT due_at, kind, title, done_at FROM task WHERE lead = $lead;
             SELECT received_at, kind, priority, status, summary FROM feedback WHERE lead = $lead;",
        )
        .bind(("code", code.to_string()))
        .await?;
    let mut out = Vec::new();
    for f in rows::<FollowUpRow>(&mut res, 1)? {
        let late = settings.logged_late(f.occurred_at, f.logged_at);
        out.push(TimelineEntry::FollowUp {
            at: f.occurred_at,
            logged_at: f.logged_at,
            rep: f.rep,
            rep_name: f.rep_name,
            channel: f.channel,
            direction: f.direction,
            responded: f.responded,
            satisfaction: f.satisfaction,
            summary: f.summary,
            mood: f.mood,
            stage_before: f.stage_before,
            stage_after: f.stage_after,
            next_follow_up_at: f.next_follow_up_at,
            late,
        });
    }
    for s in rows::<StageRow>(&mut res, 2)? {
        out.push(TimelineEntry::StageChange {
            at: s.at,
            from: s.from_status.unwrap_or(Status::New),
            to: s.to_status,
            by_name: s.by_name,
        });
    }
    for t in rows::<TaskRow>(&mut res, 3)? {
        out.push(TimelineEntry::Task { at: t.due_at, task_kind: t.kind, title: t.title, done_at: t.done_at });
    }
    for f in rows::<FeedbackRow>(&mut res, 4)? {
        out.push(TimelineEntry::Feedback {
            at: f.received_at,
            feedback_type: f.kind,
            priority: f.priority,
            status: f.status,
            summary: f.summary,
        });
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.at()));
    Ok(out)
}

/// What the reps wrote down in a lead's follow-ups beyond the summary (contact, BANT notes,
/// needs change, feedback, decision progress), read through the graph. Callers check that
/// the actor may see the lead.
pub async fn follow_up_notes(db: &Db, code: &str) -> ApiResult<Vec<crate::server_fns::leads::FollowUpNotes>> {
    use crate::server_fns::leads::FollowUpNotes;
    #[derive(Deserialize, Default)]
    struct BantRow {
        #[serde(default)]
        background: Option<String>,
        #[serde(default)]
        pain: Option<String>,
        #[serde(default)]
        need: Option<String>,
        #[serde(default)]
        value: Option<String>,
    }
    #[derive(Deserialize)]
    struct NotesRow {
        occurred_at: DateTime<Utc>,
        logged_at: DateTime<Utc>,
        rep: Option<String>,
        #[serde(default)]
        contact: Option<String>,
        #[serde(default)]
        bant: Option<BantRow>,
        #[serde(default)]
        needs_change: Option<String>,
        #[serde(default)]
        feedback: Option<String>,
        #[serde(default)]
        decision_progress: Option<String>,
    }
    let mut res = db
        .query(
            "LET $lead = type::record('lead', $code);
             SELECT occurred_at, logged_at, in.key AS rep, contact, bant, needs_change, feedback, decision_progress
               FROM $lead<-followed_up;",
        )
        .bind(("code", code.to_string()))
        .await?;
    Ok(rows::<NotesRow>(&mut res, 1)?
        .into_iter()
        .map(|n| {
            let bant = n.bant.unwrap_or_default();
            FollowUpNotes {
                at: n.occurred_at,
                logged_at: n.logged_at,
                rep: n.rep.unwrap_or_default(),
                contact: n.contact,
                bant_background: bant.background,
                bant_pain: bant.pain,
                bant_need: bant.need,
                bant_value: bant.value,
                needs_change: n.needs_change,
                feedback: n.feedback,
                decision_progress: n.decision_progress,
            }
        })
        .filter(|n| {
            n.contact.is_some()
                || n.bant_background.is_some()
                || n.bant_pain.is_some()
                || n.bant_need.is_some()
                || n.bant_value.is_some()
                || n.needs_change.is_some()
                || n.feedback.is_some()
                || n.decision_progress.is_some()
        })
        .collect())
}
