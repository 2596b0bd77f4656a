//! Browser sessions: signing in through the page's server function, the cookie it sets, and
//! that cookie authorising the same API and scope checks as a token.

use super::common::TestServer;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn sign_in(s: &TestServer, user: &str, password: &str) -> (StatusCode, Option<String>) {
    let req = Request::post("/rpc/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(format!("user={user}&password={password}")))
        .unwrap();
    let res = s.app.clone().oneshot(req).await.unwrap();
    let cookie = res.headers().get(header::SET_COOKIE).map(|v| v.to_str().unwrap().to_string());
    (res.status(), cookie)
}

async fn me(s: &TestServer, cookie: &str) -> (StatusCode, serde_json::Value) {
    let req = Request::get("/api/v1/me").header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    let res = s.app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

#[tokio::test]
async fn signing_in_sets_a_new_http_only_session_that_authorises_the_api_until_sign_out() {
    let s = TestServer::new().await;
    app::ssr::service::accounts::set_password(&s.state, "admin", "correct-horse-9").await.unwrap();

    let (status, cookie) = sign_in(&s, "admin", "correct-horse-9").await;
    assert_eq!(status, StatusCode::OK);
    let cookie = cookie.expect("a session cookie is set");
    assert!(cookie.starts_with("genjin_session=gj_"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let session = cookie.split(';').next().unwrap().to_string();

    let (status, body) = me(&s, &session).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["user"], "admin");

    // Every sign-in is a new session.
    let (_, again) = sign_in(&s, "admin", "correct-horse-9").await;
    assert_ne!(again.unwrap().split(';').next().unwrap(), session);

    // Signing out ends this session: its cookie no longer authorises anything.
    let req = Request::post("/rpc/sign_out")
        .header(header::COOKIE, &session)
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    let res = s.app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(me(&s, &session).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_wrong_password_or_user_opens_no_session() {
    let s = TestServer::new().await;
    app::ssr::service::accounts::set_password(&s.state, "admin", "correct-horse-9").await.unwrap();
    for (user, password) in [("admin", "wrong-horse"), ("nobody", "correct-horse-9")] {
        let (status, cookie) = sign_in(&s, user, password).await;
        assert_ne!(status, StatusCode::OK, "{user}");
        assert!(cookie.is_none(), "{user}");
    }
    assert_eq!(s.count("session").await, 0);
    assert_eq!(me(&s, "genjin_session=gj_forged").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_short_password_is_refused() {
    let s = TestServer::new().await;
    let e = app::ssr::service::accounts::set_password(&s.state, "admin", "short").await.unwrap_err();
    assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
