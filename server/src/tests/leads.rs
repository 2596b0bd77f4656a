//! Leads: scoring, creating, listing, editing and logging follow-ups.
use super::common::{fixture, new_lead, urlencode, TestServer, ADMIN};
use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn score_follows_the_workspace_rules() {
    let s = TestServer::new().await;
    let body = json!({"employees": 120, "budget": 150000, "decision_months": 1, "decision_chain": "dm_engaged"});
    let a = s.raw(Method::POST, "/api/v1/score", None, Body::from(body.to_string())).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(
        a.body,
        json!({"company_size": 15, "budget_match": 30, "urgency": 20, "decision_chain": 20, "total": 85, "grade": "S"})
    );
    let a = s.post(ADMIN, "/api/v1/score", &json!({})).await;
    assert_eq!(a.body["grade"], "C");
    let a = s.post(ADMIN, "/api/v1/score", &json!({"decision_chain": "ceo"})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["details"][0]["path"], "decision_chain");
}

#[tokio::test]
async fn a_created_lead_gets_a_code_score_grade_owner_and_its_first_task() {
    let s = TestServer::with_sample().await;
    let tasks_before = s.count("task").await;
    let a = s.post(ADMIN, "/api/v1/leads", &new_lead()).await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    let lead = &a.body;
    let code = lead["code"].as_str().unwrap();
    assert!(code.starts_with("LX") && code.len() == 11, "{code}");
    // Scored by the same rules as /score.
    let scored = s.post(ADMIN, "/api/v1/score", &new_lead()).await.body;
    assert_eq!(lead["score"], scored);
    assert_eq!(lead["grade"], scored["grade"]);
    assert_eq!(lead["status"], "new");
    assert_eq!(lead["version"], 1);
    // Grade S: by the rules of PRODUCT.md §4 a manager follows it up personally.
    assert_eq!(lead["grade"], "S");
    let owner = lead["owner"].as_str().expect("an owner was assigned");
    assert!(["r11", "r21", "r31"].contains(&owner), "{owner}");
    assert_eq!(s.count("task").await, tasks_before + 1);

    let got = s.get(ADMIN, &format!("/api/v1/leads/{code}")).await;
    let mut created = a.body.clone();
    assert_eq!(created["duplicates"], serde_json::json!([]), "no lead of this customer exists yet");
    created.as_object_mut().unwrap().remove("duplicates");
    assert_eq!(got.body, created);
    // The new lead counts at once in today's KPIs.
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let k = s.get(ADMIN, &format!("/api/v1/kpis?from={today}&to={tomorrow}")).await;
    assert_eq!(k.body["total"]["new_leads"], 1);
}

#[tokio::test]
async fn creating_a_lead_with_bad_fields_reports_each_and_writes_nothing() {
    let s = TestServer::with_sample().await;
    let mut body = new_lead();
    body["source"] = json!("billboard");
    body["budget"] = json!(-1);
    body["email"] = json!("not-an-email");
    let a = s.post(ADMIN, "/api/v1/leads", &body).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    let paths: Vec<&str> =
        a.body["error"]["details"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert_eq!(s.count("lead").await, 600);
}

#[tokio::test]
async fn the_list_filters_by_status_grade_source_and_text() {
    let s = TestServer::with_sample().await;
    let a = s.get(ADMIN, "/api/v1/leads?status=won&grade=A&limit=500").await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let items = a.body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|l| l["status"] == "won" && l["grade"] == "A"));
    let company = fixture("sample-bundle.json")["leads"][0]["company"].as_str().unwrap().to_string();
    let fragment: String = company.chars().take(4).collect();
    let a = s.get(ADMIN, &format!("/api/v1/leads?q={}", urlencode(&fragment))).await;
    let items = a.body["items"].as_array().unwrap();
    assert!(items.iter().any(|l| l["company"] == company.as_str()));
    assert!(items.iter().all(|l| l["company"].as_str().unwrap().contains(&fragment)
        || l["contact_name"].as_str().unwrap_or("").contains(&fragment)
        || l["code"].as_str().unwrap().contains(&fragment)));
    let a = s.get(ADMIN, "/api/v1/leads?source=fax").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["details"][0]["path"], "source");
}

#[tokio::test]
async fn patching_a_lead_rescores_it_and_checks_the_version() {
    let s = TestServer::with_sample().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let url = format!("/api/v1/leads/{}", lead["code"].as_str().unwrap());
    let a = s.patch(ADMIN, &url, &json!({"version": 1, "budget": 20000, "decision_months": 12})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["budget"], 20000.0);
    assert!(a.body["score"]["total"].as_i64().unwrap() < lead["score"]["total"].as_i64().unwrap());
    assert_eq!(a.body["version"], 2);
    let a = s.patch(ADMIN, &url, &json!({"version": 1, "company": "别的公司"})).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.body["company"], "杭州云帆信息技术有限公司");
}

#[tokio::test]
async fn logging_a_follow_up_writes_a_graph_edge_and_moves_the_kpis() {
    let s = TestServer::with_sample().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    let owner = lead["owner"].as_str().unwrap().to_string();
    let rep = s.token_for(&owner).await;
    let now = chrono::Utc::now();
    let body = json!({
        "occurred_at": (now - chrono::Duration::minutes(10)).to_rfc3339(),
        "channel": "phone", "direction": "outbound", "responded": true, "satisfaction": 5,
        "summary": "介绍了私有云方案，客户有兴趣", "stage_after": "contacted",
        "next_follow_up_at": (now + chrono::Duration::days(2)).to_rfc3339()
    });
    let edges = s.count("followed_up").await;
    let a = s.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    assert_eq!(a.body["lead"]["status"], "contacted");
    assert_eq!(s.count("followed_up").await, edges + 1);
    let mut res = s
        .state
        .db
        .query("SELECT VALUE count(->followed_up[WHERE out.code = $code]) FROM type::record('rep', $rep)")
        .bind(("code", code.clone()))
        .bind(("rep", owner.clone()))
        .await
        .unwrap();
    let through_graph: Vec<i64> = res.take(0).unwrap();
    assert_eq!(through_graph, vec![1]);

    // From yesterday: the follow-up happened ten minutes ago, which is yesterday just after
    // midnight in Shanghai.
    let today = now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let k =
        s.get(&rep, &format!("/api/v1/kpis?from={}&to={}", today.pred_opt().unwrap(), today.succ_opt().unwrap())).await;
    assert_eq!(k.body["total"]["response_rate"], 1.0);
    assert_eq!(k.body["total"]["satisfaction_mean"], 5.0);

    let bad = json!({"occurred_at": "soon", "channel": "pigeon", "direction": "outbound", "responded": true});
    let a = s.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["details"].as_array().unwrap().len(), 2);
    assert_eq!(s.count("followed_up").await, edges + 1);
}
