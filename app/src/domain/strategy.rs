//! Strategy variants (PRODUCT.md §14, the article's A/B tests such as 高频跟进 vs 精准跟进): a
//! manager defines them and assigns them to leads, by hand or in turn to new leads; the
//! strategy comparison measures them. A lead carries its variant's key (its name as first
//! written) in its `strategy` field.
use super::validate::{Fields, Problem, ProblemCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The longest name and description, in characters.
pub const MAX_NAME: usize = 100;
pub const MAX_DESCRIPTION: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StrategyVariant {
    /// The name as first written; leads carry it.
    pub key: String,
    pub description: String,
    /// Given in turn to new leads that come without a strategy.
    pub rotate: bool,
    /// Offered for leads (a retired variant stays in the comparison).
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub version: u64,
}

/// Define a variant, or change one (`key` only when defining).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct VariantFields {
    pub key: Option<String>,
    pub description: Option<String>,
    pub rotate: Option<bool>,
    pub active: Option<bool>,
    /// The version read, when changing one.
    pub version: Option<u64>,
}

impl VariantFields {
    pub fn read(body: &Value, creating: bool) -> Result<VariantFields, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(body, String::new(), &mut problems);
        let key = if creating { f.req_str("key") } else { None };
        if !creating && f.has("key") {
            f.reject("key", ProblemCode::NotEditable, "a variant's name stays as leads carry it; define a new one");
        }
        if key.as_ref().is_some_and(|k| k.chars().count() > MAX_NAME) {
            f.reject("key", ProblemCode::TooLong, format!("at most {MAX_NAME} characters"));
        }
        let description = f.opt_str("description");
        if description.as_ref().is_some_and(|d| d.chars().count() > MAX_DESCRIPTION) {
            f.reject("description", ProblemCode::TooLong, format!("at most {MAX_DESCRIPTION} characters"));
        }
        let rotate = f.opt_bool("rotate");
        let active = f.opt_bool("active");
        let version = if creating { None } else { f.opt_u32("version", u32::MAX).map(u64::from) };
        if !creating && version.is_none() && !f.has("version") {
            f.reject("version", ProblemCode::Required, "send the version you read");
        }
        if problems.is_empty() {
            Ok(VariantFields { key, description, rotate, active, version })
        } else {
            Err(problems)
        }
    }
}

/// The variant a new lead gets in turn: the `n`-th new lead (from 1) takes the `n`-th of the
/// rotating variants, round and round.
pub fn in_turn(rotating: &[String], n: u64) -> Option<&String> {
    if rotating.is_empty() {
        return None;
    }
    rotating.get((n.saturating_sub(1) % rotating.len() as u64) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_variant_needs_a_name_and_keeps_it() {
        let v = VariantFields::read(&json!({"key": "高频跟进", "description": "每两天一次", "rotate": true}), true)
            .unwrap();
        assert_eq!((v.key.as_deref(), v.rotate, v.active), (Some("高频跟进"), Some(true), None));
        let e = VariantFields::read(&json!({"description": "x"}), true).unwrap_err();
        assert_eq!(e[0].path, "key");
        let e = VariantFields::read(&json!({"key": "x".repeat(101)}), true).unwrap_err();
        assert_eq!(e[0].code, ProblemCode::TooLong);
        let e = VariantFields::read(&json!({"key": "新名字", "version": 1}), false).unwrap_err();
        assert_eq!(e[0].code, ProblemCode::NotEditable);
        let e = VariantFields::read(&json!({"active": false}), false).unwrap_err();
        assert_eq!(e[0].path, "version");
        let v = VariantFields::read(&json!({"active": false, "version": 2}), false).unwrap();
        assert_eq!((v.active, v.version), (Some(false), Some(2)));
    }

    #[test]
    fn new_leads_take_the_rotating_variants_in_turn() {
        let two = ["高频跟进".to_string(), "精准跟进".to_string()];
        let taken: Vec<&str> = (1..=5).map(|n| in_turn(&two, n).unwrap().as_str()).collect();
        assert_eq!(taken, ["高频跟进", "精准跟进", "高频跟进", "精准跟进", "高频跟进"]);
        assert_eq!(in_turn(&[], 3), None);
    }
}
