//! People (PRODUCT.md §12): an admin creates and changes users and teams, sets or resets
//! passwords, deactivates leavers (their tokens and sessions end at once, their open leads
//! are offered for reassignment) and revokes API tokens; a manager reads the rosters of
//! their teams. Every change is audited.
use crate::domain::commands::LeadPatch;
use crate::domain::enums::{Role, Seniority};
use crate::domain::users::{NewTeam, NewUser, Team, TokenInfo, User, UserFields};
use crate::domain::validate::ProblemCode;
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::people::{self as repo, PersonWrite};
use crate::ssr::state::AppState;
use crate::ssr::{repo as repos, secrets};
use chrono::Utc;
use serde_json::{json, Value};

fn audit(actor: &Actor, record: String, field: &str, old: Value, new: Value) -> Doc {
    Doc::new()
        .time("at", Utc::now())
        .set("actor", actor.user.clone())
        .set("record", record)
        .set("field", field.to_string())
        .set("old", old)
        .set("new", new)
}

/// Open leads per rep, from the analytic view.
async fn open_leads(state: &AppState) -> std::collections::HashMap<String, u32> {
    let mut load = std::collections::HashMap::new();
    for l in state.view.read().await.leads() {
        if let (Some(owner), false) = (l.facts.owner.as_ref(), l.facts.status.is_closed()) {
            *load.entry(owner.clone()).or_insert(0) += 1;
        }
    }
    load
}

/// The users the actor may see: an admin all, a manager the people of their teams.
pub async fn users(state: &AppState, actor: &Actor) -> ApiResult<Vec<User>> {
    if actor.role == Role::Rep {
        return Err(ApiError::Forbidden("only managers and admins see the roster".into()));
    }
    let load = open_leads(state).await;
    let mut users = repo::users(&state.db).await?;
    users.retain(|u| {
        actor.is_admin() || u.key == actor.user || u.team.as_ref().is_some_and(|t| actor.teams.contains(t))
    });
    for u in &mut users {
        u.open_leads = load.get(&u.key).copied().unwrap_or(0);
    }
    Ok(users)
}

/// One user the actor may see.
pub async fn user(state: &AppState, actor: &Actor, key: &str) -> ApiResult<User> {
    users(state, actor)
        .await?
        .into_iter()
        .find(|u| u.key == key)
        .ok_or_else(|| ApiError::NotFound(format!("no user `{key}`")))
}

/// The teams the actor may see.
pub async fn teams(state: &AppState, actor: &Actor) -> ApiResult<Vec<Team>> {
    if actor.role == Role::Rep {
        return Err(ApiError::Forbidden("only managers and admins see the teams".into()));
    }
    let mut teams = repo::teams(&state.db).await?;
    teams.retain(|t| actor.is_admin() || actor.teams.contains(&t.key));
    Ok(teams)
}

/// A user as it will stand after a change, checked whole against the workspace.
async fn checked_user(state: &AppState, teams: &[Team], key: &str, mut user: User, f: &UserFields) -> ApiResult<User> {
    if let Some(name) = &f.name {
        user.name = name.clone();
    }
    if let Some(role) = f.role {
        user.role = role;
    }
    if let Some(s) = f.seniority {
        user.seniority = s;
    }
    if let Some(t) = &f.team {
        user.team = t.clone();
    }
    if let Some(r) = &f.region {
        user.region = r.clone();
    }
    if let Some(i) = &f.industries {
        user.industries = i.clone();
    }
    if let Some(m) = &f.mentor {
        user.mentor = m.clone();
    }
    if let Some(m) = f.max_open_leads {
        user.max_open_leads = m;
    }
    if let Some(a) = f.active {
        user.active = a;
    }
    // Reps and managers follow leads up and need a seniority; a manager is one by title.
    if user.seniority.is_none() {
        user.seniority = match user.role {
            Role::Manager => Some(Seniority::Manager),
            Role::Rep => Some(Seniority::Junior),
            Role::Admin => None,
        };
    }
    let mut problems = Vec::new();
    if let Some(team) = &user.team {
        if !teams.iter().any(|t| &t.key == team) {
            problems.push(crate::domain::validate::Problem::new(
                "team",
                ProblemCode::UnknownRecord,
                format!("no team `{team}`"),
            ));
        }
    }
    if let Some(mentor) = &user.mentor {
        if mentor == key || !repo::rep_exists(&state.db, mentor).await? {
            problems.push(crate::domain::validate::Problem::new(
                "mentor",
                ProblemCode::UnknownRecord,
                format!("`{mentor}` is not another rep"),
            ));
        }
    }
    if let Some(p) = &f.password {
        if p.chars().count() < super::accounts::MIN_PASSWORD_CHARS {
            problems.push(crate::domain::validate::Problem::new(
                "password",
                ProblemCode::TooShort,
                format!("must have at least {} characters", super::accounts::MIN_PASSWORD_CHARS),
            ));
        }
    }
    if problems.is_empty() {
        Ok(user)
    } else {
        Err(ApiError::Invalid(problems))
    }
}

