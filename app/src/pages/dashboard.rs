//! The KPI dashboard (跟进成效看板): every KPI of PRODUCT.md §7 for a period and a slice,
//! the funnel, weekly trends, a breakdown by the chosen dimension and the comparison with a
//! second period. The view lives in the URL (`from`, `to`, `by`, `cfrom`, `cto`), so a
//! reload or a shared link shows the same numbers, and it follows every change live through
//! the server-sent events of `/api/v1/events`.
use crate::components::charts::{BarRow, BreakdownChart, FunnelChart, LineChart, Measure, Series};
use crate::domain::enums::Source;
use crate::domain::people::People;
use crate::error::UiError;
use crate::format::{cny, fixed, percent, thousands};
use crate::i18n::Lang;
use crate::kpi::{Dimension, KpiReport, Kpis};
use crate::server_fns::board::load_people;
use crate::server_fns::kpis::{load_kpis, load_trend, TrendPoint};
use crate::shell::use_ui;
use chrono::{Datelike, Duration, Months, NaiveDate};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::collections::HashMap;

fn t(lang: Lang, key: &str) -> &'static str {
    let zh = lang == Lang::Zh;
    match key {
        "title" if zh => "跟进成效看板",
        "title" => "Follow-up performance",
        "period" if zh => "统计时段",
        "period" => "Period",
        "from" if zh => "开始日期",
        "from" => "From",
        "to" if zh => "结束日期（含）",
        "to" => "To (inclusive)",
        "days" if zh => "天",
        "days" => "days",
        "by" if zh => "分组",
        "by" => "Slice by",
        "by_none" if zh => "不分组",
        "by_none" => "No slice",
        "source" if zh => "线索来源",
        "source" => "Source",
        "grade" if zh => "线索等级",
        "grade" => "Grade",
        "owner" if zh => "负责人",
        "owner" => "Owner",
        "team" if zh => "团队",
        "team" => "Team",
        "region" if zh => "地区",
        "region" => "Region",
        "industry" if zh => "行业",
        "industry" => "Industry",
        "this_month" if zh => "本月",
        "this_month" => "This month",
        "last_month" if zh => "上月",
        "last_month" => "Last month",
        "this_quarter" if zh => "本季度",
        "this_quarter" => "This quarter",
        "last_quarter" if zh => "上季度",
        "last_quarter" => "Last quarter",
        "last_30" if zh => "近30天",
        "last_30" => "Last 30 days",
        "last_90" if zh => "近90天",
        "last_90" => "Last 90 days",
        "presets" if zh => "快捷时段",
        "presets" => "Quick periods",
        "bad_range" if zh => "开始日期需早于结束日期。",
        "bad_range" => "The start date must come before the end date.",
        "bad_link" if zh => "链接中的日期无效，已显示默认时段（近90天）。",
        "bad_link" => "The link's dates are not valid; showing the default period (last 90 days).",
        "live_on" if zh => "实时更新中",
        "live_on" => "Live",
        "live_wait" if zh => "正在连接实时更新…",
        "live_wait" => "Connecting for live updates…",
        "live_lost" if zh => "实时连接中断，正在重连…",
        "live_lost" => "Live updates interrupted; reconnecting…",
        "live_hint" if zh => "线索有变动时，本页数据会自动刷新",
        "live_hint" => "The numbers refresh by themselves when leads change",
        "loading" if zh => "正在计算指标…",
        "loading" => "Computing the KPIs…",
        "no_data" if zh => "无数据",
        "no_data" => "No data",
        "g_pipeline" if zh => "线索与成交",
        "g_pipeline" => "Leads and deals",
        "g_response" if zh => "响应速度",
        "g_response" => "Response",
        "g_discipline" if zh => "跟进执行",
        "g_discipline" => "Follow-up discipline",
        "g_satisfaction" if zh => "客户满意",
        "g_satisfaction" => "Customer satisfaction",
        "vs" if zh => "较对比期",
        "vs" => "vs. comparison",
        // KPI names
        "new_leads" if zh => "新线索数",
        "new_leads" => "New leads",
        "conversion_rate" if zh => "线索转化率",
        "conversion_rate" => "Lead conversion rate",
        "win_rate" if zh => "赢单率",
        "win_rate" => "Win rate",
        "response_rate" if zh => "线索响应率",
        "response_rate" => "Response rate",
        "response_time_hours_mean" if zh => "平均响应时长",
        "response_time_hours_mean" => "Response time (mean)",
        "response_time_hours_median" if zh => "响应时长中位数",
        "response_time_hours_median" => "Response time (median)",
        "sla_compliance" if zh => "SLA 达标率",
        "sla_compliance" => "SLA compliance",
        "interaction_frequency" if zh => "互动频率",
        "interaction_frequency" => "Interaction frequency",
        "plan_completion" if zh => "跟进计划完成率",
        "plan_completion" => "Follow-up plan completion",
        "info_completeness" if zh => "客户信息完整度",
        "info_completeness" => "Profile completeness",
        "avg_deal_size" if zh => "客单价",
        "avg_deal_size" => "Average deal size",
        "sales_cycle_days" if zh => "销售周期",
        "sales_cycle_days" => "Sales cycle",
        "followup_conversion" if zh => "跟进转化率",
        "followup_conversion" => "Follow-up conversion",
        "satisfaction_mean" if zh => "客户满意度",
        "satisfaction_mean" => "Satisfaction",
        "satisfied_rate" if zh => "满意率",
        "satisfied_rate" => "Satisfied rate",
        "dissatisfied_rate" if zh => "不满意率",
        "dissatisfied_rate" => "Dissatisfied rate",
        "timely_logging" if zh => "记录及时率",
        "timely_logging" => "Timely logging",
        "feedback_closure" if zh => "反馈闭环率",
        "feedback_closure" => "Feedback closure",
        // Why a KPI has no value: its denominator is empty.
        "none_new" if zh => "本时段没有新线索，无法计算",
        "none_new" => "No new leads in this period, so nothing to compute",
        "none_closed" if zh => "本时段没有赢单或流失的线索，无法计算",
        "none_closed" => "No lead was won or lost in this period, so nothing to compute",
        "none_contacted" if zh => "本时段分配的线索都还没有首次联系，无法计算",
        "none_contacted" => "No lead assigned in this period has been contacted yet, so nothing to compute",
        "none_interactions" if zh => "本时段没有跟进记录，无法计算",
        "none_interactions" => "No follow-ups were logged in this period, so nothing to compute",
        "none_tasks" if zh => "本时段没有到期的跟进计划，无法计算",
        "none_tasks" => "No follow-up task was due in this period, so nothing to compute",
        "none_won" if zh => "本时段没有赢单，无法计算",
        "none_won" => "No deal was won in this period, so nothing to compute",
        "none_scores" if zh => "本时段没有满意度评分，无法计算",
        "none_scores" => "No satisfaction score was given in this period, so nothing to compute",
        "none_feedback" if zh => "本时段没有已解决的客户反馈，无法计算",
        "none_feedback" => "No customer feedback was resolved in this period, so nothing to compute",
        // Units
        "hours" if zh => "小时",
        "hours" => "h",
        "days_unit" if zh => "天",
        "days_unit" => "days",
        "per_week" if zh => "次/周",
        "per_week" => "/ week",
        "pp" if zh => "个百分点",
        "pp" => "pp",
        // Funnel, trends, breakdown, comparison
        "funnel" if zh => "销售漏斗",
        "funnel" => "Sales funnel",
        "funnel_hint" if zh => "本时段新增线索曾到达各阶段的数量，右侧为逐级转化率",
        "funnel_hint" => "How many of the period's new leads ever reached each stage; on the right, the step conversion",
        "trends" if zh => "每周趋势",
        "trends" => "Weekly trends",
        "trend_leads" if zh => "每周新线索数",
        "trend_leads" => "New leads per week",
        "trend_rates" if zh => "每周线索转化率与响应率",
        "trend_rates" => "Conversion and response rate per week",
        "trend_hint" if zh => "按周（周一至周日）统计；近几周的线索仍在跟进中，转化率会随成交逐步上升。",
        "trend_hint" => "Weeks run Monday to Sunday; recent weeks' leads are still being worked, so their conversion keeps rising.",
        "week_of" if zh => "周",
        "week_of" => "week",
        "breakdown" if zh => "分组对比",
        "breakdown" => "Breakdown",
        "breakdown_hint" if zh => "选择一个分组维度，比较不同来源、等级、负责人、团队、地区或行业的表现。",
        "breakdown_hint" => "Pick a slice to compare sources, grades, owners, teams, regions or industries.",
        "group" if zh => "分组",
        "group" => "Group",
        "not_set" if zh => "未填写",
        "not_set" => "Not set",
        "all" if zh => "全部",
        "all" => "All",
        "sort_hint" if zh => "点击表头排序",
        "sort_hint" => "Click a heading to sort",
        "compare" if zh => "时段对比",
        "compare" => "Period comparison",
        "compare_hint" if zh => "本时段与对比时段的各项指标；绿色为改善，红色为变差（响应时长、不满意率、销售周期越低越好）。",
        "compare_hint" => "Each KPI in this period and in the comparison period; green is better, red is worse (response time, dissatisfied rate and sales cycle: lower is better).",
        "cmp_period" if zh => "对比时段",
        "cmp_period" => "Comparison period",
        "previous" if zh => "上一周期",
        "previous" => "Previous period",
        "last_year" if zh => "去年同期",
        "last_year" => "Same period last year",
        "kpi" if zh => "指标",
        "kpi" => "KPI",
        "this_period" if zh => "本时段",
        "this_period" => "This period",
        "change" if zh => "变化",
        "change" => "Change",
        "rel_change" if zh => "变化率",
        "rel_change" => "Relative change",
        "rel_none" if zh => "对比时段的值为 0 或无数据，无法计算变化率",
        "rel_none" => "The comparison value is zero or missing, so there is no relative change",
        "better" if zh => "改善",
        "better" => "better",
        "worse" if zh => "变差",
        "worse" => "worse",
        _ => "",
    }
}

