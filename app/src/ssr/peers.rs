//! Several app servers on one database (a SurrealDB server or cluster behind `--db ws://…`).
//!
//! Each app server keeps its analytic view, lead index, settings and live events in memory.
//! Every change it commits goes out as one [`Committed`] — the same value it applies itself —
//! written to the `change` table; every other app server follows those rows and applies them
//! through the same functions, so their boards, KPIs and pages agree within a second:
//!
//! - [`Follow::Live`]: LIVE SELECT on `change`, for a single SurrealDB node (which sees every
//!   write);
//! - [`Follow::Changefeed`]: the table's change feed read by versionstamp, for a TiKV-backed
//!   cluster, where a live query fires only on the node that took the write.
//!
//! Applying is idempotent: a lead's change is applied only over an older version of the lead,
//! and tasks and feedback are read again from the database rather than taken from the row.
//! When changes may have been missed (the connection to the database dropped, the change feed
//! was left unread too long), the app server reads its views again from the database, in one
//! read transaction, and swaps them in; the changes it commits meanwhile are applied again to
//! the new views.
use crate::domain::feedback::Feedback;
use crate::kpi::ViewChange;
use crate::ssr::error::ApiResult;
use crate::ssr::repo;
use crate::ssr::state::{AppState, LeadChange};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How an app server follows the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// Alone on its database (embedded storage): nothing to share or follow.
    Off,
    /// LIVE SELECT on the `change` table: one SurrealDB node.
    Live,
    /// The `change` table's change feed, by versionstamp: a SurrealDB cluster.
    Changefeed,
}

impl std::str::FromStr for Follow {
    type Err = String;
    fn from_str(s: &str) -> Result<Follow, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" => Ok(Follow::Off),
            "live" => Ok(Follow::Live),
            "changefeed" | "change-feed" => Ok(Follow::Changefeed),
            other => Err(format!("`{other}` is not a way to follow other app servers: off, live or changefeed")),
        }
    }
}

impl Follow {
    /// What an app server does unless told: on a database server it follows by live query;
    /// embedded storage is this process's alone.
    pub fn default_for(db_url: &str) -> Follow {
        let remote = ["ws://", "wss://", "http://", "https://"].iter().any(|p| db_url.starts_with(p));
        if remote {
            Follow::Live
        } else {
            Follow::Off
        }
    }
}

/// A committed change as every app server applies it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Committed {
    /// A lead created, edited, moved, followed up or merged into (`gone`: the lead merged
    /// away, which leaves every board).
    Lead {
        change: Box<LeadChange>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gone: Option<String>,
    },
    /// Tasks and feedback that leave their leads as they were.
    Facts { feedback: Vec<Feedback>, changes: Vec<ViewChange> },
    /// Leads changed in bulk (a regrade), read again as they stand.
    Leads { codes: Vec<String> },
    /// A history import: its leads (read again) and the facts it brought.
    Import { codes: Vec<String>, changes: Vec<ViewChange> },
    /// A spreadsheet import: the leads it made (read again) and their first tasks.
    SheetImport { codes: Vec<String>, tasks: Vec<String>, created: usize },
    /// The workspace's settings changed; `regraded` leads were graded again.
    Settings { regraded: Vec<String> },
    /// The conversion potential's model was fitted again (or dropped).
    ValueModel,
    /// An embed of the pipeline widget was revoked.
    EmbedRevoked { id: String },
    /// The workspace became the demo.
    Demo,
    /// Too much to say in a row (a large import): every app server reads its views again.
    Everything,
}

/// A change's row stays under this size; a larger one (an import of thousands of leads) goes
/// out as [`Committed::Everything`].
const MAX_BODY: usize = 4 << 20;

/// How an app server shares its changes and knows the changes it made while it read its views
/// again.
pub struct Peers {
    pub follow: Follow,
    /// This app server's name in the rows it writes.
    pub origin: String,
    /// While the views are read again, the changes this app server commits meanwhile.
    pending: std::sync::Mutex<Option<Vec<Committed>>>,
    /// Told when a change came after a newer version of its lead (two app servers wrote the
    /// lead at once): its follow-ups, status changes and tasks are in the database but not in
    /// the views, so the follower reads them again.
    pub(crate) stale: tokio::sync::Notify,
}

impl Peers {
    pub fn new(follow: Follow) -> Peers {
        Peers {
            follow,
            origin: crate::ssr::secrets::new_token()[..16].to_string(),
            pending: Default::default(),
            stale: tokio::sync::Notify::new(),
        }
    }

