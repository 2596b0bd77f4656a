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
async fn follow_ups_logged_while_the_card_moves_are_all_written() {
    // A rep logs calls on a lead while a manager drags its card: no follow-up is refused.
    let s = TestServer::with_sample().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    let owner = lead["owner"].as_str().unwrap().to_string();
    let rep = s.token_for(&owner).await;
    let at = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
    let follow_up = json!({"occurred_at": at, "channel": "phone", "direction": "outbound", "responded": true,
                           "summary": "电话沟通"});
    let logs: Vec<_> = (0..6)
        .map(|_| {
            let (app, uri, body, rep) =
                (s.app.clone(), format!("/api/v1/leads/{code}/interactions"), follow_up.to_string(), rep.clone());
            tokio::spawn(async move { send(&app, Method::POST, &uri, Some(&rep), &[], Body::from(body)).await })
        })
        .collect();
    let mut moved = 0;
    for to in ["contacted", "qualified", "proposal"] {
        // Each move at the version the board shows, as a drag would send it (a follow-up that
        // lands in between makes it a conflict, which the board shows).
        let now = s.get(ADMIN, &format!("/api/v1/leads/{code}")).await.body;
        let a =
            s.post(ADMIN, &format!("/api/v1/leads/{code}/move"), &json!({"to": to, "version": now["version"]})).await;
        assert!(matches!(a.status, StatusCode::OK | StatusCode::CONFLICT), "{a:?}");
        moved += usize::from(a.status == StatusCode::OK);
    }
    for t in logs {
        let a = t.await.unwrap();
        assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    }
    let logged = s.get(ADMIN, &format!("/api/v1/leads/{code}")).await.body;
    // Six follow-ups and the moves, each a version of the lead.
    assert_eq!(logged["version"].as_u64(), Some(1 + 6 + moved as u64), "{logged}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn history_imports_sent_at_once_go_one_after_the_other() {
    // One import at a time holds the workspace's import lock; the others wait for it.
    let s = TestServer::new().await;
    let empty = json!({"teams": [], "reps": [], "leads": [], "interactions": [], "stage_changes": [], "tasks": []});
    let answers = all_at_once(&s, 4, "/api/v1/import".into(), empty.clone()).await;
    assert!(answers.iter().all(|a| a.status == StatusCode::OK), "{answers:?}");
    // And again straight after, while the last holder's release may still be on its way.
    for _ in 0..3 {
        let a = s.post(ADMIN, "/api/v1/import", &empty).await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
    }
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
