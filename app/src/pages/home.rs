//! The start page: what Genjin does, and a lead-score calculator that grades as you type with
//! the same scoring code the server uses (PRODUCT.md §3).
use crate::domain::enums::{DecisionChain, Grade};
use crate::i18n::Lang;
use crate::scoring::{score, Score, ScoreInputs};
use crate::settings::WorkspaceSettings;
use leptos::prelude::*;

/// Text of the start page in both languages.
fn t(lang: Lang, key: &str) -> &'static str {
    let zh = lang == Lang::Zh;
    match key {
        "tagline" if zh => "线索分级、跟进计划、销售看板与跟进成效，一处完成。",
        "tagline" => "Grade leads, plan follow-ups, move deals and measure how well you follow up.",
        "calc" if zh => "线索评分试算",
        "calc" => "Lead score calculator",
        "calc_hint" if zh => "输入客户信息，评分与等级即时更新（与服务器使用同一套规则）。",
        "calc_hint" => "Type a customer's details: the score and grade update at once (same rules as the server).",
        "employees" if zh => "员工人数",
        "employees" => "Employees",
        "budget" if zh => "预算（元）",
        "budget" => "Budget (CNY)",
        "months" if zh => "预计决策时间（月）",
        "months" => "Months to decision",
        "chain" if zh => "决策链",
        "chain" => "Decision chain",
        "unknown" if zh => "未知",
        "unknown" => "Unknown",
        "company_size" if zh => "企业规模",
        "company_size" => "Company size",
        "budget_match" if zh => "预算匹配",
        "budget_match" => "Budget match",
        "urgency" if zh => "需求紧迫性",
        "urgency" => "Urgency",
        "decision_chain" if zh => "决策链",
        "decision_chain" => "Decision chain",
        "total" if zh => "总分",
        "total" => "Total",
        "grade" if zh => "等级",
        "grade" => "Grade",
        "bad_number" if zh => "请输入不小于 0 的整数",
        "bad_number" => "Enter a whole number, 0 or more",
        "api" if zh => "开放接口（OpenAPI）",
        "api" => "Open API (OpenAPI)",
        "sign_in" if zh => "登录工作区 →",
        "sign_in" => "Sign in to your workspace →",
        _ => "",
    }
}

/// What each grade asks of the rep (PRODUCT.md §3).
fn grade_advice(grade: Grade, lang: Lang) -> &'static str {
    match (grade, lang) {
        (Grade::S, Lang::Zh) => "S 级：立即跟进，24 小时内联系",
        (Grade::A, Lang::Zh) => "A 级：重点培育，本周内跟进",
        (Grade::B, Lang::Zh) => "B 级：定期培育，按节奏跟进",
        (Grade::C, Lang::Zh) => "C 级：低优先级，保持触达",
        (Grade::S, Lang::En) => "S: follow up now, within 24 hours",
        (Grade::A, Lang::En) => "A: nurture closely, follow up this week",
        (Grade::B, Lang::En) => "B: nurture on a cadence",
        (Grade::C, Lang::En) => "C: low priority, stay in touch",
    }
}

/// A field that should hold a whole number does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotACount;

/// Reads a whole number field: empty is unknown, anything else must parse.
pub fn parse_count(text: &str) -> Result<Option<u32>, NotACount> {
    let text = text.trim().replace([',', '，'], "");
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u32>().map(Some).map_err(|_| NotACount)
}

