//! The two-panel bar chart of a breakdown: new leads and conversion rate of each group.
use super::geometry::{clip, nice_ticks, num};
use crate::format::{percent, thousands};
use leptos::prelude::*;

crate::texts! {
    NoData: "暂无数据", "No data";
    CountHead: "新线索数", "New leads";
    RateHead: "线索转化率", "Conversion rate";
    Breakdown: "分组对比：新线索数与线索转化率", "Breakdown: new leads and conversion rate per group";
}

/// One group of a breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    pub label: String,
    pub count: u64,
    pub rate: Option<f64>,
}

const BAR_W: f64 = 640.0;
const BAR_ROW: f64 = 30.0;
const BAR_HEAD: f64 = 26.0;
const BAR_LABEL: f64 = 132.0;
const BAR_A_LEFT: f64 = 140.0;
const BAR_A_W: f64 = 190.0;
const BAR_B_LEFT: f64 = 400.0;
const BAR_B_W: f64 = 170.0;

/// New leads and conversion rate of each group, side by side in two panels.
#[component]
pub fn BreakdownChart(rows: Vec<BarRow>) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    move || {
        let lang = lang.get();
        if rows.is_empty() {
            return view! { <p class="chart-empty">{t(lang, T::NoData)}</p> }.into_any();
        }
        let max_count = rows.iter().map(|r| r.count).max().unwrap_or(0).max(1) as f64;
        let max_rate = rows.iter().filter_map(|r| r.rate).fold(0.0f64, f64::max);
        let rate_top = if max_rate > 0.0 { *nice_ticks(0.0, max_rate, 4).last().unwrap_or(&1.0) } else { 1.0 };
        let height = BAR_HEAD + rows.len() as f64 * BAR_ROW + 6.0;
        let bars = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let y = BAR_HEAD + i as f64 * BAR_ROW;
                let wa = r.count as f64 / max_count * BAR_A_W;
                let wb = r.rate.map(|v| v / rate_top * BAR_B_W).unwrap_or(0.0);
                let rate_text = r.rate.map(percent).unwrap_or_else(|| "—".into());
                let tip = format!(
                    "{}：{} {}，{} {}",
                    r.label,
                    t(lang, T::CountHead),
                    thousands(r.count as i64),
                    t(lang, T::RateHead),
                    rate_text
                );
                view! {
                    <g class="bar-row">
                        <title>{tip}</title>
                        <text class="group" x=num(BAR_LABEL) y=num(y + 19.0) text-anchor="end">{clip(&r.label, 6)}</text>
                        <rect class="bar count" x=num(BAR_A_LEFT) y=num(y + 6.0) width=num(wa.max(if r.count > 0 { 1.5 } else { 0.0 })) height="18" rx="3"/>
                        <text class="value" x=num(BAR_A_LEFT + wa + 6.0) y=num(y + 19.0)>{thousands(r.count as i64)}</text>
                        <rect class="bar rate" x=num(BAR_B_LEFT) y=num(y + 6.0) width=num(wb) height="18" rx="3"/>
                        <text class="value" x=num(BAR_B_LEFT + wb + 6.0) y=num(y + 19.0)>{rate_text}</text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg class="chart breakdown-chart" role="img" aria-label=t(lang, T::Breakdown)
                viewBox=format!("0 0 {} {}", num(BAR_W), num(height)) preserveAspectRatio="xMidYMid meet">
                <text class="panel-head" x=num(BAR_A_LEFT) y="16">{t(lang, T::CountHead)}</text>
                <text class="panel-head" x=num(BAR_B_LEFT) y="16">{t(lang, T::RateHead)}</text>
                <line class="axis" x1=num(BAR_A_LEFT) x2=num(BAR_A_LEFT) y1=num(BAR_HEAD) y2=num(height - 4.0)/>
                <line class="axis" x1=num(BAR_B_LEFT) x2=num(BAR_B_LEFT) y1=num(BAR_HEAD) y2=num(height - 4.0)/>
                {bars}
            </svg>
        }
        .into_any()
    }
}
