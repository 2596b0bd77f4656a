//! Field-by-field validation of JSON records that reports every problem with its path
//! (`leads[17].source`), so a user can fix a whole bundle or form in one go.
use chrono::{DateTime, Datelike, Utc};
use serde_json::{Map, Value};
use std::str::FromStr;

pub use super::problem::{Problem, ProblemCode};

/// Reads the fields of one JSON object, collecting problems instead of stopping at the first.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
    pub problems: &'a mut Vec<Problem>,
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

/// The years a date may fall in: anything else is a typing mistake (or an attack), never a
/// follow-up Genjin should compute with.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The largest amount (CNY) a field takes: a trillion yuan is beyond any deal or budget a
/// sales team records, and sums of amounts this size stay exact enough for the KPIs.
pub const MAX_AMOUNT: f64 = 1e12;

/// How many entries a list field (tags, industries) may hold, and how long each may be.
pub const MAX_LIST_ITEMS: usize = 20;
pub const MAX_LIST_ITEM_CHARS: usize = 30;

/// The longest text a field takes, in characters: names and contact details are short, the
/// free-text notes of a lead or a follow-up may be long.
pub fn max_chars(field: &str) -> usize {
    match field {
        "company" | "name" => 200,
        "contact_name" | "contact_title" | "industry" | "region" | "key" | "code" | "rep" | "owner" | "team"
        | "lead" | "by" | "strategy" | "label" => 100,
        "phone" => 40,
        "email" => 254,
        "source_details" | "contact" => 500,
        _ => 4_000,
    }
}

