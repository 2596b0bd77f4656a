//! One lead: its profile, its score and grade with the four parts, where it stands in the
//! pipeline, and its history (follow-ups, stage changes, tasks, feedback), newest first, with
//! a quick form to log a follow-up (PRODUCT.md §2, §3, §5).
use crate::components::lead::detail::LeadView;
use crate::components::lead::follow_up_state::FormContext;
use crate::error::UiError;
use crate::server_fns::leads::lead_detail;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_params_map;

// Text of the page in both languages.
crate::texts! {
    Back: "← 线索列表", "← Leads";
    Loading: "正在加载线索…", "Loading the lead…";
}

#[component]
pub fn LeadPage() -> impl IntoView {
    let ui = crate::ui::use_ui();
    let lang = ui.lang;
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let detail = crate::wire::resource(move || code.get(), lead_detail);
    // The follow-up form outlives a refresh of the lead; a logged follow-up reloads it.
    let ctx = FormContext::new(code, move || detail.refetch());

    view! {
        <div class="lead-page">
            <A href="/leads" attr:class="back-link">{move || t(lang.get(), T::Back)}</A>
            <Transition fallback=move || view! { <p class="hint">{move || t(lang.get(), T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <LeadView detail=d ctx=ctx/> }.into_any(),
                        // A merged lead's code (an old link, a bookmark) opens the lead it
                        // was merged into: the browser goes there at once (the page streams, so
                        // its status is sent before the lead is read); without scripts, the
                        // link does.
                        Err(UiError::Merged(into)) => {
                            let href = format!("/leads/{into}");
                            let e = UiError::Merged(into.clone());
                            view! {
                                <Redirect path=href.clone()/>
                                <section class="card empty" role="status">
                                    <p>{move || e.message(lang.get())}</p>
                                    <A href=href>{into}</A>
                                </section>
                            }
                            .into_any()
                        }
                        Err(e) => view! {
                            <section class="card empty" role="alert">
                                <p>{move || e.message(lang.get())}</p>
                                <A href="/leads">{move || t(lang.get(), T::Back)}</A>
                            </section>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
