//! The 周报 (PRODUCT.md §14): one week of a rep, a team or everything the reader sees — its
//! KPIs against last week's, the status changes, new, won and lost leads (with the reasons)
//! and the risks — as a page, a printable view (print CSS; `format=html` stands alone) and an
//! xlsx workbook. The numbers are `service::reports::weekly`'s, the KPIs API's own.
use crate::components::dashboard::names::kpi_name;
use crate::domain::enums::Role;
use crate::i18n::Lang;
use crate::kpi::catalog::kpi_def;
use crate::kpi::present::{format_change, format_relative, format_value, verdict, Verdict};
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::admin::widgets::{escape, grade_chip};
use crate::ssr::service::reports::{self, WeeklyReport, WeeklyScope};
use crate::ssr::sheet::export::{xlsx_book, Cell, Sheet};
use crate::ssr::state::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, Duration};
use leptos::prelude::*;
use std::collections::BTreeMap as HashMap;

crate::texts! {
    Title: "周报", "Weekly report";
    Heading: "{scope}周报 · {week}（{from} 至 {to}）", "{scope}weekly report · {week} ({from} to {to})";
    Everyone: "全部", "All ";
    Week: "周", "Week";
    Scope: "范围", "Scope";
    Mine: "我的", "Mine";
    All: "我能看到的全部", "Everything I see";
    Show: "查看", "Show";
    Prev: "← 上一周", "← Previous week";
    Next: "下一周 →", "Next week →";
    Print: "打印", "Print";
    Xlsx: "导出 Excel", "Export to Excel";
    Printable: "打印版", "Printable view";
    Kpis: "本周指标（与上周对比）", "This week's KPIs against last week's";
    Kpi: "指标", "KPI";
    ThisWeek: "本周", "This week";
    LastWeek: "上周", "Last week";
    Change: "变化", "Change";
    Relative: "变化率", "Relative";
    Moves: "状态变化（{n}）", "Status changes ({n})";
    At: "时间", "When";
    Lead: "线索", "Lead";
    Move: "变化", "Move";
    Owner: "负责人", "Owner";
    New: "新线索（{n}）", "New leads ({n})";
    Won: "成交（{n}）", "Won ({n})";
    Lost: "丢单（{n}）", "Lost ({n})";
    Grade: "等级", "Grade";
    Source: "来源", "Source";
    Amount: "金额", "Amount";
    Reason: "原因", "Reason";
    Reasons: "丢单原因", "Reasons";
    Risks: "风险", "Risks";
    Stale: "停滞线索（{n}）", "Stale leads ({n})";
    Status: "阶段", "Stage";
    Days: "停留天数", "Days in stage";
    Sla: "超出响应时限（{n}）", "Response SLA breached ({n})";
    DueAt: "应联系时间", "Contact due";
    FirstContact: "首次联系", "First contact";
    NotYet: "尚未联系", "Not yet";
    Feedback: "未解决的高优先级反馈（{n}）", "Open high-priority feedback ({n})";
    Received: "收到时间", "Received";
    Kind: "类型", "Type";
    Summary: "内容", "Summary";
    Nothing: "无", "None";
    Generated: "生成于 {at}", "Generated {at}";
    More: "另有 {n} 条，见打印版或 Excel。", "{n} more in the printable view and the workbook.";
    MoreInWorkbook: "另有 {n} 条，见 Excel。", "{n} more in the workbook.";
}

/// Rows a list shows on the page.
const PAGE_ROWS: usize = 30;
/// The rows of each list the printable view holds (a printed report stays readable; the
/// workbook has every row).
pub const PRINT_ROWS: usize = 200;

pub fn routes() -> Router<AppState> {
    Router::new().route("/reports/weekly", get(show))
}

#[derive(serde::Deserialize, Default)]
struct WeeklyQuery {
    #[serde(default)]
    week: Option<String>,
    /// `team:KEY`, `rep:KEY` or empty (everything the reader sees).
    #[serde(default)]
    scope: Option<String>,
}

/// The scope a page asks for: a team, a rep, or everything (a rep's is their own).
fn scope_of(viewer: &Viewer, asked: Option<&str>) -> WeeklyScope {
    match asked.and_then(|s| s.split_once(':')) {
        Some(("team", t)) => WeeklyScope { team: Some(t.to_string()), rep: None },
        Some(("rep", r)) => WeeklyScope { team: None, rep: Some(r.to_string()) },
        _ if viewer.actor.role == Role::Rep => WeeklyScope { team: None, rep: viewer.actor.rep.clone() },
        _ => WeeklyScope::default(),
    }
}

