//! The roster page: every user the reader may see with role, seniority, team, region,
//! industries, mentor, capacity and state, and the sales teams; for an admin, the forms that
//! create a user and a team.
use super::fields::{self, Choices};
use super::forms::{TeamForm, UserForm};
use super::{t, user_path, T};
use crate::domain::users::{Team, User};
use crate::domain::validate::Problem;
use crate::i18n::Lang;
use crate::ssr::admin::page::{self, Viewer};
use axum::response::Response;
use leptos::prelude::*;

/// The people and teams the reader may see.
pub(super) struct Roster {
    pub users: Vec<User>,
    pub teams: Vec<Team>,
}

/// What was typed into the create forms and what is wrong with it.
#[derive(Default)]
pub(super) struct Typed {
    pub user: UserForm,
    pub user_problems: Vec<Problem>,
    pub team: TeamForm,
    pub team_problems: Vec<Problem>,
}

/// The fields of the new-user form; problems of any other path are listed above it.
const USER_FIELDS: [&str; 10] =
    ["key", "name", "role", "seniority", "team", "region", "industries", "mentor", "max_open_leads", "password"];
const TEAM_FIELDS: [&str; 4] = ["key", "name", "region", "manager"];

/// The roster page.
pub(super) fn render(viewer: &Viewer, roster: &Roster, typed: Typed, done: Option<&str>) -> Response {
    let l = viewer.lang;
    let admin = viewer.actor.is_admin();
    let intro = t(l, if admin { T::IntroAdmin } else { T::IntroManager });
    let body = view! {
        <div class="page-head">
            <h1>{t(l, T::Title)}</h1>
            <p class="hint">{intro}</p>
        </div>
        {page::notice(done)}
        {users_table(l, roster, admin)}
        {teams_table(l, roster)}
        {admin.then(|| create_forms(l, roster, typed))}
    }
    .into_any();
    page::page(viewer, "/admin/people", t(l, T::Title), body)
}

/// A user's name by key (the key itself when the user is not in view).
fn name_of(users: &[User], key: &str) -> String {
    users.iter().find(|u| u.key == key).map(|u| u.name.clone()).unwrap_or_else(|| key.to_string())
}

fn team_name(teams: &[Team], key: &str) -> String {
    teams.iter().find(|t| t.key == key).map(|t| t.name.clone()).unwrap_or_else(|| key.to_string())
}

fn or_dash(value: Option<String>) -> String {
    value.filter(|v| !v.is_empty()).unwrap_or_else(|| "—".to_string())
}

/// A rep's load against their cap: `12 / 40`, or `12` without a cap.
fn capacity(u: &User) -> String {
    match u.max_open_leads {
        Some(max) => format!("{} / {max}", u.open_leads),
        None => u.open_leads.to_string(),
    }
}

