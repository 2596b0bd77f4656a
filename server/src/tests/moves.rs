//! Moving leads across the pipeline: versions, required fields, stage changes.
use super::common::{new_lead, TestServer, ADMIN};
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn moves_check_versions_and_required_fields_and_record_a_stage_change() {
    let s = TestServer::with_sample().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    let url = format!("/api/v1/leads/{code}/move");
    let changes = s.count("stage_change").await;

    let a = s.post(ADMIN, &url, &json!({"to": "contacted", "version": 1})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["status"], "contacted");
    assert_eq!(a.body["version"], 2);
    assert_eq!(s.count("stage_change").await, changes + 1);

    // Someone else still holds version 1: 409 with the current lead.
    let a = s.post(ADMIN, &url, &json!({"to": "qualified", "version": 1})).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{a:?}");
    assert_eq!(a.body["error"]["code"], "version_conflict");
    assert_eq!(a.body["status"], "contacted");
    assert_eq!(a.body["version"], 2);

    let a = s.post(ADMIN, &url, &json!({"to": "won", "version": 2})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["details"][0]["path"], "deal_amount");
    let a = s.post(ADMIN, &url, &json!({"to": "lost", "version": 2})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["details"][0]["path"], "loss_reason");
    assert_eq!(s.count("stage_change").await, changes + 1);

    let a = s.post(ADMIN, &url, &json!({"to": "won", "version": 2, "deal_amount": 180000})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["deal_amount"], 180000.0);
    assert!(a.body["won_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(s.count("stage_change").await, changes + 2);

    let a =
        s.post(ADMIN, "/api/v1/leads/LX209900001/move", &json!({"to": "won", "version": 1, "deal_amount": 1})).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}
