//! The API's shape: its errors, its limits, its OpenAPI document, the pages rendered on the server.
use super::common::{TestServer, ADMIN};
use axum::body::Body;
use axum::http::{Method, StatusCode};

#[tokio::test]
async fn malformed_json_is_400_and_a_missing_or_wrong_token_is_401() {
    let s = TestServer::new().await;
    let a = s.raw(Method::POST, "/api/v1/import", Some(ADMIN), Body::from("{\"teams\": [")).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.body["error"]["code"], "malformed");
    let a = s.raw(Method::GET, "/api/v1/leads", None, Body::empty()).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.body["error"]["message"].is_string());
    let a = s.get("not-a-token", "/api/v1/kpis?from=2024-01-01&to=2024-02-01").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_body_over_64_mib_is_413() {
    let s = TestServer::new().await;
    let huge = format!("{{\"teams\": [], \"pad\": \"{}\"}}", "x".repeat(65 * 1024 * 1024));
    let a = s.raw(Method::POST, "/api/v1/import", Some(ADMIN), Body::from(huge)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{:?}", a.status);
    assert_eq!(a.body["error"]["code"], "too_large");
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint() {
    let s = TestServer::new().await;
    let a = s.raw(Method::GET, "/api/v1/openapi.json", None, Body::empty()).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = a.body["paths"].as_object().unwrap();
    for p in [
        "/api/v1/score",
        "/api/v1/import",
        "/api/v1/kpis",
        "/api/v1/leads",
        "/api/v1/leads/{code}",
        "/api/v1/leads/{code}/move",
        "/api/v1/leads/{code}/interactions",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
    assert!(a.body["components"]["schemas"]["Lead"].is_object());
    // Enumerations list the keys the API takes and gives, not the code's names for them.
    let status = &a.body["components"]["schemas"]["Status"]["enum"];
    assert_eq!(status[0], "new", "{status}");
    assert!(status.as_array().unwrap().iter().any(|v| v == "won"), "{status}");
    // Scoring needs no token.
    assert_eq!(a.body["paths"]["/api/v1/score"]["post"]["security"], serde_json::json!([{}]));
}

#[tokio::test]
async fn amounts_beyond_a_trillion_yuan_and_overlong_token_labels_are_422() {
    let s = TestServer::new().await;
    let created = s.post(ADMIN, "/api/v1/leads", &super::common::new_lead()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let (code, version) = (created.body["code"].as_str().unwrap(), &created.body["version"]);
    let uri = format!("/api/v1/leads/{code}/move");
    let won = s.post(ADMIN, &uri, &serde_json::json!({"to": "won", "version": version, "deal_amount": 1e308})).await;
    assert_eq!(won.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", won.body);
    assert_eq!(won.body["error"]["details"][0]["code"], "out_of_range");
    let label = "x".repeat(101);
    let token = s.post(ADMIN, "/api/v1/tokens", &serde_json::json!({"user": "admin", "label": label})).await;
    assert_eq!(token.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", token.body);
    assert_eq!(token.body["error"]["details"][0]["code"], "too_long");
}

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server() {
    let s = TestServer::new().await;
    let a = s.raw(Method::GET, "/", None, Body::empty()).await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.body.as_str().unwrap();
    assert!(html.contains("跟进"), "{html}");
}
