//! The effectiveness analyses (效果分析, PRODUCT.md §14) for a period and a slice: conversion by
//! number of follow-ups with the best range marked, conversion and response by channel, the
//! weekday × hour heat map of contacts, satisfaction by follow-up frequency, the reps side by
//! side to find practices worth copying, and the team alert with each flagged team's lead mix
//! beside the workspace's.
use super::pct;
use crate::domain::enums::Role;
use crate::i18n::Lang;
use crate::kpi::compute::group_key;
use crate::kpi::{compute_leads, Dimension, Period};
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::state::AppState;
use crate::value::alerts::{Mix, TeamAlerts};
use crate::value::analyses::Analyses;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, Duration};
use leptos::prelude::*;
use std::collections::BTreeMap as HashMap;

crate::texts! {
    Title: "效果分析", "Effectiveness analyses";
    Hint: "找出最有效的跟进做法：跟进几次最容易成交、哪种方式和哪个时间段客户最愿意回应、跟进频率与满意度的关系，以及值得推广的个人做法。",
        "Find what works: how many follow-ups convert best, which channels and hours customers answer, how frequency goes with satisfaction, and whose practices are worth copying.";
    From: "从", "From";
    To: "至（不含）", "To (exclusive)";
    Slice: "范围", "Slice";
    All: "全部", "All";
    Show: "查看", "Show";
    ByCount: "按跟进次数的转化率（已结案线索）", "Conversion by number of follow-ups (closed leads)";
    ByCountHint: "期间创建并已成交或丢单的线索，按其跟进次数分组；★ 为转化率最高的区间（至少 5 条线索）。{n} 条从未跟进。",
        "Leads created in the period and won or lost, by how many follow-ups they had; ★ marks the range that converts best (5 leads at least). {n} were never followed up.";
    FollowUps: "跟进次数", "Follow-ups";
    Leads: "线索数", "Leads";
    Won: "成交", "Won";
    Conversion: "转化率", "Conversion";
    ByChannel: "按跟进方式", "By channel";
    Channel: "方式", "Channel";
    Count: "跟进次数", "Follow-ups";
    ResponseRate: "回应率", "Response rate";
    Advance: "推进率", "Moved on";
    Reached: "触达线索", "Leads reached";
    WonRate: "其中成交", "Of them won";
    Heat: "跟进时间的有效性（星期 × 小时）", "When contact works (weekday × hour)";
    HeatHint: "颜色越深，回应率越高（最浅为本期最低的 {lo}，最深为最高的 {hi}）；数字为跟进次数，悬停可见回应率。时间为工作区时区。", "The darker, the higher the response rate (lightest the period's lowest, {lo}; darkest its highest, {hi}); numbers are follow-ups, hover for the rate. Times in the workspace's time zone.";
    Weekdays: "一二三四五六日", "MTWTFSS";
    ByFrequency: "跟进频率与满意度", "Follow-up frequency and satisfaction";
    ByFrequencyHint: "期间有跟进的线索，按每周跟进次数分组；满意度来自期间的跟进记录与客户反馈。", "Leads followed up in the period, by follow-ups a week; satisfaction from the period's follow-ups and feedback.";
    PerWeek: "每周跟进", "A week";
    Scores: "评分数", "Scores";
    Satisfaction: "平均满意度", "Mean satisfaction";
    Satisfied: "满意率", "Satisfied";
    Reps: "销售代表对比", "Reps side by side";
    RepsHint: "★ 为各列最好的一位，可作为团队学习的做法。", "★ marks the best in each column: practices worth copying.";
    Rep: "销售代表", "Rep";
    NewLeads: "新线索", "New leads";
    DealSize: "客单价", "Deal size";
    Cycle: "销售周期（天）", "Cycle (days)";
    ResponseTime: "响应时长（小时）", "Response time (hours)";
    Alert: "团队预警（{month}）", "Team alert ({month})";
    AlertHint: "团队月度转化率连续三个月低于全工作区的 80%，需要重新审视其线索结构。", "A team converting under 80 % of the workspace three months running: time to re-examine its lead mix.";
    NoAlert: "没有团队触发预警。", "No team is flagged.";
    Month: "月份", "Month";
    TeamRate: "团队转化率", "Team's rate";
    WorkspaceRate: "工作区转化率", "Workspace's rate";
    Mix: "线索结构", "Lead mix";
    Team: "团队", "Team";
    Workspace: "全工作区", "Workspace";
    Grades: "等级", "Grades";
    Sources: "来源", "Sources";
    None: "暂无数据", "No data";
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/analyses", get(show))
}