// ---------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

/// Now, from the browser's clock in the browser and the server's on the server.
fn now_utc() -> chrono::DateTime<chrono::Utc> {
    #[cfg(target_arch = "wasm32")]
    {
        chrono::DateTime::from_timestamp_millis(date_now() as i64).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        chrono::Utc::now()
    }
}

/// Today in the workspace's time zone (Asia/Shanghai).
pub fn today_shanghai() -> NaiveDate {
    now_utc().with_timezone(&crate::format::TZ).date_naive()
}

/// The first day of the month `months` after the month of `day` (negative: before).
pub fn month_start(day: NaiveDate, months: i32) -> NaiveDate {
    let index = day.year() * 12 + day.month0() as i32 + months;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).unwrap_or(day)
}

/// The first day of the quarter `quarters` after the quarter of `day`.
pub fn quarter_start(day: NaiveDate, quarters: i32) -> NaiveDate {
    let first = month_start(day, -((day.month0() % 3) as i32));
    month_start(first, quarters * 3)
}

/// The quick periods of the period picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    ThisMonth,
    LastMonth,
    ThisQuarter,
    LastQuarter,
    Last30,
    Last90,
}

impl Preset {
    pub const ALL: [Preset; 6] = [
        Preset::Last30,
        Preset::Last90,
        Preset::ThisMonth,
        Preset::LastMonth,
        Preset::ThisQuarter,
        Preset::LastQuarter,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Preset::ThisMonth => "this_month",
            Preset::LastMonth => "last_month",
            Preset::ThisQuarter => "this_quarter",
            Preset::LastQuarter => "last_quarter",
            Preset::Last30 => "last_30",
            Preset::Last90 => "last_90",
        }
    }

    /// The period `[from, to)` as seen on `today`; rolling ones end tomorrow (today included).
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let tomorrow = today + Duration::days(1);
        match self {
            Preset::ThisMonth => (month_start(today, 0), month_start(today, 1)),
            Preset::LastMonth => (month_start(today, -1), month_start(today, 0)),
            Preset::ThisQuarter => (quarter_start(today, 0), quarter_start(today, 1)),
            Preset::LastQuarter => (quarter_start(today, -1), quarter_start(today, 0)),
            Preset::Last30 => (tomorrow - Duration::days(30), tomorrow),
            Preset::Last90 => (tomorrow - Duration::days(90), tomorrow),
        }
    }
}

/// The dashboard's default period: the last 90 days, today included.
pub fn default_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    Preset::Last90.range(today)
}

/// The period of the same length just before `[from, to)`.
pub fn previous_period(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    (from - (to - from), from)
}

/// The same period one year earlier.
pub fn year_before(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let back = |d: NaiveDate| d.checked_sub_months(Months::new(12)).unwrap_or(d);
    (back(from), back(to))
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

fn parse_range(from: Option<String>, to: Option<String>) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = (parse_day(&from?)?, parse_day(&to?)?);
    (from < to).then_some((from, to))
}

/// What the dashboard shows, as kept in the URL query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashState {
    pub from: NaiveDate,
    /// The day after the last day (as the API's `to`).
    pub to: NaiveDate,
    pub by: Option<Dimension>,
    pub cfrom: NaiveDate,
    pub cto: NaiveDate,
    /// The comparison period was chosen (otherwise it follows the main period).
    pub cmp_chosen: bool,
    /// The query held dates that could not be used.
    pub bad_link: bool,
}

impl DashState {
    /// Reads the query (`get` gives a parameter); anything missing or invalid falls back to
    /// the defaults.
    pub fn read(get: impl Fn(&str) -> Option<String>, today: NaiveDate) -> DashState {
        let asked = get("from").is_some() || get("to").is_some();
        let main = parse_range(get("from"), get("to"));
        let (from, to) = main.unwrap_or_else(|| default_period(today));
        let chosen = parse_range(get("cfrom"), get("cto"));
        let (cfrom, cto) = chosen.unwrap_or_else(|| previous_period(from, to));
        DashState {
            from,
            to,
            by: get("by").as_deref().and_then(Dimension::parse),
            cfrom,
            cto,
            cmp_chosen: chosen.is_some(),
            bad_link: asked && main.is_none(),
        }
    }

