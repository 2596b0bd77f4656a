//! What is wrong with a request, field by field: a stable code the pages translate into the
//! user's language, and an English message with the particulars for programs and logs.
use super::validate::{max_chars, MAX_LIST_ITEM_CHARS};
use serde::{Deserialize, Serialize};

/// One thing wrong with the input, and where: a stable `code` that pages translate into the
/// user's language, and a `message` in English with the particulars for programs and logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Problem {
    pub path: String,
    pub code: ProblemCode,
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, code: ProblemCode, message: impl Into<String>) -> Problem {
        Problem { path: path.into(), code, message: message.into() }
    }

    /// The field the problem is about: the last part of its path (`leads[3].email` → `email`).
    pub fn field(&self) -> &str {
        let last = self.path.rsplit('.').next().unwrap_or_default();
        last.split('[').next().unwrap_or_default()
    }

    /// The most characters the problem's field takes (an entry of a list takes fewer).
    pub fn char_limit(&self) -> usize {
        if self.path.ends_with(']') {
            MAX_LIST_ITEM_CHARS
        } else {
            max_chars(self.field())
        }
    }
}

/// What is wrong, as a code that does not change with the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// A required field is missing.
    Required,
    /// A text field holds only spaces.
    Empty,
    /// Longer than the field takes.
    TooLong,
    /// Shorter than the field needs (a password).
    TooShort,
    /// Not the JSON type the field takes (text, number, true/false, list, object).
    WrongType,
    /// Not one of the field's values.
    UnknownValue,
    /// Not a date and time the field takes.
    BadTime,
    /// A date outside the years Genjin takes (2000–2100).
    OutOfYears,
    /// A number below zero.
    Negative,
    /// A number outside the field's range.
    OutOfRange,
    /// More entries than the list takes.
    TooMany,
    /// Not an e-mail address.
    BadEmail,
    /// Names a record (rep, user, team, lead) that does not exist or is not the caller's to use.
    UnknownRecord,
    /// The same key or code twice, or one that exists already.
    Duplicate,
    /// A field that cannot be changed this way.
    NotEditable,
    /// Dates in the wrong order, or in the future.
    BadOrder,
    /// The lead is closed.
    Closed,
    /// The request as a whole is unreadable or incomplete.
    Malformed,
    /// The body is larger than the endpoint takes.
    TooLarge,
}
