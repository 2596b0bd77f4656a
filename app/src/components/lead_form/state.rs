//! The lead form's state in the browser: one signal a field, which fields the user has left,
//! whether saving was tried and what the server said about each field, and from those the
//! error a field shows.
use super::problems::{problem_text, server_problem_text};
use crate::domain::lead::Lead;
use crate::domain::lead_form::body::profile_text;
use crate::domain::lead_form::fields::{field_problem, FORM_FIELDS};
use crate::domain::validate::Problem;
use crate::i18n::Lang;
use leptos::prelude::*;

/// The form's values, one signal a field.
#[derive(Clone, Copy)]
pub struct Form {
    values: [RwSignal<String>; 28],
    pub verified: RwSignal<bool>,
    pub owner: RwSignal<String>,
}

impl Form {
    /// Empty for a new lead, else the saved lead's values.
    pub fn new(saved: Option<&Lead>) -> Form {
        Form {
            values: std::array::from_fn(|i| {
                RwSignal::new(saved.map(|l| profile_text(&l.profile, FORM_FIELDS[i])).unwrap_or_default())
            }),
            verified: RwSignal::new(saved.is_some_and(|l| l.profile.verified)),
            owner: RwSignal::new(saved.and_then(|l| l.owner.clone()).unwrap_or_default()),
        }
    }

    pub fn signal(&self, field: &str) -> RwSignal<String> {
        let i = FORM_FIELDS.iter().position(|f| *f == field).unwrap_or(0);
        self.values[i]
    }

    pub fn get(&self, field: &str) -> String {
        self.signal(field).get()
    }

    pub fn get_untracked(&self, field: &str) -> String {
        self.signal(field).get_untracked()
    }
}

/// The form's values with what decides the errors it shows.
#[derive(Clone, Copy)]
pub struct FormState {
    pub form: Form,
    /// Fields the user has left: their "required" errors show from then on.
    touched: RwSignal<Vec<&'static str>>,
    /// Whether saving was tried.
    pub attempted: RwSignal<bool>,
    /// The problems the server reported on the form's fields (and `owner`).
    pub server_problems: RwSignal<Vec<Problem>>,
}

impl FormState {
    /// A fresh form: empty for a new lead, else the saved lead's values.
    pub fn new(saved: Option<&Lead>) -> FormState {
        FormState {
            form: Form::new(saved),
            touched: RwSignal::new(Vec::new()),
            attempted: RwSignal::new(false),
            server_problems: RwSignal::new(Vec::new()),
        }
    }

    /// The error shown next to a field: the browser's own check (required ones once the field
    /// was left or saving was tried), else what the server said.
    pub fn error_of(&self, field: &'static str, lang: Lang) -> Option<String> {
        let value = self.form.get(field);
        if let Some(problem) = field_problem(field, &value) {
            let blank_required = value.trim().is_empty();
            if !blank_required || self.attempted.get() || self.touched.with(|left| left.contains(&field)) {
                return Some(problem_text(problem, lang).to_string());
            }
        }
        self.server_error(field, lang)
    }

    /// What the server said about `path`, in `lang`.
    pub fn server_error(&self, path: &str, lang: Lang) -> Option<String> {
        self.server_problems.with(|p| p.iter().find(|p| p.path == path).map(|p| server_problem_text(p, lang)))
    }

    /// Whether the server said something about `path`.
    pub fn has_server_error(&self, path: &str) -> bool {
        self.server_problems.with(|p| p.iter().any(|p| p.path == path))
    }

    /// Forgets what the server said about `path` (the user changed it).
    pub fn clear_server_error(&self, path: &str) {
        self.server_problems.update(|p| p.retain(|p| p.path != path));
    }

    /// The user typed `value` into `field`.
    pub fn edited(&self, field: &'static str, value: String) {
        self.form.signal(field).set(value);
        self.clear_server_error(field);
    }

    /// The user left `field`.
    pub fn left(&self, field: &'static str) {
        if !self.touched.with_untracked(|left| left.contains(&field)) {
            self.touched.update(|left| left.push(field));
        }
    }

    /// Whether any field holds a value the browser's own checks refuse.
    pub fn any_problem(&self) -> bool {
        FORM_FIELDS.iter().any(|f| field_problem(f, &self.form.get(f)).is_some())
    }

    /// The first field, in form order, whose value the browser's own checks refuse (read
    /// without tracking, on submit).
    pub fn first_problem_untracked(&self) -> Option<&'static str> {
        FORM_FIELDS.iter().find(|f| field_problem(f, &self.form.get_untracked(f)).is_some()).copied()
    }
}
