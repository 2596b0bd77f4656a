//! People, teams and settings (API.md "Users, teams, settings"): an admin creates a rep who
//! signs in; a leaver's access ends at once; a manager reads only their teams and cannot make
//! admins; a scoring change is previewed, then published, regrading open leads everywhere.
use super::common::*;
use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

fn new_rep() -> serde_json::Value {
    json!({"key": "r41", "name": "赵敏", "role": "rep", "seniority": "junior", "team": "t1", "region": "华北",
           "industries": ["制造业"], "mentor": "r12", "max_open_leads": 30, "password": "zhao-min-2026"})
}

#[tokio::test]
async fn an_admin_creates_a_rep_who_signs_in_and_the_answer_never_holds_a_password() {
    let s = TestServer::with_sample().await;
    let a = s.post(ADMIN, "/api/v1/users", &new_rep()).await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    assert_eq!(a.body["key"], "r41");
    assert_eq!(a.body["seniority"], "junior");
    assert_eq!(a.body["max_open_leads"], 30);
    assert_eq!(a.body["has_password"], true);
    let text = a.body.to_string();
    assert!(!text.contains("zhao-min-2026") && !text.contains("argon2"), "{text}");
    let secret = app::ssr::service::accounts::sign_in(&s.state, "r41", "zhao-min-2026", None).await.unwrap();
    assert!(secret.is_some(), "the new rep signs in");
    // The same key twice, a short password, an unknown team: refused, listed.
    let again = s.post(ADMIN, "/api/v1/users", &new_rep()).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut bad = new_rep();
    bad["key"] = json!("r42");
    bad["password"] = json!("short");
    bad["team"] = json!("t9");
    let a = s.post(ADMIN, "/api/v1/users", &bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    let paths: Vec<&str> =
        a.body["error"]["details"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"team") && paths.contains(&"password"), "{paths:?}");
}

#[tokio::test]
async fn a_deactivated_users_token_answers_401_and_their_open_leads_can_be_handed_on() {
    let s = TestServer::with_sample().await;
    let token = s.token_for("r14").await;
    assert_eq!(s.get(&token, "/api/v1/leads?limit=1").await.status, StatusCode::OK);
    let open_before = s.get(ADMIN, "/api/v1/users/r14").await.body["open_leads"].as_u64().unwrap();
    assert!(open_before > 0);
    let a = s.patch(ADMIN, "/api/v1/users/r14", &json!({"active": false})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["active"], false);
    assert_eq!(s.get(&token, "/api/v1/leads").await.status, StatusCode::UNAUTHORIZED);
    let moved = s.post(ADMIN, "/api/v1/users/r14/reassign", &json!({"to": "r15"})).await;
    assert_eq!(moved.status, StatusCode::OK, "{moved:?}");
    assert_eq!(moved.body["reassigned"].as_u64(), Some(open_before));
    assert_eq!(s.get(ADMIN, "/api/v1/users/r14").await.body["open_leads"], 0);
    // Handed on by the rules, nobody's leads go to the leaver.
    let m = s.post(ADMIN, "/api/v1/users/r15/reassign", &json!({})).await;
    assert_eq!(m.status, StatusCode::OK);
    let leads = s.get(ADMIN, "/api/v1/leads?owner=r14&limit=500").await;
    assert!(leads.body["items"].as_array().unwrap().iter().all(|l| l["status"] == "won" || l["status"] == "lost"));
}

