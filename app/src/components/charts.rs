//! Genjin's charts, drawn as plain SVG by the browser (and by the server for the first
//! paint): the sales funnel, line and area charts of weekly trends, and a two-panel bar chart
//! of a breakdown. The arithmetic (scales, ticks, paths) is in plain functions beside them.
//!
//! Every chart scales with its `viewBox` to the width of its card; the CSS makes its text
//! larger on a phone so it stays readable once scaled down.
use crate::domain::enums::Status;
use crate::format::{percent, thousands};
use crate::i18n::Lang;
use crate::kpi::FunnelStep;
use leptos::prelude::*;

fn t(lang: Lang, key: &str) -> &'static str {
    let zh = lang == Lang::Zh;
    match key {
        "new" if zh => "新线索",
        "new" => "New leads",
        "funnel" if zh => "销售漏斗：各阶段到达的线索数与逐级转化率",
        "funnel" => "Sales funnel: leads reaching each stage and step conversion",
        "leads_unit" if zh => "条线索",
        "leads_unit" => "leads",
        "of_new" if zh => "占新线索",
        "of_new" => "of new leads",
        "step" if zh => "上一阶段转化",
        "step" => "from the previous stage",
        "no_step" if zh => "上一阶段没有线索，无法计算转化率",
        "no_step" => "No leads at the previous stage, so no conversion",
        "no_data" if zh => "暂无数据",
        "no_data" => "No data",
        "count_head" if zh => "新线索数",
        "count_head" => "New leads",
        "rate_head" if zh => "线索转化率",
        "rate_head" => "Conversion rate",
        "breakdown" if zh => "分组对比：新线索数与线索转化率",
        "breakdown" => "Breakdown: new leads and conversion rate per group",
        _ => "",
    }
}

// ---------------------------------------------------------------------------------------
// Pure arithmetic
// ---------------------------------------------------------------------------------------

/// A "nice" step (1, 2 or 5 times a power of ten) close to `span / count`.
pub fn nice_step(span: f64, count: usize) -> f64 {
    let span = if span.is_finite() && span > 0.0 { span } else { 1.0 };
    let raw = span / count.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let error = raw / power;
    let factor = if error >= 50f64.sqrt() {
        10.0
    } else if error >= 10f64.sqrt() {
        5.0
    } else if error >= 2f64.sqrt() {
        2.0
    } else {
        1.0
    };
    factor * power
}

/// Rounds away the binary noise of `k × step` (0.15000000000000002 → 0.15).
fn tidy(v: f64) -> f64 {
    let r = (v * 1e9).round() / 1e9;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// About `count` evenly spaced round ticks covering `[min, max]`: the first at or below
/// `min`, the last at or above `max`. An empty span gets a span of one.
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    let (mut lo, mut hi) = if min <= max { (min, max) } else { (max, min) };
    if !lo.is_finite() || !hi.is_finite() {
        return vec![0.0, 1.0];
    }
    if (hi - lo).abs() < f64::EPSILON {
        if lo.abs() < f64::EPSILON {
            hi = lo + 1.0;
        } else {
            lo -= lo.abs() * 0.5;
            hi += hi.abs() * 0.5;
        }
    }
    let step = nice_step(hi - lo, count);
    let first = (lo / step).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    (first..=last.max(first + 1)).map(|k| tidy(k as f64 * step)).collect()
}

