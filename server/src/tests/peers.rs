//! Several app servers on one database: each follows the others' writes — boards, KPIs,
//! settings, tasks, feedback, embeds — within a second, by live query or by the change feed,
//! and recovers by itself when the database goes away and comes back.
use super::common::*;
use super::surreal::SurrealServer;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;
use tower::ServiceExt;

const EVERYTHING: &str = "/api/v1/kpis?from=2000-01-01&to=2100-01-01";

/// The admin's live event stream (`/api/v1/events`) on an app server.
async fn events(s: &TestServer) -> Body {
    let req = Request::get("/api/v1/events").header("authorization", format!("Bearer {ADMIN}")).body(Body::empty());
    let res = s.app.clone().oneshot(req.unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.into_body()
}

/// The next event of `kind` on a stream within `wait` (others are skipped).
async fn next_of(body: &mut Body, kind: &str, wait: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame()).await.ok()??.ok()?;
        let Ok(data) = frame.into_data() else { continue };
        for line in String::from_utf8_lossy(&data).lines() {
            if let Some(json) = line.strip_prefix("data:") {
                let event: Value = serde_json::from_str(json.trim()).unwrap_or(Value::Null);
                if event["kind"] == kind {
                    return Some(event);
                }
            }
        }
    }
}

/// Waits until `check` holds (or `wait` passes), answering whether it did.
async fn eventually<F, Fut>(wait: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if check().await {
            return true;
        }
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn kpis(s: &TestServer, by: Option<&str>) -> Value {
    let uri = match by {
        Some(by) => format!("{EVERYTHING}&by={by}"),
        None => EVERYTHING.to_string(),
    };
    let a = s.get(ADMIN, &uri).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    a.body
}

/// Both app servers answer the same KPIs, in total and by owner.
async fn agree(a: &TestServer, b: &TestServer) -> bool {
    same_but_rounding(&kpis(a, None).await, &kpis(b, None).await)
        && same_but_rounding(&kpis(a, Some("owner")).await, &kpis(b, Some("owner")).await)
}

fn assert_same(a: &Value, b: &Value) {
    assert!(same_but_rounding(a, b), "the KPIs differ:\n{a}\n{b}");
}

async fn lead(s: &TestServer, code: &str) -> Value {
    s.get(ADMIN, &format!("/api/v1/leads/{code}")).await.body
}

/// The first open lead of a status, as `s` lists it.
async fn first_with(s: &TestServer, status: &str) -> Value {
    let a = s.get(ADMIN, &format!("/api/v1/leads?status={status}&limit=1")).await;
    a.body["items"][0].clone()
}

/// A (empty) app server `a` and another `b` on its database, following each other as `follow`
/// says; then everything `b` must see of `a`'s writes, and `a` of `b`'s.
async fn two_app_servers_follow_each_other(a: TestServer, b: TestServer) {
    let mut heard = events(&b).await;

    // An import on A: B's open pages reload, and B counts it whole.
    let imported = a.post(ADMIN, "/api/v1/import", &recent_sample()).await;
    assert_eq!(imported.status, StatusCode::OK, "{imported:?}");
    assert!(next_of(&mut heard, "imported", Duration::from_secs(5)).await.is_some(), "B heard the import");
    assert!(eventually(Duration::from_secs(5), || agree(&a, &b)).await, "the KPIs agree after the import");

    // A move on A shows on B's board within a second, and B answers the lead as moved.
    let new = first_with(&a, "new").await;
    let code = new["code"].as_str().unwrap().to_string();
    let moved = a
        .post(ADMIN, &format!("/api/v1/leads/{code}/move"), &json!({"to": "contacted", "version": new["version"]}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{moved:?}");
    let event =
        next_of(&mut heard, "lead_changed", Duration::from_secs(1)).await.expect("B heard the move within a second");
    assert_eq!(event["code"], code.as_str());
    assert_eq!(event["card"]["status"], "contacted");
    assert_eq!(lead(&b, &code).await["status"], "contacted");

    // A new lead made on A is on B's board within a second.
    let made = a.post(ADMIN, "/api/v1/leads", &new_lead()).await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    let event = next_of(&mut heard, "lead_changed", Duration::from_secs(1)).await.expect("B heard the new lead");
    assert_eq!(event["code"], made.body["code"]);
    let on_b = b.get(ADMIN, &format!("/api/v1/leads?q={}", urlencode("杭州云帆"))).await;
    assert!(on_b.body["items"].as_array().unwrap().iter().any(|l| l["code"] == made.body["code"]), "{on_b:?}");

    // The other way round: a follow-up logged on B moves A's KPIs alike.
    let now = chrono::Utc::now();
    let code = made.body["code"].as_str().unwrap();
    let follow_up = json!({
        "occurred_at": (now - chrono::Duration::minutes(5)).to_rfc3339(), "channel": "phone",
        "direction": "outbound", "responded": true, "satisfaction": 4, "summary": "电话沟通需求",
        "stage_after": "contacted"
    });
    let rep = b.token_for(made.body["owner"].as_str().unwrap()).await;
    let logged = b.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &follow_up).await;
    assert_eq!(logged.status, StatusCode::CREATED, "{logged:?}");
    assert!(eventually(Duration::from_secs(1), || async { lead(&a, code).await["status"] == "contacted" }).await);
    assert!(eventually(Duration::from_secs(2), || agree(&a, &b)).await, "the KPIs agree after the follow-up");

    // A task made on A and done on B: A sees it done.
    let task = json!({"lead": code, "due_at": (now + chrono::Duration::days(1)).to_rfc3339(), "title": "发送报价单", "priority": "important"});
    let task = a.post(ADMIN, "/api/v1/tasks", &task).await;
    assert_eq!(task.status, StatusCode::CREATED, "{task:?}");
    let id = task.body["id"].as_str().unwrap();
    let done = async || b.post(ADMIN, &format!("/api/v1/tasks/{id}/done"), &json!({})).await;
    assert!(
        eventually(Duration::from_secs(1), || async { done().await.status == StatusCode::OK }).await,
        "B knows A's task"
    );
    let open_on_a = async || a.get(ADMIN, &format!("/api/v1/tasks?lead={code}&status=open")).await.body;
    assert!(
        eventually(Duration::from_secs(1), || async {
            !open_on_a().await["items"].as_array().unwrap().iter().any(|t| t["id"] == id)
        })
        .await,
        "A sees the task done"
    );

    // Settings published on B are A's at once.
    let put = b.put(ADMIN, "/api/v1/settings", &json!({"sla": {"s_hours": 1}})).await;
    assert_eq!(put.status, StatusCode::OK, "{put:?}");
    assert!(
        eventually(Duration::from_secs(1), || async {
            a.get(ADMIN, "/api/v1/settings").await.body["sla"]["s_hours"].as_f64() == Some(1.0)
        })
        .await,
        "A took B's settings: A {} B {}",
        a.get(ADMIN, "/api/v1/settings").await.body["sla"],
        b.get(ADMIN, "/api/v1/settings").await.body["sla"]
    );
    assert!(eventually(Duration::from_secs(2), || agree(&a, &b)).await, "the KPIs agree at the end");
}

#[tokio::test]
async fn app_servers_on_one_database_follow_each_other_by_live_query() {
    let a = TestServer::following(Follow::Live).await;
    let b = a.peer(Follow::Live).await;
    two_app_servers_follow_each_other(a, b).await;
}

#[tokio::test]
async fn app_servers_on_one_database_follow_each_other_through_the_change_feed() {
    let a = TestServer::following(Follow::Changefeed).await;
    let b = a.peer(Follow::Changefeed).await;
    two_app_servers_follow_each_other(a, b).await;
}

/// One of a burst's writes, through app server `s`: a move one status on, a follow-up, an
/// edit, a new lead or a task made and done. Answers whether the server acknowledged it.
async fn one_write(s: &TestServer, codes: &[String], tokens: &HashMap<String, String>, n: usize) -> bool {
    let code = &codes[(n * 7919) % codes.len()];
    let now = chrono::Utc::now();
    let current = lead(s, code).await;
    let version = current["version"].clone();
    let a = match n % 5 {
        0 => {
            let next = match current["status"].as_str() {
                Some("new") => "contacted",
                Some("contacted") => "qualified",
                Some("qualified") => "proposal",
                Some("proposal") => "negotiation",
                _ => return false,
            };
            s.post(ADMIN, &format!("/api/v1/leads/{code}/move"), &json!({"to": next, "version": version})).await
        }
        1 => {
            let body = json!({
                "occurred_at": (now - chrono::Duration::minutes((n % 90) as i64)).to_rfc3339(), "channel": "wechat",
                "direction": if n.is_multiple_of(2) { "outbound" } else { "inbound" }, "responded": !n.is_multiple_of(3),
                "satisfaction": (n % 5) + 1, "summary": format!("第{n}次沟通")
            });
            // A follow-up is logged by the lead's owner.
            let Some(rep) = current["owner"].as_str().and_then(|o| tokens.get(o)) else { return false };
            s.post(rep, &format!("/api/v1/leads/{code}/interactions"), &body).await
        }
        2 => {
            s.patch(ADMIN, &format!("/api/v1/leads/{code}"), &json!({"version": version, "budget": 50_000 + n * 100}))
                .await
        }
        3 => s.post(ADMIN, "/api/v1/leads", &new_lead()).await,
        _ => {
            let task = json!({"lead": code, "due_at": (now + chrono::Duration::hours(2)).to_rfc3339(), "title": format!("任务{n}"), "priority": "urgent"});
            let made = s.post(ADMIN, "/api/v1/tasks", &task).await;
            if made.status != StatusCode::CREATED {
                return false;
            }
            let id = made.body["id"].as_str().unwrap().to_string();
            s.post(ADMIN, &format!("/api/v1/tasks/{id}/done"), &json!({})).await
        }
    };
    match a.status {
        StatusCode::OK | StatusCode::CREATED => true,
        // Two writers raced for one lead: the loser is told, nothing is lost.
        StatusCode::CONFLICT => false,
        other => panic!("a write failed with {other}: {a:?}"),
    }
}

/// `writes` mixed writes spread over both app servers, eight at a time.
async fn burst(a: &TestServer, b: &TestServer, writes: usize) -> usize {
    let listed = a.get(ADMIN, "/api/v1/leads?limit=200").await;
    let codes: std::sync::Arc<Vec<String>> = std::sync::Arc::new(
        listed.body["items"].as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap().to_string()).collect(),
    );
    // The reps' tokens (sessions live in the database: one made on A works on B).
    let mut tokens = HashMap::new();
    for user in a.get(ADMIN, "/api/v1/users").await.body["items"].as_array().unwrap() {
        let key = user["key"].as_str().unwrap().to_string();
        if user["role"] != "admin" {
            tokens.insert(key.clone(), a.token_for(&key).await);
        }
    }
    let servers = [a, b];
    let next = std::sync::atomic::AtomicUsize::new(0);
    let acknowledged = std::sync::atomic::AtomicUsize::new(0);
    let worker = async || loop {
        let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n >= writes {
            break;
        }
        if one_write(servers[n % 2], &codes, &tokens, n).await {
            acknowledged.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    };
    futures::future::join_all((0..8).map(|_| worker())).await;
    acknowledged.into_inner()
}

#[tokio::test]
async fn after_a_burst_of_writes_spread_over_two_app_servers_their_kpis_agree_with_a_fresh_one() {
    let a = TestServer::following(Follow::Live).await;
    assert_eq!(a.post(ADMIN, "/api/v1/import", &recent_sample()).await.status, StatusCode::OK);
    let b = a.peer(Follow::Live).await;
    let acknowledged = burst(&a, &b, 1_000).await;
    assert!(acknowledged > 700, "most writes went through: {acknowledged}");
    let agreed = eventually(Duration::from_secs(10), || agree(&a, &b)).await;
    let fresh = a.peer(Follow::Off).await;
    assert!(
        agreed,
        "the two app servers agree:\nA     {}\nB     {}\nfresh {}",
        kpis(&a, None).await,
        kpis(&b, None).await,
        kpis(&fresh, None).await
    );
    // And both agree with an app server that read everything from the database afresh.
    assert_same(&kpis(&a, None).await, &kpis(&fresh, None).await);
    assert_same(&kpis(&a, Some("owner")).await, &kpis(&fresh, Some("owner")).await);
    assert_same(&kpis(&b, Some("source")).await, &kpis(&fresh, Some("source")).await);
}

/// Every lead's code, status and version as an app server lists them (the board's truth).
async fn board(s: &TestServer) -> Vec<(String, String, u64)> {
    let mut all: Vec<_> = s
        .every_lead()
        .await
        .iter()
        .map(|l| {
            (
                l["code"].as_str().unwrap().to_string(),
                l["status"].as_str().unwrap().to_string(),
                l["version"].as_u64().unwrap(),
            )
        })
        .collect();
    all.sort();
    all
}

#[tokio::test]
async fn two_app_servers_on_a_surrealdb_server_follow_each_other_and_ride_out_its_restart() {
    let mut surreal = SurrealServer::start().await;
    let a = TestServer::on_server(&surreal.url(), Follow::Live).await;
    let b = TestServer::on_server(&surreal.url(), Follow::Live).await;
    two_app_servers_follow_each_other(a, b).await;

    // Fresh app servers on the same database, after a burst spread over both.
    let a = TestServer::on_server(&surreal.url(), Follow::Live).await;
    let b = TestServer::on_server(&surreal.url(), Follow::Live).await;
    let acknowledged = burst(&a, &b, 1_000).await;
    assert!(acknowledged > 700, "most writes went through: {acknowledged}");
    assert!(eventually(Duration::from_secs(10), || agree(&a, &b)).await, "the two app servers agree");
    let fresh = TestServer::on_server(&surreal.url(), Follow::Off).await;
    assert_same(&kpis(&a, Some("owner")).await, &kpis(&fresh, Some("owner")).await);
    drop(fresh);
    let before = board(&a).await;

    // SurrealDB killed while both run, and started again: nothing acknowledged is lost, and
    // both app servers follow each other again by themselves.
    surreal.kill();
    let refused = a.get(ADMIN, "/api/v1/leads?limit=1").await;
    assert!(refused.status.is_server_error() || refused.status == StatusCode::SERVICE_UNAVAILABLE, "{refused:?}");
    surreal.restart().await;
    assert!(
        eventually(Duration::from_secs(30), || async {
            a.get(ADMIN, "/api/v1/leads?limit=1").await.status == StatusCode::OK
        })
        .await,
        "A answers again"
    );
    assert_eq!(board(&a).await, before, "every acknowledged write is still there");
    let mut heard = events(&b).await;
    let new = first_with(&a, "new").await;
    let code = new["code"].as_str().unwrap().to_string();
    let moved = async || {
        a.post(ADMIN, &format!("/api/v1/leads/{code}/move"), &json!({"to": "contacted", "version": new["version"]}))
            .await
    };
    assert!(eventually(Duration::from_secs(30), || async { moved().await.status == StatusCode::OK }).await);
    let event = next_of(&mut heard, "lead_changed", Duration::from_secs(30)).await.expect("B follows A again");
    assert_eq!(event["code"], code.as_str());
    assert!(eventually(Duration::from_secs(10), || agree(&a, &b)).await, "the two app servers agree again");
    assert_eq!(board(&b).await, board(&a).await);
}

#[tokio::test]
async fn sign_in_failures_count_on_every_app_server() {
    let a = TestServer::following(Follow::Live).await;
    let b = a.peer(Follow::Live).await;
    let form = |password: &str| format!("user=admin&password={password}");
    let sign_in = async |s: &TestServer, password: &str| {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/rpc/sign_in")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form(password)))
            .unwrap();
        s.app.clone().oneshot(req).await.unwrap().status()
    };
    // Five wrong passwords spread over both: the sixth try waits on either.
    for i in 0..app::ssr::defence::throttle::FREE_FAILURES {
        let s = if i % 2 == 0 { &a } else { &b };
        assert_ne!(sign_in(s, "wrong-password").await, StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(sign_in(&a, "wrong-password").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sign_in(&b, "wrong-password").await, StatusCode::TOO_MANY_REQUESTS);
}
