//! The preview of a scoring change on the settings page: how many leads would change grade,
//! each grade's leads and historical win rate now and under the proposed rules, and a bar
//! chart of the two win rates per grade, drawn on the server so it needs no script.
use crate::domain::enums::Grade;
use crate::format::percent;
use crate::i18n::Lang;
use crate::scoring_replay::{GradeStats, Replay};
use leptos::prelude::*;

crate::texts! {
    Title: "评分变更预览", "Scoring change preview";
    Explain: "按新规则给全部线索重新评分的结果（尚未发布）。赢单率 = 成交 ÷（成交 + 流失）。",
        "All leads scored again under the proposed rules (not published yet). Win rate = won ÷ (won + lost).";
    NoMoves: "没有线索会改变等级。", "No lead would change grade.";
    Move: "等级变化", "Grade change";
    Leads: "线索数", "Leads";
    Grade: "等级", "Grade";
    LeadsNow: "现在线索数", "Leads now";
    LeadsThen: "调整后线索数", "Leads proposed";
    RateNow: "现在赢单率", "Win rate now";
    RateThen: "调整后赢单率", "Win rate proposed";
    Now: "现行规则", "Current rules";
    Then: "拟议规则", "Proposed rules";
    WinRate: "赢单率", "Win rate";
    ChartSummary: "各等级赢单率（现行 / 拟议）", "Win rate per grade (current / proposed)";
    Again: "重新预览", "Preview again";
    Publish: "发布这些设置", "Publish these settings";
}

/// Bar colours: the current rules in grey, the proposal in the brand blue.
const NOW_FILL: &str = "#98a2b3";
const THEN_FILL: &str = "#1463ff";
const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 250.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 470.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 200.0;
const BAR: f64 = 28.0;
const GAP: f64 = 6.0;

/// "12 条线索" / "12 leads".
fn leads_text(lang: Lang, n: u64) -> String {
    match lang {
        Lang::Zh => format!("{n} 条线索"),
        Lang::En if n == 1 => "1 lead".to_owned(),
        Lang::En => format!("{n} leads"),
    }
}

/// A win rate with one decimal, or "—" when none of the grade's leads is closed.
fn rate_text(rate: Option<f64>) -> String {
    rate.map(percent).unwrap_or_else(|| "—".to_owned())
}

/// A coordinate as SVG reads it.
fn num(v: f64) -> String {
    format!("{v:.1}")
}

