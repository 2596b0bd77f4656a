//! The lead's score card: the four parts of its score against their maximum, the total and
//! the grade (PRODUCT.md §3).
use crate::components::score::ScoreBreakdown;
use crate::domain::lead::Lead;
use crate::i18n::Lang;
use leptos::prelude::*;

crate::texts! {
    Score: "线索评分", "Lead score";
}

pub fn score_card(lead: &Lead, l: Lang) -> impl IntoView {
    view! {
        <section class="card lead-score-card" aria-labelledby="score-title">
            <h2 id="score-title">{t(l, T::Score)}</h2>
            <ScoreBreakdown score=Signal::stored(lead.score) out_of=true/>
        </section>
    }
}
