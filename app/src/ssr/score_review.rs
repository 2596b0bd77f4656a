//! Score review (评分审核, PRODUCT.md §3, §13): a manager's queue of the team's new and changed
//! scores, each confirmed in one step or opened on its score page; a lead's score page shows
//! each part as the rules give it and as it stands, with who overrode it, when and why, and
//! lets a manager of the team set or remove an override with a reason. Reps see their leads'
//! score pages without the forms. Server-rendered with plain forms like My day; every write
//! goes through `service::scores`.
use crate::domain::commands::{OverrideScore, ReviewScore};
use crate::domain::enums::{Role, ScorePart};
use crate::domain::lead::Lead;
use crate::domain::validate::{Problem, ProblemCode};
use crate::i18n::Lang;
use crate::scoring::{self, Score};
use crate::ssr::admin::page::{self, Top, Viewer};
use crate::ssr::admin::widgets::{form_field as field, grade_chip, problem_text};
use crate::ssr::error::ApiError;
use crate::ssr::service::scores::{self, ReviewRow};
use crate::ssr::state::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use serde_json::{json, Value};

crate::texts! {
    Title: "评分审核", "Score review";
    Hint: "团队新线索与评分有变化的线索，逐条确认；规则给分与实际不符时，在评分页调整并写明理由。",
        "The team's new leads and leads whose score changed: confirm each, or adjust a part on its score page with a reason when the rules' points do not fit.";
    Period: "评分时间", "Scored within";
    Days: "近 {n} 天", "Last {n} days";
    Count: "{n} 条待审核", "{n} to review";
    Showing: "显示最新 {shown} 条", "Showing the latest {shown}";
    Empty: "没有待审核的评分。", "Nothing to review.";
    Lead: "线索", "Lead";
    Owner: "负责人", "Owner";
    Change: "变化", "Change";
    New: "新线索", "New";
    Total: "总分", "Total";
    Grade: "等级", "Grade";
    Scored: "评分于", "Scored";
    Confirm: "确认", "Confirm";
    Adjust: "调整", "Adjust";
    Confirmed: "已确认 {code} 的评分", "Score of {code} confirmed";
    Overridden: "已调整", "Overridden";
    ScoreTitle: "线索评分", "Lead score";
    ScoreHint: "评分由规则按企业规模、预算、紧迫性与决策链计算（二维四类）；经理可调整某一项并写明理由，等级随之变化，调整记入审计日志。",
        "The rules score company size, budget, urgency and decision chain; a manager may override a part with a reason, the grade follows and the change is audited.";
    Part: "评分项", "Part";
    Rules: "规则得分", "Rules";
    Now: "当前得分", "Now";
    Why: "调整说明", "Override";
    By: "{name} 于 {at}：{reason}", "{name} on {at}: {reason}";
    Points: "调整为（0–{max} 分）", "Points (0–{max})";
    Reason: "理由（必填）", "Reason (required)";
    Save: "保存调整", "Save";
    Remove: "恢复规则得分", "Back to the rules";
    Saved: "已调整 {code} 的{part}", "{part} of {code} overridden";
    Removed: "已恢复 {code} 的{part}为规则得分", "{part} of {code} back to the rules";
    ReviewedBy: "上次审核：{at}，{total} 分（{grade}）", "Last reviewed {at}: {total} ({grade})";
    NeverReviewed: "尚未审核", "Not reviewed yet";
    ConfirmScore: "评分无误，确认", "The score is right: confirm";
    Back: "← 返回线索", "← Back to the lead";
    ToQueue: "← 评分审核", "← Score review";
    Problems: "未保存：{list}", "Not saved: {list}";
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/review", get(queue))
        .route("/review/{code}/confirm", post(confirm))
        .route("/leads/{code}/score", get(score_page).post(save_override))
}

/// The periods the queue offers, in days.
const PERIODS: [i64; 3] = [7, 30, 90];
/// The rows the queue shows at once.
const SHOWN: usize = 100;

