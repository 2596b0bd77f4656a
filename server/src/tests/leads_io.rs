//! Leads in and out (API.md "Leads in and out"): spreadsheets previewed and imported row by
//! row, exports scoped to the caller, duplicates found and merged without losing anything
//! (the KPIs agree with a rebuild from the database), and web forms posting leads.
use super::common::*;
use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

const CSV: &str =
    "线索编号,来源渠道,企业名称,所属行业,区域,员工数,联系人,职位,电话,邮箱,需求描述,预算,决策时间,决策链,负责人\n\
,展会,苏州恒通精密机械有限公司,制造业,华东,320人,周强,采购经理,13912345678,,设备联网,20万,3个月,决策人已参与,\n\
,官网表单,成都云启科技,互联网,西南,80,李雪,CTO,,lixue@yunqi.cn,数据中台,150000,1,influencer,r12\n\
,火星渠道,坏数据公司,,,很多,,,,not-an-email,,abc,,,\n";

async fn upload(s: &TestServer, token: &str, body: Vec<u8>, content_type: &str, commit: bool) -> Answer {
    send(
        &s.app,
        Method::POST,
        &format!("/api/v1/leads/import?commit={commit}"),
        Some(token),
        &[("content-type", content_type)],
        Body::from(body),
    )
    .await
}

#[tokio::test]
async fn a_gbk_csv_is_previewed_with_its_problems_by_row_and_column_then_imported_row_by_row() {
    let s = TestServer::with_sample().await;
    let (gbk, _, _) = encoding_rs::GB18030.encode(CSV);
    let leads_before = s.count("lead").await;
    let preview = upload(&s, ADMIN, gbk.to_vec(), "text/csv", false).await;
    assert_eq!(preview.status, StatusCode::OK, "{preview:?}");
    assert_eq!(preview.body["rows"], 3);
    assert_eq!(preview.body["created"], 2);
    let failed = preview.body["failed"].as_array().unwrap();
    assert!(failed.iter().all(|p| p["row"] == 4), "only the third data row (row 4) fails: {failed:?}");
    let columns: Vec<&str> = failed.iter().map(|p| p["column"].as_str().unwrap()).collect();
    for c in ["来源渠道", "员工数", "邮箱", "预算"] {
        assert!(columns.contains(&c), "{c} named: {columns:?}");
    }
    assert_eq!(s.count("lead").await, leads_before, "a preview writes nothing");
    let done = upload(&s, ADMIN, gbk.to_vec(), "text/csv", true).await;
    assert_eq!(done.status, StatusCode::OK, "{done:?}");
    assert_eq!(done.body["created"], 2);
    assert_eq!(s.count("lead").await, leads_before + 2, "none of the failed row");
    let found = s.get(ADMIN, &format!("/api/v1/leads?q={}", urlencode("苏州恒通"))).await.body;
    let lead = &found["items"][0];
    assert_eq!(lead["employees"], 320);
    assert_eq!(lead["budget"], 200000.0);
    assert_eq!(lead["decision_chain"], "dm_engaged");
    assert!(lead["owner"].is_string(), "assigned by the rules: {lead}");
    let named = s.get(ADMIN, &format!("/api/v1/leads?q={}", urlencode("成都云启"))).await.body;
    assert_eq!(named["items"][0]["owner"], "r12", "负责人 names the rep");
    // The same file again, with the codes it now has, updates instead of duplicating.
    let code = lead["code"].as_str().unwrap();
    let again = format!("线索编号,企业名称,来源渠道,员工数\n{code},苏州恒通精密机械有限公司,展会,1500\n");
    let a = upload(&s, ADMIN, again.into_bytes(), "text/csv", true).await;
    assert_eq!((a.body["created"].as_u64(), a.body["updated"].as_u64()), (Some(0), Some(1)), "{a:?}");
    let updated = s.get(ADMIN, &format!("/api/v1/leads/{code}")).await.body;
    assert_eq!(updated["employees"], 1500);
    assert_eq!(updated["version"], 2);
}

