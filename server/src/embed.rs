//! The pipeline widget's own addresses (API.md "The pipeline widget"): its page
//! (`GET /embed/pipeline?key=…`), rendered by the server from the app's board component and
//! hydrated by the same wasm, framed only by the embed's origins; and its live stream
//! (`GET /embed/events?key=…`), its team's changes, ended the moment the embed is revoked.
//! Neither reads a session or sets a cookie: the key alone opens them.
use crate::state::{AppState, LiveEvent};
use app::i18n::Lang;
use app::server_fns::embed::EmbedView;
use app::ssr::defence::headers::{embed_policy, frame_ancestors};
use app::ssr::service::embeds::{self, Refused};
use app::wire::{PageEvent, EMBED_EVENTS_URL};
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::{provide_context, use_context};
use std::time::Duration;

/// How many live streams one embed may hold open at once (every screen and page showing it).
pub const MAX_STREAMS_PER_EMBED: usize = 500;

/// The widget's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/embed/pipeline", get(page)).route(EMBED_EVENTS_URL, get(events))
}

/// The key and language of a widget's address.
fn key_and_lang(query: Option<&str>) -> (String, Lang) {
    let q = app::embed::EmbedQuery::parse(query.unwrap_or(""));
    (q.key, q.lang)
}

/// The plain page of a key that opens nothing: 401 for an unknown key (framed by nobody), 410
/// for a revoked embed (framed by its own origins, so the intranet page shows why).
fn refused(status: StatusCode, lang: Lang, framed_by: &[String]) -> Response {
    let (title, text) = match (status, lang) {
        (StatusCode::GONE, Lang::Zh) => ("看板已停止共享", "此看板已停止共享，请联系 Genjin 管理员。"),
        (StatusCode::GONE, Lang::En) => {
            ("Board no longer shared", "This board is no longer shared. Please ask your Genjin admin.")
        }
        (_, Lang::Zh) => ("嵌入密钥无效", "这个嵌入密钥无效，请向 Genjin 管理员索取新的嵌入代码。"),
        (_, Lang::En) => {
            ("Embed key not valid", "This embed key is not valid. Please ask your Genjin admin for a new snippet.")
        }
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"/><meta name=\"referrer\" content=\"no-referrer\"/>\
         <link rel=\"stylesheet\" href=\"/pkg/genjin.css\"/><title>{title}</title></head>\
         <body class=\"embed-body\"><main class=\"embed\"><p class=\"notice error embed-revoked\" role=\"alert\" id=\"genjin-embed\">{text}</p></main></body></html>",
        lang.code()
    );
    let policy = format!(
        "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {}",
        frame_ancestors(framed_by)
    );
    let mut response = (status, Html(html)).into_response();
    if let Ok(v) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

/// `GET /embed/pipeline?key=KEY[&lang=en][&density=compact][&theme=dark]`.
async fn page(State(state): State<AppState>, RawQuery(query): RawQuery, req: Request) -> Response {
    let (key, lang) = key_and_lang(query.as_deref());
    let embed = match embeds::open(&state, &key).await {
        Ok(embed) => embed,
        Err(Refused::Unknown) => return refused(StatusCode::UNAUTHORIZED, lang, &[]),
        // A revoked key's page shows on the pages its embed was allowed on.
        Err(Refused::Revoked(gone)) => return refused(StatusCode::GONE, lang, &gone.origins),
    };
    let view: EmbedView = embeds::view(&state, &embed).await;
    let origins = embed.origins.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(view.clone());
            if let (Some(nonce), Some(res)) =
                (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
            {
                if let Ok(v) = HeaderValue::from_str(&embed_policy(&nonce, &origins)) {
                    res.insert_header(header::CONTENT_SECURITY_POLICY, v);
                }
            }
        },
        move || app::embed::embed_shell(options.clone()),
    );
    handler(req).await.into_response()
}

/// The change as the widget of `team` shows it: its team's leads (a lead leaving the team
/// goes; an import or new settings reload it), nothing else.
fn for_team(team: &str, event: LiveEvent) -> Option<PageEvent> {
    let of_team = |t: Option<&str>| t == Some(team);
    match event {
        LiveEvent::LeadChanged { team: t, previous, card, .. } if of_team(t.as_deref()) => {
            Some(PageEvent::LeadChanged { previous, card })
        }
        LiveEvent::LeadChanged { previous: Some(previous), .. } if of_team(previous.team.as_deref()) => {
            Some(PageEvent::LeadGone { previous })
        }
        LiveEvent::LeadGone { previous, .. } if of_team(previous.team.as_deref()) => {
            Some(PageEvent::LeadGone { previous })
        }
        LiveEvent::Imported { .. } | LiveEvent::SettingsChanged { .. } => Some(PageEvent::Resync),
        LiveEvent::LeadChanged { .. } | LiveEvent::LeadGone { .. } | LiveEvent::TasksChanged { .. } => None,
    }
}

