//! Server-sent events telling open boards and dashboards what changed, filtered to what the
//! listener may see: `GET /api/v1/events` in JSON for API clients, and `GET /rpc/events` in
//! the pages' binary wire ([`PageEvent`], see `app::wire`).
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Encoding, LiveEvent, Published};
use app::wire::PageEvent;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::Stream;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

#[utoipa::path(get, path = "/api/v1/events",
    responses((status = 200, description = "text/event-stream of `{kind, …}` changes"), (status = 401), (status = 429)))]
pub async fn events(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    stream_to(state, actor, Wire::Json)
}

/// The same changes for Genjin's own pages, as [`PageEvent`]s.
pub async fn page_events(
    State(state): State<AppState>,
    actor: Actor,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    stream_to(state, actor, Wire::Page)
}

/// What a stream speaks: the API's JSON or the pages' wire.
#[derive(Clone, Copy)]
enum Wire {
    Json,
    Page,
}

/// How a listener receives a change: as it is, or as a `lead_gone` (see [`as_seen_by`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Whole,
    Gone,
}

/// A change taken out of a listener's sight: the lead as the listener last saw it.
fn gone(event: &LiveEvent) -> Option<(String, Box<app::domain::board::BoardCard>)> {
    match event {
        LiveEvent::LeadChanged { code, previous: Some(previous), .. } | LiveEvent::LeadGone { code, previous } => {
            Some((code.clone(), previous.clone()))
        }
        _ => None,
    }
}

/// The page wire's form of a change.
fn page_event(event: &LiveEvent) -> PageEvent {
    match event.clone() {
        LiveEvent::LeadChanged { previous, card, .. } => PageEvent::LeadChanged { previous, card },
        LiveEvent::LeadGone { previous, .. } => PageEvent::LeadGone { previous },
        LiveEvent::Imported { .. } => PageEvent::Imported,
        LiveEvent::SettingsChanged { settings, .. } => PageEvent::Settings(settings),
        LiveEvent::TasksChanged { .. } => PageEvent::Tasks,
    }
}

/// The change as `wire` sends it to a listener who sees it as `seen`; encoded once for every
/// stream that sends the same.
fn encoded(published: &Published, seen: Seen, wire: Wire) -> Arc<str> {
    match (wire, seen) {
        (Wire::Json, Seen::Whole) => {
            published.encoded(Encoding::Json, |event| serde_json::to_string(event).unwrap_or_default())
        }
        (Wire::Json, Seen::Gone) => published.encoded(Encoding::JsonGone, |event| match gone(event) {
            Some((code, previous)) => {
                serde_json::to_string(&LiveEvent::LeadGone { code, previous }).unwrap_or_default()
            }
            None => serde_json::to_string(event).unwrap_or_default(),
        }),
        (Wire::Page, Seen::Whole) => published.encoded(Encoding::Page, |event| page_event(event).encode()),
        (Wire::Page, Seen::Gone) => published.encoded(Encoding::PageGone, |event| match gone(event) {
            Some((_, previous)) => PageEvent::LeadGone { previous }.encode(),
            None => page_event(event).encode(),
        }),
    }
}

/// The word a listener that fell behind gets: reload.
fn resync(wire: Wire) -> String {
    match wire {
        Wire::Json => r#"{"kind":"resync"}"#.to_string(),
        Wire::Page => PageEvent::Resync.encode(),
    }
}

/// How many event streams one user may hold open at once (a few tabs and devices).
pub const MAX_STREAMS_PER_USER: usize = 8;

/// A user's (or an embed's) place among the open event streams, given back when the stream
/// ends.
pub(crate) struct StreamSlot {
    streams: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
    user: String,
}

impl StreamSlot {
    fn take(state: &AppState, user: &str) -> ApiResult<StreamSlot> {
        StreamSlot::take_up_to(state, user, MAX_STREAMS_PER_USER)
    }

    /// A place for `holder`, who may hold `most` streams at once.
    pub(crate) fn take_up_to(state: &AppState, holder: &str, most: usize) -> ApiResult<StreamSlot> {
        let user = holder;
        let mut open = state.streams.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(user.to_string()).or_default();
        if *n >= most {
            return Err(ApiError::Limit(format!("at most {most} live event streams at once")));
        }
        *n += 1;
        Ok(StreamSlot { streams: state.streams.clone(), user: user.to_string() })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.streams.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.user);
            }
        }
    }
}