impl<'a> Fields<'a> {
    /// `prefix` is the record's path (`leads[3]`); a non-object is reported once.
    pub fn new(value: &'a Value, prefix: String, problems: &'a mut Vec<Problem>) -> Fields<'a> {
        let map = match value.as_object() {
            Some(m) => m,
            None => {
                problems.push(Problem::new(prefix.clone(), ProblemCode::WrongType, "must be an object"));
                &EMPTY
            }
        };
        Fields { map, prefix, problems }
    }

    pub fn path(&self, field: &str) -> String {
        if self.prefix.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.prefix)
        }
    }

    fn problem(&mut self, field: &str, code: ProblemCode, message: impl Into<String>) {
        let path = self.path(field);
        self.problems.push(Problem::new(path, code, message));
    }

    fn present(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    pub fn has(&self, field: &str) -> bool {
        self.map.contains_key(field)
    }

    pub fn opt_str(&mut self, field: &str) -> Option<String> {
        match self.present(field) {
            None => None,
            Some(Value::String(s)) => {
                let t = s.trim();
                let max = max_chars(field);
                if t.chars().count() > max {
                    self.problem(field, ProblemCode::TooLong, format!("is longer than {max} characters"));
                    return None;
                }
                (!t.is_empty()).then(|| t.to_owned())
            }
            Some(_) => {
                self.problem(field, ProblemCode::WrongType, "must be a string");
                None
            }
        }
    }

    pub fn req_str(&mut self, field: &str) -> Option<String> {
        if self.present(field).is_none() {
            self.problem(field, ProblemCode::Required, "is required");
            return None;
        }
        let v = self.opt_str(field);
        if v.is_none() && self.present(field).and_then(Value::as_str).is_some_and(|s| s.trim().is_empty()) {
            self.problem(field, ProblemCode::Empty, "must not be empty");
        }
        v
    }

    pub fn opt_enum<E: FromStr<Err = String>>(&mut self, field: &str) -> Option<E> {
        match self.present(field) {
            None => None,
            Some(Value::String(s)) => match s.parse() {
                Ok(e) => Some(e),
                Err(msg) => {
                    self.problem(field, ProblemCode::UnknownValue, msg);
                    None
                }
            },
            Some(_) => {
                self.problem(field, ProblemCode::WrongType, "must be a string");
                None
            }
        }
    }

    pub fn req_enum<E: FromStr<Err = String>>(&mut self, field: &str) -> Option<E> {
        if self.present(field).is_none() {
            self.problem(field, ProblemCode::Required, "is required");
            return None;
        }
        self.opt_enum(field)
    }

    pub fn opt_time(&mut self, field: &str) -> Option<DateTime<Utc>> {
        match self.present(field) {
            None => None,
            Some(Value::String(s)) => match DateTime::parse_from_rfc3339(s) {
                Ok(t) if !YEARS.contains(&t.year()) => {
                    self.problem(
                        field,
                        ProblemCode::OutOfYears,
                        format!("`{s}` is outside the years {} to {}", YEARS.start(), YEARS.end()),
                    );
                    None
                }
                Ok(t) => Some(t.with_timezone(&Utc)),
                Err(_) => {
                    self.problem(field, ProblemCode::BadTime, format!("`{s}` is not an RFC 3339 timestamp"));
                    None
                }
            },
            Some(_) => {
                self.problem(field, ProblemCode::WrongType, "must be an RFC 3339 timestamp string");
                None
            }
        }
    }

    pub fn req_time(&mut self, field: &str) -> Option<DateTime<Utc>> {
        if self.present(field).is_none() {
            self.problem(field, ProblemCode::Required, "is required");
            return None;
        }
        self.opt_time(field)
    }

    /// A non-negative amount (CNY) or count.
    pub fn opt_amount(&mut self, field: &str) -> Option<f64> {
        match self.present(field) {
            None => None,
            Some(Value::Number(n)) => match n.as_f64() {
                Some(x) if x.is_finite() && (0.0..=MAX_AMOUNT).contains(&x) => Some(x),
                Some(x) if x > MAX_AMOUNT => {
                    self.problem(field, ProblemCode::OutOfRange, "must be at most 1,000,000,000,000");
                    None
                }
                _ => {
                    self.problem(field, ProblemCode::Negative, "must not be negative");
                    None
                }
            },
            Some(_) => {
                self.problem(field, ProblemCode::WrongType, "must be a number");
                None
            }
        }
    }

    pub fn opt_u32(&mut self, field: &str, max: u32) -> Option<u32> {
        match self.present(field) {
            None => None,
            Some(Value::Number(n)) => match n.as_u64() {
                Some(x) if x <= u64::from(max) => Some(x as u32),
                _ => {
                    self.problem(field, ProblemCode::OutOfRange, format!("must be a whole number from 0 to {max}"));
                    None
                }
            },
            Some(_) => {
                self.problem(field, ProblemCode::WrongType, "must be a number");
                None
            }
        }
    }

    /// A 1–5 rating.
    pub fn opt_rating(&mut self, field: &str) -> Option<u8> {
        let v = self.opt_u32(field, 5)?;
        if v == 0 {
            self.problem(field, ProblemCode::OutOfRange, "must be from 1 to 5");
            return None;
        }
        Some(v as u8)
    }

    pub fn opt_bool(&mut self, field: &str) -> Option<bool> {
        match self.present(field) {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.problem(field, ProblemCode::WrongType, "must be true or false");
                None
            }
        }
    }

    pub fn str_list(&mut self, field: &str) -> Vec<String> {
        match self.present(field) {
            None => Vec::new(),
            Some(Value::Array(items)) if items.len() > MAX_LIST_ITEMS => {
                self.problem(field, ProblemCode::TooMany, format!("has more than {MAX_LIST_ITEMS} entries"));
                Vec::new()
            }
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(s) if s.trim().chars().count() > MAX_LIST_ITEM_CHARS => {
                            let path = format!("{}[{i}]", self.path(field));
                            self.problems.push(Problem::new(
                                path,
                                ProblemCode::TooLong,
                                format!("is longer than {MAX_LIST_ITEM_CHARS} characters"),
                            ));
                        }
                        Some(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
                        _ => {
                            let path = format!("{}[{i}]", self.path(field));
                            self.problems.push(Problem::new(path, ProblemCode::Empty, "must be a non-empty string"));
                        }
                    }
                }
                out
            }
            Some(_) => {
                self.problem(field, ProblemCode::WrongType, "must be a list of strings");
                Vec::new()
            }
        }
    }

    /// Reads a nested object (`details`) with its own fields; absent or null gives the
    /// default, anything but an object a problem.
    pub fn nested<T: Default>(&mut self, field: &str, read: impl FnOnce(&mut Fields<'_>) -> T) -> T {
        match self.present(field) {
            None => T::default(),
            Some(v @ Value::Object(_)) => {
                let path = self.path(field);
                let mut inner = Fields::new(v, path, self.problems);
                read(&mut inner)
            }
            Some(_) => {
                self.problem(field, ProblemCode::WrongType, "must be an object");
                T::default()
            }
        }
    }

    /// Reports a problem on a field of this record.
    pub fn reject(&mut self, field: &str, code: ProblemCode, message: impl Into<String>) {
        self.problem(field, code, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(body: Value, read: impl FnOnce(&mut Fields<'_>)) -> Vec<String> {
        let mut problems = Vec::new();
        read(&mut Fields::new(&body, String::new(), &mut problems));
        problems.into_iter().map(|p| format!("{}: {}", p.path, p.message)).collect()
    }

    #[test]
    fn text_longer_than_its_field_takes_is_refused() {
        let long = "公".repeat(201);
        assert_eq!(
            read(json!({"company": long}), |f| {
                let _ = f.opt_str("company");
            }),
            ["company: is longer than 200 characters"]
        );
        assert!(read(json!({"company": "公".repeat(200)}), |f| {
            let _ = f.opt_str("company");
        })
        .is_empty());
        assert!(read(json!({"summary": "x".repeat(4_000)}), |f| {
            let _ = f.opt_str("summary");
        })
        .is_empty());
        assert_eq!(
            read(json!({"summary": "x".repeat(4_001)}), |f| {
                let _ = f.opt_str("summary");
            })
            .len(),
            1
        );
    }

    #[test]
    fn tags_are_at_most_twenty_of_thirty_characters() {
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert_eq!(
            read(json!({"tags": many}), |f| {
                let _ = f.str_list("tags");
            }),
            ["tags: has more than 20 entries"]
        );
        assert_eq!(
            read(json!({"tags": ["ok", "x".repeat(31)]}), |f| {
                let _ = f.str_list("tags");
            }),
            ["tags[1]: is longer than 30 characters"]
        );
    }

    #[test]
    fn amounts_are_from_zero_to_a_trillion_yuan() {
        let amount = |v: Value| {
            read(json!({ "budget": v }), |f| {
                let _ = f.opt_amount("budget");
            })
        };
        assert!(amount(json!(0)).is_empty());
        assert!(amount(json!(1e12)).is_empty());
        assert_eq!(amount(json!(1.7e308)), ["budget: must be at most 1,000,000,000,000"]);
        assert_eq!(amount(json!(-1)), ["budget: must not be negative"]);
    }

    #[test]
    fn dates_outside_2000_to_2100_are_refused() {
        for bad in ["1999-12-31T23:00:00Z", "2101-01-01T00:00:00Z", "9999-01-01T00:00:00Z"] {
            assert_eq!(
                read(json!({"at": bad}), |f| {
                    let _ = f.opt_time("at");
                })
                .len(),
                1,
                "{bad}"
            );
        }
        assert!(read(json!({"at": "2026-12-02T08:00:00+08:00"}), |f| {
            let _ = f.opt_time("at");
        })
        .is_empty());
    }
}