#[derive(serde::Deserialize, Default)]
struct AnalysesQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    /// `dimension:value`, e.g. `team:t1`.
    #[serde(default)]
    slice: Option<String>,
}

async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<AnalysesQuery>) -> Response {
    let l = viewer.lang;
    let settings = state.settings.read().await.clone();
    let tz = settings.tz();
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let day = |s: &Option<String>| s.as_deref().and_then(crate::format::parse_day);
    let to = day(&q.to).unwrap_or(today + Duration::days(1));
    let from = day(&q.from).filter(|f| *f < to).unwrap_or(to - Duration::days(90));
    let Ok(period) = Period::new(from, to, tz) else {
        return page::failure(&viewer, crate::ssr::error::ApiError::NotFound("no such period".into()));
    };
    let slice = q
        .slice
        .as_deref()
        .and_then(|s| s.split_once(':'))
        .and_then(|(d, v)| Some((Dimension::parse(d)?, v.to_string())));
    let people = crate::ssr::service::leads::people(&state, &viewer.actor).await.unwrap_or_default();
    let names = crate::kpi::breakdown::names_of(&people);
    let actor = &viewer.actor;
    let (analyses, reps, alerts) = {
        let view = state.view.read().await;
        let keep = |lead: &crate::kpi::view::ViewLead| {
            actor.can_see(lead.facts.owner.as_deref(), lead.facts.team.as_deref())
                && slice.as_ref().is_none_or(|(d, v)| group_key(lead, *d) == Some(v.as_str()))
        };
        let analyses = view.analyses(&period, keep);
        // The reps' columns are the leads' own KPIs.
        let reps = compute_leads(&view, &period, Some(Dimension::Owner), &settings, keep).groups.unwrap_or_default();
        // The last whole month of the period (its last month when the period ends with it).
        let last_day = to - Duration::days(1);
        let last_month = if to.day() == 1 {
            last_day.with_day(1)
        } else {
            last_day.with_day(1).and_then(|d| d.checked_sub_months(chrono::Months::new(1)))
        }
        .unwrap_or(from);
        let alerts = (actor.role != Role::Rep).then(|| {
            view.team_alerts(last_month, tz, |team| actor.is_admin() || actor.teams.iter().any(|t| t == team))
        });
        (analyses, reps, alerts.map(|a| (last_month, a)))
    };
    let slices = slice_options(l, &people, actor.role, slice.as_ref());
    let head = view! {
        <div class="page-head">
            <h1>{t(l, T::Title)}</h1>
            <p class="hint">{t(l, T::Hint)}</p>
            <form method="get" action="/analyses" class="inline-form no-print">
                <label class="field">{t(l, T::From)}<input type="date" name="from" value=from.to_string()/></label>
                <label class="field">{t(l, T::To)}<input type="date" name="to" value=to.to_string()/></label>
                <label class="field">{t(l, T::Slice)}<select name="slice">{slices}</select></label>
                <button type="submit" class="secondary">{t(l, T::Show)}</button>
            </form>
        </div>
    }
    .into_any();
    let body = view! {
        <div class="admin-grid">
            {count_card(l, &analyses)}
            {frequency_card(l, &analyses)}
        </div>
        {channel_card(l, &analyses)}
        {heat_card(l, &analyses)}
        {reps_card(l, &reps, &names)}
        {alerts.map(|(month, a)| alert_card(l, month, &a, &names))}
    }
    .into_any();
    let mut here = format!("/analyses?from={from}&to={to}");
    if let Some((d, v)) = &slice {
        here.push_str(&format!("&slice={}:{}", d.key(), crate::ui::encode(v)));
    }
    super::document(&viewer, "/analyses", &here, t(l, T::Title), head, body, None)
}