/// The records a person is stored as.
fn person_docs(user: &User, teams_managed: &[String]) -> (Doc, Option<Doc>) {
    let mut teams: Vec<String> = user.team.iter().cloned().collect();
    for t in teams_managed {
        if !teams.contains(t) {
            teams.push(t.clone());
        }
    }
    let team_links: Vec<surrealdb::types::RecordId> = teams.iter().map(|t| crate::ssr::db::record("team", t)).collect();
    let user_doc = Doc::new()
        .set("key", user.key.clone())
        .set("name", user.name.clone())
        .set("role", user.role.key().to_string())
        .set("teams", team_links)
        .set("active", user.active);
    let rep_doc = user.seniority.map(|s| {
        Doc::new()
            .set("key", user.key.clone())
            .set("name", user.name.clone())
            .set("seniority", s.key().to_string())
            .opt_link("team", "team", user.team.as_deref())
            .opt("region", user.region.clone())
            .strings("industries", &user.industries)
            .opt_link("mentor", "rep", user.mentor.as_deref())
            .opt("max_open_leads", user.max_open_leads.map(i64::from))
            .set("active", user.active)
    });
    (user_doc, rep_doc)
}

/// Creates a user (admin only); with a password they can sign in at once.
pub async fn create_user(state: &AppState, actor: &Actor, cmd: NewUser) -> ApiResult<User> {
    actor.require_admin()?;
    let NewUser { key, fields } = cmd;
    if repo::user(&state.db, &key).await?.is_some() {
        return Err(ApiError::invalid("key", ProblemCode::Duplicate, format!("a user `{key}` exists already")));
    }
    let blank = User {
        key: key.clone(),
        name: String::new(),
        role: Role::Rep,
        seniority: None,
        team: None,
        region: None,
        industries: Vec::new(),
        mentor: None,
        max_open_leads: None,
        active: true,
        has_password: false,
        open_leads: 0,
    };
    let teams = repo::teams(&state.db).await?;
    let user = checked_user(state, &teams, &key, blank, &fields).await?;
    let (user_doc, rep_doc) = person_docs(&user, &[]);
    let user_doc = user_doc.time("created_at", Utc::now());
    let audits = vec![audit(actor, format!("user:{key}"), "created", Value::Null, json!(user))];
    repo::write_person(
        &state.db,
        PersonWrite { key: key.clone(), user: user_doc, rep: rep_doc, audits, end_access: false },
    )
    .await?;
    if let Some(password) = &fields.password {
        super::accounts::set_password(state, &key, password).await?;
    }
    user_after(state, &key).await
}

async fn user_after(state: &AppState, key: &str) -> ApiResult<User> {
    let mut user = repo::user(&state.db, key).await?.ok_or_else(|| ApiError::NotFound(format!("no user `{key}`")))?;
    user.open_leads = open_leads(state).await.get(key).copied().unwrap_or(0);
    Ok(user)
}

/// Changes a user (admin only). Deactivating ends the person's access in the same step;
/// their open leads stay theirs until reassigned ([`reassign_open_leads`]).
pub async fn update_user(state: &AppState, actor: &Actor, key: &str, fields: UserFields) -> ApiResult<User> {
    actor.require_admin()?;
    let before = repo::user(&state.db, key).await?.ok_or_else(|| ApiError::NotFound(format!("no user `{key}`")))?;
    if key == actor.user && (fields.active == Some(false) || fields.role.is_some_and(|r| r != Role::Admin)) {
        return Err(ApiError::invalid("active", ProblemCode::NotEditable, "you cannot deactivate or demote yourself"));
    }
    let teams = repo::teams(&state.db).await?;
    let after = checked_user(state, &teams, key, before.clone(), &fields).await?;
    let managed: Vec<String> = teams.into_iter().filter(|t| t.manager.as_deref() == Some(key)).map(|t| t.key).collect();
    let (user_doc, rep_doc) = person_docs(&after, &managed);
    let (b, a) = (json!(before), json!(after));
    let mut audits = Vec::new();
    for field in ["name", "role", "seniority", "team", "region", "industries", "mentor", "max_open_leads", "active"] {
        if b[field] != a[field] {
            audits.push(audit(actor, format!("user:{key}"), field, b[field].clone(), a[field].clone()));
        }
    }
    if fields.password.is_some() {
        audits.push(audit(actor, format!("user:{key}"), "password", Value::Null, json!("set")));
    }
    let user_doc = if after.active { user_doc } else { user_doc.time("deactivated_at", Utc::now()) };
    let end_access = before.active && !after.active;
    repo::write_person(
        &state.db,
        PersonWrite { key: key.to_string(), user: user_doc, rep: rep_doc, audits, end_access },
    )
    .await?;
    let cleared: Vec<&str> = [("team", &after.team), ("region", &after.region), ("mentor", &after.mentor)]
        .into_iter()
        .filter(|(_, v)| v.is_none())
        .map(|(f, _)| f)
        .chain(after.max_open_leads.is_none().then_some("max_open_leads"))
        .collect();
    if after.seniority.is_some() {
        repo::clear_fields(&state.db, key, &cleared).await?;
    }
    if let Some(password) = &fields.password {
        super::accounts::set_password(state, key, password).await?;
    }
    user_after(state, key).await
}