/// The preview card, inside the settings form: its buttons preview again or publish the
/// values the preview was made from.
pub fn card(lang: Lang, replay: &Replay) -> AnyView {
    let moves = if replay.moves.is_empty() {
        view! { <p class="hint" role="status">{t(lang, T::NoMoves)}</p> }.into_any()
    } else {
        let rows = replay
            .moves
            .iter()
            .map(|m| {
                let change = format!("{} → {}", m.from.key(), m.to.key());
                view! { <tr><td>{change}</td><td class="num">{leads_text(lang, m.leads)}</td></tr> }
            })
            .collect_view();
        view! {
            <div class="lead-table-wrap">
                <table class="lead-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, T::Move)}</th>
                            <th scope="col" class="num">{t(lang, T::Leads)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let grades = replay
        .grades
        .iter()
        .map(|g| {
            view! {
                <tr>
                    <td>{crate::ssr::admin::widgets::grade_chip(g.grade)}</td>
                    <td class="num">{g.now.leads.to_string()}</td>
                    <td class="num">{g.proposed.leads.to_string()}</td>
                    <td class="num">{rate_text(g.now.win_rate)}</td>
                    <td class="num">{rate_text(g.proposed.win_rate)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card replay" aria-labelledby="replay-title">
            <h2 id="replay-title">{t(lang, T::Title)}</h2>
            <p class="hint">{t(lang, T::Explain)}</p>
            {moves}
            <div class="lead-table-wrap">
                <table class="lead-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, T::Grade)}</th>
                            <th scope="col" class="num">{t(lang, T::LeadsNow)}</th>
                            <th scope="col" class="num">{t(lang, T::LeadsThen)}</th>
                            <th scope="col" class="num">{t(lang, T::RateNow)}</th>
                            <th scope="col" class="num">{t(lang, T::RateThen)}</th>
                        </tr>
                    </thead>
                    <tbody>{grades}</tbody>
                </table>
            </div>
            {chart(lang, &replay.grades)}
            <div class="form-actions">
                <button type="submit" class="secondary" name="action" value="preview">{t(lang, T::Again)}</button>
                <button type="submit" class="primary" name="action" value="publish">{t(lang, T::Publish)}</button>
            </div>
        </section>
    }
    .into_any()
}

/// What the chart shows, in words, for a screen reader.
pub fn summary(lang: Lang, grades: &[GradeStats]) -> String {
    let parts: Vec<String> = grades
        .iter()
        .map(|g| format!("{} {} / {}", g.grade.key(), rate_text(g.now.win_rate), rate_text(g.proposed.win_rate)))
        .collect();
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    let colon = if lang == Lang::Zh { "：" } else { ": " };
    format!("{}{colon}{}", t(lang, T::ChartSummary), parts.join(sep))
}

/// How tall a bar is for a win rate (0 to 1) in the plot.
pub fn bar_height(rate: Option<f64>) -> f64 {
    rate.map_or(0.0, |r| r.clamp(0.0, 1.0) * (BOTTOM - TOP))
}

/// One bar with its value written above it.
fn bar(x: f64, rate: Option<f64>, fill: &'static str, class: &'static str, grade: Grade, lang: Lang) -> impl IntoView {
    let h = bar_height(rate);
    let label = if class == "now" { t(lang, T::Now) } else { t(lang, T::Then) };
    let tip = format!("{} · {label}: {}", grade.key(), rate_text(rate));
    view! {
        <g class=format!("bar-group {class}")>
            <title>{tip}</title>
            <rect class=format!("bar {class}") x=num(x) y=num(BOTTOM - h) width=num(BAR) height=num(h)
                fill=fill rx="2"/>
            <text class="value" x=num(x + BAR / 2.0) y=num(BOTTOM - h - 4.0) text-anchor="middle">
                {rate_text(rate)}
            </text>
        </g>
    }
}

/// Two bars per grade (current and proposed win rate) over a 0–100 % axis, with a legend.
fn chart(lang: Lang, grades: &[GradeStats]) -> AnyView {
    let slot = (RIGHT - LEFT) / grades.len().max(1) as f64;
    let ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
        .into_iter()
        .map(|v: f64| {
            let y = BOTTOM - v * (BOTTOM - TOP);
            let text = format!("{}%", (v * 100.0).round());
            view! {
                <g class="tick">
                    <line class="grid" x1=num(LEFT) x2=num(RIGHT) y1=num(y) y2=num(y)/>
                    <text class="axis-label" x=num(LEFT - 6.0) y=num(y + 4.0) text-anchor="end">{text}</text>
                </g>
            }
        })
        .collect_view();
    let groups = grades
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let middle = LEFT + slot * (i as f64 + 0.5);
            let first = middle - BAR - GAP / 2.0;
            view! {
                <g class="grade-group">
                    {bar(first, g.now.win_rate, NOW_FILL, "now", g.grade, lang)}
                    {bar(middle + GAP / 2.0, g.proposed.win_rate, THEN_FILL, "proposed", g.grade, lang)}
                    <text class="group" x=num(middle) y=num(BOTTOM + 18.0) text-anchor="middle">{g.grade.key()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart-figure">
            <svg class="chart replay-chart" role="img" aria-label=summary(lang, grades)
                viewBox=format!("0 0 {} {}", num(WIDTH), num(HEIGHT)) preserveAspectRatio="xMidYMid meet">
                <rect x=num(LEFT) y="8" width="12" height="12" fill=NOW_FILL/>
                <text x=num(LEFT + 18.0) y="18">{t(lang, T::Now)}</text>
                <rect x=num(LEFT + 140.0) y="8" width="12" height="12" fill=THEN_FILL/>
                <text x=num(LEFT + 158.0) y="18">{t(lang, T::Then)}</text>
                {ticks}
                <line class="axis" x1=num(LEFT) x2=num(LEFT) y1=num(TOP) y2=num(BOTTOM)/>
                <line class="axis" x1=num(LEFT) x2=num(RIGHT) y1=num(BOTTOM) y2=num(BOTTOM)/>
                <text class="axis-label" x="14" y=num((TOP + BOTTOM) / 2.0) text-anchor="middle"
                    transform=format!("rotate(-90 14 {})", num((TOP + BOTTOM) / 2.0))>{t(lang, T::WinRate)}</text>
                {groups}
                <text class="axis-label" x=num((LEFT + RIGHT) / 2.0) y=num(HEIGHT - 8.0) text-anchor="middle">
                    {t(lang, T::Grade)}
                </text>
            </svg>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring_replay::GradeOutcome;

    fn stats(grade: Grade, now: Option<f64>, proposed: Option<f64>) -> GradeStats {
        GradeStats {
            grade,
            now: GradeOutcome { leads: 3, win_rate: now },
            proposed: GradeOutcome { leads: 2, win_rate: proposed },
        }
    }

    #[test]
    fn the_chart_summary_reads_each_grades_two_win_rates_and_a_dash_when_none_is_closed() {
        let grades = [stats(Grade::S, Some(2.0 / 3.0), Some(0.5)), stats(Grade::C, None, Some(0.0))];
        assert_eq!(summary(Lang::Zh, &grades), "各等级赢单率（现行 / 拟议）：S 66.7% / 50.0%；C — / 0.0%");
        assert!(summary(Lang::En, &grades).starts_with("Win rate per grade (current / proposed): S 66.7% / 50.0%; "));
    }

    #[test]
    fn a_bar_is_as_tall_as_its_win_rate_and_absent_without_one() {
        assert_eq!(bar_height(None), 0.0);
        assert_eq!(bar_height(Some(1.0)), BOTTOM - TOP);
        assert_eq!(bar_height(Some(0.5)), (BOTTOM - TOP) / 2.0);
        assert_eq!(leads_text(Lang::Zh, 12), "12 条线索");
        assert_eq!(leads_text(Lang::En, 1), "1 lead");
    }
}
