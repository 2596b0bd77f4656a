//! The dashboard's period comparison card: the comparison period's picker, every KPI in both
//! periods with its absolute and relative change judged by its direction, and its xlsx export.
use super::names::{kpi_name, no_value_tip};
use super::period_input::on_range_change;
use super::status::{error_view, loading};
use crate::error::UiError;
use crate::i18n::Lang;
use crate::kpi::catalog::kpi_defs;
use crate::kpi::dashboard_state::DashState;
use crate::kpi::present::{
    absolute_change, arrow, format_change, format_relative, format_value, period_text, relative_change, verdict,
    Verdict,
};
use crate::kpi::presets::{previous_period, year_before, RangeEnd};
use crate::kpi::{KpiReport, Kpis};
use crate::ui::use_ui;
use crate::wire::WireResource;
use chrono::Duration;
use leptos::prelude::*;

crate::texts! {
    From: "开始日期", "From";
    To: "结束日期（含）", "To (inclusive)";
    BadRange: "开始日期需早于结束日期。", "The start date must come before the end date.";
    Compare: "时段对比", "Period comparison";
    CompareHint: "本时段与对比时段的各项指标；绿色为改善，红色为变差（响应时长、不满意率、销售周期越低越好）。", "Each KPI in this period and in the comparison period; green is better, red is worse (response time, dissatisfied rate and sales cycle: lower is better).";
    CmpPeriod: "对比时段", "Comparison period";
    Previous: "上一周期", "Previous period";
    LastYear: "去年同期", "Same period last year";
    Kpi: "指标", "KPI";
    ThisPeriod: "本时段", "This period";
    Change: "变化", "Change";
    RelChange: "变化率", "Relative change";
    RelNone: "对比时段的值为 0 或无数据，无法计算变化率", "The comparison value is zero or missing, so there is no relative change";
    Export: "导出 Excel", "Export to Excel";
    ExportHint: "两个时段的全部指标及变化（已选维度时含各分组）", "Every KPI of both periods with its change (and each group when sliced)";
    Better: "改善", "better";
    Worse: "变差", "worse";
}

