//! The browser's cookies: the session cookie (HttpOnly, SameSite=Lax, `Secure` and with the
//! `__Host-` prefix when the site is served over HTTPS) and reading a cookie from a request.

/// The session cookie's name.
pub const COOKIE: &str = "genjin_session";
/// How long a session lasts without signing in again.
pub const SESSION_DAYS: i64 = 14;

/// Reads a cookie's value from a request's headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// The session cookie's name over HTTPS: the `__Host-` prefix makes the browser keep it only
/// when it was set `Secure`, for the whole site, by this very host.
pub const SECURE_COOKIE: &str = "__Host-genjin_session";

/// The session secret a request carries, under either name.
pub fn session_secret(headers: &axum::http::HeaderMap) -> Option<&str> {
    cookie(headers, SECURE_COOKIE).or_else(|| cookie(headers, COOKIE))
}

/// Whether the site is being served over HTTPS: the public origin says so, or the proxy in
/// front of Genjin does (`X-Forwarded-Proto: https`).
pub fn is_https(headers: &axum::http::HeaderMap, public_origin: Option<&str>) -> bool {
    public_origin.is_some_and(|o| o.starts_with("https://"))
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').next().unwrap_or("").trim().eq_ignore_ascii_case("https"))
}

/// The Set-Cookie value of a new session (HttpOnly, SameSite=Lax, whole site; over HTTPS
/// `Secure` and `__Host-`).
pub fn session_cookie(secret: &str, https: bool) -> String {
    let max_age = SESSION_DAYS * 86_400;
    if https {
        format!("{SECURE_COOKIE}={secret}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age}")
    } else {
        format!("{COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}")
    }
}

/// The Set-Cookie value that removes the session cookie.
pub fn cleared_cookie(https: bool) -> String {
    if https {
        format!("{SECURE_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0")
    } else {
        format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_read_among_others_and_is_http_only() {
        let mut h = axum::http::HeaderMap::new();
        h.insert(axum::http::header::COOKIE, "theme=dark; genjin_session=gj_abc; x=1".parse().unwrap());
        assert_eq!(cookie(&h, COOKIE), Some("gj_abc"));
        assert_eq!(cookie(&h, "none"), None);
        let set = session_cookie("gj_abc", false);
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.starts_with("genjin_session=gj_abc;"));
        assert!(!set.contains("Secure"));
        assert!(cleared_cookie(false).contains("Max-Age=0"));
        assert_eq!(session_secret(&h), Some("gj_abc"));
    }

    #[test]
    fn over_https_the_session_cookie_is_secure_and_host_only() {
        let set = session_cookie("gj_abc", true);
        assert!(
            set.starts_with("__Host-genjin_session=gj_abc;") && set.contains("; Secure;") && set.contains("Path=/;")
        );
        assert!(!set.contains("Domain"));
        let mut h = axum::http::HeaderMap::new();
        assert!(!is_https(&h, None));
        assert!(is_https(&h, Some("https://genjin.example.com")));
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        assert!(is_https(&h, None));
        h.insert(axum::http::header::COOKIE, "__Host-genjin_session=gj_s".parse().unwrap());
        assert_eq!(session_secret(&h), Some("gj_s"));
    }
}