/// Who the report is about, for its heading: a team's or a rep's name, else "all".
fn scope_name(l: Lang, scope: &WeeklyScope, names: &HashMap<String, String>) -> String {
    let key = scope.team.as_ref().or(scope.rep.as_ref());
    match key {
        Some(k) => format!("{} ", names.get(k).cloned().unwrap_or_else(|| k.clone())),
        None => t(l, T::Everyone).to_string(),
    }
}

async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<WeeklyQuery>) -> Response {
    let l = viewer.lang;
    let tz = state.settings.read().await.tz();
    let now = chrono::Utc::now();
    let today = now.with_timezone(&tz).date_naive();
    let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let monday = q.week.as_deref().and_then(reports::parse_week).unwrap_or(this_monday);
    let scope = scope_of(&viewer, q.scope.as_deref());
    let report = match reports::weekly(&state, &viewer.actor, monday, &scope, now, Some(PAGE_ROWS)).await {
        Ok(r) => r,
        Err(e) => return page::failure(&viewer, e),
    };
    let people = crate::ssr::service::leads::people(&state, &viewer.actor).await.unwrap_or_default();
    let names = crate::kpi::breakdown::names_of(&people);
    let scope_key = match (&scope.team, &scope.rep) {
        (Some(t), _) => format!("team:{t}"),
        (_, Some(r)) => format!("rep:{r}"),
        _ => String::new(),
    };
    let query = |week: &str| {
        let mut q = format!("week={week}");
        if !scope_key.is_empty() {
            q.push_str(&format!("&scope={}", crate::ui::encode(&scope_key)));
        }
        q
    };
    let api = {
        let mut a =
            format!("/api/v1/reports/weekly?week={}&lang={}", report.week, if l == Lang::Zh { "zh" } else { "en" });
        if let Some(t) = &scope.team {
            a.push_str(&format!("&team={}", crate::ui::encode(t)));
        }
        if let Some(r) = &scope.rep {
            a.push_str(&format!("&rep={}", crate::ui::encode(r)));
        }
        a
    };
    let weeks = (0..12)
        .map(|n| {
            let m = this_monday - Duration::weeks(n);
            let w = reports::week_of(m);
            let label = format!("{w}（{}）", m.format("%m-%d"));
            view! { <option value=w.clone() selected={m == monday}>{label}</option> }
        })
        .collect_view();
    let scopes = scope_options(l, &viewer, &people, &scope_key);
    let prev = reports::week_of(monday - Duration::weeks(1));
    let next = (monday < this_monday).then(|| reports::week_of(monday + Duration::weeks(1)));
    let head = view! {
        <div class="page-head">
            <h1 id="weekly-title">{heading(l, &report, &scope, &names)}</h1>
            <form method="get" action="/reports/weekly" class="inline-form no-print">
                <label class="field">{t(l, T::Week)}<select name="week">{weeks}</select></label>
                {scopes.map(|s| view! { <label class="field">{t(l, T::Scope)}<select name="scope">{s}</select></label> })}
                <button type="submit" class="secondary">{t(l, T::Show)}</button>
            </form>
            <nav class="report-actions no-print">
                <a href=format!("/reports/weekly?{}", query(&prev))>{t(l, T::Prev)}</a>
                {next.map(|n| view! { <a href=format!("/reports/weekly?{}", query(&n))>{t(l, T::Next)}</a> })}
                <button type="button" class="secondary" id="print-report" data-print>{t(l, T::Print)}</button>
                <a class="secondary" href=format!("{api}&format=xlsx") download>{t(l, T::Xlsx)}</a>
                <a href=format!("{api}&format=html") target="_blank" rel="noopener">{t(l, T::Printable)}</a>
            </nav>
        </div>
    }
    .into_any();
    let body = report_body(l, &report, &names, PAGE_ROWS).into_any();
    let here = format!("/reports/weekly?{}", query(&report.week));
    super::document(&viewer, "/reports/weekly", &here, t(l, T::Title), head, body, Some("/print.js"))
}

