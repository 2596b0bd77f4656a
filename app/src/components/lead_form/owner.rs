//! The owner select of the lead form, for managers and admins only: the reps they may assign
//! the lead to, or (on a new lead) the assignment rules (PRODUCT.md §4).
use super::state::FormState;
use crate::domain::enums::Role;
use crate::domain::people::People;
use crate::error::UiError;
use crate::wire::WireResource;
use leptos::prelude::*;

crate::texts! {
    Owner: "负责人", "Owner";
    OwnerAuto: "按分配规则自动分配", "Assign by the rules";
}

/// Whether the signed-in user may choose a lead's owner: managers and admins.
fn may_choose_owner(ui: crate::ui::Ui) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    move || ui.viewer.with(|v| v.as_ref().is_some_and(|v| matches!(v.role, Role::Manager | Role::Admin)))
}

/// The reps the owner select offers (none for a rep), loaded with the page (the pages create
/// it before anything waits, so the browser hydrates the select from what the server sent).
pub fn owner_choices() -> WireResource<Result<People, UiError>> {
    let may = may_choose_owner(crate::ui::use_ui());
    crate::server_fns::board::people_resource(Signal::derive(may))
}

/// The owner select, shown to managers and admins once their reps (`people`) are loaded; a
/// new lead may leave the choice to the rules.
#[component]
pub fn OwnerSelect(state: FormState, editing: bool, people: WireResource<Result<People, UiError>>) -> impl IntoView {
    let ui = crate::ui::use_ui();
    let lang = ui.lang;
    let form = state.form;
    let may_choose_owner = may_choose_owner(ui);
    view! {
        <Show when=may_choose_owner>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let reps = people.await.map(|p| p.reps).unwrap_or_default();
                    view! {
                        <label class="field" for="owner">
                            <span>{move || t(lang.get(), T::Owner)}</span>
                            <select id="owner" name="owner"
                                aria-invalid=move || state.has_server_error("owner").to_string()
                                prop:value=move || form.owner.get()
                                on:change=move |ev| {
                                    form.owner.set(event_target_value(&ev));
                                    state.clear_server_error("owner");
                                }>
                                {(!editing).then(|| view! {
                                    <option value="">{move || t(lang.get(), T::OwnerAuto)}</option>
                                })}
                                {reps.into_iter().map(|r| view! {
                                    <option value=r.key.clone()>{r.name.clone()}</option>
                                }).collect_view()}
                            </select>
                            {move || state.server_error("owner", lang.get())
                                .map(|m| view! { <small class="field-error" role="alert">{m}</small> })}
                        </label>
                    }
                })}
            </Transition>
        </Show>
    }
}
