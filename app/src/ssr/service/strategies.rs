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
