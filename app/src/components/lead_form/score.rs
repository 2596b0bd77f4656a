//! The lead form's live score: the four parts of the score, the total, the grade and what it
//! asks of the rep, and how complete the profile is, updating as the user types (the same
//! scoring code and workspace settings the server uses; PRODUCT.md §3, §4).
use crate::components::grade::grade_advice;
use crate::components::score::ScoreBreakdown;
use crate::scoring::Score;
use leptos::prelude::*;

crate::texts! {
    Live: "实时评分", "Live score";
    Completeness: "信息完整度", "Info completeness";
}

/// The live score of the form's values (`result`) and their completeness (0–1).
#[component]
pub fn LiveScore(result: Memo<Score>, completeness: Memo<f64>) -> impl IntoView {
    let ui = crate::ui::use_ui();
    let (lang, settings) = (ui.lang, ui.settings);
    view! {
        <h2 id="live-score-title">{move || t(lang.get(), T::Live)}</h2>
        <ScoreBreakdown score=result out_of=true/>
        <p class="advice">{move || settings.with(|s| grade_advice(result.get().grade, s, lang.get()))}</p>
        <p class="completeness">
            {move || t(lang.get(), T::Completeness)}" "
            <b>{move || format!("{}%", crate::format::fixed(completeness.get() * 100.0, 0))}</b>
        </p>
    }
}
