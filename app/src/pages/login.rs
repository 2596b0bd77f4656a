//! The sign-in page: user name and password; a new session at every sign-in. Works before
//! the page has hydrated too (the form posts to the server function); once hydrated, the
//! page sends the same fields itself and shows a refusal in place.
use crate::server_fns::session::{landing, SignIn};
use crate::ui::use_ui;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

// The page's texts in both languages.
crate::texts! {
    Title: "登录跟进", "Sign in to Genjin";
    Hint: "使用管理员为您开通的账号登录。演示工作区账号见 README。", "Use the account your admin gave you. The demo workspace's accounts are in the README.";
    User: "账号", "User name";
    Password: "密码", "Password";
    Submit: "登录", "Sign in";
    Busy: "正在登录…", "Signing in…";
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_ui().lang;
    let sign_in = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let error = move || match sign_in.value().get() {
        Some(Err(e)) => Some(e.message(lang.get())),
        _ => None,
    };
    // Signed in (now, or already when arriving): on to where the user was going, loading the
    // page afresh so every part of it knows who is signed in.
    let target = move || landing(Some(&next()));
    // (A form posted without script is sent on by the server function itself.)
    let ui = use_ui();
    Effect::new(move |_| {
        if matches!(sign_in.value().get(), Some(Ok(()))) || ui.viewer.with(Option::is_some) {
            let _ = window().location().set_href(&target());
        }
    });
    let user = NodeRef::<leptos::html::Input>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = |field: NodeRef<leptos::html::Input>| field.get().map(|input| input.value()).unwrap_or_default();
        sign_in.dispatch(SignIn { user: value(user), password: value(password), next: Some(next()) });
    };
    view! {
        <section class="card login" aria-labelledby="login-title">
            <h1 id="login-title">{move || t(lang.get(), T::Title)}</h1>
            <p class="hint">{move || t(lang.get(), T::Hint)}</p>
            <form class="login-form" method="post" action=SignIn::url() on:submit=submit>
                <input type="hidden" name="next" value=next/>
                <label class="field">
                    <span>{move || t(lang.get(), T::User)}</span>
                    <input name="user" id="user" autocomplete="username" required node_ref=user/>
                </label>
                <label class="field">
                    <span>{move || t(lang.get(), T::Password)}</span>
                    <input name="password" id="password" type="password" autocomplete="current-password" required
                        node_ref=password/>
                </label>
                {move || error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <button type="submit" class="primary" disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() { t(lang.get(), T::Busy) } else { t(lang.get(), T::Submit) }}
                </button>
            </form>
        </section>
    }
}
