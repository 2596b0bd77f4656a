//! The KPI engine reproduces the reference KPI values of the sample history bundle
//! (`app/tests/fixtures`).
use crate::domain::bundle::{Bundle, Existing};
use crate::kpi::{compute, AnalyticView, Dimension, Kpis, Period};
use crate::settings::WorkspaceSettings;
use crate::testing::assert_close;
use serde_json::Value;

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(name)).expect("fixture present");
    serde_json::from_str(&text).unwrap()
}

fn report(view: &AnalyticView, from: &str, to: &str, by: Option<Dimension>) -> Value {
    let settings = WorkspaceSettings::default();
    let period = Period::parse(from, to, settings.tz()).unwrap();
    serde_json::to_value(compute(view, &period, by, &settings, |_| true)).unwrap()
}

#[test]
fn the_sample_bundle_reproduces_every_expected_kpi_file() {
    let bundle = Bundle::read(&load("sample-bundle.json"), &Existing::default()).unwrap();
    let view = AnalyticView::from_bundle(&bundle, &WorkspaceSettings::default().scoring);
    let q1 = report(&view, "2024-01-01", "2024-04-01", None);
    assert_close(&q1, &load("expected-kpis-2024-01-01_2024-04-01.json"), "Q1");
    for dim in ["grade", "owner", "team", "source"] {
        let expected = load(&format!("expected-kpis-2024-01-01_2024-07-01-by-{dim}.json"));
        let actual = report(&view, "2024-01-01", "2024-07-01", Dimension::parse(dim));
        assert_close(&actual, &expected, dim);
    }
    // The KPI set has exactly the keys of the contract.
    let _: Kpis = serde_json::from_value(q1["total"].clone()).unwrap();
}

#[test]
fn the_leads_own_kpis_are_the_same_without_the_pass_over_their_records() {
    let bundle = Bundle::read(&load("sample-bundle.json"), &Existing::default()).unwrap();
    let view = AnalyticView::from_bundle(&bundle, &WorkspaceSettings::default().scoring);
    let settings = WorkspaceSettings::default();
    let period = Period::parse("2024-01-01", "2024-07-01", settings.tz()).unwrap();
    let by = Dimension::parse("owner");
    let full = compute(&view, &period, by, &settings, |_| true);
    let leads = crate::kpi::compute_leads(&view, &period, by, &settings, |_| true);
    let own = |k: &Kpis| {
        (
            k.new_leads,
            k.conversion_rate,
            k.win_rate,
            k.response_rate,
            k.response_time_hours_mean,
            k.sla_compliance,
            k.avg_deal_size,
            k.sales_cycle_days,
            k.info_completeness,
            k.funnel.clone(),
        )
    };
    let groups = |r: &crate::kpi::KpiReport| {
        r.groups.as_ref().unwrap().iter().map(|g| (g.key.clone(), own(&g.kpis))).collect::<Vec<_>>()
    };
    assert_eq!(groups(&leads), groups(&full));
    assert_eq!(own(&leads.total), own(&full.total));
    assert!(full.total.interaction_frequency.is_some() && leads.total.interaction_frequency.is_none());
}
