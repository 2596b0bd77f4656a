//! The lead page once its lead is loaded: the header, the follow-up form (or a note that the
//! viewer may only look), the upcoming tasks and the history, beside the score and profile
//! cards; all of it redrawn in the language the user switches to.
use super::follow_up_form::follow_up_form;
use super::follow_up_state::FormContext;
use super::header::LeadHeader;
use super::profile_card::profile_card;
use super::score_card::score_card;
use super::timeline::{timeline_card, upcoming_card};
use crate::domain::follow_up::order::split_timeline;
use crate::format::now;
use crate::server_fns::leads::LeadDetail;
use leptos::prelude::*;

crate::texts! {
    ReadOnly: "您可以查看此线索，但不能为它记录跟进。", "You can see this lead but not log follow-ups on it.";
}

#[component]
pub fn LeadView(detail: LeadDetail, ctx: FormContext) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
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
                        view! { <p class="card hint">{t(l, T::ReadOnly)}</p> }.into_any()
                    }}
                    {upcoming_card(&upcoming, l)}
                    {timeline_card(&history, &detail, l)}
                </div>
                <aside class="lead-side">
                    {detail.value.as_ref().map(|v| crate::components::value::value_card(v, l))}
                    {score_card(lead, l)}
                    {profile_card(lead, l)}
                </aside>
            </div>
        }
    }
}
