//! What every workspace-administration page shares. These pages (people, settings,
//! assignment rules, spreadsheet import, duplicates, web forms, board embeds) are rendered whole on the
//! server and work with plain HTML forms — each form posts, the service acts, the browser is
//! sent on (post/redirect/get) — so they add nothing to the browser's wasm and work without
//! scripts. They share the app's stylesheet and top bar.
use crate::domain::enums::Role;
use crate::i18n::Lang;
use crate::ssr::actor::Actor;
use crate::ssr::error::ApiError;
use crate::ssr::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;

crate::texts! {
    Today: "我的今日", "My day";
    Due: "已到期的待办", "Tasks due now";
    Feedback: "客户反馈", "Feedback";
    Board: "销售看板", "Pipeline";
    Leads: "线索", "Leads";
    Dashboard: "跟进成效", "Dashboard";
    Evaluation: "跟进评估", "Evaluation";
    People: "人员与团队", "People & teams";
    Settings: "设置", "Settings";
    Rules: "分配规则", "Assignment rules";
    Import: "导入表格", "Import";
    Duplicates: "重复线索", "Duplicates";
    Forms: "官网表单", "Web forms";
    Embeds: "看板嵌入", "Board embeds";
    Plans: "跟进计划模板", "Plan templates";
    Admin: "管理", "Admin";
    SignOut: "退出", "Sign out";
    Switch: "English", "中文";
    Forbidden: "你没有权限打开这个页面。", "You may not open this page.";
    Problem: "出了点问题", "Something went wrong";
    Back: "返回", "Back";
}

