//! Importing a team's history bundle (admin): validated whole against what the workspace
//! holds, written in one transaction, all or nothing; imports run one at a time so two
//! bundles cannot claim the same codes at once.
use crate::domain::bundle::{Bundle, BundleCounts};
use crate::ssr::actor::Actor;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo;
use crate::ssr::state::AppState;
use serde_json::Value;

pub async fn import(state: &AppState, actor: &Actor, body: &Value) -> ApiResult<BundleCounts> {
    actor.require_admin()?;
    // One import at a time on every app server of the workspace.
    let _one_at_a_time = repo::locks::hold(&state.db, "import").await?;
    let started = std::time::Instant::now();
    let known = repo::import::known(&state.db).await?;
    let bundle = Bundle::read(body, &known.existing).map_err(ApiError::Invalid)?;
    let validated = started.elapsed();
    let settings = state.settings.read().await.clone();
    let changes = repo::import::write(&state.db, &bundle, &known, &settings).await?;
    let written = started.elapsed();
    state.follow_import(changes, bundle.leads.iter().map(|l| l.code.clone()).collect()).await?;
    tracing::info!(leads = bundle.leads.len(), ?validated, ?written, total = ?started.elapsed(), "bundle imported");
    Ok(bundle.counts())
}