fn users_table(l: Lang, roster: &Roster, admin: bool) -> AnyView {
    let rows = roster
        .users
        .iter()
        .map(|u| {
            let name = if admin {
                view! { <a href=user_path(&u.key)>{u.name.clone()}</a> }.into_any()
            } else {
                view! { <span>{u.name.clone()}</span> }.into_any()
            };
            let seniority = u.seniority.map(|s| s.label(l)).unwrap_or("—");
            let team = or_dash(u.team.as_deref().map(|k| team_name(&roster.teams, k)));
            let mentor = or_dash(u.mentor.as_deref().map(|k| name_of(&roster.users, k)));
            let (pill, state) = if u.active { ("pill", t(l, T::Active)) } else { ("pill off", t(l, T::Inactive)) };
            let password = t(l, if u.has_password { T::PasswordSet } else { T::PasswordNone });
            view! {
                <tr>
                    <td>{name}" "<span class="hint">{u.key.clone()}</span></td>
                    <td>{u.role.label(l)}</td>
                    <td>{seniority}</td>
                    <td>{team}</td>
                    <td>{or_dash(u.region.clone())}</td>
                    <td class="wrap">{or_dash(Some(u.industries.join("、")))}</td>
                    <td>{mentor}</td>
                    <td class="num">{capacity(u)}</td>
                    <td><span class=pill>{state}</span></td>
                    <td>{password}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="users-title">
            <h2 id="users-title">{t(l, T::Users)}</h2>
            <div class="lead-table-wrap">
                <table class="lead-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::Name)}</th>
                            <th scope="col">{t(l, T::Role)}</th>
                            <th scope="col">{t(l, T::Seniority)}</th>
                            <th scope="col">{t(l, T::Team)}</th>
                            <th scope="col">{t(l, T::Region)}</th>
                            <th scope="col">{t(l, T::Industries)}</th>
                            <th scope="col">{t(l, T::Mentor)}</th>
                            <th scope="col" class="num">{t(l, T::Capacity)}</th>
                            <th scope="col">{t(l, T::Status)}</th>
                            <th scope="col">{t(l, T::PasswordColumn)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

fn teams_table(l: Lang, roster: &Roster) -> AnyView {
    if roster.teams.is_empty() {
        return view! {
            <section class="card" aria-labelledby="teams-title">
                <h2 id="teams-title">{t(l, T::Teams)}</h2>
                <p class="hint">{t(l, T::NoTeams)}</p>
            </section>
        }
        .into_any();
    }
    let rows = roster
        .teams
        .iter()
        .map(|team| {
            let manager = or_dash(team.manager.as_deref().map(|k| name_of(&roster.users, k)));
            view! {
                <tr>
                    <td>{team.key.clone()}</td>
                    <td>{team.name.clone()}</td>
                    <td>{or_dash(team.region.clone())}</td>
                    <td>{manager}</td>
                    <td class="num">{team.members.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="teams-title">
            <h2 id="teams-title">{t(l, T::Teams)}</h2>
            <div class="lead-table-wrap">
                <table class="lead-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::TeamKey)}</th>
                            <th scope="col">{t(l, T::TeamName)}</th>
                            <th scope="col">{t(l, T::Region)}</th>
                            <th scope="col">{t(l, T::Manager)}</th>
                            <th scope="col" class="num">{t(l, T::Members)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// The admin's forms: a new user, a new team.
fn create_forms(l: Lang, roster: &Roster, typed: Typed) -> AnyView {
    let choices =
        Choices { teams: fields::teams(&roster.teams), mentors: fields::reps(&roster.users, None, &typed.user.mentor) };
    let managers = fields::reps(&roster.users, None, &typed.team.manager);
    let user_general = fields::general(l, &typed.user_problems, &USER_FIELDS);
    let team_general = fields::general(l, &typed.team_problems, &TEAM_FIELDS);
    view! {
        <div class="admin-grid">
            <section class="card" id="new-user" aria-labelledby="new-user-title">
                <h2 id="new-user-title">{t(l, T::NewUser)}</h2>
                {user_general}
                <form method="post" action="/admin/people">
                    {fields::user_fields(l, &typed.user, &typed.user_problems, &choices, true)}
                    <div class="form-actions">
                        <button type="submit" class="primary">{t(l, T::Create)}</button>
                    </div>
                </form>
            </section>
            <section class="card" id="new-team" aria-labelledby="new-team-title">
                <h2 id="new-team-title">{t(l, T::NewTeam)}</h2>
                {team_general}
                <form method="post" action="/admin/teams">
                    {fields::team_fields(l, &typed.team, &typed.team_problems, managers)}
                    <div class="form-actions">
                        <button type="submit" class="primary">{t(l, T::Create)}</button>
                    </div>
                </form>
            </section>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::Role;

    fn rep(key: &str, max: Option<u32>, open: u32) -> User {
        User {
            key: key.into(),
            name: format!("销售{key}"),
            role: Role::Rep,
            seniority: None,
            team: None,
            region: None,
            industries: Vec::new(),
            mentor: None,
            max_open_leads: max,
            active: true,
            has_password: false,
            open_leads: open,
        }
    }

    #[test]
    fn capacity_reads_open_leads_against_the_cap() {
        assert_eq!(capacity(&rep("r1", Some(40), 12)), "12 / 40");
        assert_eq!(capacity(&rep("r1", None, 12)), "12");
    }

    #[test]
    fn names_fall_back_to_keys_and_empty_values_to_a_dash() {
        let users = vec![rep("r1", None, 0)];
        assert_eq!(name_of(&users, "r1"), "销售r1");
        assert_eq!(name_of(&users, "r9"), "r9");
        assert_eq!(or_dash(Some(String::new())), "—");
        assert_eq!(or_dash(None), "—");
    }
}