#[tokio::test]
async fn an_xlsx_with_english_keys_imports_and_a_rep_may_not_import() {
    let s = TestServer::with_sample().await;
    let headers: Vec<String> = ["source", "company", "phone", "budget"].iter().map(|h| h.to_string()).collect();
    use app::ssr::sheet::export::Cell;
    let rows = vec![
        vec![
            Cell::Text("referral".into()),
            Cell::Text("武汉光谷生物".into()),
            Cell::Text("13700001111".into()),
            Cell::Number(90000.0),
        ],
        vec![Cell::Text("referral".into()), Cell::Empty, Cell::Text("13700002222".into()), Cell::Number(-5.0)],
    ];
    let xlsx = app::ssr::sheet::export::xlsx("Sheet1", &headers, &rows).unwrap();
    let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let a = upload(&s, ADMIN, xlsx.clone(), kind, true).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["created"], 1);
    assert!(a.body["failed"].as_array().unwrap().iter().all(|p| p["row"] == 3));
    let rep = s.token_for("r14").await;
    assert_eq!(upload(&s, &rep, xlsx, kind, false).await.status, StatusCode::FORBIDDEN);
    let junk = upload(&s, ADMIN, vec![0, 159, 146, 150, 1, 2], "application/octet-stream", false).await;
    assert_eq!(junk.status, StatusCode::UNPROCESSABLE_ENTITY, "{junk:?}");
    let huge = upload(&s, ADMIN, vec![b'a'; 21 * 1024 * 1024], "text/csv", false).await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(huge.body["error"]["code"], "too_large", "the API's error shape: {:?}", huge.body);
}

