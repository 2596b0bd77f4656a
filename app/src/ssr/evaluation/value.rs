//! The customer-value page (客户价值, PRODUCT.md §8, the article's 三大关键指标): the open leads'
//! activity tiers and how they moved since a while ago, the leads that warmed up, the
//! highest-potential open leads nobody followed up this week, and the conversion potential's
//! model with its quality on closed leads it did not see.
use super::pct;
use crate::domain::enums::Tier;
use crate::i18n::Lang;
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::admin::widgets::grade_chip;
use crate::ssr::service::value::{self as service, ValueOverview, ValueRow};
use crate::ssr::state::AppState;
use crate::value::workspace::factor_label;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;

crate::texts! {
    Title: "客户价值", "Customer value";
    Hint: "三大关键指标：活跃度（近期的回应、客户主动联系与活动参与）、转化潜力（按已结案线索拟合的成交概率）与客户生命周期价值（见各线索页）。",
        "The three key indicators: activity (recent responses, customers reaching out, events), conversion potential (the chance of winning, fitted on closed leads) and lifetime value (on each lead's page).";
    Since: "对比", "Compare with";
    DaysAgo: "{n} 天前", "{n} days ago";
    Tiers: "活跃度分层（未结案线索）", "Activity tiers (open leads)";
    Then: "{n} 天前：{count}", "{n} days ago: {count}";
    Moves: "分层变化", "Moves between tiers";
    MovesHint: "行：{n} 天前的分层；列：现在的分层。只计当时已存在的线索。", "Rows: the tier {n} days ago; columns: the tier now. Only leads that existed then.";
    Now: "现在 →", "Now →";
    Warmed: "升温的线索", "Leads that warmed up";
    WarmedHint: "分层上升的线索，按活跃度排列。共 {n} 条。", "Leads whose tier rose, most active first. {n} in all.";
    Unfollowed: "本周无人跟进的高潜力线索", "High-potential leads nobody followed up this week";
    UnfollowedHint: "本期未成交、本周尚无跟进记录的线索，按转化潜力排列。共 {n} 条。", "Open leads without a follow-up this week, highest potential first. {n} in all.";
    None: "暂无", "None";
    Lead: "线索", "Lead";
    Grade: "等级", "Grade";
    Status: "阶段", "Stage";
    Owner: "负责人", "Owner";
    Activity: "活跃度", "Activity";
    Potential: "转化潜力", "Potential";
    LastTouch: "最近跟进", "Last follow-up";
    Never: "从未", "Never";
    Model: "转化潜力模型", "The conversion potential's model";
    Fitted: "逻辑回归，{at} 按 {n} 条已结案线索拟合：学习的是线索在创建后第 0、7、14、30、60、90、180、365 天（尚未结案时）的状况与最终结果。", "Logistic regression, fitted on {n} closed leads on {at}: it learns how leads stood 0, 7, 14, 30, 60, 90, 180 and 365 days after creation (while still open) and how they ended.";
    Auc: "留出检验（{n} 条未参与拟合的已结案线索，按其未结案时的各个阶段评分）：AUC {auc}", "Held out ({n} closed leads it did not see, scored at each age they were still open): AUC {auc}";
    AucHint: "AUC 为 0.5 相当于随机，越接近 1 越能区分成交与丢单。", "An AUC of 0.5 is chance; the closer to 1, the better it tells won from lost.";
    Calibration: "校准（按预测概率十等分）", "Calibration (by decile of predicted probability)";
    Decile: "分组", "Decile";
    Samples: "样本数", "Samples";
    Predicted: "预测成交率", "Predicted";
    Observed: "实际成交率", "Observed";
    Coefficients: "各因素的权重", "Each factor's weight";
    Factor: "因素", "Factor";
    Weight: "系数", "Coefficient";
    NoModel: "已结案线索 {closed} 条，满 {min} 条后拟合模型；在此之前，转化潜力取该等级线索的历史赢单率。", "{closed} closed leads; the model is fitted from {min}. Until then a lead's potential is its grade's historical win rate.";
    Refit: "立即重新拟合", "Refit now";
    Refitted: "模型已按最新的已结案线索重新拟合。", "The model is fitted again on the closed leads as they stand.";
    Forgot: "已结案线索不足，改用等级历史赢单率。", "Too few closed leads: the grades' win rates stand in.";
    Kept: "已结案线索不足，无法拟合。", "Too few closed leads to fit a model.";
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/value", get(show)).route("/value/refit", post(refit))
}

#[derive(serde::Deserialize, Default)]
struct ValueQuery {
    #[serde(default)]
    days: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

const PERIODS: [i64; 3] = [7, 30, 90];

fn tier_class(t: Tier) -> &'static str {
    match t {
        Tier::Active => "tier active",
        Tier::Potential => "tier potential",
        Tier::Dormant => "tier dormant",
    }
}

