//! `genjin backup` and `genjin restore`: a workspace written out and read back into an empty
//! database keeps every KPI, every lead as it stood, the settings and every account's token.
use super::common::*;
use super::surreal::SurrealServer;
use axum::http::StatusCode;
use serde_json::{json, Value};

const EVERYTHING: &str = "/api/v1/kpis?from=2000-01-01&to=2100-01-01";
const SLICES: [&str; 6] = ["source", "grade", "owner", "team", "region", "industry"];

/// Every KPI, whole and in every slice.
async fn measured(s: &TestServer) -> Vec<Value> {
    let mut all = vec![s.get(ADMIN, EVERYTHING).await.body];
    for by in SLICES {
        let a = s.get(ADMIN, &format!("{EVERYTHING}&by={by}")).await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
        all.push(a.body);
    }
    all
}

/// Every lead as the list answers it (code, status, version, grade, owner).
async fn leads(s: &TestServer) -> Vec<Value> {
    let mut all: Vec<Value> = s
        .every_lead()
        .await
        .iter()
        .map(|l| json!([l["code"], l["status"], l["version"], l["grade"], l["owner"]]))
        .collect();
    all.sort_by_key(|l| l.to_string());
    all
}

/// The sample history, then a day's work on it: a move, a follow-up, a task, new settings.
async fn a_workspace_at_work(s: &TestServer) {
    let a = s.post(ADMIN, "/api/v1/import", &recent_sample()).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let new = s.get(ADMIN, "/api/v1/leads?status=new&limit=1").await.body["items"][0].clone();
    let code = new["code"].as_str().unwrap();
    let moved = s
        .post(ADMIN, &format!("/api/v1/leads/{code}/move"), &json!({"to": "contacted", "version": new["version"]}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{moved:?}");
    let rep = s.token_for(new["owner"].as_str().unwrap()).await;
    let now = chrono::Utc::now();
    let follow_up = json!({"occurred_at": (now - chrono::Duration::minutes(30)).to_rfc3339(), "channel": "phone",
        "direction": "outbound", "responded": true, "satisfaction": 5, "summary": "确认了预算和决策人"});
    assert_eq!(
        s.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &follow_up).await.status,
        StatusCode::CREATED
    );
    let task = json!({"lead": code, "due_at": (now + chrono::Duration::days(2)).to_rfc3339(), "title": "发送方案", "priority": "important"});
    assert_eq!(s.post(ADMIN, "/api/v1/tasks", &task).await.status, StatusCode::CREATED);
    assert_eq!(s.put(ADMIN, "/api/v1/settings", &json!({"sla": {"s_hours": 1}})).await.status, StatusCode::OK);
}

/// The restored workspace answers as the original did.
async fn same_workspace(original: &TestServer, restored: &TestServer) {
    let (before, after) = (measured(original).await, measured(restored).await);
    for (b, a) in before.iter().zip(&after) {
        assert!(same_but_rounding(b, a), "a KPI changed:\n{b}\n{a}");
    }
    assert_eq!(leads(original).await, leads(restored).await);
    assert_eq!(original.get(ADMIN, "/api/v1/settings").await.body, restored.get(ADMIN, "/api/v1/settings").await.body);
    assert_eq!(
        original.get(ADMIN, "/api/v1/tasks?status=open&limit=500").await.body["items"].as_array().map(Vec::len),
        restored.get(ADMIN, "/api/v1/tasks?status=open&limit=500").await.body["items"].as_array().map(Vec::len),
    );
}

#[tokio::test]
async fn a_backup_restored_into_an_empty_database_keeps_every_kpi_lead_and_token() {
    let s = TestServer::new().await;
    a_workspace_at_work(&s).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("genjin-backup.surql");
    let bytes = crate::backup_from(&s.state.db, &file).await.expect("the backup is written");
    assert!(bytes > 10_000, "{bytes} bytes");
    assert!(!file.with_extension("partial").exists(), "no half file is left beside it");

    // Into a new embedded database (the process holds it open: `genjin restore` ends and
    // lets go of it; here the app server takes the handle over).
    let url = format!("surrealkv://{}", folder.path().join("restored.db").display());
    let db = crate::db::open(&url).await.unwrap();
    crate::restore_into(&db, &file).await.expect("the backup is read back");
    // The admin's token came with the backup: the restored workspace is the same one.
    let restored = TestServer::on_db(db).await;
    same_workspace(&s, &restored).await;

    // Restoring over a workspace is refused and leaves it as it was.
    let again = crate::restore_into(&restored.state.db, &file).await.expect_err("a workspace is not overwritten");
    assert!(again.contains("already holds a workspace"), "{again}");
    same_workspace(&s, &restored).await;
    // A backup that cannot be written says why and leaves nothing behind.
    let nowhere = folder.path().join("no-such-folder").join("b.surql");
    assert!(crate::backup_from(&s.state.db, &nowhere).await.is_err());
    assert!(!nowhere.exists() && !nowhere.with_extension("partial").exists());
    let missing = crate::restore(&folder.path().join("missing.surql"), "mem://").await.expect_err("no file");
    assert!(missing.contains("no backup at"), "{missing}");
}

#[tokio::test]
async fn a_backup_of_a_surrealdb_server_taken_while_genjin_runs_restores_onto_another_server() {
    let surreal = SurrealServer::start().await;
    let s = TestServer::on_server(&surreal.url(), Follow::Live).await;
    a_workspace_at_work(&s).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("genjin-backup.surql");
    // As `genjin backup --db ws://…` does: over HTTP, while the app server runs.
    crate::backup(&surreal.url(), &file).await.expect("the backup is written");
    // Onto a second SurrealDB server, as `genjin restore FILE --db ws://…` does.
    let other = SurrealServer::start().await;
    crate::restore(&file, &other.url()).await.expect("the backup is read back");
    let restored = TestServer::on_server(&other.url(), Follow::Off).await;
    same_workspace(&s, &restored).await;
}
