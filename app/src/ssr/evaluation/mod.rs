//! Evaluating the follow-up (PRODUCT.md §8, §14): customer value, the strategy comparison, the
//! effectiveness analyses with the team alert, and the 周报. Server-rendered pages with plain
//! forms, like My day and the administration: they add nothing to the browser's wasm.
pub mod analyses;
pub mod periods;
pub mod strategies;
pub mod value;
pub mod weekly;

use crate::i18n::Lang;
use crate::ssr::admin::page::{self, Top, Viewer};
use crate::ssr::state::AppState;
use axum::response::Response;
use axum::Router;
use leptos::prelude::*;

crate::texts! {
    Section: "跟进评估", "Evaluation";
    Value: "客户价值", "Customer value";
    Strategies: "策略对比", "Strategies";
    Analyses: "效果分析", "Analyses";
    Weekly: "周报", "Weekly report";
}

pub fn routes() -> Router<AppState> {
    Router::new().merge(value::routes()).merge(strategies::routes()).merge(analyses::routes()).merge(weekly::routes())
}

/// The section's pages: (path, text).
fn tabs(l: Lang) -> [(&'static str, &'static str); 4] {
    [
        ("/value", t(l, T::Value)),
        ("/strategies", t(l, T::Strategies)),
        ("/analyses", t(l, T::Analyses)),
        ("/reports/weekly", t(l, T::Weekly)),
    ]
}

/// A page of the section: its tabs (`tab` marked) above `head` and `body`.
pub fn document(
    viewer: &Viewer,
    tab: &str,
    current: &str,
    title: &str,
    head: AnyView,
    body: AnyView,
    script: Option<&'static str>,
) -> Response {
    let l = viewer.lang;
    let links = tabs(l)
        .into_iter()
        .map(|(href, text)| {
            let here = tab == href;
            view! { <a href=href class:current=here aria-current=here.then_some("page")>{text}</a> }
        })
        .collect_view();
    let head = view! {
        <nav class="admin-tabs no-print" aria-label=t(l, T::Section)>{links}</nav>
        {head}
    }
    .into_any();
    page::document(viewer, Top::Evaluation, current, title, head, body, script)
}

/// A share as a percentage, or a dash.
pub fn pct(x: Option<f64>) -> String {
    x.filter(|x| x.is_finite()).map_or_else(|| "—".into(), crate::format::percent)
}
