//! Genjin's browser entry point: hydrates the server-rendered app, or the pipeline widget on
//! its own page (`/embed/…`).
#![recursion_limit = "256"]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let path = leptos::prelude::window().location().pathname().unwrap_or_default();
    if path.starts_with("/embed/") {
        leptos::mount::hydrate_body(app::embed::EmbedApp);
    } else {
        leptos::mount::hydrate_body(app::App);
    }
    // Tells people and tests that the page now responds to input.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "");
    }
}
