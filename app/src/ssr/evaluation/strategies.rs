//! The strategy comparison page (PRODUCT.md §14, the article's A/B tests): the variants a
//! manager defined (高频跟进 vs 精准跟进), which ones new leads take in turn, leads put on a
//! variant by hand, and for a period each variant's leads, won, conversion, response rate and
//! cycle with the two-proportion z-test said in a plain sentence.
use crate::domain::enums::Role;
use crate::domain::strategy::{StrategyVariant, VariantFields};
use crate::i18n::Lang;
use crate::kpi::Period;
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::admin::widgets::form_field as field;
use crate::ssr::service::strategies as service;
use crate::ssr::state::AppState;
use crate::value::compare::StrategyReport;
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use serde_json::json;

crate::texts! {
    Title: "策略对比", "Strategy comparison";
    Hint: "为线索设定不同的跟进策略（如「高频跟进」与「精准跟进」），比较各策略的转化率、响应率与成交周期，并用双比例 z 检验判断差异是否显著。",
        "Follow leads up by different strategies (such as frequent vs targeted follow-up), compare their conversion, response and cycle, and let a two-proportion z-test say whether the difference is real.";
    From: "从", "From";
    To: "至（不含）", "To (exclusive)";
    Show: "查看", "Show";
    Comparison: "对比结果", "Comparison";
    Period: "{from} 至 {to} 创建的线索", "Leads created {from} to {to}";
    Variant: "策略", "Strategy";
    Leads: "线索数", "Leads";
    Won: "成交", "Won";
    Lost: "丢单", "Lost";
    Conversion: "转化率", "Conversion";
    Response: "响应率", "Response rate";
    Cycle: "平均周期（天）", "Cycle (days)";
    NoLeads: "这段时间没有带策略的线索。", "No leads with a strategy in this period.";
    Variants: "策略版本", "Strategy variants";
    VariantsHint: "勾选「轮流分配」的策略会依次分给没有指定策略的新线索；停用的策略不再分配，但仍参与对比。",
        "Variants marked “in turn” are given one after another to new leads that come without a strategy; a retired variant is given no more but stays in the comparison.";
    NoVariants: "还没有定义策略。", "No variants defined yet.";
    Name: "名称", "Name";
    Description: "说明", "Description";
    Rotate: "轮流分配给新线索", "Give in turn to new leads";
    Active: "启用", "Active";
    InTurn: "轮流分配", "In turn";
    Retired: "已停用", "Retired";
    Save: "保存", "Save";
    Define: "新建策略", "New variant";
    Create: "创建", "Create";
    Created: "已创建策略「{key}」", "Variant “{key}” created";
    Saved: "已保存策略「{key}」", "Variant “{key}” saved";
    Assign: "手动指定线索", "Put leads on a variant";
    AssignHint: "粘贴线索编号（空格、逗号或换行分隔），最多 500 条。", "Paste lead codes (separated by spaces, commas or lines), up to 500.";
    Codes: "线索编号", "Lead codes";
    AssignButton: "指定", "Assign";
    Assigned: "已指定 {n} 条线索；{same} 条原本就是该策略；{refused} 条未找到或无权修改。", "{n} leads assigned; {same} had it already; {refused} not found or not yours to change.";
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/strategies", get(show).post(create))
        .route("/strategies/assign", post(assign))
        .route("/strategies/{key}", post(update))
}

#[derive(serde::Deserialize, Default)]
struct PeriodQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// The period asked for, else the last 90 days.
fn period_of(q: &PeriodQuery, tz: chrono_tz::Tz) -> Period {
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let day = |s: &Option<String>| s.as_deref().and_then(crate::format::parse_day);
    let to = day(&q.to).unwrap_or(today + Duration::days(1));
    let from = day(&q.from).filter(|f| *f < to).unwrap_or(to - Duration::days(90));
    Period::new(from, to, tz).unwrap_or_else(|_| Period::new(to - Duration::days(90), to, tz).expect("90 days"))
}

