//! The settings form as an admin fills it in: every input is named by its dotted path in the
//! settings document (`scoring.grade_s`, `scoring.employee_bands.0.min`, `cadence.every_days.2`),
//! so a posted form becomes a whole settings document to preview or publish, and the page can
//! show again what the admin typed with each problem next to its input.
use crate::domain::validate::{Problem, ProblemCode};
use crate::i18n::Lang;
use crate::settings::WorkspaceSettings;
use crate::ssr::admin::widgets::problem_text;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// What the admin asked for with the form's button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See how the grades would move, writing nothing.
    Preview,
    /// Save the settings and regrade the open leads.
    Publish,
}

/// The settings as the form shows them: the document (without the assignment rules, which
/// have their own page), the text typed in each input, and the problems found.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub doc: Value,
    typed: HashMap<String, String>,
    pub problems: Vec<Problem>,
}

impl Draft {
    /// The form filled in with a workspace's settings.
    pub fn new(settings: &WorkspaceSettings) -> Draft {
        let mut doc = serde_json::to_value(settings).unwrap_or_else(|_| Value::Object(Map::new()));
        if let Some(fields) = doc.as_object_mut() {
            fields.remove("assignment");
        }
        Draft { doc, typed: HashMap::new(), problems: Vec::new() }
    }

    /// Reads a posted form into the document: each input sets its path (numbers are read as
    /// numbers; one that cannot be read is a problem at its path and keeps the old value), the
    /// ticked loss reasons replace the list. Names that are not settings are left alone.
    pub fn read(&mut self, fields: &[(String, String)]) -> Action {
        let mut action = Action::Preview;
        let mut reasons = Vec::new();
        for (name, raw) in fields {
            match name.as_str() {
                "action" => action = if raw == "publish" { Action::Publish } else { Action::Preview },
                "loss_reasons" => reasons.push(Value::String(raw.clone())),
                path => self.set(path, raw),
            }
        }
        if let Some(doc) = self.doc.as_object_mut() {
            doc.insert("loss_reasons".into(), Value::Array(reasons));
        }
        action
    }

    /// Sets one input's value at its dotted path.
    fn set(&mut self, path: &str, raw: &str) {
        let Some(slot) = slot_mut(&mut self.doc, path) else {
            return;
        };
        let whole = match &*slot {
            Value::String(_) => None,
            Value::Number(n) => Some(!n.is_f64()),
            _ => return,
        };
        self.typed.insert(path.to_owned(), raw.to_owned());
        match whole {
            None => *slot = Value::String(raw.trim().to_owned()),
            Some(whole) => match parse_number(raw, whole) {
                Ok(value) => *slot = value,
                Err((code, message)) => self.problems.push(Problem::new(path, code, message)),
            },
        }
    }

    /// Adds problems found by the settings' own rules, at dotted paths, leaving out any at a
    /// path that already has one from reading the form.
    pub fn add_problems(&mut self, found: Vec<Problem>) {
        let known: HashSet<String> = self.problems.iter().map(|p| p.path.clone()).collect();
        for mut p in found {
            p.path = dotted(&p.path);
            if !known.contains(&p.path) && !self.problems.contains(&p) {
                self.problems.push(p);
            }
        }
    }

    /// What an input shows: the text typed in it, or the setting's value.
    pub fn value(&self, path: &str) -> String {
        if let Some(text) = self.typed.get(path) {
            return text.clone();
        }
        match slot(&self.doc, path) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
                (Some(u), _) => u.to_string(),
                (None, Some(f)) => f.to_string(),
                _ => n.to_string(),
            },
            _ => String::new(),
        }
    }

    /// How many entries a list of the document has (the bands of a sub-score).
    pub fn entries(&self, path: &str) -> usize {
        slot(&self.doc, path).and_then(Value::as_array).map_or(0, Vec::len)
    }

    /// Whether a loss reason is offered.
    pub fn offers(&self, key: &str) -> bool {
        slot(&self.doc, "loss_reasons")
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|v| v.as_str() == Some(key)))
    }

    /// The problems at exactly this path, in the reader's language.
    pub fn errors(&self, lang: Lang, path: &str) -> Vec<String> {
        self.problems.iter().filter(|p| p.path == path).map(|p| problem_text(lang, p)).collect()
    }

    /// The problems of the loss reason list (the list or one of its entries).
    pub fn reason_errors(&self, lang: Lang) -> Vec<String> {
        let ours = |p: &&Problem| p.path == "loss_reasons" || p.path.starts_with("loss_reasons.");
        self.problems.iter().filter(ours).map(|p| problem_text(lang, p)).collect()
    }

    /// The problems no input shows: at a path that is not one of the form's inputs.
    pub fn unplaced(&self) -> Vec<&Problem> {
        let mut inputs = HashSet::new();
        leaf_paths(&self.doc, "", &mut inputs);
        self.problems
            .iter()
            .filter(|p| !inputs.contains(&p.path) && p.path != "scoring" && !p.path.starts_with("loss_reasons"))
            .collect()
    }
}

/// A problem path in the form's spelling: `scoring.employee_bands[1].min` →
/// `scoring.employee_bands.1.min`.
pub fn dotted(path: &str) -> String {
    path.replace('[', ".").replace(']', "")
}

