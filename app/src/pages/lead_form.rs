//! The lead form, for a new lead and for editing one: every profile field of a lead
//! (PRODUCT.md §2, §3), the score, its four parts and the grade updating live as the user
//! types (the same scoring code the server runs), errors next to their field in the user's
//! language, and on success the lead's page. An edit sends only what the user changed, with
//! the version they started from; when someone else saved the lead meanwhile, the form takes
//! their changes in and keeps the user's own.
use crate::domain::enums::{DecisionChain, Grade, Role, Source};
use crate::domain::lead::{looks_like_email, Lead, LeadProfile};
use crate::domain::validate::Problem;
use crate::error::UiError;
use crate::format::parse_amount;
use crate::i18n::Lang;
use crate::pages::home::parse_count;
use crate::scoring::{score, Score, ScoreInputs};
use crate::server_fns::board::load_people;
use crate::server_fns::leads::{create_lead, editable_lead, update_lead};
use crate::settings::WorkspaceSettings;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde_json::{Map, Value};

/// Text of the page in both languages.
fn t(lang: Lang, key: &str) -> &'static str {
    let zh = lang == Lang::Zh;
    match key {
        "title" if zh => "新建线索",
        "title" => "New lead",
        "hint" if zh => "带 * 的为必填项。评分与等级随输入即时更新，保存后由服务器按同一规则评分并自动分配负责人。",
        "hint" => "Fields marked * are required. The score and grade update as you type; on saving, the server scores the lead by the same rules and assigns an owner.",
        "sec_source" if zh => "线索来源",
        "sec_source" => "Source",
        "sec_company" if zh => "企业信息",
        "sec_company" => "Company",
        "sec_contact" if zh => "联系人",
        "sec_contact" => "Contact",
        "sec_need" if zh => "需求",
        "sec_need" => "Need",
        "sec_fit" if zh => "商机评估（决定评分）",
        "sec_fit" => "Qualification (drives the score)",
        "sec_other" if zh => "其他",
        "sec_other" => "Other",
        "source" if zh => "来源渠道",
        "source" => "Source",
        "choose" if zh => "请选择",
        "choose" => "Choose…",
        "source_details" if zh => "来源详情",
        "source_details" => "Source details",
        "company" if zh => "企业名称",
        "company" => "Company",
        "industry" if zh => "行业",
        "industry" => "Industry",
        "region" if zh => "地区",
        "region" => "Region",
        "employees" if zh => "员工人数",
        "employees" => "Employees",
        "contact_name" if zh => "联系人姓名",
        "contact_name" => "Contact name",
        "contact_title" if zh => "职位",
        "contact_title" => "Title",
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
        "budget" if zh => "预算（元）",
        "budget" => "Budget (CNY)",
        "decision_months" if zh => "预计决策时间（月）",
        "decision_months" => "Months to decision",
        "decision_chain" if zh => "决策链",
        "decision_chain" => "Decision chain",
        "unknown" if zh => "未知",
        "unknown" => "Unknown",
        "strategy" if zh => "跟进策略（A/B 对比，可选）",
        "strategy" => "Strategy variant (A/B, optional)",
        "tags" if zh => "标签（用逗号分隔）",
        "tags" => "Tags (comma separated)",
        "verified" if zh => "信息真实性已核实",
        "verified" => "Information verified",
        "owner" if zh => "负责人",
        "owner" => "Owner",
        "owner_auto" if zh => "按分配规则自动分配",
        "owner_auto" => "Assign by the rules",
        "details_trade_show" if zh => "展位号、交流时长、感兴趣的产品、留资原因",
        "details_trade_show" => "Booth no., minutes talked, products of interest, why they left details",
        "details_web_form" if zh => "访问页面、需求关键词、联系方式完整度",
        "details_web_form" => "Page visited, need keywords, contact completeness",
        "details_referral" if zh => "推荐人、与客户的关系、推荐场景",
        "details_referral" => "Referrer, relationship to the customer, scenario",
        "details_other" if zh => "渠道补充说明",
        "details_other" => "Anything about the channel",
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
        "live" if zh => "实时评分",
        "live" => "Live score",
        "completeness" if zh => "信息完整度",
        "completeness" => "Info completeness",
        "save" if zh => "保存线索",
        "save" => "Save lead",
        "saving" if zh => "正在保存…",
        "saving" => "Saving…",
        "cancel" if zh => "取消",
        "cancel" => "Cancel",
        "fix" if zh => "请先修正标红的字段。",
        "fix" => "Please fix the fields marked in red.",
        "required" if zh => "必填",
        "required" => "Required",
        "bad_count" if zh => "请输入不小于 0 的整数",
        "bad_count" => "Enter a whole number, 0 or more",
        "too_many_employees" if zh => "员工人数不能超过 10,000,000",
        "too_many_employees" => "At most 10,000,000 employees",
        "too_many_months" if zh => "决策时间不能超过 600 个月",
        "too_many_months" => "At most 600 months",
        "bad_amount" if zh => "请输入不小于 0 的金额，如 200,000",
        "bad_amount" => "Enter an amount, 0 or more, e.g. 200,000",
        "bad_email" if zh => "邮箱格式不正确，例如 li.na@example.com",
        "bad_email" => "Not an email address, e.g. li.na@example.com",
        "bad_choice" if zh => "不是有效的选项",
        "bad_choice" => "Not one of the choices",
        "not_empty" if zh => "不能为空",
        "not_empty" => "Must not be empty",
        "bad_owner" if zh => "无法把线索分配给该负责人",
        "bad_owner" => "You cannot assign leads to this rep",
        "edit_title" if zh => "编辑线索",
        "edit_title" => "Edit lead",
        "edit_hint" if zh => "评分与等级随修改即时更新；保存时服务器按同一规则重新评分，每项修改都记入审计日志。",
        "edit_hint" => "The score and grade follow your changes; on saving, the server scores the lead again by the same rules and audits every change.",
        "save_changes" if zh => "保存修改",
        "save_changes" => "Save changes",
        "loading" if zh => "正在加载线索…",
        "loading" => "Loading the lead…",
        "read_only" if zh => "您可以查看这条线索，但无权修改。",
        "read_only" => "You can see this lead but not change it.",
        "conflict" if zh => "保存前这条线索已被其他人修改。您没改动的字段已更新为最新内容，您的修改都还在；请核对后再次保存。",
        "conflict" => "Someone else changed this lead before you saved. The fields you left alone now show their changes, and yours are all still here; check them and save again.",
        "conflict_both" if zh => "您与对方都修改了：",
        "conflict_both" => "You both changed: ",
        _ => "",
    }
}