async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<PeriodQuery>) -> Response {
    let l = viewer.lang;
    let tz = state.settings.read().await.tz();
    let period = period_of(&q, tz);
    let report = state.view.read().await.compare_strategies(&period, |lead| {
        viewer.actor.can_see(lead.facts.owner.as_deref(), lead.facts.team.as_deref())
    });
    let variants = match service::variants(&state).await {
        Ok(v) => v,
        Err(e) => return page::failure(&viewer, e),
    };
    let manager = viewer.actor.role != Role::Rep;
    let head = view! {
        <div class="page-head">
            <h1>{t(l, T::Title)}</h1>
            <p class="hint">{t(l, T::Hint)}</p>
            <form method="get" action="/strategies" class="inline-form no-print">
                <label class="field">{t(l, T::From)}<input type="date" name="from" value=period.from.to_string()/></label>
                <label class="field">{t(l, T::To)}<input type="date" name="to" value=period.to.to_string()/></label>
                <button type="submit" class="secondary">{t(l, T::Show)}</button>
            </form>
        </div>
        {page::notice(q.done.as_deref())}
    }
    .into_any();
    let body = view! {
        {comparison(l, &report, period.from, period.to)}
        {variants_card(l, &variants, manager)}
        {manager.then(|| assign_card(l, &variants))}
    }
    .into_any();
    let here = format!("/strategies?from={}&to={}", period.from, period.to);
    super::document(&viewer, "/strategies", &here, t(l, T::Title), head, body, None)
}

