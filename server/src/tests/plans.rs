//! Follow-up plans (PRODUCT.md §5, §13): a lead's plan starts from its grade's template with
//! its time nodes, counts the follow-ups of each stage against the expected, is edited at
//! its version, and its milestones are checked off, suggesting the next move; an admin edits
//! the templates.
use super::common::*;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_leads_plan_starts_from_its_grades_template_is_edited_and_its_milestones_checked() {
    let s = TestServer::with_sample().await;
    let mut body = new_lead();
    body["owner"] = json!("r14");
    let lead = s.post(ADMIN, "/api/v1/leads", &body).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    assert_eq!(lead["grade"], "S");
    let rep = s.token_for("r14").await;
    let plan = s.get(&rep, &format!("/api/v1/leads/{code}/plan")).await;
    assert_eq!(plan.status, StatusCode::OK, "{plan:?}");
    let plan = plan.body;
    let template = s.get(&rep, "/api/v1/plan-templates").await.body;
    assert_eq!(plan["stages"][0]["goal"], template["grades"][0][0]["goal"], "S's template");
    assert_eq!(plan["version"], 0);
    let stages: Vec<&str> = plan["stages"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(stages, ["initial_contact", "need_deepening", "proposal_comparison", "negotiation"]);
    // Time nodes: S — 3 days of first contact, then 7, 7 and 10.
    let created = time(&lead["created_at"]);
    let nodes: Vec<i64> =
        plan["stages"].as_array().unwrap().iter().map(|s| (time(&s["due_at"]) - created).num_days()).collect();
    assert_eq!(nodes, [3, 10, 17, 27]);
    assert_eq!(plan["stages"][1]["follow_ups"], json!({"expected_min": 2, "expected_max": 4, "actual": 0}));
    assert_eq!(plan["progress"], json!({"reached": 0, "due": 0}));
    assert!(plan["completion"].is_null());

    // A follow-up logged in 初步接洽 counts for that stage.
    let moved = s
        .post(&rep, &format!("/api/v1/leads/{code}/move"), &json!({"to": "contacted", "version": lead["version"]}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{moved:?}");
    let log = json!({"occurred_at": Utc::now().to_rfc3339(), "channel": "phone", "direction": "outbound",
        "responded": true, "summary": "确认了采购负责人"});
    assert_eq!(s.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &log).await.status, StatusCode::CREATED);
    let plan = s.get(&rep, &format!("/api/v1/leads/{code}/plan")).await.body;
    assert_eq!(plan["stages"][0]["follow_ups"]["actual"], 1);
    assert_eq!(plan["stages"][0]["current"], true);

    // Editing at version 0, then a second edit from the same old version is refused.
    let mut edited: Vec<Value> = plan["stages"].as_array().unwrap().iter().map(|s| {
        json!({"goal": s["goal"], "strategy": s["strategy"], "channels": s["channels"], "talking_points": s["talking_points"],
            "expected_result": s["expected_result"], "contingency": s["contingency"]})
    }).collect();
    edited[0]["goal"] = json!("约采购总监 3 月 3 日面谈，确认决策链");
    edited[0]["channels"] = json!(["phone", "meeting"]);
    let a = s.put(&rep, &format!("/api/v1/leads/{code}/plan"), &json!({"stages": edited, "version": 0})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["version"], 1);
    let a = s.put(&rep, &format!("/api/v1/leads/{code}/plan"), &json!({"stages": edited, "version": 0})).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{a:?}");
    edited[2]["channels"] = json!(["carrier_pigeon"]);
    let a = s.put(&rep, &format!("/api/v1/leads/{code}/plan"), &json!({"stages": edited, "version": 1})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    assert!(a.body.to_string().contains("stages[2].channels"), "{a:?}");
    let a = s.put(&rep, &format!("/api/v1/leads/{code}/plan"), &json!({"stages": [], "version": 1})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    let plan = s.get(&rep, &format!("/api/v1/leads/{code}/plan")).await.body;
    assert_eq!(plan["stages"][0]["goal"], "约采购总监 3 月 3 日面谈，确认决策链");
    assert_eq!(plan["stages"][0]["channels"], json!(["phone", "meeting"]));

    // The first milestone checked: the plan is 1/1 and the board's next column is suggested.
    let version = s.get(&rep, &format!("/api/v1/leads/{code}")).await.body["version"].clone();
    let a = s
        .post(
            &rep,
            &format!("/api/v1/leads/{code}/milestones"),
            &json!({"stage": "initial_contact", "reached": true, "version": version}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["suggested_move"], "qualified");
    assert_eq!(a.body["lead"]["milestones"], json!(["initial_contact"]));
    let plan = s.get(&rep, &format!("/api/v1/leads/{code}/plan")).await.body;
    assert_eq!(plan["stages"][0]["reached"], true);
    assert_eq!(plan["stages"][0]["checked"]["by"], "r14");
    assert_eq!(plan["progress"], json!({"reached": 1, "due": 1}));
    assert_eq!(plan["completion"], 1.0);
    assert_eq!(plan["stages"][0]["goal"], "约采购总监 3 月 3 日面谈，确认决策链", "the edit kept");
    // A stale version: 409; another team's manager: not found.
    let a = s
        .post(
            &rep,
            &format!("/api/v1/leads/{code}/milestones"),
            &json!({"stage": "initial_contact", "reached": false, "version": version}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{a:?}");
    let other = s.token_for("r21").await;
    assert_eq!(s.get(&other, &format!("/api/v1/leads/{code}/plan")).await.status, StatusCode::NOT_FOUND);
    // Moving on makes the stage reached without a check: unchecking keeps it reached.
    let v = a.body["version"].clone();
    let a = s.post(&rep, &format!("/api/v1/leads/{code}/move"), &json!({"to": "proposal", "version": v})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let a = s
        .post(
            &rep,
            &format!("/api/v1/leads/{code}/milestones"),
            &json!({"stage": "initial_contact", "reached": false, "version": a.body["version"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert!(a.body["suggested_move"].is_null());
    let plan = s.get(&rep, &format!("/api/v1/leads/{code}/plan")).await.body;
    assert_eq!(
        (plan["stages"][0]["reached"].as_bool(), plan["stages"][1]["reached"].as_bool()),
        (Some(true), Some(true))
    );
    assert!(plan["stages"][0]["checked"].is_null());
    let mut res = s
        .state
        .db
        .query("SELECT VALUE field FROM audit WHERE record = $r")
        .bind(("r", format!("lead:{code}")))
        .await
        .unwrap();
    let fields: Vec<String> = res.take(0).unwrap();
    assert_eq!(fields.iter().filter(|f| *f == "milestone.initial_contact").count(), 2, "{fields:?}");
}

#[tokio::test]
async fn an_admin_edits_the_templates_new_plans_start_from() {
    let s = TestServer::with_sample().await;
    let manager = s.token_for("r11").await;
    let mut t = s.get(ADMIN, "/api/v1/plan-templates").await.body;
    assert_eq!(t["grades"].as_array().unwrap().len(), 4);
    t["grades"][3][0]["goal"] = json!("每周发送一篇行业资讯，了解是否有采购计划");
    assert_eq!(s.put(&manager, "/api/v1/plan-templates", &t).await.status, StatusCode::FORBIDDEN);
    let a = s.put(ADMIN, "/api/v1/plan-templates", &json!({"grades": [[], [], [], []]})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    let a = s.put(ADMIN, "/api/v1/plan-templates", &t).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    // A C lead's plan starts from the new template.
    let lead = s
        .post(
            ADMIN,
            "/api/v1/leads",
            &json!({"source": "web_form", "company": "兰州小禾商贸", "employees": 5, "owner": "r14"}),
        )
        .await
        .body;
    assert_eq!(lead["grade"], "C");
    let plan = s.get(ADMIN, &format!("/api/v1/leads/{}/plan?lang=en", lead["code"].as_str().unwrap())).await.body;
    assert_eq!(plan["stages"][0]["goal"], "每周发送一篇行业资讯，了解是否有采购计划");
    assert_eq!(plan["stages"][3]["milestone"], "Contract signed or deposit paid");
}
