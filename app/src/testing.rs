//! What Genjin's tests share across crates (the app's own and the server's API tests): built
//! for tests only (`cfg(test)` or the `testing` feature, which the server's tests turn on).
use serde_json::Value;

/// Compares two JSON values (KPI sets, reports) number by number, to 1e-9.
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
