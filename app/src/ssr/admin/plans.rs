//! The follow-up plan templates (PRODUCT.md §5, §13): for each grade, the four stages' goal,
//! strategy, channels, talking points (BANT), expected result and contingency that a new
//! lead's plan starts from. One grade at a time; saving replaces that grade's stages. The
//! stages' time limits are the settings' (cadence). Admins only.
use crate::domain::enums::{Channel, Grade, PlanStage};
use crate::domain::plan::StagePlan;
use crate::domain::validate::Problem;
use crate::i18n::Lang;
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::admin::widgets::problem_text;
// The stage's fields are named as on a lead's plan page.
use crate::ssr::plan_page::T as Field;
use crate::ssr::service::plans;
use crate::ssr::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use serde_json::{json, Value};

crate::texts! {
    Title: "跟进计划模板", "Plan templates";
    Intro: "新线索的跟进计划按等级从这里的模板生成，销售可在每条线索上再调整。各阶段的时限在“设置 → 跟进节奏”中修改。",
        "A new lead's follow-up plan starts from its grade's template here; reps adjust it on each lead. The stages' time limits are set under Settings → cadence.";
    Grade: "{grade} 级线索", "Grade {grade}";
    Milestone: "里程碑：{m} · 预期跟进 {min}–{max} 次", "Milestone: {m} · {min}–{max} follow-ups expected";
    Save: "保存 {grade} 级模板", "Save the grade {grade} template";
    Saved: "已保存 {grade} 级线索的跟进计划模板", "The grade {grade} template is saved";
    Fix: "模板未保存：", "The template was not saved:";
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/plans", get(show).post(save))
}

#[derive(serde::Deserialize, Default)]
struct PlansQuery {
    #[serde(default)]
    grade: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

fn grade_of(key: Option<&str>) -> Grade {
    key.and_then(Grade::parse).unwrap_or(Grade::S)
}

fn grade_index(g: Grade) -> usize {
    Grade::ALL.iter().position(|x| *x == g).unwrap_or(0)
}

async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<PlansQuery>) -> Response {
    if let Err(refusal) = viewer.require(false) {
        return refusal;
    }
    let grade = grade_of(q.grade.as_deref());
    let templates = match plans::templates(&state).await {
        Ok(t) => t,
        Err(e) => return page::failure(&viewer, e),
    };
    render(&viewer, grade, templates.of(grade), q.done.as_deref(), &[], StatusCode::OK)
}

fn render(
    viewer: &Viewer,
    grade: Grade,
    stages: &[StagePlan],
    done: Option<&str>,
    problems: &[Problem],
    status: StatusCode,
) -> Response {
    let l = viewer.lang;
    let tabs = Grade::ALL
        .iter()
        .map(|g| {
            let text = t(l, T::Grade).replace("{grade}", g.key());
            view! { <a href=format!("/admin/plans?grade={}", g.key()) aria-current=(*g == grade).then_some("page")>{text}</a> }
        })
        .collect_view();
    let fix = (!problems.is_empty()).then(|| {
        let items = problems.iter().map(|p| view! { <li>{problem_text(l, p)}</li> }).collect_view();
        view! { <div class="card problems" role="alert"><p>{t(l, T::Fix)}</p><ul>{items}</ul></div> }
    });
    let fieldsets = PlanStage::ALL.iter().zip(stages).map(|(stage, s)| stage_fields(l, *stage, s)).collect_view();
    let body = view! {
        <p class="hint">{t(l, T::Intro)}</p>
        <nav class="scope-switch" aria-label=t(l, T::Title)>{tabs}</nav>
        {page::notice(done)}
        {fix}
        <form method="post" action="/admin/plans" class="card plan-templates">
            <input type="hidden" name="grade" value=grade.key()/>
            {fieldsets}
            <button type="submit" class="primary">{t(l, T::Save).replace("{grade}", grade.key())}</button>
        </form>
    }
    .into_any();
    let mut response = page::page(viewer, "/admin/plans", t(l, T::Title), body);
    *response.status_mut() = status;
    response
}