fn slot<'v>(doc: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(doc, |at, key| match at {
        Value::Object(fields) => fields.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn slot_mut<'v>(doc: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    path.split('.').try_fold(doc, |at, key| match at {
        Value::Object(fields) => fields.get_mut(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// Every path of the document that holds a number or a text: the form's inputs.
fn leaf_paths(value: &Value, path: &str, out: &mut HashSet<String>) {
    let join = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match value {
        Value::Object(fields) => fields.iter().for_each(|(key, v)| leaf_paths(v, &join(key), out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| leaf_paths(v, &join(&i.to_string()), out)),
        _ => {
            out.insert(path.to_owned());
        }
    }
}

/// Reads a number typed in the form (thousands separators and spaces allowed): a whole
/// number 0 or more where the setting counts (points, days), any number where it measures
/// (hours, amounts, ratios).
pub fn parse_number(raw: &str, whole: bool) -> Result<Value, (ProblemCode, &'static str)> {
    let cleaned: String = raw.trim().chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect();
    if cleaned.is_empty() {
        return Err((ProblemCode::Required, "a number is required"));
    }
    let Some(v) = cleaned.parse::<f64>().ok().filter(|v| v.is_finite()) else {
        return Err((ProblemCode::WrongType, "is not a number"));
    };
    if !whole {
        return serde_json::Number::from_f64(v).map(Value::Number).ok_or((ProblemCode::WrongType, "is not a number"));
    }
    if v < 0.0 {
        Err((ProblemCode::OutOfRange, "must be 0 or more"))
    } else if v.fract() != 0.0 {
        Err((ProblemCode::WrongType, "must be a whole number"))
    } else if v > f64::from(u32::MAX) {
        Err((ProblemCode::OutOfRange, "is too large"))
    } else {
        Ok(Value::from(v as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn typed_values_land_at_their_dotted_paths() {
        let mut draft = Draft::new(&WorkspaceSettings::default());
        let posted = form(&[
            ("scoring.grade_s", "85"),
            ("scoring.employee_bands.0.min", "2,000"),
            ("cadence.every_days.2", "5"),
            ("sla.b_hours", "3.5"),
            ("time_zone", " Europe/Berlin "),
            ("loss_reasons", "price"),
            ("loss_reasons", "other"),
            ("action", "publish"),
        ]);
        assert_eq!(draft.read(&posted), Action::Publish);
        assert!(draft.problems.is_empty(), "{:?}", draft.problems);
        let next: WorkspaceSettings = serde_json::from_value(draft.doc.clone()).unwrap();
        assert_eq!(next.scoring.grade_s, 85);
        assert_eq!(next.scoring.employee_bands[0].min, 2000.0);
        assert_eq!(next.cadence.every_days, [1, 2, 5, 7]);
        assert_eq!(next.sla.b_hours, 3.5);
        assert_eq!(next.time_zone, "Europe/Berlin");
        assert_eq!(
            next.loss_reasons,
            [crate::domain::enums::LossReason::Price, crate::domain::enums::LossReason::Other]
        );
        assert_eq!(draft.value("scoring.employee_bands.0.min"), "2,000");
        assert!(draft.offers("price") && !draft.offers("competitor"));
    }

    #[test]
    fn a_number_that_cannot_be_read_is_a_wrong_type_problem_at_its_path() {
        let mut draft = Draft::new(&WorkspaceSettings::default());
        let action = draft.read(&form(&[("scoring.grade_a", "sixty"), ("cadence.max_initial_days.1", "2.5")]));
        assert_eq!(action, Action::Preview);
        let found: Vec<(&str, ProblemCode)> = draft.problems.iter().map(|p| (p.path.as_str(), p.code)).collect();
        assert_eq!(
            found,
            [("scoring.grade_a", ProblemCode::WrongType), ("cadence.max_initial_days.1", ProblemCode::WrongType)]
        );
        assert_eq!(draft.value("scoring.grade_a"), "sixty");
        assert_eq!(slot(&draft.doc, "scoring.grade_a"), Some(&Value::from(60u64)));
    }

    #[test]
    fn rule_problems_are_placed_at_the_inputs_by_their_dotted_paths() {
        let mut draft = Draft::new(&WorkspaceSettings::default());
        draft.add_problems(vec![
            Problem::new("scoring.employee_bands[1].min", ProblemCode::BadOrder, "must be below the band before it"),
            Problem::new("assignment.rules", ProblemCode::TooMany, "has more than 100 rules"),
        ]);
        assert_eq!(draft.errors(Lang::Zh, "scoring.employee_bands.1.min").len(), 1);
        let unplaced: Vec<&str> = draft.unplaced().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(unplaced, ["assignment.rules"]);
        assert_eq!(draft.entries("scoring.budget_bands"), 4);
    }

    #[test]
    fn counts_must_be_whole_and_not_negative_while_measures_take_decimals() {
        assert_eq!(parse_number("12", true), Ok(Value::from(12u64)));
        assert_eq!(parse_number("-1", true).unwrap_err().0, ProblemCode::OutOfRange);
        assert_eq!(parse_number("", false).unwrap_err().0, ProblemCode::Required);
        assert_eq!(parse_number("1.5", false).unwrap().as_f64(), Some(1.5));
        assert_eq!(Draft::new(&WorkspaceSettings::default()).value("scoring.reference_deal_size"), "100000");
    }
}
