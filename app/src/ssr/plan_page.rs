//! A lead's follow-up plan page (客户跟进计划表, PRODUCT.md §5, §13): the four stages, each with
//! its goal, strategy, channels, talking points (BANT), time node, expected result and
//! contingency (应急预案), its milestone checked off in one step, and its follow-ups against
//! the expected number; the plan's completion at the top. A reached milestone offers the
//! matching move. Each stage is edited in place. Server-rendered with plain forms like My
//! day; every write goes through `service::plans` (and a move through `service::moves`).
use crate::domain::commands::{CheckMilestone, SavePlan};
use crate::domain::enums::{Channel, PlanStage, Status};
use crate::domain::lead::StageMove;
use crate::domain::plan::StagePlan;
use crate::domain::validate::Problem;
use crate::i18n::Lang;
use crate::ssr::admin::page::{self, Top, Viewer};
use crate::ssr::admin::widgets::{form_field as field, grade_chip, problem_text};
use crate::ssr::error::ApiError;
use crate::ssr::service::plans::{self, PlanView, StageView};
use crate::ssr::state::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use serde_json::{json, Value};

crate::texts! {
    Title: "跟进计划", "Follow-up plan";
    Hint: "按阶段推进：每个阶段有目标、策略、跟进方式、沟通要点（BANT）、时间节点、预期成果和应急预案；达成里程碑后勾选，并按建议移动线索。",
        "Work stage by stage: each has a goal, a strategy, channels, talking points (BANT), a time node, an expected result and a contingency; check the milestone off when reached and move the lead as suggested.";
    Completion: "计划完成度 {reached}/{due}", "Plan completion {reached}/{due}";
    NothingDue: "暂无到期的里程碑", "No milestone due yet";
    Back: "← 返回线索", "← Back to the lead";
    Goal: "跟进目标", "Goal";
    Strategy: "跟进策略", "Strategy";
    Channels: "跟进方式", "Channels";
    Talking: "沟通要点（BANT）", "Talking points (BANT)";
    Expected: "预期成果", "Expected result";
    Contingency: "应急预案", "Contingency";
    Due: "时间节点 {at}", "Due {at}";
    FollowUps: "已跟进 {actual} 次 · 预期 {min}–{max} 次", "{actual} follow-ups · {min}–{max} expected";
    Milestone: "里程碑", "Milestone";
    Reached: "已达成", "Reached";
    ReachedBy: "{name} 于 {at} 勾选", "checked by {name} on {at}";
    ByMove: "线索已进入后续阶段", "The lead moved beyond this stage";
    Overdue: "已到期未达成", "Due and not reached";
    Open: "待达成", "Not yet";
    Check: "标记为已达成", "Mark reached";
    Uncheck: "取消勾选", "Uncheck";
    Current: "当前阶段", "Current stage";
    Edit: "编辑本阶段", "Edit this stage";
    Save: "保存", "Save";
    Saved: "已保存{stage}阶段的计划", "The {stage} stage is saved";
    Checked: "里程碑已达成：{milestone}", "Milestone reached: {milestone}";
    Unchecked: "已取消勾选", "Check taken back";
    Suggest: "建议将线索移至「{status}」", "Suggested: move the lead to {status}";
    Move: "移至「{status}」", "Move to {status}";
    Moved: "已移至「{status}」", "Moved to {status}";
    Closing: "成交请在销售看板上移动卡片（需填写金额）。", "To win the deal, move the card on the board (it asks for the amount).";
    Problems: "未保存：{list}", "Not saved: {list}";
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/leads/{code}/plan", get(show).post(save_stage))
        .route("/leads/{code}/plan/milestone", post(check))
        .route("/leads/{code}/plan/move", post(move_on))
}

#[derive(serde::Deserialize, Default)]
struct PlanQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    suggest: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Response {
    let suggest = q.suggest.as_deref().and_then(Status::parse);
    render(&state, &viewer, &code, q.done.as_deref(), suggest, None, StatusCode::OK).await
}