/// Every key of [`t`] but the field names, for the test that both languages have them.
#[cfg(test)]
const KEYS: &[&str] = &[
    "title",
    "hint",
    "sec_source",
    "sec_company",
    "sec_contact",
    "sec_need",
    "sec_fit",
    "sec_other",
    "choose",
    "unknown",
    "verified",
    "owner",
    "owner_auto",
    "details_trade_show",
    "details_web_form",
    "details_referral",
    "details_other",
    "company_size",
    "budget_match",
    "urgency",
    "chain_part",
    "total",
    "grade",
    "live",
    "completeness",
    "save",
    "saving",
    "cancel",
    "fix",
    "required",
    "bad_count",
    "too_many_employees",
    "too_many_months",
    "bad_amount",
    "bad_email",
    "bad_choice",
    "not_empty",
    "bad_owner",
    "edit_title",
    "edit_hint",
    "save_changes",
    "loading",
    "read_only",
    "conflict",
    "conflict_both",
];

/// What each grade asks of the rep (PRODUCT.md §4, §5).
fn grade_advice(grade: Grade, lang: Lang) -> &'static str {
    match (grade, lang) {
        (Grade::S, Lang::Zh) => "S 级：经理亲自跟进，2 小时内首次联系，每天跟进",
        (Grade::A, Lang::Zh) => "A 级：高级销售跟进，2 小时内首次联系，每 2 天跟进",
        (Grade::B, Lang::Zh) => "B 级：4 小时内首次联系，每周跟进",
        (Grade::C, Lang::Zh) => "C 级：24 小时内首次联系，每周轻触达，每月重新评估",
        (Grade::S, Lang::En) => "S: a manager follows up personally, first contact within 2 h, daily",
        (Grade::A, Lang::En) => "A: a senior rep, first contact within 2 h, every 2 days",
        (Grade::B, Lang::En) => "B: first contact within 4 h, weekly",
        (Grade::C, Lang::En) => "C: first contact within 24 h, a light weekly touch, re-evaluated monthly",
    }
}

/// The form's text fields, in form order: every profile field but the `verified` checkbox,
/// which [`LeadProfile::FIELDS`] lists last (`owner` is the form's own, and optional).
const TEXT_FIELDS: [&str; 18] = {
    let mut fields = [""; 18];
    let mut i = 0;
    while i < fields.len() {
        fields[i] = LeadProfile::FIELDS[i];
        i += 1;
    }
    fields
};

/// What is wrong with a typed value, as a key of [`t`]; `None` when it is fine.
fn field_problem(field: &str, text: &str) -> Option<&'static str> {
    let text = text.trim();
    match field {
        "company" if text.is_empty() => Some("required"),
        "source" if text.is_empty() => Some("required"),
        "source" => Source::parse(text).is_none().then_some("bad_choice"),
        "decision_chain" if !text.is_empty() => DecisionChain::parse(text).is_none().then_some("bad_choice"),
        "employees" => match parse_count(text) {
            Err(_) => Some("bad_count"),
            Ok(Some(n)) if n > 10_000_000 => Some("too_many_employees"),
            Ok(_) => None,
        },
        "decision_months" => match parse_count(text) {
            Err(_) => Some("bad_count"),
            Ok(Some(n)) if n > 600 => Some("too_many_months"),
            Ok(_) => None,
        },
        "budget" => parse_amount(text).is_err().then_some("bad_amount"),
        "email" if !text.is_empty() => (!looks_like_email(text)).then_some("bad_email"),
        _ => None,
    }
}

