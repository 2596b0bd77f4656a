//! `GET /api/v1/events`: server-sent events telling open boards and dashboards what changed,
//! filtered to what the listener may see.
use crate::auth::Actor;
use crate::state::{AppState, LiveEvent};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::Stream;
use std::convert::Infallible;
use std::time::Duration;

#[utoipa::path(get, path = "/api/v1/events",
    responses((status = 200, description = "text/event-stream of `{kind, …}` changes"), (status = 401)))]
pub async fn events(State(state): State<AppState>, actor: Actor) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut rx = state.events.subscribe();
    let stream = async_stream(move |tx| async move {
        loop {
            match rx.recv().await {
                Ok(event) => {
                    if let Some(event) = as_seen_by(&actor, event) {
                        let data = serde_json::to_string(&event).unwrap_or_default();
                        if tx.send(Ok(Event::default().data(data))).await.is_err() {
                            break;
                        }
                    }
                }
                // A slow listener missed some: tell it to reload.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    if tx.send(Ok(Event::default().data(r#"{"kind":"resync"}"#))).await.is_err() {
                        break;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
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
