//! Users, reps and teams as an admin manages them: one user record per account, and for
//! reps and managers a rep record of the same key (the person who follows leads up). A
//! change of a person writes both, its audit rows and, on deactivation, the end of the
//! person's tokens and sessions, in one transaction.
use super::error::{checked, retrying, RepoResult};
use super::rows;
use crate::domain::enums::{Role, Seniority};
use crate::domain::users::{Team, TokenInfo, User};
use crate::ssr::db::{record, Db, Doc};
use serde::Deserialize;
use surrealdb::types::Value as DbValue;

#[derive(Deserialize)]
struct UserRow {
    key: String,
    name: String,
    role: String,
    #[serde(default)]
    active: Option<bool>,
    #[serde(default)]
    has_password: bool,
    seniority: Option<String>,
    team: Option<String>,
    region: Option<String>,
    #[serde(default)]
    industries: Option<Vec<String>>,
    mentor: Option<String>,
    max_open_leads: Option<u32>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> User {
        User {
            key: r.key,
            name: r.name,
            role: Role::parse(&r.role).unwrap_or(Role::Rep),
            seniority: r.seniority.as_deref().and_then(Seniority::parse),
            team: r.team,
            region: r.region,
            industries: r.industries.unwrap_or_default(),
            mentor: r.mentor,
            max_open_leads: r.max_open_leads,
            active: r.active.unwrap_or(true),
            has_password: r.has_password,
            open_leads: 0,
        }
    }
}

const USER_FIELDS: &str = "key, name, role, active, password_hash != NONE AS has_password, rep.seniority AS seniority,
     rep.team.key AS team, rep.region AS region, rep.industries AS industries, rep.mentor.key AS mentor,
     rep.max_open_leads AS max_open_leads";

/// Every user, by key.
pub async fn users(db: &Db) -> RepoResult<Vec<User>> {
    let mut res = db.query(format!("SELECT {USER_FIELDS} FROM user ORDER BY key")).await?;
    Ok(rows::<UserRow>(&mut res, 0)?.into_iter().map(User::from).collect())
}

/// One user, or none.
pub async fn user(db: &Db, key: &str) -> RepoResult<Option<User>> {
    let mut res = db
        .query(format!("SELECT {USER_FIELDS} FROM type::record('user', $key)"))
        .bind(("key", key.to_string()))
        .await?;
    Ok(rows::<UserRow>(&mut res, 0)?.into_iter().next().map(User::from))
}

/// Whether a rep record of this key exists (an imported rep may have no account yet).
pub async fn rep_exists(db: &Db, key: &str) -> RepoResult<bool> {
    let mut res = db.query("SELECT VALUE key FROM type::record('rep', $key)").bind(("key", key.to_string())).await?;
    let keys: Vec<String> = res.take(0)?;
    Ok(!keys.is_empty())
}

/// A person as they are to be stored: the user record and, for people who follow leads up,
/// the rep record.
pub struct PersonWrite {
    pub key: String,
    pub user: Doc,
    pub rep: Option<Doc>,
    pub audits: Vec<Doc>,
    /// Deactivation: the person's tokens are revoked and sessions ended in the same step.
    pub end_access: bool,
}

/// Writes a person whole (created or changed).
pub async fn write_person(db: &Db, w: PersonWrite) -> RepoResult<()> {
    let user = w.user.into_value();
    let rep = w.rep.map(Doc::into_value).unwrap_or(DbValue::None);
    let audits = crate::ssr::db::docs(w.audits);
    let id = record("user", &w.key);
    let rep_id = record("rep", &w.key);
    retrying(|| async {
        checked(
            db.query(
                "BEGIN TRANSACTION;
                 IF record::exists($id) { UPDATE $id MERGE $user RETURN NONE; } ELSE { CREATE $id CONTENT $user RETURN NONE; };
                 IF $rep != NONE {
                     IF record::exists($rep_id) { UPDATE $rep_id MERGE $rep RETURN NONE; } ELSE { CREATE $rep_id CONTENT $rep RETURN NONE; };
                 };
                 IF $rep != NONE { UPDATE $id SET rep = $rep_id RETURN NONE; };
                 IF $end { UPDATE api_token SET revoked_at = time::now() WHERE user = $id AND revoked_at = NONE RETURN NONE; };
                 IF $end { DELETE session WHERE user = $id RETURN NONE; };
                 INSERT INTO audit $audits RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("id", id.clone()))
            .bind(("user", user.clone()))
            .bind(("rep_id", rep_id.clone()))
            .bind(("rep", rep.clone()))
            .bind(("end", w.end_access))
            .bind(("audits", audits.clone()))
            .await?,
        )
        .map(|_| ())
    })
    .await
}