fn tier_chip(l: Lang, t: Tier) -> impl IntoView {
    view! { <span class=tier_class(t)>{t.label(l)}</span> }
}

async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ValueQuery>) -> Response {
    let l = viewer.lang;
    let days = q.days.filter(|d| PERIODS.contains(d)).unwrap_or(30);
    let o = match service::overview(&state, &viewer.actor, days, chrono::Utc::now()).await {
        Ok(o) => o,
        Err(e) => return page::failure(&viewer, e),
    };
    let periods = PERIODS
        .iter()
        .map(|d| {
            let text = t(l, T::DaysAgo).replace("{n}", &d.to_string());
            view! { <a href=format!("/value?days={d}") aria-current=(*d == days).then_some("page")>{text}</a> }
        })
        .collect_view();
    let notice = match q.done.as_deref() {
        Some("fit") => Some(t(l, T::Refitted)),
        Some("forget") => Some(t(l, T::Forgot)),
        Some("keep") => Some(t(l, T::Kept)),
        _ => None,
    };
    let head = view! {
        <div class="page-head">
            <h1>{t(l, T::Title)}</h1>
            <p class="hint">{t(l, T::Hint)}</p>
            <nav class="scope-switch" aria-label=t(l, T::Since)>{periods}</nav>
        </div>
        {page::notice(notice)}
    }
    .into_any();
    let body = view! {
        {tiers_card(l, &o)}
        <section class="card">
            <h2>{t(l, T::Unfollowed)}</h2>
            <p class="hint">{t(l, T::UnfollowedHint).replace("{n}", &o.unfollowed_total.to_string())}</p>
            {lead_table(l, &o.unfollowed, "unfollowed")}
        </section>
        <section class="card">
            <h2>{t(l, T::Warmed)}</h2>
            <p class="hint">{t(l, T::WarmedHint).replace("{n}", &o.warmed_total.to_string())}</p>
            {lead_table(l, &o.warmed, "warmed")}
        </section>
        {model_card(l, &o, viewer.actor.is_admin())}
    }
    .into_any();
    super::document(&viewer, "/value", &format!("/value?days={days}"), t(l, T::Title), head, body, None)
}

