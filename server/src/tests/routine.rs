//! The daily routine (API.md "Follow-up work"): the cadence keeps one follow-up task ahead,
//! a follow-up completes it, closing a lead drops what is not yet due, a new grade brings the
//! next follow-up forward; manual tasks are made and done in the right hands; the response
//! SLA lists the leads near and past their limit.
use super::common::*;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::{json, Value};

/// The open tasks of a lead, as the admin sees them.
async fn open_tasks(s: &TestServer, code: &str) -> Vec<Value> {
    let a = s.get(ADMIN, &format!("/api/v1/tasks?lead={code}")).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    a.body["items"].as_array().unwrap().clone()
}

fn due(task: &Value) -> chrono::DateTime<Utc> {
    task["due_at"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn the_cadence_keeps_one_follow_up_ahead_and_a_closed_lead_drops_it() {
    let s = TestServer::with_sample().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    assert_eq!(lead["grade"], "S");
    let first = open_tasks(&s, &code).await;
    assert_eq!(first.len(), 1, "the first follow-up, due within the response SLA: {first:?}");
    assert_eq!(first[0]["kind"], "follow_up");
    assert_eq!(first[0]["priority"], "urgent_important", "an S lead's task");
    assert_eq!(first[0]["owner"], lead["owner"]);
    let rep = s.token_for(lead["owner"].as_str().unwrap()).await;

    // A follow-up now completes it and plans the next a day later (S: every day).
    let now = Utc::now();
    let log = |next: Option<chrono::DateTime<Utc>>| {
        let mut body = json!({"occurred_at": Utc::now().to_rfc3339(), "channel": "phone", "direction": "outbound",
            "responded": true, "summary": "电话沟通需求"});
        if let Some(n) = next {
            body["next_follow_up_at"] = json!(n.to_rfc3339());
        }
        body
    };
    let a = s.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &log(None)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    let next = open_tasks(&s, &code).await;
    assert_eq!(next.len(), 1, "{next:?}");
    assert_ne!(next[0]["id"], first[0]["id"]);
    let step = due(&next[0]) - now;
    assert!(step >= Duration::hours(23) && step <= Duration::hours(25), "a day later: {step}");
    let done = s.get(ADMIN, &format!("/api/v1/tasks?lead={code}&status=done")).await.body;
    assert_eq!(done["items"][0]["id"], first[0]["id"]);

    // A follow-up naming the next time completes tomorrow's task early and plans one then.
    let wanted = now + Duration::days(3);
    let a = s.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &log(Some(wanted))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    let moved = open_tasks(&s, &code).await;
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!((due(&moved[0]) - wanted).num_seconds().abs() <= 1);

    // Closing the lead drops the task not yet due: nothing is left to do on it.
    let version = s.get(ADMIN, &format!("/api/v1/leads/{code}")).await.body["version"].clone();
    let lost = s
        .post(
            ADMIN,
            &format!("/api/v1/leads/{code}/move"),
            &json!({"to": "lost", "loss_reason": "price", "version": version}),
        )
        .await;
    assert_eq!(lost.status, StatusCode::OK, "{lost:?}");
    assert!(open_tasks(&s, &code).await.is_empty());
    let mut res = s
        .state
        .db
        .query("SELECT VALUE dropped_at != NONE FROM task WHERE lead = type::record('lead', $code) AND done_at = NONE")
        .bind(("code", code.clone()))
        .await
        .unwrap();
    let dropped: Vec<bool> = res.take(0).unwrap();
    assert_eq!(dropped, vec![true]);
}

#[tokio::test]
async fn a_higher_grade_brings_the_next_follow_up_forward() {
    let s = TestServer::with_sample().await;
    let c = json!({"source": "cold_call", "company": "无锡小试点商贸", "employees": 5});
    let lead = s.post(ADMIN, "/api/v1/leads", &c).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    assert_eq!(lead["grade"], "C");
    let rep = s.token_for(lead["owner"].as_str().unwrap()).await;
    // The first contact, then the weekly rhythm of a C lead.
    s.post(
        &rep,
        &format!("/api/v1/leads/{code}/interactions"),
        &json!({"occurred_at": Utc::now().to_rfc3339(), "channel": "email", "direction": "outbound", "responded": false}),
    )
    .await;
    let weekly = open_tasks(&s, &code).await;
    assert!(due(&weekly[0]) - Utc::now() > Duration::days(6));
    assert_eq!(weekly[0]["priority"], "neither");
    let version = s.get(ADMIN, &format!("/api/v1/leads/{code}")).await.body["version"].clone();
    let patch = json!({"version": version, "employees": 1200, "budget": 200000, "decision_months": 1, "decision_chain": "dm_engaged"});
    let a = s.patch(ADMIN, &format!("/api/v1/leads/{code}"), &patch).await;
    assert_eq!(a.body["grade"], "S", "{a:?}");
    let daily = open_tasks(&s, &code).await;
    assert_eq!(daily.len(), 1);
    assert_eq!(daily[0]["id"], weekly[0]["id"], "the same task, brought forward");
    assert!(due(&daily[0]) - Utc::now() <= Duration::days(1));
}

#[tokio::test]
async fn a_manual_task_is_made_for_a_colleague_and_done_by_its_hands_only() {
    let s = TestServer::with_sample().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    let owner = lead["owner"].as_str().unwrap().to_string();
    let rep = s.token_for(&owner).await;
    let colleague = if owner == "r14" { "r13" } else { "r14" };
    let due_at = (Utc::now() + Duration::days(1)).to_rfc3339();
    let body = json!({"lead": code, "due_at": due_at, "title": "请法务审核合同条款", "priority": "important", "owner": colleague});
    let made = s.post(&rep, "/api/v1/tasks", &body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    assert_eq!(made.body["kind"], "manual");
    assert_eq!(made.body["owner"], colleague);
    assert_eq!(made.body["priority"], "important");
    let id = made.body["id"].as_str().unwrap().to_string();

    // The colleague sees it in their list; a rep elsewhere cannot plan on the lead.
    let theirs = s.token_for(colleague).await;
    let list = s.get(&theirs, &format!("/api/v1/tasks?owner={colleague}")).await.body;
    assert!(list["items"].as_array().unwrap().iter().any(|t| t["id"] == id.as_str()), "{list}");
    let refused = s.post(&theirs, "/api/v1/tasks", &body).await;
    assert!(matches!(refused.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{refused:?}");

    // Bad input is named; nothing is written.
    let tasks_before = s.count("task").await;
    let bad = s
        .post(&rep, "/api/v1/tasks", &json!({"lead": code, "title": "", "priority": "soon", "due_at": "tomorrow"}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
    let paths: Vec<&str> =
        bad.body["error"]["details"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    for p in ["due_at", "title", "priority"] {
        assert!(paths.contains(&p), "{p} in {paths:?}");
    }
    assert_eq!(s.count("task").await, tasks_before);

    let done = s.post(&theirs, &format!("/api/v1/tasks/{id}/done"), &json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{done:?}");
    assert!(done.body["done_at"].is_string());
    let again = s.post(&theirs, &format!("/api/v1/tasks/{id}/done"), &json!({})).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let mut res = s
        .state
        .db
        .query("SELECT VALUE field FROM audit WHERE record = $r")
        .bind(("r", format!("task:{id}")))
        .await
        .unwrap();
    let audited: Vec<String> = res.take(0).unwrap();
    assert_eq!(audited.len(), 2, "made and done: {audited:?}");
}

#[tokio::test]
async fn the_sla_lists_leads_near_and_past_their_response_limit() {
    let s = TestServer::with_sample().await;
    let a = s.put(ADMIN, "/api/v1/settings", &json!({"sla": {"s_hours": 1}})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let mut codes = Vec::new();
    for (company, minutes_ago) in [("临期科技", 50), ("超时科技", 70), ("刚到科技", 5)] {
        let mut lead = new_lead();
        lead["company"] = json!(company);
        lead["phone"] = Value::Null;
        let code = s.post(ADMIN, "/api/v1/leads", &lead).await.body["code"].as_str().unwrap().to_string();
        s.state
            .db
            .query("UPDATE type::record('lead', $code) SET created_at = time::now() - type::duration($ago)")
            .bind(("code", code.clone()))
            .bind(("ago", format!("{minutes_ago}m")))
            .await
            .unwrap();
        codes.push(code);
    }
    s.state.follow_bulk(&codes).await.unwrap();
    let listed = |state: &'static str| {
        let app = s.app.clone();
        async move {
            let a = send(
                &app,
                axum::http::Method::GET,
                &format!("/api/v1/sla?state={state}"),
                Some(ADMIN),
                &[],
                axum::body::Body::empty(),
            )
            .await;
            assert_eq!(a.status, StatusCode::OK, "{a:?}");
            a.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["lead"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    let soon = listed("due_soon").await;
    let breached = listed("breached").await;
    assert!(soon.contains(&codes[0]) && !soon.contains(&codes[1]) && !soon.contains(&codes[2]), "{soon:?}");
    assert!(breached.contains(&codes[1]) && !breached.contains(&codes[0]), "{breached:?}");
    // An outbound follow-up stops the clock.
    let lead = s.get(ADMIN, &format!("/api/v1/leads/{}", codes[1])).await.body;
    let rep = s.token_for(lead["owner"].as_str().unwrap()).await;
    s.post(
        &rep,
        &format!("/api/v1/leads/{}/interactions", codes[1]),
        &json!({"occurred_at": Utc::now().to_rfc3339(), "channel": "phone", "direction": "outbound", "responded": true}),
    )
    .await;
    assert!(!listed("breached").await.contains(&codes[1]));
    let bad = s.get(ADMIN, "/api/v1/sla?state=late").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_task_reminds_its_owner_at_its_reminder_time_once_a_lead() {
    let s = TestServer::with_sample().await;
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    let owner = lead["owner"].as_str().unwrap().to_string();
    let rep = s.token_for(&owner).await;
    let before = s.get(&rep, "/api/v1/reminders").await;
    assert_eq!(before.status, StatusCode::OK, "{before:?}");
    let base = before.body["due"].as_u64().unwrap();

    // Due tomorrow, with a reminder a minute ago: it reminds now, named in the reader's language.
    let now = Utc::now();
    let body = json!({"lead": code, "due_at": (now + Duration::days(1)).to_rfc3339(), "title": "准备报价单",
        "remind_at": (now - Duration::minutes(1)).to_rfc3339()});
    let made = s.post(&rep, "/api/v1/tasks", &body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    let id = made.body["id"].as_str().unwrap().to_string();
    let r = s.get(&rep, "/api/v1/reminders?lang=en").await.body;
    assert_eq!(r["due"].as_u64().unwrap(), base + 1, "{r}");
    assert_eq!(r["latest"]["id"], id.as_str());
    assert_eq!(r["text"], format!("{} · 准备报价单", lead["company"].as_str().unwrap()));

    // One with its reminder in an hour names that moment as the next; it does not count yet.
    let later = now + Duration::hours(1);
    let body = json!({"lead": code, "due_at": (now + Duration::days(2)).to_rfc3339(), "title": "发送案例",
        "remind_at": later.to_rfc3339()});
    assert_eq!(s.post(&rep, "/api/v1/tasks", &body).await.status, StatusCode::CREATED);
    let r = s.get(&rep, "/api/v1/reminders").await.body;
    assert_eq!(r["due"].as_u64().unwrap(), base + 1, "{r}");
    let next: chrono::DateTime<Utc> = r["next_at"].as_str().unwrap().parse().unwrap();
    assert!(next <= later && next > now, "{r}");

    // Done, it reminds no more; a user who holds no leads has nothing to be reminded of.
    assert_eq!(s.post(&rep, &format!("/api/v1/tasks/{id}/done"), &json!({})).await.status, StatusCode::OK);
    assert_eq!(s.get(&rep, "/api/v1/reminders").await.body["due"].as_u64().unwrap(), base);
    let admin = s.get(ADMIN, "/api/v1/reminders").await.body;
    assert_eq!(admin["due"], 0, "{admin}");
    let anon = s.raw(axum::http::Method::GET, "/api/v1/reminders", None, axum::body::Body::empty()).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
}