/// Splits the tags field on commas (`,` `，` `、`), trimmed, without blanks or repeats.
fn split_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split([',', '，', '、', ';', '；']).map(str::trim).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// The body of `create_lead`: fields named as in [`LeadProfile`], numbers as JSON numbers,
/// empty fields left out. Expects values that passed [`field_problem`].
fn lead_body(value_of: impl Fn(&str) -> String, verified: bool, owner: &str) -> Value {
    let mut body = Map::new();
    for field in TEXT_FIELDS {
        let text = value_of(field);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let value = match field {
            "employees" | "decision_months" => match parse_count(text) {
                Ok(Some(n)) => Value::from(n),
                _ => continue,
            },
            "budget" => match parse_amount(text) {
                Ok(Some(x)) => Value::from(x),
                _ => continue,
            },
            "tags" => {
                let tags = split_tags(text);
                if tags.is_empty() {
                    continue;
                }
                Value::from(tags)
            }
            _ => Value::from(text),
        };
        body.insert(field.to_string(), value);
    }
    body.insert("verified".into(), Value::Bool(verified));
    if !owner.trim().is_empty() {
        body.insert("owner".into(), Value::from(owner.trim()));
    }
    Value::Object(body)
}

/// The text a field of the form shows for a saved profile: what [`lead_body`] reads back as
/// the same value.
fn profile_text(p: &LeadProfile, field: &str) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let count = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    match field {
        "source" => p.source.map(|s| s.key().to_string()).unwrap_or_default(),
        "source_details" => text(&p.source_details),
        "company" => text(&p.company),
        "industry" => text(&p.industry),
        "region" => text(&p.region),
        "employees" => count(p.employees),
        "contact_name" => text(&p.contact_name),
        "contact_title" => text(&p.contact_title),
        "phone" => text(&p.phone),
        "email" => text(&p.email),
        "need" => text(&p.need),
        "pain_points" => text(&p.pain_points),
        "expected_solution" => text(&p.expected_solution),
        "budget" => p.budget.map(amount_text).unwrap_or_default(),
        "decision_months" => count(p.decision_months),
        "decision_chain" => p.decision_chain.map(|c| c.key().to_string()).unwrap_or_default(),
        "strategy" => text(&p.strategy),
        "tags" => p.tags.join(", "),
        _ => String::new(),
    }
}

