//! The pipeline widget's embeds (PRODUCT.md §15): admins create them for a team with the
//! intranet origins allowed to frame the widget (the key shown once, stored hashed), list them
//! with their last use, and revoke them; a widget opens by its key alone — no session, no
//! cookie — and stops the moment its embed is revoked, on every app server (`peers`).
use crate::domain::embed::{Embed, NewEmbed};
use crate::domain::validate::ProblemCode;
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::embeds as repo;
use crate::ssr::secrets::{hash_token, new_token};
use crate::ssr::state::AppState;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use tokio::sync::watch;

/// What each app server knows of the embeds beyond the database: which are revoked (open
/// widgets watch it and stop when theirs joins), and when each was last marked used.
pub struct EmbedGate {
    revoked: watch::Sender<BTreeSet<String>>,
    marked: Mutex<HashMap<String, DateTime<Utc>>>,
}

impl Default for EmbedGate {
    fn default() -> Self {
        EmbedGate { revoked: watch::Sender::new(BTreeSet::new()), marked: Mutex::new(HashMap::new()) }
    }
}

impl EmbedGate {
    /// Watches the revoked embeds (an open widget's stream ends when its embed joins them).
    pub fn watch(&self) -> watch::Receiver<BTreeSet<String>> {
        self.revoked.subscribe()
    }

    pub fn is_revoked(&self, id: &str) -> bool {
        self.revoked.borrow().contains(id)
    }

    /// Takes the revoked embeds as the database lists them; open widgets of any newly revoked
    /// one are told.
    pub fn set_revoked(&self, ids: impl IntoIterator<Item = String>) {
        let ids: BTreeSet<String> = ids.into_iter().collect();
        self.revoked.send_if_modified(|now| {
            if *now == ids {
                false
            } else {
                *now = ids;
                true
            }
        });
    }

    pub(crate) fn add_revoked(&self, id: &str) {
        self.revoked.send_if_modified(|now| now.insert(id.to_string()));
    }

    /// Whether a use at `at` should be written (at most once a minute an embed).
    fn should_mark(&self, id: &str, at: DateTime<Utc>) -> bool {
        let mut marked = self.marked.lock().unwrap_or_else(|e| e.into_inner());
        match marked.get(id) {
            Some(last) if at - *last < Duration::minutes(1) => false,
            _ => {
                marked.insert(id.to_string(), at);
                true
            }
        }
    }
}

/// Why a key opens no widget.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    /// No embed has this key (401).
    Unknown,
    /// Its embed was revoked (410).
    Revoked(Box<Embed>),
}

fn audit(actor: &Actor, id: &str, field: &str, new: Value) -> Doc {
    Doc::new()
        .time("at", Utc::now())
        .set("actor", actor.user.clone())
        .set("record", format!("embed:{id}"))
        .set("field", field.to_string())
        .set("old", Value::Null)
        .set("new", new)
}

/// Every embed, newest first (admins).
pub async fn embeds(state: &AppState, actor: &Actor) -> ApiResult<Vec<Embed>> {
    actor.require_admin()?;
    Ok(repo::embeds(&state.db).await?)
}

/// A new embed and its key, which is never shown again.
#[derive(Debug, Clone)]
pub struct Created {
    pub embed: Embed,
    pub key: String,
}

/// Creates an embed of an existing team (admins).
pub async fn create(state: &AppState, actor: &Actor, new: NewEmbed) -> ApiResult<Created> {
    actor.require_admin()?;
    let teams = crate::ssr::repo::people::teams(&state.db).await?;
    if !teams.iter().any(|t| t.key == new.team) {
        return Err(ApiError::invalid("team", ProblemCode::UnknownValue, format!("there is no team `{}`", new.team)));
    }
    let key = format!("gje_{}", &new_token()[3..]);
    let id = format!("e{}", &new_token()[3..19]);
    let doc = Doc::new()
        .set("key", id.clone())
        .set("name", new.name.clone())
        .set("team", new.team.clone())
        .strings("origins", &new.origins)
        .set("key_hash", hash_token(&key))
        .time("created_at", Utc::now())
        .set("created_by", actor.user.clone());
    let what = json!({"name": new.name, "team": new.team, "origins": new.origins});
    repo::create(&state.db, &id, doc, audit(actor, &id, "created", what)).await?;
    let embed =
        repo::embed(&state.db, &id).await?.ok_or_else(|| ApiError::Internal("the new embed is missing".into()))?;
    Ok(Created { embed, key })
}

