//! The pipeline widget's embeds (PRODUCT.md §15), for admins: every embed with its team, the
//! intranet origins allowed to show it, when it was last used and whether it was revoked; the
//! form to create one (its key and snippet shown this once: only the key's hash is kept); and
//! a revoke button that stops every open widget of that embed at once.
use crate::domain::embed::{snippet, Embed, NewEmbed};
use crate::domain::validate::Problem;
use crate::i18n::Lang;
use crate::ssr::admin::forms::{lines, public_origin};
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::admin::widgets;
use crate::ssr::error::ApiError;
use crate::ssr::service::embeds as service;
use crate::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

crate::texts! {
    Title: "看板嵌入", "Board embeds";
    Intro: "把某个团队的销售看板（只读、实时、不含联系方式）嵌入到公司内网页面。嵌入不需要登录或 Cookie，只认嵌入密钥，并且只有下面允许的网站能显示它；撤销后所有已打开的看板立即停止更新。",
        "Show a team's pipeline board (read-only, live, without contact details) on an intranet page. An embed needs no sign-in or cookie, only its key, and only the websites allowed below may show it; revoking it stops every open widget at once.";
    Name: "名称", "Name";
    Team: "团队", "Team";
    Origins: "允许的网站", "Allowed websites";
    OriginsHint: "每行一个内网页面的地址，如 https://intranet.example.com（只写到域名和端口，不带路径），最多 20 个。", "One intranet page origin a line, such as https://intranet.example.com (scheme, host and port, no path); at most 20.";
    Created: "创建于", "Created";
    LastUsed: "最近使用", "Last used";
    Never: "从未", "Never";
    Status: "状态", "Status";
    Active: "使用中", "Active";
    RevokedAt: "已撤销", "Revoked";
    Revoke: "撤销", "Revoke";
    RevokeConfirm: "撤销后，所有嵌入了这个看板的页面会立即停止更新，密钥永久失效。", "Revoking stops every page showing this board at once; the key never works again.";
    Empty: "还没有看板嵌入。", "No embeds yet.";
    CreateTitle: "新建嵌入", "New embed";
    Lang: "看板语言", "Widget language";
    Create: "创建", "Create";
    KeyTitle: "嵌入代码（只显示这一次）", "Embed snippet (shown this once)";
    KeyHint: "把这段代码放到内网页面里；看板会自动适应高度。密钥只显示这一次，Genjin 只保存它的散列值：丢失后请撤销并新建。", "Put this snippet on the intranet page; the board sizes itself. The key is shown this once and Genjin keeps only its hash: if it is lost, revoke the embed and create a new one.";
    KeyLabel: "密钥", "Key";
    Options: "可选：data-density=\"compact\"（大屏紧凑显示），data-theme=\"dark\"（深色），data-lang=\"en\"（英文）。", "Optional: data-density=\"compact\" (compact, for a big screen), data-theme=\"dark\", data-lang=\"en\".";
    Open: "在新窗口中打开看板", "Open the widget in a new tab";
    RevokedNotice: "已撤销。所有打开的看板已停止更新。", "Revoked. Every open widget has stopped.";
    NotFound: "没有这个嵌入。", "There is no such embed.";
    BadOrigin: "不是网站地址：应像 https://intranet.example.com，只写到域名（和端口），不带路径。", "is not a website origin such as https://intranet.example.com (no path).";
}

/// The embeds' pages.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/embeds", get(list).post(create)).route("/admin/embeds/{id}/revoke", post(revoke))
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
}

/// A new embed as posted: the origins one a line.
#[derive(Deserialize, Default, Clone)]
struct EmbedPost {
    #[serde(default)]
    name: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    origins: String,
    #[serde(default)]
    lang: String,
}

fn read(post: &EmbedPost) -> Result<NewEmbed, Vec<Problem>> {
    NewEmbed::read(&json!({ "name": post.name.trim(), "team": post.team.trim(), "origins": lines(&post.origins) }))
}

/// A problem of the form in the reader's language; an origin's names its line.
fn problem_text(lang: Lang, p: &Problem, origins: &[String]) -> String {
    let line = p.path.strip_prefix("origins[").and_then(|r| r.strip_suffix(']')).and_then(|i| i.parse::<usize>().ok());
    match line.and_then(|i| origins.get(i)) {
        Some(origin) => format!("“{origin}” {}", t(lang, T::BadOrigin)),
        None => widgets::problem_text(lang, p),
    }
}