    pub fn sharing(&self) -> bool {
        self.follow != Follow::Off
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Option<Vec<Committed>>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for Peers {
    fn default() -> Peers {
        Peers::new(Follow::Off)
    }
}

impl AppState {
    /// Tells the other app servers of a change this one committed and applied. A failure to
    /// write it (the database gone) is logged: the write stands, and the others read their
    /// views again when they reconnect.
    pub async fn share(&self, change: Committed) {
        if !self.peers.sharing() {
            return;
        }
        if let Some(pending) = self.peers.pending().as_mut() {
            pending.push(change.clone());
        }
        let body = match serde_json::to_string(&change) {
            Ok(body) if body.len() <= MAX_BODY => body,
            _ => serde_json::to_string(&Committed::Everything).unwrap_or_default(),
        };
        if let Err(e) = repo::peers::share(&self.db, &self.peers.origin, body).await {
            tracing::warn!("could not tell the other app servers of a change: {e}");
        }
    }

    /// Applies a change another app server committed (or this one, again after its views were
    /// read anew), through the functions its own writes use.
    pub async fn follow(&self, change: Committed) -> ApiResult<()> {
        match change {
            Committed::Lead { mut change, gone } => {
                self.refresh_facts(&mut change.facts).await?;
                self.apply_here(*change).await;
                if let Some(code) = gone {
                    self.gone_here(&code).await;
                }
            }
            Committed::Facts { feedback, mut changes } => {
                let ids: Vec<String> = feedback.iter().map(|f| f.id.clone()).collect();
                let feedback = repo::feedback::by_ids(&self.db, &ids).await?;
                self.refresh_facts(&mut changes).await?;
                self.apply_facts_here(feedback, changes).await;
            }
            Committed::Leads { codes } => self.follow_bulk_here(&codes).await?,
            Committed::Import { codes, changes } => {
                // An import read whole already (the views were read again since) would count
                // its follow-ups twice: read everything again instead.
                let known = {
                    let index = self.index.read().await;
                    codes.iter().any(|c| index.get(c).is_some())
                };
                if known {
                    self.reload().await?;
                } else {
                    self.follow_import_here(changes, codes).await?;
                }
            }
            Committed::SheetImport { codes, tasks, created } => {
                let tasks = repo::tasks::facts_by_ids(&self.db, &tasks).await?;
                self.follow_sheet_import_here(&codes, tasks, created).await?;
            }
            Committed::Settings { regraded } => {
                let settings = repo::settings::load(&self.db).await?;
                self.settings_here(settings, &regraded).await?;
            }
            Committed::ValueModel => {
                let model = repo::value::model(&self.db).await?.map(std::sync::Arc::new);
                self.set_value_model_here(model);
            }
            Committed::EmbedRevoked { id } => self.embeds.add_revoked(&id),
            Committed::Demo => self.demo.store(true, std::sync::atomic::Ordering::Relaxed),
            Committed::Everything => self.reload().await?,
        }
        Ok(())
    }

    /// Replaces the tasks and feedback a change carries by what the database holds now, so a
    /// change that arrives after a later one does not undo it.
    async fn refresh_facts(&self, changes: &mut [ViewChange]) -> ApiResult<()> {
        let tasks: Vec<String> = changes
            .iter()
            .filter_map(|c| if let ViewChange::Task(t) = c { Some(t.id.clone()) } else { None })
            .collect();
        let feedback: Vec<String> = changes
            .iter()
            .filter_map(|c| if let ViewChange::Feedback(f) = c { Some(f.id.clone()) } else { None })
            .collect();
        if tasks.is_empty() && feedback.is_empty() {
            return Ok(());
        }
        let tasks: std::collections::HashMap<String, crate::kpi::TaskFacts> =
            repo::tasks::facts_by_ids(&self.db, &tasks).await?.into_iter().map(|t| (t.id.clone(), t)).collect();
        let feedback: std::collections::HashMap<String, crate::kpi::FeedbackFacts> =
            repo::feedback::by_ids(&self.db, &feedback)
                .await?
                .iter()
                .map(|f| (f.id.clone(), crate::ssr::service::feedback::facts_of(f)))
                .collect();
        for change in changes.iter_mut() {
            match change {
                ViewChange::Task(t) => {
                    if let Some(now) = tasks.get(&t.id) {
                        *t = now.clone();
                    }
                }
                ViewChange::Feedback(f) => {
                    if let Some(now) = feedback.get(&f.id) {
                        *f = now.clone();
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Reads the views, settings and the rest again from the database (in one read
    /// transaction) and swaps them in; the changes this app server commits meanwhile are
    /// applied again to the new views. Open boards and dashboards reload.
    pub async fn reload(&self) -> ApiResult<()> {
        let started = std::time::Instant::now();
        *self.peers.pending() = Some(Vec::new());
        let loaded = crate::ssr::repo::view::load(&self.db).await;
        let (view, index) = match loaded {
            Ok(v) => v,
            Err(e) => {
                *self.peers.pending() = None;
                return Err(e.into());
            }
        };
        let settings = repo::settings::load(&self.db).await?;
        let demo = repo::settings::is_demo(&self.db).await?;
        let model = repo::value::model(&self.db).await?.map(std::sync::Arc::new);
        let revoked = repo::embeds::revoked_ids(&self.db).await?;
        {
            let mut old_index = self.index.write().await;
            let mut old_view = self.view.write().await;
            *old_index = index;
            *old_view = view;
        }
        *self.settings.write().await = settings;
        self.demo.store(demo, std::sync::atomic::Ordering::Relaxed);
        self.set_value_model_here(model);
        self.embeds.set_revoked(revoked);
        let pending = self.peers.pending().take().unwrap_or_default();
        let again = pending.len();
        for change in pending {
            // Applied again (boxed: a change may itself ask for everything to be read again).
            Box::pin(self.follow(change)).await?;
        }
        tracing::info!(elapsed = ?started.elapsed(), again, "views read again from the database");
        self.publish(crate::ssr::state::LiveEvent::Imported { leads: 0 });
        Ok(())
    }
}

/// Where a follower reads the other app servers' changes from.
pub enum Feed {
    Live(Box<dyn futures::Stream<Item = repo::peers::LiveRow> + Send + Unpin>),
    /// The change feed from this versionstamp on (inclusive), and when it was last read.
    Changefeed {
        next: u64,
        read_at: std::time::Instant,
    },
}

/// How often the change feed is read.
pub const FEED_EVERY: Duration = Duration::from_millis(200);
/// A follower away from the change feed longer than this may have lost changes to its
/// retention (an hour): it reads everything again.
const FEED_STALE: Duration = Duration::from_secs(30 * 60);
/// Change sets read at once from the change feed.
const FEED_PAGE: u32 = 500;

impl Feed {
    /// Starts following, from now: opened before the views are read, so no change falls in
    /// between (one read twice is applied once).
    pub async fn open(db: &crate::ssr::db::Db, follow: Follow) -> ApiResult<Option<Feed>> {
        Ok(match follow {
            Follow::Off => None,
            Follow::Live => Some(Feed::Live(Box::new(repo::peers::live(db).await?))),
            Follow::Changefeed => {
                Some(Feed::Changefeed { next: repo::peers::feed_end(db).await?, read_at: std::time::Instant::now() })
            }
        })
    }

    /// The next changes to follow; `Err` when some may have been missed.
    async fn next(&mut self, db: &crate::ssr::db::Db) -> Result<Vec<repo::peers::SharedRow>, String> {
        match self {
            Feed::Live(stream) => match stream.next().await {
                Some(repo::peers::LiveRow::Created(row)) => Ok(vec![row]),
                Some(repo::peers::LiveRow::Other) => Ok(Vec::new()),
                Some(repo::peers::LiveRow::Broken(e)) => Err(e),
                None => Err("the live query ended".into()),
            },
            Feed::Changefeed { next, read_at } => {
                if read_at.elapsed() > FEED_STALE {
                    return Err("the change feed went unread too long".into());
                }
                let (rows, last) = repo::peers::feed_page(db, *next, FEED_PAGE).await.map_err(|e| e.to_string())?;
                *read_at = std::time::Instant::now();
                match last {
                    Some(last) => *next = last + 1,
                    None => tokio::time::sleep(FEED_EVERY).await,
                }
                Ok(rows)
            }
        }
    }
}

/// Follows the other app servers' changes for as long as the app server runs. When changes
/// may have been missed it waits for the database, starts following again and reads its views
/// anew.
pub async fn run(state: AppState, mut feed: Feed) {
    let origin = state.peers.origin.clone();
    loop {
        // A change that came after a newer version of its lead (see `Peers::stale`): read
        // the views again, following from now.
        let next = tokio::select! {
            rows = feed.next(&state.db) => Some(rows),
            _ = state.peers.stale.notified() => None,
        };
        let Some(next) = next else {
            tracing::info!("a change came after a newer version of its lead: reading the views again");
            feed = resume(&state).await;
            continue;
        };
        match next {
            Ok(rows) => {
                for row in rows.into_iter().filter(|r| r.origin != origin) {
                    let change = match serde_json::from_str::<Committed>(&row.body) {
                        Ok(change) => change,
                        Err(e) => {
                            // A newer Genjin's change this one cannot read: read everything.
                            tracing::warn!(
                                "a change from app server {} is unreadable ({e}): reading everything again",
                                row.origin
                            );
                            Committed::Everything
                        }
                    };
                    if let Err(e) = state.follow(change).await {
                        // The rest of these rows are in what is read again.
                        tracing::warn!("following a change failed ({e}): reading everything again");
                        feed = resume(&state).await;
                        break;
                    }
                }
            }
            Err(e) => {
                tracing::warn!("following the other app servers stopped ({e}): reconnecting");
                feed = resume(&state).await;
            }
        }
    }
}

/// Starts following again and reads the views anew, retrying until the database answers.
async fn resume(state: &AppState) -> Feed {
    let mut wait = Duration::from_millis(250);
    loop {
        match Feed::open(&state.db, state.peers.follow).await {
            Ok(Some(feed)) => match state.reload().await {
                Ok(()) => return feed,
                Err(e) => tracing::warn!("reading the views again failed: {e}"),
            },
            Ok(None) => std::future::pending::<()>().await,
            Err(e) => tracing::debug!("the database is not back yet: {e}"),
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(5));
    }
}

/// Clears the `change` rows every app server has read, every minute.
pub async fn clear_old(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        every.tick().await;
        if let Err(e) = repo::peers::clear_old(&state.db).await {
            tracing::debug!("clearing old changes failed: {e}");
        }
    }
}
