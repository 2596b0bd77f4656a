//! The security headers: every answer says `nosniff`, a strict referrer policy and that no
//! other site may frame it (but the pipeline widget, which its embed's origins may frame and
//! which sends no referrer); every page also carries a Content-Security-Policy that lets
//! scripts and styles come only from Genjin itself (the page's one inline script, which
//! starts the hydration, by its per-request nonce).
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy of a page whose inline scripts carry `nonce`.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The Content-Security-Policy of the pipeline widget's page: the page's own, but framed by
/// exactly the embed's `origins` (PRODUCT.md §15; X-Frame-Options cannot name origins) and
/// posting no forms.
pub fn embed_policy(nonce: &str, origins: &[String]) -> String {
    let ancestors = frame_ancestors(origins);
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    )
}

/// The sources of a `frame-ancestors` directive: these origins, or `'none'` without any.
pub fn frame_ancestors(origins: &[String]) -> String {
    if origins.is_empty() {
        "'none'".to_string()
    } else {
        origins.join(" ")
    }
}

/// Whether a path is the pipeline widget's (framed by other sites, never sending a referrer).
pub fn is_widget_path(path: &str) -> bool {
    path.starts_with("/embed/")
}

/// The policy for answers that are not pages (API JSON, assets): nothing may run or frame.
pub const DEFAULT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Sets the page's policy from inside its render (called with the page's contexts).
pub fn provide_page_policy() {
    if let (Some(nonce), Some(res)) =
        (leptos::nonce::use_nonce(), leptos::prelude::use_context::<leptos_axum::ResponseOptions>())
    {
        if let Ok(v) = HeaderValue::from_str(&page_policy(&nonce)) {
            res.insert_header(header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

/// The middleware: the headers every answer carries (a page's own policy is kept).
pub async fn secure(req: Request, next: Next) -> Response {
    // The widget is framed by the intranet pages its own policy names, and its address carries
    // the embed's key: no referrer ever leaves it.
    let widget = is_widget_path(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if widget {
        h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        // Its policy's frame-ancestors decide who may frame it; its answers never set a cookie.
        h.remove(header::SET_COOKIE);
    } else {
        h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DEFAULT_POLICY));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widgets_policy_lets_exactly_its_embeds_origins_frame_it() {
        let origins = vec!["https://intranet.example.com".to_string(), "http://127.0.0.2:4000".to_string()];
        let p = embed_policy("n1", &origins);
        assert!(p.ends_with("frame-ancestors https://intranet.example.com http://127.0.0.2:4000"), "{p}");
        assert!(p.contains("'nonce-n1'") && p.contains("form-action 'none'"));
        assert!(embed_policy("n1", &[]).ends_with("frame-ancestors 'none'"));
        assert!(is_widget_path("/embed/pipeline") && is_widget_path("/embed/events"));
        assert!(!is_widget_path("/embed.js") && !is_widget_path("/board"));
    }

    #[test]
    fn a_pages_policy_allows_only_its_own_scripts_and_no_framing() {
        let p = page_policy("abc123");
        assert!(p.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(!p.contains("unsafe-eval'; ") || p.contains("wasm-unsafe-eval"));
        assert!(!p.contains("script-src 'self' 'unsafe-inline'"));
    }
}
