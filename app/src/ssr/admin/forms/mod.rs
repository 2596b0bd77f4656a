//! Web forms (PRODUCT.md §12 "Web forms"), for admins: the intake forms a company website
//! posts its visitors' enquiries to, each with the website origins allowed to post from a
//! browser script, whether it takes posts, and how many leads it has brought in; a form's
//! page gives the copy-paste HTML (and script) to put on the website.
mod pages;
mod snippet;

use crate::domain::intake::{FormFields, IntakeForm};
use crate::domain::validate::{Problem, ProblemCode};
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::error::ApiError;
use crate::ssr::service::intake as service;
use crate::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use pages::{edit_page, list_page};
use serde::Deserialize;
use serde_json::json;

crate::texts! {
    Title: "官网表单", "Web forms";
    Intro: "公司官网把访客留下的信息提交到表单地址，Genjin 把每次提交变成一条“官网表单”线索：自动评分、按分配规则分配，并立即出现在看板上。", "A company website posts its visitors' enquiries to a form's address; Genjin turns each into a web-form lead, scored, assigned by the rules and on every open board at once.";
    Name: "名称", "Name";
    Key: "表单编号", "Key";
    Origins: "允许的网站", "Allowed websites";
    Status: "状态", "Status";
    Leads: "带来的线索", "Leads brought in";
    Created: "创建于", "Created";
    On: "接收中", "Taking posts";
    Off: "已停用", "Stopped";
    NoOrigins: "（未设置）", "(none)";
    Empty: "还没有表单。", "No forms yet.";
    CreateTitle: "新建表单", "New form";
    OriginsHint: "每行一个网站地址，如 https://www.example.com（只写到域名和端口，不带路径），最多 20 个。", "One website origin a line, such as https://www.example.com (scheme, host and port, no path); at most 20.";
    Create: "创建", "Create";
    CreatedNotice: "表单已创建。把下面的代码放到网站页面上。", "The form is created. Put the code below on your website.";
    Saved: "已保存。", "Saved.";
    Back: "全部表单", "All forms";
    EditTitle: "表单设置", "Settings";
    Active: "接收提交（取消勾选即停用）", "Takes posts (untick to stop the form)";
    Save: "保存", "Save";
    HowTitle: "提交规则", "How posts are taken";
    Address: "提交地址：", "Posts go to: ";
    LimitNote: "同一个访客地址每分钟最多提交 20 次，超过的会被拒绝（429）。", "One visitor address may post 20 times a minute; more posts are refused (429).";
    CorsNote: "只有上面“允许的网站”能用浏览器脚本（fetch）提交（CORS）；普通 HTML 表单从任何网站都能提交。", "Only the allowed websites may post from a browser script (fetch, CORS); a plain HTML form posts from anywhere.";
    NextNote: "HTML 表单提交后，访客会回到 _next 指定的感谢页；这个页面必须在允许的网站之中，否则访客看到的是一段 JSON 回复。", "After an HTML form post the visitor goes to the _next thank-you page, which must be on an allowed website; otherwise the visitor sees a JSON answer.";
    HoneypotNote: "隐藏的 website 输入框是防机器人的陷阱：请保持隐藏。填了它的提交会被丢弃。", "The hidden website input is a trap for robots: keep it hidden. Posts that fill it are dropped.";
    StoppedNote: "这个表单已停用：提交会被拒绝（404）。", "This form is stopped: posts are refused (404).";
    SnippetTitle: "HTML 表单代码", "HTML form";
    SnippetHint: "复制到网站页面里，可以按网站的样式修改外观；把 _next 改成网站的感谢页。", "Copy it into a page of the website and style it as you like; set _next to the website's thank-you page.";
    ScriptTitle: "用脚本提交（fetch + JSON）", "Sent by a script (fetch + JSON)";
    ScriptHint: "网站更喜欢用脚本提交时使用：访客不离开页面，结果显示在表单下方。", "For websites that prefer scripts: the visitor stays on the page and reads the answer below the form.";
    NotFound: "没有这个表单。", "There is no such form.";
    BadOrigin: "不是网站地址：应像 https://www.example.com，只写到域名（和端口），不带路径。", "is not a website origin such as https://www.example.com (no path).";
    TooManyOrigins: "最多 20 个网站地址。", "At most 20 website origins.";
}

/// The web-form pages.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/forms", get(list).post(create)).route("/admin/forms/{key}", get(edit).post(update))
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
}

/// A form's settings as posted: the origins one a line; `active` is there when ticked.
#[derive(Deserialize, Default, Clone)]
struct FormPost {
    #[serde(default)]
    name: String,
    #[serde(default)]
    origins: String,
    #[serde(default)]
    active: Option<String>,
}

/// The non-empty lines of an origins box (the board embeds' too).
pub(crate) fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// The posted settings as the service reads them (a new form takes posts).
fn body(post: &FormPost, creating: bool) -> serde_json::Value {
    json!({ "name": post.name.trim(), "origins": lines(&post.origins), "active": creating || post.active.is_some() })
}