fn stage_fields(l: Lang, stage: PlanStage, s: &StagePlan) -> impl IntoView {
    let i = stage.index();
    let name = move |f: &str| format!("s{i}.{f}");
    let text = move |f: &'static str, label: Field, value: &str| {
        view! {
            <label class="field wide" for=name(f)>
                <span>{label.get(l)}</span>
                <textarea id=name(f) name=name(f) rows="2">{value.to_string()}</textarea>
            </label>
        }
    };
    let channels = Channel::ALL
        .iter()
        .map(|c| {
            view! { <label class="check"><input type="checkbox" name=name("channels") value=c.key() checked=s.channels.contains(c)/>" "{c.label(l)}</label> }
        })
        .collect_view();
    let (min, max) = stage.expected_follow_ups();
    let about = t(l, T::Milestone)
        .replace("{m}", stage.milestone(l))
        .replace("{min}", &min.to_string())
        .replace("{max}", &max.to_string());
    view! {
        <fieldset data-stage=stage.key()>
            <legend>{stage.label(l)}</legend>
            <p class="hint">{about}</p>
            <div class="form-grid">
                {text("goal", Field::Goal, &s.goal)}
                {text("strategy", Field::Strategy, &s.strategy)}
                <div class="field wide"><span>{Field::Channels.get(l)}</span><div class="checks">{channels}</div></div>
                {text("talking_points", Field::Talking, &s.talking_points)}
                {text("expected_result", Field::Expected, &s.expected_result)}
                {text("contingency", Field::Contingency, &s.contingency)}
            </div>
        </fieldset>
    }
}

/// The grade's four stages from the form, as the API takes them.
fn stages_of(pairs: &[(String, String)]) -> Vec<Value> {
    let get =
        |k: String| pairs.iter().rev().find(|(n, _)| *n == k).map_or(String::new(), |(_, v)| v.trim().to_string());
    (0..4)
        .map(|i| {
            let channels: Vec<&str> =
                pairs.iter().filter(|(k, _)| *k == format!("s{i}.channels")).map(|(_, v)| v.as_str()).collect();
            json!({
                "goal": get(format!("s{i}.goal")), "strategy": get(format!("s{i}.strategy")), "channels": channels,
                "talking_points": get(format!("s{i}.talking_points")), "expected_result": get(format!("s{i}.expected_result")),
                "contingency": get(format!("s{i}.contingency")),
            })
        })
        .collect()
}

async fn save(State(state): State<AppState>, viewer: Viewer, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    if let Err(refusal) = viewer.require(false) {
        return refusal;
    }
    let l = viewer.lang;
    let grade = grade_of(pairs.iter().find(|(k, _)| k == "grade").map(|(_, v)| v.as_str()));
    let mut problems = Vec::new();
    let typed = stages_of(&pairs);
    let stages = crate::domain::commands::read_stages(Some(&Value::Array(typed.clone())), "stages", &mut problems);
    let mut templates = match plans::templates(&state).await {
        Ok(t) => t,
        Err(e) => return page::failure(&viewer, e),
    };
    match stages {
        Some(stages) => {
            templates.grades[grade_index(grade)] = stages;
            match plans::save_templates(&state, &viewer.actor, templates).await {
                Ok(_) => page::to(&format!(
                    "/admin/plans?grade={}&done={}",
                    grade.key(),
                    crate::ui::encode(&t(l, T::Saved).replace("{grade}", grade.key()))
                )),
                Err(e) => page::failure(&viewer, e),
            }
        }
        None => {
            let shown: Vec<StagePlan> = typed
                .iter()
                .map(|v| StagePlan {
                    goal: v["goal"].as_str().unwrap_or("").into(),
                    strategy: v["strategy"].as_str().unwrap_or("").into(),
                    channels: v["channels"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|c| c.as_str().and_then(Channel::parse))
                        .collect(),
                    talking_points: v["talking_points"].as_str().unwrap_or("").into(),
                    expected_result: v["expected_result"].as_str().unwrap_or("").into(),
                    contingency: v["contingency"].as_str().unwrap_or("").into(),
                })
                .collect();
            render(&viewer, grade, &shown, None, &problems, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
