//! The feedback page: the period's feedback counted (shares by type, priority and resolution,
//! closure, median days to resolve, root causes) and listed, each with the step that moves it
//! on (start, resolve, confirm with the customer's satisfaction, or back to work when the
//! customer is not satisfied).
use crate::domain::commands::FeedbackPatch;
use crate::domain::enums::{FeedbackStatus, FeedbackType};
use crate::domain::feedback::Feedback;
use crate::i18n::Lang;
use crate::kpi::presets::{quarter_start, today_in};
use crate::kpi::Period;
use crate::ssr::admin::page::{self, Top, Viewer};
use crate::ssr::error::ApiError;
use crate::ssr::service::feedback::{self as service, FeedbackStats, Share};
use crate::ssr::state::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;
use leptos::prelude::*;
use serde_json::json;

crate::texts! {
    Title: "客户反馈", "Customer feedback";
    Period: "期间", "Period";
    From: "从", "From";
    To: "到（不含）", "To (not included)";
    Show: "查看", "Show";
    Total: "反馈总数", "Feedback";
    Closure: "闭环率", "Closure";
    ClosureHint: "本期解决、并在约定天数内经客户确认的比例", "Resolved in the period and confirmed by the customer in time";
    Median: "解决中位天数", "Median days to resolve";
    Headline: "本期 {share} 的反馈与「{type}」有关。", "{share} of this period's feedback is about {type}.";
    ByType: "按类型", "By type";
    ByPriority: "按优先级", "By priority";
    ByResolution: "按处理方案", "By handling";
    NoResolution: "待定", "To decide";
    Causes: "根本原因", "Root causes";
    NoCauses: "本期还没有记录根本原因。", "No root cause recorded in this period.";
    List: "反馈明细", "All feedback";
    Empty: "本期没有客户反馈。", "No feedback in this period.";
    Received: "收到", "Received";
    Lead: "线索", "Lead";
    Type: "类型", "Type";
    Priority: "优先级", "Priority";
    Summary: "摘要", "Summary";
    Status: "状态", "Status";
    Next: "下一步", "Next step";
    Start: "开始处理", "Start";
    Resolve: "标记已解决", "Resolved";
    Confirm: "客户已确认", "Confirmed by the customer";
    Satisfaction: "满意度", "Satisfaction";
    Reopen: "客户不满意，重新处理", "Not satisfied: back to work";
    Moved: "已更新反馈状态", "Feedback updated";
    NoValue: "—", "—";
    More: "另有 {n} 条较早的反馈未列出。", "{n} earlier pieces of feedback not listed.";
}

/// How many pieces of feedback the page lists (the newest).
const ROWS: usize = 100;

#[derive(serde::Deserialize, Default)]
pub(super) struct PeriodQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// The period asked for, else this quarter (days in the workspace's time zone).
async fn period_of(state: &AppState, from: Option<&str>, to: Option<&str>) -> Period {
    let tz = state.settings.read().await.tz();
    if let (Some(f), Some(t)) = (from, to) {
        if let Ok(p) = Period::parse(f, t, tz) {
            return p;
        }
    }
    let today = today_in(&tz, chrono::Utc::now());
    let start = quarter_start(today, 0);
    let end = quarter_start(today, 1);
    Period::parse(&start.to_string(), &end.to_string(), tz).expect("a quarter is a period")
}

