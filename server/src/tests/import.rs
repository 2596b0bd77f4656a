//! Importing a team's history: the bundle's KPIs, every problem listed, all or nothing.
use super::common::{assert_close, fixture, TestServer, ADMIN};
use axum::http::StatusCode;
use serde_json::json;

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
async fn a_bundle_larger_than_the_storage_takes_at_once_is_refused_whole_with_a_clear_error() {
    // A 1 MiB memtable: the sample bundle (600 leads and their history) is far more.
    let s = TestServer::with_memtable(1 << 20).await;
    let a = s.post(ADMIN, "/api/v1/import", &fixture("sample-bundle.json")).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    assert_eq!(a.body["error"]["details"][0]["code"], "too_large", "{a:?}");
    assert!(a.body["error"]["message"].as_str().unwrap().contains("several parts"), "{a:?}");
    for table in ["lead", "followed_up", "task"] {
        assert_eq!(s.count(table).await, 0, "{table} was written");
    }
    // The workspace goes on taking writes of a sensible size.
    let bundle = fixture("sample-bundle.json");
    let one = json!({"teams": bundle["teams"], "reps": bundle["reps"], "leads": [bundle["leads"][0]]});
    let a = s.post(ADMIN, "/api/v1/import", &one).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(s.count("lead").await, 1);
}
