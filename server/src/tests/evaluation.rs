//! Evaluating the follow-up (API.md "Evaluation", PRODUCT.md §7, §14): the strategy
//! comparison, the team alert and the 周报, against the sample workspace and the KPIs API.
use super::common::*;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Duration, Utc};
use serde_json::{json, Value};

#[tokio::test]
async fn strategies_compare_the_two_largest_variants_of_the_period() {
    let s = TestServer::new().await;
    // The sample with every third lead 精准跟进, every other 高频跟进 and a few 试点.
    let mut bundle = fixture("sample-bundle.json");
    for (n, l) in bundle["leads"].as_array_mut().unwrap().iter_mut().enumerate() {
        l["strategy"] = match n % 6 {
            0 | 3 => json!("精准跟进"),
            1 | 2 | 4 => json!("高频跟进"),
            _ if n % 12 == 5 => json!("试点"),
            _ => Value::Null,
        };
    }
    assert_eq!(s.post(ADMIN, "/api/v1/import", &bundle).await.status, StatusCode::OK);
    let (from, to) = ("2024-01-01", "2024-07-01");
    let tally = |key: &str, team: Option<&str>| {
        let team_of =
            |rep: &str| bundle["reps"].as_array().unwrap().iter().find(|r| r["key"] == rep).unwrap()["team"].clone();
        let leads: Vec<&Value> = bundle["leads"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["strategy"] == key)
            .filter(|l| {
                let created = time(&l["created_at"]) + Duration::hours(8);
                created.format("%Y-%m-%d").to_string().as_str() >= from
                    && created.format("%Y-%m-%d").to_string().as_str() < to
            })
            .filter(|l| team.is_none_or(|t| team_of(l["owner"].as_str().unwrap()) == t))
            .collect();
        let won = leads.iter().filter(|l| l["status"] == "won").count() as u64;
        (leads.len() as u64, won)
    };
    let a = s.get(ADMIN, &format!("/api/v1/strategies?from={from}&to={to}")).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let variants = a.body["variants"].as_array().unwrap();
    let keys: Vec<&str> = variants.iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["高频跟进", "精准跟进", "试点"], "largest first");
    for v in variants {
        let (leads, won) = tally(v["key"].as_str().unwrap(), None);
        assert_eq!((v["leads"].as_u64().unwrap(), v["won"].as_u64().unwrap()), (leads, won), "{v}");
        assert_eq!(v["conversion"].as_f64().unwrap(), won as f64 / leads as f64);
    }
    let test = &a.body["test"];
    assert_eq!((test["a"].as_str(), test["b"].as_str()), (Some("高频跟进"), Some("精准跟进")));
    let (la, wa) = tally("高频跟进", None);
    let (lb, wb) = tally("精准跟进", None);
    let expected = app::value::stats::two_proportion(wa, la, wb, lb).unwrap();
    assert_eq!(test["z"].as_f64().unwrap(), expected.z);
    assert_eq!(test["p_value"].as_f64().unwrap(), expected.p_value);
    assert_eq!(test["significant"].as_bool().unwrap(), expected.significant);
    if !expected.significant {
        assert!(test["more_needed"].as_u64().is_some(), "{test}");
    }

    // A manager compares their team's leads only.
    let manager = s.token_for("r11").await;
    let mine = s.get(&manager, &format!("/api/v1/strategies?from={from}&to={to}")).await.body;
    let first = &mine["variants"][0];
    assert_eq!(
        (first["leads"].as_u64().unwrap(), first["won"].as_u64().unwrap()),
        tally(first["key"].as_str().unwrap(), Some("t1"))
    );

    // A period is required and must make sense.
    for (query, field) in
        [("from=2024-01-01", "to"), ("from=2024-02-30&to=2024-03-01", "from"), ("from=2024-03-01&to=2024-02-01", "to")]
    {
        let a = s.get(ADMIN, &format!("/api/v1/strategies?{query}")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {a:?}");
        assert_eq!(a.body["error"]["details"][0]["path"], field, "{query}");
    }
    // No strategy in the period: no variants, nothing to test.
    let empty = s.get(ADMIN, "/api/v1/strategies?from=2020-01-01&to=2020-02-01").await.body;
    assert_eq!(empty, json!({"variants": [], "test": null}));
}