/// The changes `actor` may see, in `wire` (a listener that fell behind is told to reload).
/// The stream owns its receiver and its slot: when the client goes away the response is
/// dropped, and with it both — no task lives on for a quiet listener.
fn stream_to(
    state: AppState,
    actor: Actor,
    wire: Wire,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let slot = StreamSlot::take(&state, &actor.user)?;
    let rx = state.events.subscribe();
    let stopping = state.shutting_down();
    let stream = futures::stream::unfold((rx, actor, slot), move |(mut rx, actor, slot)| async move {
        loop {
            let event = match rx.recv().await {
                Ok(published) => match as_seen_by(&actor, &published.event) {
                    Some(seen) => Event::default().data(&*encoded(&published, seen, wire)),
                    None => continue,
                },
                // A slow listener missed some: tell it to reload.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => Event::default().data(resync(wire)),
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            };
            return Some((Ok(event), (rx, actor, slot)));
        }
    });
    // A shutting-down app server ends its streams (clients reconnect to another).
    let stream = futures::StreamExt::take_until(stream, stopping);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// How `actor` may receive the event: a lead the listener can see as it is, a lead it could
/// see before the change (and no longer can) as gone — only what it already saw — or not at
/// all.
fn as_seen_by(actor: &Actor, event: &LiveEvent) -> Option<Seen> {
    match event {
        LiveEvent::LeadChanged { owner, team, .. } if actor.can_see(owner.as_deref(), team.as_deref()) => {
            Some(Seen::Whole)
        }
        LiveEvent::LeadChanged { previous: Some(previous), .. }
            if actor.can_see(previous.owner.as_deref(), previous.team.as_deref()) =>
        {
            Some(Seen::Gone)
        }
        LiveEvent::LeadChanged { .. } => None,
        LiveEvent::LeadGone { .. } | LiveEvent::Imported { .. } | LiveEvent::SettingsChanged { .. } => {
            Some(Seen::Whole)
        }
        // A rep hears of their own tasks; managers and admins of every rep's (their pages
        // re-read what they may see).
        LiveEvent::TasksChanged { owners }
            if actor.role != app::domain::enums::Role::Rep
                || actor.rep.as_ref().is_some_and(|r| owners.contains(r)) =>
        {
            Some(Seen::Whole)
        }
        LiveEvent::TasksChanged { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::board::BoardCard;
    use app::domain::enums::Role;

    fn card(owner: &str, team: &str) -> Box<BoardCard> {
        let lead: app::domain::lead::Lead = serde_json::from_value(serde_json::json!({
            "code": "LX202600001", "source": "web_form", "company": "上海华信科技有限公司",
            "owner": owner, "team": team, "created_at": "2026-01-01T00:00:00Z",
            "status": "new", "status_since": "2026-01-01T00:00:00Z",
            "score": {"company_size": 0, "budget_match": 0, "urgency": 0, "decision_chain": 0, "total": 0, "grade": "C"},
            "grade": "C", "version": 2
        }))
        .unwrap();
        Box::new(BoardCard::of_lead(&lead))
    }

    fn changed(owner: &str, team: &str, previous: Option<Box<BoardCard>>) -> LiveEvent {
        LiveEvent::LeadChanged {
            code: "LX202600001".into(),
            team: Some(team.into()),
            owner: Some(owner.into()),
            previous,
            card: card(owner, team),
        }
    }

    fn actor(role: Role, rep: &str, team: &str) -> Actor {
        Actor { user: rep.into(), name: rep.into(), role, rep: Some(rep.into()), teams: vec![team.into()] }
    }

    #[test]
    fn a_listener_hears_only_of_leads_it_may_see() {
        let rep = actor(Role::Rep, "r14", "t1");
        let manager = actor(Role::Manager, "r21", "t2");
        assert_eq!(as_seen_by(&rep, &changed("r14", "t1", None)), Some(Seen::Whole));
        assert!(as_seen_by(&rep, &changed("r12", "t1", None)).is_none(), "a teammate's lead");
        assert!(as_seen_by(&manager, &changed("r12", "t1", None)).is_none(), "another team's lead");
        assert_eq!(as_seen_by(&manager, &changed("r22", "t2", None)), Some(Seen::Whole));
    }

    #[test]
    fn a_lead_handed_away_is_gone_for_whoever_saw_it_before() {
        let rep = actor(Role::Rep, "r14", "t1");
        let handed = changed("r12", "t1", Some(card("r14", "t1")));
        assert_eq!(as_seen_by(&rep, &handed), Some(Seen::Gone));
        let published = Published::new(handed);
        let json: serde_json::Value = serde_json::from_str(&encoded(&published, Seen::Gone, Wire::Json)).unwrap();
        assert_eq!(json["kind"], "lead_gone");
        assert_eq!(json["previous"]["owner"], "r14");
        match PageEvent::decode(&encoded(&published, Seen::Gone, Wire::Page)) {
            Some(PageEvent::LeadGone { previous }) => assert_eq!(previous.owner.as_deref(), Some("r14")),
            other => panic!("expected the page's lead_gone, got {other:?}"),
        }
        // The new owner's listeners hear the lead as it now is.
        let whole: serde_json::Value = serde_json::from_str(&encoded(&published, Seen::Whole, Wire::Json)).unwrap();
        assert_eq!(whole["kind"], "lead_changed");
        assert_eq!(whole["card"]["owner"], "r12");
        let stranger = actor(Role::Rep, "r33", "t3");
        assert!(as_seen_by(&stranger, &changed("r12", "t1", Some(card("r14", "t1")))).is_none());
    }

    #[test]
    fn a_change_is_encoded_once_for_every_stream_that_sends_it() {
        let published = Published::new(changed("r14", "t1", None));
        let first = encoded(&published, Seen::Whole, Wire::Page);
        let again = encoded(&published, Seen::Whole, Wire::Page);
        assert!(Arc::ptr_eq(&first, &again), "the second stream sends the first one's encoding");
        assert!(!Arc::ptr_eq(&first, &encoded(&published, Seen::Whole, Wire::Json)));
    }
}
