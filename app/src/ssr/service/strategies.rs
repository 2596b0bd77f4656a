//! Strategy variants (PRODUCT.md §14): managers and admins define them, say which are given in
//! turn to new leads, and retire them; everyone reads them (the lead form offers them).
use crate::domain::enums::Role;
use crate::domain::strategy::{in_turn, StrategyVariant, VariantFields};
use crate::domain::validate::ProblemCode;
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::strategies as repo;
use crate::ssr::state::AppState;
use chrono::Utc;
use serde_json::{json, Value};

fn audit(actor: &Actor, key: &str, field: &str, new: Value) -> Doc {
    Doc::new()
        .time("at", Utc::now())
        .set("actor", actor.user.clone())
        .set("record", format!("strategy:{key}"))
        .set("field", field.to_string())
        .set("old", Value::Null)
        .set("new", new)
}

fn require_manager(actor: &Actor) -> ApiResult<()> {
    if actor.role == Role::Rep {
        return Err(ApiError::Forbidden("managers and admins define strategy variants".into()));
    }
    Ok(())
}

pub async fn variants(state: &AppState) -> ApiResult<Vec<StrategyVariant>> {
    Ok(repo::variants(&state.db).await?)
}

/// Defines a variant (managers and admins).
pub async fn create(state: &AppState, actor: &Actor, fields: VariantFields) -> ApiResult<StrategyVariant> {
    require_manager(actor)?;
    let key = fields.key.clone().unwrap_or_default();
    let now = Utc::now();
    let doc = Doc::new()
        .set("key", key.clone())
        .set("description", fields.description.clone().unwrap_or_default())
        .set("rotate", fields.rotate.unwrap_or(false))
        .set("active", fields.active.unwrap_or(true))
        .time("created_at", now)
        .set("created_by", actor.user.clone())
        .time("updated_at", now)
        .set("version", 1i64);
    let created = repo::create(&state.db, &key, doc, audit(actor, &key, "created", json!(fields))).await?;
    if !created {
        return Err(ApiError::invalid(
            "key",
            ProblemCode::Duplicate,
            format!("a variant named `{key}` exists already"),
        ));
    }
    repo::variant(&state.db, &key).await?.ok_or_else(|| ApiError::Internal("the new variant is missing".into()))
}

/// Changes a variant's description, whether it is given in turn, whether it is offered
/// (managers and admins), at the version read.
pub async fn update(state: &AppState, actor: &Actor, key: &str, fields: VariantFields) -> ApiResult<StrategyVariant> {
    require_manager(actor)?;
    let Some(current) = repo::variant(&state.db, key).await? else {
        return Err(ApiError::NotFound(format!("no strategy variant `{key}`")));
    };
    let version = fields.version.unwrap_or(current.version);
    let patch = Doc::new()
        .opt("description", fields.description.clone())
        .opt("rotate", fields.rotate)
        .opt("active", fields.active)
        .time("updated_at", Utc::now())
        .set("version", (version + 1) as i64);
    if !repo::update(&state.db, key, version, patch, audit(actor, key, "changed", json!(fields))).await? {
        let now = repo::variant(&state.db, key).await?;
        return Err(ApiError::Conflict(json!(now)));
    }
    repo::variant(&state.db, key).await?.ok_or_else(|| ApiError::NotFound(format!("no strategy variant `{key}`")))
}

/// The variant a new lead without one gets: the next of the active rotating variants, if any.
pub async fn next_in_turn(state: &AppState) -> ApiResult<Option<String>> {
    let rotating: Vec<String> =
        repo::variants(&state.db).await?.into_iter().filter(|v| v.active && v.rotate).map(|v| v.key).collect();
    if rotating.is_empty() {
        return Ok(None);
    }
    let n = repo::next_turn(&state.db).await?;
    Ok(in_turn(&rotating, n).cloned())
}

/// The most leads one assignment takes.
pub const MAX_ASSIGN: usize = 500;

/// What an assignment by hand did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Assigned {
    /// Leads now followed up by the variant.
    pub assigned: Vec<String>,
    /// Leads that had it already.
    pub unchanged: Vec<String>,
    /// Leads not found or not the actor's to change.
    pub refused: Vec<String>,
}

/// Puts leads (by code) on a variant by hand (managers and admins, on leads they may change):
/// each a versioned, audited lead write that every open board follows.
pub async fn assign(state: &AppState, actor: &Actor, key: &str, codes: &[String]) -> ApiResult<Assigned> {
    require_manager(actor)?;
    if repo::variant(&state.db, key).await?.is_none() {
        return Err(ApiError::NotFound(format!("no strategy variant `{key}`")));
    }
    if codes.len() > MAX_ASSIGN {
        return Err(ApiError::invalid("leads", ProblemCode::TooMany, format!("at most {MAX_ASSIGN} leads at a time")));
    }
    let mut out = Assigned::default();
    for code in codes {
        let lead = match super::visible_lead(state, actor, code).await {
            Ok(l) if actor.can_edit(l.owner.as_deref(), l.team.as_deref()) => l,
            Ok(_) | Err(ApiError::NotFound(_)) | Err(ApiError::Merged(_)) => {
                out.refused.push(code.clone());
                continue;
            }
            Err(e) => return Err(e),
        };
        if lead.profile.strategy.as_deref() == Some(key) {
            out.unchanged.push(code.clone());
            continue;
        }
        let patch = |version: u64| crate::domain::commands::LeadPatch {
            version,
            fields: serde_json::Map::from_iter([("strategy".to_string(), json!(key))]),
        };
        match super::leads::update(state, actor, code, patch(lead.version)).await {
            Ok(_) => {}
            // Changed meanwhile: once more at the version it now stands at.
            Err(ApiError::Conflict(_)) => {
                let lead = super::visible_lead(state, actor, code).await?;
                super::leads::update(state, actor, code, patch(lead.version)).await?;
            }
            Err(e) => return Err(e),
        }
        out.assigned.push(code.clone());
    }
    Ok(out)
}

/// Lead codes as people paste them: separated by spaces, commas, 、, semicolons or lines.
pub fn codes_of(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    codes.dedup();
    codes
}

#[cfg(test)]
mod tests {
    #[test]
    fn pasted_codes_are_split_on_any_separator() {
        assert_eq!(
            super::codes_of(" lx202600001，LX202600002、LX202600003\nLX202600003 ;"),
            ["LX202600001", "LX202600002", "LX202600003"]
        );
    }
}
