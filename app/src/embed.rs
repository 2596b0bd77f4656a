//! The pipeline widget (PRODUCT.md §9, §15): one team's board, read-only, for an intranet
//! page to frame — the app's own board component without the app around it, opened by the
//! embed's key alone (no session, no cookie), in the language and look the address asks for,
//! live, and sized to its content by `public/embed-frame.js`, which tells the framing page
//! (and only the origins the embed allows) how tall it is.
use crate::components::board::view::LoadedBoard;
use crate::domain::board::BoardFilter;
use crate::domain::embed::Look;
use crate::error::UiError;
use crate::i18n::Lang;
use crate::server_fns::embed::{is_revoked, load_embed_board, EmbedView};
use crate::ui::Ui;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};

crate::texts! {
    Pipeline: "销售看板", "Pipeline";
    Loading: "加载中…", "Loading…";
    Unknown: "这个嵌入密钥无效，请向 Genjin 管理员索取新的嵌入代码。", "This embed key is not valid. Please ask your Genjin admin for a new snippet.";
    Revoked: "此看板已停止共享，请联系 Genjin 管理员。", "This board is no longer shared. Please ask your Genjin admin.";
    Failed: "看板暂时无法加载，请稍后刷新。", "The board could not be loaded; please reload later.";
}

/// The widget's page: the board alone, with the app's styles, the hydration script and the
/// sizing script (no top bar, no reminders: nothing of the app is reachable from here).
pub fn embed_shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="referrer" content="no-referrer"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <script src="/embed-frame.js" defer></script>
                <MetaTags/>
            </head>
            <body class="embed-body">
                <EmbedApp/>
            </body>
        </html>
    }
}

/// The widget's address: its key, language and look.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedQuery {
    pub key: String,
    pub lang: Lang,
    pub look: Look,
}

impl EmbedQuery {
    /// Reads a query string (`key=…&lang=en&density=compact&theme=dark`).
    pub fn parse(query: &str) -> EmbedQuery {
        let get = |name: &str| {
            query.split('&').filter_map(|pair| pair.split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| decode(v))
        };
        EmbedQuery {
            key: get("key").unwrap_or_default(),
            lang: get("lang").map_or(Lang::Zh, |l| Lang::from_code(&l)),
            look: Look::read(get),
        }
    }

    /// The query of the page being rendered (on the server) or hydrated (in the browser).
    fn current() -> EmbedQuery {
        #[cfg(feature = "ssr")]
        let query = use_context::<axum::http::request::Parts>()
            .and_then(|p| p.uri.query().map(str::to_string))
            .unwrap_or_default();
        #[cfg(not(feature = "ssr"))]
        let query = window().location().search().unwrap_or_default().trim_start_matches('?').to_string();
        EmbedQuery::parse(&query)
    }
}

/// Decodes a query value (`%XX` and `+`); what does not decode is kept as it came.
fn decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| v.to_string())
}

/// The widget: loads its team's board by its key (the server hands it over with the page)
/// and shows it read-only and live; a plain notice when the key opens nothing.
#[component]
pub fn EmbedApp() -> impl IntoView {
    provide_meta_context();
    let q = EmbedQuery::current();
    // On the server the page's handler has opened the embed and read the board already.
    let given = use_context::<EmbedView>();
    let ui = Ui {
        lang: RwSignal::new(q.lang),
        viewer: RwSignal::new(None),
        settings: RwSignal::new(given.as_ref().map(|v| v.settings.clone()).unwrap_or_default()),
    };
    provide_context(ui);
    if let Some(v) = &given {
        crate::format::set_workspace_offset(v.utc_offset);
    }
    let lang = q.lang;
    let key = StoredValue::new(q.key.clone());
    let loaded = crate::wire::resource(
        || (),
        move |_| {
            let given = given.clone();
            async move {
                match given {
                    Some(v) => Ok(v),
                    None => load_embed_board(key.get_value()).await,
                }
            }
        },
    );
    view! {
        <Stylesheet id="leptos" href="/pkg/genjin.css"/>
        <Title text=t(lang, T::Pipeline)/>
        <main class=q.look.classes() lang=lang.code()>
            <Transition fallback=move || view! { <p class="board-loading">{t(lang, T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(v) => {
                            // The browser computes the stale marks and the days with what the
                            // server rendered them with.
                            if cfg!(not(feature = "ssr")) {
                                ui.settings.set(v.settings.clone());
                                crate::format::set_workspace_offset(v.utc_offset);
                            }
                            let filter = Signal::stored(BoardFilter { team: Some(v.team.clone()), ..Default::default() });
                            view! {
                                <section class="embed-board" id="genjin-embed" data-origins=v.origins.join(" ")>
                                    <h1 class="embed-title">{v.team_name.clone()}" · "{t(lang, T::Pipeline)}</h1>
                                    <LoadedBoard initial=v.board filter=filter reload=move || loaded.refetch() embed=key/>
                                </section>
                            }
                            .into_any()
                        }
                        Err(e) => refused(&e, lang),
                    }
                })}
            </Transition>
        </main>
    }
}

/// The plain notice of a widget that shows nothing.
fn refused(e: &UiError, lang: Lang) -> AnyView {
    let text = if is_revoked(e) {
        T::Revoked
    } else if matches!(e, UiError::NotFound(_)) {
        T::Unknown
    } else {
        T::Failed
    };
    view! { <p class="notice error embed-revoked" role="alert" id="genjin-embed">{t(lang, text)}</p> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_gives_the_key_language_and_look() {
        let q = EmbedQuery::parse("key=gje_0a1b&lang=en&density=compact&theme=dark");
        assert_eq!(q, EmbedQuery { key: "gje_0a1b".into(), lang: Lang::En, look: Look { compact: true, dark: true } });
        let q = EmbedQuery::parse("lang=zh-CN&key=gje%5F0a");
        assert_eq!((q.key.as_str(), q.lang, q.look), ("gje_0a", Lang::Zh, Look::default()));
        assert_eq!(EmbedQuery::parse("").key, "");
        assert_eq!(decode("a+b%20c%zz%"), "a b c%zz%");
    }
}
