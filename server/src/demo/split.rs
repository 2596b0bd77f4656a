//! A large demo workspace in parts: each part a bundle an import takes in one go.
use serde_json::Value;

/// Splits a generated bundle into bundles of at most `leads` leads each, every lead with its
/// own history; the first also carries the teams and reps the others refer to.
pub fn split(mut bundle: Value, leads: usize) -> Vec<Value> {
    let mut take = |name: &str| match bundle.get_mut(name).map(Value::take) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    let (teams, reps, all_leads) = (take("teams"), take("reps"), take("leads"));
    let history: Vec<(&str, Vec<Value>)> =
        ["interactions", "stage_changes", "tasks", "feedback", "orders"].into_iter().map(|n| (n, take(n))).collect();
    let leads = leads.max(1);
    let chunks = all_leads.len().div_ceil(leads).max(1);
    let index: std::collections::HashMap<String, usize> = all_leads
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l["key"].as_str().map(|k| (k.to_owned(), i / leads)))
        .collect();
    let mut parts: Vec<serde_json::Map<String, Value>> = (0..chunks).map(|_| serde_json::Map::new()).collect();
    parts[0].insert("teams".into(), Value::Array(teams));
    parts[0].insert("reps".into(), Value::Array(reps));
    let mut lead_parts: Vec<Vec<Value>> = vec![Vec::new(); chunks];
    for (i, lead) in all_leads.into_iter().enumerate() {
        lead_parts[i / leads].push(lead);
    }
    for (part, chunk) in parts.iter_mut().zip(lead_parts) {
        part.insert("leads".into(), Value::Array(chunk));
    }
    for (name, items) in history {
        let mut per_part: Vec<Vec<Value>> = vec![Vec::new(); chunks];
        for item in items {
            let part = item["lead"].as_str().and_then(|k| index.get(k)).copied().unwrap_or(0);
            per_part[part].push(item);
        }
        for (part, items) in parts.iter_mut().zip(per_part) {
            part.insert(name.into(), Value::Array(items));
        }
    }
    parts.into_iter().map(Value::Object).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::generate;
    use chrono::{DateTime, Utc};

    #[test]
    fn split_keeps_every_lead_with_its_history_and_the_people_in_the_first_part() {
        let today = DateTime::parse_from_rfc3339("2026-11-24T04:00:00Z").unwrap().with_timezone(&Utc);
        let whole = generate(230, 7, today);
        let parts = split(whole.clone(), 100);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0]["reps"], whole["reps"]);
        assert_eq!(parts[0]["teams"], whole["teams"]);
        assert!(parts[1].get("reps").is_none() && parts[2].get("teams").is_none());
        for name in ["leads", "interactions", "stage_changes", "tasks", "feedback", "orders"] {
            let total: usize = parts.iter().map(|p| p[name].as_array().unwrap().len()).sum();
            assert_eq!(total, whole[name].as_array().unwrap().len(), "{name}");
        }
        for part in &parts {
            let keys: Vec<&str> =
                part["leads"].as_array().unwrap().iter().map(|l| l["key"].as_str().unwrap()).collect();
            assert!(keys.len() <= 100);
            for item in part["interactions"].as_array().unwrap() {
                assert!(keys.contains(&item["lead"].as_str().unwrap()));
            }
        }
    }
}