    /// The query string of this view.
    pub fn query(&self) -> String {
        let mut q = format!("from={}&to={}", self.from, self.to);
        if let Some(by) = self.by {
            q.push_str("&by=");
            q.push_str(by.key());
        }
        if self.cmp_chosen {
            q.push_str(&format!("&cfrom={}&cto={}", self.cfrom, self.cto));
        }
        q
    }

    /// The same view over another main period; a comparison that was not chosen follows.
    pub fn with_period(&self, from: NaiveDate, to: NaiveDate) -> DashState {
        let (cfrom, cto) = if self.cmp_chosen { (self.cfrom, self.cto) } else { previous_period(from, to) };
        DashState { from, to, cfrom, cto, bad_link: false, ..self.clone() }
    }

    pub fn with_comparison(&self, cfrom: NaiveDate, cto: NaiveDate) -> DashState {
        DashState { cfrom, cto, cmp_chosen: true, bad_link: false, ..self.clone() }
    }

    pub fn with_by(&self, by: Option<Dimension>) -> DashState {
        DashState { by, bad_link: false, ..self.clone() }
    }
}

/// `[from, to)` written for people: its first and last day and its length.
fn period_text(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    let last = to - Duration::days(1);
    let days = (to - from).num_days();
    match lang {
        Lang::Zh => format!("{from} 至 {last}（{days} {}）", t(lang, "days")),
        Lang::En => format!("{from} – {last} ({days} {})", t(lang, "days")),
    }
}

// ---------------------------------------------------------------------------------------
// KPIs: units, directions, changes
// ---------------------------------------------------------------------------------------

/// How a KPI is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Rate,
    Hours,
    Days,
    Amount,
    Score,
    PerWeek,
}

/// Which way is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// One KPI of API.md: its key (also its label's key), unit, direction, value, the tile group
/// it belongs to and why it can be missing.
#[derive(Clone, Copy)]
pub struct KpiDef {
    pub key: &'static str,
    pub unit: Unit,
    pub better: Better,
    pub get: fn(&Kpis) -> Option<f64>,
    pub group: &'static str,
    pub none: &'static str,
}

fn def(
    key: &'static str,
    unit: Unit,
    better: Better,
    group: &'static str,
    none: &'static str,
    get: fn(&Kpis) -> Option<f64>,
) -> KpiDef {
    KpiDef { key, unit, better, get, group, none }
}

/// Every KPI of API.md, in the dashboard's order.
pub fn kpi_defs() -> [KpiDef; 18] {
    use Better::{Higher, Lower};
    use Unit::*;
    [
        def("new_leads", Count, Higher, "g_pipeline", "none_new", |k| Some(k.new_leads as f64)),
        def("conversion_rate", Rate, Higher, "g_pipeline", "none_new", |k| k.conversion_rate),
        def("win_rate", Rate, Higher, "g_pipeline", "none_closed", |k| k.win_rate),
        def("avg_deal_size", Amount, Higher, "g_pipeline", "none_won", |k| k.avg_deal_size),
        def("sales_cycle_days", Days, Lower, "g_pipeline", "none_won", |k| k.sales_cycle_days),
        def("followup_conversion", Rate, Higher, "g_pipeline", "none_interactions", |k| k.followup_conversion),
        def("response_rate", Rate, Higher, "g_response", "none_new", |k| k.response_rate),
        def("response_time_hours_mean", Hours, Lower, "g_response", "none_contacted", |k| k.response_time_hours_mean),
        def("response_time_hours_median", Hours, Lower, "g_response", "none_contacted", |k| {
            k.response_time_hours_median
        }),
        def("sla_compliance", Rate, Higher, "g_response", "none_new", |k| k.sla_compliance),
        def("interaction_frequency", PerWeek, Higher, "g_discipline", "none_interactions", |k| k.interaction_frequency),
        def("plan_completion", Rate, Higher, "g_discipline", "none_tasks", |k| k.plan_completion),
        def("timely_logging", Rate, Higher, "g_discipline", "none_interactions", |k| k.timely_logging),
        def("info_completeness", Rate, Higher, "g_discipline", "none_new", |k| k.info_completeness),
        def("satisfaction_mean", Score, Higher, "g_satisfaction", "none_scores", |k| k.satisfaction_mean),
        def("satisfied_rate", Rate, Higher, "g_satisfaction", "none_scores", |k| k.satisfied_rate),
        def("dissatisfied_rate", Rate, Lower, "g_satisfaction", "none_scores", |k| k.dissatisfied_rate),
        def("feedback_closure", Rate, Higher, "g_satisfaction", "none_feedback", |k| k.feedback_closure),
    ]
}

const TILE_GROUPS: [&str; 4] = ["g_pipeline", "g_response", "g_discipline", "g_satisfaction"];

/// The KPIs of the breakdown table.
const TABLE_KPIS: [&str; 9] = [
    "new_leads",
    "conversion_rate",
    "win_rate",
    "response_rate",
    "response_time_hours_median",
    "sla_compliance",
    "avg_deal_size",
    "sales_cycle_days",
    "satisfaction_mean",
];

fn kpi_def(key: &str) -> Option<KpiDef> {
    kpi_defs().into_iter().find(|d| d.key == key)
}

/// A KPI's value as people read it; `—` when there is none.
pub fn format_value(unit: Unit, v: Option<f64>, lang: Lang) -> String {
    let Some(v) = v else { return "—".into() };
    match unit {
        Unit::Count => thousands(v.round() as i64),
        Unit::Rate => percent(v),
        Unit::Amount => cny(v),
        Unit::Hours => format!("{} {}", fixed(v, 1), t(lang, "hours")),
        Unit::Days => format!("{} {}", fixed(v, 1), t(lang, "days_unit")),
        Unit::Score => format!("{} / 5", fixed(v, 2)),
        Unit::PerWeek => format!("{} {}", fixed(v, 2), t(lang, "per_week")),
    }
}

/// `after − before`, when both are known.
pub fn absolute_change(before: Option<f64>, after: Option<f64>) -> Option<f64> {
    Some(after? - before?)
}

/// `(after − before) / |before|`; none when `before` is zero or either is unknown.
pub fn relative_change(before: Option<f64>, after: Option<f64>) -> Option<f64> {
    let (a, b) = (before?, after?);
    (a != 0.0).then(|| (b - a) / a.abs())
}

/// Whether a change is good news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Better,
    Worse,
    Same,
}

impl Verdict {
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Better => "good",
            Verdict::Worse => "bad",
            Verdict::Same => "flat",
        }
    }
}