/// A key just made: shown once with its snippet.
struct Fresh {
    key: String,
    snippet: String,
}

async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<Done>) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    list_page(&state, &viewer, q.done.as_deref(), &EmbedPost::default(), &[], None).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(post): Form<EmbedPost>,
) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    let result = match read(&post) {
        Ok(new) => service::create(&state, &viewer.actor, new).await,
        Err(problems) => Err(ApiError::Invalid(problems)),
    };
    match result {
        // The key is never stored: the answer to this post is the one page that shows it.
        Ok(created) => {
            let origin = public_origin(state.public_origin.as_deref(), &headers);
            let lang = if post.lang == "en" { "en" } else { "zh" };
            let fresh = Fresh { snippet: snippet(&origin, &created.key, lang), key: created.key };
            let mut response = list_page(&state, &viewer, None, &EmbedPost::default(), &[], Some(&fresh)).await;
            *response.status_mut() = StatusCode::CREATED;
            // Not kept by the browser's cache: the key must not outlive this page.
            response
                .headers_mut()
                .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
            response
        }
        Err(ApiError::Invalid(problems)) => {
            let mut response = list_page(&state, &viewer, None, &post, &problems, None).await;
            if response.status().is_success() {
                *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            }
            response
        }
        Err(e) => page::failure(&viewer, e),
    }
}

