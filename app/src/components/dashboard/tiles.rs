//! The KPI tiles: every KPI of the period in its group, each with its change against the
//! comparison period.
use super::names::{group_name, kpi_name, no_value_tip};
use super::status::{error_view, loading};
use crate::error::UiError;
use crate::i18n::Lang;
use crate::kpi::catalog::{kpi_defs, TILE_GROUPS};
use crate::kpi::present::{absolute_change, arrow, format_change, format_value, verdict, Verdict};
use crate::kpi::KpiReport;
use crate::ui::use_ui;
use crate::wire::WireResource;
use leptos::prelude::*;

crate::texts! {
    Vs: "较对比期", "vs. comparison";
}

/// The tiles of the period's KPIs, once the period's and the comparison's reports are in.
#[component]
pub fn KpiTiles(
    report: WireResource<Result<KpiReport, UiError>>,
    compare: WireResource<Result<KpiReport, UiError>>,
) -> impl IntoView {
    let lang = use_ui().lang;
    view! {
        <Transition fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                let (r, c) = (report.await, compare.await);
                match r {
                    Err(e) => view! { {move || error_view(&e, lang.get())} }.into_any(),
                    Ok(r) => {
                        let c = c.ok();
                        view! { {move || tiles(lang.get(), &r, c.as_ref())} }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The KPI tiles, in four groups, each with its change against the comparison period.
fn tiles(lang: Lang, report: &KpiReport, compare: Option<&KpiReport>) -> AnyView {
    let defs = kpi_defs();
    let groups = TILE_GROUPS
        .iter()
        .map(|&group| {
            let items = defs
                .iter()
                .filter(|d| d.group == group)
                .map(|d| {
                    let value = (d.get)(&report.total);
                    let before = compare.map(|c| (d.get)(&c.total));
                    let tip = match value {
                        None => no_value_tip(lang, d.none),
                        Some(_) => String::new(),
                    };
                    let delta = before.map(|before| {
                        let change = absolute_change(before, value);
                        let v = verdict(d.better, change);
                        let class = format!("kpi-delta {}", v.map(Verdict::class).unwrap_or("flat"));
                        view! {
                            <span class=class>
                                {format!("{}{} {}", arrow(v, change), format_change(d.unit, change, lang), t(lang, T::Vs))}
                            </span>
                        }
                    });
                    view! {
                        <div class="kpi-tile" data-kpi=d.key()>
                            <span class="kpi-label">{kpi_name(lang, d.kpi)}</span>
                            <b class="value" class:null=value.is_none() title=tip.clone()
                                aria-label=(!tip.is_empty()).then(|| tip.clone())>
                                {format_value(d.unit, value, lang)}
                            </b>
                            {delta}
                        </div>
                    }
                })
                .collect_view();
            view! {
                <section class="kpi-group" aria-label=group_name(lang, group)>
                    <h2>{group_name(lang, group)}</h2>
                    <div class="kpi-tiles">{items}</div>
                </section>
            }
        })
        .collect_view();
    view! { <div class="kpi-groups" data-testid="kpis">{groups}</div> }.into_any()
}
