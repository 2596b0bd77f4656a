//! What every page shares, provided by the shell and read by pages and components: the
//! language, who is signed in, and the workspace's settings the browser computes with.
use crate::i18n::Lang;
use crate::server_fns::session::Viewer;
use crate::settings::WorkspaceSettings;
use leptos::prelude::*;

/// What every page shares: the language (switchable, remembered per user), who is signed in
/// (none on public pages) and the workspace's settings.
#[derive(Clone, Copy)]
pub struct Ui {
    pub lang: RwSignal<Lang>,
    pub viewer: RwSignal<Option<Viewer>>,
    /// The workspace's settings, sent with the page: the browser scores, grades and marks
    /// stale leads by the same numbers as the server.
    pub settings: RwSignal<WorkspaceSettings>,
}

/// The shared page context; pages are always rendered inside [`App`].
pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}

/// A page that sends the visitor elsewhere answers 302 when rendered on the server (the
/// router's redirect sets the Location header).
pub fn redirect_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::FOUND);
    }
}

/// Percent-encodes a path for a query parameter.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_return_path_is_encoded_for_the_sign_in_link() {
        assert_eq!(encode("/leads/LX202600001"), "/leads/LX202600001");
        assert_eq!(encode("/board?owner=r1&q=华"), "/board%3Fowner%3Dr1%26q%3D%E5%8D%8E");
    }
}