/// Sets a user's password (admin only): the given one, or a new random one that is answered
/// once and never stored readable.
pub async fn reset_password(
    state: &AppState,
    actor: &Actor,
    key: &str,
    password: Option<String>,
) -> ApiResult<Option<String>> {
    actor.require_admin()?;
    if repo::user(&state.db, key).await?.is_none() {
        return Err(ApiError::NotFound(format!("no user `{key}`")));
    }
    let generated = password.is_none().then(secrets::new_password);
    let password = password.or_else(|| generated.clone()).unwrap_or_default();
    super::accounts::set_password(state, key, &password).await?;
    let row = audit(actor, format!("user:{key}"), "password", Value::Null, json!("reset"));
    repos::people::write_audit(&state.db, row).await?;
    Ok(generated)
}

/// Hands every open lead of a rep to another rep, or to whoever the assignment rules pick
/// (`to: None`); each lead is changed as one audited, versioned edit that open boards see.
/// Answers how many leads moved.
pub async fn reassign_open_leads(state: &AppState, actor: &Actor, from: &str, to: Option<&str>) -> ApiResult<usize> {
    if actor.role == Role::Rep {
        return Err(ApiError::Forbidden("only a manager or an admin can reassign leads".into()));
    }
    let codes: Vec<(String, u64)> = {
        let index = state.index.read().await;
        state
            .view
            .read()
            .await
            .leads()
            .filter(|l| l.facts.owner.as_deref() == Some(from) && !l.facts.status.is_closed())
            .filter_map(|l| index.get(&l.facts.code).map(|c| (c.code.clone(), c.version)))
            .collect()
    };
    let mut moved = 0;
    for (code, version) in codes {
        let owner = match to {
            Some(rep) => rep.to_string(),
            None => match super::leads::pick_owner_for(state, actor, &code, Some(from)).await? {
                Some(rep) => rep,
                None => continue,
            },
        };
        let mut fields = serde_json::Map::new();
        fields.insert("owner".into(), json!(owner));
        match super::leads::update(state, actor, &code, LeadPatch { version, fields }).await {
            Ok(_) => moved += 1,
            // Someone changed the lead meanwhile: it is left for a second run.
            Err(ApiError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(moved)
}

/// Creates a team (admin only).
pub async fn create_team(state: &AppState, actor: &Actor, cmd: NewTeam) -> ApiResult<Team> {
    actor.require_admin()?;
    let teams = repo::teams(&state.db).await?;
    if teams.iter().any(|t| t.key == cmd.key) {
        return Err(ApiError::invalid("key", ProblemCode::Duplicate, format!("a team `{}` exists already", cmd.key)));
    }
    if let Some(m) = &cmd.manager {
        if !repo::rep_exists(&state.db, m).await? {
            return Err(ApiError::invalid("manager", ProblemCode::UnknownRecord, format!("no rep `{m}`")));
        }
    }
    let team = Team { key: cmd.key, name: cmd.name, region: cmd.region, manager: cmd.manager, members: 0 };
    let row = audit(actor, format!("team:{}", team.key), "created", Value::Null, json!(team));
    repo::create_team(&state.db, &team, row).await?;
    Ok(team)
}

/// A user's API tokens (an admin's, or the user's own).
pub async fn tokens(state: &AppState, actor: &Actor, user: &str) -> ApiResult<Vec<TokenInfo>> {
    if !actor.is_admin() && actor.user != user {
        return Err(ApiError::Forbidden("only an admin sees another user's tokens".into()));
    }
    Ok(repo::tokens(&state.db, user).await?)
}

/// Revokes a token (an admin, or the token's own user).
pub async fn revoke_token(state: &AppState, actor: &Actor, user: &str, id: &str) -> ApiResult<()> {
    if !actor.is_admin() && actor.user != user {
        return Err(ApiError::Forbidden("only an admin revokes another user's tokens".into()));
    }
    let row = audit(actor, format!("user:{user}"), "token_revoked", Value::Null, json!(id));
    if repo::revoke_token(&state.db, user, id, row).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!("no live token `{id}` of `{user}`")))
    }
}