/// The comparison card: its picker and its table.
#[component]
pub fn ComparisonCard(
    state: Memo<DashState>,
    go: impl Fn(DashState) + Clone + 'static,
    report: WireResource<Result<KpiReport, UiError>>,
    compare: WireResource<Result<KpiReport, UiError>>,
) -> impl IntoView {
    let lang = use_ui().lang;
    view! {
        <section class="card dash-card" aria-labelledby="compare-title">
            <h2 id="compare-title">{move || t(lang.get(), T::Compare)}</h2>
            <p class="hint">{move || t(lang.get(), T::CompareHint)}</p>
            <ComparisonPicker state=state go=go/>
            <p class="compare-export">
                <a class="secondary" href=move || state.with(|s| export_href(s, lang.get())) rel="external" download
                    data-testid="compare-export" title=move || t(lang.get(), T::ExportHint)>{move || t(lang.get(), T::Export)}</a>
            </p>
            <Transition fallback=move || loading(lang)>
                {move || Suspend::new(async move {
                    let (r, c) = (report.await, compare.await);
                    match (r, c) {
                        (Err(e), _) | (_, Err(e)) => view! { {move || error_view(&e, lang.get())} }.into_any(),
                        (Ok(r), Ok(c)) => view! {
                            {move || comparison_table(lang.get(), &state.get_untracked(), &c.total, &r.total)}
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The comparison as an xlsx workbook, from the API (the same numbers as the table).
fn export_href(s: &DashState, lang: Lang) -> String {
    let by = s.by.map(|b| format!("&by={}", b.key())).unwrap_or_default();
    format!(
        "/api/v1/kpis/compare?from={}&to={}&cfrom={}&cto={}{by}&format=xlsx&lang={}",
        s.from,
        s.to,
        s.cfrom,
        s.cto,
        lang.code()
    )
}

/// The comparison period's picker.
#[component]
fn ComparisonPicker(state: Memo<DashState>, go: impl Fn(DashState) + Clone + 'static) -> impl IntoView {
    let lang = use_ui().lang;
    let problem = RwSignal::new(false);
    let set_from =
        on_range_change(state, go.clone(), problem, RangeEnd::First, |s| (s.cfrom, s.cto), DashState::with_comparison);
    let set_to =
        on_range_change(state, go.clone(), problem, RangeEnd::Last, |s| (s.cfrom, s.cto), DashState::with_comparison);
    let previous = {
        let go = go.clone();
        move |_| {
            let s = state.get_untracked();
            let (f, t) = previous_period(s.from, s.to);
            problem.set(false);
            go(s.with_comparison(f, t));
        }
    };
    let last_year = move |_| {
        let s = state.get_untracked();
        let (f, t) = year_before(s.from, s.to);
        problem.set(false);
        go(s.with_comparison(f, t));
    };
    let is_previous = move || state.with(|s| (s.cfrom, s.cto) == previous_period(s.from, s.to));
    let is_last_year = move || state.with(|s| (s.cfrom, s.cto) == year_before(s.from, s.to));
    let from_value = move || state.with(|s| s.cfrom.to_string());
    let to_value = move || state.with(|s| (s.cto - Duration::days(1)).to_string());
    view! {
        <div class="dash-pickers compare-pickers">
            <label class="field">
                <span>{move || format!("{} · {}", t(lang.get(), T::CmpPeriod), t(lang.get(), T::From))}</span>
                <input type="date" data-testid="cfrom" value=from_value prop:value=from_value on:change=set_from/>
            </label>
            <label class="field">
                <span>{move || t(lang.get(), T::To)}</span>
                <input type="date" data-testid="cto" value=to_value prop:value=to_value on:change=set_to/>
            </label>
            <div class="presets">
                <button type="button" class="preset" class:active=is_previous on:click=previous>
                    {move || t(lang.get(), T::Previous)}
                </button>
                <button type="button" class="preset" class:active=is_last_year on:click=last_year>
                    {move || t(lang.get(), T::LastYear)}
                </button>
            </div>
        </div>
        <Show when=move || problem.get()>
            <p class="form-error" role="alert">{move || t(lang.get(), T::BadRange)}</p>
        </Show>
    }
}

/// Every KPI in both periods, with the absolute and relative change judged by its direction.
fn comparison_table(lang: Lang, s: &DashState, before: &Kpis, after: &Kpis) -> AnyView {
    let rows = kpi_defs()
        .into_iter()
        .map(|d| {
            let (b, a) = ((d.get)(before), (d.get)(after));
            let change = absolute_change(b, a);
            let rel = relative_change(b, a);
            let v = verdict(d.better, change);
            let class = v.map(Verdict::class).unwrap_or("flat");
            let judged = match v {
                Some(Verdict::Better) => t(lang, T::Better),
                Some(Verdict::Worse) => t(lang, T::Worse),
                _ => "",
            };
            let null_tip = |x: Option<f64>| if x.is_none() { no_value_tip(lang, d.none) } else { String::new() };
            let rel_tip = if rel.is_none() && change.is_some() { t(lang, T::RelNone) } else { "" };
            view! {
                <tr data-kpi=d.key() class=class>
                    <th scope="row">{kpi_name(lang, d.kpi)}</th>
                    <td class="num" title=null_tip(b)>{format_value(d.unit, b, lang)}</td>
                    <td class="num" title=null_tip(a)>{format_value(d.unit, a, lang)}</td>
                    <td class="num change" title=judged>{format!("{}{}", arrow(v, change), format_change(d.unit, change, lang))}</td>
                    <td class="num change" title=rel_tip>{format_relative(rel)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="dash-table compare-table" data-testid="comparison">
                <thead>
                    <tr>
                        <th scope="col">{t(lang, T::Kpi)}</th>
                        <th scope="col" class="num">{t(lang, T::CmpPeriod)}<small>{period_text(s.cfrom, s.cto, lang)}</small></th>
                        <th scope="col" class="num">{t(lang, T::ThisPeriod)}<small>{period_text(s.from, s.to, lang)}</small></th>
                        <th scope="col" class="num">{t(lang, T::Change)}</th>
                        <th scope="col" class="num">{t(lang, T::RelChange)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