/// Judges a change by the KPI's direction; tiny changes (rounding noise) are no change.
pub fn verdict(better: Better, change: Option<f64>) -> Option<Verdict> {
    let c = change?;
    if c.abs() < 1e-9 {
        return Some(Verdict::Same);
    }
    Some(match (better, c > 0.0) {
        (Better::Higher, true) | (Better::Lower, false) => Verdict::Better,
        _ => Verdict::Worse,
    })
}

fn signed(v: f64, decimals: usize) -> String {
    let s = fixed(v.abs(), decimals as u32);
    let zero = s.chars().all(|c| c == '0' || c == '.');
    if zero {
        s
    } else if v > 0.0 {
        format!("+{s}")
    } else {
        format!("-{s}")
    }
}

/// An absolute change as people read it: rates in percentage points, amounts in yuan.
pub fn format_change(unit: Unit, change: Option<f64>, lang: Lang) -> String {
    let Some(c) = change else { return "—".into() };
    match unit {
        Unit::Count => match c.round() as i64 {
            0 => "0".into(),
            n if n > 0 => format!("+{}", thousands(n)),
            n => thousands(n),
        },
        Unit::Rate => format!("{} {}", signed(c * 100.0, 1), t(lang, "pp")),
        Unit::Amount if c.round() > 0.0 => format!("+{}", cny(c)),
        Unit::Amount => cny(c),
        Unit::Hours => format!("{} {}", signed(c, 1), t(lang, "hours")),
        Unit::Days => format!("{} {}", signed(c, 1), t(lang, "days_unit")),
        Unit::Score => signed(c, 2),
        Unit::PerWeek => format!("{} {}", signed(c, 2), t(lang, "per_week")),
    }
}

/// A relative change as a signed percentage.
pub fn format_relative(change: Option<f64>) -> String {
    match change {
        None => "—".into(),
        Some(c) => {
            let p = percent(c);
            if p.starts_with('-') || p == "0.0%" {
                p
            } else {
                format!("+{p}")
            }
        }
    }
}

fn arrow(v: Option<Verdict>, change: Option<f64>) -> &'static str {
    match (v, change) {
        (Some(Verdict::Same), _) | (None, _) | (_, None) => "",
        (_, Some(c)) if c > 0.0 => "▲ ",
        _ => "▼ ",
    }
}

// ---------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------

/// What a group is called: sources by their label, owners and teams by their name, the
/// null group as "not set".
pub fn group_label(by: Option<Dimension>, key: Option<&str>, names: &HashMap<String, String>, lang: Lang) -> String {
    let Some(key) = key else {
        return t(lang, "not_set").into();
    };
    match by {
        Some(Dimension::Source) => Source::parse(key).map(|s| s.label(lang).to_owned()).unwrap_or_else(|| key.into()),
        Some(Dimension::Owner | Dimension::Team) => names.get(key).cloned().unwrap_or_else(|| key.into()),
        _ => key.into(),
    }
}

/// The names of reps and teams by key.
fn names_of(people: &People) -> HashMap<String, String> {
    people.reps.iter().chain(&people.teams).map(|p| (p.key.clone(), p.name.clone())).collect()
}

/// How the breakdown table is sorted: by a KPI of [`TABLE_KPIS`] or (none) by the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Option<usize>,
    pub descending: bool,
}

/// Sorts labelled rows; rows without a value always come last.
pub fn sort_rows(rows: &mut [(String, Kpis)], sort: Sort) {
    let get = sort.column.and_then(|c| TABLE_KPIS.get(c)).and_then(|k| kpi_def(k)).map(|d| d.get);
    rows.sort_by(|a, b| {
        let ordering = match get {
            None => a.0.cmp(&b.0),
            Some(get) => match (get(&a.1), get(&b.1)) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => return std::cmp::Ordering::Less,
                (None, Some(_)) => return std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
        };
        if sort.descending {
            ordering.reverse()
        } else {
            ordering
        }
    });
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

// ---------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------

/// The state of the live connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Live {
    Connecting,
    On,
    Lost,
}