#[derive(serde::Deserialize, Default)]
struct QueueQuery {
    #[serde(default)]
    days: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

fn period(days: Option<i64>) -> i64 {
    days.filter(|d| PERIODS.contains(d)).unwrap_or(crate::ssr::service::scores::REVIEW_DAYS)
}

async fn queue(State(state): State<AppState>, viewer: Viewer, Query(q): Query<QueueQuery>) -> Response {
    let l = viewer.lang;
    let days = period(q.days);
    let since = chrono::Utc::now() - chrono::Duration::days(days);
    let queue = match scores::queue(&state, &viewer.actor, since, SHOWN).await {
        Ok(queue) => queue,
        Err(e) => return page::failure(&viewer, e),
    };
    let scale = state.settings.read().await.scoring.max_points();
    let periods = PERIODS
        .iter()
        .map(|d| {
            let text = t(l, T::Days).replace("{n}", &d.to_string());
            view! { <a href=format!("/review?days={d}") aria-current=(*d == days).then_some("page")>{text}</a> }
        })
        .collect_view();
    let mut count = t(l, T::Count).replace("{n}", &queue.total.to_string());
    if queue.total > queue.items.len() {
        count = format!("{count} · {}", t(l, T::Showing).replace("{shown}", &queue.items.len().to_string()));
    }
    let head = view! {
        <div class="page-head">
            <h1>{t(l, T::Title)}</h1>
            <p class="hint">{t(l, T::Hint)}</p>
            <nav class="scope-switch" aria-label=t(l, T::Period)>{periods}</nav>
            <p class="hint" role="status" id="review-count">{count}</p>
        </div>
        {page::notice(q.done.as_deref())}
    }
    .into_any();
    let rows = queue.items.iter().map(|r| row(l, r, days, &scale)).collect_view();
    let part_heads =
        ScorePart::ALL.iter().map(|p| view! { <th scope="col" class="num">{p.label(l)}</th> }).collect_view();
    let body = if queue.items.is_empty() {
        view! { <section class="card"><p class="hint">{t(l, T::Empty)}</p></section> }.into_any()
    } else {
        view! {
            <section class="card">
                <div class="lead-table-wrap">
                    <table class="lead-table review-table">
                        <thead>
                            <tr>
                                <th scope="col">{t(l, T::Lead)}</th>
                                <th scope="col">{t(l, T::Owner)}</th>
                                <th scope="col">{t(l, T::Change)}</th>
                                {part_heads}
                                <th scope="col" class="num">{t(l, T::Total)}</th>
                                <th scope="col">{t(l, T::Scored)}</th>
                                <th scope="col"></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        }
        .into_any()
    };
    page::document(&viewer, Top::Today, &format!("/review?days={days}"), t(l, T::Title), head, body, None)
}

fn row(l: Lang, r: &ReviewRow, days: i64, scale: &[u32; 4]) -> impl IntoView {
    let code = crate::ui::encode(&r.code);
    let change = match &r.reviewed {
        None => view! { <span class="pill">{t(l, T::New)}</span> }.into_any(),
        Some(seen) => view! {
            <span class="score-change">
                {seen.total}" "{grade_chip(seen.grade)}" → "{r.score.total}" "{grade_chip(r.grade)}
            </span>
        }
        .into_any(),
    };
    let parts = ScorePart::ALL
        .iter()
        .map(|p| {
            let over = r.overridden.contains(p);
            let points = r.score.part(*p);
            view! {
                <td class="num" class:overridden=over title=over.then(|| t(l, T::Overridden))>
                    {points}<small class="muted">"/"{scale[p.index()]}</small>{over.then_some(" ✎")}
                </td>
            }
        })
        .collect_view();
    view! {
        <tr data-lead=r.code.clone()>
            <td><a href=format!("/leads/{code}")>{r.company.clone()}</a><br/><small class="muted">{r.code.clone()}</small></td>
            <td>{r.owner_name.clone().or(r.owner.clone()).unwrap_or_default()}</td>
            <td>{change}</td>
            {parts}
            <td class="num"><b>{r.score.total}</b>" "{grade_chip(r.grade)}</td>
            <td>{crate::format::date_time(r.scored_at)}</td>
            <td class="actions"><div class="row-actions">
                <form method="post" action=format!("/review/{code}/confirm") class="inline">
                    <input type="hidden" name="version" value=r.version.to_string()/>
                    <input type="hidden" name="back" value=format!("/review?days={days}")/>
                    <button type="submit" class="secondary">{t(l, T::Confirm)}</button>
                </form>
                <a class="secondary" href=format!("/leads/{code}/score?back=review")>{t(l, T::Adjust)}</a>
            </div></td>
        </tr>
    }
}

/// Where a form comes back to: a path of Genjin's own, else the queue.
fn safe_back(back: &str) -> String {
    if back.starts_with('/') && !back.starts_with("//") {
        back.to_string()
    } else {
        "/review".into()
    }
}

fn with_notice(path: &str, notice: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}done={}", crate::ui::encode(notice))
}

/// Confirms a score from the queue or the score page.
async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let back = safe_back(field(&pairs, "back"));
    let body = json!({"version": field(&pairs, "version").parse::<u64>().ok()});
    let outcome = match ReviewScore::read(&body) {
        Ok(cmd) => scores::review(&state, &viewer.actor, &code, cmd).await,
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match outcome {
        Ok(_) => page::to(&with_notice(&back, &t(viewer.lang, T::Confirmed).replace("{code}", &code))),
        Err(e) => page::failure(&viewer, e),
    }
}

