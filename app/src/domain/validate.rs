//! Field-by-field validation of JSON records that reports every problem with its path
//! (`leads[17].source`), so a user can fix a whole bundle or form in one go.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::str::FromStr;

/// One thing wrong with the input, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { path: path.into(), message: message.into() }
    }
}

/// Reads the fields of one JSON object, collecting problems instead of stopping at the first.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
    pub problems: &'a mut Vec<Problem>,
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

impl<'a> Fields<'a> {
    /// `prefix` is the record's path (`leads[3]`); a non-object is reported once.
    pub fn new(value: &'a Value, prefix: String, problems: &'a mut Vec<Problem>) -> Fields<'a> {
        let map = match value.as_object() {
            Some(m) => m,
            None => {
                problems.push(Problem::new(prefix.clone(), "must be an object"));
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

    fn problem(&mut self, field: &str, message: impl Into<String>) {
        let path = self.path(field);
        self.problems.push(Problem::new(path, message));
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
                (!t.is_empty()).then(|| t.to_owned())
            }
            Some(_) => {
                self.problem(field, "must be a string");
                None
            }
        }
    }

    pub fn req_str(&mut self, field: &str) -> Option<String> {
        if self.present(field).is_none() {
            self.problem(field, "is required");
            return None;
        }
        let v = self.opt_str(field);
        if v.is_none() && self.present(field).is_some_and(Value::is_string) {
            self.problem(field, "must not be empty");
        }
        v
    }

    pub fn opt_enum<E: FromStr<Err = String>>(&mut self, field: &str) -> Option<E> {
        match self.present(field) {
            None => None,
            Some(Value::String(s)) => match s.parse() {
                Ok(e) => Some(e),
                Err(msg) => {
                    self.problem(field, msg);
                    None
                }
            },
            Some(_) => {
                self.problem(field, "must be a string");
                None
            }
        }
    }

    pub fn req_enum<E: FromStr<Err = String>>(&mut self, field: &str) -> Option<E> {
        if self.present(field).is_none() {
            self.problem(field, "is required");
            return None;
        }
        self.opt_enum(field)
    }

    pub fn opt_time(&mut self, field: &str) -> Option<DateTime<Utc>> {
        match self.present(field) {
            None => None,
            Some(Value::String(s)) => match DateTime::parse_from_rfc3339(s) {
                Ok(t) => Some(t.with_timezone(&Utc)),
                Err(_) => {
                    self.problem(field, format!("`{s}` is not an RFC 3339 timestamp"));
                    None
                }
            },
            Some(_) => {
                self.problem(field, "must be an RFC 3339 timestamp string");
                None
            }
        }
    }

    pub fn req_time(&mut self, field: &str) -> Option<DateTime<Utc>> {
        if self.present(field).is_none() {
            self.problem(field, "is required");
            return None;
        }
        self.opt_time(field)
    }

    /// A non-negative amount (CNY) or count.
    pub fn opt_amount(&mut self, field: &str) -> Option<f64> {
        match self.present(field) {
            None => None,
            Some(Value::Number(n)) => match n.as_f64() {
                Some(x) if x.is_finite() && x >= 0.0 => Some(x),
                _ => {
                    self.problem(field, "must not be negative");
                    None
                }
            },
            Some(_) => {
                self.problem(field, "must be a number");
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
                    self.problem(field, format!("must be a whole number from 0 to {max}"));
                    None
                }
            },
            Some(_) => {
                self.problem(field, "must be a number");
                None
            }
        }
    }

    /// A 1–5 rating.
    pub fn opt_rating(&mut self, field: &str) -> Option<u8> {
        let v = self.opt_u32(field, 5)?;
        if v == 0 {
            self.problem(field, "must be from 1 to 5");
            return None;
        }
        Some(v as u8)
    }

    pub fn opt_bool(&mut self, field: &str) -> Option<bool> {
        match self.present(field) {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.problem(field, "must be true or false");
                None
            }
        }
    }

    pub fn str_list(&mut self, field: &str) -> Vec<String> {
        match self.present(field) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
                        _ => {
                            let path = format!("{}[{i}]", self.path(field));
                            self.problems.push(Problem::new(path, "must be a non-empty string"));
                        }
                    }
                }
                out
            }
            Some(_) => {
                self.problem(field, "must be a list of strings");
                Vec::new()
            }
        }
    }

    /// Reports a problem on a field of this record.
    pub fn reject(&mut self, field: &str, message: impl Into<String>) {
        self.problem(field, message);
    }
}
