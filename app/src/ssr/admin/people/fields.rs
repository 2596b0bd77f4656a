//! How the people forms are shown: labelled inputs and selects with each problem beside its
//! field in the reader's language, the problems of no field above the form, and the teams and
//! reps an admin may pick.
use super::forms::{TeamForm, UserForm};
use super::{t, T};
use crate::domain::enums::{Role, Seniority};
use crate::domain::users::{Team, User};
use crate::domain::validate::{Problem, ProblemCode};
use crate::i18n::Lang;
use leptos::prelude::*;

/// A problem in the reader's language.
pub(super) fn problem_text(lang: Lang, p: &Problem) -> String {
    let own = match (p.code, p.path.as_str()) {
        (ProblemCode::NotEditable, "active") => T::NotYourself,
        (ProblemCode::NotEditable, _) => T::NotEditable,
        (ProblemCode::TooShort, "password") => T::PasswordShort,
        (ProblemCode::UnknownValue, "key") => T::KeyInvalid,
        _ => return crate::ssr::admin::widgets::problem_text(lang, p),
    };
    t(lang, own).to_string()
}

fn on_field(p: &Problem, field: &str) -> bool {
    p.path == field || p.path.strip_prefix(field).is_some_and(|rest| rest.starts_with('['))
}

/// What is wrong with one field (or an entry of its list), if anything.
pub(super) fn problem_of(lang: Lang, problems: &[Problem], field: &str) -> Option<String> {
    let texts: Vec<String> = problems.iter().filter(|p| on_field(p, field)).map(|p| problem_text(lang, p)).collect();
    (!texts.is_empty()).then(|| texts.join("；"))
}

/// The problems that belong to none of `fields`, listed above the forms.
pub(super) fn general(lang: Lang, problems: &[Problem], fields: &[&str]) -> Option<AnyView> {
    let texts: Vec<String> =
        problems.iter().filter(|p| !fields.iter().any(|f| on_field(p, f))).map(|p| problem_text(lang, p)).collect();
    if texts.is_empty() {
        return None;
    }
    let items = texts.into_iter().map(|text| view! { <li>{text}</li> }).collect_view();
    Some(view! { <div class="notice error" role="alert"><ul>{items}</ul></div> }.into_any())
}

/// A labelled input, its hint and its problem.
pub(super) fn input(
    label: &'static str,
    name: &'static str,
    kind: &'static str,
    value: String,
    problem: Option<String>,
    hint: Option<&'static str>,
) -> AnyView {
    let invalid = problem.is_some().then_some("true");
    let autocomplete = if kind == "password" { "new-password" } else { "off" };
    view! {
        <label class="field">
            <span>{label}</span>
            <input type=kind name=name value=value autocomplete=autocomplete aria-invalid=invalid/>
            {hint.map(|h| view! { <span class="hint">{h}</span> })}
            {problem.map(|p| view! { <span class="field-error">{p}</span> })}
        </label>
    }
    .into_any()
}

/// A labelled select of (value, text) choices with `current` chosen, and its problem.
pub(super) fn select(
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    current: &str,
    problem: Option<String>,
) -> AnyView {
    let invalid = problem.is_some().then_some("true");
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let selected = value == current;
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <label class="field">
            <span>{label}</span>
            <select name=name aria-invalid=invalid>{options}</select>
            {problem.map(|p| view! { <span class="field-error">{p}</span> })}
        </label>
    }
    .into_any()
}

/// A "none" choice ahead of the others.
pub(super) fn none_first(mut options: Vec<(String, String)>) -> Vec<(String, String)> {
    options.insert(0, (String::new(), "—".to_string()));
    options
}

/// The teams one may pick.
pub(super) fn teams(teams: &[Team]) -> Vec<(String, String)> {
    teams.iter().map(|t| (t.key.clone(), format!("{} ({})", t.name, t.key))).collect()
}

/// The reps (people with a seniority) one may pick: the active ones, and `keep` (the current
/// pick) whatever its state; never `except`.
pub(super) fn reps(users: &[User], except: Option<&str>, keep: &str) -> Vec<(String, String)> {
    users
        .iter()
        .filter(|u| u.seniority.is_some() && (u.active || u.key == keep) && Some(u.key.as_str()) != except)
        .map(|u| (u.key.clone(), format!("{} ({})", u.name, u.key)))
        .collect()
}

