//! What every request handler and server function shares, and how a committed write reaches
//! the in-memory views and every open board: as one versioned [`LeadChange`], applied at most
//! once per version of its lead.
use crate::domain::board::BoardCard;
use crate::domain::feedback::Feedback;
use crate::domain::lead::Lead;
use crate::kpi::{AnalyticView, TaskFacts, ViewChange};
use crate::settings::WorkspaceSettings;
use crate::ssr::db::Db;
use crate::ssr::error::ApiResult;
use crate::ssr::index::LeadIndex;
use crate::ssr::peers::Committed;
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
    /// The workspace's settings changed (and open leads were regraded): every open page
    /// computes with the new ones at once, and boards reload.
    SettingsChanged {
        settings: Box<WorkspaceSettings>,
        regraded: usize,
    },
    /// Tasks were made, done or handed on without their leads changing: the pages of these
    /// people (their day, their badge) refresh.
    TasksChanged {
        owners: Vec<String>,
    },
}

/// A change as the open event streams receive it: one copy shared by every stream, each of
/// its encodings made once, by the first stream that sends it (a write heard by 2,000 open
/// boards is not cloned and encoded 2,000 times).
#[derive(Debug)]
pub struct Published {
    pub event: LiveEvent,
    encodings: [std::sync::OnceLock<Arc<str>>; Encoding::COUNT],
}

/// The forms a change is sent in: the API's JSON or the pages' wire, whole or as the
/// `lead_gone` a listener who may no longer see the lead receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Json,
    JsonGone,
    Page,
    PageGone,
}

impl Encoding {
    const COUNT: usize = 4;
}

impl Published {
    pub fn new(event: LiveEvent) -> Published {
        Published { event, encodings: Default::default() }
    }

    /// The change in `encoding`, made by `encode` the first time it is asked for.
    pub fn encoded(&self, encoding: Encoding, encode: impl FnOnce(&LiveEvent) -> String) -> Arc<str> {
        self.encodings[encoding as usize].get_or_init(|| encode(&self.event).into()).clone()
    }
}

/// One committed write of a lead, as the in-memory views follow it: the lead as it now stands
/// (its `version` orders the changes of one lead) and the facts the write added. A change
/// made by another app server, read back from the database's change stream, takes the same
/// path.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LeadChange {
    pub lead: Lead,
    pub facts: Vec<ViewChange>,
}

#[derive(Clone)]
pub struct AppState {
    /// Shared, not cloned: cloning a SurrealDB handle opens a new session on the database
    /// (over `ws://` an attach and a replay of its sign-in), which a request must not pay for.
    pub db: Arc<Db>,
    pub view: Arc<RwLock<AnalyticView>>,
    /// Every lead's board card and search text (the board and the lead list read it).
    pub index: Arc<RwLock<LeadIndex>>,
    pub settings: Arc<RwLock<WorkspaceSettings>>,
    pub events: broadcast::Sender<Arc<Published>>,
    pub leptos_options: LeptosOptions,
    /// The address people open Genjin at (`GENJIN_PUBLIC_ORIGIN`), when it sits behind a
    /// proxy: requests from it count as the site's own, and `https://` makes cookies secure.
    pub public_origin: Option<String>,
    /// Open event streams per user, to bound them.
    pub streams: Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
    /// The workspace is the generated demo (the pages show a banner).
    pub demo: Arc<std::sync::atomic::AtomicBool>,
    /// The conversion potential's model, once the workspace has enough closed leads
    /// (`service::value`).
    pub value_model: Arc<std::sync::RwLock<Option<Arc<crate::value::Model>>>>,
    /// The pipeline widget's revoked embeds and their last use (`service::embeds`).
    pub embeds: Arc<crate::ssr::service::embeds::EmbedGate>,
    /// The other app servers on the same database: how this one shares its changes and
    /// follows theirs (`ssr::peers`).
    pub peers: Arc<crate::ssr::peers::Peers>,
    /// Set when the app server begins to shut down: open event streams end.
    pub stopping: Arc<tokio::sync::watch::Sender<bool>>,
}

impl AppState {
    /// Begins shutting down: every open event stream ends (the server then finishes the
    /// requests in flight).
    pub fn shut_down(&self) {
        self.stopping.send_replace(true);
    }

    /// Resolves when the app server begins to shut down.
    pub fn shutting_down(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut stopping = self.stopping.subscribe();
        async move {
            let _ = stopping.wait_for(|s| *s).await;
        }
    }