fn heading(l: Lang, r: &WeeklyReport, scope: &WeeklyScope, names: &HashMap<String, String>) -> String {
    t(l, T::Heading)
        .replace("{scope}", &scope_name(l, scope, names))
        .replace("{week}", &r.week)
        .replace("{from}", &r.from.to_string())
        .replace("{to}", &(r.to - Duration::days(1)).to_string())
}

/// The scopes a reader may choose: a manager their teams and reps, an admin every one; a rep
/// none (theirs alone).
fn scope_options(
    l: Lang,
    viewer: &Viewer,
    people: &crate::domain::people::People,
    chosen: &str,
) -> Option<impl IntoView> {
    if viewer.actor.role == Role::Rep {
        return None;
    }
    let option = |value: String, text: String| {
        let selected = value == chosen;
        view! { <option value=value selected=selected>{text}</option> }
    };
    let mut options = vec![option(String::new(), t(l, T::All).to_string())];
    if let Some(rep) = &viewer.actor.rep {
        options.push(option(format!("rep:{rep}"), t(l, T::Mine).to_string()));
    }
    options.extend(people.teams.iter().map(|p| option(format!("team:{}", p.key), p.name.clone())));
    options.extend(people.reps.iter().map(|p| option(format!("rep:{}", p.key), format!("· {}", p.name))));
    Some(options.collect_view())
}

fn lead_link(code: &str, company: &str) -> impl IntoView {
    view! { <a href=format!("/leads/{}", crate::ui::encode(code))>{company.to_string()}</a>" "<small class="muted">{code.to_string()}</small> }
}

fn empty_or<V: IntoView + 'static>(l: Lang, empty: bool, v: impl FnOnce() -> V) -> AnyView {
    if empty {
        view! { <p class="hint">{t(l, T::Nothing)}</p> }.into_any()
    } else {
        v().into_any()
    }
}

