//! The lead form's choices: the source select with the source details it asks for, and the
//! decision chain select (PRODUCT.md §2, §3).
use super::inputs::{field_name, FieldInput};
use super::state::FormState;
use crate::domain::enums::{DecisionChain, Source};
use crate::domain::lead_form::fields::{details_for, DETAIL_FIELDS};
use leptos::prelude::*;

crate::texts! {
    Choose: "请选择", "Choose…";
    Unknown: "未知", "Unknown";
    DetailsTradeShow: "展位号、交流时长、感兴趣的产品、留资原因", "Booth no., minutes talked, products of interest, why they left details";
    DetailsWebForm: "访问页面、需求关键词、联系方式完整度", "Page visited, need keywords, contact completeness";
    DetailsReferral: "推荐人、与客户的关系、推荐场景", "Referrer, relationship to the customer, scenario";
    DetailsOther: "渠道补充说明", "Anything about the channel";
}

/// What the source details of a lead from `source` should say.
fn details_hint(source: Option<Source>) -> T {
    match source {
        Some(Source::TradeShow) => T::DetailsTradeShow,
        Some(Source::WebForm) => T::DetailsWebForm,
        Some(Source::Referral) => T::DetailsReferral,
        _ => T::DetailsOther,
    }
}

/// The required source select, with its error.
#[component]
pub fn SourceSelect(state: FormState) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    view! {
        <label class="field" for="source">
            <span>{move || field_name("source", lang.get())}" *"</span>
            <select id="source" name="source" required
                aria-invalid=move || state.error_of("source", lang.get()).is_some().to_string()
                prop:value=move || state.form.get("source")
                on:change=move |ev| state.edited("source", event_target_value(&ev))
                on:blur=move |_| state.left("source")>
                <option value="">{move || t(lang.get(), T::Choose)}</option>
                {Source::ALL.iter().map(|s| view! {
                    <option value=s.key()>{move || s.label(lang.get())}</option>
                }).collect_view()}
            </select>
            {move || state.error_of("source", lang.get()).map(|m| view! { <small class="field-error" role="alert">{m}</small> })}
        </label>
    }
}

/// The source details, with a placeholder saying what to note for the chosen source.
#[component]
pub fn SourceDetails(state: FormState) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    let placeholder = move || t(lang.get(), details_hint(Source::parse(&state.form.get("source"))));
    view! {
        <label class="field" for="source_details">
            <span>{move || field_name("source_details", lang.get())}</span>
            <input id="source_details" name="source_details" autocomplete="off"
                placeholder=placeholder
                prop:value=move || state.form.get("source_details")
                on:input=move |ev| state.edited("source_details", event_target_value(&ev))/>
        </label>
    }
}

/// The channel details the chosen source asks for (PRODUCT.md §2), and any other detail the
/// lead already holds (from an import or a web form).
#[component]
pub fn ChannelFields(state: FormState) -> impl IntoView {
    let held: Vec<&'static str> =
        DETAIL_FIELDS.iter().copied().filter(|f| !state.form.get_untracked(f).trim().is_empty()).collect();
    move || {
        let asked = details_for(Source::parse(&state.form.get("source")));
        DETAIL_FIELDS
            .iter()
            .filter(|f| asked.contains(f) || held.contains(f))
            .map(|f| view! { <FieldInput state=state field=f numeric={*f == "minutes"}/> })
            .collect_view()
    }
}

/// The decision chain select (unknown by default), with its error.
#[component]
pub fn DecisionChainSelect(state: FormState) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    view! {
        <label class="field" for="decision_chain">
            <span>{move || field_name("decision_chain", lang.get())}</span>
            <select id="decision_chain" name="decision_chain"
                prop:value=move || state.form.get("decision_chain")
                on:change=move |ev| state.edited("decision_chain", event_target_value(&ev))>
                <option value="">{move || t(lang.get(), T::Unknown)}</option>
                {DecisionChain::ALL.iter().map(|c| view! {
                    <option value=c.key()>{move || c.label(lang.get())}</option>
                }).collect_view()}
            </select>
            {move || state.error_of("decision_chain", lang.get()).map(|m| view! { <small class="field-error" role="alert">{m}</small> })}
        </label>
    }
}