/// The teams and mentors a user form offers.
pub(super) struct Choices {
    pub teams: Vec<(String, String)>,
    pub mentors: Vec<(String, String)>,
}

/// The fields of the user form: with the key and a password when `creating`, with the
/// active box when changing.
pub(super) fn user_fields(
    l: Lang,
    form: &UserForm,
    problems: &[Problem],
    choices: &Choices,
    creating: bool,
) -> AnyView {
    let p = |field: &str| problem_of(l, problems, field);
    let roles: Vec<(String, String)> =
        Role::ALL.iter().map(|r| (r.key().to_string(), r.label(l).to_string())).collect();
    let seniorities: Vec<(String, String)> =
        none_first(Seniority::ALL.iter().map(|s| (s.key().to_string(), s.label(l).to_string())).collect());
    let teams = none_first(choices.teams.clone());
    let mentors = none_first(choices.mentors.clone());
    let key = creating.then(|| input(t(l, T::Key), "key", "text", form.key.clone(), p("key"), Some(t(l, T::KeyHint))));
    let password = creating.then(|| {
        let hint = Some(t(l, T::PasswordOptionalHint));
        input(t(l, T::InitialPassword), "password", "password", String::new(), p("password"), hint)
    });
    let (industries, max) = (form.industries.clone(), form.max_open_leads.clone());
    let industries_hint = Some(t(l, T::IndustriesHint));
    let active = (!creating).then(|| {
        let checked = form.active;
        view! {
            <label class="field">
                <span>{t(l, T::ActiveBox)}</span>
                <input type="checkbox" name="active" value="true" checked=checked/>
            </label>
        }
    });
    view! {
        <div class="form-grid">
            {key}
            {input(t(l, T::Name), "name", "text", form.name.clone(), p("name"), None)}
            {select(t(l, T::Role), "role", roles, &form.role, p("role"))}
            {select(t(l, T::Seniority), "seniority", seniorities, &form.seniority, p("seniority"))}
            {select(t(l, T::Team), "team", teams, &form.team, p("team"))}
            {input(t(l, T::Region), "region", "text", form.region.clone(), p("region"), None)}
            {input(t(l, T::Industries), "industries", "text", industries, p("industries"), industries_hint)}
            {select(t(l, T::Mentor), "mentor", mentors, &form.mentor, p("mentor"))}
            {input(t(l, T::MaxOpen), "max_open_leads", "number", max, p("max_open_leads"), Some(t(l, T::MaxOpenHint)))}
            {password}
            {active}
        </div>
    }
    .into_any()
}

/// The fields of the new-team form.
pub(super) fn team_fields(l: Lang, form: &TeamForm, problems: &[Problem], managers: Vec<(String, String)>) -> AnyView {
    let p = |field: &str| problem_of(l, problems, field);
    view! {
        <div class="form-grid">
            {input(t(l, T::TeamKey), "key", "text", form.key.clone(), p("key"), None)}
            {input(t(l, T::TeamName), "name", "text", form.name.clone(), p("name"), None)}
            {input(t(l, T::Region), "region", "text", form.region.clone(), p("region"), None)}
            {select(t(l, T::Manager), "manager", none_first(managers), &form.manager, p("manager"))}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_land_beside_their_field_and_the_rest_above_the_form() {
        let problems = vec![
            Problem::new("industries[1]", ProblemCode::TooLong, "is longer than 30 characters"),
            Problem::new("password", ProblemCode::TooShort, "must have at least 10 characters"),
            Problem::new("active", ProblemCode::NotEditable, "you cannot deactivate or demote yourself"),
        ];
        assert_eq!(problem_of(Lang::Zh, &problems, "industries").as_deref(), Some("太长"));
        assert_eq!(problem_of(Lang::Zh, &problems, "industry"), None);
        assert_eq!(problem_of(Lang::En, &problems, "password").as_deref(), Some("Needs at least 10 characters"));
        assert!(general(Lang::Zh, &problems, &["industries", "password"]).is_some());
        assert!(general(Lang::Zh, &problems, &["industries", "password", "active"]).is_none());
    }
}