/// The report itself (the page's body, and the printable view's).
fn report_body(l: Lang, r: &WeeklyReport, names: &HashMap<String, String>, limit: usize) -> impl IntoView {
    // Each list shows its first `limit` rows (the page's, or the printable view's), the
    // rest being counted; the workbook holds them all.
    let more = move |n: usize| {
        // The rest is in the printable view too, unless there are more than it holds.
        let text = if limit == PRINT_ROWS || n > PRINT_ROWS { T::MoreInWorkbook } else { T::More };
        (n > limit).then(|| view! { <p class="hint more">{t(l, text).replace("{n}", &(n - limit).to_string())}</p> })
    };
    let name =
        |k: &Option<String>| k.as_ref().map(|k| names.get(k).cloned().unwrap_or_else(|| k.clone())).unwrap_or_default();
    let kpis = r
        .changes
        .iter()
        .filter_map(|c| {
            let d = kpi_def(&c.key)?;
            let class = match verdict(d.better, c.change) {
                Some(Verdict::Better) => "good",
                Some(Verdict::Worse) => "bad",
                _ => "",
            };
            Some(view! {
                <tr class=class data-kpi=c.key.clone()>
                    <th scope="row">{kpi_name(l, d.kpi)}</th>
                    <td class="num this">{format_value(d.unit, c.this_week, l)}</td>
                    <td class="num">{format_value(d.unit, c.last_week, l)}</td>
                    <td class="num change">{format_change(d.unit, c.change, l)}</td>
                    <td class="num">{format_relative(c.relative)}</td>
                </tr>
            })
        })
        .collect_view();
    let moves = empty_or(l, r.status_changes.is_empty(), || {
        let rows = r
            .status_changes
            .iter()
            .take(limit)
            .map(|m| {
                view! {
                    <tr>
                        <td>{crate::format::date_time(m.at)}</td>
                        <td>{lead_link(&m.code, &m.company)}</td>
                        <td>{m.from.map(|s| s.label(l)).unwrap_or("—")}" → "{m.to.label(l)}</td>
                        <td>{m.owner_name.clone().unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="lead-table">
                <thead><tr><th scope="col">{t(l, T::At)}</th><th scope="col">{t(l, T::Lead)}</th><th scope="col">{t(l, T::Move)}</th><th scope="col">{t(l, T::Owner)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let leads_table = |rows: &[reports::ReportLead], extra: u8| {
        let body = rows
            .iter()
            .take(limit)
            .map(|x| {
                let last = match extra {
                    1 => crate::format::cny_opt(x.amount),
                    2 => x.loss_reason.map(|r| r.label(l).to_string()).unwrap_or_default(),
                    _ => x.source.map(|s| s.label(l).to_string()).unwrap_or_default(),
                };
                view! {
                    <tr>
                        <td>{crate::format::date(x.at)}</td>
                        <td>{lead_link(&x.code, &x.company)}</td>
                        <td>{grade_chip(x.grade)}</td>
                        <td>{name(&x.owner)}</td>
                        <td>{last}</td>
                    </tr>
                }
            })
            .collect_view();
        let last = match extra {
            1 => T::Amount,
            2 => T::Reason,
            _ => T::Source,
        };
        view! {
            <table class="lead-table">
                <thead><tr><th scope="col">{t(l, T::At)}</th><th scope="col">{t(l, T::Lead)}</th><th scope="col">{t(l, T::Grade)}</th><th scope="col">{t(l, T::Owner)}</th><th scope="col">{t(l, last)}</th></tr></thead>
                <tbody>{body}</tbody>
            </table>
        }
    };
    let reasons = (!r.loss_reasons.is_empty()).then(|| {
        let list =
            r.loss_reasons.iter().map(|c| format!("{} {}", c.reason.label(l), c.leads)).collect::<Vec<_>>().join(" · ");
        view! { <p class="hint">{t(l, T::Reasons)}"："{list}</p> }
    });
    let risks = &r.risks;
    let stale = empty_or(l, risks.stale.is_empty(), || {
        let rows = risks
            .stale
            .iter()
            .take(limit)
            .map(|s| view! {
                <tr><td>{lead_link(&s.code, &s.company)}</td><td>{grade_chip(s.grade)}</td><td>{s.status.label(l)}</td><td class="num">{s.days}</td><td>{s.owner_name.clone().unwrap_or_default()}</td></tr>
            })
            .collect_view();
        view! {
            <table class="lead-table">
                <thead><tr><th scope="col">{t(l, T::Lead)}</th><th scope="col">{t(l, T::Grade)}</th><th scope="col">{t(l, T::Status)}</th><th scope="col" class="num">{t(l, T::Days)}</th><th scope="col">{t(l, T::Owner)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let sla = empty_or(l, risks.sla_breaches.is_empty(), || {
        let rows = risks
            .sla_breaches
            .iter()
            .take(limit)
            .map(|s| view! {
                <tr>
                    <td>{lead_link(&s.code, &s.company)}</td><td>{grade_chip(s.grade)}</td>
                    <td>{crate::format::date_time(s.due_at)}</td>
                    <td>{s.first_contact_at.map_or_else(|| t(l, T::NotYet).to_string(), crate::format::date_time)}</td>
                    <td>{s.owner_name.clone().unwrap_or_default()}</td>
                </tr>
            })
            .collect_view();
        view! {
            <table class="lead-table">
                <thead><tr><th scope="col">{t(l, T::Lead)}</th><th scope="col">{t(l, T::Grade)}</th><th scope="col">{t(l, T::DueAt)}</th><th scope="col">{t(l, T::FirstContact)}</th><th scope="col">{t(l, T::Owner)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let feedback = empty_or(l, risks.open_feedback.is_empty(), || {
        let rows = risks
            .open_feedback
            .iter()
            .take(limit)
            .map(|f| view! {
                <tr>
                    <td>{crate::format::date(f.received_at)}</td><td>{lead_link(&f.lead, &f.company)}</td>
                    <td>{f.kind.label(l)}</td><td class="wrap">{f.summary.clone().unwrap_or_default()}</td><td>{name(&f.owner)}</td>
                </tr>
            })
            .collect_view();
        view! {
            <table class="lead-table">
                <thead><tr><th scope="col">{t(l, T::Received)}</th><th scope="col">{t(l, T::Lead)}</th><th scope="col">{t(l, T::Kind)}</th><th scope="col">{t(l, T::Summary)}</th><th scope="col">{t(l, T::Owner)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let count = |key: T, n: usize| t(l, key).replace("{n}", &n.to_string());
    view! {
        <section class="card report" id="report-kpis">
            <h2>{t(l, T::Kpis)}</h2>
            <div class="lead-table-wrap">
                <table class="lead-table compare-table weekly-kpis">
                    <thead><tr>
                        <th scope="col">{t(l, T::Kpi)}</th>
                        <th scope="col" class="num">{t(l, T::ThisWeek)}</th>
                        <th scope="col" class="num">{t(l, T::LastWeek)}</th>
                        <th scope="col" class="num">{t(l, T::Change)}</th>
                        <th scope="col" class="num">{t(l, T::Relative)}</th>
                    </tr></thead>
                    <tbody>{kpis}</tbody>
                </table>
            </div>
        </section>
        <section class="card report" id="report-moves">
            <h2>{count(T::Moves, r.totals.status_changes)}</h2>
            <div class="lead-table-wrap">{moves}</div>
            {more(r.totals.status_changes)}
        </section>
        <section class="card report" id="report-new">
            <h2>{count(T::New, r.totals.new_leads)}</h2>
            <div class="lead-table-wrap">{empty_or(l, r.new_leads.is_empty(), || leads_table(&r.new_leads, 0))}</div>
            {more(r.totals.new_leads)}
        </section>
        <section class="card report" id="report-won">
            <h2>{count(T::Won, r.totals.won_leads)}</h2>
            <div class="lead-table-wrap">{empty_or(l, r.won_leads.is_empty(), || leads_table(&r.won_leads, 1))}</div>
            {more(r.totals.won_leads)}
        </section>
        <section class="card report" id="report-lost">
            <h2>{count(T::Lost, r.totals.lost_leads)}</h2>
            {reasons}
            <div class="lead-table-wrap">{empty_or(l, r.lost_leads.is_empty(), || leads_table(&r.lost_leads, 2))}</div>
            {more(r.totals.lost_leads)}
        </section>
        <section class="card report" id="report-risks">
            <h2>{t(l, T::Risks)}</h2>
            <h3>{count(T::Stale, r.totals.stale)}</h3>
            <div class="lead-table-wrap">{stale}</div>
            {more(r.totals.stale)}
            <h3>{count(T::Sla, r.totals.sla_breaches)}</h3>
            <div class="lead-table-wrap">{sla}</div>
            {more(r.totals.sla_breaches)}
            <h3>{count(T::Feedback, r.totals.open_feedback)}</h3>
            <div class="lead-table-wrap">{feedback}</div>
            {more(r.totals.open_feedback)}
        </section>
        <p class="hint generated">{t(l, T::Generated).replace("{at}", &crate::format::date_time(r.generated_at))}</p>
    }
}

/// The report as a page of its own to print (`format=html`): no navigation, the print styles.
pub fn printable(l: Lang, r: &WeeklyReport, scope: &WeeklyScope, names: &HashMap<String, String>) -> String {
    let title = heading(l, r, scope, names);
    let body = report_body(l, r, names, PRINT_ROWS).to_html();
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"/><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\
         <link rel=\"stylesheet\" href=\"/pkg/genjin.css\"/><title>{} · 跟进 Genjin</title></head>\
         <body class=\"printable\"><main class=\"page admin report-print\"><h1>{}</h1>{body}</main></body></html>",
        l.code(),
        escape(&title),
        escape(&title)
    )
}

/// The report as an xlsx workbook: the KPIs, the status changes, the new, won and lost leads,
/// and the risks, a sheet each, headers in the reader's language.
pub fn workbook(
    l: Lang,
    r: &WeeklyReport,
    names: &HashMap<String, String>,
    tz: chrono_tz::Tz,
) -> Result<Vec<u8>, String> {
    let zh = l == Lang::Zh;
    let h = |zh_en: &[(&str, &str)]| -> Vec<String> {
        zh_en.iter().map(|(z, e)| if zh { z } else { e }.to_string()).collect()
    };
    let text = |s: &str| Cell::Text(s.to_string());
    let at = |d: chrono::DateTime<chrono::Utc>| Cell::Date(d.with_timezone(&tz));
    let name = |k: &Option<String>| {
        text(&k.as_ref().map(|k| names.get(k).cloned().unwrap_or_else(|| k.clone())).unwrap_or_default())
    };
    let value = |unit: crate::kpi::catalog::Unit, v: Option<f64>| match (unit, v) {
        (_, None) => Cell::Empty,
        (crate::kpi::catalog::Unit::Rate, Some(v)) => Cell::Percent(v),
        (_, Some(v)) => Cell::Number((v * 100.0).round() / 100.0),
    };
    let kpi_rows: Vec<Vec<Cell>> = r
        .changes
        .iter()
        .filter_map(|c| {
            let d = kpi_def(&c.key)?;
            Some(vec![
                text(kpi_name(l, d.kpi)),
                value(d.unit, c.this_week),
                value(d.unit, c.last_week),
                value(d.unit, c.change),
                c.relative.map_or(Cell::Empty, Cell::Percent),
            ])
        })
        .collect();
    let kpi_headers =
        h(&[("指标", "KPI"), ("本周", "This week"), ("上周", "Last week"), ("变化", "Change"), ("变化率", "Relative")]);
    let move_rows: Vec<Vec<Cell>> = r
        .status_changes
        .iter()
        .map(|m| {
            vec![
                at(m.at),
                text(&m.code),
                text(&m.company),
                text(m.from.map(|s| s.label(l)).unwrap_or("")),
                text(m.to.label(l)),
                text(&m.owner_name.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let move_headers = h(&[
        ("时间", "When"),
        ("编号", "Code"),
        ("公司", "Company"),
        ("原阶段", "From"),
        ("新阶段", "To"),
        ("负责人", "Owner"),
    ]);
    let lead_rows = |rows: &[reports::ReportLead]| -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|x| {
                vec![
                    at(x.at),
                    text(&x.code),
                    text(&x.company),
                    text(x.grade.key()),
                    text(x.source.map(|s| s.label(l)).unwrap_or("")),
                    name(&x.owner),
                    x.amount.map_or(Cell::Empty, Cell::Number),
                    text(x.loss_reason.map(|r| r.label(l)).unwrap_or("")),
                ]
            })
            .collect()
    };
    let lead_headers = h(&[
        ("时间", "When"),
        ("编号", "Code"),
        ("公司", "Company"),
        ("等级", "Grade"),
        ("来源", "Source"),
        ("负责人", "Owner"),
        ("金额", "Amount"),
        ("丢单原因", "Loss reason"),
    ]);
    let (new, won, lost) = (lead_rows(&r.new_leads), lead_rows(&r.won_leads), lead_rows(&r.lost_leads));
    let mut risk_rows: Vec<Vec<Cell>> = Vec::new();
    let kind = |z: &str, e: &str| text(if zh { z } else { e });
    for s in &r.risks.stale {
        risk_rows.push(vec![
            kind("停滞", "Stale"),
            text(&s.code),
            text(&s.company),
            text(&format!("{} · {} {}", s.status.label(l), s.days, if zh { "天" } else { "days" })),
            text(&s.owner_name.clone().unwrap_or_default()),
        ]);
    }
    for s in &r.risks.sla_breaches {
        let due = s.due_at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
        risk_rows.push(vec![
            kind("超出响应时限", "SLA breached"),
            text(&s.code),
            text(&s.company),
            text(&due),
            text(&s.owner_name.clone().unwrap_or_default()),
        ]);
    }
    for f in &r.risks.open_feedback {
        risk_rows.push(vec![
            kind("高优先级反馈", "High-priority feedback"),
            text(&f.lead),
            text(&f.company),
            text(&f.summary.clone().unwrap_or_default()),
            name(&f.owner),
        ]);
    }
    let risk_headers =
        h(&[("风险", "Risk"), ("编号", "Code"), ("公司", "Company"), ("说明", "Detail"), ("负责人", "Owner")]);
    let sheet = |z: &'static str, e: &'static str| if zh { z } else { e };
    xlsx_book(&[
        Sheet { name: sheet("指标", "KPIs"), headers: &kpi_headers, rows: &kpi_rows },
        Sheet { name: sheet("状态变化", "Status changes"), headers: &move_headers, rows: &move_rows },
        Sheet { name: sheet("新线索", "New leads"), headers: &lead_headers, rows: &new },
        Sheet { name: sheet("成交", "Won"), headers: &lead_headers, rows: &won },
        Sheet { name: sheet("丢单", "Lost"), headers: &lead_headers, rows: &lost },
        Sheet { name: sheet("风险", "Risks"), headers: &risk_headers, rows: &risk_rows },
    ])
}
