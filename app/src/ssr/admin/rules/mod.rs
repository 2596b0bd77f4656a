//! The assignment rules page (PRODUCT.md §4 and §12 "Assignment rules"): the admin edits the
//! ordered rules that send new leads to a team or a rep, tries them on the last 100 leads
//! before saving, and sees the default rules that always apply last. Editing (moving,
//! deleting, adding rows) only re-renders the form; nothing is saved until "save". Admins
//! only.
mod dry_run;
mod rows;
mod view;

use crate::domain::validate::Problem;
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::admin::widgets::problem_text;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::service::people;
use crate::ssr::service::settings::{self as service, DryRunRow};
use crate::ssr::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use rows::{Action, RowDraft};
use view::Targets;

crate::texts! {
    Title: "分配规则", "Assignment rules";
    Intro: "新线索按顺序逐条匹配规则，第一条能分出去的规则生效；都不匹配时用默认规则。修改后先试运行，再保存。",
        "New leads are matched against the rules in order; the first rule that can place a lead wins, and \
         the default rules apply when none does. Try a change with a dry run, then save.";
    Fix: "有些规则需要修改，未保存：", "Some rules need fixing; nothing was saved:";
}

/// The assignment rules page's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/rules", get(show).post(submit))
}

#[derive(Debug, Default, serde::Deserialize)]
struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// The notice after saving.
fn saved(lang: crate::i18n::Lang, rules: usize) -> String {
    match lang {
        crate::i18n::Lang::Zh => format!("已保存 {rules} 条分配规则"),
        crate::i18n::Lang::En => format!("Saved {rules} assignment rules"),
    }
}

/// What the page shows besides the rules: their problems, a dry run's results, a notice.
#[derive(Default)]
struct Extras<'a> {
    problems: &'a [Problem],
    dry_run: Option<&'a [DryRunRow]>,
    done: Option<&'a str>,
}

/// The teams and reps a rule may name.
async fn targets(state: &AppState, viewer: &Viewer) -> ApiResult<Targets> {
    let teams = people::teams(state, &viewer.actor).await?;
    let users = people::users(state, &viewer.actor).await?;
    Ok(Targets::new(viewer.lang, &teams, &users))
}

fn render(viewer: &Viewer, rows: &[RowDraft], targets: &Targets, extras: Extras<'_>) -> Response {
    let lang = viewer.lang;
    let problems = extras.problems;
    let summary = (!problems.is_empty()).then(|| {
        // Problems on a row show on it; the rest (the list as a whole) are listed here.
        let rest = problems
            .iter()
            .filter(|p| rows::row_of(&p.path).is_none())
            .map(|p| view! { <li>{format!("{}: {}", p.path, problem_text(lang, p))}</li> })
            .collect_view();
        view! {
            <div class="notice error" role="alert">
                <p>{t(lang, T::Fix)}</p>
                <ul>{rest}</ul>
            </div>
        }
    });
    let names: Vec<String> = rows.iter().map(|r| r.name.trim().to_owned()).collect();
    let results = extras.dry_run.map(|found| dry_run::results(lang, found, &names));
    let body = view! {
        <div class="page-head">
            <h1>{t(lang, T::Title)}</h1>
            <p class="hint">{t(lang, T::Intro)}</p>
        </div>
        {page::notice(extras.done)}
        {summary}
        {results}
        {view::editor(lang, rows, problems, targets)}
    }
    .into_any();
    page::page(viewer, "/admin/rules", t(lang, T::Title), body)
}

/// The edited rules again with their problems (422).
fn invalid(viewer: &Viewer, rows: &[RowDraft], targets: &Targets, problems: &[Problem]) -> Response {
    let mut response = render(viewer, rows, targets, Extras { problems, ..Extras::default() });
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

/// `GET /admin/rules`: the saved rules.
async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ShowQuery>) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let targets = match targets(&state, &viewer).await {
        Ok(t) => t,
        Err(e) => return page::failure(&viewer, e),
    };
    let rows: Vec<RowDraft> = service::current(&state).await.assignment.rules.iter().map(RowDraft::from_rule).collect();
    render(&viewer, &rows, &targets, Extras { done: q.done.as_deref(), ..Extras::default() })
}

/// `POST /admin/rules`: a row edited (shown again, unsaved), a dry run, or the rules saved.
async fn submit(State(state): State<AppState>, viewer: Viewer, Form(fields): Form<Vec<(String, String)>>) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let targets = match targets(&state, &viewer).await {
        Ok(t) => t,
        Err(e) => return page::failure(&viewer, e),
    };
    let (posted, action) = rows::read(&fields);
    let rows = rows::apply(posted, action);
    if !matches!(action, Action::DryRun | Action::Save) {
        return render(&viewer, &rows, &targets, Extras::default());
    }
    let rules = match rows::to_rules(&rows) {
        Ok(rules) => rules,
        Err(problems) => return invalid(&viewer, &rows, &targets, &problems),
    };
    let outcome = if action == Action::Save {
        service::save_rules(&state, &viewer.actor, &rules).await.map(|_| None)
    } else {
        service::dry_run(&state, &viewer.actor, &rules).await.map(Some)
    };
    match outcome {
        Ok(Some(found)) => {
            render(&viewer, &rows, &targets, Extras { dry_run: Some(found.as_slice()), ..Extras::default() })
        }
        Ok(None) => {
            let done = saved(viewer.lang, rules.rules.len());
            page::to(&format!("/admin/rules?done={}", crate::ui::encode(&done)))
        }
        Err(ApiError::Invalid(problems)) => invalid(&viewer, &rows, &targets, &problems),
        Err(e) => page::failure(&viewer, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_save_notice_says_how_many_rules_were_saved() {
        assert_eq!(saved(crate::i18n::Lang::Zh, 3), "已保存 3 条分配规则");
        assert_eq!(saved(crate::i18n::Lang::En, 0), "Saved 0 assignment rules");
    }

    #[test]
    fn the_editor_lists_each_rule_with_its_buttons_an_empty_row_and_the_default_rules() {
        let rows = vec![RowDraft { name: "华南".into(), to: "team:t2".into(), ..RowDraft::default() }];
        let targets = Targets { teams: vec![("team:t2".into(), "华南组".into())], reps: Vec::new() };
        let problems = vec![Problem::new("rules[0].to.key", crate::domain::validate::ProblemCode::Required, "x")];
        let html = view::editor(crate::i18n::Lang::Zh, &rows, &problems, &targets).to_html();
        for part in
            ["name=\"rules.0.name\"", "value=\"up:0\"", "value=\"delete:0\"", "name=\"rules.1.to\"", "value=\"add\""]
        {
            assert!(html.contains(part), "missing {part}");
        }
        assert!(html.contains("value=\"team:t2\" selected"));
        assert!(html.contains("id=\"rules-0-to-error\""));
        assert!(html.contains("同区域优先"));
        assert_eq!(html.matches("value=\"dry_run\"").count(), 2);
    }
}
