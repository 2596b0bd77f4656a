//! The line chart of weekly trends: evenly spaced points, a y axis of round ticks from zero,
//! and optionally the area under the first line.
use super::geometry::{area_path, label_stride, line_path, nice_ticks, num, spread, Measure, Scale};
use leptos::prelude::*;

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