#[tokio::test]
async fn a_team_below_four_fifths_of_the_workspace_three_months_running_is_flagged() {
    let s = TestServer::new().await;
    // In the sample, t3 converts below 80 % of the workspace in May and June 2024 (4 of 32, 4
    // of 29) but not in April (9 of 28): its April wins are handed to r12 of t1.
    let mut bundle = fixture("sample-bundle.json");
    let t3 = ["r31", "r32", "r33", "r34", "r35"];
    for l in bundle["leads"].as_array_mut().unwrap() {
        let created = time(&l["created_at"]) + Duration::hours(8);
        if created.month() == 4 && l["status"] == "won" && t3.contains(&l["owner"].as_str().unwrap()) {
            l["owner"] = json!("r12");
        }
    }
    assert_eq!(s.post(ADMIN, "/api/v1/import", &bundle).await.status, StatusCode::OK);
    let a = s.get(ADMIN, "/api/v1/alerts/teams?month=2024-06").await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let teams = a.body["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 1, "{teams:?}");
    assert_eq!(teams[0]["team"], "t3");
    let months: Vec<(String, f64, f64)> = teams[0]["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_string(),
                m["rate"].as_f64().unwrap(),
                m["workspace_rate"].as_f64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("2024-04".to_string(), 0.0 / 19.0, 30.0 / 90.0),
        ("2024-05".to_string(), 4.0 / 32.0, 16.0 / 85.0),
        ("2024-06".to_string(), 4.0 / 29.0, 23.0 / 107.0),
    ];
    assert_eq!(months.len(), 3);
    for (got, want) in months.iter().zip(&expected) {
        assert_eq!(got.0, want.0);
        assert!((got.1 - want.1).abs() < 1e-12 && (got.2 - want.2).abs() < 1e-12, "{got:?} vs {want:?}");
    }
    // The team's lead mix beside the workspace's: shares that add up to one.
    for mix in [&teams[0]["mix"], &a.body["workspace_mix"]] {
        for part in ["grades", "sources"] {
            let sum: f64 = mix[part].as_object().unwrap().values().map(|v| v.as_f64().unwrap()).sum();
            assert!((sum - 1.0).abs() < 1e-9, "{part}: {mix}");
        }
    }
    assert_eq!(teams[0]["mix"]["leads"], 19 + 32 + 29);
    assert_eq!(a.body["workspace_mix"]["leads"], 90 + 85 + 107);
    // A month earlier, April alone is not three months.
    assert_eq!(s.get(ADMIN, "/api/v1/alerts/teams?month=2024-05").await.body["teams"], json!([]));

    // t3's manager sees it, t1's does not; reps are not shown the alert.
    let t3_manager = s.token_for("r31").await;
    assert_eq!(s.get(&t3_manager, "/api/v1/alerts/teams?month=2024-06").await.body["teams"][0]["team"], "t3");
    let t1_manager = s.token_for("r11").await;
    assert_eq!(s.get(&t1_manager, "/api/v1/alerts/teams?month=2024-06").await.body["teams"], json!([]));
    let rep = s.token_for("r14").await;
    assert_eq!(s.get(&rep, "/api/v1/alerts/teams?month=2024-06").await.status, StatusCode::FORBIDDEN);
    for bad in ["", "?month=2024-6", "?month=2024-13"] {
        let a = s.get(ADMIN, &format!("/api/v1/alerts/teams{bad}")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {a:?}");
        assert_eq!(a.body["error"]["details"][0]["path"], "month");
    }
}

/// The Monday (Asia/Shanghai) of the week holding `t`.
fn monday_of(t: DateTime<Utc>) -> chrono::NaiveDate {
    let local = (t + Duration::hours(8)).date_naive();
    local - Duration::days(i64::from(local.weekday().num_days_from_monday()))
}

#[tokio::test]
async fn the_weekly_report_tells_the_week_and_its_kpis_equal_the_kpis_api() {
    let s = TestServer::new().await;
    let bundle = recent_sample();
    assert_eq!(s.post(ADMIN, "/api/v1/import", &bundle).await.status, StatusCode::OK);
    // The week of the sample's last new lead.
    let last_created = bundle["leads"].as_array().unwrap().iter().map(|l| time(&l["created_at"])).max().unwrap();
    let monday = monday_of(last_created);
    let (from, to, before) = (monday, monday + Duration::days(7), monday - Duration::days(7));
    let week = app::ssr::service::reports::week_of(monday);
    let kpis = |token: String, from: chrono::NaiveDate, to: chrono::NaiveDate, by: &str| {
        let (s, uri) = (&s, format!("/api/v1/kpis?from={from}&to={to}{by}"));
        async move { s.get(&token, &uri).await.body }
    };
    let group = |report: &Value, key: &str| {
        report["groups"].as_array().unwrap().iter().find(|g| g["key"] == key).map(|g| g["kpis"].clone()).unwrap()
    };

    // Everything an admin sees: this week's and last week's KPIs are the KPIs API's.
    let a = s.get(ADMIN, &format!("/api/v1/reports/weekly?week={week}")).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let r = &a.body;
    assert_eq!((r["week"].as_str(), r["from"].as_str()), (Some(week.as_str()), Some(from.to_string().as_str())));
    assert_eq!(r["kpis"], kpis(ADMIN.into(), from, to, "").await["total"]);
    assert_eq!(r["last_week"], kpis(ADMIN.into(), before, from, "").await["total"]);
    assert!(r["kpis"]["new_leads"].as_u64().unwrap() > 0, "the week has new leads");
    let change = r["changes"].as_array().unwrap().iter().find(|c| c["key"] == "new_leads").unwrap().clone();
    let (this, last) = (r["kpis"]["new_leads"].as_f64().unwrap(), r["last_week"]["new_leads"].as_f64().unwrap());
    assert_eq!(
        (change["this_week"].as_f64(), change["last_week"].as_f64(), change["change"].as_f64()),
        (Some(this), Some(last), Some(this - last))
    );
    assert_eq!(r["changes"].as_array().unwrap().len(), 18);

    // The week's leads: new, won and lost (with reasons), and its status changes, as the bundle has them.
    let in_week = |v: &Value| {
        v.as_str().is_some_and(|_| {
            let d = (time(v) + Duration::hours(8)).date_naive();
            from <= d && d < to
        })
    };
    let leads = bundle["leads"].as_array().unwrap();
    assert_eq!(r["new_leads"].as_array().unwrap().len(), leads.iter().filter(|l| in_week(&l["created_at"])).count());
    assert_eq!(r["new_leads"].as_array().unwrap().len() as u64, r["kpis"]["new_leads"].as_u64().unwrap());
    let won = leads.iter().filter(|l| l["status"] == "won" && in_week(&l["won_at"])).count();
    let lost: Vec<&Value> = leads.iter().filter(|l| l["status"] == "lost" && in_week(&l["lost_at"])).collect();
    assert_eq!(r["won_leads"].as_array().unwrap().len(), won);
    assert_eq!(r["lost_leads"].as_array().unwrap().len(), lost.len());
    assert!(r["lost_leads"].as_array().unwrap().iter().all(|l| l["loss_reason"].is_string()));
    let by_reasons: u64 = r["loss_reasons"].as_array().unwrap().iter().map(|c| c["leads"].as_u64().unwrap()).sum();
    assert_eq!(by_reasons as usize, lost.len());
    let moves = bundle["stage_changes"].as_array().unwrap().iter().filter(|c| in_week(&c["at"])).count();
    assert_eq!(r["status_changes"].as_array().unwrap().len(), moves);
    assert!(moves > 0);
    // Risks: SLAs that ran out during the week without a first contact in time.
    for b in r["risks"]["sla_breaches"].as_array().unwrap() {
        assert!(in_week(&b["due_at"]), "{b}");
        assert!(b["first_contact_at"].is_null() || time(&b["first_contact_at"]) > time(&b["due_at"]), "{b}");
    }
    for st in r["risks"]["stale"].as_array().unwrap() {
        assert!(st["days"].as_i64().unwrap() > 0 && st["status"] != "won" && st["status"] != "lost", "{st}");
    }

    // A team's and a rep's week: the KPIs API's group for that team and that owner.
    let manager = s.token_for("r11").await;
    let t1 = s.get(&manager, &format!("/api/v1/reports/weekly?week={week}&team=t1")).await.body;
    assert_eq!(t1["kpis"], group(&kpis(ADMIN.into(), from, to, "&by=team").await, "t1"));
    assert_eq!(t1["last_week"], group(&kpis(ADMIN.into(), before, from, "&by=team").await, "t1"));
    let rep = s.token_for("r14").await;
    let r14 = s.get(&rep, &format!("/api/v1/reports/weekly?week={week}&rep=r14")).await.body;
    assert_eq!(r14["kpis"], group(&kpis(ADMIN.into(), from, to, "&by=owner").await, "r14"));
    assert!(r14["new_leads"].as_array().unwrap().iter().all(|l| l["owner"] == "r14"));
    // Without a scope, a rep's own week.
    let own = s.get(&rep, &format!("/api/v1/reports/weekly?week={week}")).await.body;
    assert_eq!(own["kpis"], r14["kpis"]);

    // Someone else's: 403; a bad week or format: 422.
    assert_eq!(s.get(&rep, &format!("/api/v1/reports/weekly?week={week}&rep=r15")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get(&rep, &format!("/api/v1/reports/weekly?week={week}&team=t1")).await.status, StatusCode::FORBIDDEN);
    let t2_manager = s.token_for("r21").await;
    assert_eq!(
        s.get(&t2_manager, &format!("/api/v1/reports/weekly?week={week}&team=t1")).await.status,
        StatusCode::FORBIDDEN
    );
    for bad in ["week=2024-W60", "week=2024-12", "format=pdf"] {
        let a = s.get(ADMIN, &format!("/api/v1/reports/weekly?{bad}")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {a:?}");
    }
    // This week, by default.
    let now = s.get(ADMIN, "/api/v1/reports/weekly").await.body;
    assert_eq!(now["week"], app::ssr::service::reports::week_of(monday_of(Utc::now())));
}

#[tokio::test]
async fn managers_define_variants_and_new_leads_take_the_rotating_ones_in_turn() {
    let s = TestServer::with_sample().await;
    let manager = s.token_for("r11").await;
    let rep = s.token_for("r14").await;
    let variant = |key: &str| json!({"key": key, "description": format!("{key}：按计划执行"), "rotate": true});
    assert_eq!(s.post(&rep, "/api/v1/strategy-variants", &variant("高频跟进")).await.status, StatusCode::FORBIDDEN);
    let a = s.post(&manager, "/api/v1/strategy-variants", &variant("高频跟进")).await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    assert_eq!(
        (a.body["key"].as_str(), a.body["rotate"].as_bool(), a.body["active"].as_bool()),
        (Some("高频跟进"), Some(true), Some(true))
    );
    let again = s.post(&manager, "/api/v1/strategy-variants", &variant("高频跟进")).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{again:?}");
    assert_eq!(again.body["error"]["details"][0]["code"], "duplicate");
    assert_eq!(s.post(ADMIN, "/api/v1/strategy-variants", &variant("精准跟进")).await.status, StatusCode::CREATED);
    let listed = s.get(&rep, "/api/v1/strategy-variants").await.body;
    let keys: Vec<&str> = listed.as_array().unwrap().iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["高频跟进", "精准跟进"]);

    // New leads without a strategy take the rotating variants in turn; one with its own keeps it.
    let mut strategies = Vec::new();
    for n in 0..5 {
        let mut body = new_lead();
        body["phone"] = json!(format!("1390000{n:04}"));
        if n == 2 {
            body["strategy"] = json!("试点");
        }
        let a = s.post(ADMIN, "/api/v1/leads", &body).await;
        assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
        strategies.push(a.body["strategy"].as_str().unwrap().to_string());
    }
    assert_eq!(strategies, ["高频跟进", "精准跟进", "试点", "高频跟进", "精准跟进"]);

    // Retired, a variant is given no more; changes need the version read.
    let uri = "/api/v1/strategy-variants/精准跟进".replace("精准跟进", &urlencode("精准跟进"));
    let a = s.patch(&manager, &uri, &json!({"active": false, "version": 1})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!((a.body["active"].as_bool(), a.body["version"].as_u64()), (Some(false), Some(2)));
    assert_eq!(s.patch(&manager, &uri, &json!({"rotate": false, "version": 1})).await.status, StatusCode::CONFLICT);
    assert_eq!(
        s.patch(&manager, &uri, &json!({"key": "新", "version": 2})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(s.patch(&rep, &uri, &json!({"active": true, "version": 2})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.patch(&manager, "/api/v1/strategy-variants/nope", &json!({"active": true, "version": 1})).await.status,
        StatusCode::NOT_FOUND
    );
    let mut body = new_lead();
    body["phone"] = json!("13911112222");
    assert_eq!(s.post(ADMIN, "/api/v1/leads", &body).await.body["strategy"], "高频跟进");
    let audits: Vec<Value> = s
        .state
        .db
        .query("SELECT * FROM audit WHERE string::starts_with(record, 'strategy:')")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(audits.len(), 3, "two defined, one changed");

    // The comparison counts them from today.
    let today = (Utc::now() + Duration::hours(8)).date_naive();
    let cmp = s.get(ADMIN, &format!("/api/v1/strategies?from={today}&to={}", today + Duration::days(1))).await.body;
    let counts: Vec<(String, u64)> = cmp["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["key"].as_str().unwrap().into(), v["leads"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [("高频跟进".to_string(), 3), ("精准跟进".to_string(), 2), ("试点".to_string(), 1)]);
}

#[tokio::test]
async fn the_weekly_report_exports_to_xlsx_and_a_printable_page() {
    let s = TestServer::new().await;
    let bundle = recent_sample();
    assert_eq!(s.post(ADMIN, "/api/v1/import", &bundle).await.status, StatusCode::OK);
    let last_created = bundle["leads"].as_array().unwrap().iter().map(|l| time(&l["created_at"])).max().unwrap();
    let week = app::ssr::service::reports::week_of(monday_of(last_created));
    let json = s.get(ADMIN, &format!("/api/v1/reports/weekly?week={week}&team=t1")).await.body;

    let a = s
        .raw(
            axum::http::Method::GET,
            &format!("/api/v1/reports/weekly?week={week}&team=t1&format=xlsx"),
            Some(ADMIN),
            axum::body::Body::empty(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.bytes.starts_with(b"PK"), "an xlsx file is a zip");
    // The workbook's sheets, and the KPI sheet's this-week column as the JSON's.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(a.bytes.to_vec())).unwrap();
    use calamine::{DataType, Reader};
    assert_eq!(book.sheet_names(), ["指标", "状态变化", "新线索", "成交", "丢单", "风险"]);
    let kpis = book.worksheet_range("指标").unwrap();
    let new_leads = kpis.rows().find(|r| r[0] == "新线索数").unwrap();
    assert_eq!(new_leads[1].get_float().unwrap(), json["kpis"]["new_leads"].as_f64().unwrap());
    let new_sheet = book.worksheet_range("新线索").unwrap();
    assert_eq!(new_sheet.height() - 1, json["new_leads"].as_array().unwrap().len());

    let a = s
        .raw(
            axum::http::Method::GET,
            &format!("/api/v1/reports/weekly?week={week}&team=t1&format=html&lang=en"),
            Some(ADMIN),
            axum::body::Body::empty(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let html = String::from_utf8(a.bytes.to_vec()).unwrap();
    assert!(html.contains("weekly report") && html.contains(&week), "{}", &html[..400.min(html.len())]);
    assert!(html.contains("This week's KPIs against last week's"));
    assert!(!html.contains("<script"), "the printable view runs nothing");
}

#[tokio::test]
async fn managers_put_leads_on_a_variant_by_hand() {
    let s = TestServer::with_sample().await;
    let manager = s.token_for("r11").await;
    assert_eq!(
        s.post(&manager, "/api/v1/strategy-variants", &json!({"key": "精准跟进"})).await.status,
        StatusCode::CREATED
    );
    // Two of t1's leads, one of t2's (not the manager's), one that does not exist.
    let t1: Vec<String> = s.get(&manager, "/api/v1/leads?limit=2&status=new").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap().to_string())
        .collect();
    let t2 = s.get(&s.token_for("r21").await, "/api/v1/leads?limit=1").await.body["items"][0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let codes = json!({"leads": [t1[0], t1[1], t2, "LX209900001"]});
    let uri = format!("/api/v1/strategy-variants/{}/assign", urlencode("精准跟进"));
    let a = s.post(&manager, &uri, &codes).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["assigned"], json!([t1[0], t1[1]]));
    assert_eq!(a.body["refused"], json!([t2, "LX209900001"]));
    let lead = s.get(&manager, &format!("/api/v1/leads/{}", t1[0])).await.body;
    assert_eq!((lead["strategy"].as_str(), lead["version"].as_u64()), (Some("精准跟进"), Some(2)));
    // Again: nothing changes.
    let again = s.post(&manager, &uri, &json!({"leads": [t1[0]]})).await.body;
    assert_eq!(again["unchanged"], json!([t1[0]]));
    let rep = s.token_for("r14").await;
    assert_eq!(s.post(&rep, &uri, &codes).await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.post(&manager, "/api/v1/strategy-variants/nope/assign", &codes).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.post(&manager, &uri, &json!({"leads": "LX1"})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_period_comparison_is_the_kpis_apis_numbers_for_both_periods_and_exports_to_xlsx() {
    let s = TestServer::with_sample().await;
    let (this, before) = (("2024-04-01", "2024-07-01"), ("2024-01-01", "2024-04-01"));
    let uri = format!("/api/v1/kpis/compare?from={}&to={}&cfrom={}&cto={}", this.0, this.1, before.0, before.1);
    for who in [ADMIN.to_string(), s.token_for("r11").await, s.token_for("r14").await] {
        let c = s.get(&who, &format!("{uri}&by=source")).await;
        assert_eq!(c.status, StatusCode::OK, "{c:?}");
        let now = s.get(&who, &format!("/api/v1/kpis?from={}&to={}&by=source", this.0, this.1)).await.body;
        let then = s.get(&who, &format!("/api/v1/kpis?from={}&to={}&by=source", before.0, before.1)).await.body;
        let total = c.body["total"].as_array().unwrap();
        assert_eq!(total.len(), 18, "every KPI of the catalogue");
        for k in total {
            let key = k["key"].as_str().unwrap();
            // (A count is a whole number in the KPIs API, a number here.)
            assert_eq!(k["this_period"].as_f64(), now["total"][key].as_f64(), "{key}");
            assert_eq!(k["comparison"].as_f64(), then["total"][key].as_f64(), "{key}");
            assert_eq!(k["this_period"].is_null(), now["total"][key].is_null(), "{key}");
            // (Read back from JSON: equal to the last few digits.)
            let near = |x: f64, y: f64| (x - y).abs() <= 1e-9 * (1.0 + x.abs() + y.abs());
            if let (Some(a), Some(b)) = (now["total"][key].as_f64(), then["total"][key].as_f64()) {
                assert!(near(k["change"].as_f64().unwrap(), a - b), "{key}: {k}");
                if b != 0.0 {
                    assert!(near(k["relative"].as_f64().unwrap(), (a - b) / b.abs()), "{key}: {k}");
                }
            }
        }
        // Each source compared too, with its own numbers.
        let groups = c.body["groups"].as_array().unwrap();
        assert_eq!(groups.len(), now["groups"].as_array().unwrap().len());
        for g in groups {
            let mine = now["groups"].as_array().unwrap().iter().find(|x| x["key"] == g["key"]).unwrap();
            let new = g["kpis"].as_array().unwrap().iter().find(|k| k["key"] == "new_leads").unwrap();
            assert_eq!(new["this_period"].as_f64(), mine["kpis"]["new_leads"].as_f64(), "{g}");
        }
    }
    // A longer sales cycle is worse, a higher conversion better.
    let c = s.get(ADMIN, &uri).await.body;
    assert!(c.get("groups").is_none(), "not sliced: {c}");
    for k in c["total"].as_array().unwrap() {
        let change = k["change"].as_f64();
        let expected = match (k["key"].as_str().unwrap(), change) {
            (_, None) => Value::Null,
            (_, Some(x)) if x.abs() < 1e-9 => json!("same"),
            (
                "sales_cycle_days" | "response_time_hours_mean" | "response_time_hours_median" | "dissatisfied_rate",
                Some(x),
            ) => {
                json!(if x < 0.0 { "better" } else { "worse" })
            }
            (_, Some(x)) => json!(if x > 0.0 { "better" } else { "worse" }),
        };
        assert_eq!(k["verdict"], expected, "{k}");
    }

    // The dashboard's export: the same comparison as a workbook, in the reader's language.
    let a = s.get(ADMIN, &format!("{uri}&by=grade&format=xlsx&lang=en")).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert!(a.bytes.starts_with(b"PK"), "an xlsx file is a zip");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(a.bytes.to_vec())).unwrap();
    use calamine::Reader;
    assert_eq!(book.sheet_names(), ["Period comparison", "By Grade"]);
    let whole = book.worksheet_range("Period comparison").unwrap();
    let header: Vec<String> = whole.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header[0], "KPI");
    assert!(header[1].contains("2024-01-01 – 2024-03-31"), "{header:?}");
    assert_eq!(whole.rows().count(), 19);
    let new_leads = whole.rows().find(|r| r[0] == calamine::Data::String("New leads".into())).unwrap();
    assert_eq!(new_leads[2].to_string(), c["total"][0]["this_period"].as_f64().unwrap().to_string());

    // Both periods are required and must make sense; the comparison's under its own names.
    for (query, field) in [
        ("from=2024-04-01&to=2024-07-01&cfrom=2024-01-01", "cto"),
        ("from=2024-04-01&to=2024-07-01&cfrom=2024-02-30&cto=2024-04-01", "cfrom"),
        ("from=2024-04-01&cfrom=2024-01-01&cto=2024-04-01", "to"),
        ("from=2024-04-01&to=2024-07-01&cfrom=2024-01-01&cto=2024-04-01&by=mood", "by"),
        ("from=2024-04-01&to=2024-07-01&cfrom=2024-01-01&cto=2024-04-01&format=pdf", "format"),
    ] {
        let a = s.get(ADMIN, &format!("/api/v1/kpis/compare?{query}")).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {a:?}");
        assert_eq!(a.body["error"]["details"][0]["path"], field, "{query}");
    }
    let a = s.raw(axum::http::Method::GET, &uri, None, axum::body::Body::empty()).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_weekly_reports_status_changes_follow_moves_follow_ups_and_merges_and_survive_a_restart() {
    // The sample's reps take the new leads; its history is of 2024, this week holds only these.
    let s = TestServer::with_sample().await;
    let mut other = new_lead();
    other["company"] = json!("宁波海曙远航贸易有限公司");
    other["phone"] = json!("13900002222");
    let a = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let b = s.post(ADMIN, "/api/v1/leads", &other).await.body;
    let (code_a, code_b) = (a["code"].as_str().unwrap().to_string(), b["code"].as_str().unwrap().to_string());
    // A moved on the board, B moved by a follow-up.
    let moved = s
        .post(ADMIN, &format!("/api/v1/leads/{code_a}/move"), &json!({"to": "contacted", "version": a["version"]}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{moved:?}");
    let rep = s.token_for(b["owner"].as_str().unwrap()).await;
    let follow_up = json!({
        "occurred_at": (Utc::now() - Duration::minutes(5)).to_rfc3339(),
        "channel": "wechat", "direction": "outbound", "responded": true,
        "summary": "发了方案，约了下周演示", "stage_after": "qualified"
    });
    let logged = s.post(&rep, &format!("/api/v1/leads/{code_b}/interactions"), &follow_up).await;
    assert_eq!(logged.status, StatusCode::CREATED, "{logged:?}");
    let changes = |r: &Value| -> Vec<(String, String, String)> {
        r["status_changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["code"].as_str().unwrap().into(),
                    c["from"].as_str().unwrap().into(),
                    c["to"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let r = s.get(ADMIN, "/api/v1/reports/weekly").await.body;
    assert_eq!(
        changes(&r),
        vec![(code_a.clone(), "new".into(), "contacted".into()), (code_b.clone(), "new".into(), "qualified".into())]
    );
    assert_eq!(r["totals"]["status_changes"], 2);
    assert_eq!(r["totals"]["new_leads"], 2);

    // B merged into A: its status change is A's now, as in the database.
    let survivor = s.get(ADMIN, &format!("/api/v1/leads/{code_a}")).await.body;
    let merged = s
        .post(ADMIN, &format!("/api/v1/leads/{code_a}/merge"), &json!({"from": code_b, "version": survivor["version"]}))
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{merged:?}");
    let r = s.get(ADMIN, "/api/v1/reports/weekly").await.body;
    let codes: Vec<String> = changes(&r).into_iter().map(|c| c.0).collect();
    assert_eq!(codes, vec![code_a.clone(), code_a.clone()]);

    // A restart reads the same week back from the database.
    let (view, index) = crate::repo::view::load(&s.state.db).await.unwrap();
    *s.state.view.write().await = view;
    *s.state.index.write().await = index;
    let again = s.get(ADMIN, "/api/v1/reports/weekly").await.body;
    assert_eq!(changes(&again), changes(&r));
    assert_eq!(again["totals"], r["totals"]);
}

#[tokio::test]
async fn a_weekly_report_asked_for_its_first_rows_keeps_them_in_order_and_counts_the_rest() {
    let s = TestServer::with_sample().await;
    let sample = fixture("sample-bundle.json");
    // The sample's busiest week of status changes.
    let mut weeks: std::collections::BTreeMap<chrono::NaiveDate, usize> = Default::default();
    for c in sample["stage_changes"].as_array().unwrap() {
        *weeks.entry(monday_of(time(&c["at"]))).or_default() += 1;
    }
    let (monday, moves) = weeks.into_iter().max_by_key(|(_, n)| *n).unwrap();
    let week = app::ssr::service::reports::week_of(monday);
    let json = s.get(ADMIN, &format!("/api/v1/reports/weekly?week={week}")).await.body;
    assert_eq!(json["status_changes"].as_array().unwrap().len(), moves, "JSON holds every row");
    assert_eq!(json["totals"]["status_changes"], moves);
    for (list, total) in [
        (&json["new_leads"], &json["totals"]["new_leads"]),
        (&json["lost_leads"], &json["totals"]["lost_leads"]),
        (&json["risks"]["stale"], &json["totals"]["stale"]),
        (&json["risks"]["sla_breaches"], &json["totals"]["sla_breaches"]),
    ] {
        assert_eq!(list.as_array().unwrap().len() as u64, total.as_u64().unwrap());
    }
    // Ten rows a list: the first ten of each full list, in the same order, with the same totals.
    let (actor, scope) = (app::ssr::actor::Actor::system(), app::ssr::service::reports::WeeklyScope::default());
    let now = Utc::now();
    let full = app::ssr::service::reports::weekly(&s.state, &actor, monday, &scope, now, None).await.unwrap();
    let cut = app::ssr::service::reports::weekly(&s.state, &actor, monday, &scope, now, Some(10)).await.unwrap();
    assert_eq!(cut.totals, full.totals);
    assert!(full.totals.status_changes > 10 && full.totals.stale > 10, "{:?}", full.totals);
    let first = |v: Vec<String>| v.into_iter().take(10).collect::<Vec<_>>();
    let codes = |r: &app::ssr::service::reports::WeeklyReport| {
        (
            r.status_changes.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
            r.new_leads.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
            r.lost_leads.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
            r.risks.stale.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
            r.risks.sla_breaches.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
        )
    };
    let (f, c) = (codes(&full), codes(&cut));
    assert_eq!(c.0, first(f.0));
    assert_eq!(c.1, first(f.1));
    assert_eq!(c.2, first(f.2));
    assert_eq!(c.3, first(f.3));
    assert_eq!(c.4, first(f.4));
    assert_eq!(cut.loss_reasons.iter().map(|l| l.leads).sum::<u64>() as usize, full.totals.lost_leads);
    // The printable view says how many rows the workbook holds beyond its own.
    let html = s.get(ADMIN, &format!("/api/v1/reports/weekly?week={week}&format=html&lang=en")).await;
    let html = String::from_utf8(html.bytes.to_vec()).unwrap();
    let print_rows = app::ssr::evaluation::weekly::PRINT_ROWS;
    assert_eq!(
        html.contains("more in the workbook"),
        full.totals.status_changes > print_rows || full.totals.stale > print_rows
    );
}
