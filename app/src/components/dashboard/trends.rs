//! The dashboard's weekly trends card: new leads, and conversion and response rate, per week
//! of the period.
use super::names::kpi_name;
use super::status::{error_view, loading};
use crate::components::charts::{LineChart, Measure, Series};
use crate::error::UiError;
use crate::i18n::Lang;
use crate::kpi::catalog::Kpi;
use crate::kpi::presets::parse_day;
use crate::server_fns::kpis::TrendPoint;
use crate::ui::use_ui;
use crate::wire::WireResource;
use chrono::Duration;
use leptos::prelude::*;

crate::texts! {
    Trends: "每周趋势", "Weekly trends";
    TrendLeads: "每周新线索数", "New leads per week";
    TrendRates: "每周线索转化率与响应率", "Conversion and response rate per week";
    TrendHint: "按周（周一至周日）统计；近几周的线索仍在跟进中，转化率会随成交逐步上升。", "Weeks run Monday to Sunday; recent weeks' leads are still being worked, so their conversion keeps rising.";
    NoData: "无数据", "No data";
}

/// The weekly trends of the period.
#[component]
pub fn TrendCard(trend: WireResource<Result<Vec<TrendPoint>, UiError>>) -> impl IntoView {
    let lang = use_ui().lang;
    view! {
        <section class="card dash-card" aria-labelledby="trend-title">
            <h2 id="trend-title">{move || t(lang.get(), T::Trends)}</h2>
            <p class="hint">{move || t(lang.get(), T::TrendHint)}</p>
            <Transition fallback=move || loading(lang)>
                {move || Suspend::new(async move {
                    match trend.await {
                        Err(e) => view! { {move || error_view(&e, lang.get())} }.into_any(),
                        Ok(points) => view! { {move || trend_charts(lang.get(), &points)} }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// `MM-DD` of a trend week's first day.
fn short_day(day: &str) -> String {
    day.get(5..).unwrap_or(day).to_owned()
}

/// A trend week's first and last day.
fn week_text(p: &TrendPoint) -> String {
    let last = parse_day(&p.to).map(|d| (d - Duration::days(1)).to_string()).unwrap_or_else(|| p.to.clone());
    format!("{} – {}", p.from, last)
}

/// The two weekly trend charts.
fn trend_charts(lang: Lang, points: &[TrendPoint]) -> AnyView {
    if points.is_empty() {
        return view! { <p class="chart-empty">{t(lang, T::NoData)}</p> }.into_any();
    }
    let labels: Vec<String> = points.iter().map(|p| short_day(&p.from)).collect();
    let tips: Vec<String> = points.iter().map(week_text).collect();
    let leads = vec![Series {
        name: kpi_name(lang, Kpi::NewLeads).into(),
        class: "s1",
        values: points.iter().map(|p| Some(p.kpis.new_leads as f64)).collect(),
    }];
    let rates = vec![
        Series {
            name: kpi_name(lang, Kpi::ConversionRate).into(),
            class: "s1",
            values: points.iter().map(|p| p.kpis.conversion_rate).collect(),
        },
        Series {
            name: kpi_name(lang, Kpi::ResponseRate).into(),
            class: "s2",
            values: points.iter().map(|p| p.kpis.response_rate).collect(),
        },
    ];
    view! {
        <div class="trend-charts">
            <div>
                <h3>{t(lang, T::TrendLeads)}</h3>
                <LineChart label=t(lang, T::TrendLeads) labels=labels.clone() tips=tips.clone() series=leads
                    measure=Measure::Count area=true/>
            </div>
            <div>
                <h3>{t(lang, T::TrendRates)}</h3>
                <LineChart label=t(lang, T::TrendRates) labels=labels tips=tips series=rates measure=Measure::Rate/>
            </div>
        </div>
    }
    .into_any()
}
