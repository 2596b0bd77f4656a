//! Cross-site request forgery: an unsafe request (POST, PUT, PATCH, DELETE) to `/api/v1` that
//! carries the session cookie, and every unsafe request to `/rpc` (sign-in included, so no
//! other site can sign a visitor in), must come from Genjin's own pages. Browsers say where a
//! request comes from in `Sec-Fetch-Site` and `Origin`; a request that says it comes from
//! elsewhere is refused with 403 before anything runs. Bearer-token calls carry no ambient
//! authority and are left alone.
use crate::ssr::cookies;
use crate::ssr::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether a request must prove it comes from the site itself.
pub fn needs_check(method: &Method, path: &str, headers: &HeaderMap) -> bool {
    let unsafe_method = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE);
    if !unsafe_method || headers.contains_key(header::AUTHORIZATION) {
        return false;
    }
    // Company websites post leads here from their own pages; the post acts for nobody.
    if path.starts_with("/api/v1/intake/") {
        return false;
    }
    // Page calls, and anything else the session cookie would authorise (the API, the
    // administration pages' forms).
    path.starts_with("/rpc/") || cookies::session_secret(headers).is_some()
}

/// Whether the request says it comes from this site: `Sec-Fetch-Site: same-origin` (or
/// `none`, typed by the user), else an `Origin` whose host is the request's own host (or the
/// configured public origin). A request that says neither is not a modern browser's
/// cross-site request, and passes.
pub fn same_site(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site.trim(), "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.trim().trim_end_matches('/');
    if public_origin.is_some_and(|p| p.trim_end_matches('/').eq_ignore_ascii_case(origin)) {
        return true;
    }
    let Some((_, host)) = origin.split_once("://") else {
        return false; // "null" and the like
    };
    headers.get(header::HOST).and_then(|h| h.to_str().ok()).is_some_and(|h| h.eq_ignore_ascii_case(host))
}

/// The middleware: refuses a cross-site request in the API's error shape.
pub async fn guard(State(public_origin): State<Option<String>>, req: Request, next: Next) -> Response {
    if needs_check(req.method(), req.uri().path(), req.headers()) && !same_site(req.headers(), public_origin.as_deref())
    {
        return ApiError::CrossSite("a request from another site may not act for a signed-in user".into())
            .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn only_unsafe_cookie_requests_and_page_calls_are_checked() {
        let cookie = headers(&[("cookie", "genjin_session=gj_x")]);
        assert!(needs_check(&Method::POST, "/api/v1/leads", &cookie));
        assert!(needs_check(&Method::PATCH, "/api/v1/leads/LX1", &cookie));
        assert!(!needs_check(&Method::GET, "/api/v1/leads", &cookie));
        assert!(!needs_check(&Method::POST, "/api/v1/leads", &HeaderMap::new()), "no cookie, no ambient authority");
        assert!(needs_check(&Method::POST, "/rpc/sign_in", &HeaderMap::new()), "sign-in is covered");
        let both = headers(&[("cookie", "genjin_session=gj_x"), ("authorization", "Bearer t")]);
        assert!(!needs_check(&Method::POST, "/api/v1/leads", &both), "a token call is unaffected");
        assert!(!needs_check(&Method::POST, "/api/v1/intake/f1", &cookie), "a website's lead acts for nobody");
    }

    #[test]
    fn a_request_from_elsewhere_is_told_apart_from_the_sites_own() {
        let host = ("host", "genjin.example.com");
        assert!(same_site(&headers(&[host, ("sec-fetch-site", "same-origin")]), None));
        assert!(!same_site(&headers(&[host, ("sec-fetch-site", "cross-site")]), None));
        assert!(!same_site(&headers(&[host, ("sec-fetch-site", "same-site")]), None));
        assert!(same_site(&headers(&[host, ("origin", "https://genjin.example.com")]), None));
        assert!(!same_site(&headers(&[host, ("origin", "https://evil.example.net")]), None));
        assert!(!same_site(&headers(&[host, ("origin", "null")]), None));
        assert!(same_site(&headers(&[host]), None), "no browser said otherwise");
        let proxied = headers(&[("host", "10.0.0.5:3000"), ("origin", "https://crm.example.com")]);
        assert!(same_site(&proxied, Some("https://crm.example.com/")));
        assert!(!same_site(&proxied, Some("https://other.example.com")));
    }
}