    /// The conversion potential's model in use, if any.
    pub fn value_model(&self) -> Option<Arc<crate::value::Model>> {
        self.value_model.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts a newly fitted (or dropped) model in use, here and on the other app servers.
    pub async fn set_value_model(&self, model: Option<Arc<crate::value::Model>>) {
        self.set_value_model_here(model);
        self.share(Committed::ValueModel).await;
    }

    pub(crate) fn set_value_model_here(&self, model: Option<Arc<crate::value::Model>>) {
        *self.value_model.write().unwrap_or_else(|e| e.into_inner()) = model;
    }

    pub fn publish(&self, event: LiveEvent) {
        // Nobody listening is fine.
        let _ = self.events.send(Arc::new(Published::new(event)));
    }

    async fn apply_to_view(&self, changes: Vec<ViewChange>) {
        let mut view = self.view.write().await;
        for change in changes {
            view.apply(change);
        }
    }

    /// Applies committed task changes that leave their leads as they were (a manual task
    /// made, a task done) to the views, and tells the pages of the people concerned.
    pub async fn apply_tasks(&self, tasks: Vec<TaskFacts>) {
        self.apply_facts(Vec::new(), tasks.into_iter().map(ViewChange::Task).collect()).await;
    }

    /// Applies committed changes that leave their leads as they were (feedback as it now
    /// stands, tasks) to the views, here and on the other app servers, and tells the pages of
    /// the tasks' owners (before and after).
    pub async fn apply_facts(&self, feedback: Vec<Feedback>, changes: Vec<ViewChange>) {
        if self.peers.sharing() {
            self.share(Committed::Facts { feedback: feedback.clone(), changes: changes.clone() }).await;
        }
        self.apply_facts_here(feedback, changes).await;
    }

    pub(crate) async fn apply_facts_here(&self, feedback: Vec<Feedback>, changes: Vec<ViewChange>) {
        let mut owners: Vec<String> = Vec::new();
        {
            let mut index = self.index.write().await;
            for f in feedback {
                index.put_feedback(f);
            }
            for change in &changes {
                if let ViewChange::Task(t) = change {
                    owners.extend(index.open_task(&t.id).and_then(|p| p.owner.clone()));
                    owners.extend(t.owner.clone());
                }
            }
            index.follow_changes(&changes);
            self.apply_to_view(changes).await;
        }
        owners.sort_unstable();
        owners.dedup();
        self.publish(LiveEvent::TasksChanged { owners });
    }

    /// Applies a committed write to the analytic view and the board index, here and on the
    /// other app servers, and tells open boards and dashboards — unless the views already hold
    /// this version of the lead or a newer one, when nothing changes. Answers whether it was
    /// applied.
    pub async fn apply(&self, change: LeadChange) -> bool {
        let shared = self.peers.sharing().then(|| change.clone());
        let applied = self.apply_here(change).await;
        if let Some(change) = shared {
            self.share(Committed::Lead { change: Box::new(change), gone: None }).await;
        }
        applied
    }

    /// A merge: the surviving lead's change, and the lead merged away leaves every board.
    pub async fn merged(&self, change: LeadChange, gone: &str) {
        if self.peers.sharing() {
            self.share(Committed::Lead { change: Box::new(change.clone()), gone: Some(gone.to_string()) }).await;
        }
        self.apply_here(change).await;
        self.gone_here(gone).await;
    }

    pub(crate) async fn gone_here(&self, code: &str) {
        let previous = self.index.write().await.remove(code);
        if let Some(previous) = previous {
            self.publish(LiveEvent::LeadGone { code: code.to_string(), previous: Box::new(previous) });
        }
    }

    pub(crate) async fn apply_here(&self, change: LeadChange) -> bool {
        let mut card = BoardCard::of_lead(&change.lead);
        let previous = {
            // The index's lock is held while the view follows, so two changes of one lead
            // are applied in one order everywhere.
            let mut index = self.index.write().await;
            let previous = index.get(&card.code).cloned();
            if previous.as_ref().is_some_and(|p| p.version >= card.version) {
                // A newer version of the lead got in first (read back by another write): this
                // write's status change is in the database all the same, and the weekly
                // report reads it from the index.
                for fact in &change.facts {
                    if let ViewChange::StageChange { lead, from, to, at } = fact {
                        index.record_move(lead, *from, *to, *at);
                    }
                }
                // An older version than the one held (not the same one again): its follow-ups,
                // status changes and tasks are not in the views. With several app servers this
                // happens when two of them write one lead at once; the follower reads the
                // views again.
                let older = previous.as_ref().is_some_and(|p| p.version > card.version);
                let brings_facts = change.facts.iter().any(|f| !matches!(f, ViewChange::Lead(_)));
                if older && brings_facts && self.peers.sharing() {
                    self.peers.stale.notify_one();
                }
                return false;
            }
            index.upsert_lead(&change.lead);
            index.follow_changes(&change.facts);
            // The card goes out with its tier after this change's follow-ups count.
            index.with_tiers(std::iter::once(&mut card), chrono::Utc::now());
            self.apply_to_view(change.facts).await;
            previous
        };
        let lead = change.lead;
        self.publish(LiveEvent::LeadChanged {
            code: lead.code.clone(),
            team: lead.team.clone(),
            owner: lead.owner.clone(),
            previous: previous.map(Box::new),
            card: Box::new(card),
        });
        true
    }

    /// Lets the views, here and on the other app servers, follow leads changed in bulk (a
    /// regrade), as they now stand in the database.
    pub async fn follow_bulk(&self, codes: &[String]) -> ApiResult<()> {
        self.follow_bulk_here(codes).await?;
        self.share(Committed::Leads { codes: codes.to_vec() }).await;
        Ok(())
    }

    /// Puts newly published settings in use, here and on the other app servers, with the
    /// leads they graded again; every open page computes with them at once.
    pub async fn settings_changed(&self, settings: WorkspaceSettings, regraded: &[String]) -> ApiResult<()> {
        self.settings_here(settings, regraded).await?;
        self.share(Committed::Settings { regraded: regraded.to_vec() }).await;
        Ok(())
    }

    pub(crate) async fn settings_here(&self, settings: WorkspaceSettings, regraded: &[String]) -> ApiResult<()> {
        *self.settings.write().await = settings.clone();
        self.follow_bulk_here(regraded).await?;
        self.publish(LiveEvent::SettingsChanged { settings: Box::new(settings), regraded: regraded.len() });
        Ok(())
    }

    /// Lets the views, here and on the other app servers, follow a spreadsheet import: the
    /// leads it made and their first tasks; open boards and dashboards reload.
    pub async fn follow_sheet_import(&self, codes: &[String], tasks: Vec<TaskFacts>, created: usize) -> ApiResult<()> {
        let ids = tasks.iter().map(|t| t.id.clone()).collect();
        self.follow_sheet_import_here(codes, tasks, created).await?;
        self.share(Committed::SheetImport { codes: codes.to_vec(), tasks: ids, created }).await;
        Ok(())
    }

    pub(crate) async fn follow_sheet_import_here(
        &self,
        codes: &[String],
        tasks: Vec<TaskFacts>,
        created: usize,
    ) -> ApiResult<()> {
        self.follow_bulk_here(codes).await?;
        {
            let mut view = self.view.write().await;
            for t in tasks {
                view.apply(ViewChange::Task(t));
            }
        }
        if created > 0 {
            self.publish(LiveEvent::Imported { leads: created });
        }
        Ok(())
    }

    pub(crate) async fn follow_bulk_here(&self, codes: &[String]) -> ApiResult<()> {
        for chunk in codes.chunks(2_000) {
            let leads = super::repo::leads::fetch_many(&self.db, chunk).await?;
            let mut index = self.index.write().await;
            let mut view = self.view.write().await;
            for lead in &leads {
                index.upsert_lead(lead);
                view.apply(ViewChange::Lead(crate::kpi::LeadFacts::of_lead(lead)));
            }
        }
        Ok(())
    }

    /// Lets the analytic view and the board index, here and on the other app servers, follow
    /// an import, and tells open boards and dashboards to reload.
    pub async fn follow_import(&self, changes: Vec<ViewChange>, codes: Vec<String>) -> ApiResult<()> {
        if self.peers.sharing() {
            self.follow_import_here(changes.clone(), codes.clone()).await?;
            self.share(Committed::Import { codes, changes }).await;
            Ok(())
        } else {
            self.follow_import_here(changes, codes).await
        }
    }

    pub(crate) async fn follow_import_here(&self, changes: Vec<ViewChange>, codes: Vec<String>) -> ApiResult<()> {
        let leads = codes.len();
        let leads_now = super::repo::leads::fetch_many(&self.db, &codes).await?;
        {
            // The leads first: their tasks and follow-ups join them.
            let mut index = self.index.write().await;
            for lead in &leads_now {
                index.upsert_lead(lead);
            }
            index.follow_changes(&changes);
        }
        self.apply_to_view(changes).await;
        // An import may bring feedback: the feedback pages read it all again.
        let feedback = super::repo::feedback::all(&self.db).await?;
        {
            let mut index = self.index.write().await;
            index.clear_feedback();
            for f in feedback {
                index.put_feedback(f);
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
