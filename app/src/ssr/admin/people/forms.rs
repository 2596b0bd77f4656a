//! The user and team forms as an admin types them: read into the same JSON bodies the API
//! takes, so `NewUser`, `UserFields` and `NewTeam` check them exactly as they check an API
//! call, and shown again with what was typed.
use crate::domain::enums::Role;
use crate::domain::users::{NewTeam, NewUser, User, UserFields};
use crate::domain::validate::{Problem, ProblemCode};
use serde_json::{json, Map, Value};

/// A user form as typed (creating or changing a user): every field as text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct UserForm {
    pub key: String,
    pub name: String,
    pub role: String,
    pub seniority: String,
    pub team: String,
    pub region: String,
    /// Industries as typed: `制造业、金融` or `制造业, 金融`.
    pub industries: String,
    pub mentor: String,
    pub max_open_leads: String,
    pub password: String,
    pub active: bool,
}

impl Default for UserForm {
    fn default() -> UserForm {
        UserForm {
            key: String::new(),
            name: String::new(),
            role: Role::Rep.key().to_string(),
            seniority: String::new(),
            team: String::new(),
            region: String::new(),
            industries: String::new(),
            mentor: String::new(),
            max_open_leads: String::new(),
            password: String::new(),
            active: true,
        }
    }
}

/// Industries typed in one box, split on Western and Chinese commas and the enumeration comma.
pub(super) fn split_list(text: &str) -> Vec<String> {
    text.split([',', '，', '、']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// A count as typed: a number when it reads as one, else the text (which the checks refuse).
fn count(text: &str) -> Value {
    let text = text.trim();
    text.parse::<u64>().map(Value::from).unwrap_or_else(|_| Value::String(text.to_string()))
}

impl UserForm {
    /// The form as posted; a checkbox left unticked is absent, so `active` is false then.
    pub fn from_pairs(pairs: &[(String, String)]) -> UserForm {
        let mut f = UserForm { role: String::new(), active: false, ..UserForm::default() };
        for (name, value) in pairs {
            let v = value.clone();
            match name.as_str() {
                "key" => f.key = v,
                "name" => f.name = v,
                "role" => f.role = v,
                "seniority" => f.seniority = v,
                "team" => f.team = v,
                "region" => f.region = v,
                "industries" => f.industries = v,
                "mentor" => f.mentor = v,
                "max_open_leads" => f.max_open_leads = v,
                "password" => f.password = v,
                "active" => f.active = v == "true" || v == "on",
                _ => {}
            }
        }
        f
    }

    /// A user as the edit form shows them.
    pub fn of(u: &User) -> UserForm {
        UserForm {
            key: u.key.clone(),
            name: u.name.clone(),
            role: u.role.key().to_string(),
            seniority: u.seniority.map(|s| s.key().to_string()).unwrap_or_default(),
            team: u.team.clone().unwrap_or_default(),
            region: u.region.clone().unwrap_or_default(),
            industries: u.industries.join("、"),
            mentor: u.mentor.clone().unwrap_or_default(),
            max_open_leads: u.max_open_leads.map(|m| m.to_string()).unwrap_or_default(),
            password: String::new(),
            active: u.active,
        }
    }

    /// The body of a new user: fields left empty are absent.
    pub fn create_body(&self) -> Value {
        let mut m = Map::new();
        let texts = [
            ("key", &self.key),
            ("name", &self.name),
            ("role", &self.role),
            ("seniority", &self.seniority),
            ("team", &self.team),
            ("region", &self.region),
            ("mentor", &self.mentor),
            ("password", &self.password),
        ];
        for (field, value) in texts {
            if !value.trim().is_empty() {
                m.insert(field.into(), Value::String(value.clone()));
            }
        }
        let industries = split_list(&self.industries);
        if !industries.is_empty() {
            m.insert("industries".into(), json!(industries));
        }
        if !self.max_open_leads.trim().is_empty() {
            m.insert("max_open_leads".into(), count(&self.max_open_leads));
        }
        Value::Object(m)
    }

    /// The body of a change: every field of the edit form, an emptied one as null (cleared).
    pub fn patch_body(&self) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), Value::String(self.name.clone()));
        if !self.role.trim().is_empty() {
            m.insert("role".into(), Value::String(self.role.clone()));
        }
        for (field, value) in
            [("seniority", &self.seniority), ("team", &self.team), ("region", &self.region), ("mentor", &self.mentor)]
        {
            let v = if value.trim().is_empty() { Value::Null } else { Value::String(value.clone()) };
            m.insert(field.into(), v);
        }
        m.insert("industries".into(), json!(split_list(&self.industries)));
        let max = if self.max_open_leads.trim().is_empty() { Value::Null } else { count(&self.max_open_leads) };
        m.insert("max_open_leads".into(), max);
        m.insert("active".into(), Value::Bool(self.active));
        Value::Object(m)
    }

    /// The new user, checked as the API checks it.
    pub fn new_user(&self) -> Result<NewUser, Vec<Problem>> {
        NewUser::read(&self.create_body())
    }

    /// The change, checked as the API checks it; a user keeps a name.
    pub fn change(&self) -> Result<UserFields, Vec<Problem>> {
        let blank = self.name.trim().is_empty();
        let required = || Problem::new("name", ProblemCode::Required, "is required");
        match UserFields::read_patch(&self.patch_body()) {
            Ok(fields) if !blank => Ok(fields),
            Ok(_) => Err(vec![required()]),
            Err(mut problems) => {
                if blank {
                    problems.insert(0, required());
                }
                Err(problems)
            }
        }
    }
}

