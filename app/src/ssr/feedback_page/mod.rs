//! The feedback pages (客户需求分析表, PRODUCT.md §13): the form recording a piece of feedback
//! on a lead — its 5-Why chain entered step by step down to the root cause — and the feedback
//! page with the period's shares by type ("80 % of this quarter's feedback is about price"),
//! priority and resolution, the closure, the median days to resolve, the root causes, and every
//! piece of feedback with the step that moves it on. Server-rendered with plain forms, like
//! My day; every write goes through `service::feedback`, and the numbers are the API's
//! (`/api/v1/feedback/stats`).
mod form;
mod list;

use crate::ssr::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feedback", get(list::show))
        .route("/feedback/{id}/status", post(list::advance))
        .route("/leads/{code}/feedback", get(form::show).post(form::create))
}

/// The feedback page's address for a period, with a notice.
fn back(from: &str, to: &str, notice: &str) -> String {
    format!("/feedback?from={from}&to={to}&done={}", crate::ui::encode(notice))
}
