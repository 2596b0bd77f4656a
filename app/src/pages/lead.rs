//! One lead: its profile, its score and grade with the four parts, where it stands in the
//! pipeline, and its history (follow-ups, stage changes, tasks, feedback), newest first, with
//! a quick form to log a follow-up (PRODUCT.md §2, §3, §5).
use crate::domain::enums::{Channel, Direction, Mood, Status, TaskKind};
use crate::domain::history::TimelineEntry;
use crate::domain::lead::Lead;
use crate::domain::validate::Problem;
use crate::error::UiError;
use crate::format::{cny, cny_opt, date_time, from_local_input, now, thousands, to_local_input};
use crate::i18n::Lang;
use crate::pages::lead_form::server_message;
use crate::server_fns::leads::{lead_detail, log_follow_up, LeadDetail};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::{Map, Value};

/// Text of the page in both languages.
fn t(lang: Lang, key: &str) -> &'static str {
    let zh = lang == Lang::Zh;
    match key {
        "back" if zh => "← 线索列表",
        "back" => "← Leads",
        "loading" if zh => "正在加载线索…",
        "loading" => "Loading the lead…",
        "owner" if zh => "负责人",
        "owner" => "Owner",
        "unassigned" if zh => "未分配",
        "unassigned" => "Unassigned",
        "status" if zh => "状态",
        "status" => "Status",
        "since" if zh => "进入当前阶段",
        "since" => "In this stage since",
        "score" if zh => "线索评分",
        "score" => "Lead score",
        "company_size" if zh => "企业规模",
        "company_size" => "Company size",
        "budget_match" if zh => "预算匹配",
        "budget_match" => "Budget match",
        "urgency" if zh => "需求紧迫性",
        "urgency" => "Urgency",
        "chain_part" if zh => "决策链清晰度",
        "chain_part" => "Decision chain",
        "total" if zh => "总分",
        "total" => "Total",
        "grade" if zh => "等级",
        "grade" => "Grade",
        "profile" if zh => "客户档案",
        "profile" => "Profile",
        "source" if zh => "来源",
        "source" => "Source",
        "source_details" if zh => "来源详情",
        "source_details" => "Source details",
        "industry" if zh => "行业",
        "industry" => "Industry",
        "region" if zh => "地区",
        "region" => "Region",
        "employees" if zh => "员工人数",
        "employees" => "Employees",
        "contact" if zh => "联系人",
        "contact" => "Contact",
        "phone" if zh => "电话",
        "phone" => "Phone",
        "email" if zh => "邮箱",
        "email" => "Email",
        "need" if zh => "需求描述",
        "need" => "Need",
        "pain_points" if zh => "痛点",
        "pain_points" => "Pain points",
        "expected_solution" if zh => "期望方案",
        "expected_solution" => "Expected solution",
        "budget" if zh => "预算",
        "budget" => "Budget",
        "decision_months" if zh => "预计决策时间",
        "decision_months" => "Decision within",
        "months" if zh => "个月",
        "months" => "months",
        "decision_chain" if zh => "决策链",
        "decision_chain" => "Decision chain",
        "strategy" if zh => "跟进策略",
        "strategy" => "Strategy variant",
        "tags" if zh => "标签",
        "tags" => "Tags",
        "verified" if zh => "信息核实",
        "verified" => "Verified",
        "yes_verified" if zh => "已核实",
        "yes_verified" => "Verified",
        "not_verified" if zh => "未核实",
        "not_verified" => "Not verified",
        "created" if zh => "创建时间",
        "created" => "Created",
        "assigned" if zh => "分配时间",
        "assigned" => "Assigned",
        "first_contact" if zh => "首次联系",
        "first_contact" => "First contact",
        "none_yet" if zh => "尚未联系",
        "none_yet" => "Not yet",
        "deal_amount" if zh => "成交金额",
        "deal_amount" => "Deal amount",
        "won_at" if zh => "成交时间",
        "won_at" => "Won on",
        "loss_reason" if zh => "流失原因",
        "loss_reason" => "Loss reason",
        "lost_at" if zh => "流失时间",
        "lost_at" => "Lost on",
        "log" if zh => "记录跟进",
        "log" => "Log a follow-up",
        "channel" if zh => "方式",
        "channel" => "Channel",
        "direction" if zh => "发起方",
        "direction" => "Direction",
        "occurred_at" if zh => "跟进时间（北京时间）",
        "occurred_at" => "When (Beijing time)",
        "responded" if zh => "客户有回应（接听、回复或出席）",
        "responded" => "The customer responded (answered, replied or attended)",
        "summary" if zh => "跟进摘要",
        "summary" => "Summary",
        "summary_hint" if zh => "谈了什么、客户怎么说、下一步是什么",
        "summary_hint" => "What was discussed, what the customer said, what comes next",
        "bant" if zh => "BANT 记录、需求变化与反馈（可选）",
        "bant" => "BANT notes, needs change and feedback (optional)",
        "bant_background" if zh => "背景",
        "bant_background" => "Background",
        "bant_pain" if zh => "难点",
        "bant_pain" => "Pain",
        "bant_need" if zh => "需求",
        "bant_need" => "Need",
        "bant_value" if zh => "价值",
        "bant_value" => "Value",
        "needs_change" if zh => "需求变化",
        "needs_change" => "Needs change",
        "feedback" if zh => "客户反馈",
        "feedback" => "Customer feedback",
        "decision_progress" if zh => "决策进展",
        "decision_progress" => "Decision progress",
        "mood" if zh => "客户情绪",
        "mood" => "Customer mood",
        "satisfaction" if zh => "满意度（1–5，可选）",
        "satisfaction" => "Satisfaction (1–5, optional)",
        "not_rated" if zh => "未评价",
        "not_rated" => "Not rated",
        "not_noted" if zh => "未记录",
        "not_noted" => "Not noted",
        "stage_after" if zh => "跟进后阶段",
        "stage_after" => "Stage after",
        "unchanged" if zh => "不变",
        "unchanged" => "Unchanged",
        "stage_hint" if zh => "成交或流失请在销售看板上移动卡片（需填写金额或原因）。",
        "stage_hint" => "Move a lead to won or lost on the pipeline board (it asks for the amount or reason).",
        "next_follow_up_at" if zh => "下次跟进时间（可选）",
        "next_follow_up_at" => "Next follow-up (optional)",
        "next_hint" if zh => "留空则按等级节奏自动安排。",
        "next_hint" => "Leave blank to plan it by the grade's cadence.",
        "submit" if zh => "保存跟进",
        "submit" => "Save follow-up",
        "saving" if zh => "正在保存…",
        "saving" => "Saving…",
        "saved" if zh => "已记录跟进。",
        "saved" => "Follow-up logged.",
        "required" if zh => "必填",
        "required" => "Required",
        "bad_time" if zh => "请选择有效的日期和时间",
        "bad_time" => "Choose a valid date and time",
        "future" if zh => "跟进时间不能晚于现在",
        "future" => "A follow-up cannot be in the future",
        "next_before" if zh => "下次跟进应晚于本次跟进时间",
        "next_before" => "The next follow-up must come after this one",
        "timeline" if zh => "跟进时间线",
        "timeline" => "Timeline",
        "timeline_empty" if zh => "还没有跟进记录。",
        "timeline_empty" => "No history yet.",
        "upcoming" if zh => "待办",
        "upcoming" => "Upcoming",
        "late" if zh => "补录",
        "late" => "Logged late",
        "logged_at" if zh => "记录于",
        "logged_at" => "Logged",
        "responded_yes" if zh => "客户有回应",
        "responded_yes" => "Customer responded",
        "responded_no" if zh => "客户未回应",
        "responded_no" => "No response",
        "next" if zh => "下次跟进",
        "next" => "Next follow-up",
        "stage_change" if zh => "阶段变更",
        "stage_change" => "Stage change",
        "task" if zh => "待办",
        "task" => "Task",
        "due" if zh => "截止",
        "due" => "Due",
        "done" if zh => "已完成",
        "done" => "Done",
        "open" if zh => "未完成",
        "open" => "Open",
        "overdue" if zh => "已逾期",
        "overdue" => "Overdue",
        "customer_feedback" if zh => "客户反馈",
        "customer_feedback" => "Customer feedback",
        "priority" if zh => "优先级",
        "priority" => "Priority",
        "edit" if zh => "编辑资料",
        "edit" => "Edit profile",
        "read_only" if zh => "您可以查看此线索，但不能为它记录跟进。",
        "read_only" => "You can see this lead but not log follow-ups on it.",
        _ => "",
    }
}

