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

/// Whether two JSON values (KPI sets) are the same but for floating-point rounding: numbers
/// within a relative 1e-9. Two app servers sum a KPI's terms in the order their views hold
/// them (a fresh read orders by id, a followed write comes last), which moves the last bits.
pub fn same_but_rounding(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
            _ => x == y,
        },
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_but_rounding(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_but_rounding(v, w))
        }
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rounding_is_forgiven_and_nothing_else() {
        let a = json!({"mean": 19.917154014423083, "n": 155, "deals": [230674.2857142857, null]});
        assert!(same_but_rounding(
            &a,
            &json!({"mean": 19.917154014423087, "n": 155, "deals": [230674.28571428574, null]})
        ));
        assert!(!same_but_rounding(&a, &json!({"mean": 19.9171541, "n": 155, "deals": [230674.2857142857, null]})));
        assert!(!same_but_rounding(
            &a,
            &json!({"mean": 19.917154014423083, "n": 156, "deals": [230674.2857142857, null]})
        ));
        assert!(!same_but_rounding(&a, &json!({"mean": 19.917154014423083, "n": 155, "deals": [230674.2857142857]})));
    }
}