/// Clears optional fields of a person that a change emptied (MERGE cannot remove them).
pub async fn clear_fields(db: &Db, key: &str, rep_fields: &[&str]) -> RepoResult<()> {
    for field in rep_fields {
        // Field names come from Genjin's own list, never from a request.
        db.query(format!("UPDATE type::record('rep', $key) UNSET {field} RETURN NONE"))
            .bind(("key", key.to_string()))
            .await?
            .check()?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct TeamRow {
    key: String,
    name: String,
    region: Option<String>,
    manager: Option<String>,
    #[serde(default)]
    members: u32,
}

/// Every team, with its manager and member count.
pub async fn teams(db: &Db) -> RepoResult<Vec<Team>> {
    let mut res = db
        .query(
            "SELECT key, name, region, manager.key AS manager,
                    (SELECT count() AS n FROM rep WHERE team = $parent.id AND active = true GROUP ALL)[0].n ?? 0
                        AS members
             FROM team ORDER BY key",
        )
        .await?;
    Ok(rows::<TeamRow>(&mut res, 0)?
        .into_iter()
        .map(|t| Team { key: t.key, name: t.name, region: t.region, manager: t.manager, members: t.members })
        .collect())
}

/// Creates a team; its manager (if any) manages it from now on.
pub async fn create_team(db: &Db, team: &Team, audit: Doc) -> RepoResult<()> {
    let doc = Doc::new()
        .set("key", team.key.clone())
        .set("name", team.name.clone())
        .opt("region", team.region.clone())
        .opt_link("manager", "rep", team.manager.as_deref());
    let manager = team.manager.as_deref().map(|m| record("user", m));
    retrying(|| async {
        checked(
            db.query(
                "BEGIN TRANSACTION;
                 CREATE type::record('team', $key) CONTENT $doc RETURN NONE;
                 IF $manager != NONE { UPDATE $manager SET teams = array::union(teams, [type::record('team', $key)]) RETURN NONE; };
                 CREATE audit CONTENT $audit RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("key", team.key.clone()))
            .bind(("doc", doc.clone().into_value()))
            .bind(("manager", manager.clone().map_or(DbValue::None, DbValue::RecordId)))
            .bind(("audit", audit.clone().into_value()))
            .await?,
        )
        .map(|_| ())
    })
    .await
}

#[derive(Deserialize)]
struct TokenRow {
    id: String,
    label: String,
    created_at: chrono::DateTime<chrono::Utc>,
    revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A user's API tokens, newest first.
pub async fn tokens(db: &Db, user: &str) -> RepoResult<Vec<TokenInfo>> {
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, label, created_at, revoked_at FROM api_token
             WHERE user = type::record('user', $user) ORDER BY created_at DESC",
        )
        .bind(("user", user.to_string()))
        .await?;
    Ok(rows::<TokenRow>(&mut res, 0)?
        .into_iter()
        .map(|t| TokenInfo { id: t.id, label: t.label, created_at: t.created_at, revoked_at: t.revoked_at })
        .collect())
}

/// Revokes one token of a user; answers whether the user had it unrevoked.
pub async fn revoke_token(db: &Db, user: &str, id: &str, audit: Doc) -> RepoResult<bool> {
    let mut res = db
        .query(
            "SELECT VALUE record::id(id) FROM api_token
             WHERE id = type::record('api_token', $id) AND user = type::record('user', $user) AND revoked_at = NONE",
        )
        .bind(("id", id.to_string()))
        .bind(("user", user.to_string()))
        .await?;
    let found: Vec<String> = res.take(0)?;
    if found.is_empty() {
        return Ok(false);
    }
    let audit = audit.into_value();
    retrying(|| async {
        checked(
            db.query(
                "BEGIN TRANSACTION;
                 UPDATE type::record('api_token', $id) SET revoked_at = time::now() RETURN NONE;
                 CREATE audit CONTENT $audit RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("id", id.to_string()))
            .bind(("audit", audit.clone()))
            .await?,
        )
        .map(|_| ())
    })
    .await?;
    Ok(true)
}

/// Writes one audit row on its own (a password reset, which changes no other record here).
pub async fn write_audit(db: &Db, audit: Doc) -> RepoResult<()> {
    db.query("CREATE audit CONTENT $audit RETURN NONE").bind(("audit", audit.into_value())).await?.check()?;
    Ok(())
}