/// The new-team form as typed.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub(super) struct TeamForm {
    pub key: String,
    pub name: String,
    pub region: String,
    pub manager: String,
}

impl TeamForm {
    /// The body of a new team: fields left empty are absent.
    pub fn body(&self) -> Value {
        let mut m = Map::new();
        for (field, value) in
            [("key", &self.key), ("name", &self.name), ("region", &self.region), ("manager", &self.manager)]
        {
            if !value.trim().is_empty() {
                m.insert(field.into(), Value::String(value.clone()));
            }
        }
        Value::Object(m)
    }

    /// The new team, checked as the API checks it.
    pub fn new_team(&self) -> Result<NewTeam, Vec<Problem>> {
        NewTeam::read(&self.body())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::Seniority;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn industries_typed_with_any_comma_become_a_list() {
        assert_eq!(split_list("制造业、金融，零售, 教育 ,"), ["制造业", "金融", "零售", "教育"]);
        assert!(split_list(" 、 ").is_empty());
    }

    #[test]
    fn a_new_user_leaves_empty_fields_out_and_is_checked_like_the_api() {
        let form = UserForm::from_pairs(&pairs(&[
            ("key", "r41"),
            ("name", "赵敏"),
            ("role", "rep"),
            ("seniority", "junior"),
            ("team", ""),
            ("region", "华东"),
            ("industries", "制造业、金融"),
            ("mentor", ""),
            ("max_open_leads", "40"),
            ("password", ""),
        ]));
        let body = form.create_body();
        assert!(body.get("team").is_none() && body.get("mentor").is_none() && body.get("password").is_none());
        let user = form.new_user().unwrap();
        assert_eq!(user.key, "r41");
        assert_eq!(user.fields.industries, Some(vec!["制造业".to_string(), "金融".to_string()]));
        assert_eq!(user.fields.max_open_leads, Some(Some(40)));
        assert_eq!(user.fields.team, None);
        let typed = UserForm::from_pairs(&pairs(&[("key", "王 伟"), ("max_open_leads", "很多")]));
        let problems = typed.new_user().unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["key", "name", "role", "max_open_leads"]);
    }

    #[test]
    fn a_change_clears_emptied_fields_and_reads_the_active_box() {
        let form = UserForm::from_pairs(&pairs(&[
            ("name", "王伟"),
            ("role", "manager"),
            ("seniority", ""),
            ("team", ""),
            ("region", ""),
            ("industries", ""),
            ("mentor", ""),
            ("max_open_leads", ""),
        ]));
        let fields = form.change().unwrap();
        assert_eq!(fields.team, Some(None));
        assert_eq!(fields.mentor, Some(None));
        assert_eq!(fields.max_open_leads, Some(None));
        assert_eq!(fields.industries, Some(Vec::new()));
        assert_eq!(fields.active, Some(false));
        let ticked = UserForm::from_pairs(&pairs(&[("name", "王伟"), ("active", "true")]));
        assert_eq!(ticked.change().unwrap().active, Some(true));
        let nameless = UserForm::from_pairs(&pairs(&[("name", "  "), ("active", "true")]));
        assert_eq!(nameless.change().unwrap_err()[0].path, "name");
    }

    #[test]
    fn the_edit_form_shows_a_user_as_stored() {
        let user = User {
            key: "r12".into(),
            name: "李娜".into(),
            role: Role::Rep,
            seniority: Some(Seniority::Senior),
            team: Some("t1".into()),
            region: None,
            industries: vec!["制造业".into(), "金融".into()],
            mentor: None,
            max_open_leads: Some(30),
            active: true,
            has_password: true,
            open_leads: 12,
        };
        let form = UserForm::of(&user);
        assert_eq!((form.seniority.as_str(), form.industries.as_str()), ("senior", "制造业、金融"));
        assert_eq!(form.max_open_leads, "30");
        let unchanged = form.change().unwrap();
        assert_eq!(unchanged.industries, Some(user.industries.clone()));
        assert_eq!(unchanged.seniority, Some(Some(Seniority::Senior)));
    }

    #[test]
    fn a_new_team_needs_a_key_and_a_name() {
        let problems = TeamForm { region: "华南".into(), ..TeamForm::default() }.new_team().unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["key", "name"]);
        let team = TeamForm { key: "t2".into(), name: "华南一组".into(), ..TeamForm::default() }.new_team().unwrap();
        assert_eq!((team.region, team.manager), (None, None));
    }
}
