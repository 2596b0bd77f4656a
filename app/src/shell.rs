//! The HTML shell, the root component with its routes, and what every page shares: the
//! signed-in user, the language, and the top bar.
use crate::i18n::Lang;
use crate::pages::board::BoardPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::home::HomePage;
use crate::pages::lead::LeadPage;
use crate::pages::lead_form::{EditLeadPage, NewLeadPage};
use crate::pages::leads::LeadsPage;
use crate::pages::login::LoginPage;
use crate::server_fns::session::{current_viewer, SetLang, SignOut, Visit};
use crate::settings::WorkspaceSettings;
use crate::ui::{encode, redirect_status, use_ui, Ui};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::{path, SsrMode, StaticSegment};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone() />
                <HydrationScripts options/>
                <script src="/reminders.js" defer></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Who is signed in, their language and the workspace's settings, loaded once per page load
/// (blocking, so the server renders the page in the right language for the right person).
type Who = crate::wire::WireResource<Result<Visit, crate::error::UiError>>;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let ui = Ui {
        lang: RwSignal::new(Lang::Zh),
        viewer: RwSignal::new(None),
        settings: RwSignal::new(WorkspaceSettings::default()),
    };
    provide_context(ui);
    // The page's state is written once, as the visit loads and before any boundary renders:
    // on the server the boundaries poll their bodies on several threads at once, and a write
    // beside another's read would fail (reactive_graph reports it as a disposed signal).
    let who: Who = Who::new_with_options(
        || (),
        move |_| async move {
            let visit = current_viewer().await;
            if let Ok(v) = &visit {
                apply_visit(ui, v);
            }
            visit
        },
        true,
    );
    provide_context(who);
    // Pages stream in order: the server sends each page whole, so it reads (and signs in)
    // without scripts too.
    let page = |view: fn() -> AnyView| move || view! { <WithViewer>{view()}</WithViewer> };
    view! {
        <Stylesheet id="leptos" href="/pkg/genjin.css"/>
        <Title text="跟进 Genjin"/>
        <Router>
            <WithViewer><TopBar/></WithViewer>
            <main class="page" lang=move || ui.lang.get().code()>
                <Routes fallback=|| view! { <WithViewer><NotFound/></WithViewer> }>
                    <Route path=StaticSegment("") view=page(|| view! { <HomePage/> }.into_any()) ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("login") view=page(|| view! { <LoginPage/> }.into_any()) ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("board") view=page(|| view! { <SignedIn><BoardPage/></SignedIn> }.into_any()) ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("dashboard") view=page(|| view! { <SignedIn><DashboardPage/></SignedIn> }.into_any()) ssr=SsrMode::InOrder/>
                    <Route path=StaticSegment("leads") view=page(|| view! { <SignedIn><LeadsPage/></SignedIn> }.into_any()) ssr=SsrMode::InOrder/>
                    <Route path=path!("/leads/new") view=page(|| view! { <SignedIn><NewLeadPage/></SignedIn> }.into_any()) ssr=SsrMode::InOrder/>
                    <Route path=path!("/leads/:code/edit") view=page(|| view! { <SignedIn><EditLeadPage/></SignedIn> }.into_any()) ssr=SsrMode::InOrder/>
                    <Route path=path!("/leads/:code") view=page(|| view! { <SignedIn><LeadPage/></SignedIn> }.into_any()) ssr=SsrMode::InOrder/>
                </Routes>
            </main>
        </Router>
    }
}

/// Renders its children once it is known who is signed in, in which language, and with which
/// workspace settings.
#[component]
fn WithViewer(children: ChildrenFn) -> impl IntoView {
    let ui = use_ui();
    let who = expect_context::<Who>();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                if let Ok(visit) = who.await {
                    crate::format::set_workspace_offset(visit.utc_offset);
                    // Hydration reads the visit the server sent without fetching it: the
                    // browser (one thread) applies it here.
                    if cfg!(not(feature = "ssr")) {
                        apply_visit(ui, &visit);
                    }
                }
                children.with_value(|c| c())
            })}
        </Suspense>
    }
}

/// Makes a visit's viewer, language and settings the page's.
fn apply_visit(ui: crate::ui::Ui, v: &Visit) {
    if ui.viewer.with_untracked(|current| *current != v.viewer) {
        ui.lang.set(v.lang);
        ui.viewer.set(v.viewer.clone());
    }
    if ui.settings.with_untracked(|s| *s != v.settings) {
        ui.settings.set(v.settings.clone());
    }
}

