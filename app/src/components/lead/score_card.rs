//! The lead's score card: the four parts of its score against their maximum, the total and
//! the grade (PRODUCT.md §3), the parts a manager overrode with who, when and why, and the way
//! to the score page (`/leads/{code}/score`, the server's) where managers override a part.
use crate::components::score::ScoreBreakdown;
use crate::domain::lead::Lead;
use crate::i18n::Lang;
use leptos::prelude::*;

crate::texts! {
    Score: "线索评分", "Lead score";
    Overridden: "经理调整", "Overridden by a manager";
    Details: "评分明细与调整", "Score details and overrides";
}

pub fn score_card(lead: &Lead, l: Lang) -> impl IntoView {
    let overrides = (!lead.overrides.is_empty()).then(|| {
        let items = lead
            .overrides
            .iter()
            .map(|o| {
                let who = o.by_name.clone().unwrap_or_else(|| o.by.clone());
                view! {
                    <li data-part=o.part.key()>
                        <b>{o.part.label(l)}" "{o.points}</b>
                        " · "{who}" · "{crate::format::date(o.at)}"："{o.reason.clone()}
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="score-overrides">
                <h3>{t(l, T::Overridden)}</h3>
                <ul>{items}</ul>
            </div>
        }
    });
    view! {
        <section class="card lead-score-card" aria-labelledby="score-title">
            <h2 id="score-title">{t(l, T::Score)}</h2>
            <ScoreBreakdown score=Signal::stored(lead.score) out_of=true/>
            {overrides}
            <a href=format!("/leads/{}/score", crate::ui::encode(&lead.code)) rel="external" class="score-details">
                {t(l, T::Details)}
            </a>
        </section>
    }
}
