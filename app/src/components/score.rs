//! A lead's score as every page shows it: the four parts (二维四类, PRODUCT.md §3) with their
//! meters, the total and the grade. The start page's calculator, the lead form's live score and
//! the lead page's score card all draw it here; the parts' maxima come from the workspace's
//! scoring settings.
use crate::scoring::Score;
use crate::ui::use_ui;
use leptos::prelude::*;

crate::texts! {
    CompanySize: "企业规模", "Company size";
    BudgetMatch: "预算匹配", "Budget match";
    Urgency: "需求紧迫性", "Urgency";
    DecisionChain: "决策链清晰度", "Decision chain";
    Total: "总分", "Total";
    Grade: "等级", "Grade";
}

/// The parts, total and grade of `score`. `out_of` writes each part against its maximum
/// (`25/30`); the calculator shows the points alone.
#[component]
pub fn ScoreBreakdown(#[prop(into)] score: Signal<Score>, #[prop(optional)] out_of: bool) -> impl IntoView {
    let ui = use_ui();
    let (lang, settings) = (ui.lang, ui.settings);
    // `name` is the part's name in the page (`data-part`), `index` its place in the maxima.
    let part = move |name: &'static str, label: T, index: usize, points: fn(&Score) -> u32| {
        let max = move || settings.with(|s| s.scoring.max_points()[index]);
        view! {
            <div class="score-part">
                <span>{move || t(lang.get(), label)}</span>
                <meter min="0" max=max value=move || points(&score.get())></meter>
                <b data-part=name>
                    {move || points(&score.get())}
                    {move || out_of.then(|| format!("/{}", max()))}
                </b>
            </div>
        }
    };
    view! {
        {part("company_size", T::CompanySize, 0, |s| s.company_size)}
        {part("budget_match", T::BudgetMatch, 1, |s| s.budget_match)}
        {part("urgency", T::Urgency, 2, |s| s.urgency)}
        {part("decision_chain", T::DecisionChain, 3, |s| s.decision_chain)}
        <div class="score-total">
            <span>{move || t(lang.get(), T::Total)}</span>
            <b id="score-total">{move || score.get().total}</b>
            <span class=move || format!("grade grade-{}", score.get().grade.key())
                id="score-grade" title=move || t(lang.get(), T::Grade)>
                {move || score.get().grade.key()}
            </span>
        </div>
    }
}
