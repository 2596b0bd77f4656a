//! Changing a workspace's settings (API `PUT /api/v1/settings`, PRODUCT.md §12 "Settings"):
//! an admin sends a partial document, which is deep-merged into the current one, checked for
//! misspelt keys, read and validated whole, so every problem is listed with its dotted path
//! (`scoring.grade_s`) before anything changes.
use crate::assignment_rules::{validate_rules, Rule, Target};
use crate::domain::validate::{Problem, ProblemCode, MAX_AMOUNT};
use crate::settings::{Band, ScoringSettings, WorkspaceSettings};
use serde_json::{Map, Value};

/// The longest response SLA a grade may have: 90 days.
pub const MAX_SLA_HOURS: f64 = 24.0 * 90.0;

/// Deep-merges `patch` into `base`: objects merge key by key, recursively; arrays, scalars
/// and `null` replace what was there (a `null` where a value is needed is then reported when
/// the merged document is read).
pub fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(base), Value::Object(patch)) => {
            for (key, value) in patch {
                match base.get_mut(key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (base, patch) => *base = patch.clone(),
    }
}

/// The settings `patch` gives when applied to `current`, or every problem with it: a key that
/// is not a setting (a typo is never silently dropped), a value of the wrong type, or a value
/// the rules refuse (see [`validate`]).
pub fn apply_patch(current: &WorkspaceSettings, patch: &Value) -> Result<WorkspaceSettings, Vec<Problem>> {
    if !patch.is_object() {
        return Err(vec![Problem::new("", ProblemCode::WrongType, "the settings must be a JSON object")]);
    }
    let base = serde_json::to_value(current)
        .map_err(|e| vec![Problem::new("", ProblemCode::Malformed, format!("the current settings: {e}"))])?;
    let sample = serde_json::to_value(sample()).unwrap_or(Value::Null);
    let mut problems = Vec::new();
    unknown_keys(patch, Some(&base), Some(&sample), "", &mut problems);
    let mut merged = base.clone();
    merge(&mut merged, patch);
    match serde_json::from_value::<WorkspaceSettings>(merged) {
        Ok(next) => {
            problems.extend(validate(&next));
            if problems.is_empty() {
                Ok(next)
            } else {
                Err(problems)
            }
        }
        Err(whole) => {
            problems.extend(unreadable(&base, patch, &whole));
            Err(problems)
        }
    }
}

/// A document with one of everything, to check keys against where the current settings have
/// an empty list (no assignment rules yet).
fn sample() -> WorkspaceSettings {
    let mut s = WorkspaceSettings::default();
    s.assignment.rules.push(Rule {
        name: String::new(),
        regions: Vec::new(),
        industries: Vec::new(),
        sources: Vec::new(),
        grades: Vec::new(),
        to: Target::Team(String::new()),
    });
    s
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Reports every key of `patch` that the settings document does not have. An array's
/// entries are checked against the current list's first entry, or the sample's.
fn unknown_keys(patch: &Value, current: Option<&Value>, sample: Option<&Value>, path: &str, out: &mut Vec<Problem>) {
    fn first(list: Option<&Value>) -> Option<&Value> {
        list.and_then(Value::as_array).and_then(|items| items.first())
    }
    match patch {
        Value::Object(fields) => {
            let (current, sample) = (current.and_then(Value::as_object), sample.and_then(Value::as_object));
            if current.is_none() && sample.is_none() {
                return;
            }
            for (key, value) in fields {
                let at = join(path, key);
                let (known, like) = (current.and_then(|m| m.get(key)), sample.and_then(|m| m.get(key)));
                if known.is_none() && like.is_none() {
                    out.push(Problem::new(at, ProblemCode::UnknownValue, format!("`{key}` is not a setting")));
                } else {
                    unknown_keys(value, known, like, &at, out);
                }
            }
        }
        Value::Array(items) => {
            let (current, sample) = (first(current), first(sample));
            for (i, item) in items.iter().enumerate() {
                unknown_keys(item, current, sample, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Finds which parts of an unreadable patch are at fault: each changed value is tried alone
/// on the current settings, and those that cannot be read are reported at their path.
fn unreadable(base: &Value, patch: &Value, whole: &serde_json::Error) -> Vec<Problem> {
    let mut found = Vec::new();
    if let (Value::Object(patch), Value::Object(base_fields)) = (patch, base) {
        leaves(patch, base_fields, &mut Vec::new(), &mut found);
    }
    let mut problems = Vec::new();
    for (keys, value) in found {
        let mut alone = value.clone();
        for key in keys.iter().rev() {
            let mut wrapper = Map::new();
            wrapper.insert((*key).to_owned(), alone);
            alone = Value::Object(wrapper);
        }
        let mut doc = base.clone();
        merge(&mut doc, &alone);
        if let Err(e) = serde_json::from_value::<WorkspaceSettings>(doc) {
            problems.push(read_problem(keys.join("."), &e));
        }
    }
    if problems.is_empty() {
        problems.push(read_problem(String::new(), whole));
    }
    problems
}

/// The changed values of a patch, each with its keys: an object that merges into an object
/// is followed down; anything else is one value.
fn leaves<'p>(
    patch: &'p Map<String, Value>,
    base: &Map<String, Value>,
    keys: &mut Vec<&'p str>,
    out: &mut Vec<(Vec<&'p str>, &'p Value)>,
) {
    for (key, value) in patch {
        keys.push(key);
        match (value, base.get(key)) {
            (Value::Object(inner), Some(Value::Object(below))) if !inner.is_empty() => leaves(inner, below, keys, out),
            _ => out.push((keys.clone(), value)),
        }
        keys.pop();
    }
}

/// A value the settings cannot read, with a code from the reader's complaint.
fn read_problem(path: String, e: &serde_json::Error) -> Problem {
    let message = e.to_string();
    let code = if message.starts_with("invalid type") {
        ProblemCode::WrongType
    } else if message.starts_with("unknown variant") {
        ProblemCode::UnknownValue
    } else if message.starts_with("missing field") {
        ProblemCode::Required
    } else if message.starts_with("invalid value") || message.starts_with("invalid length") {
        ProblemCode::OutOfRange
    } else {
        ProblemCode::Malformed
    };
    Problem::new(path, code, message)
}

fn check(out: &mut Vec<Problem>, ok: bool, path: impl Into<String>, code: ProblemCode, message: impl Into<String>) {
    if !ok {
        out.push(Problem::new(path, code, message));
    }
}

/// Every problem with a settings document, each with its dotted path: the time zone, the
/// scoring rules (points, bands, grade thresholds), SLAs, cadence, limits, loss reasons and
/// the assignment rules' shape.
pub fn validate(s: &WorkspaceSettings) -> Vec<Problem> {
    use ProblemCode::*;
    let mut out = Vec::new();
    let zone_known = s.time_zone.parse::<chrono_tz::Tz>().is_ok();
    let message = format!("`{}` is not an IANA time zone name (such as Asia/Shanghai)", s.time_zone);
    check(&mut out, zone_known, "time_zone", UnknownValue, message);
    validate_scoring(&s.scoring, &mut out);
    let sla = [("s_hours", s.sla.s_hours), ("a_hours", s.sla.a_hours), ("b_hours", s.sla.b_hours)];
    for (field, hours) in sla.into_iter().chain([("c_hours", s.sla.c_hours)]) {
        let ok = hours > 0.0 && hours <= MAX_SLA_HOURS;
        check(&mut out, ok, format!("sla.{field}"), OutOfRange, "must be more than 0 and at most 2160 hours (90 days)");
    }
    for (i, days) in s.cadence.every_days.iter().enumerate() {
        let ok = (1..=90).contains(days);
        check(&mut out, ok, format!("cadence.every_days[{i}]"), OutOfRange, "must be 1 to 90 days");
    }
    for (i, days) in s.cadence.max_initial_days.iter().enumerate() {
        let ok = (1..=365).contains(days);
        check(&mut out, ok, format!("cadence.max_initial_days[{i}]"), OutOfRange, "must be 1 to 365 days");
    }
    for (stage, days) in s.cadence.later_stage_days.iter().enumerate() {
        for (i, days) in days.iter().enumerate() {
            let ok = (1..=365).contains(days);
            check(&mut out, ok, format!("cadence.later_stage_days[{stage}][{i}]"), OutOfRange, "must be 1 to 365 days");
        }
    }
    let ok = (0.0..=90.0).contains(&s.feedback_confirm_days);
    check(&mut out, ok, "feedback_confirm_days", OutOfRange, "must be 0 to 90 days");
    let ok = (1.0..=720.0).contains(&s.timely_logging_hours);
    check(&mut out, ok, "timely_logging_hours", OutOfRange, "must be 1 to 720 hours");
    let ok = (0.5..=50.0).contains(&s.customer_lifetime_years);
    check(&mut out, ok, "customer_lifetime_years", OutOfRange, "must be 0.5 to 50 years");
    check(&mut out, !s.loss_reasons.is_empty(), "loss_reasons", Required, "must offer at least one reason");
    for (i, reason) in s.loss_reasons.iter().enumerate() {
        let twice = s.loss_reasons[..i].contains(reason);
        check(&mut out, !twice, format!("loss_reasons[{i}]"), Duplicate, format!("`{reason}` is listed twice"));
    }
    out.extend(validate_rules(&s.assignment, "assignment"));
    out
}

fn validate_scoring(s: &ScoringSettings, out: &mut Vec<Problem>) {
    use ProblemCode::*;
    check(out, s.grade_b > 0, "scoring.grade_b", OutOfRange, "must be above 0");
    check(out, s.grade_a > s.grade_b, "scoring.grade_a", BadOrder, "must be above grade_b");
    check(out, s.grade_s > s.grade_a, "scoring.grade_s", BadOrder, "must be above grade_a");
    check(out, s.grade_s <= 100, "scoring.grade_s", OutOfRange, "must be at most 100");
    validate_bands("scoring.employee_bands", &s.employee_bands, out);
    validate_bands("scoring.budget_bands", &s.budget_bands, out);
    let ok = s.reference_deal_size > 0.0 && s.reference_deal_size <= MAX_AMOUNT;
    check(out, ok, "scoring.reference_deal_size", OutOfRange, "must be more than 0 and at most 1,000,000,000,000");
    for (i, band) in s.urgency_bands.iter().enumerate() {
        check(out, band.points <= 100, format!("scoring.urgency_bands[{i}].points"), OutOfRange, "must be at most 100");
        if let Some(before) = i.checked_sub(1).map(|j| &s.urgency_bands[j]) {
            let message = format!("must be above the band before it ({} months)", before.max_months);
            let (ok, path) = (band.max_months > before.max_months, format!("scoring.urgency_bands[{i}].max_months"));
            check(out, ok, path, BadOrder, message);
        }
    }
    for (field, points) in [("budget_positive_points", s.budget_positive_points)]
        .into_iter()
        .chain([("urgency_later_points", s.urgency_later_points)])
    {
        check(out, points <= 100, format!("scoring.{field}"), OutOfRange, "must be at most 100");
    }
    for (i, points) in s.chain_points.iter().enumerate() {
        check(out, *points <= 100, format!("scoring.chain_points[{i}]"), OutOfRange, "must be at most 100");
    }
    let total: u64 = s.max_points().iter().map(|p| u64::from(*p)).sum();
    let message = format!("the four parts can earn {total} points together; at most 100");
    check(out, total <= 100, "scoring", OutOfRange, message);
    if total <= 100 && s.grade_s <= 100 {
        let message = format!("no lead can reach it: the four parts earn at most {total} points");
        check(out, u64::from(s.grade_s) <= total, "scoring.grade_s", OutOfRange, message);
    }
}

/// Bands (company size, budget match) are tried highest first: each `min` above 0 and below
/// the one before it, each worth at most 100 points.
fn validate_bands(path: &str, bands: &[Band], out: &mut Vec<Problem>) {
    use ProblemCode::*;
    for (i, band) in bands.iter().enumerate() {
        check(out, band.points <= 100, format!("{path}[{i}].points"), OutOfRange, "must be at most 100");
        let min_path = format!("{path}[{i}].min");
        if !(band.min > 0.0 && band.min.is_finite()) {
            out.push(Problem::new(min_path, OutOfRange, "must be above 0"));
        } else if let Some(before) = i.checked_sub(1).map(|j| &bands[j]) {
            let message = format!("must be below the band before it ({})", before.min);
            check(out, band.min < before.min, min_path, BadOrder, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::LossReason;
    use crate::domain::validate::ProblemCode::*;
    use serde_json::json;

    fn apply(patch: Value) -> Result<WorkspaceSettings, Vec<Problem>> {
        apply_patch(&WorkspaceSettings::default(), &patch)
    }

    fn problems(patch: Value) -> Vec<(String, ProblemCode)> {
        apply(patch).err().unwrap_or_default().into_iter().map(|p| (p.path, p.code)).collect()
    }

    fn at(path: &str, code: ProblemCode) -> (String, ProblemCode) {
        (path.to_owned(), code)
    }

    #[test]
    fn the_default_settings_validate_clean() {
        let found = validate(&WorkspaceSettings::default());
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_partial_patch_changes_only_what_it_names() {
        let mut expected = WorkspaceSettings::default();
        expected.scoring.grade_s = 85;
        assert_eq!(apply(json!({"scoring": {"grade_s": 85}})), Ok(expected));
        let mut base = json!({"a": {"b": 1, "c": [1, 2]}, "d": 4});
        merge(&mut base, &json!({"a": {"c": [3]}, "e": null}));
        assert_eq!(base, json!({"a": {"b": 1, "c": [3]}, "d": 4, "e": null}));
    }

    #[test]
    fn a_misspelt_key_is_reported_with_its_path() {
        assert_eq!(problems(json!({"scoring": {"grade_x": 85}})), [at("scoring.grade_x", UnknownValue)]);
        assert_eq!(problems(json!({"sla": {"s_hours": 1, "x_hours": 3}})), [at("sla.x_hours", UnknownValue)]);
        let rule = json!({"region": ["华南"], "to": {"kind": "team", "key": "t2"}});
        let found = problems(json!({"assignment": {"rules": [rule]}}));
        assert_eq!(found, [at("assignment.rules[0].region", UnknownValue)]);
    }

    #[test]
    fn an_unknown_time_zone_is_refused() {
        assert_eq!(problems(json!({"time_zone": "Asia/Shang"})), [at("time_zone", UnknownValue)]);
        assert_eq!(apply(json!({"time_zone": "Europe/Berlin"})).unwrap().time_zone, "Europe/Berlin");
    }

    #[test]
    fn grade_thresholds_out_of_order_are_refused() {
        assert_eq!(problems(json!({"scoring": {"grade_a": 85}})), [at("scoring.grade_s", BadOrder)]);
        assert_eq!(problems(json!({"scoring": {"grade_b": 0}})), [at("scoring.grade_b", OutOfRange)]);
        assert_eq!(problems(json!({"scoring": {"grade_s": 101}})), [at("scoring.grade_s", OutOfRange)]);
    }

    #[test]
    fn parts_worth_more_than_100_points_together_are_refused() {
        assert_eq!(problems(json!({"scoring": {"chain_points": [30, 15, 10, 5]}})), [at("scoring", OutOfRange)]);
        assert!(apply(json!({"scoring": {"chain_points": [10, 8, 6, 4]}})).is_ok());
        let unreachable = json!({"scoring": {"chain_points": [10, 8, 6, 4], "grade_s": 95}});
        assert_eq!(problems(unreachable), [at("scoring.grade_s", OutOfRange)]);
    }

    #[test]
    fn bands_must_descend_and_stay_above_zero() {
        let bands = json!([{"min": 1000, "points": 30}, {"min": 1000, "points": 20}, {"min": 0, "points": 5}]);
        assert_eq!(
            problems(json!({"scoring": {"employee_bands": bands}})),
            [at("scoring.employee_bands[1].min", BadOrder), at("scoring.employee_bands[2].min", OutOfRange)]
        );
        let urgency = json!([{"max_months": 3, "points": 20}, {"max_months": 1, "points": 15}]);
        let found = problems(json!({"scoring": {"urgency_bands": urgency}}));
        assert_eq!(found, [at("scoring.urgency_bands[1].max_months", BadOrder)]);
    }

    #[test]
    fn values_of_the_wrong_type_are_reported_where_they_are() {
        let found = problems(json!({"scoring": {"grade_s": "high"}, "time_zone": null}));
        assert_eq!(found, [at("scoring.grade_s", WrongType), at("time_zone", WrongType)]);
        assert_eq!(problems(json!({"loss_reasons": ["price", "weather"]})), [at("loss_reasons", UnknownValue)]);
        assert_eq!(problems(json!({"cadence": {"every_days": [1, 2, -7, 7]}})), [at("cadence.every_days", OutOfRange)]);
        assert_eq!(problems(json!([1])), [at("", WrongType)]);
    }

    #[test]
    fn loss_reasons_must_be_offered_once_each() {
        assert_eq!(problems(json!({"loss_reasons": []})), [at("loss_reasons", Required)]);
        assert_eq!(problems(json!({"loss_reasons": ["price", "other", "price"]})), [at("loss_reasons[2]", Duplicate)]);
        let next = apply(json!({"loss_reasons": ["competitor", "other"]})).unwrap();
        assert_eq!(next.loss_reasons, [LossReason::Competitor, LossReason::Other]);
    }

    #[test]
    fn a_customers_lifetime_is_half_a_year_to_fifty() {
        assert_eq!(apply(json!({"customer_lifetime_years": 5})).unwrap().customer_lifetime_years, 5.0);
        assert_eq!(problems(json!({"customer_lifetime_years": 0.2})), [at("customer_lifetime_years", OutOfRange)]);
        assert_eq!(problems(json!({"customer_lifetime_years": 80})), [at("customer_lifetime_years", OutOfRange)]);
    }

    #[test]
    fn an_older_document_without_loss_reasons_or_rules_still_loads() {
        let mut old = serde_json::to_value(WorkspaceSettings::default()).unwrap();
        let fields = old.as_object_mut().unwrap();
        assert!(fields.remove("loss_reasons").is_some() && fields.remove("assignment").is_some());
        assert!(fields.remove("customer_lifetime_years").is_some());
        let read: WorkspaceSettings = serde_json::from_value(old).unwrap();
        assert_eq!(read, WorkspaceSettings::default());
        assert_eq!(read.loss_reasons.len(), LossReason::ALL.len());
    }

    #[test]
    fn rules_are_read_and_checked_and_stay_off_the_pages_binary_wire() {
        let rule = json!({"grades": ["S"], "to": {"kind": "rep", "key": "r1"}});
        let next = apply(json!({"assignment": {"rules": [rule]}})).unwrap();
        assert_eq!(next.assignment.rules[0].to, Target::Rep("r1".into()));
        let bytes = postcard::to_allocvec(&next).unwrap();
        let in_the_browser = postcard::from_bytes::<WorkspaceSettings>(&bytes).unwrap();
        assert_eq!(
            in_the_browser,
            WorkspaceSettings { assignment: Default::default(), ..next.clone() },
            "the rules stay on the server; the loss reasons travel for the board's lost question"
        );
        let json = serde_json::to_value(&next).unwrap();
        assert_eq!(serde_json::from_value::<WorkspaceSettings>(json).unwrap(), next, "JSON keeps them");
        let found = problems(json!({"assignment": {"rules": [{"regions": ["华南"]}]}}));
        assert_eq!(found, [at("assignment.rules", Required)]);
        let found = problems(json!({"assignment": {"rules": [{"to": {"kind": "team", "key": ""}}]}}));
        assert_eq!(found, [at("assignment.rules[0].to.key", Required)]);
    }
}
