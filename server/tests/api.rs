//! The `/api/v1` contract of API.md, driven through the router on a fresh `mem://` database.
mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{assert_close, fixture, TestServer, ADMIN};
use serde_json::{json, Value};

#[tokio::test]
async fn the_sample_bundle_imported_through_the_api_gives_the_expected_kpis() {
    let s = TestServer::new().await;
    let a = s.post(ADMIN, "/api/v1/import", &fixture("sample-bundle.json")).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["imported"]["leads"], 600);
    assert_eq!(a.body["imported"]["interactions"], 5661);

    let q1 = s.get(ADMIN, "/api/v1/kpis?from=2024-01-01&to=2024-04-01").await;
    assert_eq!(q1.status, StatusCode::OK, "{q1:?}");
    assert_close(&q1.body, &fixture("expected-kpis-2024-01-01_2024-04-01.json"), "Q1");
    for by in ["grade", "owner", "team", "source"] {
        let a = s.get(ADMIN, &format!("/api/v1/kpis?from=2024-01-01&to=2024-07-01&by={by}")).await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
        let expected = fixture(&format!("expected-kpis-2024-01-01_2024-07-01-by-{by}.json"));
        assert_close(&a.body, &expected, by);
    }
}

#[tokio::test]
async fn the_kpis_survive_a_restart_because_the_view_is_rebuilt_from_the_database() {
    let s = TestServer::with_sample().await;
    let (rebuilt, board) = genjin_server::repo::view::load(&s.state.db).await.unwrap();
    // The board index is rebuilt too, card for card.
    assert_eq!(board.len(), 600);
    assert_eq!(board.len(), s.state.board.read().await.len());
    let settings = app::settings::WorkspaceSettings::default();
    let period = app::kpi::Period::parse("2024-01-01", "2024-07-01", settings.tz()).unwrap();
    let report = app::kpi::compute(&rebuilt, &period, app::kpi::Dimension::parse("owner"), &settings, |_| true);
    assert_close(
        &serde_json::to_value(report).unwrap(),
        &fixture("expected-kpis-2024-01-01_2024-07-01-by-owner.json"),
        "rebuilt",
    );
}

#[tokio::test]
async fn a_bad_bundle_lists_every_problem_with_its_path_and_writes_nothing() {
    let s = TestServer::new().await;
    let mut bundle = fixture("sample-bundle.json");
    bundle["leads"][17]["source"] = json!("fax");
    bundle["leads"][3]["owner"] = json!("r99");
    bundle["interactions"][5]["occurred_at"] = json!("yesterday");
    bundle["orders"][0]["amount"] = json!(-5);
    bundle["leads"][4]["code"] = bundle["leads"][2]["code"].clone();
    let a = s.post(ADMIN, "/api/v1/import", &bundle).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    assert_eq!(a.body["error"]["code"], "invalid");
    let paths: Vec<&str> =
        a.body["error"]["details"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    for expected in
        ["leads[17].source", "leads[3].owner", "interactions[5].occurred_at", "orders[0].amount", "leads[4].code"]
    {
        assert!(paths.contains(&expected), "{expected} missing from {paths:?}");
    }
    for table in ["team", "rep", "lead", "followed_up", "stage_change", "task", "feedback", "sales_order"] {
        assert_eq!(s.count(table).await, 0, "{table} was written");
    }
    let kpis = s.get(ADMIN, "/api/v1/kpis?from=2024-01-01&to=2024-07-01").await;
    assert_eq!(kpis.body["total"]["new_leads"], 0);
}

#[tokio::test]
async fn importing_the_same_codes_twice_is_refused() {
    let s = TestServer::with_sample().await;
    let a = s.post(ADMIN, "/api/v1/import", &json!({"leads": [fixture("sample-bundle.json")["leads"][0]]})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    assert_eq!(s.count("lead").await, 600);
}

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
async fn kpi_query_errors_name_the_parameter() {
    let s = TestServer::new().await;
    for (q, field) in [
        ("from=2024-13-01&to=2024-02-01", "from"),
        ("from=2024-01-01", "to"),
        ("from=2024-02-01&to=2024-01-01", "to"),
        ("from=2024-01-01&to=2024-02-01&by=colour", "by"),
    ] {
        let a = s.get(ADMIN, &format!("/api/v1/kpis?{q}")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {a:?}");
        assert_eq!(a.body["error"]["details"][0]["path"], field, "{q}");
    }
}

fn new_lead() -> Value {
    json!({
        "source": "trade_show", "company": "杭州云帆信息技术有限公司", "industry": "互联网",
        "region": "华东", "employees": 300, "contact_name": "陈静", "contact_title": "CTO",
        "phone": "13900001111", "need": "私有云迁移", "budget": 200000, "decision_months": 1,
        "decision_chain": "dm_engaged"
    })
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
    assert_eq!(got.body, a.body);
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

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
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

    let today = now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let k = s.get(&rep, &format!("/api/v1/kpis?from={today}&to={}", today.succ_opt().unwrap())).await;
    assert_eq!(k.body["total"]["response_rate"], 1.0);
    assert_eq!(k.body["total"]["satisfaction_mean"], 5.0);

    let bad = json!({"occurred_at": "soon", "channel": "pigeon", "direction": "outbound", "responded": true});
    let a = s.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["details"].as_array().unwrap().len(), 2);
    assert_eq!(s.count("followed_up").await, edges + 1);
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
}

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server() {
    let s = TestServer::new().await;
    let a = s.raw(Method::GET, "/", None, Body::empty()).await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.body.as_str().unwrap();
    assert!(html.contains("跟进"), "{html}");
}