/// A stage's form as typed, with what is wrong with it.
struct Retry {
    stage: PlanStage,
    values: StagePlan,
    problems: Vec<Problem>,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    code: &str,
    notice: Option<&str>,
    suggest: Option<Status>,
    retry: Option<Retry>,
    status: StatusCode,
) -> Response {
    let l = viewer.lang;
    let plan = match plans::view(state, &viewer.actor, code, l).await {
        Ok(plan) => plan,
        Err(e) => return page::failure(viewer, e),
    };
    let progress = match plan.progress.due {
        0 => t(l, T::NothingDue).to_string(),
        _ => {
            let pct = plan.completion.map(|c| format!(" · {:.0}%", c * 100.0)).unwrap_or_default();
            format!(
                "{}{pct}",
                t(l, T::Completion)
                    .replace("{reached}", &plan.progress.reached.to_string())
                    .replace("{due}", &plan.progress.due.to_string())
            )
        }
    };
    let enc = crate::ui::encode(&plan.lead);
    let suggestion = suggest
        .filter(|s| plan.can_edit && PlanStage::of_status(plan.status).is_some_and(|st| st.next_status() == *s))
        .map(|to| {
            let label = to.label(l);
            let action = if to == Status::Won {
                view! { <p class="hint">{t(l, T::Closing)}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=format!("/leads/{enc}/plan/move") class="inline">
                        <input type="hidden" name="to" value=to.key()/>
                        <input type="hidden" name="version" value=plan.lead_version.to_string()/>
                        <button type="submit" class="primary">{t(l, T::Move).replace("{status}", label)}</button>
                    </form>
                }
                .into_any()
            };
            view! {
                <div class="notice plan-suggest" role="status">
                    <span>{t(l, T::Suggest).replace("{status}", label)}</span>
                    {action}
                </div>
            }
        });
    let head = view! {
        <a class="back-link" href=format!("/leads/{enc}")>{t(l, T::Back)}</a>
        <div class="page-head">
            <h1>{t(l, T::Title)}" · "{plan.company.clone()}" "{grade_chip(plan.grade)}</h1>
            <p class="hint">{t(l, T::Hint)}</p>
            <p class="plan-progress" class:behind=plan.progress.behind() id="plan-progress" role="status">{progress}</p>
        </div>
        {page::notice(notice)}
        {suggestion}
    }
    .into_any();
    let stages = plan.stages.iter().map(|s| stage_card(l, &plan, s, retry.as_ref())).collect_view();
    let body = view! { <div class="plan-stages">{stages}</div> }.into_any();
    let mut response =
        page::document(viewer, Top::Today, &format!("/leads/{}/plan", plan.lead), t(l, T::Title), head, body, None);
    *response.status_mut() = status;
    response
}