fn comparison(l: Lang, r: &StrategyReport, from: NaiveDate, to: NaiveDate) -> impl IntoView {
    let caption = t(l, T::Period).replace("{from}", &from.to_string()).replace("{to}", &to.to_string());
    let table = if r.variants.is_empty() {
        view! { <p class="hint">{t(l, T::NoLeads)}</p> }.into_any()
    } else {
        let tested = |k: &str| r.test.as_ref().is_some_and(|t| t.a == k || t.b == k);
        let rows = r
            .variants
            .iter()
            .map(|v| {
                view! {
                    <tr data-variant=v.key.clone() class:tested=tested(&v.key)>
                        <th scope="row">{v.key.clone()}</th>
                        <td class="num">{v.leads}</td>
                        <td class="num">{v.won}</td>
                        <td class="num">{v.lost}</td>
                        <td class="num">{crate::format::percent(v.conversion)}</td>
                        <td class="num">{crate::format::percent(v.response_rate)}</td>
                        <td class="num">{v.cycle_days.map_or_else(|| "—".to_string(), |d| crate::format::fixed(d, 1))}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="lead-table-wrap">
                <table class="lead-table strategy-table">
                    <caption class="hint">{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::Variant)}</th>
                            <th scope="col" class="num">{t(l, T::Leads)}</th>
                            <th scope="col" class="num">{t(l, T::Won)}</th>
                            <th scope="col" class="num">{t(l, T::Lost)}</th>
                            <th scope="col" class="num">{t(l, T::Conversion)}</th>
                            <th scope="col" class="num">{t(l, T::Response)}</th>
                            <th scope="col" class="num">{t(l, T::Cycle)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let significant = r.test.as_ref().is_some_and(|t| t.significant);
    view! {
        <section class="card" id="comparison">
            <h2>{t(l, T::Comparison)}</h2>
            {table}
            <p class="verdict" class:significant=significant id="verdict" role="status">{r.sentence(l)}</p>
        </section>
    }
}

fn variants_card(l: Lang, variants: &[StrategyVariant], manager: bool) -> impl IntoView {
    let list = if variants.is_empty() {
        view! { <p class="hint">{t(l, T::NoVariants)}</p> }.into_any()
    } else {
        variants
            .iter()
            .map(|v| {
                let state = match (v.active, v.rotate) {
                    (false, _) => Some(view! { <span class="pill off">{t(l, T::Retired)}</span> }),
                    (true, true) => Some(view! { <span class="pill">{t(l, T::InTurn)}</span> }),
                    _ => None,
                };
                let edit = manager.then(|| {
                    view! {
                        <form method="post" action=format!("/strategies/{}", crate::ui::encode(&v.key)) class="variant-form no-print">
                            <input type="hidden" name="version" value=v.version.to_string()/>
                            <label class="field">{t(l, T::Description)}<textarea name="description" rows="2">{v.description.clone()}</textarea></label>
                            <div class="checks">
                                <label><input type="checkbox" name="rotate" value="true" checked=v.rotate/>{t(l, T::Rotate)}</label>
                                <label><input type="checkbox" name="active" value="true" checked=v.active/>{t(l, T::Active)}</label>
                            </div>
                            <button type="submit" class="secondary">{t(l, T::Save)}</button>
                        </form>
                    }
                });
                view! {
                    <article class="variant" data-variant=v.key.clone()>
                        <h3>{v.key.clone()}" "{state}</h3>
                        {(!manager).then(|| view! { <p>{v.description.clone()}</p> })}
                        {edit}
                    </article>
                }
            })
            .collect_view()
            .into_any()
    };
    let define = manager.then(|| {
        view! {
            <form method="post" action="/strategies" class="variant-form no-print" id="new-variant">
                <h3>{t(l, T::Define)}</h3>
                <label class="field">{t(l, T::Name)}<input type="text" name="key" required maxlength="100" placeholder="高频跟进"/></label>
                <label class="field">{t(l, T::Description)}<textarea name="description" rows="2" maxlength="1000"></textarea></label>
                <div class="checks">
                    <label><input type="checkbox" name="rotate" value="true"/>{t(l, T::Rotate)}</label>
                </div>
                <button type="submit" class="primary">{t(l, T::Create)}</button>
            </form>
        }
    });
    view! {
        <section class="card" id="variants">
            <h2>{t(l, T::Variants)}</h2>
            <p class="hint">{t(l, T::VariantsHint)}</p>
            <div class="variants">{list}</div>
            {define}
        </section>
    }
}

fn assign_card(l: Lang, variants: &[StrategyVariant]) -> Option<impl IntoView> {
    let active: Vec<&StrategyVariant> = variants.iter().filter(|v| v.active).collect();
    if active.is_empty() {
        return None;
    }
    let options = active.iter().map(|v| view! { <option value=v.key.clone()>{v.key.clone()}</option> }).collect_view();
    Some(view! {
        <section class="card no-print" id="assign">
            <h2>{t(l, T::Assign)}</h2>
            <p class="hint">{t(l, T::AssignHint)}</p>
            <form method="post" action="/strategies/assign" class="variant-form">
                <label class="field">{t(l, T::Variant)}<select name="variant">{options}</select></label>
                <label class="field">{t(l, T::Codes)}<textarea name="codes" rows="3" required placeholder="LX202600001, LX202600002"></textarea></label>
                <button type="submit" class="primary">{t(l, T::AssignButton)}</button>
            </form>
        </section>
    })
}

/// A form's checkboxes, text fields and version as the service reads them.
fn fields_of(pairs: &[(String, String)], creating: bool) -> serde_json::Value {
    let mut body = json!({
        "description": field(pairs, "description"),
        "rotate": field(pairs, "rotate") == "true",
    });
    if creating {
        body["key"] = json!(field(pairs, "key").trim());
    } else {
        body["active"] = json!(field(pairs, "active") == "true");
        body["version"] = json!(field(pairs, "version").parse::<u64>().unwrap_or(0));
    }
    body
}

async fn create(State(state): State<AppState>, viewer: Viewer, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let fields = match VariantFields::read(&fields_of(&pairs, true), true) {
        Ok(f) => f,
        Err(problems) => return page::failure(&viewer, crate::ssr::error::ApiError::Invalid(problems)),
    };
    match service::create(&state, &viewer.actor, fields).await {
        Ok(v) => page::to(&format!(
            "/strategies?done={}#variants",
            crate::ui::encode(&t(viewer.lang, T::Created).replace("{key}", &v.key))
        )),
        Err(e) => page::failure(&viewer, e),
    }
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields = match VariantFields::read(&fields_of(&pairs, false), false) {
        Ok(f) => f,
        Err(problems) => return page::failure(&viewer, crate::ssr::error::ApiError::Invalid(problems)),
    };
    match service::update(&state, &viewer.actor, &key, fields).await {
        Ok(v) => page::to(&format!(
            "/strategies?done={}#variants",
            crate::ui::encode(&t(viewer.lang, T::Saved).replace("{key}", &v.key))
        )),
        Err(e) => page::failure(&viewer, e),
    }
}

async fn assign(State(state): State<AppState>, viewer: Viewer, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let codes = service::codes_of(field(&pairs, "codes"));
    match service::assign(&state, &viewer.actor, field(&pairs, "variant"), &codes).await {
        Ok(a) => {
            let said = t(viewer.lang, T::Assigned)
                .replace("{n}", &a.assigned.len().to_string())
                .replace("{same}", &a.unchanged.len().to_string())
                .replace("{refused}", &a.refused.len().to_string());
            page::to(&format!("/strategies?done={}#assign", crate::ui::encode(&said)))
        }
        Err(e) => page::failure(&viewer, e),
    }
}
