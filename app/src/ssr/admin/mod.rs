//! The workspace administration pages (PRODUCT.md §12): people and teams, settings with the
//! scoring replay, assignment rules with a dry run, spreadsheet import, duplicates and
//! merging, web forms. Server-rendered, plain HTML forms; every write goes through the
//! service layer like the API's.
pub mod duplicates;
pub mod embeds;
pub mod forms;
pub mod import;
pub mod page;
pub mod people;
pub mod plans;
pub mod rules;
pub mod settings;
pub mod widgets;

use crate::ssr::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use page::Viewer;

/// Every administration route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/lang", post(switch_lang))
        .merge(people::routes())
        .merge(settings::routes())
        .merge(rules::routes())
        .merge(import::routes())
        .merge(duplicates::routes())
        .merge(forms::routes())
        .merge(embeds::routes())
        .merge(plans::routes())
}

#[derive(serde::Deserialize)]
struct LangForm {
    lang: String,
    #[serde(default)]
    back: String,
}

/// Switches the reader's language and shows the same page again.
async fn switch_lang(State(state): State<AppState>, viewer: Viewer, Form(f): Form<LangForm>) -> Response {
    let lang = crate::i18n::Lang::from_code(&f.lang);
    if let Err(e) = crate::ssr::service::accounts::set_lang(&state, &viewer.actor, lang).await {
        return page::failure(&viewer, e);
    }
    let back = if f.back.starts_with('/') && !f.back.starts_with("//") { f.back } else { "/admin/people".into() };
    page::to(&back)
}