/// Reads the posted settings; a form's name cannot be emptied.
fn read(post: &FormPost, creating: bool) -> Result<FormFields, Vec<Problem>> {
    let read = FormFields::read(&body(post, creating), creating);
    if !creating && post.name.trim().is_empty() {
        let mut problems = read.err().unwrap_or_default();
        problems.push(Problem::new("name", ProblemCode::Empty, "must not be empty"));
        return Err(problems);
    }
    read
}

/// Genjin's address as websites reach it: the configured public origin, else the address
/// this page was opened at.
pub fn public_origin(configured: Option<&str>, headers: &HeaderMap) -> String {
    match configured {
        Some(origin) => origin.trim_end_matches('/').to_string(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            format!("http://{host}")
        }
    }
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<Done>) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    list_page(&state, &viewer, q.done.as_deref(), &FormPost::default(), &[]).await
}

fn unprocessable(mut response: Response) -> Response {
    if response.status().is_success() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

async fn create(State(state): State<AppState>, viewer: Viewer, Form(post): Form<FormPost>) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let result = match read(&post, true) {
        Ok(fields) => service::create(&state, &viewer.actor, fields).await,
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match result {
        Ok(form) => {
            let done = crate::ui::encode(t(viewer.lang, T::CreatedNotice));
            page::to(&format!("/admin/forms/{}?done={done}", crate::ui::encode(&form.key)))
        }
        Err(ApiError::Invalid(problems)) => unprocessable(list_page(&state, &viewer, None, &post, &problems).await),
        Err(e) => page::failure(&viewer, e),
    }
}

/// The form `key`, among the workspace's.
async fn find(state: &AppState, viewer: &Viewer, key: &str) -> Result<IntakeForm, Response> {
    match service::forms(state, &viewer.actor).await {
        Ok(forms) => forms
            .into_iter()
            .find(|f| f.key == key)
            .ok_or_else(|| page::message(viewer, StatusCode::NOT_FOUND, t(viewer.lang, T::NotFound))),
        Err(e) => Err(page::failure(viewer, e)),
    }
}

/// A form's settings as its page shows them before any change.
fn as_typed(form: &IntakeForm) -> FormPost {
    let active = form.active.then(|| "on".to_string());
    FormPost { name: form.name.clone(), origins: form.origins.join("\n"), active }
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
    Query(q): Query<Done>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let form = match find(&state, &viewer, &key).await {
        Ok(form) => form,
        Err(r) => return r,
    };
    let origin = public_origin(state.public_origin.as_deref(), &headers);
    edit_page(&viewer, &form, &origin, q.done.as_deref(), &as_typed(&form), &[])
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
    headers: HeaderMap,
    Form(post): Form<FormPost>,
) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let result = match read(&post, false) {
        Ok(fields) => service::update(&state, &viewer.actor, &key, fields).await,
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match result {
        Ok(form) => {
            let done = crate::ui::encode(t(viewer.lang, T::Saved));
            page::to(&format!("/admin/forms/{}?done={done}", crate::ui::encode(&form.key)))
        }
        Err(ApiError::Invalid(problems)) => {
            let form = match find(&state, &viewer, &key).await {
                Ok(form) => form,
                Err(r) => return r,
            };
            let origin = public_origin(state.public_origin.as_deref(), &headers);
            unprocessable(edit_page(&viewer, &form, &origin, None, &post, &problems))
        }
        Err(e) => page::failure(&viewer, e),
    }
}

#[cfg(test)]
mod tests {
    use super::pages::problem_text;
    use super::*;
    use crate::i18n::Lang;

    fn post(name: &str, origins: &str, active: bool) -> FormPost {
        FormPost { name: name.into(), origins: origins.into(), active: active.then(|| "on".into()) }
    }

    #[test]
    fn the_origins_box_is_read_one_website_a_line() {
        let body = body(&post(" 官网咨询 ", "https://www.example.com\r\n\n  https://m.example.com  \n", false), false);
        let origins = ["https://www.example.com", "https://m.example.com"];
        assert_eq!(body, json!({"name": "官网咨询", "origins": origins, "active": false}));
        assert_eq!(read(&post("官网咨询", "", true), true).unwrap().active, Some(true));
    }

    #[test]
    fn a_bad_origin_is_named_by_its_line_and_an_emptied_name_is_refused() {
        let typed = post("官网咨询", "https://a.cn\nwww.b.cn/contact", true);
        let problems = read(&typed, false).unwrap_err();
        let text = problem_text(Lang::Zh, &problems[0], &lines(&typed.origins));
        assert!(text.starts_with("“www.b.cn/contact” 不是网站地址"), "{text}");
        let problems = read(&post("  ", "", true), false).unwrap_err();
        assert!(problems.iter().any(|p| p.path == "name" && p.code == ProblemCode::Empty));
    }

    #[test]
    fn websites_reach_genjin_at_its_public_origin_or_the_address_it_was_opened_at() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "crm.local:3000".parse().unwrap());
        assert_eq!(public_origin(Some("https://crm.example.cn/"), &headers), "https://crm.example.cn");
        assert_eq!(public_origin(None, &headers), "http://crm.local:3000");
    }
}