/// Revokes an embed (admins): its key opens nothing from now on and every open widget of it
/// stops. Revoking it again changes nothing.
pub async fn revoke(state: &AppState, actor: &Actor, id: &str) -> ApiResult<Embed> {
    actor.require_admin()?;
    if repo::embed(&state.db, id).await?.is_none() {
        return Err(ApiError::NotFound(format!("no embed `{id}`")));
    }
    repo::revoke(&state.db, id, Utc::now(), &actor.user, audit(actor, id, "revoked", json!(true))).await?;
    state.embeds.add_revoked(id);
    state.share(crate::ssr::peers::Committed::EmbedRevoked { id: id.to_string() }).await;
    repo::embed(&state.db, id).await?.ok_or_else(|| ApiError::NotFound(format!("no embed `{id}`")))
}

/// The embed a widget's key opens, noting its use; why not when it opens none.
pub async fn open(state: &AppState, key: &str) -> Result<Embed, Refused> {
    if key.is_empty() || key.len() > 200 {
        return Err(Refused::Unknown);
    }
    let embed = match repo::by_key_hash(&state.db, &hash_token(key)).await {
        Ok(Some(e)) => e,
        Ok(None) => return Err(Refused::Unknown),
        Err(e) => {
            tracing::warn!("reading an embed failed: {e}");
            return Err(Refused::Unknown);
        }
    };
    if embed.is_revoked() || state.embeds.is_revoked(&embed.id) {
        return Err(Refused::Revoked(Box::new(embed)));
    }
    let now = Utc::now();
    if state.embeds.should_mark(&embed.id, now) {
        if let Err(e) = repo::used(&state.db, &embed.id, now).await {
            tracing::warn!("noting an embed's use failed: {e}");
        }
    }
    Ok(embed)
}

/// The widget's board: its team's leads.
fn team_filter(embed: &Embed) -> crate::domain::board::BoardFilter {
    crate::domain::board::BoardFilter { team: Some(embed.team.clone()), ..Default::default() }
}

/// The embed's team's board, read-only, as the widget shows it: the columns with their counts
/// and amounts, the first cards of each (no contact details: a card carries none), each card's
/// activity tier; and what the browser computes stale marks with.
pub async fn view(state: &AppState, embed: &Embed) -> crate::server_fns::embed::EmbedView {
    use crate::domain::board::{build, PAGE};
    let now = Utc::now();
    let filter = team_filter(embed);
    let board = {
        let index = state.index.read().await;
        let mut board = build(index.cards(), &filter, PAGE, now);
        index.with_tiers(board.columns.iter_mut().flat_map(|c| c.cards.iter_mut()), now);
        board
    };
    let (settings, utc_offset) = {
        use chrono::{Offset, TimeZone};
        let s = state.settings.read().await;
        // Only what the widget computes with: the cadence's stage limits, the time zone.
        let settings = crate::settings::WorkspaceSettings {
            time_zone: s.time_zone.clone(),
            cadence: s.cadence.clone(),
            ..Default::default()
        };
        (settings, s.tz().offset_from_utc_datetime(&now.naive_utc()).fix().local_minus_utc())
    };
    let team_name = match crate::ssr::repo::people::teams(&state.db).await {
        Ok(teams) => teams.into_iter().find(|t| t.key == embed.team).map_or_else(|| embed.team.clone(), |t| t.name),
        Err(_) => embed.team.clone(),
    };
    crate::server_fns::embed::EmbedView {
        team: embed.team.clone(),
        team_name,
        origins: embed.origins.clone(),
        board,
        settings,
        utc_offset,
    }
}

/// The next cards of one of the widget's columns.
pub async fn column(
    state: &AppState,
    embed: &Embed,
    status: crate::domain::enums::Status,
    offset: usize,
) -> Vec<crate::domain::board::BoardCard> {
    use crate::domain::board::{page, PAGE};
    let filter = team_filter(embed);
    let index = state.index.read().await;
    let mut cards = page(index.cards(), status, &filter, offset, PAGE);
    index.with_tiers(cards.iter_mut(), Utc::now());
    cards
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revocation_reaches_the_watchers_once() {
        let gate = EmbedGate::default();
        let mut rx = gate.watch();
        assert!(!gate.is_revoked("e1"));
        gate.add_revoked("e1");
        assert!(rx.has_changed().unwrap());
        assert!(rx.borrow_and_update().contains("e1"));
        gate.set_revoked(["e1".to_string()]);
        assert!(!rx.has_changed().unwrap(), "the same list tells nobody");
        gate.set_revoked(Vec::new());
        assert!(!gate.is_revoked("e1"));
    }

    #[test]
    fn a_use_is_written_at_most_once_a_minute() {
        let gate = EmbedGate::default();
        let at = Utc::now();
        assert!(gate.should_mark("e1", at));
        assert!(!gate.should_mark("e1", at + Duration::seconds(30)));
        assert!(gate.should_mark("e2", at));
        assert!(gate.should_mark("e1", at + Duration::seconds(61)));
    }
}