fn error_view(e: &UiError, lang: Lang) -> AnyView {
    view! { <p class="dash-error" role="alert">{e.message(lang)}</p> }.into_any()
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_ui().lang;
    let query = use_query_map();
    let today = today_shanghai();
    let state = Memo::new(move |_| query.with(|q| DashState::read(|k| q.get(k), today)));
    let navigate = use_navigate();
    let go = move |next: DashState| {
        navigate(&format!("/dashboard?{}", next.query()), NavigateOptions { scroll: false, ..Default::default() });
    };

    let report = crate::wire::resource(
        move || state.with(|s| (s.from.to_string(), s.to.to_string(), s.by.map(|b| b.key().to_owned()))),
        |(from, to, by)| load_kpis(from, to, by),
    );
    let compare = crate::wire::resource(
        move || state.with(|s| (s.cfrom.to_string(), s.cto.to_string())),
        |(from, to)| load_kpis(from, to, None),
    );
    let trend = crate::wire::resource(
        move || state.with(|s| (s.from.to_string(), s.to.to_string())),
        |(from, to)| load_trend(from, to),
    );
    let people = crate::wire::resource(
        move || state.with(|s| matches!(s.by, Some(Dimension::Owner | Dimension::Team))),
        |needed| async move {
            if needed {
                load_people().await
            } else {
                Ok(People::default())
            }
        },
    );

    let live = RwSignal::new(Live::Connecting);
    follow_live(live, move || {
        report.refetch();
        compare.refetch();
        trend.refetch();
    });

    view! {
        <div class="dash">
            <Controls state=state go=go.clone() today=today live=live/>
            <Transition fallback=move || view! { <p class="dash-loading">{move || t(lang.get(), "loading")}</p> }>
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
            <div class="dash-grid">
                <section class="card dash-card" aria-labelledby="funnel-title">
                    <h2 id="funnel-title">{move || t(lang.get(), "funnel")}</h2>
                    <p class="hint">{move || t(lang.get(), "funnel_hint")}</p>
                    <Transition fallback=move || view! { <p class="dash-loading">{move || t(lang.get(), "loading")}</p> }>
                        {move || Suspend::new(async move {
                            match report.await {
                                Err(e) => view! { {move || error_view(&e, lang.get())} }.into_any(),
                                Ok(r) => view! { <FunnelChart new_leads=r.total.new_leads steps=r.total.funnel.clone()/> }.into_any(),
                            }
                        })}
                    </Transition>
                </section>
                <section class="card dash-card" aria-labelledby="trend-title">
                    <h2 id="trend-title">{move || t(lang.get(), "trends")}</h2>
                    <p class="hint">{move || t(lang.get(), "trend_hint")}</p>
                    <Transition fallback=move || view! { <p class="dash-loading">{move || t(lang.get(), "loading")}</p> }>
                        {move || Suspend::new(async move {
                            match trend.await {
                                Err(e) => view! { {move || error_view(&e, lang.get())} }.into_any(),
                                Ok(points) => view! { {move || trend_charts(lang.get(), &points)} }.into_any(),
                            }
                        })}
                    </Transition>
                </section>
            </div>
            <section class="card dash-card" aria-labelledby="breakdown-title">
                <h2 id="breakdown-title">
                    {move || t(lang.get(), "breakdown")}
                    {move || state.with(|s| s.by).map(|b| format!(" · {}", t(lang.get(), b.key())))}
                </h2>
                <Breakdown state=state go=go.clone() report=report people=people/>
            </section>
            <section class="card dash-card" aria-labelledby="compare-title">
                <h2 id="compare-title">{move || t(lang.get(), "compare")}</h2>
                <p class="hint">{move || t(lang.get(), "compare_hint")}</p>
                <ComparisonPicker state=state go=go/>
                <Transition fallback=move || view! { <p class="dash-loading">{move || t(lang.get(), "loading")}</p> }>
                    {move || Suspend::new(async move {
                        let (r, c) = (report.await, compare.await);
                        match (r, c) {
                            (Err(e), _) | (_, Err(e)) => view! { {move || error_view(&e, lang.get())} }.into_any(),
                            (Ok(r), Ok(c)) => view! {
                                {move || comparison_table(lang.get(), &state.get_untracked(), &c.total, &r.total)}
                            }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </div>
    }
}

/// Listens to the live events ([`crate::wire::EVENTS_URL`]) while the page is open (in the browser only) and calls
/// `refresh` ~300 ms after the last of a burst of changes, and after a reconnection.
fn follow_live(live: RwSignal<Live>, refresh: impl Fn() + Clone + 'static) {
    Effect::new(move |_| {
        use leptos::__reexports::send_wrapper::SendWrapper;
        use std::cell::Cell;
        use std::rc::Rc;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;

        let Ok(source) = web_sys::EventSource::new(crate::wire::EVENTS_URL) else {
            live.set(Live::Lost);
            return;
        };
        let timer: Rc<Cell<Option<TimeoutHandle>>> = Rc::default();
        let schedule = {
            let timer = Rc::clone(&timer);
            let refresh = refresh.clone();
            move || {
                if let Some(pending) = timer.take() {
                    pending.clear();
                }
                let refresh = refresh.clone();
                timer.set(set_timeout_with_handle(refresh, std::time::Duration::from_millis(300)).ok());
            }
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
            let schedule = schedule.clone();
            move |ev: web_sys::MessageEvent| {
                // Every kind (a changed lead, an import, a resync) may move the numbers.
                if ev.data().as_string().is_some_and(|d| crate::wire::PageEvent::decode(&d).is_some()) {
                    schedule();
                }
            }
        });
        let was_lost = Rc::new(Cell::new(false));
        let on_open = Closure::<dyn FnMut()>::new({
            let was_lost = Rc::clone(&was_lost);
            move || {
                live.set(Live::On);
                // Changes made while disconnected were missed: catch up.
                if was_lost.replace(false) {
                    schedule();
                }
            }
        });
        let on_error = Closure::<dyn FnMut()>::new(move || {
            was_lost.set(true);
            live.set(Live::Lost);
        });
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let held = SendWrapper::new((source, on_message, on_open, on_error, timer));
        on_cleanup(move || {
            let (source, _on_message, _on_open, _on_error, timer) = held.take();
            source.set_onmessage(None);
            source.set_onopen(None);
            source.set_onerror(None);
            source.close();
            if let Some(pending) = timer.take() {
                pending.clear();
            }
        });
    });
}

/// The period and slice pickers and the live indicator.
#[component]
fn Controls(
    state: Memo<DashState>,
    go: impl Fn(DashState) + Clone + 'static,
    today: NaiveDate,
    live: RwSignal<Live>,
) -> impl IntoView {
    let lang = use_ui().lang;
    let problem = RwSignal::new(false);
    let set_from = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let s = state.get_untracked();
            match parse_day(&event_target_value(&ev)) {
                Some(from) if from < s.to => {
                    problem.set(false);
                    go(s.with_period(from, s.to));
                }
                _ => problem.set(true),
            }
        }
    };
    let set_to = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let s = state.get_untracked();
            match parse_day(&event_target_value(&ev)).map(|d| d + Duration::days(1)) {
                Some(to) if s.from < to => {
                    problem.set(false);
                    go(s.with_period(s.from, to));
                }
                _ => problem.set(true),
            }
        }
    };
    let set_by = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let by = Dimension::parse(&event_target_value(&ev));
            go(state.get_untracked().with_by(by));
        }
    };
    let presets = Preset::ALL
        .into_iter()
        .map(|p| {
            let go = go.clone();
            let (from, to) = p.range(today);
            let active = move || state.with(|s| s.from == from && s.to == to);
            view! {
                <button type="button" class="preset" class:active=active aria-pressed=move || active().to_string()
                    on:click=move |_| {
                        problem.set(false);
                        go(state.get_untracked().with_period(from, to));
                    }>
                    {move || t(lang.get(), p.key())}
                </button>
            }
        })
        .collect_view();
    let by_key = move || state.with(|s| s.by.map(|b| b.key()).unwrap_or(""));
    let dims = Dimension::ALL
        .into_iter()
        .map(|d| {
            view! { <option value=d.key() selected=move || by_key() == d.key()>{move || t(lang.get(), d.key())}</option> }
        })
        .collect_view();
    let from_value = move || state.with(|s| s.from.to_string());
    let to_value = move || state.with(|s| (s.to - Duration::days(1)).to_string());
    view! {
        <header class="card dash-controls">
            <div class="dash-head">
                <h1>{move || t(lang.get(), "title")}</h1>
                <span class=move || match live.get() { Live::On => "live on", Live::Connecting => "live", Live::Lost => "live lost" }
                    title=move || t(lang.get(), "live_hint") role="status">
                    <i aria-hidden="true"></i>
                    {move || match live.get() {
                        Live::On => t(lang.get(), "live_on"),
                        Live::Connecting => t(lang.get(), "live_wait"),
                        Live::Lost => t(lang.get(), "live_lost"),
                    }}
                </span>
            </div>
            <p class="dash-period" data-testid="period">{move || state.with(|s| period_text(s.from, s.to, lang.get()))}</p>
            <div class="dash-pickers">
                <label class="field">
                    <span>{move || t(lang.get(), "from")}</span>
                    <input type="date" data-testid="from" value=from_value prop:value=from_value on:change=set_from/>
                </label>
                <label class="field">
                    <span>{move || t(lang.get(), "to")}</span>
                    <input type="date" data-testid="to" value=to_value prop:value=to_value on:change=set_to/>
                </label>
                <label class="field">
                    <span>{move || t(lang.get(), "by")}</span>
                    <select data-testid="by" prop:value=by_key on:change=set_by>
                        <option value="" selected=move || by_key().is_empty()>{move || t(lang.get(), "by_none")}</option>
                        {dims}
                    </select>
                </label>
            </div>
            <div class="presets" role="group" aria-label=move || t(lang.get(), "presets")>{presets}</div>
            <Show when=move || problem.get()>
                <p class="form-error" role="alert">{move || t(lang.get(), "bad_range")}</p>
            </Show>
            <Show when=move || state.with(|s| s.bad_link)>
                <p class="form-error" role="alert">{move || t(lang.get(), "bad_link")}</p>
            </Show>
        </header>
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
                        None => format!("{}：{}", t(lang, "no_data"), t(lang, d.none)),
                        Some(_) => String::new(),
                    };
                    let delta = before.map(|before| {
                        let change = absolute_change(before, value);
                        let v = verdict(d.better, change);
                        let class = format!("kpi-delta {}", v.map(Verdict::class).unwrap_or("flat"));
                        view! {
                            <span class=class>
                                {format!("{}{} {}", arrow(v, change), format_change(d.unit, change, lang), t(lang, "vs"))}
                            </span>
                        }
                    });
                    view! {
                        <div class="kpi-tile" data-kpi=d.key>
                            <span class="kpi-label">{t(lang, d.key)}</span>
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
                <section class="kpi-group" aria-label=t(lang, group)>
                    <h2>{t(lang, group)}</h2>
                    <div class="kpi-tiles">{items}</div>
                </section>
            }
        })
        .collect_view();
    view! { <div class="kpi-groups" data-testid="kpis">{groups}</div> }.into_any()
}

