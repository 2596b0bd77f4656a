//! Web forms (PRODUCT.md §12): a company website posts the leads its visitors leave to an
//! intake form's key. An admin creates the form with the origins (the website's addresses)
//! allowed to post to it; Genjin turns each post into a graded, assigned `web_form` lead.
use super::validate::{Fields, Problem, ProblemCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// An intake form as its admin sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IntakeForm {
    pub key: String,
    pub name: String,
    pub origins: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// Leads the form has brought in.
    pub leads: u64,
}

/// Create an intake form, or change one (`active: false` stops it taking posts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormFields {
    pub name: Option<String>,
    pub origins: Option<Vec<String>>,
    pub active: Option<bool>,
}

/// An origin as browsers send it: `https://host[:port]` (or `http://`, as intranet sites
/// are), no path.
pub fn normalise_origin(origin: &str) -> Option<String> {
    let o = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, host) = o.split_once("://")?;
    let host_ok = !host.is_empty()
        && !host.contains(['/', '?', '#', '@', ' '])
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    (host_ok && matches!(scheme, "http" | "https")).then_some(o)
}

impl FormFields {
    pub fn read(body: &Value, creating: bool) -> Result<FormFields, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(body, String::new(), &mut problems);
        let name = if creating { f.req_str("name") } else { f.opt_str("name") };
        let active = f.opt_bool("active");
        let origins = if f.has("origins") || creating {
            let raw: Vec<String> = match body.get("origins") {
                Some(Value::Array(items)) if items.len() <= 20 => {
                    items.iter().map(|i| i.as_str().unwrap_or_default().to_string()).collect()
                }
                _ => {
                    f.reject("origins", ProblemCode::WrongType, "must be a list of up to 20 website origins");
                    Vec::new()
                }
            };
            let mut origins = Vec::new();
            for (i, o) in raw.iter().enumerate() {
                match normalise_origin(o) {
                    Some(o) if !origins.contains(&o) => origins.push(o),
                    Some(_) => {}
                    None => f.reject(
                        &format!("origins[{i}]"),
                        ProblemCode::UnknownValue,
                        format!("`{o}` is not a website origin such as https://www.example.com"),
                    ),
                }
            }
            Some(origins)
        } else {
            None
        };
        if problems.is_empty() {
            Ok(FormFields { name, origins, active })
        } else {
            Err(problems)
        }
    }
}

/// The fields a website may post, and the lead field each fills.
pub const POSTED_FIELDS: [(&str, &str); 13] = [
    ("company", "company"),
    ("contact_name", "contact_name"),
    ("contact_title", "contact_title"),
    ("phone", "phone"),
    ("email", "email"),
    ("need", "need"),
    ("industry", "industry"),
    ("region", "region"),
    ("employees", "employees"),
    ("budget", "budget"),
    ("decision_months", "decision_months"),
    ("page", "details.page"),
    ("keywords", "details.keywords"),
];

/// The honeypot: a field hidden from people that only robots fill in.
pub const HONEYPOT: &str = "website";

/// Turns a website's post into a lead record (source `web_form`), or `None` for a robot's
/// post (the honeypot filled). Numbers may come as text (form posts); a visitor without a
/// company is recorded under their name. Problems name the posted field.
pub fn lead_record(posted: &Map<String, Value>) -> Result<Option<Value>, Vec<Problem>> {
    if posted.get(HONEYPOT).is_some_and(|v| v.as_str().is_some_and(|s| !s.trim().is_empty()) || v.is_number()) {
        return Ok(None);
    }
    let mut lead = Map::new();
    let mut details = Map::new();
    for (posted_name, field) in POSTED_FIELDS {
        let Some(v) = posted.get(posted_name).filter(|v| !v.is_null()) else { continue };
        let v = match (field, v) {
            ("employees" | "budget" | "decision_months", Value::String(s)) if !s.trim().is_empty() => {
                match s.trim().replace([',', '，'], "").parse::<f64>() {
                    Ok(n) if field == "budget" => json!(n),
                    Ok(n) if n.fract() == 0.0 && n >= 0.0 => json!(n as u64),
                    _ => v.clone(),
                }
            }
            (_, Value::String(s)) if s.trim().is_empty() => continue,
            _ => v.clone(),
        };
        match field.strip_prefix("details.") {
            Some(d) => details.insert(d.to_string(), v),
            None => lead.insert(field.to_string(), v),
        };
    }
    if !lead.contains_key("company") {
        if let Some(name) = lead.get("contact_name").cloned() {
            lead.insert("company".into(), name);
        }
    }
    let mut problems = Vec::new();
    if !lead.contains_key("phone") && !lead.contains_key("email") {
        problems.push(Problem::new("phone", ProblemCode::Required, "leave a phone number or an e-mail address"));
    }
    if !lead.contains_key("company") {
        problems.push(Problem::new("company", ProblemCode::Required, "a company or a contact name is required"));
    }
    lead.insert("source".into(), json!("web_form"));
    if !details.is_empty() {
        lead.insert("details".into(), Value::Object(details));
    }
    if problems.is_empty() {
        Ok(Some(Value::Object(lead)))
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn a_post_becomes_a_web_form_lead_with_its_page_and_keywords() {
        let lead = lead_record(&post(json!({"company": "上海华信", "phone": "13800000000", "employees": "300",
            "budget": "200,000", "page": "/pricing", "keywords": "数据安全"})))
        .unwrap()
        .unwrap();
        assert_eq!(lead["source"], "web_form");
        assert_eq!(lead["employees"], 300);
        assert_eq!(lead["budget"], 200000.0);
        assert_eq!(lead["details"]["page"], "/pricing");
        assert_eq!(lead["details"]["keywords"], "数据安全");
    }

    #[test]
    fn a_robot_filling_the_honeypot_is_dropped_and_a_post_without_contact_is_refused() {
        assert_eq!(lead_record(&post(json!({"company": "x", "phone": "1", "website": "http://spam"}))).unwrap(), None);
        let problems = lead_record(&post(json!({"need": "hello"}))).unwrap_err();
        assert_eq!(problems.len(), 2);
        let lead = lead_record(&post(json!({"contact_name": "李娜", "email": "li@x.cn"}))).unwrap().unwrap();
        assert_eq!(lead["company"], "李娜");
    }

    #[test]
    fn origins_are_website_addresses() {
        assert_eq!(normalise_origin("https://WWW.Example.com/").as_deref(), Some("https://www.example.com"));
        assert_eq!(normalise_origin("http://localhost:8080").as_deref(), Some("http://localhost:8080"));
        assert_eq!(normalise_origin("https://example.com/path"), None);
        assert_eq!(normalise_origin("example.com"), None);
        assert_eq!(normalise_origin("javascript://x"), None);
        assert!(FormFields::read(&json!({"name": "官网咨询", "origins": ["https://a.cn", "ftp://b"]}), true).is_err());
    }
}
