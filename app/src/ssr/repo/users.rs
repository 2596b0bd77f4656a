//! Accounts and API tokens.
use super::error::RepoResult;
use crate::domain::enums::Role;
use crate::ssr::actor::Actor;
use crate::ssr::db::{record, Db, Doc};
use crate::ssr::secrets::hash_token;
use serde::Deserialize;

#[derive(Deserialize)]
struct ActorRow {
    user: String,
    name: String,
    role: String,
    rep: Option<String>,
    #[serde(default)]
    teams: Vec<String>,
}

/// The user behind an unrevoked token.
pub async fn actor_for_token(db: &Db, token: &str) -> RepoResult<Option<Actor>> {
    let mut res = db
        .query(
            "SELECT user.key AS user, user.name AS name, user.role AS role, user.rep.key AS rep,
                    user.teams.key AS teams
             FROM api_token WHERE hash = $hash AND revoked_at = NONE AND user.active != false LIMIT 1",
        )
        .bind(("hash", hash_token(token)))
        .await?;
    let rows: Vec<ActorRow> = super::rows(&mut res, 0)?;
    Ok(rows.into_iter().next().map(|r| Actor {
        user: r.user,
        name: r.name,
        role: Role::parse(&r.role).unwrap_or(Role::Rep),
        rep: r.rep,
        teams: r.teams,
    }))
}

/// Whether the workspace holds nothing but, perhaps, the bootstrap admin: no leads, teams or
/// reps.
pub async fn is_empty_workspace(db: &Db) -> RepoResult<bool> {
    for table in ["lead", "team", "rep"] {
        if super::count(db, table).await? > 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The users of a role.
pub async fn role_holders(db: &Db, role: Role) -> RepoResult<Vec<String>> {
    let mut res =
        db.query("SELECT VALUE key FROM user WHERE role = $role").bind(("role", role.key().to_string())).await?;
    Ok(res.take(0)?)
}

/// The users who have no password yet.
pub async fn without_password(db: &Db) -> RepoResult<Vec<String>> {
    let mut res = db.query("SELECT VALUE key FROM user WHERE password_hash = NONE").await?;
    Ok(res.take(0)?)
}

pub async fn user_count(db: &Db) -> RepoResult<u64> {
    super::count(db, "user").await
}

/// Creates a user account (if the key is new) and returns whether it was created.
pub async fn create_user(
    db: &Db,
    key: &str,
    name: &str,
    role: Role,
    rep: Option<&str>,
    teams: &[String],
) -> RepoResult<()> {
    let team_links: Vec<surrealdb::types::RecordId> = teams.iter().map(|t| record("team", t)).collect();
    let doc = Doc::new()
        .set("key", key.to_string())
        .set("name", name.to_string())
        .set("role", role.key().to_string())
        .opt_link("rep", "rep", rep)
        .set("teams", team_links)
        .time("created_at", chrono::Utc::now());
    db.query("CREATE type::record('user', $key) CONTENT $doc")
        .bind(("key", key.to_string()))
        .bind(("doc", doc.into_value()))
        .await?
        .check()?;
    Ok(())
}

/// A user's role, or none for no such user.
pub async fn role_of(db: &Db, user: &str) -> RepoResult<Option<Role>> {
    let mut res =
        db.query("SELECT VALUE role FROM type::record('user', $user)").bind(("user", user.to_string())).await?;
    let roles: Vec<String> = res.take(0)?;
    Ok(roles.first().map(|r| Role::parse(r).unwrap_or(Role::Rep)))
}

/// Stores a token for a user.
pub async fn add_token(db: &Db, user: &str, token: &str, label: &str) -> RepoResult<()> {
    let doc = Doc::new()
        .link("user", "user", user)
        .set("hash", hash_token(token))
        .set("label", label.to_string())
        .time("created_at", chrono::Utc::now());
    db.query("CREATE api_token CONTENT $doc").bind(("doc", doc.into_value())).await?.check()?;
    Ok(())
}

/// On an empty database, creates the admin account with the given token.
pub async fn bootstrap_admin(db: &Db, token: &str) -> RepoResult<bool> {
    if user_count(db).await? > 0 {
        return Ok(false);
    }
    create_user(db, "admin", "管理员", Role::Admin, None, &[]).await?;
    add_token(db, "admin", token, "bootstrap").await?;
    Ok(true)
}

#[derive(Deserialize)]
struct PersonRow {
    key: String,
    name: String,
    team: Option<String>,
}

/// The reps and teams the actor may see (a rep: themselves and their team).
pub async fn people(db: &Db, actor: &Actor) -> RepoResult<crate::domain::people::People> {
    use crate::domain::people::{People, Person};
    let mut res = db
        .query(
            "SELECT key, name, team.key AS team FROM rep ORDER BY key;
             SELECT key, name FROM team ORDER BY key;",
        )
        .await?;
    let reps: Vec<PersonRow> = super::rows(&mut res, 0)?;
    let teams: Vec<PersonRow> = super::rows(&mut res, 1)?;
    let rep_visible = |r: &PersonRow| match actor.role {
        Role::Admin => true,
        Role::Manager => r.team.as_ref().is_some_and(|t| actor.teams.contains(t)),
        Role::Rep => actor.rep.as_deref() == Some(r.key.as_str()),
    };
    let team_visible = |t: &PersonRow| actor.role == Role::Admin || actor.teams.contains(&t.key);
    let person = |r: PersonRow| Person { key: r.key, name: r.name, team: r.team };
    Ok(People {
        reps: reps.into_iter().filter(rep_visible).map(person).collect(),
        teams: teams.into_iter().filter(team_visible).map(person).collect(),
    })
}