/// The two weekly trend charts.
fn trend_charts(lang: Lang, points: &[TrendPoint]) -> AnyView {
    if points.is_empty() {
        return view! { <p class="chart-empty">{t(lang, "no_data")}</p> }.into_any();
    }
    let labels: Vec<String> = points.iter().map(|p| short_day(&p.from)).collect();
    let tips: Vec<String> = points.iter().map(week_text).collect();
    let leads = vec![Series {
        name: t(lang, "new_leads").into(),
        class: "s1",
        values: points.iter().map(|p| Some(p.kpis.new_leads as f64)).collect(),
    }];
    let rates = vec![
        Series {
            name: t(lang, "conversion_rate").into(),
            class: "s1",
            values: points.iter().map(|p| p.kpis.conversion_rate).collect(),
        },
        Series {
            name: t(lang, "response_rate").into(),
            class: "s2",
            values: points.iter().map(|p| p.kpis.response_rate).collect(),
        },
    ];
    view! {
        <div class="trend-charts">
            <div>
                <h3>{t(lang, "trend_leads")}</h3>
                <LineChart label=t(lang, "trend_leads") labels=labels.clone() tips=tips.clone() series=leads
                    measure=Measure::Count area=true/>
            </div>
            <div>
                <h3>{t(lang, "trend_rates")}</h3>
                <LineChart label=t(lang, "trend_rates") labels=labels tips=tips series=rates measure=Measure::Rate/>
            </div>
        </div>
    }
    .into_any()
}

/// The breakdown by the chosen dimension: a chart and a sortable table.
#[component]
fn Breakdown(
    state: Memo<DashState>,
    go: impl Fn(DashState) + Clone + 'static,
    report: crate::wire::WireResource<Result<KpiReport, UiError>>,
    people: crate::wire::WireResource<Result<People, UiError>>,
) -> impl IntoView {
    let lang = use_ui().lang;
    let sort = RwSignal::new(Sort { column: Some(0), descending: true });
    let quick = [Dimension::Source, Dimension::Grade, Dimension::Owner, Dimension::Team]
        .into_iter()
        .map(|d| {
            let go = go.clone();
            view! {
                <button type="button" class="preset" on:click=move |_| go(state.get_untracked().with_by(Some(d)))>
                    {move || t(lang.get(), d.key())}
                </button>
            }
        })
        .collect_view();
    view! {
        <Show when=move || state.with(|s| s.by.is_none())>
            <p class="hint">{move || t(lang.get(), "breakdown_hint")}</p>
        </Show>
        <div class="presets" class:hidden=move || state.with(|s| s.by.is_some())>{quick}</div>
        <Transition fallback=move || view! { <p class="dash-loading">{move || t(lang.get(), "loading")}</p> }>
            {move || Suspend::new(async move {
                let (r, p) = (report.await, people.await);
                let names = p.as_ref().map(names_of).unwrap_or_default();
                match r {
                    Err(e) => view! { {move || error_view(&e, lang.get())} }.into_any(),
                    Ok(r) => view! { {move || breakdown_view(lang.get(), &r, &names, sort)} }.into_any(),
                }
            })}
        </Transition>
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
                None => t(lang, "group"),
                Some(c) => t(lang, TABLE_KPIS[c]),
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
            .filter_map(|key| kpi_def(key))
            .map(|d| {
                let v = (d.get)(k);
                let tip =
                    if v.is_none() { format!("{}：{}", t(lang, "no_data"), t(lang, d.none)) } else { String::new() };
                view! { <td class="num" title=tip>{format_value(d.unit, v, lang)}</td> }
            })
            .collect_view()
    };
    let body =
        rows.iter().map(|(label, k)| view! { <tr><th scope="row">{label.clone()}</th>{cells(k)}</tr> }).collect_view();
    let total = view! { <tr class="total"><th scope="row">{t(lang, "all")}</th>{cells(&report.total)}</tr> };
    view! {
        <BreakdownChart rows=bars/>
        <p class="hint">{t(lang, "sort_hint")}</p>
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

/// The comparison period's picker.
#[component]
fn ComparisonPicker(state: Memo<DashState>, go: impl Fn(DashState) + Clone + 'static) -> impl IntoView {
    let lang = use_ui().lang;
    let problem = RwSignal::new(false);
    let set_from = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let s = state.get_untracked();
            match parse_day(&event_target_value(&ev)) {
                Some(from) if from < s.cto => {
                    problem.set(false);
                    go(s.with_comparison(from, s.cto));
                }
                _ => problem.set(true),
            }
        }
    };
    let set_to = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let s = state.get_untracked();
            match parse_day(&event_target_value(&ev)).map(|d| d + Duration::days(1)) {
                Some(to) if s.cfrom < to => {
                    problem.set(false);
                    go(s.with_comparison(s.cfrom, to));
                }
                _ => problem.set(true),
            }
        }
    };
    let previous = {
        let go = go.clone();
        move |_| {
            let s = state.get_untracked();
            let (f, t) = previous_period(s.from, s.to);
            problem.set(false);
            go(s.with_comparison(f, t));
        }
    };
    let last_year = move |_| {
        let s = state.get_untracked();
        let (f, t) = year_before(s.from, s.to);
        problem.set(false);
        go(s.with_comparison(f, t));
    };
    let is_previous = move || state.with(|s| (s.cfrom, s.cto) == previous_period(s.from, s.to));
    let is_last_year = move || state.with(|s| (s.cfrom, s.cto) == year_before(s.from, s.to));
    let from_value = move || state.with(|s| s.cfrom.to_string());
    let to_value = move || state.with(|s| (s.cto - Duration::days(1)).to_string());
    view! {
        <div class="dash-pickers compare-pickers">
            <label class="field">
                <span>{move || format!("{} · {}", t(lang.get(), "cmp_period"), t(lang.get(), "from"))}</span>
                <input type="date" data-testid="cfrom" value=from_value prop:value=from_value on:change=set_from/>
            </label>
            <label class="field">
                <span>{move || t(lang.get(), "to")}</span>
                <input type="date" data-testid="cto" value=to_value prop:value=to_value on:change=set_to/>
            </label>
            <div class="presets">
                <button type="button" class="preset" class:active=is_previous on:click=previous>
                    {move || t(lang.get(), "previous")}
                </button>
                <button type="button" class="preset" class:active=is_last_year on:click=last_year>
                    {move || t(lang.get(), "last_year")}
                </button>
            </div>
        </div>
        <Show when=move || problem.get()>
            <p class="form-error" role="alert">{move || t(lang.get(), "bad_range")}</p>
        </Show>
    }
}