/// An amount as the user would type it: whole yuan without decimals, else up to 6 of them.
fn amount_text(x: f64) -> String {
    if x.fract() == 0.0 {
        crate::format::fixed(x, 0)
    } else {
        crate::format::fixed(x, 6).trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The body of `update_lead`: the fields whose text differs from the saved lead (`null` for
/// one the user emptied), `verified` and `owner` when changed, and the version edited.
/// `None` when nothing was changed.
fn edit_body(saved: &Lead, value_of: impl Fn(&str) -> String, verified: bool, owner: &str) -> Option<Value> {
    let typed = lead_body(&value_of, verified, owner);
    let mut body = Map::new();
    for field in TEXT_FIELDS {
        if value_of(field).trim() != profile_text(&saved.profile, field) {
            body.insert(field.to_string(), typed.get(field).cloned().unwrap_or(Value::Null));
        }
    }
    if verified != saved.profile.verified {
        body.insert("verified".into(), Value::Bool(verified));
    }
    let owner = owner.trim();
    if !owner.is_empty() && Some(owner) != saved.owner.as_deref() {
        body.insert("owner".into(), Value::from(owner));
    }
    if body.is_empty() {
        return None;
    }
    body.insert("version".into(), Value::from(saved.version));
    Some(Value::Object(body))
}

/// After someone else saved the lead first (`fresh`) over the one the user started from
/// (`saved`): the new text of each field the user left alone and the other person changed,
/// and the fields both changed differently (the user's text stays there).
fn rebase(
    saved: &Lead,
    fresh: &Lead,
    mine: impl Fn(&str) -> String,
) -> (Vec<(&'static str, String)>, Vec<&'static str>) {
    let mut take = Vec::new();
    let mut both = Vec::new();
    for field in TEXT_FIELDS {
        let (before, theirs) = (profile_text(&saved.profile, field), profile_text(&fresh.profile, field));
        if before == theirs {
            continue;
        }
        let mine = mine(field);
        if mine.trim() == before {
            take.push((field, theirs));
        } else if mine.trim() != theirs {
            both.push(field);
        }
    }
    (take, both)
}

/// The profile the form describes so far (for the completeness gauge).
fn draft_profile(value_of: impl Fn(&str) -> String) -> LeadProfile {
    let opt = |f: &str| Some(value_of(f).trim().to_string()).filter(|s| !s.is_empty());
    LeadProfile {
        company: opt("company"),
        industry: opt("industry"),
        region: opt("region"),
        employees: parse_count(&value_of("employees")).ok().flatten(),
        contact_name: opt("contact_name"),
        contact_title: opt("contact_title"),
        phone: opt("phone"),
        email: opt("email"),
        need: opt("need"),
        budget: parse_amount(&value_of("budget")).ok().flatten(),
        decision_months: parse_count(&value_of("decision_months")).ok().flatten(),
        ..Default::default()
    }
}

/// A server-side problem in the user's language (the server's checks speak English).
pub fn server_message(lang: Lang, message: &str) -> String {
    let key = if message == "is required" {
        "required"
    } else if message == "must not be empty" {
        "not_empty"
    } else if message.contains("is not an email address") {
        "bad_email"
    } else if message.starts_with("must be a whole number") || message == "must be a number" {
        "bad_count"
    } else if message == "must not be negative" {
        "bad_amount"
    } else if message.starts_with("unknown value") {
        "bad_choice"
    } else if message.contains("is not a rep you can assign") {
        "bad_owner"
    } else {
        return message.to_string();
    };
    t(lang, key).to_string()
}

/// The form's values, one signal a field.
#[derive(Clone, Copy)]
struct Form {
    values: [RwSignal<String>; 18],
    verified: RwSignal<bool>,
    owner: RwSignal<String>,
}

impl Form {
    /// Empty for a new lead, else the saved lead's values.
    fn new(saved: Option<&Lead>) -> Form {
        Form {
            values: std::array::from_fn(|i| {
                RwSignal::new(saved.map(|l| profile_text(&l.profile, TEXT_FIELDS[i])).unwrap_or_default())
            }),
            verified: RwSignal::new(saved.is_some_and(|l| l.profile.verified)),
            owner: RwSignal::new(saved.and_then(|l| l.owner.clone()).unwrap_or_default()),
        }
    }

    fn signal(&self, field: &str) -> RwSignal<String> {
        let i = TEXT_FIELDS.iter().position(|f| *f == field).unwrap_or(0);
        self.values[i]
    }

    fn get(&self, field: &str) -> String {
        self.signal(field).get()
    }

    fn get_untracked(&self, field: &str) -> String {
        self.signal(field).get_untracked()
    }
}

#[component]
pub fn NewLeadPage() -> impl IntoView {
    view! { <LeadForm saved=None/> }
}

/// `/leads/{code}/edit`: the form over the lead as saved, for those who may change it.
#[component]
pub fn EditLeadPage() -> impl IntoView {
    let lang = crate::shell::use_ui().lang;
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let lead = crate::wire::resource(move || code.get(), editable_lead);
    view! {
        <Transition fallback=move || view! { <p class="hint">{move || t(lang.get(), "loading")}</p> }>
            {move || Suspend::new(async move {
                match lead.await {
                    Ok((lead, true)) => view! { <LeadForm saved=Some(lead)/> }.into_any(),
                    Ok((lead, false)) => view! {
                        <section class="card empty" role="alert">
                            <p>{move || t(lang.get(), "read_only")}</p>
                            <a href=format!("/leads/{}", crate::shell::encode(&lead.code))>{lead.code.clone()}</a>
                        </section>
                    }
                    .into_any(),
                    Err(e) => view! {
                        <section class="card empty" role="alert">
                            <p>{move || e.message(lang.get())}</p>
                            <a href="/leads">{move || t(lang.get(), "cancel")}</a>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

/// The form itself: a new lead when `saved` is `None`, else an edit of that lead.
#[component]
fn LeadForm(saved: Option<Lead>) -> impl IntoView {
    let ui = crate::shell::use_ui();
    let lang = ui.lang;
    let editing = saved.is_some();
    let form = Form::new(saved.as_ref());
    // The lead as last saved (after a conflict: as the other person saved it).
    let saved = StoredValue::new(saved);
    // After a conflict: the fields both people changed.
    let conflict: RwSignal<Option<Vec<&'static str>>> = RwSignal::new(None);
    let settings = WorkspaceSettings::default().scoring;
    // Fields the user has left (their "required" errors show from then on), whether saving
    // was tried, and the problems the server reported.
    let touched: RwSignal<Vec<&'static str>> = RwSignal::new(Vec::new());
    let attempted = RwSignal::new(false);
    let server_problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let general_error: RwSignal<Option<UiError>> = RwSignal::new(None);

    let inputs = Memo::new(move |_| ScoreInputs {
        employees: parse_count(&form.get("employees")).ok().flatten(),
        budget: parse_amount(&form.get("budget")).ok().flatten(),
        decision_months: parse_count(&form.get("decision_months")).ok().flatten(),
        decision_chain: DecisionChain::parse(&form.get("decision_chain")),
    });
    let result: Memo<Score> = Memo::new(move |_| score(&inputs.get(), &settings));
    let completeness = Memo::new(move |_| draft_profile(|f| form.get(f)).completeness());

    // The error shown next to a field: the browser's own check (required ones once the field
    // was left or saving was tried), else what the server said.
    let error_of = move |field: &'static str| -> Option<String> {
        let value = form.get(field);
        if let Some(key) = field_problem(field, &value) {
            let blank_required = value.trim().is_empty();
            if !blank_required || attempted.get() || touched.with(|t| t.contains(&field)) {
                return Some(t(lang.get(), key).to_string());
            }
        }
        server_problems.with(|p| p.iter().find(|p| p.path == field).map(|p| server_message(lang.get(), &p.message)))
    };
    let edited = move |field: &'static str, value: String| {
        form.signal(field).set(value);
        server_problems.update(|p| p.retain(|p| p.path != field));
    };
    let left = move |field: &'static str| {
        if !touched.with_untracked(|t| t.contains(&field)) {
            touched.update(|t| t.push(field));
        }
    };

    let navigate = use_navigate();
    let navigate_on_save = navigate.clone();
    let save = Action::new(move |body: &Value| {
        let body = body.clone();
        let code = saved.with_value(|s| s.as_ref().map(|l| l.code.clone()));
        async move {
            match code {
                None => create_lead(body).await,
                Some(code) => update_lead(code, body).await,
            }
        }
    });
    let saving = save.pending();
    let lead_page = |code: &str| format!("/leads/{}", crate::shell::encode(code));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(lead)) => navigate_on_save(&lead_page(&lead.code), Default::default()),
        Some(Err(UiError::Conflict(fresh))) if editing => {
            let Some(before) = saved.get_value() else { return };
            let (take, both) = rebase(&before, &fresh, |f| form.get_untracked(f));
            for (field, text) in take {
                form.signal(field).set(text);
            }
            if form.verified.get_untracked() == before.profile.verified {
                form.verified.set(fresh.profile.verified);
            }
            if form.owner.get_untracked() == before.owner.clone().unwrap_or_default() {
                form.owner.set(fresh.owner.clone().unwrap_or_default());
            }
            saved.set_value(Some(*fresh));
            conflict.set(Some(both));
        }
        Some(Err(UiError::Invalid(problems))) => {
            let (fields, other): (Vec<Problem>, Vec<Problem>) =
                problems.into_iter().partition(|p| TEXT_FIELDS.contains(&p.path.as_str()) || p.path == "owner");
            server_problems.set(fields);
            general_error.set((!other.is_empty()).then_some(UiError::Invalid(other)));
        }
        Some(Err(e)) => general_error.set(Some(e)),
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        general_error.set(None);
        let first_bad = TEXT_FIELDS.iter().find(|f| field_problem(f, &form.get_untracked(f)).is_some());
        if let Some(field) = first_bad {
            focus(field);
            return;
        }
        if saving.get_untracked() {
            return;
        }
        let (verified, owner) = (form.verified.get_untracked(), form.owner.get_untracked());
        match saved.get_value() {
            None => {
                save.dispatch(lead_body(|f| form.get_untracked(f), verified, &owner));
            }
            Some(lead) => match edit_body(&lead, |f| form.get_untracked(f), verified, &owner) {
                Some(body) => {
                    conflict.set(None);
                    save.dispatch(body);
                }
                // Nothing changed: back to the lead.
                None => navigate(&lead_page(&lead.code), Default::default()),
            },
        }
    };

    // A one-line input with its label and error.
    let input = move |field: &'static str, required: bool, numeric: bool, kind: &'static str| {
        let error_id = format!("{field}-error");
        let described = error_id.clone();
        view! {
            <label class="field" for=field>
                <span>{move || t(lang.get(), field)}{required.then_some(" *")}</span>
                <input id=field name=field type=kind
                    inputmode=if numeric { Some("numeric") } else { None }
                    autocomplete="off" required=required
                    aria-invalid=move || error_of(field).is_some().to_string()
                    aria-describedby=described
                    prop:value=move || form.get(field)
                    on:input=move |ev| edited(field, event_target_value(&ev))
                    on:blur=move |_| left(field)/>
                {move || error_of(field).map(|m| view! {
                    <small class="field-error" id=error_id.clone() role="alert">{m}</small>
                })}
            </label>
        }
    };
    let area = move |field: &'static str| {
        view! {
            <label class="field field-wide" for=field>
                <span>{move || t(lang.get(), field)}</span>
                <textarea id=field name=field rows="3"
                    prop:value=move || form.get(field)
                    on:input=move |ev| edited(field, event_target_value(&ev))></textarea>
                {move || error_of(field).map(|m| view! { <small class="field-error" role="alert">{m}</small> })}
            </label>
        }
    };
    let part = move |key: &'static str, points: fn(&Score) -> u32, max: u32| {
        view! {
            <div class="score-part">
                <span>{move || t(lang.get(), key)}</span>
                <meter min="0" max=max value=move || points(&result.get())></meter>
                <b data-part=key>{move || points(&result.get())}"/"{max}</b>
            </div>
        }
    };
    let details_hint = move || {
        let key = match Source::parse(&form.get("source")) {
            Some(Source::TradeShow) => "details_trade_show",
            Some(Source::WebForm) => "details_web_form",
            Some(Source::Referral) => "details_referral",
            _ => "details_other",
        };
        t(lang.get(), key)
    };
    let may_choose_owner =
        move || ui.viewer.with(|v| v.as_ref().is_some_and(|v| matches!(v.role, Role::Manager | Role::Admin)));
    let people = crate::wire::resource(may_choose_owner, |may| async move {
        if may {
            load_people().await
        } else {
            Ok(Default::default())
        }
    });

    view! {
        <div class="lead-new">
            <header class="page-head">
                <h1>
                    {move || t(lang.get(), if editing { "edit_title" } else { "title" })}
                    {saved.with_value(|s| s.as_ref().map(|l| view! { " "<span class="lead-code">{l.code.clone()}</span> }))}
                </h1>
                <p class="hint">{move || t(lang.get(), if editing { "edit_hint" } else { "hint" })}</p>
            </header>
            <form class="lead-form" novalidate on:submit=on_submit>
                <div class="lead-form-fields">
                    <fieldset class="card">
                        <legend>{move || t(lang.get(), "sec_source")}</legend>
                        <div class="form-grid">
                            <label class="field" for="source">
                                <span>{move || t(lang.get(), "source")}" *"</span>
                                <select id="source" name="source" required
                                    aria-invalid=move || error_of("source").is_some().to_string()
                                    prop:value=move || form.get("source")
                                    on:change=move |ev| edited("source", event_target_value(&ev))
                                    on:blur=move |_| left("source")>
                                    <option value="">{move || t(lang.get(), "choose")}</option>
                                    {Source::ALL.iter().map(|s| view! {
                                        <option value=s.key()>{move || s.label(lang.get())}</option>
                                    }).collect_view()}
                                </select>
                                {move || error_of("source").map(|m| view! { <small class="field-error" role="alert">{m}</small> })}
                            </label>
                            <label class="field" for="source_details">
                                <span>{move || t(lang.get(), "source_details")}</span>
                                <input id="source_details" name="source_details" autocomplete="off"
                                    placeholder=details_hint
                                    prop:value=move || form.get("source_details")
                                    on:input=move |ev| edited("source_details", event_target_value(&ev))/>
                            </label>
                        </div>
                    </fieldset>
                    <fieldset class="card">
                        <legend>{move || t(lang.get(), "sec_company")}</legend>
                        <div class="form-grid">
                            {input("company", true, false, "text")}
                            {input("industry", false, false, "text")}
                            {input("region", false, false, "text")}
                            {input("employees", false, true, "text")}
                        </div>
                    </fieldset>
                    <fieldset class="card">
                        <legend>{move || t(lang.get(), "sec_contact")}</legend>
                        <div class="form-grid">
                            {input("contact_name", false, false, "text")}
                            {input("contact_title", false, false, "text")}
                            {input("phone", false, false, "tel")}
                            {input("email", false, false, "email")}
                        </div>
                    </fieldset>
                    <fieldset class="card">
                        <legend>{move || t(lang.get(), "sec_need")}</legend>
                        {area("need")}
                        {area("pain_points")}
                        {area("expected_solution")}
                    </fieldset>
                    <fieldset class="card">
                        <legend>{move || t(lang.get(), "sec_fit")}</legend>
                        <div class="form-grid">
                            {input("budget", false, true, "text")}
                            {input("decision_months", false, true, "text")}
                            <label class="field" for="decision_chain">
                                <span>{move || t(lang.get(), "decision_chain")}</span>
                                <select id="decision_chain" name="decision_chain"
                                    prop:value=move || form.get("decision_chain")
                                    on:change=move |ev| edited("decision_chain", event_target_value(&ev))>
                                    <option value="">{move || t(lang.get(), "unknown")}</option>
                                    {DecisionChain::ALL.iter().map(|c| view! {
                                        <option value=c.key()>{move || c.label(lang.get())}</option>
                                    }).collect_view()}
                                </select>
                                {move || error_of("decision_chain").map(|m| view! { <small class="field-error" role="alert">{m}</small> })}
                            </label>
                        </div>
                    </fieldset>
                    <fieldset class="card">
                        <legend>{move || t(lang.get(), "sec_other")}</legend>
                        <div class="form-grid">
                            {input("strategy", false, false, "text")}
                            {input("tags", false, false, "text")}
                            <Show when=may_choose_owner>
                                <Transition fallback=|| ()>
                                    {move || Suspend::new(async move {
                                        let reps = people.await.map(|p| p.reps).unwrap_or_default();
                                        view! {
                                            <label class="field" for="owner">
                                                <span>{move || t(lang.get(), "owner")}</span>
                                                <select id="owner" name="owner"
                                                    aria-invalid=move || server_problems.with(|p| p.iter().any(|p| p.path == "owner")).to_string()
                                                    prop:value=move || form.owner.get()
                                                    on:change=move |ev| {
                                                        form.owner.set(event_target_value(&ev));
                                                        server_problems.update(|p| p.retain(|p| p.path != "owner"));
                                                    }>
                                                    {(!editing).then(|| view! {
                                                        <option value="">{move || t(lang.get(), "owner_auto")}</option>
                                                    })}
                                                    {reps.into_iter().map(|r| view! {
                                                        <option value=r.key.clone()>{r.name.clone()}</option>
                                                    }).collect_view()}
                                                </select>
                                                {move || server_problems.with(|p| p.iter().find(|p| p.path == "owner").map(|p| server_message(lang.get(), &p.message)))
                                                    .map(|m| view! { <small class="field-error" role="alert">{m}</small> })}
                                            </label>
                                        }
                                    })}
                                </Transition>
                            </Show>
                            <label class="check" for="verified">
                                <input id="verified" name="verified" type="checkbox"
                                    prop:checked=move || form.verified.get()
                                    on:change=move |ev| form.verified.set(event_target_checked(&ev))/>
                                <span>{move || t(lang.get(), "verified")}</span>
                            </label>
                        </div>
                    </fieldset>
                </div>
                <aside class="card lead-score" aria-live="polite" aria-labelledby="live-score-title">
                    <h2 id="live-score-title">{move || t(lang.get(), "live")}</h2>
                    {part("company_size", |s| s.company_size, 30)}
                    {part("budget_match", |s| s.budget_match, 30)}
                    {part("urgency", |s| s.urgency, 20)}
                    {part("chain_part", |s| s.decision_chain, 20)}
                    <div class="score-total">
                        <span>{move || t(lang.get(), "total")}</span>
                        <b id="score-total">{move || result.get().total}</b>
                        <span class=move || format!("grade grade-{}", result.get().grade.key())
                            id="score-grade" title=move || t(lang.get(), "grade")>
                            {move || result.get().grade.key()}
                        </span>
                    </div>
                    <p class="advice">{move || grade_advice(result.get().grade, lang.get())}</p>
                    <p class="completeness">
                        {move || t(lang.get(), "completeness")}" "
                        <b>{move || format!("{}%", crate::format::fixed(completeness.get() * 100.0, 0))}</b>
                    </p>
                    <div class="form-actions">
                        {move || conflict.get().map(|both| view! {
                            <p class="form-error conflict" role="alert">
                                {t(lang.get(), "conflict")}
                                {(!both.is_empty()).then(|| format!(
                                    " {}{}",
                                    t(lang.get(), "conflict_both"),
                                    both.iter().map(|f| t(lang.get(), f)).collect::<Vec<_>>().join(if lang.get() == Lang::Zh { "、" } else { ", " })
                                ))}
                            </p>
                        })}
                        {move || general_error.get().map(|e| view! {
                            <p class="form-error" role="alert">{e.message(lang.get())}</p>
                        })}
                        {move || (attempted.get() && general_error.with(Option::is_none)
                            && TEXT_FIELDS.iter().any(|f| field_problem(f, &form.get(f)).is_some()))
                            .then(|| view! { <p class="form-error" role="alert">{t(lang.get(), "fix")}</p> })}
                        <button type="submit" class="primary" disabled=move || saving.get()>
                            {move || t(lang.get(), match (saving.get(), editing) {
                                (true, _) => "saving",
                                (false, true) => "save_changes",
                                (false, false) => "save",
                            })}
                        </button>
                        <a class="secondary" href=saved.with_value(|s| s.as_ref().map_or("/leads".to_string(), |l| lead_page(&l.code)))>
                            {move || t(lang.get(), "cancel")}
                        </a>
                    </div>
                </aside>
            </form>
        </div>
    }
}

/// Moves the keyboard focus to a field (the first one to fix).
fn focus(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_page_text_exists_in_both_languages() {
        for key in KEYS {
            assert!(!t(Lang::Zh, key).is_empty(), "zh {key}");
            assert!(!t(Lang::En, key).is_empty(), "en {key}");
        }
        for field in TEXT_FIELDS {
            assert!(!t(Lang::Zh, field).is_empty() && !t(Lang::En, field).is_empty(), "{field}");
        }
    }

    #[test]
    fn company_and_source_are_required_and_numbers_and_emails_are_checked() {
        assert_eq!(field_problem("company", "  "), Some("required"));
        assert_eq!(field_problem("source", ""), Some("required"));
        assert_eq!(field_problem("source", "fax"), Some("bad_choice"));
        assert_eq!(field_problem("source", "trade_show"), None);
        assert_eq!(field_problem("employees", "1,200"), None);
        assert_eq!(field_problem("employees", "很多"), Some("bad_count"));
        assert_eq!(field_problem("employees", "20000000"), Some("too_many_employees"));
        assert_eq!(field_problem("decision_months", "601"), Some("too_many_months"));
        assert_eq!(field_problem("budget", "200,000"), None);
        assert_eq!(field_problem("budget", "-5"), Some("bad_amount"));
        assert_eq!(field_problem("email", ""), None);
        assert_eq!(field_problem("email", "li.na@huaxin"), Some("bad_email"));
        assert_eq!(field_problem("email", "li.na@huaxin.cn"), None);
        assert_eq!(field_problem("need", ""), None);
    }

    #[test]
    fn the_body_names_fields_as_the_profile_and_leaves_blanks_out() {
        let values = |f: &str| {
            match f {
                "source" => "trade_show",
                "company" => " 上海华信科技有限公司 ",
                "employees" => "1,200",
                "budget" => "200,000",
                "decision_months" => "1",
                "decision_chain" => "dm_engaged",
                "tags" => "展会, 重点客户，展会",
                _ => "",
            }
            .to_string()
        };
        let body = lead_body(values, true, "");
        assert_eq!(
            body,
            json!({"source": "trade_show", "company": "上海华信科技有限公司", "employees": 1200,
                   "budget": 200000.0, "decision_months": 1, "decision_chain": "dm_engaged",
                   "tags": ["展会", "重点客户"], "verified": true})
        );
        assert_eq!(LeadProfile::FIELDS.last(), Some(&"verified"), "every other profile field is on the form");
        assert_eq!(lead_body(values, false, "r12")["owner"], "r12");
    }

    fn saved_lead() -> Lead {
        let profile = LeadProfile {
            source: Some(Source::Referral),
            company: Some("杭州云帆数据有限公司".into()),
            employees: Some(320),
            contact_name: Some("王强".into()),
            email: Some("wang.qiang@yunfan.cn".into()),
            budget: Some(150_000.5),
            decision_months: Some(3),
            decision_chain: Some(DecisionChain::DmIdentified),
            tags: vec!["老客户".into(), "华东".into()],
            verified: true,
            ..Default::default()
        };
        let at = chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap();
        let scored = score(&profile.score_inputs(), &WorkspaceSettings::default().scoring);
        Lead {
            code: "LX202600042".into(),
            score: scored,
            grade: scored.grade,
            profile,
            owner: Some("r14".into()),
            owner_name: None,
            team: Some("t1".into()),
            created_at: at,
            assigned_at: Some(at),
            first_contact_at: None,
            status: crate::domain::enums::Status::Contacted,
            status_since: at,
            won_at: None,
            lost_at: None,
            deal_amount: None,
            loss_reason: None,
            version: 7,
        }
    }

    #[test]
    fn a_saved_profile_shown_in_the_form_reads_back_as_the_same_profile() {
        let lead = saved_lead();
        assert_eq!(profile_text(&lead.profile, "budget"), "150000.5");
        assert_eq!(profile_text(&lead.profile, "tags"), "老客户, 华东");
        let body = lead_body(|f| profile_text(&lead.profile, f), true, "");
        let mut problems = Vec::new();
        let back = LeadProfile::read(&mut crate::domain::validate::Fields::new(&body, String::new(), &mut problems));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back, lead.profile);
        assert_eq!(amount_text(200_000.0), "200000");
    }

    #[test]
    fn an_edit_sends_only_what_changed_with_the_version_it_started_from() {
        let lead = saved_lead();
        let unchanged = |f: &str| profile_text(&lead.profile, f);
        assert_eq!(edit_body(&lead, unchanged, true, "r14"), None, "nothing changed, nothing sent");

        let edited = |f: &str| match f {
            "budget" => "300,000".to_string(),
            "email" => "  ".to_string(),
            "industry" => "制造业".to_string(),
            _ => profile_text(&lead.profile, f),
        };
        assert_eq!(
            edit_body(&lead, edited, false, "r15"),
            Some(json!({"budget": 300000.0, "email": null, "industry": "制造业", "verified": false,
                        "owner": "r15", "version": 7}))
        );
    }

    #[test]
    fn after_someone_else_saved_first_their_changes_fill_the_fields_the_user_left_alone() {
        let saved = saved_lead();
        let mut fresh = saved_lead();
        fresh.version = 8;
        fresh.profile.region = Some("浙江".into());
        fresh.profile.budget = Some(180_000.0);
        fresh.profile.employees = Some(400);
        let mine = |f: &str| match f {
            "budget" => "250000".to_string(),
            "employees" => "400".to_string(),
            "need" => "数据中台".to_string(),
            _ => profile_text(&saved.profile, f),
        };
        let (take, both) = rebase(&saved, &fresh, mine);
        // Region: only they changed it. Employees: both typed the same. Budget: both, differently.
        assert_eq!(take, vec![("region", "浙江".to_string())]);
        assert_eq!(both, vec!["budget"]);
    }

    #[test]
    fn the_server_s_problems_are_shown_in_the_user_s_language() {
        assert_eq!(server_message(Lang::Zh, "is required"), "必填");
        assert_eq!(server_message(Lang::En, "`x` is not an email address"), t(Lang::En, "bad_email"));
        assert_eq!(server_message(Lang::Zh, "something new"), "something new");
    }
}