#[derive(serde::Deserialize, Default)]
struct ScoreQuery {
    #[serde(default)]
    back: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// What was typed for one part and what is wrong with it, when the form comes back.
struct Retry {
    part: ScorePart,
    points: String,
    reason: String,
    problems: Vec<Problem>,
}

async fn score_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(q): Query<ScoreQuery>,
) -> Response {
    render(&state, &viewer, &code, q.back.as_deref() == Some("review"), q.done.as_deref(), None, StatusCode::OK).await
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    code: &str,
    from_queue: bool,
    notice: Option<&str>,
    retry: Option<Retry>,
    status: StatusCode,
) -> Response {
    let lead = match crate::ssr::service::visible_lead(state, &viewer.actor, code).await {
        Ok(lead) => lead,
        Err(e) => return page::failure(viewer, e),
    };
    let settings = state.settings.read().await.scoring.clone();
    let rules = scoring::rule_parts(&lead.profile.score_inputs(), &settings);
    let l = viewer.lang;
    let may_change = viewer.actor.role != Role::Rep;
    let company = lead.profile.company.clone().unwrap_or_else(|| lead.code.clone());
    let back = if from_queue {
        view! { <a class="back-link" href="/review">{t(l, T::ToQueue)}</a> }.into_any()
    } else {
        view! { <a class="back-link" href=format!("/leads/{}", crate::ui::encode(&lead.code))>{t(l, T::Back)}</a> }
            .into_any()
    };
    let reviewed = match &lead.score_review {
        Some(r) => t(l, T::ReviewedBy)
            .replace("{at}", &crate::format::date_time(r.at))
            .replace("{total}", &r.total.to_string())
            .replace("{grade}", r.grade.key()),
        None => t(l, T::NeverReviewed).to_string(),
    };
    let head = view! {
        {back}
        <div class="page-head">
            <h1>{t(l, T::ScoreTitle)}" · "{company}</h1>
            <p class="hint">{t(l, T::ScoreHint)}</p>
        </div>
        {page::notice(notice)}
    }
    .into_any();
    let max = settings.max_points();
    let rows = ScorePart::ALL
        .iter()
        .map(|p| part_row(l, &lead, *p, rules[p.index()], max[p.index()], may_change, from_queue, retry.as_ref()))
        .collect_view();
    let confirm = may_change.then(|| {
        let code = crate::ui::encode(&lead.code);
        let back = if from_queue { "/review".to_string() } else { format!("/leads/{code}/score") };
        view! {
            <form method="post" action=format!("/review/{code}/confirm") class="inline-form">
                <input type="hidden" name="version" value=lead.version.to_string()/>
                <input type="hidden" name="back" value=back/>
                <button type="submit" class="primary">{t(l, T::ConfirmScore)}</button>
            </form>
        }
    });
    let body = view! {
        <section class="card score-page">
            <div class="lead-table-wrap">
                <table class="lead-table score-parts">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::Part)}</th>
                            <th scope="col" class="num">{t(l, T::Rules)}</th>
                            <th scope="col" class="num">{t(l, T::Now)}</th>
                            <th scope="col">{t(l, T::Why)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">{t(l, T::Total)}</th>
                            <td class="num">{rules.iter().sum::<u32>()}</td>
                            <td class="num"><b id="score-total">{lead.score.total}</b>" "{grade_chip(lead.grade)}</td>
                            <td class="muted">{reviewed}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            {confirm}
        </section>
    }
    .into_any();
    let current = format!("/leads/{}/score", lead.code);
    let mut response = page::document(viewer, Top::Today, &current, t(l, T::ScoreTitle), head, body, None);
    *response.status_mut() = status;
    response
}

