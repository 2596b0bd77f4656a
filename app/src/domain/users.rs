//! The people of a workspace as an admin manages them (PRODUCT.md §12 "People"): users with
//! their role, seniority, team, region, industries, mentor and capacity, and teams. The
//! commands that create and change them are parsed here once, every problem listed.
use super::enums::{Role, Seniority};
use super::validate::{Fields, Problem, ProblemCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A user as the people pages and `GET /api/v1/users` show them: never a password or hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct User {
    pub key: String,
    pub name: String,
    pub role: Role,
    /// Reps and managers follow leads up; an admin without a seniority does not.
    pub seniority: Option<Seniority>,
    pub team: Option<String>,
    pub region: Option<String>,
    pub industries: Vec<String>,
    pub mentor: Option<String>,
    /// Capacity: the most open leads the assignment rules give this rep.
    pub max_open_leads: Option<u32>,
    pub active: bool,
    pub has_password: bool,
    /// Open leads this rep owns now.
    #[serde(default)]
    pub open_leads: u32,
}

/// A team (团队).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Team {
    pub key: String,
    pub name: String,
    pub region: Option<String>,
    pub manager: Option<String>,
    #[serde(default)]
    pub members: u32,
}

/// An API token of a user, as its owner's admin sees it (the secret is shown once, at
/// creation, and stored hashed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: String,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Keys name users, reps and teams in URLs, imports and KPIs: letters, digits, `_` and `-`.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 40 && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn key_field(f: &mut Fields<'_>, field: &str, required: bool) -> Option<String> {
    let key = if required { f.req_str(field) } else { f.opt_str(field) };
    if let Some(k) = &key {
        if !valid_key(k) {
            f.reject(field, ProblemCode::UnknownValue, "may hold only letters, digits, `_` and `-` (at most 40)");
            return None;
        }
    }
    key
}

/// The fields of a user an admin sets; on a change, `None` leaves a field as it is and
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserFields {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub seniority: Option<Option<Seniority>>,
    pub team: Option<Option<String>>,
    pub region: Option<Option<String>>,
    pub industries: Option<Vec<String>>,
    pub mentor: Option<Option<String>>,
    pub max_open_leads: Option<Option<u32>>,
    pub active: Option<bool>,
    pub password: Option<String>,
}

/// Create a user: its key and fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUser {
    pub key: String,
    pub fields: UserFields,
}

/// Reads the fields present in a user body; `creating` makes `name` and `role` required.
fn read_fields(body: &Value, creating: bool, problems: &mut Vec<Problem>) -> UserFields {
    let mut f = Fields::new(body, String::new(), problems);
    let present = |f: &Fields<'_>, k: &str| f.has(k);
    let name = if creating { f.req_str("name") } else { f.opt_str("name") };
    let role = if creating { f.req_enum("role") } else { f.opt_enum("role") };
    let seniority = present(&f, "seniority").then(|| f.opt_enum("seniority"));
    let team = present(&f, "team").then(|| key_field(&mut f, "team", false));
    let region = present(&f, "region").then(|| f.opt_str("region"));
    let industries = present(&f, "industries").then(|| f.str_list("industries"));
    let mentor = present(&f, "mentor").then(|| key_field(&mut f, "mentor", false));
    let max_open_leads = present(&f, "max_open_leads").then(|| f.opt_u32("max_open_leads", 100_000));
    let active = f.opt_bool("active");
    let password = f.opt_str("password");
    UserFields { name, role, seniority, team, region, industries, mentor, max_open_leads, active, password }
}

/// The keys a user body may hold.
const USER_KEYS: [&str; 11] = [
    "key",
    "name",
    "role",
    "seniority",
    "team",
    "region",
    "industries",
    "mentor",
    "max_open_leads",
    "active",
    "password",
];

fn unknown_keys(body: &Value, problems: &mut Vec<Problem>) {
    if let Some(obj) = body.as_object() {
        for k in obj.keys().filter(|k| !USER_KEYS.contains(&k.as_str())) {
            problems.push(Problem::new(k.clone(), ProblemCode::NotEditable, "is not a field of a user"));
        }
    }
}

impl NewUser {
    pub fn read(body: &Value) -> Result<NewUser, Vec<Problem>> {
        let mut problems = Vec::new();
        unknown_keys(body, &mut problems);
        let key = {
            let mut f = Fields::new(body, String::new(), &mut problems);
            key_field(&mut f, "key", true)
        };
        let fields = read_fields(body, true, &mut problems);
        match key {
            Some(key) if problems.is_empty() => Ok(NewUser { key, fields }),
            _ => Err(problems),
        }
    }
}

impl UserFields {
    /// Reads a change of a user (any of the fields).
    pub fn read_patch(body: &Value) -> Result<UserFields, Vec<Problem>> {
        let mut problems = Vec::new();
        unknown_keys(body, &mut problems);
        if body.get("key").is_some() {
            problems.push(Problem::new("key", ProblemCode::NotEditable, "a user's key cannot change"));
        }
        let fields = read_fields(body, false, &mut problems);
        if problems.is_empty() {
            Ok(fields)
        } else {
            Err(problems)
        }
    }
}

/// Create a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTeam {
    pub key: String,
    pub name: String,
    pub region: Option<String>,
    pub manager: Option<String>,
}

impl NewTeam {
    pub fn read(body: &Value) -> Result<NewTeam, Vec<Problem>> {
        let mut problems = Vec::new();
        if let Some(obj) = body.as_object() {
            for k in obj.keys().filter(|k| !["key", "name", "region", "manager"].contains(&k.as_str())) {
                problems.push(Problem::new(k.clone(), ProblemCode::NotEditable, "is not a field of a team"));
            }
        }
        let mut f = Fields::new(body, String::new(), &mut problems);
        let key = key_field(&mut f, "key", true);
        let name = f.req_str("name");
        let region = f.opt_str("region");
        let manager = key_field(&mut f, "manager", false);
        match (key, name) {
            (Some(key), Some(name)) if problems.is_empty() => Ok(NewTeam { key, name, region, manager }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_new_rep_needs_a_key_a_name_and_a_role() {
        let problems = NewUser::read(&json!({"name": "王伟"})).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["key", "role"]);
        let u = NewUser::read(&json!({"key": "r41", "name": "赵敏", "role": "rep", "seniority": "junior",
            "team": "t1", "industries": ["制造业"], "mentor": "r12", "max_open_leads": 40}))
        .unwrap();
        assert_eq!(u.key, "r41");
        assert_eq!(u.fields.seniority, Some(Some(Seniority::Junior)));
        assert_eq!(u.fields.max_open_leads, Some(Some(40)));
        assert_eq!(u.fields.mentor, Some(Some("r12".into())));
    }

    #[test]
    fn a_change_tells_absent_from_cleared_and_refuses_unknown_fields_and_the_key() {
        let p = UserFields::read_patch(&json!({"mentor": null, "active": false})).unwrap();
        assert_eq!(p.mentor, Some(None));
        assert_eq!(p.team, None);
        assert_eq!(p.active, Some(false));
        let problems = UserFields::read_patch(&json!({"key": "x", "salary": 1})).unwrap_err();
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn keys_are_plain_identifiers() {
        assert!(valid_key("r41") && valid_key("east_1-b"));
        assert!(!valid_key("") && !valid_key("王伟") && !valid_key("a b") && !valid_key(&"x".repeat(41)));
        assert!(NewTeam::read(&json!({"key": "t 1", "name": "华东"})).is_err());
    }
}
