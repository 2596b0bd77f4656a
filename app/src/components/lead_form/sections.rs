//! The lead form's profile fields, by section: source, company, contact, need, the
//! qualification that drives the score, and the rest (strategy, tags, owner, verified).
use super::choices::{ChannelFields, DecisionChainSelect, SourceDetails, SourceSelect};
use super::inputs::{FieldArea, FieldInput};
use super::owner::OwnerSelect;
use super::state::FormState;
use crate::domain::people::People;
use crate::error::UiError;
use crate::wire::WireResource;
use leptos::prelude::*;

crate::texts! {
    SecSource: "线索来源", "Source";
    SecCompany: "企业信息", "Company";
    SecContact: "联系人", "Contact";
    SecNeed: "需求", "Need";
    SecFit: "商机评估（决定评分）", "Qualification (drives the score)";
    SecOther: "其他", "Other";
    Verified: "信息真实性已核实", "Information verified";
}

/// Every profile field of the form, in its sections; `editing` a saved lead or a new one;
/// `people`, the reps a manager may choose as the owner.
#[component]
pub fn ProfileFields(state: FormState, editing: bool, people: WireResource<Result<People, UiError>>) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    let form = state.form;
    view! {
        <div class="lead-form-fields">
            <fieldset class="card">
                <legend>{move || t(lang.get(), T::SecSource)}</legend>
                <div class="form-grid">
                    <SourceSelect state=state/>
                    <SourceDetails state=state/>
                    <ChannelFields state=state/>
                </div>
            </fieldset>
            <fieldset class="card">
                <legend>{move || t(lang.get(), T::SecCompany)}</legend>
                <div class="form-grid">
                    <FieldInput state=state field="company" required=true/>
                    <FieldInput state=state field="industry"/>
                    <FieldInput state=state field="region"/>
                    <FieldInput state=state field="employees" numeric=true/>
                </div>
            </fieldset>
            <fieldset class="card">
                <legend>{move || t(lang.get(), T::SecContact)}</legend>
                <div class="form-grid">
                    <FieldInput state=state field="contact_name"/>
                    <FieldInput state=state field="contact_title"/>
                    <FieldInput state=state field="phone" kind="tel"/>
                    <FieldInput state=state field="email" kind="email"/>
                </div>
            </fieldset>
            <fieldset class="card">
                <legend>{move || t(lang.get(), T::SecNeed)}</legend>
                <FieldArea state=state field="need"/>
                <FieldArea state=state field="pain_points"/>
                <FieldArea state=state field="expected_solution"/>
            </fieldset>
            <fieldset class="card">
                <legend>{move || t(lang.get(), T::SecFit)}</legend>
                <div class="form-grid">
                    <FieldInput state=state field="budget" numeric=true/>
                    <FieldInput state=state field="decision_months" numeric=true/>
                    <DecisionChainSelect state=state/>
                </div>
            </fieldset>
            <fieldset class="card">
                <legend>{move || t(lang.get(), T::SecOther)}</legend>
                <div class="form-grid">
                    <FieldInput state=state field="strategy"/>
                    <FieldInput state=state field="tags"/>
                    <OwnerSelect state=state editing=editing people=people/>
                    <FieldArea state=state field="remarks"/>
                    <label class="check" for="verified">
                        <input id="verified" name="verified" type="checkbox"
                            prop:checked=move || form.verified.get()
                            on:change=move |ev| form.verified.set(event_target_checked(&ev))/>
                        <span>{move || t(lang.get(), T::Verified)}</span>
                    </label>
                </div>
            </fieldset>
        </div>
    }
}
