//! Score review (API.md "Follow-up work", PRODUCT.md §3, §13): a manager of the lead's team
//! overrides a part of its score with a reason and the grade follows; a rep may not; the
//! override is audited and removable; the review's queue lists new and changed scores until
//! reviewed; every open C lead gets this month's re-evaluation task, once.
use super::common::*;
use axum::http::StatusCode;
use serde_json::{json, Value};

async fn queue(s: &TestServer, token: String) -> Value {
    let a = s.get(&token, "/api/v1/score-review?days=7&limit=2000").await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    a.body
}

async fn touches(s: &TestServer, rep: &str, code: &str) -> Value {
    s.get(rep, &format!("/api/v1/tasks?lead={code}&kind=weekly_touch")).await.body
}

async fn audited(s: &TestServer, code: &str) -> Vec<(String, Value, Value)> {
    let mut res = s
        .state
        .db
        .query("SELECT field, old, new, at FROM audit WHERE record = $r ORDER BY at")
        .bind(("r", format!("lead:{code}")))
        .await
        .unwrap();
    let rows: Vec<Value> = res.take(0).unwrap();
    rows.into_iter().map(|r| (r["field"].as_str().unwrap().to_string(), r["old"].clone(), r["new"].clone())).collect()
}

#[tokio::test]
async fn a_manager_overrides_a_part_the_grade_follows_and_a_rep_may_not() {
    let s = TestServer::with_sample().await;
    // An S lead handed to r14, a rep of team t1 (managed by r11; r21 manages t2).
    let mut body = new_lead();
    body["owner"] = json!("r14");
    let lead = s.post(ADMIN, "/api/v1/leads", &body).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    // 20 (300 employees) + 30 (budget 2× the reference) + 20 + 20 = 90: S.
    assert_eq!((lead["score"]["total"].as_u64(), lead["grade"].as_str()), (Some(90), Some("S")));
    assert_eq!(lead["team"], "t1");
    let manager = s.token_for("r11").await;
    let other = s.token_for("r21").await;
    let rep = s.token_for("r14").await;
    let uri = format!("/api/v1/leads/{code}/override");
    let body = |points: Value, reason: Option<&str>, version: &Value| {
        let mut b = json!({"part": "budget_match", "points": points, "version": version});
        if let Some(r) = reason {
            b["reason"] = json!(r);
        }
        b
    };
    let v = lead["version"].clone();

    // A rep, even on their own lead: 403. A manager of another team: 403 or 404, never a write.
    let a = s.put(&rep, &uri, &body(json!(5), Some("预算未获批"), &v)).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{a:?}");
    let a = s.put(&other, &uri, &body(json!(5), Some("预算未获批"), &v)).await;
    assert!(matches!(a.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{a:?}");
    // No reason: 422; more than the part's maximum: 422; a stale version: 409.
    let a = s.put(&manager, &uri, &body(json!(5), None, &v)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    assert!(a.body.to_string().contains("reason"), "{a:?}");
    let a = s.put(&manager, &uri, &body(json!(31), Some("x"), &v)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    let a = s.put(&manager, &uri, &body(json!(5), Some("x"), &json!(99))).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{a:?}");
    assert_eq!(s.get(ADMIN, &format!("/api/v1/leads/{code}")).await.body["version"], v, "nothing written");

    // The manager knows the budget is not approved: budget match 5, 65 in all, A.
    let a = s.put(&manager, &uri, &body(json!(5), Some("预算尚未获批，只是询价"), &v)).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let l = a.body;
    assert_eq!((l["score"]["budget_match"].as_u64(), l["score"]["total"].as_u64()), (Some(5), Some(65)));
    assert_eq!((l["grade"].as_str(), l["score"]["grade"].as_str()), (Some("A"), Some("A")));
    assert_eq!(l["overrides"][0]["part"], "budget_match");
    assert_eq!(l["overrides"][0]["reason"], "预算尚未获批，只是询价");
    assert_eq!(l["overrides"][0]["by"], "r11");
    assert!(l["overrides"][0]["by_name"].is_string());
    // The board and the list see the new grade at once.
    let listed = s.get(ADMIN, &format!("/api/v1/leads?q={code}")).await.body;
    assert_eq!(listed["items"][0]["grade"], "A", "{listed}");
    let trail = audited(&s, &code).await;
    assert!(
        trail.iter().any(|(f, old, new)| f == "score_override.budget_match"
            && old["points"].is_null()
            && new == &json!({"points": 5, "reason": "预算尚未获批，只是询价"})),
        "{trail:?}"
    );
    assert!(trail.iter().any(|(f, old, new)| f == "grade" && old == "S" && new == "A"), "{trail:?}");

    // An edit of the lead keeps the override: the budget's rules no longer decide that part.
    let a = s.patch(&rep, &format!("/api/v1/leads/{code}"), &json!({"budget": 400000, "version": l["version"]})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["score"]["budget_match"], 5);
    let v = a.body["version"].clone();

    // Removing it (a reason is welcome, not needed): the rules' 30 again, S.
    let a = s.put(&manager, &uri, &json!({"part": "budget_match", "points": null, "version": v})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!((a.body["score"]["total"].as_u64(), a.body["grade"].as_str()), (Some(90), Some("S")));
    assert_eq!(a.body["overrides"], json!([]));
    let trail = audited(&s, &code).await;
    assert!(trail.iter().any(|(f, _, new)| f == "score_override.budget_match" && new["points"].is_null()), "{trail:?}");
    // The admin may override too; a part that is not one: 422.
    let v = a.body["version"].clone();
    let a = s.put(ADMIN, &uri, &json!({"part": "mood", "points": 1, "reason": "x", "version": v})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    let a =
        s.put(ADMIN, &uri, &json!({"part": "urgency", "points": 0, "reason": "客户说明年再议", "version": v})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!((a.body["score"]["total"].as_u64(), a.body["grade"].as_str()), (Some(70), Some("A")));
}

#[tokio::test]
async fn new_and_changed_scores_wait_for_review_and_c_leads_get_a_monthly_re_evaluation() {
    let s = TestServer::with_sample().await;
    let manager = s.token_for("r11").await;
    let rep = s.token_for("r14").await;
    // A new lead of r14's, on team t1: on the t1 manager's queue.
    let mut body = new_lead();
    body["company"] = json!("成都小微商贸有限公司");
    body["employees"] = json!(5);
    body["budget"] = json!(10000);
    body["decision_months"] = json!(12);
    body["decision_chain"] = json!("contact_only");
    body["owner"] = json!("r14");
    let lead = s.post(ADMIN, "/api/v1/leads", &body).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    assert_eq!(lead["grade"], "C", "{lead}");
    assert_eq!(s.get(&rep, "/api/v1/score-review").await.status, StatusCode::FORBIDDEN);
    let q = queue(&s, manager.clone()).await;
    let row = q["items"].as_array().unwrap().iter().find(|r| r["code"] == code.as_str()).cloned();
    let row = row.unwrap_or_else(|| panic!("the new lead is on the queue: {q}"));
    assert!(row["reviewed"].is_null(), "new: {row}");
    assert_eq!(row["score"]["total"], lead["score"]["total"]);
    let other = queue(&s, s.token_for("r21").await).await;
    assert!(!other["items"].as_array().unwrap().iter().any(|r| r["code"] == code.as_str()), "not another team's");

    // Reviewed: off the queue.
    let a = s.post(&manager, &format!("/api/v1/leads/{code}/score-review"), &json!({"version": lead["version"]})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let q = queue(&s, manager.clone()).await;
    assert!(!q["items"].as_array().unwrap().iter().any(|r| r["code"] == code.as_str()), "{q}");
    // Its score changes (the rep learns the decision maker is engaged): back on, as changed.
    let a = s
        .patch(
            &rep,
            &format!("/api/v1/leads/{code}"),
            &json!({"decision_chain": "dm_engaged", "version": a.body["version"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let q = queue(&s, manager.clone()).await;
    let row = q["items"].as_array().unwrap().iter().find(|r| r["code"] == code.as_str()).cloned().expect("changed");
    assert_eq!(row["reviewed"]["total"], lead["score"]["total"], "the score the manager saw: {row}");
    assert_ne!(row["score"]["total"], row["reviewed"]["total"]);

    // The month's re-evaluation: every open C lead with an owner gets one task, once.
    assert_eq!(s.post(&manager, "/api/v1/tasks/routine", &json!({})).await.status, StatusCode::FORBIDDEN);
    let a = s.post(ADMIN, "/api/v1/tasks/routine", &json!({})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let planned = a.body["reevaluate"].as_u64().unwrap();
    assert!(planned >= 1, "{a:?}");
    assert!(a.body["weekly_touch"].as_u64().unwrap() >= 1, "the sample's open S and A leads: {a:?}");
    let again = s.post(ADMIN, "/api/v1/tasks/routine", &json!({})).await;
    assert_eq!(again.body, json!({"reevaluate": 0, "weekly_touch": 0}), "planning twice adds nothing: {again:?}");
    let tasks = s.get(&rep, &format!("/api/v1/tasks?lead={code}&kind=reevaluate")).await.body;
    assert_eq!(tasks["total"], 1, "{tasks}");
    assert_eq!(tasks["items"][0]["owner"], "r14");
    // The manager's review completes it; done this month, it is not planned again.
    let v = s.get(ADMIN, &format!("/api/v1/leads/{code}")).await.body["version"].clone();
    let a = s.post(&manager, &format!("/api/v1/leads/{code}/score-review"), &json!({"version": v})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let tasks = s.get(&rep, &format!("/api/v1/tasks?lead={code}&kind=reevaluate")).await.body;
    assert_eq!(tasks["total"], 0, "{tasks}");
    let again = s.post(ADMIN, "/api/v1/tasks/routine", &json!({})).await;
    assert_eq!(again.body["reevaluate"], 0, "{again:?}");
}

#[tokio::test]
async fn an_s_lead_gets_a_weekly_meeting_that_a_meeting_completes_and_a_call_does_not() {
    let s = TestServer::with_sample().await;
    let mut body = new_lead();
    body["owner"] = json!("r14");
    let lead = s.post(ADMIN, "/api/v1/leads", &body).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    assert_eq!(lead["grade"], "S");
    let a = s.post(ADMIN, "/api/v1/tasks/routine", &json!({})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let rep = s.token_for("r14").await;
    let open = touches(&s, &rep, &code).await;
    assert_eq!(open["total"], 1, "{open}");
    assert_eq!(open["items"][0]["title"], "每周面谈");
    assert_eq!(open["items"][0]["owner"], "r14");
    let log = |channel: &str| {
        json!({"occurred_at": chrono::Utc::now().to_rfc3339(), "channel": channel, "direction": "outbound",
            "responded": true, "summary": "沟通"})
    };
    // A call is the daily rhythm, not the weekly meeting.
    assert_eq!(
        s.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &log("phone")).await.status,
        StatusCode::CREATED
    );
    assert_eq!(touches(&s, &rep, &code).await["total"], 1);
    assert_eq!(
        s.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &log("meeting")).await.status,
        StatusCode::CREATED
    );
    assert_eq!(touches(&s, &rep, &code).await["total"], 0, "the meeting completes it");
    // Done this week: planning again adds none for this lead.
    let again = s.post(ADMIN, "/api/v1/tasks/routine", &json!({})).await;
    assert_eq!(again.body["weekly_touch"], 0, "{again:?}");
}