/// The slices offered: everything, each team (managers and admins), each rep.
fn slice_options(
    l: Lang,
    people: &crate::domain::people::People,
    role: Role,
    chosen: Option<&(Dimension, String)>,
) -> impl IntoView {
    let chosen = chosen.map(|(d, v)| format!("{}:{v}", d.key()));
    let option = |value: String, text: String| {
        let selected = chosen.as_deref() == Some(value.as_str());
        view! { <option value=value selected=selected>{text}</option> }
    };
    let mut options = vec![option(String::new(), t(l, T::All).to_string())];
    if role != Role::Rep {
        options.extend(people.teams.iter().map(|p| option(format!("team:{}", p.key), p.name.clone())));
        options.extend(people.reps.iter().map(|p| option(format!("owner:{}", p.key), format!("· {}", p.name))));
    }
    options.collect_view()
}

fn count_card(l: Lang, a: &Analyses) -> impl IntoView {
    let max = a.by_count.iter().filter_map(|b| b.conversion).fold(0.0f64, f64::max).max(0.01);
    let rows = a
        .by_count
        .iter()
        .map(|b| {
            let width = b.conversion.unwrap_or(0.0) / max * 100.0;
            view! {
                <tr class:best=b.best data-band=b.label.clone()>
                    <th scope="row">{b.label.clone()}{b.best.then_some(" ★")}</th>
                    <td class="num">{b.leads}</td>
                    <td class="num">{b.won}</td>
                    <td class="num">{pct(b.conversion)}</td>
                    <td class="bar-cell"><span class="bar" style=format!("width:{width:.1}%")></span></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="by-count">
            <h2>{t(l, T::ByCount)}</h2>
            <p class="hint">{t(l, T::ByCountHint).replace("{n}", &a.never_followed.to_string())}</p>
            <div class="lead-table-wrap">
                <table class="lead-table analysis-table">
                    <thead><tr>
                        <th scope="col">{t(l, T::FollowUps)}</th>
                        <th scope="col" class="num">{t(l, T::Leads)}</th>
                        <th scope="col" class="num">{t(l, T::Won)}</th>
                        <th scope="col" class="num">{t(l, T::Conversion)}</th>
                        <th scope="col"></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

fn frequency_card(l: Lang, a: &Analyses) -> impl IntoView {
    let rows = a
        .by_frequency
        .iter()
        .map(|b| {
            view! {
                <tr>
                    <th scope="row">{b.label.clone()}</th>
                    <td class="num">{b.leads}</td>
                    <td class="num">{b.scores}</td>
                    <td class="num">{b.satisfaction.map_or_else(|| "—".to_string(), |s| crate::format::fixed(s, 2))}</td>
                    <td class="num">{pct(b.satisfied_rate)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="by-frequency">
            <h2>{t(l, T::ByFrequency)}</h2>
            <p class="hint">{t(l, T::ByFrequencyHint)}</p>
            <div class="lead-table-wrap">
                <table class="lead-table analysis-table">
                    <thead><tr>
                        <th scope="col">{t(l, T::PerWeek)}</th>
                        <th scope="col" class="num">{t(l, T::Leads)}</th>
                        <th scope="col" class="num">{t(l, T::Scores)}</th>
                        <th scope="col" class="num">{t(l, T::Satisfaction)}</th>
                        <th scope="col" class="num">{t(l, T::Satisfied)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

fn channel_card(l: Lang, a: &Analyses) -> impl IntoView {
    let body = if a.by_channel.is_empty() {
        view! { <p class="hint">{t(l, T::None)}</p> }.into_any()
    } else {
        let rows = a
            .by_channel
            .iter()
            .map(|c| {
                view! {
                    <tr data-channel=c.channel.key()>
                        <th scope="row">{c.channel.label(l)}</th>
                        <td class="num">{c.follow_ups}</td>
                        <td class="num">{pct(c.response_rate)}</td>
                        <td class="num">{pct(c.advance_rate)}</td>
                        <td class="num">{c.leads}</td>
                        <td class="num">{pct(c.won_rate)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="lead-table-wrap">
                <table class="lead-table analysis-table">
                    <thead><tr>
                        <th scope="col">{t(l, T::Channel)}</th>
                        <th scope="col" class="num">{t(l, T::Count)}</th>
                        <th scope="col" class="num">{t(l, T::ResponseRate)}</th>
                        <th scope="col" class="num">{t(l, T::Advance)}</th>
                        <th scope="col" class="num">{t(l, T::Reached)}</th>
                        <th scope="col" class="num">{t(l, T::WonRate)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! { <section class="card" id="by-channel"><h2>{t(l, T::ByChannel)}</h2>{body}</section> }
}

fn heat_card(l: Lang, a: &Analyses) -> impl IntoView {
    let days: Vec<char> = t(l, T::Weekdays).chars().collect();
    let hours = (0..24).map(|h| view! { <th scope="col">{h}</th> }).collect_view();
    // The shades span the rates seen (lightest the lowest, darkest the highest), over the hours
    // with a few follow-ups at least.
    let rate_of =
        |s: &crate::value::analyses::Slot| (s.follow_ups > 0).then(|| s.responded as f64 / s.follow_ups as f64);
    let seen: Vec<f64> = a.heat.iter().flatten().filter(|s| s.follow_ups >= 3).filter_map(rate_of).collect();
    let (lo, hi) = seen.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    let shade_of = |r: f64| {
        if hi - lo < 1e-9 {
            3
        } else {
            1 + (((r - lo) / (hi - lo) * 5.0).floor().clamp(0.0, 4.0) as u8)
        }
    };
    let rows = a
        .heat
        .iter()
        .enumerate()
        .map(|(d, slots)| {
            let cells = slots
                .iter()
                .enumerate()
                .map(|(h, s)| {
                    let rate = rate_of(s);
                    let shade = rate.map_or(0, shade_of);
                    let title =
                        format!("{}{h}:00 · {} · {}", days.get(d).copied().unwrap_or(' '), s.follow_ups, pct(rate));
                    view! {
                        <td class=format!("heat h{shade}") title=title>{(s.follow_ups > 0).then_some(s.follow_ups)}</td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{days.get(d).copied().unwrap_or(' ').to_string()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section class="card" id="heat">
            <h2>{t(l, T::Heat)}</h2>
            <p class="hint">{t(l, T::HeatHint).replace("{lo}", &pct(lo.is_finite().then_some(lo))).replace("{hi}", &pct(hi.is_finite().then_some(hi)))}</p>
            <div class="heat-wrap">
                <table class="heat-map">
                    <thead><tr><th></th>{hours}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

fn reps_card(l: Lang, reps: &[crate::kpi::KpiGroup], names: &HashMap<String, String>) -> impl IntoView {
    let rows: Vec<&crate::kpi::KpiGroup> = reps.iter().filter(|g| g.key.is_some() && g.kpis.new_leads > 0).collect();
    if rows.is_empty() {
        return view! { <section class="card" id="reps"><h2>{t(l, T::Reps)}</h2><p class="hint">{t(l, T::None)}</p></section> }.into_any();
    }
    // The best of each column: higher conversion and deal size, shorter cycle and response.
    let best = |get: fn(&crate::kpi::Kpis) -> Option<f64>, higher: bool| {
        rows.iter()
            .filter_map(|g| get(&g.kpis))
            .fold(None, |b: Option<f64>, v| Some(b.map_or(v, |b| if higher { b.max(v) } else { b.min(v) })))
    };
    let (conv, deal, cycle, resp) = (
        best(|k| k.conversion_rate, true),
        best(|k| k.avg_deal_size, true),
        best(|k| k.sales_cycle_days, false),
        best(|k| k.response_time_hours_mean, false),
    );
    let star = |v: Option<f64>, b: Option<f64>| (v.is_some() && v == b && rows.len() > 1).then_some(" ★");
    let body = rows
        .iter()
        .map(|g| {
            let k = &g.kpis;
            let key = g.key.clone().unwrap_or_default();
            let name = names.get(&key).cloned().unwrap_or_else(|| key.clone());
            view! {
                <tr data-rep=key>
                    <th scope="row">{name}</th>
                    <td class="num">{k.new_leads}</td>
                    <td class="num">{pct(k.conversion_rate)}{star(k.conversion_rate, conv)}</td>
                    <td class="num">{crate::format::cny_opt(k.avg_deal_size)}{star(k.avg_deal_size, deal)}</td>
                    <td class="num">{k.sales_cycle_days.map_or_else(|| "—".into(), |d| crate::format::fixed(d, 1))}{star(k.sales_cycle_days, cycle)}</td>
                    <td class="num">{k.response_time_hours_mean.map_or_else(|| "—".into(), |h| crate::format::fixed(h, 1))}{star(k.response_time_hours_mean, resp)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="reps">
            <h2>{t(l, T::Reps)}</h2>
            <p class="hint">{t(l, T::RepsHint)}</p>
            <div class="lead-table-wrap">
                <table class="lead-table analysis-table">
                    <thead><tr>
                        <th scope="col">{t(l, T::Rep)}</th>
                        <th scope="col" class="num">{t(l, T::NewLeads)}</th>
                        <th scope="col" class="num">{t(l, T::Conversion)}</th>
                        <th scope="col" class="num">{t(l, T::DealSize)}</th>
                        <th scope="col" class="num">{t(l, T::Cycle)}</th>
                        <th scope="col" class="num">{t(l, T::ResponseTime)}</th>
                    </tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

fn mix_rows(l: Lang, team: &Mix, workspace: &Mix) -> impl IntoView {
    let mut rows = Vec::new();
    for (part, label) in [(0, t(l, T::Grades)), (1, t(l, T::Sources))] {
        let (ours, all) =
            if part == 0 { (&team.grades, &workspace.grades) } else { (&team.sources, &workspace.sources) };
        let mut keys: Vec<&String> = all.keys().chain(ours.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let name = if part == 0 {
                k.clone()
            } else {
                k.parse::<crate::domain::enums::Source>().map(|s| s.label(l).to_string()).unwrap_or_else(|_| k.clone())
            };
            let (a, b) = (ours.get(k).copied(), all.get(k).copied());
            rows.push(view! {
                <tr><td>{label}</td><th scope="row">{name}</th><td class="num">{pct(a.or(Some(0.0)))}</td><td class="num">{pct(b.or(Some(0.0)))}</td></tr>
            });
        }
    }
    rows.collect_view()
}

fn alert_card(l: Lang, month: chrono::NaiveDate, a: &TeamAlerts, names: &HashMap<String, String>) -> impl IntoView {
    let title = t(l, T::Alert).replace("{month}", &month.format("%Y-%m").to_string());
    let teams = if a.teams.is_empty() {
        view! { <p class="hint" id="no-alert">{t(l, T::NoAlert)}</p> }.into_any()
    } else {
        a.teams
            .iter()
            .map(|team| {
                let name = names.get(&team.team).cloned().unwrap_or_else(|| team.team.clone());
                let months = team
                    .months
                    .iter()
                    .map(|m| {
                        view! {
                            <tr>
                                <th scope="row">{m.month.clone()}</th>
                                <td class="num down">{crate::format::percent(m.rate)}" ("{m.won}"/"{m.leads}")"</td>
                                <td class="num">{crate::format::percent(m.workspace_rate)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <article class="team-alert" data-team=team.team.clone()>
                        <h3>"⚠ "{name}</h3>
                        <div class="admin-grid">
                            <table class="lead-table">
                                <thead><tr>
                                    <th scope="col">{t(l, T::Month)}</th>
                                    <th scope="col" class="num">{t(l, T::TeamRate)}</th>
                                    <th scope="col" class="num">{t(l, T::WorkspaceRate)}</th>
                                </tr></thead>
                                <tbody>{months}</tbody>
                            </table>
                            <table class="lead-table mix">
                                <caption class="hint">{t(l, T::Mix)}</caption>
                                <thead><tr>
                                    <th scope="col"></th><th scope="col"></th>
                                    <th scope="col" class="num">{t(l, T::Team)}</th>
                                    <th scope="col" class="num">{t(l, T::Workspace)}</th>
                                </tr></thead>
                                <tbody>{mix_rows(l, &team.mix, &a.workspace_mix)}</tbody>
                            </table>
                        </div>
                    </article>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card" id="team-alert">
            <h2>{title}</h2>
            <p class="hint">{t(l, T::AlertHint)}</p>
            {teams}
        </section>
    }
}
