//! My day (我的今日, PRODUCT.md §13): a rep's start page — overdue and today's tasks by
//! priority quadrant, leads past or near their response SLA with the time left, stale leads —
//! and a manager's version for the team with who is behind (its rows open the lead; logging
//! is done there or on one's own day). Rendered whole on the server
//! like the administration pages (it adds nothing to the browser's wasm and works without
//! scripts): each row of one's own day logs a follow-up in place with a plain form, which completes the task
//! so the row leaves; a manager reassigns a lead past its SLA in one step. A small script of
//! Genjin's own (`/today.js`) re-reads the page when anything changes, unless the user is
//! filling in one of its forms.
mod rows;

use crate::domain::commands::{LeadPatch, NewFollowUp};
use crate::domain::validate::Problem;
use crate::ssr::admin::page::{self, Top, Viewer};
use crate::ssr::admin::widgets::problem_text;
use crate::ssr::error::ApiError;
use crate::ssr::service::tasks;
use crate::ssr::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use rows::Retry;
use serde_json::{json, Map, Value};

crate::texts! {
    Title: "我的今日", "My day";
    Mine: "我的", "Mine";
    Team: "团队", "Team";
    Summary: "逾期 {overdue} 项 · 今日 {today} 项待办 · {sla} 条线索临近或超过响应时限 · {stale} 条停滞线索",
        "{overdue} overdue · {today} due today · {sla} leads near or past their response time · {stale} stale leads";
    Logged: "已记录 {code} 的跟进", "Follow-up logged on {code}";
    Done: "待办已完成", "Task done";
    Reassigned: "已将 {code} 改派给 {name}", "{code} handed to {name}";
    Problems: "跟进未保存：{list}", "The follow-up was not saved: {list}";
    Review: "评分审核 {n}", "Score review {n}";
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/today", get(show))
        .route("/today/log", post(log))
        .route("/today/done", post(done))
        .route("/today/reassign", post(reassign))
}

#[derive(serde::Deserialize, Default)]
struct DayQuery {
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<DayQuery>) -> Response {
    let team = q.scope.as_deref() == Some("team");
    render(&state, &viewer, team, q.done.as_deref(), None, StatusCode::OK).await
}

/// The page: the head with the counts (and, for managers, the mine/team switch), then the
/// tasks by quadrant, the response clocks, who is behind and the stale leads.
async fn render(
    state: &AppState,
    viewer: &Viewer,
    team: bool,
    notice: Option<&str>,
    retry: Option<Retry>,
    status: StatusCode,
) -> Response {
    let day = tasks::my_day(state, &viewer.actor, team).await;
    let people = if day.team {
        crate::ssr::service::leads::people(state, &viewer.actor).await.map(|p| p.reps).unwrap_or_default()
    } else {
        Vec::new()
    };
    let l = viewer.lang;
    let overdue = day.overdue_total;
    let summary = t(l, T::Summary)
        .replace("{overdue}", &overdue.to_string())
        .replace("{today}", &(day.tasks_total - overdue).to_string())
        .replace("{sla}", &day.sla_total.to_string())
        .replace("{stale}", &day.stale_total.to_string());
    // Managers see how many of the team's scores wait for their review.
    let to_review = day.to_review;
    let switch = (viewer.actor.role != crate::domain::enums::Role::Rep).then(|| {
        view! {
            <nav class="scope-switch" aria-label=t(l, T::Title)>
                <a href="/today" aria-current=(!day.team).then_some("page")>{t(l, T::Mine)}</a>
                <a href="/today?scope=team" aria-current=day.team.then_some("page")>{t(l, T::Team)}</a>
                {to_review.map(|n| view! {
                    <a href="/review" id="review-link">{t(l, T::Review).replace("{n}", &n.to_string())}</a>
                })}
            </nav>
        }
    });
    let head = view! {
        <div class="page-head today-head">
            <h1>{t(l, T::Title)}" · "{crate::format::date(day.now)}</h1>
            {switch}
            <p class="hint" role="status">{summary}</p>
        </div>
        {page::notice(notice)}
    }
    .into_any();
    let body = rows::body(l, &day, &people, retry.as_ref());
    // The tab's title counts the tasks come due, as every page's does.
    let title = t(l, T::Title);
    let current = if day.team { "/today?scope=team" } else { "/today" };
    let mut response = page::document(viewer, Top::Today, current, title, head, body, Some("/today.js"));
    *response.status_mut() = status;
    response
}