/// Shows its children to a signed-in user; sends anyone else to the sign-in page, coming
/// back here afterwards.
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let ui = use_ui();
    let location = use_location();
    move || {
        if ui.viewer.with(Option::is_some) {
            children().into_any()
        } else {
            let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
            let next = if here.is_empty() || here == "/" { String::new() } else { format!("?next={}", encode(&here)) };
            redirect_status();
            view! { <Redirect path=format!("/login{next}")/> }.into_any()
        }
    }
}

// The page's texts in both languages.
crate::texts! {
    Today: "我的今日", "My day";
    Feedback: "客户反馈", "Feedback";
    Board: "销售看板", "Pipeline";
    Leads: "线索", "Leads";
    NewLead: "新建线索", "New lead";
    Dashboard: "跟进成效", "Dashboard";
    SignIn: "登录", "Sign in";
    SignOut: "退出", "Sign out";
    Switch: "English", "中文";
    SwitchLabel: "切换到英文", "Switch to Chinese";
    Nav: "主导航", "Main";
    NotFound: "页面不存在", "Page not found";
    Back: "返回看板", "Back to the pipeline";
    Admin: "管理", "Admin";
    Evaluation: "跟进评估", "Evaluation";
    Duplicates: "重复线索", "Duplicates";
    Demo: "演示工作区：这里的团队、线索和跟进记录都是生成的示例数据。", "Demo workspace: the teams, leads and follow-ups here are generated sample data.";
}

/// The bar at the top of every page: the sections, the language switch, who is signed in.
#[component]
fn TopBar() -> impl IntoView {
    let ui = use_ui();
    let lang = ui.lang;
    let switch = ServerAction::<SetLang>::new();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if matches!(sign_out.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/login");
        }
    });
    let toggle = move |_| {
        let next = if lang.get_untracked() == Lang::Zh { Lang::En } else { Lang::Zh };
        lang.set(next);
        switch.dispatch(SetLang { lang: next.code().to_string() });
    };
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand"><span class="logo">"跟进"</span>" Genjin"</A>
            <Show when=move || ui.viewer.with(Option::is_some)>
                <nav class="sections" aria-label=move || t(lang.get(), T::Nav)>
                    // My day is rendered by the server alone, like the administration.
                    <a href="/today" rel="external">{move || t(lang.get(), T::Today)}<span class="due-badge" hidden></span></a>
                    <A href="/board">{move || t(lang.get(), T::Board)}</A>
                    <A href="/leads" exact=true>{move || t(lang.get(), T::Leads)}</A>
                    <A href="/dashboard">{move || t(lang.get(), T::Dashboard)}</A>
                    <a href="/feedback" rel="external">{move || t(lang.get(), T::Feedback)}</a>
                    <a href="/value" rel="external">{move || t(lang.get(), T::Evaluation)}</a>
                    // The administration pages are rendered by the server alone.
                    {move || {
                        let rep = ui.viewer.with(|v| v.as_ref().is_some_and(|v| v.role == crate::domain::enums::Role::Rep));
                        let (href, text) = if rep { ("/duplicates", T::Duplicates) } else { ("/admin/people", T::Admin) };
                        view! { <a href=href rel="external">{t(lang.get(), text)}</a> }
                    }}
                    <A href="/leads/new" attr:class="new-lead">"＋ "{move || t(lang.get(), T::NewLead)}</A>
                </nav>
            </Show>
            <div class="account">
                <button type="button" class="lang-switch" lang=move || if lang.get() == Lang::Zh { "en" } else { "zh-CN" }
                    title=move || t(lang.get(), T::SwitchLabel) on:click=toggle>
                    {move || t(lang.get(), T::Switch)}
                </button>
                {move || match ui.viewer.get() {
                    Some(v) => view! {
                        <span class="who" title=v.role.label(lang.get())>{v.name.clone()}</span>
                        // Posts without script; with it, the page signs out itself.
                        <form class="sign-out" method="post" action=SignOut::url()
                            on:submit=move |ev| { ev.prevent_default(); sign_out.dispatch(SignOut {}); }>
                            <button type="submit">{move || t(lang.get(), T::SignOut)}</button>
                        </form>
                    }.into_any(),
                    None => view! { <A href="/login" attr:class="sign-in-link">{move || t(lang.get(), T::SignIn)}</A> }.into_any(),
                }}
            </div>
        </header>
        <Show when=move || ui.viewer.with(|v| v.as_ref().is_some_and(|v| v.demo))>
            <p class="demo-banner" role="note">{move || t(lang.get(), T::Demo)}</p>
        </Show>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let lang = use_ui().lang;
    view! {
        <section class="card empty">
            <h1>{move || t(lang.get(), T::NotFound)}</h1>
            <A href="/board">{move || t(lang.get(), T::Back)}</A>
        </section>
    }
}
