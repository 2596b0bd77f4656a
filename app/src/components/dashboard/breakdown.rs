//! The dashboard's breakdown card: the period's KPIs by the chosen dimension, as a bar chart
//! and a sortable table, with quick buttons to pick a dimension.
use super::names::{dimension_name, kpi_name, no_value_tip};
use super::status::{error_view, loading};
use crate::components::charts::{BarRow, BreakdownChart};
use crate::domain::people::People;
use crate::error::UiError;
use crate::i18n::Lang;
use crate::kpi::breakdown::{group_label, names_of, sort_rows, Sort, TABLE_KPIS};
use crate::kpi::dashboard_state::DashState;
use crate::kpi::present::format_value;
use crate::kpi::{Dimension, KpiReport, Kpis};
use crate::ui::use_ui;
use crate::wire::WireResource;
use leptos::prelude::*;
use std::collections::BTreeMap as HashMap;

crate::texts! {
    Breakdown: "分组对比", "Breakdown";
    BreakdownHint: "选择一个分组维度，比较不同来源、等级、负责人、团队、地区或行业的表现。", "Pick a slice to compare sources, grades, owners, teams, regions or industries.";
    Group: "分组", "Group";
    All: "全部", "All";
    SortHint: "点击表头排序", "Click a heading to sort";
}

/// The breakdown card, headed by the chosen dimension: quick picks of a dimension, then a chart
/// and a sortable table.
#[component]
pub fn BreakdownCard(
    state: Memo<DashState>,
    go: impl Fn(DashState) + Clone + 'static,
    report: WireResource<Result<KpiReport, UiError>>,
    people: WireResource<Result<People, UiError>>,
) -> impl IntoView {
    let lang = use_ui().lang;
    let sort = RwSignal::new(Sort { column: Some(0), descending: true });
    let quick = [Dimension::Source, Dimension::Grade, Dimension::Owner, Dimension::Team]
        .into_iter()
        .map(|d| {
            let go = go.clone();
            view! {
                <button type="button" class="preset" on:click=move |_| go(state.get_untracked().with_by(Some(d)))>
                    {move || dimension_name(lang.get(), d)}
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="card dash-card" aria-labelledby="breakdown-title">
            <h2 id="breakdown-title">
                {move || t(lang.get(), T::Breakdown)}
                {move || state.with(|s| s.by).map(|b| format!(" · {}", dimension_name(lang.get(), b)))}
            </h2>
            <Show when=move || state.with(|s| s.by.is_none())>
                <p class="hint">{move || t(lang.get(), T::BreakdownHint)}</p>
            </Show>
            <div class="presets" class:hidden=move || state.with(|s| s.by.is_some())>{quick}</div>
            <Transition fallback=move || loading(lang)>
                {move || Suspend::new(async move {
                    let (r, p) = (report.await, people.await);
                    let names = p.as_ref().map(names_of).unwrap_or_default();
                    match r {
                        Err(e) => view! { {move || error_view(&e, lang.get())} }.into_any(),
                        Ok(r) => view! { {move || breakdown_view(lang.get(), &r, &names, sort)} }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn breakdown_view(lang: Lang, report: &KpiReport, names: &HashMap<String, String>, sort: RwSignal<Sort>) -> AnyView {
    let Some(groups) = report.groups.as_ref() else {
        return ().into_any();
    };
    let by = report.by;
    let mut rows: Vec<(String, Kpis)> =
        groups.iter().map(|g| (group_label(by, g.key.as_deref(), names, lang), g.kpis.clone())).collect();
    let mut by_count = rows.clone();
    sort_rows(&mut by_count, Sort { column: Some(0), descending: true });
    let bars: Vec<BarRow> = by_count
        .iter()
        .map(|(label, k)| BarRow { label: label.clone(), count: k.new_leads, rate: k.conversion_rate })
        .collect();
    let current = sort.get();
    sort_rows(&mut rows, current);
    let heads = std::iter::once(None)
        .chain((0..TABLE_KPIS.len()).map(Some))
        .map(|column| {
            let label = match column {
                None => t(lang, T::Group),
                Some(c) => kpi_name(lang, TABLE_KPIS[c]),
            };
            let aria = if current.column == column {
                if current.descending {
                    "descending"
                } else {
                    "ascending"
                }
            } else {
                "none"
            };
            let mark = match aria {
                "descending" => " ↓",
                "ascending" => " ↑",
                _ => "",
            };
            view! {
                <th scope="col" aria-sort=aria class:num=column.is_some()>
                    <button type="button" class="sort" on:click=move |_| {
                        sort.update(|s| {
                            if s.column == column {
                                s.descending = !s.descending;
                            } else {
                                // Names A→Z first, numbers largest first.
                                *s = Sort { column, descending: column.is_some() };
                            }
                        })
                    }>{label}{mark}</button>
                </th>
            }
        })
        .collect_view();
    let cells = |k: &Kpis| {
        TABLE_KPIS
            .iter()
            .filter_map(|kpi| kpi.def())
            .map(|d| {
                let v = (d.get)(k);
                let tip = if v.is_none() { no_value_tip(lang, d.none) } else { String::new() };
                view! { <td class="num" title=tip>{format_value(d.unit, v, lang)}</td> }
            })
            .collect_view()
    };
    let body =
        rows.iter().map(|(label, k)| view! { <tr><th scope="row">{label.clone()}</th>{cells(k)}</tr> }).collect_view();
    let total = view! { <tr class="total"><th scope="row">{t(lang, T::All)}</th>{cells(&report.total)}</tr> };
    view! {
        <BreakdownChart rows=bars/>
        <p class="hint">{t(lang, T::SortHint)}</p>
        <div class="table-scroll">
            <table class="dash-table" data-testid="breakdown">
                <thead><tr>{heads}</tr></thead>
                <tbody>{body}</tbody>
                <tfoot>{total}</tfoot>
            </table>
        </div>
    }
    .into_any()
}