fn tiers_card(l: Lang, o: &ValueOverview) -> impl IntoView {
    let tiers = [Tier::Active, Tier::Potential, Tier::Dormant];
    let tiles = tiers
        .iter()
        .enumerate()
        .map(|(i, tier)| {
            let then =
                t(l, T::Then).replace("{n}", &o.days.to_string()).replace("{count}", &o.tiers_before[i].to_string());
            view! {
                <div class="kpi-tile" data-tier=tier.key()>
                    <span class="kpi-label">{tier_chip(l, *tier)}</span>
                    <span class="value">{crate::format::thousands(o.tiers[i] as i64)}</span>
                    <span class="kpi-delta">{then}</span>
                </div>
            }
        })
        .collect_view();
    let heads =
        tiers.iter().map(|tier| view! { <th scope="col" class="num">{tier_chip(l, *tier)}</th> }).collect_view();
    let rows = tiers
        .iter()
        .enumerate()
        .map(|(from, tier)| {
            let cells = (0..3)
                .map(|to| {
                    let n = o.moves[from][to];
                    let class = match to.cmp(&from) {
                        std::cmp::Ordering::Less if n > 0 => "num up",
                        std::cmp::Ordering::Greater if n > 0 => "num down",
                        _ => "num",
                    };
                    view! { <td class=class>{crate::format::thousands(n as i64)}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{tier_chip(l, *tier)}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>{t(l, T::Tiers)}</h2>
            <div class="kpi-tiles tier-tiles">{tiles}</div>
            <h3>{t(l, T::Moves)}</h3>
            <p class="hint">{t(l, T::MovesHint).replace("{n}", &o.days.to_string())}</p>
            <div class="lead-table-wrap">
                <table class="lead-table tier-moves">
                    <thead><tr><th scope="col">{t(l, T::Now)}</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

fn lead_table(l: Lang, rows: &[ValueRow], id: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="hint">{t(l, T::None)}</p> }.into_any();
    }
    let body = rows
        .iter()
        .map(|r| {
            let code = crate::ui::encode(&r.code);
            let tier = match r.before {
                Some(b) if b != r.activity.tier => {
                    view! { {tier_chip(l, b)}" → "{tier_chip(l, r.activity.tier)} }.into_any()
                }
                _ => tier_chip(l, r.activity.tier).into_any(),
            };
            view! {
                <tr data-lead=r.code.clone()>
                    <td><a href=format!("/leads/{code}")>{r.company.clone()}</a><br/><small class="muted">{r.code.clone()}</small></td>
                    <td>{grade_chip(r.grade)}</td>
                    <td>{r.status.label(l)}</td>
                    <td>{r.owner_name.clone().unwrap_or_default()}</td>
                    <td>{tier}" "<small class="muted">{r.activity.score}</small></td>
                    <td class="num potential">{pct(r.probability)}</td>
                    <td>{r.last_touch.map_or_else(|| t(l, T::Never).to_string(), crate::format::date)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="lead-table-wrap">
            <table class="lead-table value-table" id=id>
                <thead>
                    <tr>
                        <th scope="col">{t(l, T::Lead)}</th>
                        <th scope="col">{t(l, T::Grade)}</th>
                        <th scope="col">{t(l, T::Status)}</th>
                        <th scope="col">{t(l, T::Owner)}</th>
                        <th scope="col">{t(l, T::Activity)}</th>
                        <th scope="col" class="num">{t(l, T::Potential)}</th>
                        <th scope="col">{t(l, T::LastTouch)}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn model_card(l: Lang, o: &ValueOverview, admin: bool) -> impl IntoView {
    let refit = admin.then(|| {
        view! {
            <form method="post" action="/value/refit" class="inline no-print">
                <button type="submit" class="secondary">{t(l, T::Refit)}</button>
            </form>
        }
    });
    let Some(m) = o.model.as_ref() else {
        let text = t(l, T::NoModel)
            .replace("{closed}", &o.closed.to_string())
            .replace("{min}", &crate::value::potential::MIN_CLOSED.to_string());
        return view! {
            <section class="card model" id="model">
                <h2>{t(l, T::Model)}</h2>
                <p class="hint">{text}</p>
                {refit}
            </section>
        }
        .into_any();
    };
    let fitted =
        t(l, T::Fitted).replace("{n}", &m.sample.to_string()).replace("{at}", &crate::format::date_time(m.fitted_at));
    let quality = m.quality.as_ref().map(|q| {
        let auc = q.auc.map_or_else(|| "—".to_string(), |a| crate::format::fixed(a, 3));
        let deciles = q
            .calibration
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let (p, o) = (d.predicted.clamp(0.0, 1.0), d.observed.clamp(0.0, 1.0));
                view! {
                    <tr>
                        <td>{i + 1}</td>
                        <td class="num">{d.samples}</td>
                        <td class="num">{crate::format::percent(d.predicted)}</td>
                        <td class="num">{crate::format::percent(d.observed)}</td>
                        <td class="calibration">
                            <span class="bar predicted" style=format!("width:{:.1}%", p * 100.0)></span>
                            <span class="bar observed" style=format!("width:{:.1}%", o * 100.0)></span>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p id="model-auc"><strong>{t(l, T::Auc).replace("{n}", &q.held_out.to_string()).replace("{auc}", &auc)}</strong></p>
            <p class="hint">{t(l, T::AucHint)}</p>
            <h3>{t(l, T::Calibration)}</h3>
            <div class="lead-table-wrap">
                <table class="lead-table calibration-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::Decile)}</th>
                            <th scope="col" class="num">{t(l, T::Samples)}</th>
                            <th scope="col" class="num">{t(l, T::Predicted)}</th>
                            <th scope="col" class="num">{t(l, T::Observed)}</th>
                            <th scope="col"></th>
                        </tr>
                    </thead>
                    <tbody>{deciles}</tbody>
                </table>
            </div>
        }
    });
    let mut weights: Vec<_> = m.coefficients.iter().collect();
    weights.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
    let weights = weights
        .into_iter()
        .map(|c| {
            let class = if c.value >= 0.0 { "num up" } else { "num down" };
            view! { <tr><td>{factor_label(&c.name, l)}</td><td class=class>{crate::format::fixed(c.value, 4)}</td></tr> }
        })
        .collect_view();
    view! {
        <section class="card model" id="model">
            <h2>{t(l, T::Model)}</h2>
            <p class="hint">{fitted}</p>
            {quality}
            <h3>{t(l, T::Coefficients)}</h3>
            <div class="lead-table-wrap">
                <table class="lead-table coefficients">
                    <thead><tr><th scope="col">{t(l, T::Factor)}</th><th scope="col" class="num">{t(l, T::Weight)}</th></tr></thead>
                    <tbody>{weights}</tbody>
                </table>
            </div>
            {refit}
        </section>
    }
    .into_any()
}

async fn refit(State(state): State<AppState>, viewer: Viewer) -> Response {
    if let Err(refusal) = viewer.require(false) {
        return refusal;
    }
    match service::refit(&state, &viewer.actor, chrono::Utc::now()).await {
        Ok(done) => page::to(&format!(
            "/value?done={}#model",
            serde_json::to_value(done).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
        )),
        Err(e) => page::failure(&viewer, e),
    }
}
