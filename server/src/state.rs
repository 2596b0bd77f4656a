//! What every request handler shares.
use crate::db::Db;
use app::kpi::AnalyticView;
use app::settings::WorkspaceSettings;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use tokio::sync::{broadcast, RwLock};

/// A change other open boards and dashboards should see.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEvent {
    LeadChanged { code: String, team: Option<String>, owner: Option<String> },
    Imported { leads: usize },
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub view: Arc<RwLock<AnalyticView>>,
    pub settings: Arc<RwLock<WorkspaceSettings>>,
    pub events: broadcast::Sender<LiveEvent>,
    pub leptos_options: LeptosOptions,
}

impl AppState {
    pub fn publish(&self, event: LiveEvent) {
        // Nobody listening is fine.
        let _ = self.events.send(event);
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