/// Every key of [`t`], for the test that both languages have them.
#[cfg(test)]
const KEYS: &[&str] = &[
    "back",
    "loading",
    "owner",
    "unassigned",
    "status",
    "since",
    "score",
    "company_size",
    "budget_match",
    "urgency",
    "chain_part",
    "total",
    "grade",
    "profile",
    "source",
    "source_details",
    "industry",
    "region",
    "employees",
    "contact",
    "phone",
    "email",
    "need",
    "pain_points",
    "expected_solution",
    "budget",
    "decision_months",
    "months",
    "decision_chain",
    "strategy",
    "tags",
    "verified",
    "yes_verified",
    "not_verified",
    "created",
    "assigned",
    "first_contact",
    "none_yet",
    "deal_amount",
    "won_at",
    "loss_reason",
    "lost_at",
    "log",
    "channel",
    "direction",
    "occurred_at",
    "responded",
    "summary",
    "summary_hint",
    "bant",
    "bant_background",
    "bant_pain",
    "bant_need",
    "bant_value",
    "needs_change",
    "feedback",
    "decision_progress",
    "mood",
    "satisfaction",
    "not_rated",
    "not_noted",
    "stage_after",
    "unchanged",
    "stage_hint",
    "next_follow_up_at",
    "next_hint",
    "submit",
    "saving",
    "saved",
    "required",
    "bad_time",
    "future",
    "next_before",
    "timeline",
    "timeline_empty",
    "upcoming",
    "late",
    "logged_at",
    "responded_yes",
    "responded_no",
    "next",
    "stage_change",
    "task",
    "due",
    "done",
    "open",
    "overdue",
    "customer_feedback",
    "priority",
    "edit",
    "read_only",
];

/// A task's title in the user's language (the server names cadence tasks in Chinese).
fn task_title(kind: TaskKind, title: Option<&str>, lang: Lang) -> String {
    match (title, lang) {
        (Some("首次跟进"), Lang::En) => "First follow-up".into(),
        (Some("按节奏跟进"), Lang::En) => "Follow-up on cadence".into(),
        (Some(title), _) => title.to_string(),
        (None, _) => kind.label(lang).to_string(),
    }
}

/// What a follow-up form holds, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
struct FollowUpValues {
    channel: String,
    direction: String,
    /// `datetime-local` text; blank while the user has not changed it ("now").
    occurred_at: String,
    responded: bool,
    summary: String,
    bant_background: String,
    bant_pain: String,
    bant_need: String,
    bant_value: String,
    needs_change: String,
    feedback: String,
    decision_progress: String,
    mood: String,
    satisfaction: String,
    stage_after: String,
    next_follow_up_at: String,
}