#[tokio::test]
async fn a_manager_reads_only_their_teams_and_cannot_create_admins_and_a_rep_reads_no_roster() {
    let s = TestServer::with_sample().await;
    let manager = s.token_for("r11").await;
    let users = s.get(&manager, "/api/v1/users").await;
    assert_eq!(users.status, StatusCode::OK);
    let items = users.body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|u| u["team"] == "t1"), "{items:?}");
    let teams = s.get(&manager, "/api/v1/teams").await.body;
    assert_eq!(teams["items"].as_array().unwrap().len(), 1);
    let admin = json!({"key": "boss", "name": "老板", "role": "admin"});
    assert_eq!(s.post(&manager, "/api/v1/users", &admin).await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.count("user").await, 16, "nothing was created");
    let rep = s.token_for("r14").await;
    assert_eq!(s.get(&rep, "/api/v1/users").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn tokens_are_listed_and_revoked_one_by_one() {
    let s = TestServer::with_sample().await;
    let token = s.token_for("r12").await;
    let list = s.get(ADMIN, "/api/v1/users/r12/tokens").await;
    let id = list.body["items"][0]["id"].as_str().unwrap().to_string();
    let a = s.raw(Method::DELETE, &format!("/api/v1/users/r12/tokens/{id}"), Some(ADMIN), Body::empty()).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{a:?}");
    assert_eq!(s.get(&token, "/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let again = s.raw(Method::DELETE, &format!("/api/v1/users/r12/tokens/{id}"), Some(ADMIN), Body::empty()).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn teams_are_created_with_their_manager_who_then_sees_them() {
    let s = TestServer::with_sample().await;
    let a = s
        .post(ADMIN, "/api/v1/teams", &json!({"key": "t4", "name": "华南销售4组", "region": "华南", "manager": "r21"}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    let manager = s.token_for("r21").await;
    let teams = s.get(&manager, "/api/v1/teams").await.body;
    let keys: Vec<&str> = teams["items"].as_array().unwrap().iter().map(|t| t["key"].as_str().unwrap()).collect();
    assert!(keys.contains(&"t4") && keys.contains(&"t2"), "{keys:?}");
    assert_eq!(
        s.post(ADMIN, "/api/v1/teams", &json!({"key": "t4", "name": "again"})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn a_scoring_change_is_previewed_then_published_and_every_computation_follows() {
    let s = TestServer::with_sample().await;
    let settings = s.get(ADMIN, "/api/v1/settings").await;
    assert_eq!(settings.body["scoring"]["grade_s"], 80);
    let patch = json!({"scoring": {"grade_s": 90}});
    let preview = s.post(ADMIN, "/api/v1/settings/preview", &patch).await;
    assert_eq!(preview.status, StatusCode::OK, "{preview:?}");
    let moves = preview.body["moves"].as_array().unwrap();
    assert!(moves.iter().all(|m| m["from"] == "S" && m["to"] == "A"), "{moves:?}");
    let moving: u64 = moves.iter().map(|m| m["leads"].as_u64().unwrap()).sum();
    assert!(moving > 0);
    let s_now = &preview.body["grades"][0];
    assert_eq!(s_now["grade"], "S");
    assert_eq!(s_now["now"]["leads"].as_u64().unwrap() - s_now["proposed"]["leads"].as_u64().unwrap(), moving);
    // The preview wrote nothing.
    assert_eq!(s.get(ADMIN, "/api/v1/settings").await.body["scoring"]["grade_s"], 80);
    // 30 + 25 + 15 + 15 = 85: S under the default rules, A when S needs 90.
    let score = json!({"employees": 1200, "budget": 100000, "decision_months": 3, "decision_chain": "dm_identified"});
    assert_eq!(s.post(ADMIN, "/api/v1/score", &score).await.body["grade"], "S");
    // Bad settings are refused whole.
    let bad = s
        .raw(
            Method::PUT,
            "/api/v1/settings",
            Some(ADMIN),
            Body::from(json!({"scoring": {"grade_b": 95}, "time_zone": "Mars/Base"}).to_string()),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
    let put = s.raw(Method::PUT, "/api/v1/settings", Some(ADMIN), Body::from(patch.to_string())).await;
    assert_eq!(put.status, StatusCode::OK, "{put:?}");
    assert_eq!(put.body["scoring"]["grade_s"], 90);
    assert_eq!(put.body["scoring"]["grade_a"], 60, "a partial change keeps the rest");
    // /score, the open leads' grades and the KPIs' grade slices all follow at once.
    assert_eq!(s.post(ADMIN, "/api/v1/score", &score).await.body["grade"], "A");
    let open_s = s.get(ADMIN, "/api/v1/leads?grade=S&status=new&limit=500").await.body;
    for lead in open_s["items"].as_array().unwrap() {
        assert!(lead["score"]["total"].as_u64().unwrap() >= 90, "{lead}");
    }
    let rep = s.token_for("r12").await;
    let denied = s.raw(Method::PUT, "/api/v1/settings", Some(&rep), Body::from(patch.to_string())).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_reps_own_s_lead_follows_the_rules_to_the_teams_manager_and_an_admins_rule_wins() {
    let s = TestServer::with_sample().await;
    let rep = s.token_for("r14").await;
    let a = s.post(&rep, "/api/v1/leads", &new_lead()).await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    assert_eq!(a.body["grade"], "S");
    assert_eq!(a.body["owner"], "r11", "S → the manager of the rep's own team");
    // An admin's rule sends 华东 leads to team t3, whoever enters them.
    let rules =
        json!({"assignment": {"rules": [{"name": "华东", "regions": ["华东"], "to": {"kind": "team", "key": "t3"}}]}});
    let put = s.raw(Method::PUT, "/api/v1/settings", Some(ADMIN), Body::from(rules.to_string())).await;
    assert_eq!(put.status, StatusCode::OK, "{put:?}");
    let b = s.post(&rep, "/api/v1/leads", &new_lead()).await;
    assert_eq!(b.body["owner"], "r31", "{}", b.body);
    assert_eq!(b.body["team"], "t3");
}
