//! The pipeline widget's embeds (PRODUCT.md §9, §15): an admin lets an intranet page show one
//! team's board, read-only, by an embed — a name, the team, the page origins allowed to frame
//! it, and a key (shown once, stored hashed) that the snippet carries. Revoking an embed stops
//! every open widget at once.
use super::intake::normalise_origin;
use super::validate::{Fields, Problem, ProblemCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The most origins one embed may be shown on.
pub const MAX_ORIGINS: usize = 20;

/// An embed as its admin sees it (never its key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Embed {
    pub id: String,
    pub name: String,
    pub team: String,
    /// The page origins allowed to frame the widget (CSP `frame-ancestors`).
    pub origins: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// When a widget last loaded with its key (to the minute).
    #[serde(default)]
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked: its key opens nothing any more.
    #[serde(default)]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Embed {
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }
}

/// A new embed as an admin asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEmbed {
    pub name: String,
    pub team: String,
    pub origins: Vec<String>,
}

impl NewEmbed {
    /// Reads `{"name", "team", "origins": [...]}`: a name, a team key and one to
    /// [`MAX_ORIGINS`] page origins (`https://intranet.example.com`, scheme, host and port,
    /// no path), each named by its place when it is not one.
    pub fn read(body: &Value) -> Result<NewEmbed, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(body, String::new(), &mut problems);
        let name = f.req_str("name");
        let team = f.req_str("team");
        let mut origins = Vec::new();
        match body.get("origins") {
            Some(Value::Array(items)) if !items.is_empty() && items.len() <= MAX_ORIGINS => {
                for (i, item) in items.iter().enumerate() {
                    let text = item.as_str().unwrap_or_default();
                    match normalise_origin(text) {
                        Some(o) if !origins.contains(&o) => origins.push(o),
                        Some(_) => {}
                        None => f.reject(
                            &format!("origins[{i}]"),
                            ProblemCode::UnknownValue,
                            format!("`{text}` is not a page origin such as https://intranet.example.com"),
                        ),
                    }
                }
            }
            Some(Value::Array(items)) if items.is_empty() => {
                f.reject("origins", ProblemCode::Required, "name at least one page origin allowed to show the widget")
            }
            None | Some(Value::Null) => f.reject("origins", ProblemCode::Required, "is required"),
            Some(_) => f.reject(
                "origins",
                ProblemCode::WrongType,
                format!("must be a list of 1 to {MAX_ORIGINS} page origins"),
            ),
        }
        match (name, team) {
            (Some(name), Some(team)) if problems.is_empty() => Ok(NewEmbed { name, team, origins }),
            _ => Err(problems),
        }
    }
}

/// How the widget looks, from its address: `lang=zh|en`, `density=compact` for big screens,
/// `theme=dark`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Look {
    pub compact: bool,
    pub dark: bool,
}

impl Look {
    /// The look a query string asks for (`get` gives a parameter); anything else is the default.
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Look {
        Look { compact: get("density").as_deref() == Some("compact"), dark: get("theme").as_deref() == Some("dark") }
    }

    /// The widget root's classes.
    pub fn classes(self) -> &'static str {
        match (self.compact, self.dark) {
            (false, false) => "embed",
            (true, false) => "embed compact",
            (false, true) => "embed dark",
            (true, true) => "embed compact dark",
        }
    }
}

/// The snippet an admin copies onto the intranet page: one script tag that mounts the widget.
pub fn snippet(genjin_origin: &str, key: &str, lang: &str) -> String {
    let origin = genjin_origin.trim_end_matches('/');
    format!(r#"<script src="{origin}/embed.js" data-key="{key}" data-lang="{lang}" async></script>"#)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_embed_names_its_team_and_the_pages_that_may_show_it() {
        let e = NewEmbed::read(&json!({
            "name": " 销售部门户 ", "team": "t1",
            "origins": ["https://Intranet.Example.com/", "http://127.0.0.2:4000", "https://intranet.example.com"],
        }))
        .unwrap();
        assert_eq!(e.name, "销售部门户");
        assert_eq!(e.origins, ["https://intranet.example.com", "http://127.0.0.2:4000"]);
    }

    #[test]
    fn a_page_address_with_a_path_or_no_origin_at_all_is_refused() {
        let problems =
            NewEmbed::read(&json!({"name": "门户", "team": "t1", "origins": ["https://a.cn/wiki"]})).unwrap_err();
        assert_eq!(problems[0].path, "origins[0]");
        let problems = NewEmbed::read(&json!({"name": "门户", "team": "t1", "origins": []})).unwrap_err();
        assert_eq!((problems[0].path.as_str(), problems[0].code), ("origins", ProblemCode::Required));
        let problems = NewEmbed::read(&json!({"origins": "https://a.cn"})).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["name", "team", "origins"]);
    }

    #[test]
    fn the_look_and_the_snippet() {
        let get = |k: &str| match k {
            "density" => Some("compact".to_string()),
            "theme" => Some("dark".to_string()),
            _ => None,
        };
        assert_eq!(Look::read(get).classes(), "embed compact dark");
        assert_eq!(Look::read(|_| None).classes(), "embed");
        assert_eq!(
            snippet("https://genjin.example.cn/", "gje_abc", "zh"),
            r#"<script src="https://genjin.example.cn/embed.js" data-key="gje_abc" data-lang="zh" async></script>"#
        );
    }
}
