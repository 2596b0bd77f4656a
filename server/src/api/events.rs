//! Server-sent events telling open boards and dashboards what changed, filtered to what the
//! listener may see: `GET /api/v1/events` in JSON for API clients, and `GET /rpc/events` in
//! the pages' binary wire ([`PageEvent`], see `app::wire`).
use crate::auth::Actor;
use crate::state::{AppState, LiveEvent};
use app::wire::PageEvent;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::Stream;
use std::convert::Infallible;
use std::time::Duration;

#[utoipa::path(get, path = "/api/v1/events",
    responses((status = 200, description = "text/event-stream of `{kind, …}` changes"), (status = 401)))]
pub async fn events(State(state): State<AppState>, actor: Actor) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    stream_to(state, actor, |event| match event {
        Some(event) => serde_json::to_string(&event).unwrap_or_default(),
        None => r#"{"kind":"resync"}"#.to_string(),
    })
}

/// The same changes for Genjin's own pages, as [`PageEvent`]s.
pub async fn page_events(
    State(state): State<AppState>,
    actor: Actor,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    stream_to(state, actor, |event| {
        match event {
            Some(LiveEvent::LeadChanged { previous, card, .. }) => PageEvent::LeadChanged { previous, card },
            Some(LiveEvent::LeadGone { previous, .. }) => PageEvent::LeadGone { previous },
            Some(LiveEvent::Imported { .. }) => PageEvent::Imported,
            None => PageEvent::Resync,
        }
        .encode()
    })
}

/// The changes `actor` may see, each written by `data` (`None`: the listener fell behind and
/// should reload).
fn stream_to(
    state: AppState,
    actor: Actor,
    data: impl Fn(Option<LiveEvent>) -> String + Send + 'static,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut rx = state.events.subscribe();
    let stream = async_stream(move |tx| async move {
        loop {
            let line = match rx.recv().await {
                Ok(event) => match as_seen_by(&actor, event) {
                    Some(event) => data(Some(event)),
                    None => continue,
                },
                // A slow listener missed some: tell it to reload.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => data(None),
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            };
            if tx.send(Ok(Event::default().data(line))).await.is_err() {
                break;
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// The event as `actor` may receive it: a lead the listener can see, or a `lead_gone` for a
/// lead it could see before the change (only what it already saw), or nothing.
fn as_seen_by(actor: &Actor, event: LiveEvent) -> Option<LiveEvent> {
    match event {
        LiveEvent::LeadChanged { ref owner, ref team, .. } if actor.can_see(owner.as_deref(), team.as_deref()) => {
            Some(event)
        }
        LiveEvent::LeadChanged { code, previous: Some(previous), .. }
            if actor.can_see(previous.owner.as_deref(), previous.team.as_deref()) =>
        {
            Some(LiveEvent::LeadGone { code, previous })
        }
        LiveEvent::LeadChanged { .. } => None,
        LiveEvent::LeadGone { .. } | LiveEvent::Imported { .. } => Some(event),
    }
}

/// A stream fed by a task through a small channel.
fn async_stream<F, Fut>(f: F) -> impl Stream<Item = Result<Event, Infallible>>
where
    F: FnOnce(tokio::sync::mpsc::Sender<Result<Event, Infallible>>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    tokio::spawn(f(tx));
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
}