/// The body of `log_follow_up` (the names `InteractionRecord::read_details` reads), or the
/// problems to show next to their fields (keys of [`t`]).
fn follow_up_body(v: &FollowUpValues, now: DateTime<Utc>) -> Result<Value, Vec<(&'static str, &'static str)>> {
    let mut problems = Vec::new();
    let occurred_at = if v.occurred_at.trim().is_empty() {
        Some(now)
    } else {
        match from_local_input(&v.occurred_at) {
            Some(at) if at > now + Duration::minutes(5) => {
                problems.push(("occurred_at", "future"));
                None
            }
            Some(at) => Some(at),
            None => {
                problems.push(("occurred_at", "bad_time"));
                None
            }
        }
    };
    if v.summary.trim().is_empty() {
        problems.push(("summary", "required"));
    }
    let next = if v.next_follow_up_at.trim().is_empty() {
        None
    } else {
        match from_local_input(&v.next_follow_up_at) {
            Some(next) if occurred_at.is_some_and(|at| next <= at) => {
                problems.push(("next_follow_up_at", "next_before"));
                None
            }
            Some(next) => Some(next),
            None => {
                problems.push(("next_follow_up_at", "bad_time"));
                None
            }
        }
    };
    let Some(occurred_at) = occurred_at.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    let stamp = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut body = Map::new();
    body.insert("channel".into(), Value::from(v.channel.as_str()));
    body.insert("direction".into(), Value::from(v.direction.as_str()));
    body.insert("occurred_at".into(), Value::from(stamp(occurred_at)));
    body.insert("responded".into(), Value::Bool(v.responded));
    let texts = [
        ("summary", &v.summary),
        ("bant_background", &v.bant_background),
        ("bant_pain", &v.bant_pain),
        ("bant_need", &v.bant_need),
        ("bant_value", &v.bant_value),
        ("needs_change", &v.needs_change),
        ("feedback", &v.feedback),
        ("decision_progress", &v.decision_progress),
        ("mood", &v.mood),
        ("stage_after", &v.stage_after),
    ];
    for (field, text) in texts {
        if !text.trim().is_empty() {
            body.insert(field.into(), Value::from(text.trim()));
        }
    }
    if let Ok(n) = v.satisfaction.trim().parse::<u8>() {
        body.insert("satisfaction".into(), Value::from(n));
    }
    if let Some(next) = next {
        body.insert("next_follow_up_at".into(), Value::from(stamp(next)));
    }
    Ok(Value::Object(body))
}

/// The follow-up form's values, one signal a field; they outlive a refresh of the lead.
#[derive(Clone, Copy)]
struct FollowUpForm {
    channel: RwSignal<String>,
    direction: RwSignal<String>,
    occurred_at: RwSignal<String>,
    /// Whether the user changed the time (else "now" is taken when saving).
    occurred_set: RwSignal<bool>,
    responded: RwSignal<bool>,
    texts: [RwSignal<String>; 8],
    mood: RwSignal<String>,
    satisfaction: RwSignal<String>,
    stage_after: RwSignal<String>,
    next_follow_up_at: RwSignal<String>,
}

/// The free-text fields of the form, in the order of [`FollowUpForm::texts`].
const TEXTS: [&str; 8] = [
    "summary",
    "bant_background",
    "bant_pain",
    "bant_need",
    "bant_value",
    "needs_change",
    "feedback",
    "decision_progress",
];

impl FollowUpForm {
    fn new() -> FollowUpForm {
        FollowUpForm {
            channel: RwSignal::new(Channel::Phone.key().to_string()),
            direction: RwSignal::new(Direction::Outbound.key().to_string()),
            occurred_at: RwSignal::new(to_local_input(now())),
            occurred_set: RwSignal::new(false),
            responded: RwSignal::new(false),
            texts: std::array::from_fn(|_| RwSignal::new(String::new())),
            mood: RwSignal::new(String::new()),
            satisfaction: RwSignal::new(String::new()),
            stage_after: RwSignal::new(String::new()),
            next_follow_up_at: RwSignal::new(String::new()),
        }
    }

    fn text(&self, field: &str) -> RwSignal<String> {
        self.texts[TEXTS.iter().position(|f| *f == field).unwrap_or(0)]
    }

    /// Empties the form for the next follow-up (channel and direction stay as they were).
    fn reset(&self) {
        self.occurred_at.set(to_local_input(now()));
        self.occurred_set.set(false);
        self.responded.set(false);
        for s in self.texts {
            s.set(String::new());
        }
        self.mood.set(String::new());
        self.satisfaction.set(String::new());
        self.stage_after.set(String::new());
        self.next_follow_up_at.set(String::new());
    }

    fn values(&self) -> FollowUpValues {
        let text = |f: &str| self.text(f).get_untracked();
        FollowUpValues {
            channel: self.channel.get_untracked(),
            direction: self.direction.get_untracked(),
            occurred_at: if self.occurred_set.get_untracked() {
                self.occurred_at.get_untracked()
            } else {
                String::new()
            },
            responded: self.responded.get_untracked(),
            summary: text("summary"),
            bant_background: text("bant_background"),
            bant_pain: text("bant_pain"),
            bant_need: text("bant_need"),
            bant_value: text("bant_value"),
            needs_change: text("needs_change"),
            feedback: text("feedback"),
            decision_progress: text("decision_progress"),
            mood: self.mood.get_untracked(),
            satisfaction: self.satisfaction.get_untracked(),
            stage_after: self.stage_after.get_untracked(),
            next_follow_up_at: self.next_follow_up_at.get_untracked(),
        }
    }
}

/// Where an entry sits in the history: newest first, a follow-up before anything else of the
/// same moment; a task completed or a stage reached by a follow-up sits right under that
/// follow-up (they are written when it is logged).
fn history_key(entry: &TimelineEntry, follow_ups: &[(DateTime<Utc>, DateTime<Utc>)]) -> (DateTime<Utc>, u8) {
    let logged_with = |at: DateTime<Utc>| {
        follow_ups
            .iter()
            .find(|(_, logged)| (at - *logged).num_seconds().abs() <= 2)
            .map(|(occurred, _)| (*occurred, 1))
    };
    match entry {
        TimelineEntry::FollowUp { at, .. } => (*at, 0),
        TimelineEntry::Task { done_at: Some(done), .. } => logged_with(*done).unwrap_or((*done, 1)),
        TimelineEntry::StageChange { at, .. } => logged_with(*at).unwrap_or((*at, 1)),
        other => (other.at(), 1),
    }
}