/// Every KPI in both periods, with the absolute and relative change judged by its direction.
fn comparison_table(lang: Lang, s: &DashState, before: &Kpis, after: &Kpis) -> AnyView {
    let rows = kpi_defs()
        .into_iter()
        .map(|d| {
            let (b, a) = ((d.get)(before), (d.get)(after));
            let change = absolute_change(b, a);
            let rel = relative_change(b, a);
            let v = verdict(d.better, change);
            let class = v.map(Verdict::class).unwrap_or("flat");
            let judged = match v {
                Some(Verdict::Better) => t(lang, "better"),
                Some(Verdict::Worse) => t(lang, "worse"),
                _ => "",
            };
            let null_tip = |x: Option<f64>| {
                if x.is_none() {
                    format!("{}：{}", t(lang, "no_data"), t(lang, d.none))
                } else {
                    String::new()
                }
            };
            let rel_tip = if rel.is_none() && change.is_some() { t(lang, "rel_none") } else { "" };
            view! {
                <tr data-kpi=d.key class=class>
                    <th scope="row">{t(lang, d.key)}</th>
                    <td class="num" title=null_tip(b)>{format_value(d.unit, b, lang)}</td>
                    <td class="num" title=null_tip(a)>{format_value(d.unit, a, lang)}</td>
                    <td class="num change" title=judged>{format!("{}{}", arrow(v, change), format_change(d.unit, change, lang))}</td>
                    <td class="num change" title=rel_tip>{format_relative(rel)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="dash-table compare-table" data-testid="comparison">
                <thead>
                    <tr>
                        <th scope="col">{t(lang, "kpi")}</th>
                        <th scope="col" class="num">{t(lang, "cmp_period")}<small>{period_text(s.cfrom, s.cto, lang)}</small></th>
                        <th scope="col" class="num">{t(lang, "this_period")}<small>{period_text(s.from, s.to, lang)}</small></th>
                        <th scope="col" class="num">{t(lang, "change")}</th>
                        <th scope="col" class="num">{t(lang, "rel_change")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::FunnelStep;

    fn day(s: &str) -> NaiveDate {
        parse_day(s).unwrap()
    }

    fn kpis(new_leads: u64, conversion: Option<f64>) -> Kpis {
        Kpis {
            new_leads,
            conversion_rate: conversion,
            win_rate: None,
            response_rate: None,
            response_time_hours_mean: None,
            response_time_hours_median: None,
            sla_compliance: None,
            interaction_frequency: None,
            plan_completion: None,
            info_completeness: None,
            avg_deal_size: None,
            sales_cycle_days: None,
            followup_conversion: None,
            satisfaction_mean: None,
            satisfied_rate: None,
            dissatisfied_rate: None,
            timely_logging: None,
            feedback_closure: None,
            funnel: Vec::<FunnelStep>::new(),
        }
    }

    #[test]
    fn presets_cover_whole_months_and_quarters() {
        let today = day("2026-11-24");
        assert_eq!(Preset::ThisMonth.range(today), (day("2026-11-01"), day("2026-12-01")));
        assert_eq!(Preset::LastMonth.range(today), (day("2026-10-01"), day("2026-11-01")));
        assert_eq!(Preset::ThisQuarter.range(today), (day("2026-10-01"), day("2027-01-01")));
        assert_eq!(Preset::LastQuarter.range(today), (day("2026-07-01"), day("2026-10-01")));
        assert_eq!(Preset::Last30.range(today), (day("2026-10-26"), day("2026-11-25")));
        let jan = day("2027-01-15");
        assert_eq!(Preset::LastMonth.range(jan), (day("2026-12-01"), day("2027-01-01")));
        assert_eq!(Preset::LastQuarter.range(jan), (day("2026-10-01"), day("2027-01-01")));
        assert_eq!(Preset::ThisQuarter.range(day("2026-03-31")), (day("2026-01-01"), day("2026-04-01")));
    }

    #[test]
    fn the_default_is_the_last_90_days_up_to_tomorrow() {
        let (from, to) = default_period(day("2026-11-24"));
        assert_eq!(to, day("2026-11-25"));
        assert_eq!((to - from).num_days(), 90);
        assert_eq!(previous_period(from, to), (day("2026-05-29"), from));
        assert_eq!(year_before(day("2024-02-29"), day("2024-03-31")), (day("2023-02-28"), day("2023-03-31")));
    }

    #[test]
    fn the_view_round_trips_through_the_url() {
        let today = day("2026-11-24");
        let q = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string())
        };
        let s = DashState::read(q(&[("from", "2026-01-01"), ("to", "2026-04-01"), ("by", "grade")]), today);
        assert_eq!((s.from, s.to, s.by), (day("2026-01-01"), day("2026-04-01"), Some(Dimension::Grade)));
        assert_eq!((s.cfrom, s.cto), (day("2025-10-03"), day("2026-01-01")));
        assert!(!s.cmp_chosen && !s.bad_link);
        assert_eq!(s.query(), "from=2026-01-01&to=2026-04-01&by=grade");
        let chosen = s.with_comparison(day("2025-01-01"), day("2025-04-01"));
        let back = DashState::read(
            |k| chosen.query().split('&').find_map(|p| p.strip_prefix(&format!("{k}=")).map(str::to_owned)),
            today,
        );
        assert_eq!(back, chosen);
        // A comparison that was chosen stays when the period moves; one that was not follows.
        assert_eq!(chosen.with_period(day("2026-02-01"), day("2026-03-01")).cfrom, day("2025-01-01"));
        assert_eq!(s.with_period(day("2026-02-01"), day("2026-03-01")).cfrom, day("2026-01-04"));
        // Nothing, or something unusable, gives the default.
        let empty = DashState::read(|_| None, today);
        assert_eq!((empty.from, empty.to), default_period(today));
        assert!(!empty.bad_link);
        let bad = DashState::read(q(&[("from", "2026-05-01"), ("to", "2026-04-01"), ("by", "colour")]), today);
        assert_eq!((bad.from, bad.to, bad.by), (default_period(today).0, default_period(today).1, None));
        assert!(bad.bad_link);
    }

    #[test]
    fn values_are_written_for_people() {
        assert_eq!(format_value(Unit::Rate, Some(0.1234), Lang::Zh), "12.3%");
        assert_eq!(format_value(Unit::Rate, None, Lang::Zh), "—");
        assert_eq!(format_value(Unit::Amount, Some(1_234_567.4), Lang::En), "¥1,234,567");
        assert_eq!(format_value(Unit::Count, Some(1234.0), Lang::En), "1,234");
        assert_eq!(format_value(Unit::Hours, Some(5.25), Lang::En), "5.2 h");
        assert_eq!(format_value(Unit::Days, Some(30.0), Lang::Zh), "30.0 天");
        assert_eq!(format_value(Unit::Score, Some(4.2), Lang::En), "4.20 / 5");
    }

    #[test]
    fn changes_are_absolute_and_relative() {
        assert_eq!(relative_change(Some(0.0), Some(5.0)), None);
        assert_eq!(relative_change(None, Some(5.0)), None);
        assert_eq!(relative_change(Some(5.0), None), None);
        assert_eq!(relative_change(Some(40.0), Some(50.0)), Some(0.25));
        assert_eq!(relative_change(Some(-4.0), Some(-2.0)), Some(0.5));
        assert_eq!(absolute_change(Some(0.2), None), None);
        assert!((absolute_change(Some(0.2), Some(0.25)).unwrap() - 0.05).abs() < 1e-12);
        assert_eq!(format_change(Unit::Rate, Some(0.023), Lang::Zh), "+2.3 个百分点");
        assert_eq!(format_change(Unit::Rate, Some(-0.023), Lang::En), "-2.3 pp");
        assert_eq!(format_change(Unit::Rate, Some(0.0), Lang::En), "0.0 pp");
        assert_eq!(format_change(Unit::Count, Some(12.0), Lang::En), "+12");
        assert_eq!(format_change(Unit::Count, Some(-1200.0), Lang::En), "-1,200");
        assert_eq!(format_change(Unit::Amount, Some(1500.0), Lang::En), "+¥1,500");
        assert_eq!(format_change(Unit::Amount, Some(-1500.0), Lang::En), "-¥1,500");
        assert_eq!(format_change(Unit::Hours, None, Lang::En), "—");
        assert_eq!(format_relative(Some(0.25)), "+25.0%");
        assert_eq!(format_relative(Some(-0.1)), "-10.0%");
        assert_eq!(format_relative(None), "—");
    }

    #[test]
    fn each_kpi_is_judged_by_its_direction() {
        let d = |k: &str| kpi_def(k).unwrap();
        assert_eq!(verdict(d("conversion_rate").better, Some(0.02)), Some(Verdict::Better));
        assert_eq!(verdict(d("conversion_rate").better, Some(-0.02)), Some(Verdict::Worse));
        assert_eq!(verdict(d("response_time_hours_mean").better, Some(-3.0)), Some(Verdict::Better));
        assert_eq!(verdict(d("response_time_hours_median").better, Some(3.0)), Some(Verdict::Worse));
        assert_eq!(verdict(d("dissatisfied_rate").better, Some(0.01)), Some(Verdict::Worse));
        assert_eq!(verdict(d("sales_cycle_days").better, Some(-2.0)), Some(Verdict::Better));
        assert_eq!(verdict(d("new_leads").better, Some(0.0)), Some(Verdict::Same));
        assert_eq!(verdict(d("win_rate").better, None), None);
    }

    #[test]
    fn every_kpi_of_the_api_has_a_tile() {
        let keys: Vec<&str> = kpi_defs().iter().map(|d| d.key).collect();
        let json = serde_json::to_value(kpis(3, Some(0.5))).unwrap();
        let api: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).filter(|k| *k != "funnel").collect();
        assert_eq!(keys.len(), api.len());
        for k in api {
            assert!(keys.contains(&k), "{k}");
        }
        let k = kpis(3, Some(0.5));
        assert_eq!((kpi_def("new_leads").unwrap().get)(&k), Some(3.0));
        assert_eq!((kpi_def("conversion_rate").unwrap().get)(&k), Some(0.5));
        for d in kpi_defs() {
            assert!(TILE_GROUPS.contains(&d.group), "{}", d.key);
        }
    }

    #[test]
    fn groups_are_named_and_sorted_with_missing_values_last() {
        let names: HashMap<String, String> = [("r11".to_string(), "王伟".to_string())].into();
        assert_eq!(group_label(Some(Dimension::Owner), Some("r11"), &names, Lang::Zh), "王伟");
        assert_eq!(group_label(Some(Dimension::Owner), Some("r99"), &names, Lang::Zh), "r99");
        assert_eq!(group_label(Some(Dimension::Source), Some("trade_show"), &names, Lang::Zh), "展会");
        assert_eq!(group_label(Some(Dimension::Region), None, &names, Lang::Zh), "未填写");
        assert_eq!(group_label(Some(Dimension::Region), None, &names, Lang::En), "Not set");
        let mut rows = vec![
            ("B".to_string(), kpis(5, None)),
            ("A".to_string(), kpis(9, Some(0.1))),
            ("C".to_string(), kpis(1, Some(0.3))),
        ];
        sort_rows(&mut rows, Sort { column: Some(1), descending: true });
        assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["C", "A", "B"]);
        sort_rows(&mut rows, Sort { column: Some(1), descending: false });
        assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["A", "C", "B"]);
        sort_rows(&mut rows, Sort { column: Some(0), descending: true });
        assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["A", "B", "C"]);
        sort_rows(&mut rows, Sort { column: None, descending: false });
        assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["A", "B", "C"]);
    }

    #[test]
    fn every_text_speaks_both_languages() {
        let mut keys = vec![
            "title",
            "period",
            "from",
            "to",
            "days",
            "by",
            "by_none",
            "presets",
            "bad_range",
            "bad_link",
            "live_on",
            "live_wait",
            "live_lost",
            "live_hint",
            "loading",
            "no_data",
            "vs",
            "hours",
            "days_unit",
            "per_week",
            "pp",
            "funnel",
            "funnel_hint",
            "trends",
            "trend_leads",
            "trend_rates",
            "trend_hint",
            "week_of",
            "breakdown",
            "breakdown_hint",
            "group",
            "not_set",
            "all",
            "sort_hint",
            "compare",
            "compare_hint",
            "cmp_period",
            "previous",
            "last_year",
            "kpi",
            "this_period",
            "change",
            "rel_change",
            "rel_none",
            "better",
            "worse",
        ];
        keys.extend(Preset::ALL.iter().map(|p| p.key()));
        keys.extend(Dimension::ALL.iter().map(|d| d.key()));
        keys.extend(TILE_GROUPS);
        for d in kpi_defs() {
            keys.push(d.key);
            keys.push(d.none);
        }
        for key in keys {
            assert!(!t(Lang::Zh, key).is_empty() && !t(Lang::En, key).is_empty(), "{key}");
            assert_ne!(t(Lang::Zh, key), t(Lang::En, key), "{key}");
        }
    }
}
