//! The pipeline widget (API.md "The pipeline widget", PRODUCT.md §15): embeds made, listed and
//! revoked by admins; the widget's page and stream opened by the key alone, framed only by the
//! embed's origins, never sending a referrer or setting a cookie, showing one team's board
//! without contact details, live, and stopped the moment the embed is revoked.
use super::common::*;
use app::wire::PageEvent;
use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::time::Duration;
use tower::ServiceExt;

/// A GET through the router with extra headers: status, headers and the body as text.
async fn get(s: &TestServer, uri: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = s.app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

async fn create(s: &TestServer, team: &str) -> Value {
    let body = json!({"name": "销售部门户", "team": team, "origins": ["https://intranet.example.com", "http://127.0.0.2:4100"]});
    let a = s.post(ADMIN, "/api/v1/embeds", &body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    a.body
}

/// Every lead code of a team, through the API.
async fn codes_of(s: &TestServer, team: &str) -> Vec<String> {
    let a = s.get(ADMIN, &format!("/api/v1/leads?team={team}&limit=500")).await;
    a.body["items"].as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn an_admin_makes_an_embed_whose_key_is_shown_once_and_revokes_it() {
    let s = TestServer::with_sample().await;
    let made = create(&s, "t1").await;
    let key = made["key"].as_str().unwrap();
    assert!(key.starts_with("gje_") && key.len() > 40, "{key}");
    let snippet = made["snippet"].as_str().unwrap();
    assert!(snippet.contains("/embed.js") && snippet.contains(&format!("data-key=\"{key}\"")), "{snippet}");
    let id = made["id"].as_str().unwrap();

    // The list never carries the key or its hash.
    let list = s.get(ADMIN, "/api/v1/embeds").await;
    assert_eq!(list.status, StatusCode::OK);
    let text = list.body.to_string();
    assert!(!text.contains(key) && !text.contains("key_hash"), "{text}");
    let first = &list.body["items"][0];
    assert_eq!((first["id"].as_str(), first["team"].as_str()), (Some(id), Some("t1")));
    assert_eq!(first["origins"], json!(["https://intranet.example.com", "http://127.0.0.2:4100"]));
    assert!(first["last_used_at"].is_null() && first["revoked_at"].is_null());

    // Bad requests name the field; only admins manage embeds.
    for (body, path) in [
        (json!({"name": "门户", "team": "t9", "origins": ["https://a.cn"]}), "team"),
        (json!({"name": "门户", "team": "t1", "origins": ["https://a.cn/wiki"]}), "origins[0]"),
        (json!({"name": "门户", "team": "t1"}), "origins"),
        (json!({"team": "t1", "origins": ["https://a.cn"]}), "name"),
    ] {
        let a = s.post(ADMIN, "/api/v1/embeds", &body).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {a:?}");
        assert_eq!(a.body["error"]["details"][0]["path"], path, "{body}");
    }
    let manager = s.token_for("r11").await;
    assert_eq!(s.get(&manager, "/api/v1/embeds").await.status, StatusCode::FORBIDDEN);
    let body = json!({"name": "门户", "team": "t1", "origins": ["https://a.cn"]});
    assert_eq!(s.post(&manager, "/api/v1/embeds", &body).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.raw(Method::DELETE, &format!("/api/v1/embeds/{id}"), Some(&manager), Body::empty()).await.status,
        StatusCode::FORBIDDEN
    );

    // Opening the widget is its use.
    let (status, _, _) = get(&s, &format!("/embed/pipeline?key={key}"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!s.get(ADMIN, "/api/v1/embeds").await.body["items"][0]["last_used_at"].is_null());

    // Revoked: the key opens nothing, at once; revoking again changes nothing; the list says when.
    let a = s.raw(Method::DELETE, &format!("/api/v1/embeds/{id}"), Some(ADMIN), Body::empty()).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert!(a.body["revoked_at"].is_string());
    let (status, headers, page) = get(&s, &format!("/embed/pipeline?key={key}&lang=en"), &[]).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("no longer shared"), "{page}");
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(policy.ends_with("frame-ancestors https://intranet.example.com http://127.0.0.2:4100"), "{policy}");
    assert_eq!(get(&s, &format!("/embed/events?key={key}"), &[]).await.0, StatusCode::GONE);
    let again = s.raw(Method::DELETE, &format!("/api/v1/embeds/{id}"), Some(ADMIN), Body::empty()).await;
    assert_eq!((again.status, &again.body["revoked_at"]), (StatusCode::OK, &a.body["revoked_at"]));
    assert_eq!(
        s.raw(Method::DELETE, "/api/v1/embeds/enope", Some(ADMIN), Body::empty()).await.status,
        StatusCode::NOT_FOUND
    );
    // An unknown key: 401, a plain page nobody may frame.
    let (status, headers, page) = get(&s, "/embed/pipeline?key=gje_00", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("嵌入密钥无效"));
    assert!(headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().ends_with("frame-ancestors 'none'"));
    assert_eq!(get(&s, "/embed/pipeline", &[]).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&s, "/embed/events?key=", &[]).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_widget_shows_its_teams_board_without_contact_details_cookies_or_referrers() {
    let s = TestServer::with_sample().await;
    let made = create(&s, "t1").await;
    let key = made["key"].as_str().unwrap();
    // Whatever cookie the browser holds for Genjin, the widget neither reads nor sets one.
    let (status, headers, page) = get(
        &s,
        &format!("/embed/pipeline?key={key}&lang=en&density=compact&theme=dark"),
        &[("cookie", "genjin_session=forged")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(headers.get(header::SET_COOKIE).is_none());
    assert!(headers.get(header::X_FRAME_OPTIONS).is_none(), "frame-ancestors decides");
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(policy.ends_with("frame-ancestors https://intranet.example.com http://127.0.0.2:4100"), "{policy}");
    assert!(policy.contains("script-src 'self' 'nonce-"), "{policy}");
    assert!(page.contains("class=\"embed compact dark\""), "the look the address asks for");
    assert!(
        page.contains("Pipeline")
            && page.contains("data-origins=\"https://intranet.example.com http://127.0.0.2:4100\"")
    );
    assert!(!page.contains("/reminders.js") && !page.contains("class=\"topbar\""), "nothing of the app around it");

    // Team t1's cards, never t2's; no phone, e-mail or contact name of any lead.
    let (t1, t2) = (codes_of(&s, "t1").await, codes_of(&s, "t2").await);
    assert!(t1.iter().filter(|c| page.contains(c.as_str())).count() >= 10, "t1's newest cards are shown");
    assert!(t2.iter().all(|c| !page.contains(c.as_str())), "no card of another team");
    let bundle = fixture("sample-bundle.json");
    for lead in bundle["leads"].as_array().unwrap() {
        for field in ["phone", "email", "contact_name"] {
            if let Some(v) = lead[field].as_str().filter(|v| v.chars().count() > 2) {
                assert!(!page.contains(v), "{field} {v} is in the widget");
            }
        }
    }
    // The key opens the widget and nothing else of the app.
    let a = s.raw(Method::GET, "/api/v1/leads", Some(key), Body::empty()).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = get(&s, "/board", &[("cookie", &format!("genjin_session={key}"))]).await;
    assert_ne!(status, StatusCode::OK);
}

/// A widget's live stream, opened with its key.
async fn open_stream(s: &TestServer, key: &str) -> axum::http::Response<Body> {
    s.app.clone().oneshot(Request::get(format!("/embed/events?key={key}")).body(Body::empty()).unwrap()).await.unwrap()
}

/// The next event of a widget's stream, within `wait`.
async fn next_event(body: &mut Body, wait: Duration) -> Option<PageEvent> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame()).await.ok()??.ok()?;
        let Ok(data) = frame.into_data() else { continue };
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some(line) = text.lines().find_map(|l| l.strip_prefix("data:")) {
            return PageEvent::decode(line.trim());
        }
    }
}

#[tokio::test]
async fn the_widget_hears_its_teams_moves_live_and_stops_when_revoked() {
    let s = TestServer::with_sample().await;
    let made = create(&s, "t1").await;
    let (key, id) = (made["key"].as_str().unwrap(), made["id"].as_str().unwrap());
    let res = open_stream(&s, key).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/event-stream"));
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    let mut body = res.into_body();

    // A move of a t2 lead is not heard; a move of a t1 lead is, with its card.
    let lead_of = |team: &'static str| {
        let s = &s;
        async move {
            let a = s.get(ADMIN, &format!("/api/v1/leads?team={team}&status=new&limit=1")).await;
            a.body["items"][0].clone()
        }
    };
    let (theirs, ours) = (lead_of("t2").await, lead_of("t1").await);
    for lead in [&theirs, &ours] {
        let body = json!({"to": "contacted", "version": lead["version"]});
        let a = s.post(ADMIN, &format!("/api/v1/leads/{}/move", lead["code"].as_str().unwrap()), &body).await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
    }
    match next_event(&mut body, Duration::from_secs(5)).await {
        Some(PageEvent::LeadChanged { card, previous }) => {
            assert_eq!(card.code, ours["code"].as_str().unwrap(), "the t2 move went unheard");
            assert_eq!(card.status, app::domain::enums::Status::Contacted);
            assert_eq!(previous.map(|p| p.status), Some(app::domain::enums::Status::New));
        }
        other => panic!("expected the t1 move, got {other:?}"),
    }

    // Revoked: the stream says so and ends.
    let a = s.raw(Method::DELETE, &format!("/api/v1/embeds/{id}"), Some(ADMIN), Body::empty()).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(next_event(&mut body, Duration::from_secs(5)).await, Some(PageEvent::Revoked));
    let end = tokio::time::timeout(Duration::from_secs(5), body.frame()).await.expect("the stream ends");
    assert!(end.is_none(), "nothing after the revocation");
}

#[tokio::test]
async fn a_revocation_made_on_another_app_server_stops_this_ones_widgets() {
    use app::ssr::peers::Follow;
    let a = TestServer::following(Follow::Live).await;
    assert_eq!(
        a.post(ADMIN, "/api/v1/import", &super::common::fixture("sample-bundle.json")).await.status,
        StatusCode::OK
    );
    let b = a.peer(Follow::Live).await;
    let made = create(&a, "t1").await;
    let (key, id) = (made["key"].as_str().unwrap(), made["id"].as_str().unwrap());
    // A widget open on B, revoked on A: B's stream says so at once.
    let res = open_stream(&b, key).await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut body = res.into_body();
    let a_revokes = a.raw(Method::DELETE, &format!("/api/v1/embeds/{id}"), Some(ADMIN), Body::empty()).await;
    assert_eq!(a_revokes.status, StatusCode::OK);
    assert_eq!(next_event(&mut body, Duration::from_secs(1)).await, Some(PageEvent::Revoked));
    assert_eq!(get(&b, &format!("/embed/pipeline?key={key}"), &[]).await.0, StatusCode::GONE);
}
