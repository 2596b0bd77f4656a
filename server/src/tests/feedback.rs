//! The feedback loop (API.md "Follow-up work"): feedback is recorded with its 5-Why chain and
//! a suggested priority, resolve_now gets a 24-hour task, resolving plans the confirmation
//! call, confirming closes it; the statuses only move forward (or back from resolved); the
//! stats agree with the dashboard's closure KPI.
use super::common::*;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::json;

fn today_and_tomorrow() -> (String, String) {
    let tz: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
    let today = Utc::now().with_timezone(&tz).date_naive();
    (today.to_string(), (today + Duration::days(1)).to_string())
}

#[tokio::test]
async fn feedback_goes_from_open_to_confirmed_with_its_tasks_and_counts_in_the_stats() {
    let s = TestServer::with_sample().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    let body = json!({
        "channel": "meeting", "type": "product_service", "summary": "方案缺少数据备份功能，担心数据安全",
        "why": ["为什么担心数据安全？业务扩张", "为什么扩张带来风险？数据量激增", "为什么现在提出？备份需求凸显"],
        "root_cause": "业务扩张后数据量激增", "resolution": "resolve_now", "plan": "协调技术团队提供备份模块方案"
    });
    let made = s.post(ADMIN, &format!("/api/v1/leads/{code}/feedback"), &body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    assert_eq!(made.body["priority"], "high", "an S lead's product complaint");
    assert_eq!(made.body["status"], "open");
    assert_eq!(made.body["why"].as_array().unwrap().len(), 3);
    let id = made.body["id"].as_str().unwrap().to_string();
    let tasks = |kind: &'static str| {
        let app = s.app.clone();
        let code = code.clone();
        async move {
            let url = format!("/api/v1/tasks?lead={code}&kind={kind}");
            send(&app, axum::http::Method::GET, &url, Some(ADMIN), &[], axum::body::Body::empty()).await.body["items"]
                .as_array()
                .unwrap()
                .clone()
        }
    };
    let handle = tasks("feedback").await;
    assert_eq!(handle.len(), 1, "resolve_now: a task within 24 hours");
    let due: chrono::DateTime<Utc> = handle[0]["due_at"].as_str().unwrap().parse().unwrap();
    assert!((due - Utc::now() - Duration::hours(24)).num_minutes().abs() <= 1);

    // Resolving finishes that task and plans the confirmation call three days on.
    let resolved = s.patch(ADMIN, &format!("/api/v1/feedback/{id}"), &json!({"status": "resolved"})).await;
    assert_eq!(resolved.status, StatusCode::OK, "{resolved:?}");
    assert!(resolved.body["resolved_at"].is_string());
    assert!(tasks("feedback").await.is_empty());
    let call = tasks("confirm_feedback").await;
    assert_eq!(call.len(), 1);
    let due: chrono::DateTime<Utc> = call[0]["due_at"].as_str().unwrap().parse().unwrap();
    assert!((due - Utc::now() - Duration::days(3)).num_minutes().abs() <= 1);

    let confirmed =
        s.patch(ADMIN, &format!("/api/v1/feedback/{id}"), &json!({"status": "confirmed", "satisfaction": 5})).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{confirmed:?}");
    assert_eq!(confirmed.body["satisfaction"], 5);
    assert!(tasks("confirm_feedback").await.is_empty());
    let back = s.patch(ADMIN, &format!("/api/v1/feedback/{id}"), &json!({"status": "open"})).await;
    assert_eq!(back.status, StatusCode::UNPROCESSABLE_ENTITY, "confirmed is final");

    // The stats of today hold it, and their closure is the dashboard's.
    let (from, to) = today_and_tomorrow();
    let stats = s.get(ADMIN, &format!("/api/v1/feedback/stats?from={from}&to={to}")).await;
    assert_eq!(stats.status, StatusCode::OK, "{stats:?}");
    assert_eq!(stats.body["total"], 1);
    let product =
        stats.body["by_type"].as_array().unwrap().iter().find(|t| t["key"] == "product_service").unwrap().clone();
    assert_eq!((product["count"].clone(), product["share"].clone()), (json!(1), json!(1.0)));
    assert_eq!(stats.body["root_causes"][0]["key"], "业务扩张后数据量激增");
    let kpis = s.get(ADMIN, &format!("/api/v1/kpis?from={from}&to={to}")).await.body;
    assert_eq!(stats.body["closure"], kpis["total"]["feedback_closure"]);
    assert_eq!(stats.body["closure"], 1.0);
    assert!(stats.body["median_days_to_resolve"].as_f64().unwrap() < 0.01);
    let listed = s.get(ADMIN, &format!("/api/v1/feedback?from={from}&to={to}&status=confirmed")).await.body;
    assert_eq!(listed["items"][0]["id"], id.as_str());
}

#[tokio::test]
async fn bad_feedback_is_named_and_another_teams_rep_cannot_see_it() {
    let s = TestServer::with_sample().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    let before = s.count("feedback").await;
    // The history bundle's feedback is listed as soon as it is imported.
    let imported = s.get(ADMIN, "/api/v1/feedback").await.body;
    assert_eq!(imported["items"].as_array().unwrap().len() as i64, before);
    assert!(before > 0);
    let six = json!({"type": "price", "summary": "太贵", "why": ["1", "2", "3", "4", "5", "6"], "resolution": "later"});
    let bad = s.post(ADMIN, &format!("/api/v1/leads/{code}/feedback"), &six).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
    let paths: Vec<&str> =
        bad.body["error"]["details"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"why") && paths.contains(&"resolution"), "{paths:?}");
    let no_type = s.post(ADMIN, &format!("/api/v1/leads/{code}/feedback"), &json!({"summary": "太贵"})).await;
    assert_eq!(no_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s.count("feedback").await, before);

    let made = s
        .post(ADMIN, &format!("/api/v1/leads/{code}/feedback"), &json!({"type": "price", "summary": "竞品报价低 15%"}))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    let id = made.body["id"].as_str().unwrap();
    // A rep of another team sees neither the lead nor its feedback.
    let team = lead["team"].as_str().unwrap();
    let outsider = if team == "t2" { "r32" } else { "r22" };
    let token = s.token_for(outsider).await;
    assert_eq!(s.get(&token, &format!("/api/v1/leads/{code}")).await.status, StatusCode::NOT_FOUND);
    let seen = s.get(&token, &format!("/api/v1/feedback/{id}")).await;
    assert_eq!(seen.status, StatusCode::NOT_FOUND, "{seen:?}");
    let changed = s.patch(&token, &format!("/api/v1/feedback/{id}"), &json!({"status": "resolved"})).await;
    assert_eq!(changed.status, StatusCode::NOT_FOUND);
    let listed = s.get(&token, "/api/v1/feedback").await.body;
    assert!(!listed["items"].as_array().unwrap().iter().any(|f| f["id"] == id), "{listed}");
    let stats = s.get(ADMIN, "/api/v1/feedback/stats?from=2026-13-01&to=2027-01-01").await;
    assert_eq!(stats.status, StatusCode::UNPROCESSABLE_ENTITY);
}