fn stage_card(l: Lang, plan: &PlanView, s: &StageView, retry: Option<&Retry>) -> impl IntoView {
    let enc = crate::ui::encode(&plan.lead);
    let now = chrono::Utc::now();
    let state = if s.reached {
        let how = match &s.checked {
            Some(c) => t(l, T::ReachedBy)
                .replace("{name}", c.by_name.as_deref().unwrap_or(&c.by))
                .replace("{at}", &crate::format::date_time(c.at)),
            None => t(l, T::ByMove).to_string(),
        };
        view! { <span class="pill">"✓ "{t(l, T::Reached)}</span>" "<small class="muted">{how}</small> }.into_any()
    } else if now >= s.due_at {
        view! { <span class="pill warn">{t(l, T::Overdue)}</span> }.into_any()
    } else {
        view! { <span class="pill off">{t(l, T::Open)}</span> }.into_any()
    };
    // A stage's own check can be taken back; one reached by moving on cannot.
    let toggle = plan.can_edit.then(|| {
        let (reached, label) = match (&s.checked, s.reached) {
            (Some(_), _) => ("false", t(l, T::Uncheck)),
            (None, false) => ("true", t(l, T::Check)),
            (None, true) => return None,
        };
        Some(view! {
            <form method="post" action=format!("/leads/{enc}/plan/milestone") class="inline">
                <input type="hidden" name="stage" value=s.stage.key()/>
                <input type="hidden" name="reached" value=reached/>
                <input type="hidden" name="version" value=plan.lead_version.to_string()/>
                <button type="submit" class="secondary">{label}</button>
            </form>
        })
    });
    let f = s.follow_ups;
    let follow_ups = t(l, T::FollowUps)
        .replace("{actual}", &f.actual.to_string())
        .replace("{min}", &f.expected_min.to_string())
        .replace("{max}", &f.expected_max.to_string());
    let short = f.actual < f.expected_min && (s.current || s.reached);
    let channels = s.plan.channels.iter().map(|c| c.label(l)).collect::<Vec<_>>().join(" + ");
    let item = |label: T, text: String| {
        view! { <div class="plan-item"><dt>{t(l, label)}</dt><dd>{if text.is_empty() { "—".to_string() } else { text }}</dd></div> }
    };
    let retry = retry.filter(|r| r.stage == s.stage);
    let edit = plan.can_edit.then(|| edit_form(l, plan, s, retry));
    view! {
        <section class="card plan-stage" class:current=s.current data-stage=s.stage.key() aria-labelledby=format!("stage-{}", s.stage.key())>
            <header class="plan-stage-head">
                <h2 id=format!("stage-{}", s.stage.key())>
                    {s.stage.label(l)}
                    {(s.status.label(l) != s.stage.label(l)).then(|| view! { <small class="muted">" · "{s.status.label(l)}</small> })}
                    {s.current.then(|| view! { <span class="pill">{t(l, T::Current)}</span> })}
                </h2>
                <span class="muted">{t(l, T::Due).replace("{at}", &crate::format::date(s.due_at))}</span>
                <span class:short=short class="follow-up-count">{follow_ups}</span>
            </header>
            <div class="milestone">
                <b>{t(l, T::Milestone)}"："</b>{s.milestone.clone()}" "{state}{toggle.flatten()}
            </div>
            <dl class="plan-items">
                {item(T::Goal, s.plan.goal.clone())}
                {item(T::Strategy, s.plan.strategy.clone())}
                {item(T::Channels, channels)}
                {item(T::Talking, s.plan.talking_points.clone())}
                {item(T::Expected, s.plan.expected_result.clone())}
                {item(T::Contingency, s.plan.contingency.clone())}
            </dl>
            {edit}
        </section>
    }
}

fn edit_form(l: Lang, plan: &PlanView, s: &StageView, retry: Option<&Retry>) -> impl IntoView {
    let enc = crate::ui::encode(&plan.lead);
    let values = retry.map_or(&s.plan, |r| &r.values);
    let id = |f: &str| format!("{}-{f}", s.stage.key());
    let problem = |name: &str| {
        retry.and_then(|r| r.problems.iter().find(|p| p.path.ends_with(name))).map(|p| {
            let text = problem_text(l, p);
            view! { <small class="field-error" role="alert">{text}</small> }
        })
    };
    let text = |name: &'static str, label: T, value: &str, rows: u32| {
        view! {
            <label class="field wide" for=id(name)>
                <span>{t(l, label)}</span>
                <textarea id=id(name) name=name rows=rows.to_string()>{value.to_string()}</textarea>
                {problem(name)}
            </label>
        }
    };
    let channels = Channel::ALL
        .iter()
        .map(|c| {
            let checked = values.channels.contains(c);
            view! { <label class="check"><input type="checkbox" name="channels" value=c.key() checked=checked/>" "{c.label(l)}</label> }
        })
        .collect_view();
    view! {
        <details class="plan-edit" open=retry.is_some()>
            <summary>{t(l, T::Edit)}</summary>
            <form method="post" action=format!("/leads/{enc}/plan") class="form-grid">
                <input type="hidden" name="stage" value=s.stage.key()/>
                <input type="hidden" name="version" value=plan.version.to_string()/>
                {text("goal", T::Goal, &values.goal, 2)}
                {text("strategy", T::Strategy, &values.strategy, 2)}
                <fieldset class="wide"><legend>{t(l, T::Channels)}</legend><div class="checks">{channels}</div>{problem("channels")}</fieldset>
                {text("talking_points", T::Talking, &values.talking_points, 3)}
                {text("expected_result", T::Expected, &values.expected_result, 2)}
                {text("contingency", T::Contingency, &values.contingency, 2)}
                <button type="submit" class="primary">{t(l, T::Save)}</button>
            </form>
        </details>
    }
}