/// What a widget's stream holds while it is open.
struct Listening {
    rx: tokio::sync::broadcast::Receiver<std::sync::Arc<app::ssr::state::Published>>,
    revoked: tokio::sync::watch::Receiver<std::collections::BTreeSet<String>>,
    embed: String,
    team: String,
    ended: bool,
    _slot: crate::api::events::StreamSlot,
}

/// `GET /embed/events?key=KEY`: the team's changes as [`PageEvent`]s; a last
/// [`PageEvent::Revoked`] when the embed is revoked, on this app server or another.
async fn events(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let (key, lang) = key_and_lang(query.as_deref());
    let embed = match embeds::open(&state, &key).await {
        Ok(embed) => embed,
        Err(Refused::Unknown) => return refused(StatusCode::UNAUTHORIZED, lang, &[]),
        Err(Refused::Revoked(_)) => return refused(StatusCode::GONE, lang, &[]),
    };
    let slot =
        match crate::api::events::StreamSlot::take_up_to(&state, &format!("embed:{}", embed.id), MAX_STREAMS_PER_EMBED)
        {
            Ok(slot) => slot,
            Err(e) => return e.into_response(),
        };
    let listening = Listening {
        rx: state.events.subscribe(),
        revoked: state.embeds.watch(),
        embed: embed.id,
        team: embed.team,
        ended: false,
        _slot: slot,
    };
    let stream = futures::stream::unfold(listening, |mut l| async move {
        if l.ended {
            return None;
        }
        loop {
            tokio::select! {
                received = l.rx.recv() => match received {
                    Ok(event) => {
                        if let Some(event) = for_team(&l.team, event.event.clone()) {
                            return Some((Ok::<_, std::convert::Infallible>(Event::default().data(event.encode())), l));
                        }
                    }
                    // A slow listener missed some: it reloads.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        return Some((Ok(Event::default().data(PageEvent::Resync.encode())), l));
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                },
                changed = l.revoked.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                    if l.revoked.borrow_and_update().contains(&l.embed) {
                        l.ended = true;
                        return Some((Ok(Event::default().data(PageEvent::Revoked.encode())), l));
                    }
                }
            }
        }
    });
    let stream = futures::StreamExt::take_until(stream, state.shutting_down());
    let mut response = Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response();
    // Proxies pass the stream on as it comes.
    response.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::board::BoardCard;

    fn card(team: &str) -> Box<BoardCard> {
        let lead: app::domain::lead::Lead = serde_json::from_value(serde_json::json!({
            "code": "LX202600001", "source": "web_form", "company": "上海华信科技有限公司",
            "owner": "r12", "team": team, "created_at": "2026-01-01T00:00:00Z",
            "status": "new", "status_since": "2026-01-01T00:00:00Z",
            "score": {"company_size": 0, "budget_match": 0, "urgency": 0, "decision_chain": 0, "total": 0, "grade": "C"},
            "grade": "C", "version": 2
        }))
        .unwrap();
        Box::new(BoardCard::of_lead(&lead))
    }

    fn changed(previous: Option<&str>, now: &str) -> LiveEvent {
        LiveEvent::LeadChanged {
            code: "LX202600001".into(),
            team: Some(now.into()),
            owner: Some("r12".into()),
            previous: previous.map(card),
            card: card(now),
        }
    }

    #[test]
    fn a_widget_hears_of_its_teams_leads_only() {
        assert!(matches!(for_team("t1", changed(None, "t1")), Some(PageEvent::LeadChanged { .. })));
        assert!(matches!(for_team("t1", changed(Some("t1"), "t2")), Some(PageEvent::LeadGone { .. })));
        assert_eq!(for_team("t1", changed(Some("t2"), "t2")), None);
        assert_eq!(for_team("t1", changed(None, "t2")), None);
        assert_eq!(for_team("t1", LiveEvent::TasksChanged { owners: vec!["r12".into()] }), None);
        assert_eq!(for_team("t1", LiveEvent::Imported { leads: 3 }), Some(PageEvent::Resync));
    }
}
