//! Web-form intake (PRODUCT.md §12 "Web forms"): an admin creates forms and the origins
//! allowed to post to them; a website's post becomes a graded `web_form` lead, assigned by
//! the rules, on every open board at once, its response clock started. Robots filling the
//! honeypot are answered alike and dropped.
use crate::domain::commands::NewLead;
use crate::domain::enums::Role;
use crate::domain::intake::{lead_record, normalise_origin, FormFields, IntakeForm};
use crate::domain::lead::Lead;
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::intake as repo;
use crate::ssr::state::AppState;
use chrono::Utc;
use serde_json::{json, Map, Value};

fn audit(actor: &Actor, key: &str, field: &str, new: Value) -> Doc {
    Doc::new()
        .time("at", Utc::now())
        .set("actor", actor.user.clone())
        .set("record", format!("intake_form:{key}"))
        .set("field", field.to_string())
        .set("old", Value::Null)
        .set("new", new)
}

pub async fn forms(state: &AppState, actor: &Actor) -> ApiResult<Vec<IntakeForm>> {
    actor.require_admin()?;
    Ok(repo::forms(&state.db).await?)
}

/// Creates a form under a new random key (admin only).
pub async fn create(state: &AppState, actor: &Actor, fields: FormFields) -> ApiResult<IntakeForm> {
    actor.require_admin()?;
    let key = format!("f{}", &crate::ssr::secrets::new_token()[3..19]);
    let doc = Doc::new()
        .set("key", key.clone())
        .set("name", fields.name.clone().unwrap_or_default())
        .strings("origins", &fields.origins.clone().unwrap_or_default())
        .set("active", fields.active.unwrap_or(true))
        .time("created_at", Utc::now())
        .set("created_by", actor.user.clone())
        .set("leads", 0i64);
    repo::save(
        &state.db,
        &key,
        doc,
        audit(actor, &key, "created", json!({"name": fields.name, "origins": fields.origins})),
    )
    .await?;
    repo::form(&state.db, &key).await?.ok_or_else(|| ApiError::Internal("the new form is missing".into()))
}

/// Changes a form's name, origins or whether it takes posts (admin only).
pub async fn update(state: &AppState, actor: &Actor, key: &str, fields: FormFields) -> ApiResult<IntakeForm> {
    actor.require_admin()?;
    if repo::form(&state.db, key).await?.is_none() {
        return Err(ApiError::NotFound(format!("no intake form `{key}`")));
    }
    let doc = Doc::new().opt("name", fields.name.clone()).opt("active", fields.active);
    let doc = match &fields.origins {
        Some(o) => doc.strings("origins", o),
        None => doc,
    };
    repo::save(&state.db, key, doc, audit(actor, key, "changed", json!(fields))).await?;
    repo::form(&state.db, key).await?.ok_or_else(|| ApiError::NotFound(format!("no intake form `{key}`")))
}

/// Whether a browser page at `origin` may post to the form (CORS).
pub async fn allows_origin(state: &AppState, key: &str, origin: &str) -> bool {
    let Some(origin) = normalise_origin(origin) else { return false };
    matches!(repo::form(&state.db, key).await, Ok(Some(f)) if f.active && f.origins.contains(&origin))
}

/// Takes a website's post: the lead it became, or `None` for a robot's post.
pub async fn submit(state: &AppState, key: &str, posted: &Map<String, Value>) -> ApiResult<Option<Lead>> {
    match repo::form(&state.db, key).await? {
        Some(f) if f.active => {}
        _ => return Err(ApiError::NotFound(format!("no intake form `{key}`"))),
    }
    let Some(record) = lead_record(posted).map_err(ApiError::Invalid)? else { return Ok(None) };
    let cmd = NewLead::read(&record).map_err(ApiError::Invalid)?;
    // The form acts with an admin's reach (any rep may receive the lead) under its own name
    // in the audit log.
    let actor =
        Actor { user: format!("intake:{key}"), name: key.to_string(), role: Role::Admin, rep: None, teams: vec![] };
    let lead = super::leads::create(state, &actor, cmd).await?;
    repo::count_lead(&state.db, key).await?;
    Ok(Some(lead))
}
