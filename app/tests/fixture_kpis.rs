//! The KPI engine reproduces the reference KPI values of the sample history bundle.
use app::domain::bundle::{Bundle, Existing};
use app::kpi::{compute, AnalyticView, Dimension, Kpis, Period};
use app::settings::WorkspaceSettings;
use serde_json::Value;

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(name)).expect("fixture present");
    serde_json::from_str(&text).unwrap()
}

/// Compares two KPI sets number by number (to 1e-9).
pub fn assert_close(actual: &Value, expected: &Value, at: &str) {
    match (actual, expected) {
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
            assert!((a - e).abs() <= 1e-9, "{at}: expected {e}, got {a}");
        }
        (Value::Object(a), Value::Object(e)) => {
            assert_eq!(a.len(), e.len(), "{at}: keys differ: {:?} vs {:?}", a.keys(), e.keys());
            for (k, ev) in e {
                assert_close(&a[k], ev, &format!("{at}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{at}: lengths differ");
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                assert_close(av, ev, &format!("{at}[{i}]"));
            }
        }
        (a, e) => assert_eq!(a, e, "{at}"),
    }
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