/// Splits a timeline into what is still ahead (open tasks not yet due, soonest first) and
/// the history, newest first.
fn split_timeline(entries: &[TimelineEntry], now: DateTime<Utc>) -> (Vec<TimelineEntry>, Vec<TimelineEntry>) {
    let (mut upcoming, history): (Vec<TimelineEntry>, Vec<TimelineEntry>) =
        entries.iter().cloned().partition(|e| matches!(e, TimelineEntry::Task { done_at: None, at, .. } if *at > now));
    upcoming.sort_by_key(TimelineEntry::at);
    let follow_ups: Vec<(DateTime<Utc>, DateTime<Utc>)> = history
        .iter()
        .filter_map(|e| match e {
            TimelineEntry::FollowUp { at, logged_at, .. } => Some((*at, *logged_at)),
            _ => None,
        })
        .collect();
    let mut keyed: Vec<((DateTime<Utc>, u8), TimelineEntry)> =
        history.into_iter().map(|e| (history_key(&e, &follow_ups), e)).collect();
    keyed.sort_by(|a, b| b.0 .0.cmp(&a.0 .0).then(a.0 .1.cmp(&b.0 .1)));
    (upcoming, keyed.into_iter().map(|(_, e)| e).collect())
}

#[component]
pub fn LeadPage() -> impl IntoView {
    let ui = crate::shell::use_ui();
    let lang = ui.lang;
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let detail = crate::wire::resource(move || code.get(), lead_detail);

    let form = FollowUpForm::new();
    let problems: RwSignal<Vec<(&'static str, String)>> = RwSignal::new(Vec::new());
    let error: RwSignal<Option<UiError>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    // Another lead opened in the same page: start its form afresh.
    Effect::new(move |previous: Option<String>| {
        let current = code.get();
        if previous.is_some_and(|p| p != current) {
            form.reset();
            problems.set(Vec::new());
            error.set(None);
            saved.set(false);
        }
        current
    });

    let log = Action::new(move |(code, body): &(String, Value)| {
        let (code, body) = (code.clone(), body.clone());
        async move { log_follow_up(code, body).await }
    });
    let saving = log.pending();
    Effect::new(move |_| match log.value().get() {
        Some(Ok(_)) => {
            form.reset();
            problems.set(Vec::new());
            error.set(None);
            saved.set(true);
            detail.refetch();
        }
        Some(Err(UiError::Invalid(list))) => {
            let (fields, other): (Vec<Problem>, Vec<Problem>) =
                list.into_iter().partition(|p| field_key(&p.path).is_some());
            problems.set(fields.into_iter().filter_map(|p| field_key(&p.path).map(|k| (k, p.message))).collect());
            error.set(Some(UiError::Invalid(other)).filter(|e| matches!(e, UiError::Invalid(o) if !o.is_empty())));
            saved.set(false);
        }
        Some(Err(e)) => {
            error.set(Some(e));
            saved.set(false);
        }
        None => {}
    });

    let submit = move |code: String| {
        saved.set(false);
        error.set(None);
        match follow_up_body(&form.values(), now()) {
            Ok(body) => {
                problems.set(Vec::new());
                if !saving.get_untracked() {
                    log.dispatch((code, body));
                }
            }
            Err(list) => problems.set(list.into_iter().map(|(f, key)| (f, format!("@{key}"))).collect()),
        }
    };
    let ctx = FormContext { form, problems, error, saved, saving, submit: Callback::new(submit) };

    view! {
        <div class="lead-page">
            <A href="/leads" attr:class="back-link">{move || t(lang.get(), "back")}</A>
            <Transition fallback=move || view! { <p class="hint">{move || t(lang.get(), "loading")}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <LeadView detail=d ctx=ctx/> }.into_any(),
                        Err(e) => view! {
                            <section class="card empty" role="alert">
                                <p>{move || e.message(lang.get())}</p>
                                <A href="/leads">{move || t(lang.get(), "back")}</A>
                            </section>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// The form fields the server may name in its problems.
fn field_key(path: &str) -> Option<&'static str> {
    [
        "channel",
        "direction",
        "occurred_at",
        "responded",
        "summary",
        "bant_background",
        "bant_pain",
        "bant_need",
        "bant_value",
        "needs_change",
        "feedback",
        "decision_progress",
        "mood",
        "satisfaction",
        "stage_after",
        "next_follow_up_at",
    ]
    .into_iter()
    .find(|f| *f == path)
}

/// What the follow-up form shares with the page: its values, its problems and how to save.
#[derive(Clone, Copy)]
struct FormContext {
    form: FollowUpForm,
    /// Problems by field: `@key` for the browser's own checks (a key of [`t`]), else the
    /// server's message.
    problems: RwSignal<Vec<(&'static str, String)>>,
    error: RwSignal<Option<UiError>>,
    saved: RwSignal<bool>,
    saving: Memo<bool>,
    submit: Callback<String>,
}

impl FormContext {
    fn problem(&self, field: &str, lang: Lang) -> Option<String> {
        self.problems.with(|list| {
            list.iter().find(|(f, _)| *f == field).map(|(_, m)| match m.strip_prefix('@') {
                Some(key) => t(lang, key).to_string(),
                None => server_message(lang, m),
            })
        })
    }
}

#[component]
fn LeadView(detail: LeadDetail, ctx: FormContext) -> impl IntoView {
    let lang = crate::shell::use_ui().lang;
    move || {
        let l = lang.get();
        let lead = &detail.lead;
        let (upcoming, history) = split_timeline(&detail.timeline, now());
        view! {
            <LeadHeader lead=lead.clone() lang=l can_edit=detail.can_edit/>
            <div class="lead-layout">
                <div class="lead-main">
                    {if detail.can_edit {
                        follow_up_form(lead, ctx, l).into_any()
                    } else {
                        view! { <p class="card hint">{t(l, "read_only")}</p> }.into_any()
                    }}
                    {(!upcoming.is_empty()).then(|| view! {
                        <section class="card upcoming" aria-labelledby="upcoming-title">
                            <h2 id="upcoming-title">{t(l, "upcoming")}</h2>
                            <ul>
                                {upcoming.iter().map(|e| match e {
                                    TimelineEntry::Task { at, task_kind, title, .. } => view! {
                                        <li>
                                            <span>{task_title(*task_kind, title.as_deref(), l)}</span>
                                            <time datetime=at.to_rfc3339()>{t(l, "due")}" "{date_time(*at)}</time>
                                        </li>
                                    }.into_any(),
                                    _ => ().into_any(),
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    <section class="card" aria-labelledby="timeline-title">
                        <h2 id="timeline-title">{t(l, "timeline")}</h2>
                        {if history.is_empty() {
                            view! { <p class="hint">{t(l, "timeline_empty")}</p> }.into_any()
                        } else {
                            view! {
                                <ol class="timeline" role="list" aria-label=t(l, "timeline")>
                                    {history.iter().map(|e| timeline_entry(e, &detail, l)).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                    </section>
                </div>
                <aside class="lead-side">
                    {score_card(lead, l)}
                    {profile_card(lead, l)}
                </aside>
            </div>
        }
    }
}

#[component]
fn LeadHeader(lead: Lead, lang: Lang, can_edit: bool) -> impl IntoView {
    let l = lang;
    let grade = lead.grade.key();
    let owner = lead.owner_name.clone().or_else(|| lead.owner.clone()).unwrap_or_else(|| t(l, "unassigned").into());
    let closed = match lead.status {
        Status::Won => Some(
            view! {
                <p class="closed closed-won">
                    <span>{t(l, "deal_amount")}": "<b>{cny_opt(lead.deal_amount)}</b></span>
                    {lead.won_at.map(|at| view! { <span>{t(l, "won_at")}": "{date_time(at)}</span> })}
                </p>
            }
            .into_any(),
        ),
        Status::Lost => Some(
            view! {
                <p class="closed closed-lost">
                    <span>{t(l, "loss_reason")}": "<b>{lead.loss_reason.map(|r| r.label(l)).unwrap_or("—")}</b></span>
                    {lead.lost_at.map(|at| view! { <span>{t(l, "lost_at")}": "{date_time(at)}</span> })}
                </p>
            }
            .into_any(),
        ),
        _ => None,
    };
    let phone = lead.profile.phone.clone();
    let email = lead.profile.email.clone();
    view! {
        <header class="card lead-head">
            <div class="lead-title">
                <span class=format!("grade grade-{grade}") title=t(l, "grade")>{grade}</span>
                <div>
                    <h1>{lead.profile.company.clone().unwrap_or_else(|| lead.code.clone())}</h1>
                    <p class="lead-meta">
                        <span class="lead-code">{lead.code.clone()}</span>
                        <span class=format!("status-pill status-{}", lead.status.key())>{lead.status.label(l)}</span>
                        <span>{t(l, "owner")}": "{owner}</span>
                        <span>{t(l, "since")}": "{date_time(lead.status_since)}</span>
                    </p>
                </div>
                {can_edit.then(|| view! {
                    <A href=format!("/leads/{}/edit", crate::shell::encode(&lead.code)) attr:class="secondary edit-link">
                        {t(l, "edit")}
                    </A>
                })}
            </div>
            <p class="lead-contact">
                {match (lead.profile.contact_name.clone(), lead.profile.contact_title.clone()) {
                    (Some(name), Some(title)) => Some(format!("{name}（{title}）")),
                    (name, title) => name.or(title),
                }
                .map(|who| view! { <span>{who}</span> })}
                {phone.map(|p| view! { <a href=format!("tel:{p}")>{p.clone()}</a> })}
                {email.map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
            </p>
            {closed}
        </header>
    }
}

fn score_card(lead: &Lead, l: Lang) -> impl IntoView {
    let s = lead.score;
    let part = |key: &'static str, points: u32, max: u32| {
        view! {
            <div class="score-part">
                <span>{t(l, key)}</span>
                <meter min="0" max=max value=points></meter>
                <b data-part=key>{points}"/"{max}</b>
            </div>
        }
    };
    view! {
        <section class="card lead-score-card" aria-labelledby="score-title">
            <h2 id="score-title">{t(l, "score")}</h2>
            {part("company_size", s.company_size, 30)}
            {part("budget_match", s.budget_match, 30)}
            {part("urgency", s.urgency, 20)}
            {part("chain_part", s.decision_chain, 20)}
            <div class="score-total">
                <span>{t(l, "total")}</span>
                <b id="score-total">{s.total}</b>
                <span class=format!("grade grade-{}", lead.grade.key()) id="score-grade" title=t(l, "grade")>
                    {lead.grade.key()}
                </span>
            </div>
        </section>
    }
}

fn profile_card(lead: &Lead, l: Lang) -> impl IntoView {
    let p = &lead.profile;
    let row = |key: &'static str, value: Option<String>| {
        value.filter(|v| !v.trim().is_empty()).map(|v| {
            view! {
                <div class="kv">
                    <dt>{t(l, key)}</dt>
                    <dd>{v}</dd>
                </div>
            }
        })
    };
    let contact = match (&p.contact_name, &p.contact_title) {
        (Some(n), Some(title)) => Some(format!("{n}（{title}）")),
        (Some(n), None) => Some(n.clone()),
        (None, Some(title)) => Some(title.clone()),
        (None, None) => None,
    };
    view! {
        <section class="card lead-profile" aria-labelledby="profile-title">
            <h2 id="profile-title">{t(l, "profile")}</h2>
            <dl>
                {row("source", p.source.map(|s| s.label(l).to_string()))}
                {row("source_details", p.source_details.clone())}
                {row("industry", p.industry.clone())}
                {row("region", p.region.clone())}
                {row("employees", p.employees.map(|n| thousands(i64::from(n))))}
                {row("contact", contact)}
                {row("phone", p.phone.clone())}
                {row("email", p.email.clone())}
                {row("need", p.need.clone())}
                {row("pain_points", p.pain_points.clone())}
                {row("expected_solution", p.expected_solution.clone())}
                {row("budget", p.budget.map(cny))}
                {row("decision_months", p.decision_months.map(|m| format!("{m} {}", t(l, "months"))))}
                {row("decision_chain", p.decision_chain.map(|c| c.label(l).to_string()))}
                {row("strategy", p.strategy.clone())}
                <div class="kv">
                    <dt>{t(l, "verified")}</dt>
                    <dd>{if p.verified { t(l, "yes_verified") } else { t(l, "not_verified") }}</dd>
                </div>
                {(!p.tags.is_empty()).then(|| view! {
                    <div class="kv">
                        <dt>{t(l, "tags")}</dt>
                        <dd class="tags">{p.tags.clone().into_iter().map(|tag| {
                            let href = format!("/leads?tag={}", crate::shell::encode(&tag));
                            view! { <A href=href attr:class="tag">{tag}</A> }
                        }).collect_view()}</dd>
                    </div>
                })}
                {row("created", Some(date_time(lead.created_at)))}
                {row("assigned", lead.assigned_at.map(date_time))}
                {row("first_contact", Some(lead.first_contact_at.map_or_else(|| t(l, "none_yet").to_string(), date_time)))}
            </dl>
        </section>
    }
}

fn timeline_entry(entry: &TimelineEntry, detail: &LeadDetail, l: Lang) -> AnyView {
    let time = |at: &DateTime<Utc>| view! { <time datetime=at.to_rfc3339()>{date_time(*at)}</time> };
    match entry {
        TimelineEntry::FollowUp {
            at,
            logged_at,
            rep,
            rep_name,
            channel,
            direction,
            responded,
            satisfaction,
            summary,
            mood,
            stage_before,
            stage_after,
            next_follow_up_at,
            late,
        } => {
            let notes = detail.notes_of(*at, *logged_at, rep).cloned();
            let note_rows = notes.map(|n| {
                [
                    ("contact", n.contact),
                    ("bant_background", n.bant_background),
                    ("bant_pain", n.bant_pain),
                    ("bant_need", n.bant_need),
                    ("bant_value", n.bant_value),
                    ("needs_change", n.needs_change),
                    ("feedback", n.feedback),
                    ("decision_progress", n.decision_progress),
                ]
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| view! { <div class="kv"><dt>{t(l, k)}</dt><dd>{v}</dd></div> }))
                .collect_view()
            });
            view! {
                <li role="listitem" class=format!("tl-entry tl-follow-up{}", if *late { " tl-late" } else { "" })>
                    <div class="tl-head">
                        <span class="tl-kind">{channel.label(l)}" · "{direction.label(l)}</span>
                        {time(at)}
                        {late.then(|| view! {
                            <span class="late-mark" title=format!("{} {}", t(l, "logged_at"), date_time(*logged_at))>
                                {t(l, "late")}
                            </span>
                        })}
                    </div>
                    {summary.clone().map(|s| view! { <p class="tl-summary">{s}</p> })}
                    <p class="tl-meta">
                        <span>{rep_name.clone().unwrap_or_else(|| rep.clone())}</span>
                        <span class=if *responded { "responded" } else { "no-response" }>
                            {if *responded { t(l, "responded_yes") } else { t(l, "responded_no") }}
                        </span>
                        {mood.map(|m| view! { <span>{t(l, "mood")}": "{m.label(l)}</span> })}
                        {satisfaction.map(|s| view! {
                            <span title=t(l, "satisfaction")>{"★".repeat(usize::from(s))}{"☆".repeat(5usize.saturating_sub(usize::from(s)))}</span>
                        })}
                        {(stage_before != stage_after).then(|| view! {
                            <span>{stage_before.label(l)}" → "{stage_after.label(l)}</span>
                        })}
                        {next_follow_up_at.map(|n| view! { <span>{t(l, "next")}": "{date_time(n)}</span> })}
                    </p>
                    {note_rows.map(|rows| view! { <dl class="tl-notes">{rows}</dl> })}
                </li>
            }
            .into_any()
        }
        TimelineEntry::StageChange { at, from, to, by_name } => view! {
            <li role="listitem" class="tl-entry tl-stage">
                <div class="tl-head">
                    <span class="tl-kind">{t(l, "stage_change")}</span>
                    {time(at)}
                </div>
                <p class="tl-meta">
                    <span>{from.label(l)}" → "<b>{to.label(l)}</b></span>
                    {by_name.clone().map(|n| view! { <span>{n}</span> })}
                </p>
            </li>
        }
        .into_any(),
        TimelineEntry::Task { at, task_kind, title, done_at } => {
            let (state, class) = match done_at {
                Some(_) => ("done", "tl-task-done"),
                None if *at <= now() => ("overdue", "tl-task-overdue"),
                None => ("open", "tl-task-open"),
            };
            view! {
                <li role="listitem" class=format!("tl-entry tl-task {class}")>
                    <div class="tl-head">
                        <span class="tl-kind">{t(l, "task")}": "{task_title(*task_kind, title.as_deref(), l)}</span>
                        {time(&done_at.unwrap_or(*at))}
                        <span class=format!("task-state task-{state}")>{t(l, state)}</span>
                    </div>
                    <p class="tl-meta"><span>{t(l, "due")}" "{date_time(*at)}</span></p>
                </li>
            }
            .into_any()
        }
        TimelineEntry::Feedback { at, feedback_type, priority, status, summary } => view! {
            <li role="listitem" class="tl-entry tl-feedback">
                <div class="tl-head">
                    <span class="tl-kind">{t(l, "customer_feedback")}" · "{feedback_type.label(l)}</span>
                    {time(at)}
                    <span class="task-state">{status.label(l)}</span>
                </div>
                {summary.clone().map(|s| view! { <p class="tl-summary">{s}</p> })}
                <p class="tl-meta"><span>{t(l, "priority")}": "{priority.label(l)}</span></p>
            </li>
        }
        .into_any(),
    }
}

fn follow_up_form(lead: &Lead, ctx: FormContext, l: Lang) -> impl IntoView {
    let f = ctx.form;
    let code = lead.code.clone();
    let closed = lead.status.is_closed();
    let current = lead.status;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ctx.submit.run(code.clone());
    };
    let error_of = move |field: &'static str| {
        move || ctx.problem(field, l).map(|m| view! { <small class="field-error" role="alert">{m}</small> })
    };
    let invalid = move |field: &'static str| move || ctx.problem(field, l).is_some().to_string();
    let clear = move |field: &'static str| ctx.problems.update(|p| p.retain(|(f, _)| *f != field));
    let note = move |field: &'static str| {
        let s = f.text(field);
        view! {
            <label class="field" for=field>
                <span>{t(l, field)}</span>
                <textarea id=field name=field rows="2" prop:value=move || s.get()
                    on:input=move |ev| s.set(event_target_value(&ev))></textarea>
            </label>
        }
    };
    let summary = f.text("summary");
    view! {
        <section class="card follow-up" aria-labelledby="log-title">
            <h2 id="log-title">{t(l, "log")}</h2>
            <form class="follow-up-form" novalidate on:submit=on_submit>
                <div class="form-grid">
                    <label class="field" for="channel">
                        <span>{t(l, "channel")}</span>
                        <select id="channel" name="channel" prop:value=move || f.channel.get()
                            on:change=move |ev| f.channel.set(event_target_value(&ev))>
                            {Channel::ALL.iter().map(|c| view! {
                                <option value=c.key() selected=move || f.channel.get() == c.key()>{c.label(l)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field" for="direction">
                        <span>{t(l, "direction")}</span>
                        <select id="direction" name="direction" prop:value=move || f.direction.get()
                            on:change=move |ev| f.direction.set(event_target_value(&ev))>
                            {Direction::ALL.iter().map(|d| view! {
                                <option value=d.key() selected=move || f.direction.get() == d.key()>{d.label(l)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field" for="occurred_at">
                        <span>{t(l, "occurred_at")}</span>
                        <input id="occurred_at" name="occurred_at" type="datetime-local"
                            aria-invalid=invalid("occurred_at")
                            prop:value=move || f.occurred_at.get()
                            on:input=move |ev| {
                                f.occurred_at.set(event_target_value(&ev));
                                f.occurred_set.set(true);
                                clear("occurred_at");
                            }/>
                        {error_of("occurred_at")}
                    </label>
                    <label class="check responded" for="responded">
                        <input id="responded" name="responded" type="checkbox"
                            prop:checked=move || f.responded.get()
                            on:change=move |ev| f.responded.set(event_target_checked(&ev))/>
                        <span>{t(l, "responded")}</span>
                    </label>
                </div>
                <label class="field" for="summary">
                    <span>{t(l, "summary")}" *"</span>
                    <textarea id="summary" name="summary" rows="3" placeholder=t(l, "summary_hint")
                        aria-invalid=invalid("summary")
                        prop:value=move || summary.get()
                        on:input=move |ev| {
                            summary.set(event_target_value(&ev));
                            clear("summary");
                        }></textarea>
                    {error_of("summary")}
                </label>
                <details class="more-notes">
                    <summary>{t(l, "bant")}</summary>
                    <div class="form-grid">
                        {note("bant_background")}
                        {note("bant_pain")}
                        {note("bant_need")}
                        {note("bant_value")}
                        {note("needs_change")}
                        {note("feedback")}
                        {note("decision_progress")}
                    </div>
                </details>
                <div class="form-grid">
                    <label class="field" for="mood">
                        <span>{t(l, "mood")}</span>
                        <select id="mood" name="mood" prop:value=move || f.mood.get()
                            on:change=move |ev| f.mood.set(event_target_value(&ev))>
                            <option value="">{t(l, "not_noted")}</option>
                            {Mood::ALL.iter().map(|m| view! { <option value=m.key()>{m.label(l)}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field" for="satisfaction">
                        <span>{t(l, "satisfaction")}</span>
                        <select id="satisfaction" name="satisfaction" prop:value=move || f.satisfaction.get()
                            on:change=move |ev| f.satisfaction.set(event_target_value(&ev))>
                            <option value="">{t(l, "not_rated")}</option>
                            {(1..=5usize).map(|n| view! {
                                <option value=n.to_string()>{format!("{n} {}", "★".repeat(n))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    {(!closed).then(|| view! {
                        <label class="field" for="stage_after">
                            <span>{t(l, "stage_after")}</span>
                            <select id="stage_after" name="stage_after" aria-invalid=invalid("stage_after")
                                prop:value=move || f.stage_after.get()
                                on:change=move |ev| {
                                    f.stage_after.set(event_target_value(&ev));
                                    clear("stage_after");
                                }>
                                <option value="">{format!("{}（{}）", t(l, "unchanged"), current.label(l))}</option>
                                {Status::ALL.iter().filter(|s| !s.is_closed() && **s != current).map(|s| view! {
                                    <option value=s.key()>{s.label(l)}</option>
                                }).collect_view()}
                            </select>
                            <small class="hint">{t(l, "stage_hint")}</small>
                            {error_of("stage_after")}
                        </label>
                    })}
                    <label class="field" for="next_follow_up_at">
                        <span>{t(l, "next_follow_up_at")}</span>
                        <input id="next_follow_up_at" name="next_follow_up_at" type="datetime-local"
                            aria-invalid=invalid("next_follow_up_at")
                            prop:value=move || f.next_follow_up_at.get()
                            on:input=move |ev| {
                                f.next_follow_up_at.set(event_target_value(&ev));
                                clear("next_follow_up_at");
                            }/>
                        <small class="hint">{t(l, "next_hint")}</small>
                        {error_of("next_follow_up_at")}
                    </label>
                </div>
                <div class="form-actions">
                    {move || ctx.error.get().map(|e| view! { <p class="form-error" role="alert">{e.message(l)}</p> })}
                    {move || ctx.saved.get().then(|| view! { <p class="form-ok" role="status">{t(l, "saved")}</p> })}
                    <button type="submit" class="primary" disabled=move || ctx.saving.get()>
                        {move || if ctx.saving.get() { t(l, "saving") } else { t(l, "submit") }}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::{FeedbackStatus, FeedbackType, Priority};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn every_page_text_exists_in_both_languages() {
        for key in KEYS {
            assert!(!t(Lang::Zh, key).is_empty(), "zh {key}");
            assert!(!t(Lang::En, key).is_empty(), "en {key}");
        }
        assert_eq!(task_title(TaskKind::FollowUp, Some("首次跟进"), Lang::En), "First follow-up");
        assert_eq!(task_title(TaskKind::Manual, None, Lang::Zh), "手动待办");
    }

    #[test]
    fn a_follow_up_is_sent_with_the_names_the_server_reads_and_times_in_utc() {
        let now = at("2026-03-02T04:00:00Z");
        let v = FollowUpValues {
            channel: "wechat".into(),
            direction: "inbound".into(),
            occurred_at: "2026-03-02T10:30".into(),
            responded: true,
            summary: " 客户确认预算 ".into(),
            bant_need: "数据安全".into(),
            satisfaction: "4".into(),
            stage_after: "qualified".into(),
            next_follow_up_at: "2026-03-05T09:00".into(),
            ..Default::default()
        };
        let body = follow_up_body(&v, now).unwrap_or_default();
        assert_eq!(
            body,
            serde_json::json!({"channel": "wechat", "direction": "inbound", "occurred_at": "2026-03-02T02:30:00Z",
                "responded": true, "summary": "客户确认预算", "bant_need": "数据安全", "satisfaction": 4,
                "stage_after": "qualified", "next_follow_up_at": "2026-03-05T01:00:00Z"})
        );
    }

    #[test]
    fn a_follow_up_left_at_now_is_sent_with_the_time_of_saving() {
        let now = at("2026-03-02T04:00:00Z");
        let v = FollowUpValues {
            channel: "phone".into(),
            direction: "outbound".into(),
            summary: "x".into(),
            ..Default::default()
        };
        let body = follow_up_body(&v, now).unwrap_or_default();
        assert_eq!(body["occurred_at"], "2026-03-02T04:00:00Z");
        assert_eq!(body["responded"], false);
        assert!(body.get("satisfaction").is_none() && body.get("stage_after").is_none());
    }

    #[test]
    fn a_follow_up_needs_a_summary_a_past_time_and_a_later_next_one() {
        let now = at("2026-03-02T04:00:00Z");
        let v = FollowUpValues {
            occurred_at: "2026-03-03T10:00".into(),
            next_follow_up_at: "someday".into(),
            ..Default::default()
        };
        let problems = follow_up_body(&v, now).unwrap_err();
        assert!(problems.contains(&("occurred_at", "future")));
        assert!(problems.contains(&("summary", "required")));
        assert!(problems.contains(&("next_follow_up_at", "bad_time")));
        let v = FollowUpValues {
            summary: "x".into(),
            occurred_at: "2026-03-02T10:00".into(),
            next_follow_up_at: "2026-03-02T09:00".into(),
            ..Default::default()
        };
        assert_eq!(follow_up_body(&v, now).unwrap_err(), vec![("next_follow_up_at", "next_before")]);
    }

    #[test]
    fn a_new_follow_up_heads_the_history_with_what_it_completed_under_it() {
        let now = at("2026-03-02T04:00:30Z");
        let entries = vec![
            TimelineEntry::Task {
                at: at("2026-03-02T06:00:00Z"),
                task_kind: TaskKind::FollowUp,
                title: Some("首次跟进".into()),
                done_at: Some(at("2026-03-02T04:00:10Z")),
            },
            TimelineEntry::Task {
                at: at("2026-03-04T04:00:00Z"),
                task_kind: TaskKind::FollowUp,
                title: None,
                done_at: None,
            },
            TimelineEntry::StageChange {
                at: at("2026-03-02T04:00:10Z"),
                from: Status::New,
                to: Status::Contacted,
                by_name: None,
            },
            TimelineEntry::FollowUp {
                at: at("2026-03-02T04:00:00Z"),
                logged_at: at("2026-03-02T04:00:10Z"),
                rep: "r11".into(),
                rep_name: None,
                channel: Channel::Phone,
                direction: Direction::Outbound,
                responded: true,
                satisfaction: None,
                summary: Some("新的跟进".into()),
                mood: None,
                stage_before: Status::New,
                stage_after: Status::Contacted,
                next_follow_up_at: None,
                late: false,
            },
            TimelineEntry::Feedback {
                at: at("2026-03-01T04:00:00Z"),
                feedback_type: FeedbackType::Price,
                priority: Priority::High,
                status: FeedbackStatus::Open,
                summary: None,
            },
            TimelineEntry::Task {
                at: at("2026-03-01T08:00:00Z"),
                task_kind: TaskKind::Manual,
                title: None,
                done_at: None,
            },
        ];
        let (upcoming, history) = split_timeline(&entries, now);
        assert_eq!(upcoming.len(), 1);
        assert!(matches!(history[0], TimelineEntry::FollowUp { .. }));
        assert!(matches!(history[1], TimelineEntry::Task { done_at: Some(_), .. } | TimelineEntry::StageChange { .. }));
        assert!(matches!(history[3], TimelineEntry::Task { done_at: None, .. }), "the overdue task is history");
        assert!(matches!(history[4], TimelineEntry::Feedback { .. }));
    }
}
