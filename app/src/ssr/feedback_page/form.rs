//! Recording feedback on a lead: what the customer said, its type and priority (suggested from
//! the lead's grade and the type when left to Genjin), the 5-Why chain step by step, the root
//! cause, how it will be handled, by whom and by when.
use crate::domain::commands::NewFeedback;
use crate::domain::enums::{Channel, FeedbackType, Priority, Resolution};
use crate::domain::validate::{Problem, ProblemCode};
use crate::ssr::admin::page::{self, Top, Viewer};
use crate::ssr::admin::widgets::problem_text;
use crate::ssr::error::ApiError;
use crate::ssr::state::AppState;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use serde_json::{json, Map, Value};

crate::texts! {
    Title: "记录客户反馈", "Record feedback";
    Hint: "从客户的原话出发，连问几个“为什么”，直到找到根本原因（5Why）；再决定处理方案。",
        "Start from the customer's words and ask “why” until the root cause shows (5 Whys); then decide how to handle it.";
    Received: "收到时间", "Received";
    Channel: "反馈渠道", "Channel";
    Type: "反馈类型", "Type";
    Priority: "优先级", "Priority";
    Suggested: "按线索等级与类型建议", "Suggested from the grade and type";
    Summary: "反馈内容摘要", "What the customer said";
    Why: "为什么（第 {n} 问）", "Why ({n})";
    RootCause: "根本原因", "Root cause";
    Resolution: "处理方案", "Handling";
    NotYet: "待定", "To decide";
    Plan: "具体措施", "Plan";
    Owner: "负责人", "Owner";
    Due: "完成时限", "Due";
    Save: "保存反馈", "Save feedback";
    Back: "← 返回线索", "← Back to the lead";
    Choose: "请选择", "Choose";
}

/// What was typed and what is wrong with it, when the form comes back.
#[derive(Default)]
struct Typed {
    values: Map<String, Value>,
    problems: Vec<Problem>,
}

pub(super) async fn show(State(state): State<AppState>, viewer: Viewer, Path(code): Path<String>) -> Response {
    render(&state, &viewer, &code, Typed::default(), StatusCode::OK).await
}

async fn render(state: &AppState, viewer: &Viewer, code: &str, typed: Typed, status: StatusCode) -> Response {
    let lead = match crate::ssr::service::visible_lead(state, &viewer.actor, code).await {
        Ok(lead) => lead,
        Err(e) => return page::failure(viewer, e),
    };
    let people = crate::ssr::service::leads::people(state, &viewer.actor).await.map(|p| p.reps).unwrap_or_default();
    let l = viewer.lang;
    let value = |k: &str| typed.values.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let problem = |k: &str| {
        typed.problems.iter().find(|p| p.path == k || p.path.starts_with(&format!("{k}["))).map(|p| {
            let text = problem_text(l, p);
            view! { <small class="field-error" role="alert">{text}</small> }
        })
    };
    let select = |name: &'static str, options: Vec<(&'static str, &'static str)>, empty: Option<&'static str>| {
        let chosen = value(name);
        let options = options
            .into_iter()
            .map(|(k, label)| view! { <option value=k selected=chosen == k>{label}</option> })
            .collect_view();
        view! {
            <select id=name name=name>
                {empty.map(|e| view! { <option value="">{e}</option> })}
                {options}
            </select>
        }
    };
    let owner = {
        let chosen = if typed.values.is_empty() { lead.owner.clone().unwrap_or_default() } else { value("owner") };
        people
            .iter()
            .map(|p| view! { <option value=p.key.clone() selected=chosen == p.key>{p.name.clone()}</option> })
            .collect_view()
    };
    let whys = (1..=crate::domain::feedback::MAX_WHYS)
        .map(|n| {
            let name = format!("why{n}");
            let label = t(l, T::Why).replace("{n}", &n.to_string());
            view! {
                <label class="field wide" for=name.clone()>
                    <span>{label}</span>
                    <input id=name.clone() name=name.clone() value=value(&name)/>
                </label>
            }
        })
        .collect_view();
    let received = {
        let v = value("received_at");
        if v.is_empty() {
            crate::format::to_local_input(chrono::Utc::now())
        } else {
            v
        }
    };
    let company = lead.profile.company.clone().unwrap_or_else(|| lead.code.clone());
    let body = view! {
        <a class="back-link" href=format!("/leads/{}", crate::ui::encode(&lead.code))>{t(l, T::Back)}</a>
        <div class="page-head">
            <h1>{t(l, T::Title)}" · "{company}</h1>
            <p class="hint">{t(l, T::Hint)}</p>
        </div>
        <form class="card feedback-form" method="post" action=format!("/leads/{}/feedback", crate::ui::encode(&lead.code))>
            <div class="form-grid">
                <label class="field" for="type"><span>{t(l, T::Type)}" *"</span>
                    {select("type", FeedbackType::ALL.iter().map(|k| (k.key(), k.label(l))).collect(), Some(t(l, T::Choose)))}
                    {problem("type")}
                </label>
                <label class="field" for="priority"><span>{t(l, T::Priority)}</span>
                    {select("priority", Priority::ALL.iter().map(|k| (k.key(), k.label(l))).collect(), Some(t(l, T::Suggested)))}
                    {problem("priority")}
                </label>
                <label class="field" for="channel"><span>{t(l, T::Channel)}</span>
                    {select("channel", Channel::ALL.iter().map(|k| (k.key(), k.label(l))).collect(), Some("—"))}
                </label>
                <label class="field" for="received_at"><span>{t(l, T::Received)}</span>
                    <input type="datetime-local" id="received_at" name="received_at" value=received/>
                    {problem("received_at")}
                </label>
                <label class="field wide" for="summary"><span>{t(l, T::Summary)}" *"</span>
                    <textarea id="summary" name="summary" rows="3">{value("summary")}</textarea>
                    {problem("summary")}
                </label>
                <fieldset class="why-chain wide">
                    <legend>"5Why"</legend>
                    {whys}
                    {problem("why")}
                    <label class="field wide" for="root_cause"><span>{t(l, T::RootCause)}</span>
                        <input id="root_cause" name="root_cause" value=value("root_cause")/>
                    </label>
                </fieldset>
                <label class="field" for="resolution"><span>{t(l, T::Resolution)}</span>
                    {select("resolution", Resolution::ALL.iter().map(|k| (k.key(), k.label(l))).collect(), Some(t(l, T::NotYet)))}
                </label>
                <label class="field" for="owner"><span>{t(l, T::Owner)}</span>
                    <select id="owner" name="owner">{owner}</select>
                    {problem("owner")}
                </label>
                <label class="field" for="due_at"><span>{t(l, T::Due)}</span>
                    <input type="datetime-local" id="due_at" name="due_at" value=value("due_at")/>
                    {problem("due_at")}
                </label>
                <label class="field wide" for="plan"><span>{t(l, T::Plan)}</span>
                    <textarea id="plan" name="plan" rows="2">{value("plan")}</textarea>
                </label>
            </div>
            <button type="submit" class="primary">{t(l, T::Save)}</button>
        </form>
    }
    .into_any();
    let mut response = page::document(
        viewer,
        Top::Today,
        &format!("/leads/{code}/feedback"),
        t(l, T::Title),
        ().into_any(),
        body,
        None,
    );
    *response.status_mut() = status;
    response
}