#[allow(clippy::too_many_arguments)]
fn part_row(
    l: Lang,
    lead: &Lead,
    part: ScorePart,
    rule: u32,
    max: u32,
    may_change: bool,
    from_queue: bool,
    retry: Option<&Retry>,
) -> impl IntoView {
    let over = lead.overrides.iter().find(|o| o.part == part);
    let now = Score::part(&lead.score, part);
    let said = over.map(|o| {
        t(l, T::By)
            .replace("{name}", o.by_name.as_deref().unwrap_or(&o.by))
            .replace("{at}", &crate::format::date_time(o.at))
            .replace("{reason}", &o.reason)
    });
    let retry = retry.filter(|r| r.part == part);
    let problem = |name: &str| {
        retry.and_then(|r| r.problems.iter().find(|p| p.path == name)).map(|p| {
            let text = problem_text(l, p);
            view! { <small class="field-error" role="alert">{text}</small> }
        })
    };
    let form = may_change.then(|| {
        let code = crate::ui::encode(&lead.code);
        let id = |f: &str| format!("{f}-{}", part.key());
        let points = retry.map_or_else(|| over.map_or(String::new(), |o| o.points.to_string()), |r| r.points.clone());
        let reason = retry.map_or_else(|| over.map_or(String::new(), |o| o.reason.clone()), |r| r.reason.clone());
        let hidden = view! {
            <input type="hidden" name="part" value=part.key()/>
            <input type="hidden" name="version" value=lead.version.to_string()/>
            <input type="hidden" name="from_queue" value=if from_queue { "1" } else { "" }/>
        };
        view! {
            <form method="post" action=format!("/leads/{code}/score") class="inline-form override-form">
                {hidden}
                <label class="field" for=id("points")>
                    <span>{t(l, T::Points).replace("{max}", &max.to_string())}</span>
                    <input type="number" id=id("points") name="points" min="0" max=max.to_string() required value=points/>
                    {problem("points")}
                </label>
                <label class="field wide" for=id("reason")>
                    <span>{t(l, T::Reason)}</span>
                    <input id=id("reason") name="reason" required value=reason/>
                    {problem("reason")}
                </label>
                <button type="submit" name="action" value="save" class="secondary">{t(l, T::Save)}</button>
            </form>
            {over.map(|_| view! {
                <form method="post" action=format!("/leads/{code}/score") class="inline">
                    <input type="hidden" name="part" value=part.key()/>
                    <input type="hidden" name="version" value=lead.version.to_string()/>
                    <input type="hidden" name="from_queue" value=if from_queue { "1" } else { "" }/>
                    <button type="submit" name="action" value="remove" class="link-button">{t(l, T::Remove)}</button>
                </form>
            })}
        }
    });
    view! {
        <tr data-part=part.key() class:overridden=over.is_some()>
            <th scope="row">{part.label(l)}</th>
            <td class="num">{rule}<small class="muted">"/"{max}</small></td>
            <td class="num"><b>{now}</b>{over.is_some().then_some(" ✎")}</td>
            <td class="override">
                {said.map(|s| view! { <p class="said">{s}</p> })}
                {form}
            </td>
        </tr>
    }
}

/// Sets or removes an override from the score page.
async fn save_override(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let from_queue = field(&pairs, "from_queue") == "1";
    let remove = field(&pairs, "action") == "remove";
    let (points_text, reason) = (field(&pairs, "points").to_string(), field(&pairs, "reason").to_string());
    let mut problems = Vec::new();
    let points: Value = if remove {
        Value::Null
    } else {
        match points_text.parse::<u32>() {
            Ok(n) => json!(n),
            Err(_) => {
                problems.push(Problem::new("points", ProblemCode::WrongType, "must be a whole number"));
                Value::Null
            }
        }
    };
    let mut body = json!({
        "part": field(&pairs, "part"),
        "points": points,
        "version": field(&pairs, "version").parse::<u64>().ok(),
    });
    if !reason.is_empty() {
        body["reason"] = json!(reason);
    }
    let part = ScorePart::parse(field(&pairs, "part"));
    let outcome = match OverrideScore::read(&body) {
        Ok(cmd) if problems.is_empty() => scores::override_part(&state, &viewer.actor, &code, cmd).await.map(|_| ()),
        Ok(_) => Err(ApiError::Invalid(problems)),
        Err(mut more) => {
            problems.append(&mut more);
            Err(ApiError::Invalid(problems))
        }
    };
    let label = part.map_or("", |p| p.label(l));
    match (outcome, part) {
        (Ok(()), _) => {
            let text = if remove { T::Removed } else { T::Saved };
            let notice = t(l, text).replace("{code}", &code).replace("{part}", label);
            let back =
                if from_queue { "/review".to_string() } else { format!("/leads/{}/score", crate::ui::encode(&code)) };
            page::to(&with_notice(&back, &notice))
        }
        (Err(ApiError::Invalid(problems)), Some(part)) => {
            let list = problems.iter().map(|p| problem_text(l, p)).collect::<Vec<_>>().join("；");
            let notice = t(l, T::Problems).replace("{list}", &list);
            let retry = Retry { part, points: points_text, reason, problems };
            render(&state, &viewer, &code, from_queue, Some(&notice), Some(retry), StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        (Err(e), _) => page::failure(&viewer, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_comes_back_only_to_genjins_own_pages() {
        assert_eq!(safe_back("/review?days=7"), "/review?days=7");
        assert_eq!(safe_back("//evil.example.com"), "/review");
        assert_eq!(safe_back("https://evil.example.com"), "/review");
        assert_eq!(with_notice("/review?days=7", "好"), "/review?days=7&done=%E5%A5%BD");
        assert_eq!(period(Some(90)), 90);
        assert_eq!(period(Some(1000)), 30);
    }
}