#[tokio::test]
async fn an_export_holds_only_the_callers_leads_with_headers_in_their_language() {
    let s = TestServer::with_sample().await;
    let rep = s.token_for("r14").await;
    let own = s.get(&rep, "/api/v1/leads?limit=500").await.body["items"].as_array().unwrap().len();
    let a = s.raw(Method::GET, "/api/v1/leads/export?format=csv", Some(&rep), Body::empty()).await;
    assert_eq!(a.status, StatusCode::OK);
    let text = a.body.as_str().unwrap().to_string();
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
    let mut reader = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "线索编号");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), own, "the rep's leads and no other");
    let owner_column = reader.headers().unwrap().iter().position(|h| h == "负责人").unwrap();
    let names: std::collections::HashSet<&str> = records.iter().map(|r| &r[owner_column]).collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let en = s.raw(Method::GET, "/api/v1/leads/export?format=csv&lang=en&status=won", Some(ADMIN), Body::empty()).await;
    let en = en.body.as_str().unwrap().to_string();
    assert!(en.trim_start_matches('\u{feff}').starts_with("Code,Source,Company"));
    assert!(en.lines().skip(1).all(|l| l.contains("Won")), "the status filter applies");
    let xlsx = s.raw(Method::GET, "/api/v1/leads/export?format=xlsx", Some(ADMIN), Body::empty()).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let bad = s.raw(Method::GET, "/api/v1/leads/export?format=pdf", Some(ADMIN), Body::empty()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn duplicates_are_grouped_and_a_merge_keeps_everything_and_the_kpis_stay_true() {
    let s = TestServer::with_sample().await;
    let groups = s.get(ADMIN, "/api/v1/duplicates").await;
    assert_eq!(groups.status, StatusCode::OK);
    let group = groups.body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["reasons"].as_array().unwrap().contains(&json!("company")))
        .expect("the sample holds companies that came in twice")
        .clone();
    let (keep, from) = (group["leads"][0].as_str().unwrap(), group["leads"][1].as_str().unwrap());
    let kpis = "/api/v1/kpis?from=2024-01-01&to=2024-07-01&by=owner";
    let survivor = s.get(ADMIN, &format!("/api/v1/leads/{keep}")).await.body;
    let merged_away = s.get(ADMIN, &format!("/api/v1/leads/{from}")).await.body;
    let a = s
        .post(
            ADMIN,
            &format!("/api/v1/leads/{keep}/merge"),
            &json!({"from": from, "version": survivor["version"], "take": ["phone"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["phone"], merged_away["phone"], "the chosen field came from the merged lead");
    assert_eq!(a.body["version"], survivor["version"].as_u64().unwrap() + 1);
    let gone = s.get(ADMIN, &format!("/api/v1/leads/{from}")).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert_eq!(gone.body["error"]["code"], "merged");
    assert_eq!(gone.body["error"]["details"]["merged_into"], keep);
    // Everything of the merged lead now hangs on the survivor.
    let db = &s.state.db;
    let mut res = db.query(format!(
        "SELECT VALUE count(<-followed_up) FROM lead:{from}; SELECT count() FROM task WHERE lead = lead:{from} GROUP ALL;"
    )).await.unwrap();
    let edges: Vec<i64> = res.take(0).unwrap();
    assert_eq!(edges, vec![0]);
    // The KPIs the live view answers equal those of a view rebuilt from the database.
    let live = s.get(ADMIN, kpis).await.body;
    let (view, index) = crate::repo::view::load(db).await.unwrap();
    *s.state.view.write().await = view;
    *s.state.index.write().await = index;
    let rebuilt = s.get(ADMIN, kpis).await.body;
    assert_eq!(live, rebuilt);
    // Merging again, or into itself, is refused.
    let twice = s
        .post(ADMIN, &format!("/api/v1/leads/{keep}/merge"), &json!({"from": from, "version": a.body["version"]}))
        .await;
    assert_eq!(twice.status, StatusCode::GONE);
    let itself = s
        .post(ADMIN, &format!("/api/v1/leads/{keep}/merge"), &json!({"from": keep, "version": a.body["version"]}))
        .await;
    assert_eq!(itself.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn leads_kept_apart_leave_the_duplicates_until_another_lead_joins_them() {
    let s = TestServer::with_sample().await;
    let lead = |company: &str| json!({"source": "referral", "company": company, "phone": "13800005555"});
    let a = s.post(ADMIN, "/api/v1/leads", &lead("宁波东海渔具")).await.body["code"].as_str().unwrap().to_string();
    let b = s.post(ADMIN, "/api/v1/leads", &lead("宁波东海物流")).await.body["code"].as_str().unwrap().to_string();
    let groups = |s: &TestServer| {
        let app = s.app.clone();
        let marker = a.clone();
        async move {
            let g = send(&app, Method::GET, "/api/v1/duplicates", Some(ADMIN), &[], Body::empty()).await;
            assert_eq!(g.status, StatusCode::OK, "{g:?}");
            // The groups of this phone (the sample holds others).
            g.body["groups"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|g| g["reasons"].as_array().unwrap().contains(&json!("phone")))
                .map(|g| g["leads"].clone())
                .filter(|leads| leads.to_string().contains(&marker))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(groups(&s).await, vec![json!([a, b])]);

    // One lead is not a pair; a rep may not keep apart leads that are not theirs.
    let one = s.post(ADMIN, "/api/v1/duplicates/keep-apart", &json!({"leads": [a, a]})).await;
    assert_eq!(one.status, StatusCode::UNPROCESSABLE_ENTITY, "{one:?}");
    assert_eq!(one.body["error"]["details"][0]["path"], "leads");
    let rep = s.token_for("r14").await;
    let theirs = s.post(&rep, "/api/v1/duplicates/keep-apart", &json!({"leads": [a, b]})).await;
    assert!(matches!(theirs.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{theirs:?}");
    assert_eq!(s.count("dup_dismissal").await, 0);

    let kept = s.post(ADMIN, "/api/v1/duplicates/keep-apart", &json!({"leads": [b, a]})).await;
    assert_eq!(kept.status, StatusCode::OK, "{kept:?}");
    assert_eq!(kept.body["leads"], json!([a, b]));
    assert!(groups(&s).await.is_empty());
    let mut res = s
        .state
        .db
        .query("SELECT VALUE new FROM audit WHERE field = 'kept_apart_from' AND record = $r")
        .bind(("r", format!("lead:{a}")))
        .await
        .unwrap();
    let audited: Vec<serde_json::Value> = res.take(0).unwrap();
    assert_eq!(audited, vec![json!([b])]);

    // A third lead with the same phone raises the group again, all three in it.
    let c =
        s.post(ADMIN, "/api/v1/leads", &lead("宁波东海渔具有限公司")).await.body["code"].as_str().unwrap().to_string();
    assert_eq!(groups(&s).await, vec![json!([a, b, c])]);
}

#[tokio::test]
async fn a_website_posts_a_graded_assigned_web_form_lead_within_its_limits() {
    let s = TestServer::with_sample().await;
    let form = s
        .post(ADMIN, "/api/v1/intake-forms", &json!({"name": "官网咨询", "origins": ["https://www.example.com"]}))
        .await;
    assert_eq!(form.status, StatusCode::CREATED, "{form:?}");
    let key = form.body["key"].as_str().unwrap().to_string();
    let url = format!("/api/v1/intake/{key}");
    let post = |body: String, kind: &'static str| {
        let app = s.app.clone();
        let url = url.clone();
        async move { send(&app, Method::POST, &url, None, &[("content-type", kind)], Body::from(body)).await }
    };
    let leads_before = s.count("lead").await;
    let a = post(
        json!({"company": "厦门海诚贸易", "contact_name": "黄磊", "phone": "13600001234",
        "employees": "120", "page": "/pricing", "keywords": "报价 CRM"})
        .to_string(),
        "application/json",
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    let found = s.get(ADMIN, &format!("/api/v1/leads?q={}", urlencode("厦门海诚"))).await.body;
    let lead = &found["items"][0];
    assert_eq!(lead["source"], "web_form");
    assert_eq!(lead["details"]["page"], "/pricing");
    assert!(lead["owner"].is_string() && lead["grade"].is_string(), "{lead}");
    // A form post works too; the honeypot is answered alike and dropped.
    let f = post("company=%E5%B0%8F%E5%BA%97&phone=13600005678".into(), "application/x-www-form-urlencoded").await;
    assert_eq!(f.status, StatusCode::CREATED);
    let robot =
        post(json!({"company": "spam", "phone": "1", "website": "http://x"}).to_string(), "application/json").await;
    assert_eq!(robot.status, StatusCode::CREATED);
    assert_eq!(s.count("lead").await, leads_before + 2);
    // CORS: the form's origin only.
    let preflight = |origin: &'static str| {
        let app = s.app.clone();
        let url = url.clone();
        async move {
            let req = axum::http::Request::builder()
                .method(Method::OPTIONS)
                .uri(url)
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .body(Body::empty())
                .unwrap();
            tower::ServiceExt::oneshot(app, req).await.unwrap()
        }
    };
    let ok = preflight("https://www.example.com").await;
    assert_eq!(ok.headers().get("access-control-allow-origin").unwrap(), "https://www.example.com");
    let other = preflight("https://evil.example").await;
    assert!(other.headers().get("access-control-allow-origin").is_none());
    // More than 20 posts a minute from one address: 429.
    let mut last = StatusCode::CREATED;
    for _ in 0..20 {
        last = post(json!({"company": "x", "phone": "13600009999"}).to_string(), "application/json").await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let unknown = send(&s.app, Method::POST, "/api/v1/intake/nope", None, &[], Body::from("{}")).await;
    assert!(matches!(unknown.status, StatusCode::NOT_FOUND | StatusCode::TOO_MANY_REQUESTS));
}
