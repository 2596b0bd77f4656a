//! What every request handler and server function shares, and how a write reaches the
//! in-memory views and every open board.
use crate::board::{BoardCard, BoardIndex};
use crate::domain::lead::Lead;
use crate::kpi::{AnalyticView, ViewChange};
use crate::settings::WorkspaceSettings;
use crate::ssr::db::Db;
use crate::ssr::error::ApiResult;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use tokio::sync::{broadcast, RwLock};

/// A change other open boards and dashboards should see.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEvent {
    /// A lead was created, edited, moved or followed up; `card` is how it now looks.
    LeadChanged {
        code: String,
        team: Option<String>,
        owner: Option<String>,
        /// How the lead stood before (none for a new lead), so boards can move their totals.
        previous: Option<Box<BoardCard>>,
        card: Box<BoardCard>,
    },
    /// Sent (instead of `LeadChanged`) to a listener who saw the lead before a change, such as
    /// a reassignment, and may no longer see it: boards take the card out.
    LeadGone {
        code: String,
        previous: Box<BoardCard>,
    },
    Imported {
        leads: usize,
    },
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub view: Arc<RwLock<AnalyticView>>,
    pub board: Arc<RwLock<BoardIndex>>,
    pub settings: Arc<RwLock<WorkspaceSettings>>,
    pub events: broadcast::Sender<LiveEvent>,
    pub leptos_options: LeptosOptions,
}

impl AppState {
    pub fn publish(&self, event: LiveEvent) {
        // Nobody listening is fine.
        let _ = self.events.send(event);
    }

    async fn apply_to_view(&self, changes: Vec<ViewChange>) {
        let mut view = self.view.write().await;
        for change in changes {
            view.apply(change);
        }
    }

    /// Applies a write's changes to the analytic view and the board index, and tells open
    /// boards and dashboards.
    pub async fn follow(&self, lead: &Lead, changes: Vec<ViewChange>) {
        if changes.is_empty() {
            return;
        }
        self.apply_to_view(changes).await;
        let card = BoardCard::of_lead(lead);
        let previous = {
            let mut board = self.board.write().await;
            let previous = board.get(&card.code).cloned();
            board.upsert(card.clone());
            previous
        };
        self.publish(LiveEvent::LeadChanged {
            code: lead.code.clone(),
            team: lead.team.clone(),
            owner: lead.owner.clone(),
            previous: previous.map(Box::new),
            card: Box::new(card),
        });
    }

    /// Lets the analytic view and the board index follow an import, and tells open boards
    /// and dashboards to reload.
    pub async fn follow_import(&self, changes: Vec<ViewChange>, codes: Vec<String>) -> ApiResult<()> {
        let leads = codes.len();
        self.apply_to_view(changes).await;
        let cards = super::repo::view::cards(&self.db, codes).await?;
        {
            let mut board = self.board.write().await;
            for card in cards {
                board.upsert(card);
            }
        }
        self.publish(LiveEvent::Imported { leads });
        Ok(())
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