/// A linear map from a domain `[d0, d1]` to a range `[r0, r1]` (pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale { d0: domain.0, d1: domain.1, r0: range.0, r1: range.1 }
    }

    /// The position of `v`; the middle of the range when the domain is empty.
    pub fn at(&self, v: f64) -> f64 {
        if (self.d1 - self.d0).abs() < f64::EPSILON {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// The x position of point `i` of `n`, evenly spread over `[left, right]` (one point sits in
/// the middle).
pub fn spread(i: usize, n: usize, left: f64, right: f64) -> f64 {
    if n <= 1 {
        (left + right) / 2.0
    } else {
        left + (right - left) * i as f64 / (n - 1) as f64
    }
}

fn num(v: f64) -> String {
    let n = (v * 10.0).round() as i64;
    if n % 10 == 0 {
        (n / 10).to_string()
    } else {
        crate::format::tenths(n)
    }
}

/// The runs of consecutive known points: a missing value breaks a line.
pub fn segments(points: &[Option<(f64, f64)>]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut run = Vec::new();
    for p in points {
        match p {
            Some(p) => run.push(*p),
            None if !run.is_empty() => out.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// An SVG path through the known points, lifting the pen over missing ones.
pub fn line_path(points: &[Option<(f64, f64)>]) -> String {
    let mut d = String::new();
    for run in segments(points) {
        for (i, (x, y)) in run.iter().enumerate() {
            if !d.is_empty() {
                d.push(' ');
            }
            d.push(if i == 0 { 'M' } else { 'L' });
            d.push_str(&format!("{} {}", num(*x), num(*y)));
        }
    }
    d
}

/// An SVG path filling between the line and the baseline `base`, one closed shape per run.
pub fn area_path(points: &[Option<(f64, f64)>], base: f64) -> String {
    let mut parts = Vec::new();
    for run in segments(points) {
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            continue;
        };
        let mut d = format!("M{} {}", num(first.0), num(base));
        for (x, y) in &run {
            d.push_str(&format!(" L{} {}", num(*x), num(*y)));
        }
        d.push_str(&format!(" L{} {} Z", num(last.0), num(base)));
        parts.push(d);
    }
    parts.join(" ")
}

/// Every how many labels one is written so that at most `max` are.
pub fn label_stride(n: usize, max: usize) -> usize {
    n.div_ceil(max.max(1)).max(1)
}

/// Shortens a label to `max` characters, ending it with "…".
pub fn clip(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// How a chart writes its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Count,
    /// A fraction 0–1, written as a percentage.
    Rate,
}

impl Measure {
    /// A value next to a point or bar.
    pub fn value(self, v: f64) -> String {
        match self {
            Measure::Count => thousands(v.round() as i64),
            Measure::Rate => percent(v),
        }
    }

    /// A tick on an axis: rates as whole percentages when the step allows.
    pub fn tick(self, v: f64, step: f64) -> String {
        match self {
            Measure::Count if step < 1.0 => crate::format::short(v, 3),
            Measure::Count => thousands(v.round() as i64),
            Measure::Rate if step >= 0.01 - 1e-12 => format!("{}%", crate::format::fixed(v * 100.0, 0)),
            Measure::Rate => percent(v),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The funnel
// ---------------------------------------------------------------------------------------

const FUNNEL_W: f64 = 600.0;
const FUNNEL_ROW: f64 = 46.0;
const FUNNEL_LABEL: f64 = 128.0;
const FUNNEL_BAR_LEFT: f64 = 136.0;
const FUNNEL_BAR_W: f64 = 300.0;

/// The funnel of the period's leads: a base row of new leads, then each stage with the
/// number of leads that reached it (`.reached`) and the conversion from the previous stage.
#[component]
pub fn FunnelChart(new_leads: u64, steps: Vec<FunnelStep>) -> impl IntoView {
    let lang = crate::shell::use_ui().lang;
    move || {
        let lang = lang.get();
        let base = new_leads.max(1) as f64;
        let mut rows: Vec<(String, &'static str, u64, Option<f64>)> =
            vec![("new".into(), t(lang, "new"), new_leads, None)];
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
                    format!("{label}: {} {}", thousands(reached as i64), t(lang, "leads_unit"))
                } else {
                    let step = match conversion {
                        Some(c) => format!("{} {}", t(lang, "step"), percent(c)),
                        None => t(lang, "no_step").to_owned(),
                    };
                    format!(
                        "{label}: {} {}，{} {share}，{step}",
                        thousands(reached as i64),
                        t(lang, "leads_unit"),
                        t(lang, "of_new")
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
            <svg class="chart funnel" data-testid="funnel" role="img" aria-label=t(lang, "funnel")
                viewBox=format!("0 0 {} {}", num(FUNNEL_W), num(height)) preserveAspectRatio="xMidYMid meet">
                {rows}
            </svg>
        }
    }
}

// ---------------------------------------------------------------------------------------
// Line and area charts
// ---------------------------------------------------------------------------------------

/// One line of a line chart; `class` picks its colour (`s1`, `s2`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub class: &'static str,
    pub values: Vec<Option<f64>>,
}

const LINE_W: f64 = 640.0;
const LINE_H: f64 = 250.0;
const LINE_LEFT: f64 = 56.0;
const LINE_RIGHT: f64 = 16.0;
const LINE_TOP: f64 = 14.0;
const LINE_BOTTOM: f64 = 34.0;

/// A line chart over evenly spaced points (`labels` on the x axis, `tips` for each point's
/// tooltip), with a y axis of round ticks from zero; `area` fills under the first series.
#[component]
pub fn LineChart(
    #[prop(into)] label: String,
    labels: Vec<String>,
    tips: Vec<String>,
    series: Vec<Series>,
    measure: Measure,
    #[prop(optional)] area: bool,
) -> impl IntoView {
    let n = labels.len();
    let max = series.iter().flat_map(|s| s.values.iter().flatten().copied()).fold(0.0f64, f64::max);
    let max = match measure {
        Measure::Rate if max <= 0.0 => 0.1,
        _ => max,
    };
    let ticks = nice_ticks(0.0, max, 4);
    let step = if ticks.len() > 1 { ticks[1] - ticks[0] } else { 1.0 };
    let top = *ticks.last().unwrap_or(&1.0);
    let x0 = LINE_LEFT + 8.0;
    let x1 = LINE_W - LINE_RIGHT - 8.0;
    let y = Scale::new((0.0, top), (LINE_H - LINE_BOTTOM, LINE_TOP));
    let grid = ticks
        .iter()
        .map(|&v| {
            let py = num(y.at(v));
            view! {
                <g class="tick">
                    <line class="grid" x1=num(LINE_LEFT) x2=num(LINE_W - LINE_RIGHT) y1=py.clone() y2=py.clone()/>
                    <text class="axis-label" x=num(LINE_LEFT - 6.0) y=num(y.at(v) + 4.0) text-anchor="end">{measure.tick(v, step)}</text>
                </g>
            }
        })
        .collect_view();
    let stride = label_stride(n, 7);
    let xlabels = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0)
        .map(|(i, l)| {
            let px = spread(i, n, x0, x1);
            view! {
                <g class="tick">
                    <line class="axis" x1=num(px) x2=num(px) y1=num(LINE_H - LINE_BOTTOM) y2=num(LINE_H - LINE_BOTTOM + 5.0)/>
                    <text class="axis-label" x=num(px) y=num(LINE_H - LINE_BOTTOM + 20.0) text-anchor="middle">{l.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let base = y.at(0.0);
    let shapes = series
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let points: Vec<Option<(f64, f64)>> =
                s.values.iter().enumerate().map(|(i, v)| v.map(|v| (spread(i, n, x0, x1), y.at(v)))).collect();
            let fill = (area && k == 0).then(|| area_path(&points, base));
            let dots = points
                .iter()
                .zip(&s.values)
                .enumerate()
                .filter_map(|(i, (p, v))| {
                    let ((px, py), v) = (p.as_ref()?, v.as_ref()?);
                    let tip = format!("{}：{} {}", tips.get(i).cloned().unwrap_or_default(), s.name, measure.value(*v));
                    Some(view! {
                        <circle class="dot" cx=num(*px) cy=num(*py) r="3.5"><title>{tip}</title></circle>
                    })
                })
                .collect_view();
            view! {
                <g class=format!("series {}", s.class)>
                    {fill.map(|d| view! { <path class="area" d=d/> })}
                    <path class="line" d=line_path(&points)/>
                    {dots}
                </g>
            }
        })
        .collect_view();
    let legend = series
        .iter()
        .map(|s| view! { <li class=format!("legend-item {}", s.class)><i></i>{s.name.clone()}</li> })
        .collect_view();
    view! {
        <figure class="chart-figure">
            <svg class="chart line-chart" role="img" aria-label=label viewBox=format!("0 0 {} {}", num(LINE_W), num(LINE_H))
                preserveAspectRatio="xMidYMid meet">
                {grid}
                <line class="axis" x1=num(LINE_LEFT) x2=num(LINE_W - LINE_RIGHT) y1=num(base) y2=num(base)/>
                <line class="axis" x1=num(LINE_LEFT) x2=num(LINE_LEFT) y1=num(LINE_TOP) y2=num(base)/>
                {xlabels}
                {shapes}
            </svg>
            <ul class="legend">{legend}</ul>
        </figure>
    }
}

// ---------------------------------------------------------------------------------------
// Breakdown bars
// ---------------------------------------------------------------------------------------

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
    let lang = crate::shell::use_ui().lang;
    move || {
        let lang = lang.get();
        if rows.is_empty() {
            return view! { <p class="chart-empty">{t(lang, "no_data")}</p> }.into_any();
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
                    t(lang, "count_head"),
                    thousands(r.count as i64),
                    t(lang, "rate_head"),
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
            <svg class="chart breakdown-chart" role="img" aria-label=t(lang, "breakdown")
                viewBox=format!("0 0 {} {}", num(BAR_W), num(height)) preserveAspectRatio="xMidYMid meet">
                <text class="panel-head" x=num(BAR_A_LEFT) y="16">{t(lang, "count_head")}</text>
                <text class="panel-head" x=num(BAR_B_LEFT) y="16">{t(lang, "rate_head")}</text>
                <line class="axis" x1=num(BAR_A_LEFT) x2=num(BAR_A_LEFT) y1=num(BAR_HEAD) y2=num(height - 4.0)/>
                <line class="axis" x1=num(BAR_B_LEFT) x2=num(BAR_B_LEFT) y1=num(BAR_HEAD) y2=num(height - 4.0)/>
                {bars}
            </svg>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_data() {
        let ticks = nice_ticks(0.0, 137.0, 5);
        assert_eq!(ticks, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0, 140.0]);
        assert_eq!(nice_ticks(0.0, 100.0, 4), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(0.0, 0.37, 4), vec![0.0, 0.1, 0.2, 0.3, 0.4]);
        assert_eq!(nice_ticks(0.0, 0.0, 4), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.0, 3.0, 4), vec![0.0, 1.0, 2.0, 3.0]);
        let neg = nice_ticks(-12.0, 7.0, 4);
        assert!(neg[0] <= -12.0 && *neg.last().unwrap() >= 7.0);
        assert_eq!(nice_ticks(0.0, 0.15, 3), vec![0.0, 0.05, 0.1, 0.15]);
    }

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(137.0, 5), 20.0);
        assert_eq!(nice_step(1000.0, 4), 200.0);
        assert_eq!(nice_step(0.9, 3), 0.2);
        assert_eq!(nice_step(0.0, 3), 0.5);
    }

    #[test]
    fn a_scale_maps_the_domain_onto_the_range() {
        let s = Scale::new((0.0, 100.0), (200.0, 0.0));
        assert_eq!(s.at(0.0), 200.0);
        assert_eq!(s.at(100.0), 0.0);
        assert_eq!(s.at(25.0), 150.0);
        assert_eq!(Scale::new((5.0, 5.0), (0.0, 10.0)).at(5.0), 5.0);
        assert_eq!(spread(0, 1, 0.0, 100.0), 50.0);
        assert_eq!(spread(2, 3, 0.0, 100.0), 100.0);
    }

    #[test]
    fn a_missing_value_breaks_the_line() {
        let pts = [Some((0.0, 10.0)), Some((10.0, 5.0)), None, Some((30.0, 2.5))];
        assert_eq!(line_path(&pts), "M0 10 L10 5 M30 2.5");
        assert_eq!(area_path(&pts[..2], 20.0), "M0 20 L0 10 L10 5 L10 20 Z");
        assert_eq!(line_path(&[None, None]), "");
        assert_eq!(segments(&pts).len(), 2);
    }

    #[test]
    fn labels_are_thinned_and_clipped() {
        assert_eq!(label_stride(13, 7), 2);
        assert_eq!(label_stride(5, 7), 1);
        assert_eq!(label_stride(0, 7), 1);
        assert_eq!(clip("华东销售一组", 8), "华东销售一组");
        assert_eq!(clip("上海华信科技有限公司", 8), "上海华信科技有…");
    }

    #[test]
    fn ticks_and_values_are_written_for_people() {
        assert_eq!(Measure::Rate.tick(0.2, 0.1), "20%");
        assert_eq!(Measure::Rate.tick(0.025, 0.005), "2.5%");
        assert_eq!(Measure::Count.tick(1200.0, 200.0), "1,200");
        assert_eq!(Measure::Rate.value(0.4567), "45.7%");
        assert_eq!(Measure::Count.value(12.0), "12");
    }

    #[test]
    fn every_chart_text_speaks_both_languages() {
        for key in [
            "new",
            "funnel",
            "leads_unit",
            "of_new",
            "step",
            "no_step",
            "no_data",
            "count_head",
            "rate_head",
            "breakdown",
        ] {
            assert!(!t(Lang::Zh, key).is_empty() && !t(Lang::En, key).is_empty(), "{key}");
        }
    }
}
