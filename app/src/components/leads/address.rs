//! The leads list's address: its filters and sort in the query string, so a reload or a
//! shared link keeps them, and the way the list's parts go to another address.
use crate::domain::enums::{Grade, Source, Status, Tier};
use crate::domain::lead_query::{LeadQuery, SortBy};
use crate::ui::encode;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// The filters a query string holds; unknown values are ignored.
pub fn query_from(get: impl Fn(&str) -> Option<String>) -> LeadQuery {
    let text = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    LeadQuery {
        status: text("status").and_then(|v| Status::parse(&v)),
        grade: text("grade").and_then(|v| Grade::parse(&v)),
        owner: text("owner"),
        source: text("source").and_then(|v| Source::parse(&v)),
        tag: text("tag"),
        q: text("q"),
        tier: text("tier").and_then(|v| Tier::parse(&v)),
        cursor: None,
    }
}

/// The address of the list with these filters and this sort.
pub fn list_href(query: &LeadQuery, sort: SortBy) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut add = |key: &str, value: Option<&str>| {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{key}={}", encode(v)));
        }
    };
    add("q", query.q.as_deref());
    add("status", query.status.map(Status::key));
    add("grade", query.grade.map(Grade::key));
    add("owner", query.owner.as_deref());
    add("source", query.source.map(Source::key));
    add("tag", query.tag.as_deref());
    add("tier", query.tier.map(Tier::key));
    if sort != SortBy::Newest {
        add("sort", Some(sort.key()));
    }
    if parts.is_empty() {
        "/leads".into()
    } else {
        format!("/leads?{}", parts.join("&"))
    }
}

/// Shows the list with these filters and this sort, where the user is (no scroll to the top).
pub fn use_show_list() -> impl Fn(LeadQuery, SortBy) + Clone + 'static {
    let navigate = use_navigate();
    move |query: LeadQuery, sort: SortBy| {
        navigate(&list_href(&query, sort), NavigateOptions { scroll: false, ..Default::default() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_survive_a_trip_through_the_address() {
        let query = LeadQuery {
            status: Some(Status::Proposal),
            grade: Some(Grade::A),
            owner: Some("r12".into()),
            source: Some(Source::TradeShow),
            tag: Some("重点客户".into()),
            q: Some("华信 科技&".into()),
            tier: Some(Tier::Potential),
            cursor: None,
        };
        let href = list_href(&query, SortBy::ScoreDesc);
        assert!(href.starts_with("/leads?q="), "{href}");
        let search = href.trim_start_matches("/leads?");
        let pairs: Vec<(String, String)> =
            search.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), decode(v))).collect();
        let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
        assert_eq!(query_from(get), query);
        assert_eq!(get("sort").as_deref(), Some("score_desc"));
        assert_eq!(list_href(&LeadQuery::default(), SortBy::Newest), "/leads");
    }

    #[test]
    fn unknown_filter_values_are_ignored() {
        let get = |k: &str| match k {
            "status" => Some("done".to_string()),
            "grade" => Some("Z".to_string()),
            "tier" => Some("sleepy".to_string()),
            "q" => Some("   ".to_string()),
            _ => None,
        };
        assert_eq!(query_from(get), LeadQuery::default());
        assert_eq!(SortBy::parse("sideways"), SortBy::Newest);
    }

    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap_or_default()
    }
}