/// The signed-in user of an administration page and the language they read. Anyone signed
/// out is sent to sign in and brought back.
pub struct Viewer {
    pub actor: Actor,
    pub lang: Lang,
    /// How many of their tasks have come due (the top bar's badge).
    pub due: usize,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, Response> {
        match crate::ssr::service::accounts::viewer(state, &parts.headers).await {
            Ok(Some((actor, lang))) => {
                let due = crate::ssr::service::tasks::reminders(state, &actor, chrono::Utc::now(), lang).await.due;
                Ok(Viewer { actor, lang, due })
            }
            Ok(None) => {
                let here = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                Err(Redirect::to(&format!("/login?next={}", crate::ui::encode(here))).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

impl Viewer {
    pub fn t(&self, zh: &'static str, en: &'static str) -> &'static str {
        if self.lang == Lang::Zh {
            zh
        } else {
            en
        }
    }

    /// Refuses anyone but an admin (and, with `managers`, a manager): the refusal is the page
    /// the handler answers with, once per request.
    #[allow(clippy::result_large_err)]
    pub fn require(&self, managers: bool) -> Result<(), Response> {
        match self.actor.role {
            Role::Admin => Ok(()),
            Role::Manager if managers => Ok(()),
            _ => Err(message(self, StatusCode::FORBIDDEN, t(self.lang, T::Forbidden))),
        }
    }
}

/// A server-rendered page runs only Genjin's own scripts (the reminders' badge, and My day's
/// live refresh), reaches only Genjin, and is never framed; styles and images from Genjin
/// itself, forms posting only to it.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The sections of the administration a user may open: (path, text).
fn sections(viewer: &Viewer) -> Vec<(&'static str, &'static str)> {
    let l = viewer.lang;
    let mut s = vec![("/duplicates", t(l, T::Duplicates))];
    if viewer.actor.role != Role::Rep {
        s.push(("/admin/people", t(l, T::People)));
        s.push(("/admin/import", t(l, T::Import)));
    }
    if viewer.actor.is_admin() {
        s.push(("/admin/settings", t(l, T::Settings)));
        s.push(("/admin/rules", t(l, T::Rules)));
        s.push(("/admin/forms", t(l, T::Forms)));
        s.push(("/admin/embeds", t(l, T::Embeds)));
        s.push(("/admin/plans", t(l, T::Plans)));
    }
    s
}

/// A whole administration page: the top bar, the section tabs (the current one marked) and
/// `body`.
pub fn page(viewer: &Viewer, current: &str, title: &str, body: AnyView) -> Response {
    let tabs = sections(viewer)
        .into_iter()
        .map(|(href, text)| {
            let here = current == href;
            view! { <a href=href class:current=here aria-current=here.then_some("page")>{text}</a> }
        })
        .collect_view();
    let l = viewer.lang;
    let tabs = view! { <nav class="admin-tabs" aria-label=t(l, T::Admin)>{tabs}</nav> }.into_any();
    document(viewer, Top::Admin, current, title, tabs, body, None)
}

/// Which section of the top bar a server-rendered page belongs to.
#[derive(Clone, Copy, PartialEq)]
pub enum Top {
    Today,
    Feedback,
    Evaluation,
    Admin,
}

/// A server-rendered page of Genjin: the top bar (`top` marked), `head` above `body`, and
/// besides the reminders' script, at most one script of Genjin's own (`/today.js`, say).
pub fn document(
    viewer: &Viewer,
    top: Top,
    current: &str,
    title: &str,
    head: AnyView,
    body: AnyView,
    script: Option<&'static str>,
) -> Response {
    let l = viewer.lang;
    let other = if l == Lang::Zh { "en" } else { "zh-CN" };
    // The tab's title says how many tasks have come due, like the badge (kept current by
    // `/reminders.js`).
    let title = match viewer.due {
        0 => format!("{title} · 跟进 Genjin"),
        n => format!("({n}) {title} · 跟进 Genjin"),
    };
    let due = viewer.due;
    let admin_href = sections(viewer).first().map(|s| s.0).unwrap_or("/duplicates");
    let html = view! {
        <!DOCTYPE html>
        <html lang=l.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href="/pkg/genjin.css"/>
                // As raw text: a view's text would end with the hydration marker `<!>`, which a
                // title shows as it is.
                <title inner_html=super::widgets::escape(&title)></title>
                <script src="/reminders.js" defer></script>
                {script.map(|src| view! { <script src=src defer></script> })}
            </head>
            <body>
                <header class="topbar">
                    <a href="/" class="brand"><span class="logo">"跟进"</span>" Genjin"</a>
                    <nav class="sections">
                        <a href="/today" aria-current=(top == Top::Today).then_some("page")>
                            {t(l, T::Today)}
                            <span class="due-badge" hidden={due == 0} title=t(l, T::Due)>{(due > 0).then(|| due.to_string())}</span>
                        </a>
                        <a href="/board">{t(l, T::Board)}</a>
                        <a href="/leads">{t(l, T::Leads)}</a>
                        <a href="/dashboard">{t(l, T::Dashboard)}</a>
                        <a href="/feedback" aria-current=(top == Top::Feedback).then_some("page")>{t(l, T::Feedback)}</a>
                        <a href="/value" aria-current=(top == Top::Evaluation).then_some("page")>{t(l, T::Evaluation)}</a>
                        <a href=admin_href aria-current=(top == Top::Admin).then_some("page")>{t(l, T::Admin)}</a>
                    </nav>
                    <div class="account">
                        <form class="lang-form" method="post" action="/admin/lang">
                            <input type="hidden" name="lang" value=other/>
                            <input type="hidden" name="back" value=current.to_string()/>
                            <button type="submit" class="lang-switch">{t(l, T::Switch)}</button>
                        </form>
                        <span class="who">{viewer.actor.name.clone()}</span>
                        <form class="sign-out" method="post" action="/rpc/sign_out">
                            <button type="submit">{t(l, T::SignOut)}</button>
                        </form>
                    </div>
                </header>
                <main class="page admin" lang=l.code()>
                    {head}
                    {body}
                </main>
            </body>
        </html>
    }
    .to_html();
    let mut response = Html(html).into_response();
    let h = response.headers_mut();
    h.insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    h.insert(axum::http::header::CONTENT_SECURITY_POLICY, axum::http::HeaderValue::from_static(POLICY));
    response
}

/// A page that only says something (a refusal, a problem), with a way back.
pub fn message(viewer: &Viewer, status: StatusCode, text: &str) -> Response {
    let body = view! {
        <section class="card empty">
            <h1>{text.to_string()}</h1>
            <a href="/board">{t(viewer.lang, T::Back)}</a>
        </section>
    }
    .into_any();
    let mut r = page(viewer, "", t(viewer.lang, T::Problem), body);
    *r.status_mut() = status;
    r
}

/// A service error on a page: a problem list goes back to the form (callers handle that);
/// anything else is said on a page of its own.
pub fn failure(viewer: &Viewer, e: ApiError) -> Response {
    let status = e.status();
    let text = match &e {
        ApiError::Invalid(problems) => problems
            .iter()
            .map(|p| format!("{}: {}", p.path, super::widgets::problem_text(viewer.lang, p)))
            .collect::<Vec<_>>()
            .join("; "),
        ApiError::Internal(_) => t(viewer.lang, T::Problem).to_string(),
        // Everything else in the reader's language, as the pages say it.
        _ => crate::error::UiError::from(e).message(viewer.lang),
    };
    message(viewer, status, &text)
}

/// A notice carried to the next page by the redirect (`?done=…`), shown once at its top.
pub fn notice(text: Option<&str>) -> AnyView {
    match text.filter(|t| !t.is_empty()) {
        Some(t) => view! { <p class="notice" role="status">{t.to_string()}</p> }.into_any(),
        None => ().into_any(),
    }
}

/// Sends the browser on after a form post.
pub fn to(path: &str) -> Response {
    Redirect::to(path).into_response()
}
