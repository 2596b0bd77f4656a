//! Who sees and changes what: a rep their own leads, a manager the team's, an admin all.
use super::common::{assert_close, fixture, TestServer, ADMIN};
use axum::http::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_rep_sees_and_moves_only_own_leads_and_a_manager_the_team() {
    let s = TestServer::with_sample().await;
    let rep = s.token_for("r14").await;
    let manager = s.token_for("r11").await;
    let sample = fixture("sample-bundle.json");
    let own = sample["leads"].as_array().unwrap().iter().find(|l| l["owner"] == "r14").unwrap();
    let other_team = sample["leads"].as_array().unwrap().iter().find(|l| l["owner"] == "r22").unwrap();
    let teammate = sample["leads"].as_array().unwrap().iter().find(|l| l["owner"] == "r12").unwrap();

    // Listing: only own leads, all of them, across pages.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let a = s.get(&rep, &format!("/api/v1/leads?limit=7&cursor={cursor}")).await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
        for l in a.body["items"].as_array().unwrap() {
            assert_eq!(l["owner"], "r14");
            seen.push(l["code"].as_str().unwrap().to_string());
        }
        match a.body["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    let expected = sample["leads"].as_array().unwrap().iter().filter(|l| l["owner"] == "r14").count();
    assert_eq!(seen.len(), expected);
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), expected, "a page repeated a lead");

    let code = |l: &Value| l["code"].as_str().unwrap().to_string();
    assert_eq!(s.get(&rep, &format!("/api/v1/leads/{}", code(own))).await.status, StatusCode::OK);
    let a = s.get(&rep, &format!("/api/v1/leads/{}", code(teammate))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{a:?}");
    let a = s
        .post(&rep, &format!("/api/v1/leads/{}/move", code(teammate)), &json!({"to": "contacted", "version": 1}))
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{a:?}");

    assert_eq!(s.get(&manager, &format!("/api/v1/leads/{}", code(teammate))).await.status, StatusCode::OK);
    assert_eq!(s.get(&manager, &format!("/api/v1/leads/{}", code(other_team))).await.status, StatusCode::NOT_FOUND);

    // Only an admin imports or makes tokens.
    assert_eq!(s.post(&manager, "/api/v1/import", &json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.post(&rep, "/api/v1/tokens", &json!({"user": "r14"})).await.status, StatusCode::FORBIDDEN);

    // KPIs are computed over the leads the caller sees.
    let mine = s.get(&rep, "/api/v1/kpis?from=2024-01-01&to=2024-07-01&by=owner").await;
    let groups = mine.body["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["key"], "r14");
    let all = s.get(ADMIN, "/api/v1/kpis?from=2024-01-01&to=2024-07-01&by=owner").await;
    let r14 = all.body["groups"].as_array().unwrap().iter().find(|g| g["key"] == "r14").unwrap();
    assert_close(&mine.body["total"], &r14["kpis"], "r14");
}