pub(super) async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<PeriodQuery>) -> Response {
    let period = period_of(&state, q.from.as_deref(), q.to.as_deref()).await;
    let stats = match service::stats(&state, &viewer.actor, &period).await {
        Ok(s) => s,
        Err(e) => return page::failure(&viewer, e),
    };
    let mut items = match service::list(&state, &viewer.actor, Some(&period), None, None).await {
        Ok(items) => items,
        Err(e) => return page::failure(&viewer, e),
    };
    // The newest first; the rest are counted.
    let more = items.len().saturating_sub(ROWS);
    items.truncate(ROWS);
    let l = viewer.lang;
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let head = view! {
        <div class="page-head">
            <h1>{t(l, T::Title)}</h1>
            <form class="period-form" method="get" action="/feedback">
                <label for="from">{t(l, T::From)}<input type="date" id="from" name="from" value=from.clone()/></label>
                <label for="to">{t(l, T::To)}<input type="date" id="to" name="to" value=to.clone()/></label>
                <button type="submit" class="secondary">{t(l, T::Show)}</button>
            </form>
        </div>
        {page::notice(q.done.as_deref())}
    }
    .into_any();
    let body = view! {
        {summary(l, &stats)}
        {table(l, &items, &from, &to)}
        {(more > 0).then(|| view! { <p class="hint">{t(l, T::More).replace("{n}", &more.to_string())}</p> })}
    }
    .into_any();
    page::document(&viewer, Top::Feedback, "/feedback", t(l, T::Title), head, body, None)
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn bars(title: &'static str, shares: Vec<(String, &Share)>) -> impl IntoView {
    let rows = shares
        .into_iter()
        .map(|(label, s)| {
            let width = format!("width: {:.1}%", s.share * 100.0);
            view! {
                <li>
                    <span class="bar-label">{label}</span>
                    <span class="bar"><span class="bar-fill" style=width></span></span>
                    <span class="bar-value">{s.count}" · "{percent(s.share)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card share-card">
            <h2>{title}</h2>
            <ul class="share-bars">{rows}</ul>
        </section>
    }
}

fn summary(l: Lang, s: &FeedbackStats) -> impl IntoView {
    let headline = s.by_type.iter().max_by_key(|x| x.count).filter(|x| x.count > 0).map(|top| {
        let label = FeedbackType::parse(&top.key).map_or(top.key.as_str(), |k| k.label(l));
        t(l, T::Headline).replace("{share}", &percent(top.share)).replace("{type}", label)
    });
    let types: Vec<(String, &Share)> = s
        .by_type
        .iter()
        .map(|x| (FeedbackType::parse(&x.key).map_or(x.key.clone(), |k| k.label(l).to_string()), x))
        .collect();
    let priorities: Vec<(String, &Share)> = s
        .by_priority
        .iter()
        .map(|x| (crate::domain::enums::Priority::parse(&x.key).map_or(x.key.clone(), |k| k.label(l).to_string()), x))
        .collect();
    let resolutions: Vec<(String, &Share)> = s
        .by_resolution
        .iter()
        .map(|x| {
            let label = crate::domain::enums::Resolution::parse(&x.key)
                .map_or_else(|| t(l, T::NoResolution).to_string(), |k| k.label(l).to_string());
            (label, x)
        })
        .collect();
    let causes = s
        .root_causes
        .iter()
        .take(10)
        .map(|c| view! { <li>{c.key.clone()}<span class="hint">" · "{c.count}</span></li> })
        .collect_view();
    view! {
        {headline.map(|h| view! { <p class="headline" role="status">{h}</p> })}
        <div class="tiles feedback-tiles">
            <div class="card tile"><span class="tile-label">{t(l, T::Total)}</span><b>{s.total}</b></div>
            <div class="card tile" title=t(l, T::ClosureHint)>
                <span class="tile-label">{t(l, T::Closure)}</span>
                <b>{s.closure.map_or_else(|| t(l, T::NoValue).to_string(), percent)}</b>
            </div>
            <div class="card tile">
                <span class="tile-label">{t(l, T::Median)}</span>
                <b>{s.median_days_to_resolve.map_or_else(|| t(l, T::NoValue).to_string(), |d| format!("{d:.1}"))}</b>
            </div>
        </div>
        <div class="share-grid">
            {bars(t(l, T::ByType), types)}
            {bars(t(l, T::ByPriority), priorities)}
            {bars(t(l, T::ByResolution), resolutions)}
            <section class="card share-card">
                <h2>{t(l, T::Causes)}</h2>
                {if s.root_causes.is_empty() {
                    view! { <p class="hint">{t(l, T::NoCauses)}</p> }.into_any()
                } else {
                    view! { <ol class="causes">{causes}</ol> }.into_any()
                }}
            </section>
        </div>
    }
}

fn table(l: Lang, items: &[Feedback], from: &str, to: &str) -> impl IntoView {
    let rows = items.iter().map(|f| row(l, f, from, to)).collect_view();
    view! {
        <section class="card">
            <h2>{t(l, T::List)}</h2>
            {if items.is_empty() {
                view! { <p class="hint">{t(l, T::Empty)}</p> }.into_any()
            } else {
                view! {
                    <div class="lead-table-wrap">
                        <table class="lead-table feedback-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t(l, T::Received)}</th>
                                    <th scope="col">{t(l, T::Lead)}</th>
                                    <th scope="col">{t(l, T::Type)}</th>
                                    <th scope="col">{t(l, T::Priority)}</th>
                                    <th scope="col">{t(l, T::Summary)}</th>
                                    <th scope="col">{t(l, T::Status)}</th>
                                    <th scope="col">{t(l, T::Next)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}

fn row(l: Lang, f: &Feedback, from: &str, to: &str) -> impl IntoView {
    let action = format!("/feedback/{}/status", crate::ui::encode(&f.id));
    let hidden = view! {
        <input type="hidden" name="from" value=from.to_string()/>
        <input type="hidden" name="to" value=to.to_string()/>
    };
    let step = |status: FeedbackStatus, label: &'static str| {
        view! {
            <button type="submit" name="status" value=status.key() class="secondary">{label}</button>
        }
    };
    let next = match f.status {
        FeedbackStatus::Open => Some(view! {
            <form method="post" action=action.clone() class="inline">{hidden}{step(FeedbackStatus::InProgress, t(l, T::Start))}{step(FeedbackStatus::Resolved, t(l, T::Resolve))}</form>
        }.into_any()),
        FeedbackStatus::InProgress => Some(view! {
            <form method="post" action=action.clone() class="inline">{hidden}{step(FeedbackStatus::Resolved, t(l, T::Resolve))}</form>
        }.into_any()),
        FeedbackStatus::Resolved => {
            let id = format!("satisfaction-{}", f.id);
            Some(view! {
                <form method="post" action=action.clone() class="inline">
                    {hidden}
                    <label for=id.clone() class="sr-only">{t(l, T::Satisfaction)}</label>
                    <select id=id name="satisfaction">
                        <option value="">{t(l, T::Satisfaction)}</option>
                        {(1..=5).rev().map(|n| view! { <option value=n.to_string()>{"★".repeat(n)}</option> }).collect_view()}
                    </select>
                    {step(FeedbackStatus::Confirmed, t(l, T::Confirm))}
                    {step(FeedbackStatus::InProgress, t(l, T::Reopen))}
                </form>
            }.into_any())
        }
        FeedbackStatus::Confirmed => None,
    };
    let lead_href = format!("/leads/{}", crate::ui::encode(&f.lead));
    view! {
        <tr>
            <td data-label=t(l, T::Received)>{crate::format::date(f.received_at)}</td>
            <td data-label=t(l, T::Lead) class="code"><a href=lead_href>{f.lead.clone()}</a></td>
            <td data-label=t(l, T::Type)>{f.kind.label(l)}</td>
            <td data-label=t(l, T::Priority)><span class=format!("priority priority-{}", f.priority.key())>{f.priority.label(l)}</span></td>
            <td data-label=t(l, T::Summary) class="summary">{f.summary.clone().unwrap_or_default()}</td>
            <td data-label=t(l, T::Status)>{f.status.label(l)}{f.satisfaction.map(|s| format!(" · {}", "★".repeat(s as usize)))}</td>
            <td data-label=t(l, T::Next)>{next}</td>
        </tr>
    }
}

/// Moves a piece of feedback on from its row.
pub(super) async fn advance(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| pairs.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let mut body = json!({"status": get("status")});
    if let Ok(n) = get("satisfaction").parse::<u8>() {
        body["satisfaction"] = json!(n);
    }
    let outcome = match FeedbackPatch::read(&body) {
        Ok(cmd) => service::update(&state, &viewer.actor, &id, cmd).await,
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match outcome {
        // From My day, back to My day.
        Ok(_) if get("back").starts_with("/today") => {
            let back = get("back");
            let sep = if back.contains('?') { '&' } else { '?' };
            page::to(&format!("{back}{sep}done={}", crate::ui::encode(t(viewer.lang, T::Moved))))
        }
        Ok(_) => page::to(&super::back(&get("from"), &get("to"), t(viewer.lang, T::Moved))),
        Err(e) => page::failure(&viewer, e),
    }
}
