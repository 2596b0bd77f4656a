//! The lead form's pages (PRODUCT.md §2, §3): `/leads/new` for a new lead, and
//! `/leads/{code}/edit`, the form over the lead as saved for those who may change it.
use crate::components::lead_form::form::LeadForm;
use crate::components::lead_form::owner::owner_choices;
use crate::components::value::potential_resource;
use crate::server_fns::leads::editable_lead;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

crate::texts! {
    Loading: "正在加载线索…", "Loading the lead…";
    ReadOnly: "您可以查看这条线索，但无权修改。", "You can see this lead but not change it.";
    Cancel: "取消", "Cancel";
}

/// `/leads/new`: the form for a new lead.
#[component]
pub fn NewLeadPage() -> impl IntoView {
    let people = owner_choices();
    let potential = potential_resource(|| None);
    view! { <LeadForm saved=None people=people potential=potential/> }
}

/// `/leads/{code}/edit`: the form over the lead as saved, for those who may change it.
#[component]
pub fn EditLeadPage() -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let lead = crate::wire::resource(move || code.get(), editable_lead);
    // Created with the page, not inside the form that appears once the lead is loaded: the
    // browser must find the reps the server sent when it hydrates the owner select.
    let people = owner_choices();
    let potential = potential_resource(move || Some(code.get()));
    view! {
        <Transition fallback=move || view! { <p class="hint">{move || t(lang.get(), T::Loading)}</p> }>
            {move || Suspend::new(async move {
                match lead.await {
                    Ok((lead, true)) => view! { <LeadForm saved=Some(lead) people=people potential=potential/> }.into_any(),
                    Ok((lead, false)) => view! {
                        <section class="card empty" role="alert">
                            <p>{move || t(lang.get(), T::ReadOnly)}</p>
                            <a href=format!("/leads/{}", crate::ui::encode(&lead.code))>{lead.code.clone()}</a>
                        </section>
                    }
                    .into_any(),
                    Err(e) => view! {
                        <section class="card empty" role="alert">
                            <p>{move || e.message(lang.get())}</p>
                            <a href="/leads">{move || t(lang.get(), T::Cancel)}</a>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}