async fn revoke(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Response {
    if let Err(r) = viewer.require(false) {
        return r;
    }
    match service::revoke(&state, &viewer.actor, &id).await {
        Ok(_) => page::to(&format!("/admin/embeds?done={}", crate::ui::encode(t(viewer.lang, T::RevokedNotice)))),
        Err(ApiError::NotFound(_)) => page::message(&viewer, StatusCode::NOT_FOUND, t(viewer.lang, T::NotFound)),
        Err(e) => page::failure(&viewer, e),
    }
}

/// One embed's row.
fn row(e: &Embed, lang: Lang, tz: chrono_tz::Tz, teams: &[(String, String)]) -> impl IntoView {
    let day = |d: chrono::DateTime<chrono::Utc>| d.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let team = teams.iter().find(|(k, _)| *k == e.team).map_or_else(|| e.team.clone(), |(_, n)| n.clone());
    let used = e.last_used_at.map_or_else(|| t(lang, T::Never).to_string(), day);
    let status = match e.revoked_at {
        Some(at) => view! { <span class="pill off">{t(lang, T::RevokedAt)}" "{day(at)}</span> }.into_any(),
        None => view! { <span class="pill">{t(lang, T::Active)}</span> }.into_any(),
    };
    let action = e.revoked_at.is_none().then(|| {
        view! {
            <form method="post" action=format!("/admin/embeds/{}/revoke", crate::ui::encode(&e.id)) class="inline">
                <button type="submit" class="danger" title=t(lang, T::RevokeConfirm)>{t(lang, T::Revoke)}</button>
            </form>
        }
    });
    view! {
        <tr data-embed=e.id.clone() class:revoked=e.revoked_at.is_some()>
            <td>{e.name.clone()}</td>
            <td>{team}</td>
            <td class="wrap">{e.origins.join(" ")}</td>
            <td>{day(e.created_at)}</td>
            <td class="last-used">{used}</td>
            <td>{status}</td>
            <td>{action}</td>
        </tr>
    }
}

/// The embeds, the key just made (if any), and the form to create another.
async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    done: Option<&str>,
    typed: &EmbedPost,
    problems: &[Problem],
    fresh: Option<&Fresh>,
) -> Response {
    let l = viewer.lang;
    let embeds = match service::embeds(state, &viewer.actor).await {
        Ok(e) => e,
        Err(e) => return page::failure(viewer, e),
    };
    let teams: Vec<(String, String)> = match crate::ssr::repo::people::teams(&state.db).await {
        Ok(teams) => teams.into_iter().map(|t| (t.key, t.name)).collect(),
        Err(e) => return page::failure(viewer, e.into()),
    };
    let tz = state.settings.read().await.tz();
    let rows: Vec<_> = embeds.iter().map(|e| row(e, l, tz, &teams)).collect();
    let table = if rows.is_empty() {
        view! { <p class="hint">{t(l, T::Empty)}</p> }.into_any()
    } else {
        view! {
            <div class="lead-table-wrap">
                <table class="lead-table embeds-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::Name)}</th>
                            <th scope="col">{t(l, T::Team)}</th>
                            <th scope="col">{t(l, T::Origins)}</th>
                            <th scope="col">{t(l, T::Created)}</th>
                            <th scope="col">{t(l, T::LastUsed)}</th>
                            <th scope="col">{t(l, T::Status)}</th>
                            <th scope="col"></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let origins = lines(&typed.origins);
    let about = |field: &str| -> Option<String> {
        let texts: Vec<String> = problems
            .iter()
            .filter(|p| p.path == field || p.path.starts_with(&format!("{field}[")))
            .map(|p| problem_text(l, p, &origins))
            .collect();
        (!texts.is_empty()).then(|| texts.join(" "))
    };
    let (name_error, team_error, origins_error) = (about("name"), about("team"), about("origins"));
    let team_options = teams
        .iter()
        .map(|(key, name)| {
            let selected = *key == typed.team;
            view! { <option value=key.clone() selected=selected>{name.clone()}</option> }
        })
        .collect::<Vec<_>>();
    let fresh = fresh.map(|f| {
        let open = format!("/embed/pipeline?key={}", crate::ui::encode(&f.key));
        view! {
            <section class="card embed-key" aria-labelledby="embed-key-title">
                <h2 id="embed-key-title">{t(l, T::KeyTitle)}</h2>
                <p class="hint">{t(l, T::KeyHint)}</p>
                <p>{t(l, T::KeyLabel)}"："<code class="key" data-testid="embed-key">{f.key.clone()}</code></p>
                <pre class="snippet"><code data-testid="embed-snippet">{f.snippet.clone()}</code></pre>
                <p class="hint">{t(l, T::Options)}</p>
                <p><a href=open target="_blank" rel="noopener noreferrer">{t(l, T::Open)}</a></p>
            </section>
        }
    });
    let body = view! {
        <div class="page-head"><h1>{t(l, T::Title)}</h1></div>
        {page::notice(done)}
        {fresh}
        <p class="hint">{t(l, T::Intro)}</p>
        <section class="card">{table}</section>
        <section class="card">
            <h2>{t(l, T::CreateTitle)}</h2>
            <form method="post" action="/admin/embeds">
                <label class="field">
                    <span>{t(l, T::Name)}</span>
                    <input name="name" value=typed.name.clone() required maxlength="200"
                        aria-invalid={name_error.is_some().then_some("true")}/>
                    {name_error.map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
                </label>
                <label class="field">
                    <span>{t(l, T::Team)}</span>
                    <select name="team" required aria-invalid={team_error.is_some().then_some("true")}>{team_options}</select>
                    {team_error.map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
                </label>
                <label class="field">
                    <span>{t(l, T::Origins)}</span>
                    <textarea name="origins" rows="3" placeholder="https://intranet.example.com"
                        aria-invalid={origins_error.is_some().then_some("true")}>{typed.origins.clone()}</textarea>
                    <small class="hint">{t(l, T::OriginsHint)}</small>
                    {origins_error.map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
                </label>
                <label class="field">
                    <span>{t(l, T::Lang)}</span>
                    <select name="lang">
                        <option value="zh" selected={typed.lang != "en"}>"中文"</option>
                        <option value="en" selected={typed.lang == "en"}>"English"</option>
                    </select>
                </label>
                <div class="form-actions">
                    <button type="submit" class="primary">{t(l, T::Create)}</button>
                </div>
            </form>
        </section>
    };
    page::page(viewer, "/admin/embeds", t(l, T::Title), body.into_any())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_origin_is_named_by_its_line() {
        let post = EmbedPost {
            name: "销售部门户".into(),
            team: "t1".into(),
            origins: "https://intranet.a.cn\r\n\nintranet.a.cn/wiki".into(),
            lang: String::new(),
        };
        let problems = read(&post).unwrap_err();
        let text = problem_text(Lang::Zh, &problems[0], &lines(&post.origins));
        assert!(text.starts_with("“intranet.a.cn/wiki” 不是网站地址"), "{text}");
        let ok = EmbedPost { origins: "https://intranet.a.cn".into(), ..post };
        assert_eq!(read(&ok).unwrap().origins, ["https://intranet.a.cn"]);
    }
}
