//! The start page: what Genjin does, and a lead-score calculator that grades as you type with
//! the same scoring code the server uses (PRODUCT.md §3).
use crate::components::grade::grade_advice;
use crate::components::score::ScoreBreakdown;
use crate::domain::enums::DecisionChain;
use crate::format::parse_count;
use crate::scoring::{score, Score, ScoreInputs};
use leptos::prelude::*;

// Text of the start page in both languages.
crate::texts! {
    Tagline: "线索分级、跟进计划、销售看板与跟进成效，一处完成。", "Grade leads, plan follow-ups, move deals and measure how well you follow up.";
    Calc: "线索评分试算", "Lead score calculator";
    CalcHint: "输入客户信息，评分与等级即时更新（与服务器使用同一套规则）。", "Type a customer's details: the score and grade update at once (same rules as the server).";
    Employees: "员工人数", "Employees";
    Budget: "预算（元）", "Budget (CNY)";
    Months: "预计决策时间（月）", "Months to decision";
    Chain: "决策链", "Decision chain";
    Unknown: "未知", "Unknown";
    BadNumber: "请输入不小于 0 的整数", "Enter a whole number, 0 or more";
    Api: "开放接口（OpenAPI）", "Open API (OpenAPI)";
    SignIn: "登录工作区 →", "Sign in to your workspace →";
}

#[component]
pub fn HomePage() -> impl IntoView {
    let ui = crate::ui::use_ui();
    let lang = ui.lang;
    let employees = RwSignal::new(String::new());
    let budget = RwSignal::new(String::new());
    let months = RwSignal::new(String::new());
    let chain = RwSignal::new(String::new());

    let inputs = Memo::new(move |_| ScoreInputs {
        employees: parse_count(&employees.get()).ok().flatten(),
        budget: parse_count(&budget.get()).ok().flatten().map(f64::from),
        decision_months: parse_count(&months.get()).ok().flatten(),
        decision_chain: DecisionChain::parse(&chain.get()),
    });
    let result: Memo<Score> = Memo::new(move |_| ui.settings.with(|s| score(&inputs.get(), &s.scoring)));

    let number_field = move |key: T, id: &'static str, value: RwSignal<String>| {
        let invalid = move || parse_count(&value.get()).is_err();
        view! {
            <label class="field" for=id>
                <span>{move || t(lang.get(), key)}</span>
                <input id=id inputmode="numeric" autocomplete="off"
                    aria-invalid=move || invalid().to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))/>
                <Show when=invalid>
                    <small class="field-error" role="alert">{move || t(lang.get(), T::BadNumber)}</small>
                </Show>
            </label>
        }
    };

    view! {
        <div class="home" lang=move || lang.get().code()>
            <p class="tagline">{move || t(lang.get(), T::Tagline)}</p>
            <section class="card calculator" aria-labelledby="calc-title">
                <h2 id="calc-title">{move || t(lang.get(), T::Calc)}</h2>
                <p class="hint">{move || t(lang.get(), T::CalcHint)}</p>
                <div class="calc-grid">
                    <form class="calc-inputs" on:submit=|ev| ev.prevent_default()>
                        {number_field(T::Employees, "employees", employees)}
                        {number_field(T::Budget, "budget", budget)}
                        {number_field(T::Months, "decision_months", months)}
                        <label class="field" for="decision_chain">
                            <span>{move || t(lang.get(), T::Chain)}</span>
                            <select id="decision_chain" prop:value=move || chain.get()
                                on:change=move |ev| chain.set(event_target_value(&ev))>
                                <option value="">{move || t(lang.get(), T::Unknown)}</option>
                                {DecisionChain::ALL.iter().map(|c| view! {
                                    <option value=c.key()>{move || c.label(lang.get())}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    </form>
                    <div class="calc-result" aria-live="polite">
                        <ScoreBreakdown score=result/>
                        <p class="advice">{move || ui.settings.with(|s| grade_advice(result.get().grade, s, lang.get()))}</p>
                    </div>
                </div>
            </section>
            <footer class="home-footer">
                <Show when=move || ui.viewer.with(Option::is_none)>
                    <a class="primary-link" href="/login">{move || t(lang.get(), T::SignIn)}</a>
                </Show>
                <a href="/api/v1/openapi.json">{move || t(lang.get(), T::Api)}</a>
            </footer>
        </div>
    }
}
