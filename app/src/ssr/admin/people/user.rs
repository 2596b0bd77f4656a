//! One user's page for an admin: their profile form, their password (set, or generate one that
//! is shown once), deactivation of a leaver, handing their open leads on, and their API tokens.
use super::fields::{self, Choices};
use super::forms::UserForm;
use super::{t, user_path, when, T};
use crate::domain::enums::Role;
use crate::domain::users::{Team, TokenInfo, User};
use crate::domain::validate::Problem;
use crate::i18n::Lang;
use crate::ssr::admin::page::{self, Viewer};
use axum::response::Response;
use leptos::prelude::*;

/// A user with what their page offers to pick from.
pub(super) struct Person {
    pub user: User,
    /// Everyone the admin sees: the mentors and the reps leads can be handed to.
    pub users: Vec<User>,
    pub teams: Vec<Team>,
    pub tokens: Vec<TokenInfo>,
    /// The workspace time zone, for the tokens' dates.
    pub tz: chrono_tz::Tz,
}

/// A secret made by the last post, shown once on the page that answers it.
pub(super) enum Secret {
    Password(String),
    Token(String, Role),
}

/// What the last post left to show: a notice, the profile as typed, problems, a secret.
#[derive(Default)]
pub(super) struct Outcome {
    pub done: Option<String>,
    pub form: Option<UserForm>,
    pub problems: Vec<Problem>,
    pub secret: Option<Secret>,
}

/// The paths of problems shown beside a field of this page; any other is listed at the top.
const SHOWN: [&str; 12] = [
    "name",
    "role",
    "seniority",
    "team",
    "region",
    "industries",
    "mentor",
    "max_open_leads",
    "password",
    "label",
    "to",
    "owner",
];

/// The user's page.
pub(super) fn render(viewer: &Viewer, person: Person, outcome: Outcome) -> Response {
    let l = viewer.lang;
    let Outcome { done, form, problems, secret } = outcome;
    let u = &person.user;
    let path = user_path(&u.key);
    let form = form.unwrap_or_else(|| UserForm::of(u));
    let choices = Choices {
        teams: fields::teams(&person.teams),
        mentors: fields::reps(&person.users, Some(u.key.as_str()), &form.mentor),
    };
    let (pill, state) = if u.active { ("pill", t(l, T::Active)) } else { ("pill off", t(l, T::Inactive)) };
    let is_self = u.key == viewer.actor.user;
    let body = view! {
        <div class="page-head">
            <h1>{u.name.clone()}" "<span class="hint">{u.key.clone()}</span></h1>
            <span class=pill>{state}</span>
            <a href="/admin/people" class="secondary">{t(l, T::BackToList)}</a>
        </div>
        {page::notice(done.as_deref())}
        {secret_box(l, secret)}
        {fields::general(l, &problems, &SHOWN)}
        <section class="card" aria-labelledby="profile-title">
            <h2 id="profile-title">{t(l, T::Profile)}</h2>
            <form method="post" action=path.clone()>
                {fields::user_fields(l, &form, &problems, &choices, false)}
                <div class="form-actions">
                    <button type="submit" class="primary">{t(l, T::Save)}</button>
                </div>
            </form>
        </section>
        <div class="admin-grid">
            {password_card(l, &path, &problems)}
            {(u.active && !is_self).then(|| deactivate_card(l, &path))}
            {(u.open_leads > 0).then(|| reassign_card(l, &path, u, &person.users, &problems))}
            {tokens_card(l, &path, &person.tokens, person.tz, &problems)}
        </div>
    }
    .into_any();
    page::page(viewer, &path, &u.name, body)
}

/// A password or token just made, with the warning that it is shown this once.
fn secret_box(l: Lang, secret: Option<Secret>) -> Option<AnyView> {
    let (title, value, warning, role) = match secret? {
        Secret::Password(p) => (t(l, T::GeneratedTitle), p, t(l, T::CopyPassword), None),
        Secret::Token(token, role) => {
            (t(l, T::TokenTitle), token, t(l, T::CopyToken), Some(format!("{}{}", t(l, T::TokenRole), role.label(l))))
        }
    };
    Some(
        view! {
            <section class="card" role="status" aria-labelledby="secret-title">
                <h2 id="secret-title">{title}</h2>
                <p class="secret">{value}</p>
                <p><strong>{warning}</strong></p>
                {role.map(|r| view! { <p class="hint">{r}</p> })}
            </section>
        }
        .into_any(),
    )
}