fn back(team: bool, notice: &str) -> Response {
    let scope = if team { "scope=team&" } else { "" };
    page::to(&format!("/today?{scope}done={}", crate::ui::encode(notice)))
}

/// The form's fields by name (a repeated name keeps its last value).
fn fields(pairs: &[(String, String)]) -> Map<String, Value> {
    pairs.iter().map(|(k, v)| (k.clone(), Value::String(v.trim().to_string()))).collect()
}

/// Logs a follow-up from a row: the service completes the task it answers.
async fn log(State(state): State<AppState>, viewer: Viewer, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = fields(&pairs);
    let get = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let team = get("scope") == "team";
    let code = get("lead");
    let mut body = json!({
        "channel": get("channel"),
        "direction": get("direction"),
        "responded": pairs.iter().any(|(k, _)| k == "responded"),
    });
    for (field, value) in
        [("summary", get("summary")), ("stage_after", get("stage_after")), ("contact", get("contact"))]
    {
        if !value.is_empty() {
            body[field] = json!(value);
        }
    }
    // The browser's datetime-local is a time in the workspace's zone.
    let mut problems: Vec<Problem> = Vec::new();
    let next = get("next_follow_up_at");
    if !next.is_empty() {
        match crate::format::from_local_input(&next) {
            Some(at) => body["next_follow_up_at"] = json!(at.to_rfc3339()),
            None => problems.push(Problem::new(
                "next_follow_up_at",
                crate::domain::validate::ProblemCode::BadTime,
                "must be a date and time",
            )),
        }
    }
    body["occurred_at"] = json!(chrono::Utc::now().to_rfc3339());
    let outcome = match (problems.is_empty(), NewFollowUp::read(&body)) {
        (true, Ok(cmd)) => crate::ssr::service::follow_ups::log(&state, &viewer.actor, &code, cmd).await.map(|_| ()),
        (_, Err(mut more)) => {
            problems.append(&mut more);
            Err(ApiError::Invalid(problems))
        }
        (false, Ok(_)) => Err(ApiError::Invalid(problems)),
    };
    match outcome {
        Ok(()) => back(team, &t(viewer.lang, T::Logged).replace("{code}", &code)),
        Err(ApiError::Invalid(problems)) => {
            let list = problems.iter().map(|p| problem_text(viewer.lang, p)).collect::<Vec<_>>().join("；");
            let notice = t(viewer.lang, T::Problems).replace("{list}", &list);
            let retry = Retry { lead: code, values: f, problems };
            render(&state, &viewer, team, Some(&notice), Some(retry), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => page::failure(&viewer, e),
    }
}

/// Marks a task done from its row.
async fn done(State(state): State<AppState>, viewer: Viewer, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = fields(&pairs);
    let get = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    match tasks::mark_done(&state, &viewer.actor, &get("task")).await {
        Ok(_) => back(get("scope") == "team", t(viewer.lang, T::Done)),
        Err(e) => page::failure(&viewer, e),
    }
}

/// Hands a lead past its SLA to another rep (a manager's or an admin's step).
async fn reassign(State(state): State<AppState>, viewer: Viewer, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = fields(&pairs);
    let get = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let (code, owner) = (get("lead"), get("owner"));
    let version = match crate::ssr::service::visible_lead(&state, &viewer.actor, &code).await {
        Ok(lead) => lead.version,
        Err(e) => return page::failure(&viewer, e),
    };
    let mut patch = Map::new();
    patch.insert("owner".into(), json!(owner));
    match crate::ssr::service::leads::update(&state, &viewer.actor, &code, LeadPatch { version, fields: patch }).await {
        Ok(lead) => {
            let name = lead.owner_name.clone().unwrap_or(owner);
            back(true, &t(viewer.lang, T::Reassigned).replace("{code}", &code).replace("{name}", &name))
        }
        Err(e) => page::failure(&viewer, e),
    }
}
