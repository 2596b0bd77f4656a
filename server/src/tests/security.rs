//! The web's defences: cross-site requests, sign-in throttling, body limits, redirects after
//! sign-in, security headers, field limits, and the API's error shape everywhere.
use super::common::{new_lead, send, TestServer, ADMIN};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

const PASSWORD: &str = "correct-horse-9";

/// Signs in through the page's form door; answers the status, headers and body.
async fn sign_in(s: &TestServer, form: &str, extra: &[(&str, &str)]) -> axum::http::Response<Body> {
    let mut req = Request::post("/rpc/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    s.app.clone().oneshot(req.body(Body::from(form.to_string())).unwrap()).await.unwrap()
}

async fn session(s: &TestServer) -> String {
    app::ssr::service::accounts::set_password(&s.state, "admin", PASSWORD).await.unwrap();
    let res = sign_in(s, &format!("user=admin&password={PASSWORD}"), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn a_cross_site_request_with_the_session_cookie_is_refused_and_changes_nothing() {
    let s = TestServer::new().await;
    let cookie = session(&s).await;
    let body = || Body::from(new_lead().to_string());
    for from in [&[("origin", "https://evil.example.net")][..], &[("sec-fetch-site", "cross-site")][..]] {
        let mut headers = vec![("cookie", cookie.as_str()), ("host", "genjin.example.com")];
        headers.extend_from_slice(from);
        let a = send(&s.app, Method::POST, "/api/v1/leads", None, &headers, body()).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{a:?}");
        assert_eq!(a.body["error"]["code"], "cross_site");
    }
    assert_eq!(s.count("lead").await, 0);
    // The site's own page may.
    let own = [("cookie", cookie.as_str()), ("host", "genjin.example.com"), ("origin", "http://genjin.example.com")];
    let a = send(&s.app, Method::POST, "/api/v1/leads", None, &own, body()).await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    // A token call from anywhere is unaffected.
    let a =
        send(&s.app, Method::POST, "/api/v1/leads", Some(ADMIN), &[("origin", "https://intranet.example.com")], body())
            .await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    // Signing in from another site is refused too.
    let res = sign_in(&s, &format!("user=admin&password={PASSWORD}"), &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_slowed_with_429_and_retry_after() {
    let s = TestServer::new().await;
    app::ssr::service::accounts::set_password(&s.state, "admin", PASSWORD).await.unwrap();
    for _ in 0..5 {
        assert_eq!(sign_in(&s, "user=admin&password=guess-1234", &[]).await.status(), StatusCode::UNAUTHORIZED);
    }
    let res = sign_in(&s, &format!("user=admin&password={PASSWORD}"), &[]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res.headers().get(header::RETRY_AFTER).unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    assert_eq!(s.count("session").await, 0);
}

#[tokio::test]
async fn bodies_are_bounded_and_an_anonymous_caller_cannot_make_the_server_read_a_large_one() {
    let s = TestServer::new().await;
    let big = format!("{{\"company\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let a = s.raw(Method::POST, "/api/v1/leads", Some(ADMIN), Body::from(big.clone())).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{:?}", a.status);
    assert_eq!(a.body["error"]["code"], "too_large");
    let a = s.raw(Method::POST, "/api/v1/import", None, Body::from(big)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn after_sign_in_only_a_path_on_this_site_is_followed() {
    let s = TestServer::new().await;
    app::ssr::service::accounts::set_password(&s.state, "admin", PASSWORD).await.unwrap();
    for (next, expected) in [
        ("%2Fleads%2FLX202600001", "/leads/LX202600001"),
        ("%2F%5Cevil.example.com", "/today"),
        ("%2F%2509%2Fevil.example.com", "/today"),
        ("%2F%2Fevil.example.com", "/today"),
        ("https%3A%2F%2Fevil.example.com", "/today"),
    ] {
        let req = Request::post("/rpc/sign_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .body(Body::from(format!("user=admin&password={PASSWORD}&next={next}")))
            .unwrap();
        let res = s.app.clone().oneshot(req).await.unwrap();
        let location = res.headers().get(header::LOCATION).map(|l| l.to_str().unwrap().to_string());
        assert_eq!(location.as_deref(), Some(expected), "{next}");
    }
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_whose_nonce_their_script_uses() {
    let s = TestServer::new().await;
    let res = s.app.clone().oneshot(Request::get("/login").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert!(h.get(header::REFERRER_POLICY).is_some());
    let csp = h.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce");
    let html = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");
    let a = s.get(ADMIN, "/api/v1/me").await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn text_beyond_its_limit_and_dates_out_of_range_are_422() {
    let s = TestServer::new().await;
    let mut body = new_lead();
    body["company"] = json!("公".repeat(201));
    body["tags"] = json!((0..21).map(|i| format!("t{i}")).collect::<Vec<_>>());
    let a = s.post(ADMIN, "/api/v1/leads", &body).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    let paths: Vec<&str> =
        a.body["error"]["details"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["company", "tags"]);
    let a = s.get(ADMIN, "/api/v1/kpis?from=1900-01-01&to=2024-01-01").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    let a = s.get(ADMIN, "/api/v1/kpis?from=2024-01-01&to=9999-01-01").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    assert_eq!(s.count("lead").await, 0);
}

#[tokio::test]
async fn unknown_paths_wrong_methods_and_bad_queries_answer_in_the_apis_shape() {
    let s = TestServer::new().await;
    let a = s.get(ADMIN, "/api/v1/no-such-thing").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.body["error"]["code"], "not_found");
    let a = s.raw(Method::DELETE, "/api/v1/leads", Some(ADMIN), Body::empty()).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.body["error"]["code"], "method_not_allowed");
    let a = s.get(ADMIN, "/api/v1/kpis?from=2024-01-01&from=2024-02-01&to=2024-03-01").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{a:?}");
    assert_eq!(a.body["error"]["code"], "malformed");
}

#[tokio::test]
async fn the_demo_loads_only_into_an_empty_workspace_and_keeps_a_password_that_was_set() {
    let s = TestServer::new().await;
    app::ssr::service::accounts::set_password(&s.state, "admin", PASSWORD).await.unwrap();
    crate::demo::load_into(&s.state, 20, 7).await.unwrap();
    assert_eq!(s.count("lead").await, 20);
    assert!(s.state.demo.load(std::sync::atomic::Ordering::Relaxed));
    let own = sign_in(&s, &format!("user=admin&password={PASSWORD}"), &[]).await;
    assert_eq!(own.status(), StatusCode::OK, "the admin's own password stands");
    let demo = sign_in(&s, &format!("user=admin&password={}", crate::demo::DEMO_PASSWORD), &[]).await;
    assert_ne!(demo.status(), StatusCode::OK);
    // A second load (a workspace with data) changes nothing.
    crate::demo::load_into(&s.state, 50, 8).await.unwrap();
    assert_eq!(s.count("lead").await, 20);
}
