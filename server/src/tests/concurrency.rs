//! Simultaneous writes: one card moved by twenty people at once moves once, and twenty leads
//! created at once get twenty codes — never a 500.
use super::common::{new_lead, send, TestServer, ADMIN};
use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

async fn all_at_once(s: &TestServer, n: usize, uri: String, body: serde_json::Value) -> Vec<super::common::Answer> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (app, uri, body) = (s.app.clone(), uri.clone(), body.to_string());
            tokio::spawn(async move { send(&app, Method::POST, &uri, Some(ADMIN), &[], Body::from(body)).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_simultaneous_moves_of_one_card_give_one_success_and_nineteen_conflicts() {
    let s = TestServer::new().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    let answers =
        all_at_once(&s, 20, format!("/api/v1/leads/{code}/move"), json!({"to": "contacted", "version": 1})).await;
    let ok = answers.iter().filter(|a| a.status == StatusCode::OK).count();
    let conflicts = answers.iter().filter(|a| a.status == StatusCode::CONFLICT).count();
    assert_eq!((ok, conflicts), (1, 19), "{answers:?}");
    assert!(answers.iter().all(|a| !a.status.is_server_error()));
    // The lead moved once: one stage change, version 2.
    assert_eq!(s.count("stage_change").await, 1);
    let now = s.get(ADMIN, &format!("/api/v1/leads/{code}")).await.body;
    assert_eq!((now["status"].as_str(), now["version"].as_i64()), (Some("contacted"), Some(2)));
    // The board index followed the one move.
    assert_eq!(s.state.index.read().await.get(&code).unwrap().version, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_simultaneous_creations_get_twenty_distinct_codes() {
    let s = TestServer::new().await;
    let answers = all_at_once(&s, 20, "/api/v1/leads".into(), new_lead()).await;
    assert!(answers.iter().all(|a| a.status == StatusCode::CREATED), "{answers:?}");
    let codes: std::collections::HashSet<&str> = answers.iter().map(|a| a.body["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 20);
    assert_eq!(s.count("lead").await, 20);
    assert_eq!(s.state.index.read().await.len(), 20);
}

#[tokio::test]
async fn a_change_applied_twice_or_out_of_order_changes_nothing() {
    let s = TestServer::new().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    let moved = s.post(ADMIN, &format!("/api/v1/leads/{code}/move"), &json!({"to": "contacted", "version": 1})).await;
    assert_eq!(moved.status, StatusCode::OK);
    let newer: app::domain::lead::Lead = serde_json::from_value(moved.body).unwrap();
    let older: app::domain::lead::Lead = serde_json::from_value(lead).unwrap();
    let change = |l: &app::domain::lead::Lead| app::ssr::state::LeadChange {
        lead: l.clone(),
        facts: vec![app::kpi::ViewChange::Lead(app::kpi::LeadFacts::of_lead(l))],
    };
    // The same version again, and the older one after it: both ignored.
    assert!(!s.state.apply(change(&newer)).await);
    assert!(!s.state.apply(change(&older)).await);
    assert_eq!(s.state.index.read().await.get(&code).unwrap().status, app::domain::enums::Status::Contacted);
    let facts = s.state.view.read().await.lead(&code).unwrap().facts.clone();
    assert_eq!(facts.status, app::domain::enums::Status::Contacted);
    // A newer one wins.
    let mut next = newer.clone();
    next.version = 3;
    next.status = app::domain::enums::Status::Qualified;
    assert!(s.state.apply(change(&next)).await);
    assert_eq!(s.state.index.read().await.get(&code).unwrap().status, app::domain::enums::Status::Qualified);
}
