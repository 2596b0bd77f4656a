//! The sales funnel chart: the period's new leads, then each stage with the leads that
//! reached it and the conversion from the previous stage.
use super::geometry::num;
use crate::domain::enums::Status;
use crate::format::{percent, thousands};
use crate::kpi::FunnelStep;
use leptos::prelude::*;

crate::texts! {
    New: "新线索", "New leads";
    Funnel: "销售漏斗：各阶段到达的线索数与逐级转化率", "Sales funnel: leads reaching each stage and step conversion";
    LeadsUnit: "条线索", "leads";
    OfNew: "占新线索", "of new leads";
    Step: "上一阶段转化", "from the previous stage";
    NoStep: "上一阶段没有线索，无法计算转化率", "No leads at the previous stage, so no conversion";
}

const FUNNEL_W: f64 = 600.0;
const FUNNEL_ROW: f64 = 46.0;
const FUNNEL_LABEL: f64 = 128.0;
const FUNNEL_BAR_LEFT: f64 = 136.0;
const FUNNEL_BAR_W: f64 = 300.0;

/// The funnel of the period's leads: a base row of new leads, then each stage with the
/// number of leads that reached it (`.reached`) and the conversion from the previous stage.
#[component]
pub fn FunnelChart(new_leads: u64, steps: Vec<FunnelStep>) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    move || {
        let lang = lang.get();
        let base = new_leads.max(1) as f64;
        let mut rows: Vec<(String, &'static str, u64, Option<f64>)> =
            vec![("new".into(), t(lang, T::New), new_leads, None)];
        for s in &steps {
            rows.push((s.stage.key().into(), s.stage.label(lang), s.reached, s.conversion));
        }
        let height = rows.len() as f64 * FUNNEL_ROW + 8.0;
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, (key, label, reached, conversion))| {
                let y = 4.0 + i as f64 * FUNNEL_ROW;
                let w = (reached as f64 / base * FUNNEL_BAR_W).max(if reached > 0 { 2.0 } else { 0.0 });
                let x = FUNNEL_BAR_LEFT + (FUNNEL_BAR_W - w) / 2.0;
                let share = percent(reached as f64 / base);
                let is_base = key == "new";
                let step_text = match (is_base, conversion) {
                    (true, _) => String::new(),
                    (false, Some(c)) => format!("↓ {}", percent(c)),
                    (false, None) => "↓ —".into(),
                };
                let tip = if is_base {
                    format!("{label}: {} {}", thousands(reached as i64), t(lang, T::LeadsUnit))
                } else {
                    let step = match conversion {
                        Some(c) => format!("{} {}", t(lang, T::Step), percent(c)),
                        None => t(lang, T::NoStep).to_owned(),
                    };
                    format!(
                        "{label}: {} {}，{} {share}，{step}",
                        thousands(reached as i64),
                        t(lang, T::LeadsUnit),
                        t(lang, T::OfNew)
                    )
                };
                let class = if key == Status::Won.key() { "bar won" } else if is_base { "bar base" } else { "bar" };
                view! {
                    <g class="funnel-row" data-stage=key>
                        <title>{tip}</title>
                        <text class="stage" x=num(FUNNEL_LABEL) y=num(y + 25.0) text-anchor="end">{label}</text>
                        <rect class="track" x=num(FUNNEL_BAR_LEFT) y=num(y + 6.0) width=num(FUNNEL_BAR_W) height="28" rx="4"/>
                        <rect class=class x=num(x) y=num(y + 6.0) width=num(w) height="28" rx="4"/>
                        <text class="share" x=num(FUNNEL_BAR_LEFT + FUNNEL_BAR_W / 2.0) y=num(y + 25.0) text-anchor="middle">
                            {if is_base { String::new() } else { share.clone() }}
                        </text>
                        <text class="reached" x=num(FUNNEL_BAR_LEFT + FUNNEL_BAR_W + 10.0) y=num(y + 25.0)>
                            {thousands(reached as i64)}
                        </text>
                        <text class="step" x=num(FUNNEL_W - 4.0) y=num(y + 25.0) text-anchor="end">{step_text}</text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg class="chart funnel" data-testid="funnel" role="img" aria-label=t(lang, T::Funnel)
                viewBox=format!("0 0 {} {}", num(FUNNEL_W), num(height)) preserveAspectRatio="xMidYMid meet">
                {rows}
            </svg>
        }
    }
}
