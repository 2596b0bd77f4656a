//! The settings page (PRODUCT.md §12 "Settings"): every number of the product rules in one
//! form. A change is previewed first — how many leads would change grade and how each grade's
//! historical win rate would read — and then published, which regrades the open leads. Admins
//! only.
mod draft;
mod form;
mod preview;

use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::admin::widgets::problem_text;
use crate::ssr::error::ApiError;
use crate::ssr::service::settings as service;
use crate::ssr::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use draft::{Action, Draft};
use leptos::prelude::*;

crate::texts! {
    Title: "设置", "Settings";
    Intro: "这里是产品规则用到的每一个数字。评分规则的改动可以先预览再发布；发布后未结束的线索按新规则重新评级。",
        "Every number the product rules use. Preview a scoring change before publishing it; \
         publishing regrades the open leads.";
    Fix: "有些值需要修改，设置未保存：", "Some values need fixing; nothing was saved:";
}

/// The settings page's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/settings", get(show).post(submit))
}

#[derive(Debug, Default, serde::Deserialize)]
struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// The notice after publishing: how many open leads were regraded.
fn published(lang: crate::i18n::Lang, regraded: usize) -> String {
    match lang {
        crate::i18n::Lang::Zh => format!("已发布，{regraded} 条未结束线索重新评级"),
        crate::i18n::Lang::En => format!("Published: {regraded} open leads regraded"),
    }
}

/// The page around the form: heading, notice, the problems no input shows, the form.
fn render(
    viewer: &Viewer,
    draft: &Draft,
    replay: Option<&crate::scoring_replay::Replay>,
    done: Option<&str>,
) -> Response {
    let lang = viewer.lang;
    let summary = (!draft.problems.is_empty()).then(|| {
        let rest = draft
            .unplaced()
            .into_iter()
            .map(|p| {
                let text = problem_text(lang, p);
                let text = if lang == crate::i18n::Lang::Zh && text != p.message {
                    format!("{text}（{}）", p.message)
                } else {
                    text
                };
                let text = if p.path.is_empty() { text } else { format!("{}: {text}", p.path) };
                view! { <li>{text}</li> }
            })
            .collect_view();
        view! {
            <div class="notice error" role="alert">
                <p>{t(lang, T::Fix)}</p>
                <ul>{rest}</ul>
            </div>
        }
    });
    let preview = replay.map(|r| preview::card(lang, r));
    let body = view! {
        <div class="page-head">
            <h1>{t(lang, T::Title)}</h1>
            <p class="hint">{t(lang, T::Intro)}</p>
        </div>
        {page::notice(done)}
        {summary}
        {form::form(draft, lang, preview)}
    }
    .into_any();
    page::page(viewer, "/admin/settings", t(lang, T::Title), body)
}

/// The form again with the problems beside their inputs (422).
fn invalid(viewer: &Viewer, draft: &Draft) -> Response {
    let mut response = render(viewer, draft, None, None);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

/// `GET /admin/settings`: the form with the workspace's settings.
async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ShowQuery>) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let draft = Draft::new(&service::current(&state).await);
    render(&viewer, &draft, None, q.done.as_deref())
}

/// `POST /admin/settings`: previews or publishes the settings as typed.
async fn submit(State(state): State<AppState>, viewer: Viewer, Form(fields): Form<Vec<(String, String)>>) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let current = service::current(&state).await;
    let mut draft = Draft::new(&current);
    let action = draft.read(&fields);
    if !draft.problems.is_empty() {
        // The rest of the document is checked too, so every problem shows at once.
        if let Err(more) = crate::settings_edit::apply_patch(&current, &draft.doc) {
            draft.add_problems(more);
        }
        return invalid(&viewer, &draft);
    }
    match action {
        Action::Preview => match service::preview(&state, &viewer.actor, &draft.doc).await {
            Ok(replay) => render(&viewer, &draft, Some(&replay), None),
            Err(ApiError::Invalid(problems)) => {
                draft.add_problems(problems);
                invalid(&viewer, &draft)
            }
            Err(e) => page::failure(&viewer, e),
        },
        Action::Publish => match service::update(&state, &viewer.actor, &draft.doc).await {
            Ok((_, regraded)) => {
                let done = published(viewer.lang, regraded);
                page::to(&format!("/admin/settings?done={}", crate::ui::encode(&done)))
            }
            Err(ApiError::Invalid(problems)) => {
                draft.add_problems(problems);
                invalid(&viewer, &draft)
            }
            Err(e) => page::failure(&viewer, e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_publish_notice_says_how_many_open_leads_were_regraded() {
        assert_eq!(published(crate::i18n::Lang::Zh, 12), "已发布，12 条未结束线索重新评级");
        assert_eq!(published(crate::i18n::Lang::En, 3), "Published: 3 open leads regraded");
    }
}
