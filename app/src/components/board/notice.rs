//! The board's message about a move (a refusal, a failed load), until the user dismisses it.
use leptos::prelude::*;

crate::texts! {
    Dismiss: "知道了", "Dismiss";
}

/// A message for the user about a move.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// Shows the notice, if any, with a button that dismisses it.
#[component]
pub fn NoticeView(notice: RwSignal<Option<Notice>>) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    move || {
        notice.get().map(|n| {
            view! {
                <div class=if n.error { "notice error" } else { "notice" } role="alert">
                    <span>{n.text}</span>
                    <button type="button" class="link" on:click=move |_| notice.set(None)>{move || t(lang.get(), T::Dismiss)}</button>
                </div>
            }
        })
    }
}