/// The plan stage a form names.
fn stage_of(pairs: &[(String, String)]) -> Result<PlanStage, ApiError> {
    PlanStage::parse(field(pairs, "stage")).ok_or_else(|| {
        ApiError::invalid("stage", crate::domain::validate::ProblemCode::UnknownValue, "not a plan stage")
    })
}

fn back(code: &str, notice: &str, suggest: Option<Status>) -> Response {
    let suggest = suggest.map(|s| format!("&suggest={}", s.key())).unwrap_or_default();
    page::to(&format!("/leads/{}/plan?done={}{suggest}", crate::ui::encode(code), crate::ui::encode(notice)))
}

/// Saves one stage's content: the plan as it stands with that stage replaced.
async fn save_stage(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let stage = match stage_of(&pairs) {
        Ok(stage) => stage,
        Err(e) => return page::failure(&viewer, e),
    };
    let plan = match plans::view(&state, &viewer.actor, &code, l).await {
        Ok(plan) => plan,
        Err(e) => return page::failure(&viewer, e),
    };
    let channels: Vec<&str> = pairs.iter().filter(|(k, _)| k == "channels").map(|(_, v)| v.as_str()).collect();
    let typed = json!({
        "goal": field(&pairs, "goal"), "strategy": field(&pairs, "strategy"), "channels": channels,
        "talking_points": field(&pairs, "talking_points"), "expected_result": field(&pairs, "expected_result"),
        "contingency": field(&pairs, "contingency"),
    });
    let mut all: Vec<Value> = plan.stages.iter().map(|s| json!(s.plan)).collect();
    all[stage.index()] = typed.clone();
    let version = field(&pairs, "version").parse::<u64>().unwrap_or(plan.version);
    let outcome = match SavePlan::read(&json!({"stages": all, "version": version})) {
        Ok(cmd) => plans::save(&state, &viewer.actor, &code, cmd).await.map(|_| ()),
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match outcome {
        Ok(()) => back(&code, &t(l, T::Saved).replace("{stage}", stage.label(l)), None),
        Err(ApiError::Invalid(problems)) => {
            let list = problems.iter().map(|p| problem_text(l, p)).collect::<Vec<_>>().join("；");
            let values = StagePlan {
                goal: field(&pairs, "goal").into(),
                strategy: field(&pairs, "strategy").into(),
                channels: channels.iter().filter_map(|c| Channel::parse(c)).collect(),
                talking_points: field(&pairs, "talking_points").into(),
                expected_result: field(&pairs, "expected_result").into(),
                contingency: field(&pairs, "contingency").into(),
            };
            let notice = t(l, T::Problems).replace("{list}", &list);
            let retry = Retry { stage, values, problems };
            render(&state, &viewer, &code, Some(&notice), None, Some(retry), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => page::failure(&viewer, e),
    }
}

/// Checks a milestone off (or takes the check back); a reached one of the current stage
/// offers the next move.
async fn check(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let body = json!({
        "stage": field(&pairs, "stage"),
        "reached": field(&pairs, "reached") == "true",
        "version": field(&pairs, "version").parse::<u64>().ok(),
    });
    let cmd = match CheckMilestone::read(&body) {
        Ok(cmd) => cmd,
        Err(problems) => return page::failure(&viewer, ApiError::Invalid(problems)),
    };
    let (stage, reached) = (cmd.stage, cmd.reached);
    match plans::check(&state, &viewer.actor, &code, cmd).await {
        Ok((_, suggest)) => {
            let notice = if reached {
                t(l, T::Checked).replace("{milestone}", stage.milestone(l))
            } else {
                t(l, T::Unchecked).to_string()
            };
            back(&code, &notice, suggest)
        }
        Err(e) => page::failure(&viewer, e),
    }
}

/// Moves the lead as a reached milestone suggests.
async fn move_on(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let l = viewer.lang;
    let body = json!({"to": field(&pairs, "to"), "version": field(&pairs, "version").parse::<u64>().ok()});
    let outcome = match StageMove::read(&body) {
        Ok(m) => crate::ssr::service::moves::move_lead(&state, &viewer.actor, &code, m).await,
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match outcome {
        Ok(lead) => back(&code, &t(l, T::Moved).replace("{status}", lead.status.label(l)), None),
        Err(e) => page::failure(&viewer, e),
    }
}
