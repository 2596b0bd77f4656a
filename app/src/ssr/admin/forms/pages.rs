//! The web-form pages as their admin reads them: the list of forms with the form to create
//! one, and a form's own page with its settings, how posts are taken and the code to copy onto
//! the website. Each problem of the settings is shown next to its field.
use super::{lines, snippet, t, FormPost, T};
use crate::domain::intake::IntakeForm;
use crate::domain::validate::Problem;
use crate::i18n::Lang;
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::admin::widgets;
use crate::ssr::service::intake as service;
use crate::ssr::state::AppState;
use axum::response::Response;
use leptos::prelude::*;

/// A problem of the settings in the reader's language; an origin's names its line.
pub(super) fn problem_text(lang: Lang, p: &Problem, origins: &[String]) -> String {
    if p.path == "origins" {
        return t(lang, T::TooManyOrigins).to_string();
    }
    let line = p.path.strip_prefix("origins[").and_then(|r| r.strip_suffix(']')).and_then(|i| i.parse::<usize>().ok());
    match line.and_then(|i| origins.get(i)) {
        Some(origin) => format!("“{origin}” {}", t(lang, T::BadOrigin)),
        None => widgets::problem_text(lang, p),
    }
}

/// The name and origins inputs (and, for an existing form, whether it takes posts), with
/// each problem next to its field.
fn inputs(lang: Lang, typed: &FormPost, problems: &[Problem], editing: bool) -> impl IntoView {
    let origins = lines(&typed.origins);
    let about = |field: &str| -> Option<String> {
        let texts: Vec<String> = problems
            .iter()
            .filter(|p| p.path == field || p.path.starts_with(&format!("{field}[")))
            .map(|p| problem_text(lang, p, &origins))
            .collect();
        (!texts.is_empty()).then(|| texts.join(" "))
    };
    let (name_error, origins_error) = (about("name"), about("origins"));
    let others: Vec<String> = problems
        .iter()
        .filter(|p| !p.path.starts_with("name") && !p.path.starts_with("origins"))
        .map(|p| format!("{}: {}", p.path, widgets::problem_text(lang, p)))
        .collect();
    let active = typed.active.is_some();
    view! {
        {(!others.is_empty()).then(|| view! { <p class="notice error" role="alert">{others.join("; ")}</p> })}
        <label class="field">
            <span>{t(lang, T::Name)}</span>
            <input
                name="name"
                value=typed.name.clone()
                required
                maxlength="200"
                aria-invalid={name_error.is_some().then_some("true")}
            />
            {name_error.map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
        </label>
        <label class="field">
            <span>{t(lang, T::Origins)}</span>
            <textarea
                name="origins"
                rows="4"
                placeholder="https://www.example.com"
                aria-invalid={origins_error.is_some().then_some("true")}
            >
                {typed.origins.clone()}
            </textarea>
            <small class="hint">{t(lang, T::OriginsHint)}</small>
            {origins_error.map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
        </label>
        {editing.then(|| view! {
            <label class="checks">
                <input type="checkbox" name="active" value="on" checked=active/>
                {t(lang, T::Active)}
            </label>
        })}
    }
}

/// The list of forms and the form to create one.
pub(super) async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    done: Option<&str>,
    typed: &FormPost,
    problems: &[Problem],
) -> Response {
    let l = viewer.lang;
    let forms = match service::forms(state, &viewer.actor).await {
        Ok(forms) => forms,
        Err(e) => return page::failure(viewer, e),
    };
    let tz = state.settings.read().await.tz();
    let rows = forms
        .into_iter()
        .map(|f| {
            let href = format!("/admin/forms/{}", crate::ui::encode(&f.key));
            let origins = if f.origins.is_empty() { t(l, T::NoOrigins).to_string() } else { f.origins.join(", ") };
            let created = f.created_at.with_timezone(&tz).format("%Y-%m-%d").to_string();
            let status = t(l, if f.active { T::On } else { T::Off });
            view! {
                <tr>
                    <td><a href=href>{f.name.clone()}</a></td>
                    <td><code>{f.key.clone()}</code></td>
                    <td class="wrap">{origins}</td>
                    <td><span class="pill" class:off={!f.active}>{status}</span></td>
                    <td class="num">{f.leads}</td>
                    <td>{created}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let table = if rows.is_empty() {
        view! { <p class="hint">{t(l, T::Empty)}</p> }.into_any()
    } else {
        view! {
            <div class="lead-table-wrap">
                <table class="lead-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::Name)}</th>
                            <th scope="col">{t(l, T::Key)}</th>
                            <th scope="col">{t(l, T::Origins)}</th>
                            <th scope="col">{t(l, T::Status)}</th>
                            <th scope="col">{t(l, T::Leads)}</th>
                            <th scope="col">{t(l, T::Created)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let body = view! {
        <div class="page-head"><h1>{t(l, T::Title)}</h1></div>
        {page::notice(done)}
        <p class="hint">{t(l, T::Intro)}</p>
        <section class="card">{table}</section>
        <section class="card">
            <h2>{t(l, T::CreateTitle)}</h2>
            <form method="post" action="/admin/forms">
                {inputs(l, typed, problems, false)}
                <div class="form-actions">
                    <button type="submit" class="primary">{t(l, T::Create)}</button>
                </div>
            </form>
        </section>
    };
    page::page(viewer, "/admin/forms", t(l, T::Title), body.into_any())
}

/// A form's page: its settings, how posts are taken, and the code for the website.
pub(super) fn edit_page(
    viewer: &Viewer,
    form: &IntakeForm,
    origin: &str,
    done: Option<&str>,
    typed: &FormPost,
    problems: &[Problem],
) -> Response {
    let l = viewer.lang;
    let thanks = form.origins.first().map_or("https://www.example.com/thanks".to_string(), |o| format!("{o}/thanks"));
    let html = snippet::html_form(l, origin, &form.key, &thanks);
    let script = snippet::script_form(l, origin, &form.key);
    let body = view! {
        <div class="page-head">
            <h1>{form.name.clone()}</h1>
            <a class="secondary" href="/admin/forms">{t(l, T::Back)}</a>
        </div>
        {page::notice(done)}
        {(!form.active).then(|| view! { <p class="notice error" role="status">{t(l, T::StoppedNote)}</p> })}
        <div class="admin-grid">
            <section class="card">
                <h2>{t(l, T::EditTitle)}</h2>
                <form method="post" action=format!("/admin/forms/{}", crate::ui::encode(&form.key))>
                    {inputs(l, typed, problems, true)}
                    <div class="form-actions">
                        <button type="submit" class="primary">{t(l, T::Save)}</button>
                    </div>
                </form>
            </section>
            <section class="card">
                <h2>{t(l, T::HowTitle)}</h2>
                <p>{t(l, T::Address)}<code>{snippet::action(origin, &form.key)}</code></p>
                <ul>
                    <li>{t(l, T::LimitNote)}</li>
                    <li>{t(l, T::CorsNote)}</li>
                    <li>{t(l, T::NextNote)}</li>
                    <li>{t(l, T::HoneypotNote)}</li>
                </ul>
            </section>
        </div>
        <section class="card">
            <h2>{t(l, T::SnippetTitle)}</h2>
            <p class="hint">{t(l, T::SnippetHint)}</p>
            <pre class="snippet"><code>{html}</code></pre>
        </section>
        <section class="card">
            <h2>{t(l, T::ScriptTitle)}</h2>
            <p class="hint">{t(l, T::ScriptHint)}</p>
            <pre class="snippet"><code>{script}</code></pre>
        </section>
    };
    page::page(viewer, "/admin/forms", &form.name, body.into_any())
}
