//! Where a sign-in goes on to: `next` only when it is a path on this site, whatever its
//! encoding, else My day.

/// The page a sign-in lands on.
pub const DEFAULT_LANDING: &str = "/today";

/// `next` when it is a same-site path: it starts with a single `/`, and neither it nor its
/// percent-decoded form holds a backslash, a second leading slash, a scheme or a control
/// character (browsers read `/\evil`, `/%5Cevil` and `/%09/evil` as other sites).
pub fn landing(next: Option<&str>) -> String {
    next.filter(|n| is_local_path(n)).unwrap_or(DEFAULT_LANDING).to_string()
}

fn is_local_path(next: &str) -> bool {
    let decoded = percent_decode(next);
    [next, decoded.as_str()].iter().all(|p| {
        let first_segment = p.get(1..).unwrap_or("").split(['/', '?', '#']).next().unwrap_or("");
        p.starts_with('/')
            && !p.starts_with("//")
            && !p.contains('\\')
            && !p.chars().any(|c| c.is_control() || c.is_whitespace())
            && !first_segment.contains(':')
    })
}

/// Percent-decodes twice over (a doubly encoded `%252F` is still a slash to somebody).
fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    fn once(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    once(&once(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_on_this_site_is_followed() {
        for ok in ["/board", "/leads/LX202600001", "/dashboard?from=2026-10-01&to=2027-01-01", "/leads?q=%E5%8D%8E"] {
            assert_eq!(landing(Some(ok)), ok);
        }
    }

    #[test]
    fn anything_that_leaves_the_site_goes_to_the_board() {
        for bad in [
            "//evil.example.com",
            "/\\evil.example.com",
            "/%5Cevil.example.com",
            "/%2F/evil.example.com",
            "/%252F%252Fevil.example.com",
            "/%09/evil.example.com",
            "/\t/evil.example.com",
            "/\n/evil",
            "https://evil.example.com",
            "javascript:alert(1)",
            "/javascript:alert(1)",
            "evil",
            "",
        ] {
            assert_eq!(landing(Some(bad)), "/today", "{bad:?}");
        }
        assert_eq!(landing(None), "/today");
    }
}