#[component]
pub fn HomePage() -> impl IntoView {
    let ui = crate::shell::use_ui();
    let lang = ui.lang;
    let employees = RwSignal::new(String::new());
    let budget = RwSignal::new(String::new());
    let months = RwSignal::new(String::new());
    let chain = RwSignal::new(String::new());
    let settings = WorkspaceSettings::default().scoring;

    let inputs = Memo::new(move |_| ScoreInputs {
        employees: parse_count(&employees.get()).ok().flatten(),
        budget: parse_count(&budget.get()).ok().flatten().map(f64::from),
        decision_months: parse_count(&months.get()).ok().flatten(),
        decision_chain: DecisionChain::parse(&chain.get()),
    });
    let result: Memo<Score> = Memo::new(move |_| score(&inputs.get(), &settings));

    let number_field = move |key: &'static str, id: &'static str, value: RwSignal<String>| {
        let invalid = move || parse_count(&value.get()).is_err();
        view! {
            <label class="field" for=id>
                <span>{move || t(lang.get(), key)}</span>
                <input id=id inputmode="numeric" autocomplete="off"
                    aria-invalid=move || invalid().to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))/>
                <Show when=invalid>
                    <small class="field-error" role="alert">{move || t(lang.get(), "bad_number")}</small>
                </Show>
            </label>
        }
    };
    let part = move |key: &'static str, points: fn(&Score) -> u32, max: u32| {
        view! {
            <div class="score-part">
                <span>{move || t(lang.get(), key)}</span>
                <meter min="0" max=max value=move || points(&result.get())></meter>
                <b data-part=key>{move || points(&result.get())}</b>
            </div>
        }
    };

    view! {
        <div class="home" lang=move || lang.get().code()>
            <p class="tagline">{move || t(lang.get(), "tagline")}</p>
            <section class="card calculator" aria-labelledby="calc-title">
                <h2 id="calc-title">{move || t(lang.get(), "calc")}</h2>
                <p class="hint">{move || t(lang.get(), "calc_hint")}</p>
                <div class="calc-grid">
                    <form class="calc-inputs" on:submit=|ev| ev.prevent_default()>
                        {number_field("employees", "employees", employees)}
                        {number_field("budget", "budget", budget)}
                        {number_field("months", "decision_months", months)}
                        <label class="field" for="decision_chain">
                            <span>{move || t(lang.get(), "chain")}</span>
                            <select id="decision_chain" prop:value=move || chain.get()
                                on:change=move |ev| chain.set(event_target_value(&ev))>
                                <option value="">{move || t(lang.get(), "unknown")}</option>
                                {DecisionChain::ALL.iter().map(|c| view! {
                                    <option value=c.key()>{move || c.label(lang.get())}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    </form>
                    <div class="calc-result" aria-live="polite">
                        {part("company_size", |s| s.company_size, 30)}
                        {part("budget_match", |s| s.budget_match, 30)}
                        {part("urgency", |s| s.urgency, 20)}
                        {part("decision_chain", |s| s.decision_chain, 20)}
                        <div class="score-total">
                            <span>{move || t(lang.get(), "total")}</span>
                            <b id="score-total">{move || result.get().total}</b>
                            <span class=move || format!("grade grade-{}", result.get().grade.key())
                                id="score-grade" title=move || t(lang.get(), "grade")>
                                {move || result.get().grade.key()}
                            </span>
                        </div>
                        <p class="advice">{move || grade_advice(result.get().grade, lang.get())}</p>
                    </div>
                </div>
            </section>
            <footer class="home-footer">
                <Show when=move || ui.viewer.with(Option::is_none)>
                    <a class="primary-link" href="/login">{move || t(lang.get(), "sign_in")}</a>
                </Show>
                <a href="/api/v1/openapi.json">{move || t(lang.get(), "api")}</a>
            </footer>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_accept_blank_and_thousands_separators_and_refuse_the_rest() {
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count(" 1,200 "), Ok(Some(1200)));
        assert_eq!(parse_count("15，000"), Ok(Some(15000)));
        assert!(parse_count("-3").is_err());
        assert!(parse_count("十").is_err());
    }

    #[test]
    fn every_page_text_exists_in_both_languages() {
        for key in [
            "tagline",
            "calc",
            "calc_hint",
            "employees",
            "budget",
            "months",
            "chain",
            "unknown",
            "company_size",
            "budget_match",
            "urgency",
            "decision_chain",
            "total",
            "grade",
            "bad_number",
            "api",
            "sign_in",
        ] {
            assert!(!t(Lang::Zh, key).is_empty(), "zh {key}");
            assert!(!t(Lang::En, key).is_empty(), "en {key}");
        }
    }
}