fn password_card(l: Lang, path: &str, problems: &[Problem]) -> AnyView {
    let action = format!("{path}/password");
    let problem = fields::problem_of(l, problems, "password");
    let hint = Some(t(l, T::PasswordHint));
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">{t(l, T::PasswordCard)}</h2>
            <form method="post" action=action.clone()>
                {fields::input(t(l, T::NewPassword), "password", "password", String::new(), problem, hint)}
                <div class="form-actions">
                    <button type="submit" class="primary">{t(l, T::SetPassword)}</button>
                </div>
            </form>
            <form method="post" action=action>
                <input type="hidden" name="generate" value="true"/>
                <p class="hint">{t(l, T::GenerateHint)}</p>
                <button type="submit" class="secondary">{t(l, T::Generate)}</button>
            </form>
        </section>
    }
    .into_any()
}

fn deactivate_card(l: Lang, path: &str) -> AnyView {
    view! {
        <section class="card" aria-labelledby="deactivate-title">
            <h2 id="deactivate-title">{t(l, T::Deactivate)}</h2>
            <p class="hint">{t(l, T::DeactivateHint)}</p>
            <form method="post" action=format!("{path}/deactivate")>
                <input type="hidden" name="active" value="false"/>
                <button type="submit" class="danger">{t(l, T::DeactivateButton)}</button>
            </form>
        </section>
    }
    .into_any()
}

fn reassign_card(l: Lang, path: &str, u: &User, users: &[User], problems: &[Problem]) -> AnyView {
    let mut options = vec![(String::new(), t(l, T::ByRules).to_string())];
    options.extend(fields::reps(users, Some(u.key.as_str()), ""));
    let problem = fields::problem_of(l, problems, "to").or_else(|| fields::problem_of(l, problems, "owner"));
    let count = t(l, T::OpenLeads).replace("{n}", &u.open_leads.to_string());
    view! {
        <section class="card" aria-labelledby="reassign-title">
            <h2 id="reassign-title">{t(l, T::Reassign)}</h2>
            <p class="hint">{count}</p>
            <form method="post" action=format!("{path}/reassign") class="inline-form">
                {fields::select(t(l, T::ReassignTo), "to", options, "", problem)}
                <button type="submit" class="primary">{t(l, T::ReassignButton)}</button>
            </form>
        </section>
    }
    .into_any()
}

fn tokens_card(l: Lang, path: &str, tokens: &[TokenInfo], tz: chrono_tz::Tz, problems: &[Problem]) -> AnyView {
    let rows = tokens
        .iter()
        .map(|token| {
            let state = match token.revoked_at {
                Some(at) => {
                    let text = format!("{} {}", t(l, T::Revoked), when(at, tz));
                    view! { <span class="pill off">{text}</span> }.into_any()
                }
                None => {
                    let action = format!("{path}/tokens/{}/revoke", crate::ui::encode(&token.id));
                    let label = format!("{} {}", t(l, T::Revoke), token.label);
                    view! {
                        <form method="post" action=action>
                            <button type="submit" class="danger" aria-label=label>{t(l, T::Revoke)}</button>
                        </form>
                    }
                    .into_any()
                }
            };
            view! {
                <tr>
                    <td>{token.label.clone()}</td>
                    <td>{when(token.created_at, tz)}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    let table = if tokens.is_empty() {
        view! { <p class="hint">{t(l, T::NoTokens)}</p> }.into_any()
    } else {
        view! {
            <div class="lead-table-wrap">
                <table class="lead-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::Label)}</th>
                            <th scope="col">{t(l, T::Created)}</th>
                            <th scope="col">{t(l, T::TokenState)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let problem = fields::problem_of(l, problems, "label");
    view! {
        <section class="card" aria-labelledby="tokens-title">
            <h2 id="tokens-title">{t(l, T::Tokens)}</h2>
            {table}
            <form method="post" action=format!("{path}/tokens") class="inline-form">
                {fields::input(t(l, T::Label), "label", "text", String::new(), problem, None)}
                <button type="submit" class="secondary">{t(l, T::NewToken)}</button>
            </form>
        </section>
    }
    .into_any()
}