/// The API's body from the form: empty fields left out, times read in the workspace's zone,
/// the "why" inputs as the chain.
fn body_of(f: &Map<String, Value>, problems: &mut Vec<Problem>) -> Value {
    let get = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("").trim().to_string();
    let mut body = json!({});
    for k in ["type", "priority", "channel", "summary", "root_cause", "resolution", "plan", "owner"] {
        let v = get(k);
        if !v.is_empty() {
            body[k] = json!(v);
        }
    }
    for k in ["received_at", "due_at"] {
        let v = get(k);
        if v.is_empty() {
            continue;
        }
        match crate::format::from_local_input(&v) {
            Some(at) => body[k] = json!(at.to_rfc3339()),
            None => problems.push(Problem::new(k, ProblemCode::BadTime, "must be a date and time")),
        }
    }
    let why: Vec<String> =
        (1..=crate::domain::feedback::MAX_WHYS).map(|n| get(&format!("why{n}"))).filter(|w| !w.is_empty()).collect();
    body["why"] = json!(why);
    body
}

pub(super) async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let values: Map<String, Value> = pairs.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    let mut problems = Vec::new();
    let body = body_of(&values, &mut problems);
    let outcome = match NewFeedback::read(&body) {
        Ok(cmd) if problems.is_empty() => {
            crate::ssr::service::feedback::create(&state, &viewer.actor, &code, cmd).await
        }
        Ok(_) => Err(ApiError::Invalid(problems)),
        Err(mut more) => {
            problems.append(&mut more);
            Err(ApiError::Invalid(problems))
        }
    };
    match outcome {
        // The lead's timeline shows it at once.
        Ok(_) => page::to(&format!("/leads/{}", crate::ui::encode(&code))),
        Err(ApiError::Invalid(problems)) => {
            render(&state, &viewer, &code, Typed { values, problems }, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => page::failure(&viewer, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_form_becomes_the_apis_body_with_the_whys_in_order_and_blanks_left_out() {
        let f: Map<String, Value> = [
            ("type", "price"),
            ("summary", " 太贵 "),
            ("why1", "预算有限"),
            ("why2", ""),
            ("why3", "未量化收益"),
            ("priority", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect();
        let mut problems = Vec::new();
        let body = body_of(&f, &mut problems);
        assert!(problems.is_empty());
        assert_eq!(body, json!({"type": "price", "summary": "太贵", "why": ["预算有限", "未量化收益"]}));
        let lang: Lang = Lang::Zh;
        assert_eq!(t(lang, T::Why).replace("{n}", "2"), "为什么（第 2 问）");
    }
}
