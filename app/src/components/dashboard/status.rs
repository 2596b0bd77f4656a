//! What a dashboard card shows while its numbers are computed, or when they could not be.
use crate::error::UiError;
use crate::i18n::Lang;
use leptos::prelude::*;

crate::texts! {
    Loading: "正在计算指标…", "Computing the KPIs…";
}

/// The line a card shows while its numbers are computed.
pub fn loading(lang: RwSignal<Lang>) -> impl IntoView {
    view! { <p class="dash-loading">{move || t(lang.get(), T::Loading)}</p> }
}

/// The line a card shows when its numbers could not be loaded.
pub fn error_view(e: &UiError, lang: Lang) -> AnyView {
    view! { <p class="dash-error" role="alert">{e.message(lang)}</p> }.into_any()
}
