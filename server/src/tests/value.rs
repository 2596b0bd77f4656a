//! Customer value (API.md "Evaluation", PRODUCT.md §8): a lead's activity, conversion potential
//! and lifetime value, computed now; the conversion potential's model fitted on the closed
//! leads, stored, and used in place of the grade's win rate.
use super::common::*;

fn close(actual: f64, expected: f64, tolerance: f64) {
    assert!((actual - expected).abs() <= tolerance, "{actual} is not {expected} (± {tolerance})");
}
use app::value::{activity, clv, Order, Touch, LIFETIME_YEARS};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// A bundle's lead `key`: its code, creation time, follow-ups and orders.
fn bundle_lead(b: &Value, key: &str) -> (String, DateTime<Utc>, Vec<Touch>, Vec<Order>) {
    let lead = b["leads"].as_array().unwrap().iter().find(|l| l["key"] == key).unwrap();
    let touches = b["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["lead"] == key)
        .map(|i| Touch {
            occurred_at: time(&i["occurred_at"]),
            responded: i["responded"].as_bool().unwrap(),
            inbound: i["direction"] == "inbound",
            event: i["channel"] == "event",
        })
        .collect();
    let orders = b["orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["lead"] == key)
        .map(|o| Order {
            amount: o["amount"].as_f64().unwrap(),
            profit: o["profit"].as_f64(),
            ordered_at: time(&o["ordered_at"]),
        })
        .collect();
    (lead["code"].as_str().unwrap().to_string(), time(&lead["created_at"]), touches, orders)
}

fn sample_lead(key: &str) -> (String, DateTime<Utc>, Vec<Touch>, Vec<Order>) {
    bundle_lead(&fixture("sample-bundle.json"), key)
}

#[tokio::test]
async fn a_leads_value_is_its_history_read_by_the_shared_formulas() {
    let s = TestServer::new().await;
    let bundle = recent_sample();
    let a = s.post(ADMIN, "/api/v1/import", &bundle).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    let now = Utc::now();
    // Every imported lead: the activity and the CLV the server answers are the formulas over
    // the lead's whole history in the bundle.
    let mut tiers = std::collections::BTreeSet::new();
    let mut with_value = 0;
    // Every twentieth lead, and every lead that is not dormant now.
    let leads = bundle["leads"].as_array().unwrap().iter().enumerate().filter(|(n, l)| {
        let (_, created, touches, _) = bundle_lead(&bundle, l["key"].as_str().unwrap());
        n % 20 == 0 || activity(&touches, created, now).tier != app::domain::enums::Tier::Dormant
    });
    for (_, l) in leads {
        let key = l["key"].as_str().unwrap();
        let (code, created, touches, orders) = bundle_lead(&bundle, key);
        let a = s.get(ADMIN, &format!("/api/v1/leads/{code}/value")).await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
        let expected = activity(&touches, created, now);
        assert_eq!(a.body["activity"]["score"], json!(expected.score), "{key}");
        assert_eq!(a.body["activity"]["tier"], json!(expected.tier), "{key}");
        tiers.insert(expected.tier.key());
        match clv(&orders, now, LIFETIME_YEARS) {
            Some(v) => {
                with_value += 1;
                close(a.body["clv"].as_f64().unwrap(), v, 1.0)
            }
            None => assert!(a.body["clv"].is_null(), "{key}: {a:?}"),
        }
    }
    assert_eq!(tiers.len(), 3, "the moved sample has leads of every tier: {tiers:?}");
    assert!(with_value > 3);

    // The workspace's expected customer lifetime scales every CLV.
    let (code, _, _, orders) = bundle["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| bundle_lead(&bundle, l["key"].as_str().unwrap()))
        .find(|(_, _, _, orders)| clv(orders, now, LIFETIME_YEARS).is_some())
        .unwrap();
    let put = s.put(ADMIN, "/api/v1/settings", &json!({"customer_lifetime_years": 6})).await;
    assert_eq!(put.status, StatusCode::OK, "{put:?}");
    let v = s.get(ADMIN, &format!("/api/v1/leads/{code}/value")).await.body;
    close(v["clv"].as_f64().unwrap(), clv(&orders, Utc::now(), 6.0).unwrap(), 1.0);
    let put = s.put(ADMIN, "/api/v1/settings", &json!({"customer_lifetime_years": 0})).await;
    assert_eq!(put.status, StatusCode::UNPROCESSABLE_ENTITY, "{put:?}");
    assert_eq!(s.put(ADMIN, "/api/v1/settings", &json!({"customer_lifetime_years": 3})).await.status, StatusCode::OK);

    // The list filters by tier now and carries each lead's activity: exactly the leads the
    // formula puts in that tier, every page of them.
    let mut expected: std::collections::BTreeMap<&str, std::collections::BTreeSet<String>> = Default::default();
    for l in bundle["leads"].as_array().unwrap() {
        let (code, created, touches, _) = bundle_lead(&bundle, l["key"].as_str().unwrap());
        expected.entry(activity(&touches, created, now).tier.key()).or_default().insert(code);
    }
    for (tier, codes) in &expected {
        let mut found = std::collections::BTreeSet::new();
        let mut cursor = String::new();
        loop {
            let a = s.get(ADMIN, &format!("/api/v1/leads?tier={tier}&limit=100&cursor={cursor}")).await;
            assert_eq!(a.status, StatusCode::OK, "{a:?}");
            for l in a.body["items"].as_array().unwrap() {
                assert_eq!(l["activity"]["tier"], json!(tier), "{l}");
                found.insert(l["code"].as_str().unwrap().to_string());
            }
            match a.body["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
        assert_eq!(&found, codes, "{tier}");
    }
    let a = s.get(ADMIN, "/api/v1/leads?tier=sleepy").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");
    assert_eq!(a.body["error"]["details"][0]["path"], "tier", "{a:?}");

    // A new lead's follow-up counts at once: a response the customer started, just now.
    let lead = s.post(ADMIN, "/api/v1/leads", &new_lead()).await.body;
    let code = lead["code"].as_str().unwrap().to_string();
    let rep = s.token_for(lead["owner"].as_str().unwrap()).await;
    let uri = format!("/api/v1/leads/{code}/value");
    let v = s.get(&rep, &uri).await.body;
    assert_eq!((v["activity"]["score"].as_u64(), v["activity"]["tier"].as_str()), (Some(0), Some("dormant")));
    assert!(v["clv"].is_null());
    let body = json!({
        "occurred_at": (now - chrono::Duration::minutes(5)).to_rfc3339(),
        "channel": "wechat", "direction": "inbound", "responded": true, "summary": "客户主动询问报价",
    });
    let a = s.post(&rep, &format!("/api/v1/leads/{code}/interactions"), &body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{a:?}");
    let v = s.get(&rep, &uri).await.body;
    // 10 (responded) + 15 (inbound) + 10 (a response this week).
    assert_eq!((v["activity"]["score"].as_u64(), v["activity"]["tier"].as_str()), (Some(35), Some("potential")));

    // Someone who may not see the lead: 404; nobody: 401.
    let other = s.token_for("r21").await;
    assert_eq!(s.get(&other, &uri).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        s.raw(axum::http::Method::GET, &uri, None, axum::body::Body::empty()).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(s.get(ADMIN, "/api/v1/leads/LX209900001/value").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_grades_win_rate_stands_in_until_the_model_is_fitted_on_the_closed_leads() {
    let s = TestServer::with_sample().await;
    let (code, ..) = sample_lead("l30");
    let uri = format!("/api/v1/leads/{code}/value");
    let lead = s.get(ADMIN, &format!("/api/v1/leads/{code}")).await.body;
    let grade = lead["grade"].as_str().unwrap().to_string();

    // No model yet: the grade's won / (won + lost) over the workspace's closed leads.
    let before = s.get(ADMIN, &uri).await.body;
    assert_eq!(before["potential"]["model"], "grade_rate");
    assert_eq!(before["potential"]["factors"], json!([]));
    let count = |status: &str| {
        let s = &s;
        let grade = grade.clone();
        let status = status.to_string();
        async move {
            let a = s.get(ADMIN, &format!("/api/v1/leads?grade={grade}&status={status}&limit=500")).await;
            a.body["items"].as_array().unwrap().len() as f64
        }
    };
    let (won, lost) = (count("won").await, count("lost").await);
    assert!(won + lost > 0.0);
    close(before["potential"]["probability"].as_f64().unwrap(), won / (won + lost), 1e-9);

    // Managers see the model's state, reps do not; only an admin fits it.
    let manager = s.token_for("r11").await;
    let rep = s.token_for("r14").await;
    let state = s.get(&manager, "/api/v1/value/model").await;
    assert_eq!(state.status, StatusCode::OK, "{state:?}");
    assert!(state.body["model"].is_null());
    assert_eq!(state.body["closed"], 416);
    assert_eq!(s.get(&rep, "/api/v1/value/model").await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.post(&manager, "/api/v1/value/model", &json!({})).await.status, StatusCode::FORBIDDEN);

    // 416 closed leads: the model is fitted, stored with its date and sample, and judged on the
    // closed leads it did not see.
    let a = s.post(ADMIN, "/api/v1/value/model", &json!({})).await;
    assert_eq!(a.status, StatusCode::OK, "{a:?}");
    assert_eq!(a.body["result"], "fit");
    let model = &a.body["model"];
    assert_eq!(model["sample"], 416);
    let quality = &model["quality"];
    let held_out = quality["held_out"].as_u64().unwrap();
    assert!((75..=95).contains(&held_out), "every fifth closed lead is held out: {held_out}");
    let auc = quality["auc"].as_f64().unwrap();
    assert!(auc > 0.5 && auc <= 1.0, "better than chance on leads it did not see: {auc}");
    let deciles = quality["calibration"].as_array().unwrap();
    // Each held-out lead is scored at every age it was still open.
    assert!(deciles.iter().map(|d| d["samples"].as_u64().unwrap()).sum::<u64>() >= held_out);
    let stored: Vec<Value> =
        s.state.db.query("SELECT sample, fitted_at FROM value_model").await.unwrap().take(0).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["sample"], 416);
    let audits: Vec<Value> =
        s.state.db.query("SELECT * FROM audit WHERE record = 'value_model:current'").await.unwrap().take(0).unwrap();
    assert_eq!(audits.len(), 1);

    // The lead's potential now comes from the model: each factor's share of the log-odds,
    // largest first, adding up with the intercept to the probability.
    let after = s.get(ADMIN, &uri).await.body;
    let p = &after["potential"];
    assert_eq!(p["model"], "logistic");
    let factors = p["factors"].as_array().unwrap();
    assert_eq!(factors.len(), app::value::Features::names().len());
    let sizes: Vec<f64> = factors.iter().map(|f| f["contribution"].as_f64().unwrap().abs()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first: {sizes:?}");
    let log_odds =
        model["intercept"].as_f64().unwrap() + factors.iter().map(|f| f["contribution"].as_f64().unwrap()).sum::<f64>();
    close(p["probability"].as_f64().unwrap(), 1.0 / (1.0 + (-log_odds).exp()), 1e-9);

    // Nothing changed: the hourly round keeps it; a restart reads it back.
    let refit = app::ssr::service::value::refit_if_due(&s.state, Utc::now()).await.unwrap();
    assert_eq!(refit, app::ssr::service::value::Refit::Keep);
    let reread = app::ssr::repo::value::model(&s.state.db).await.unwrap().unwrap();
    assert_eq!(reread.sample, 416);
    assert_eq!(serde_json::to_value(&reread).unwrap(), *model);
}

#[test]
fn the_model_is_fitted_again_when_the_closed_leads_change_by_a_tenth_or_it_is_a_month_old() {
    use app::ssr::service::value::{due, Refit};
    let now = Utc::now();
    let model = |sample: usize, days: i64| app::value::Model {
        intercept: 0.0,
        coefficients: vec![],
        fitted_at: now - chrono::Duration::days(days),
        sample,
        quality: None,
    };
    assert_eq!(due(None, 199, now), Refit::Keep, "too few closed leads: the grades' rates");
    assert_eq!(due(None, 200, now), Refit::Fit);
    assert_eq!(due(Some(&model(1000, 3)), 1099, now), Refit::Keep);
    assert_eq!(due(Some(&model(1000, 3)), 1100, now), Refit::Fit);
    assert_eq!(due(Some(&model(1000, 3)), 900, now), Refit::Fit, "leads merged or reopened");
    assert_eq!(due(Some(&model(1000, 29)), 1000, now), Refit::Keep);
    assert_eq!(due(Some(&model(1000, 30)), 1000, now), Refit::Fit);
    assert_eq!(due(Some(&model(300, 3)), 150, now), Refit::Forget);
}
