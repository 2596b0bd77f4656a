//! What the people pages do when asked: show the roster or a user, and carry out each form —
//! create a user or a team, change a user, set or generate a password, deactivate, hand open
//! leads on, create or revoke an API token — through the service, then send the browser on
//! with a notice, or show the form again with its problems. A generated password or a new
//! token is shown in the page that answers the post, never carried in an address.
use super::forms::{TeamForm, UserForm};
use super::list::{self, Roster, Typed};
use super::user::{self, Outcome, Person, Secret};
use super::{done_at, handed_on, t, user_path, T};
use crate::domain::users::{valid_key, UserFields};
use crate::domain::validate::{Fields, Problem, ProblemCode};
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::service::{accounts, people as service};
use crate::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use serde_json::json;

/// The notice a redirect carries (`?done=…`).
#[derive(Deserialize)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

async fn roster(state: &AppState, viewer: &Viewer) -> ApiResult<Roster> {
    let users = service::users(state, &viewer.actor).await?;
    let teams = service::teams(state, &viewer.actor).await?;
    Ok(Roster { users, teams })
}

/// The roster again, with a refused create form as it was typed.
async fn roster_refused(state: &AppState, viewer: &Viewer, typed: Typed) -> Response {
    match roster(state, viewer).await {
        Ok(r) => with_status(list::render(viewer, &r, typed, None), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => page::failure(viewer, e),
    }
}

/// GET /admin/people: the roster (admins and managers).
pub(super) async fn show_roster(State(state): State<AppState>, viewer: Viewer, Query(q): Query<DoneQuery>) -> Response {
    if let Err(r) = viewer.require(true) {
        return r;
    }
    match roster(&state, &viewer).await {
        Ok(r) => list::render(&viewer, &r, Typed::default(), q.done.as_deref()),
        Err(e) => page::failure(&viewer, e),
    }
}

/// POST /admin/people: creates a user and opens their page.
pub(super) async fn create_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let mut form = UserForm::from_pairs(&pairs);
    let created = match form.new_user() {
        Ok(cmd) => service::create_user(&state, &viewer.actor, cmd).await,
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match created {
        Ok(u) => page::to(&done_at(&user_path(&u.key), &t(viewer.lang, T::UserCreated).replace("{name}", &u.name))),
        Err(ApiError::Invalid(user_problems)) => {
            // A password is never written back into the page.
            form.password.clear();
            roster_refused(&state, &viewer, Typed { user: form, user_problems, ..Typed::default() }).await
        }
        Err(e) => page::failure(&viewer, e),
    }
}

/// POST /admin/teams: creates a team and shows the roster.
pub(super) async fn create_team(State(state): State<AppState>, viewer: Viewer, Form(form): Form<TeamForm>) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let created = match form.new_team() {
        Ok(cmd) => service::create_team(&state, &viewer.actor, cmd).await,
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match created {
        Ok(team) => page::to(&done_at("/admin/people", &t(viewer.lang, T::TeamCreated).replace("{name}", &team.name))),
        Err(ApiError::Invalid(team_problems)) => {
            roster_refused(&state, &viewer, Typed { team: form, team_problems, ..Typed::default() }).await
        }
        Err(e) => page::failure(&viewer, e),
    }
}

async fn person(state: &AppState, viewer: &Viewer, key: &str) -> ApiResult<Person> {
    let users = service::users(state, &viewer.actor).await?;
    let user =
        users.iter().find(|u| u.key == key).cloned().ok_or_else(|| ApiError::NotFound(format!("no user `{key}`")))?;
    let teams = service::teams(state, &viewer.actor).await?;
    let tokens = service::tokens(state, &viewer.actor, key).await?;
    let tz = state.settings.read().await.tz();
    Ok(Person { user, users, teams, tokens, tz })
}

/// The user's page with what the last post left to show.
async fn person_page(state: &AppState, viewer: &Viewer, key: &str, outcome: Outcome, status: StatusCode) -> Response {
    match person(state, viewer, key).await {
        Ok(p) => with_status(user::render(viewer, p, outcome), status),
        Err(e) => page::failure(viewer, e),
    }
}

/// The user's page again with the problems of a refused form.
async fn refused(state: &AppState, viewer: &Viewer, key: &str, problems: Vec<Problem>) -> Response {
    let outcome = Outcome { problems, ..Outcome::default() };
    person_page(state, viewer, key, outcome, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// Back to the user's page with a notice.
fn back(key: &str, text: &str) -> Response {
    page::to(&done_at(&user_path(key), text))
}

/// GET /admin/people/{key}: one user's page (admins).
pub(super) async fn show_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    person_page(&state, &viewer, &key, Outcome { done: q.done, ..Outcome::default() }, StatusCode::OK).await
}

/// POST /admin/people/{key}: changes the user's profile.
pub(super) async fn edit_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let form = UserForm::from_pairs(&pairs);
    let saved = match form.change() {
        Ok(fields) => service::update_user(&state, &viewer.actor, &key, fields).await,
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match saved {
        Ok(u) => back(&u.key, t(viewer.lang, T::Saved)),
        Err(ApiError::Invalid(problems)) => {
            let outcome = Outcome { form: Some(form), problems, ..Outcome::default() };
            person_page(&state, &viewer, &key, outcome, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => page::failure(&viewer, e),
    }
}

/// The password form: a typed password, or `generate` for a random one.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PasswordForm {
    password: String,
    generate: String,
}

/// POST /admin/people/{key}/password: sets the typed password, or generates one and shows it
/// once in the answer.
pub(super) async fn set_password(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let password = if f.generate == "true" {
        None
    } else {
        let body = json!({ "password": f.password });
        let mut problems = Vec::new();
        let typed = Fields::new(&body, String::new(), &mut problems).opt_str("password");
        if typed.is_none() && problems.is_empty() {
            problems.push(Problem::new("password", ProblemCode::Required, "is required"));
        }
        if !problems.is_empty() {
            return refused(&state, &viewer, &key, problems).await;
        }
        typed
    };
    match service::reset_password(&state, &viewer.actor, &key, password).await {
        Ok(Some(generated)) => {
            let outcome = Outcome { secret: Some(Secret::Password(generated)), ..Outcome::default() };
            person_page(&state, &viewer, &key, outcome, StatusCode::OK).await
        }
        Ok(None) => back(&key, t(viewer.lang, T::PasswordDone)),
        Err(ApiError::Invalid(problems)) => refused(&state, &viewer, &key, problems).await,
        Err(e) => page::failure(&viewer, e),
    }
}

/// POST /admin/people/{key}/deactivate: ends the user's access at once.
pub(super) async fn deactivate(State(state): State<AppState>, viewer: Viewer, Path(key): Path<String>) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let done = match UserFields::read_patch(&json!({ "active": false })) {
        Ok(fields) => service::update_user(&state, &viewer.actor, &key, fields).await,
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match done {
        Ok(u) => back(&u.key, &t(viewer.lang, T::Deactivated).replace("{name}", &u.name)),
        Err(ApiError::Invalid(problems)) => refused(&state, &viewer, &key, problems).await,
        Err(e) => page::failure(&viewer, e),
    }
}

/// The hand-on form: a rep's key, or empty for the assignment rules.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ReassignForm {
    to: String,
}

/// POST /admin/people/{key}/reassign: hands every open lead of the user on.
pub(super) async fn reassign(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
    Form(f): Form<ReassignForm>,
) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let to = f.to.trim();
    if !to.is_empty() && !valid_key(to) {
        let problem = Problem::new("to", ProblemCode::UnknownValue, "is not a rep's key");
        return refused(&state, &viewer, &key, vec![problem]).await;
    }
    let to = (!to.is_empty()).then_some(to);
    match service::reassign_open_leads(&state, &viewer.actor, &key, to).await {
        Ok(n) => back(&key, &handed_on(viewer.lang, n)),
        Err(ApiError::Invalid(problems)) => refused(&state, &viewer, &key, problems).await,
        Err(e) => page::failure(&viewer, e),
    }
}

/// The new-token form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TokenForm {
    label: String,
}

/// POST /admin/people/{key}/tokens: makes an API token and shows it once in the answer.
pub(super) async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let body = json!({ "label": f.label });
    let mut problems = Vec::new();
    let label = Fields::new(&body, String::new(), &mut problems).req_str("label");
    let Some(label) = label.filter(|_| problems.is_empty()) else {
        return refused(&state, &viewer, &key, problems).await;
    };
    match accounts::create_token(&state, &viewer.actor, &key, &label).await {
        Ok((role, token)) => {
            let outcome = Outcome { secret: Some(Secret::Token(token, role)), ..Outcome::default() };
            person_page(&state, &viewer, &key, outcome, StatusCode::OK).await
        }
        Err(ApiError::Invalid(problems)) => refused(&state, &viewer, &key, problems).await,
        Err(e) => page::failure(&viewer, e),
    }
}

/// POST /admin/people/{key}/tokens/{id}/revoke: revokes one token.
pub(super) async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((key, id)): Path<(String, String)>,
) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    match service::revoke_token(&state, &viewer.actor, &key, &id).await {
        Ok(()) => back(&key, t(viewer.lang, T::TokenRevoked)),
        Err(e) => page::failure(&viewer, e),
    }
}
