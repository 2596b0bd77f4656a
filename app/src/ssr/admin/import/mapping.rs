//! The column choices of the import's preview: each column of the file travels in the page's
//! links and forms by its index (`col.<index>=<field key>`, empty to ignore the column), as
//! header texts may be long, repeated or empty, and comes back as the header the import takes.
use crate::ssr::sheet::columns::Column;
use std::collections::HashMap;

/// The user's column choices: `col.<index>` → a field key, empty to ignore the column.
pub fn choices(pairs: &[(String, String)]) -> Vec<(usize, String)> {
    pairs
        .iter()
        .filter_map(|(name, value)| {
            let index = name.strip_prefix("col.")?.parse::<usize>().ok()?;
            Some((index, value.trim().to_string()))
        })
        .collect()
}

/// The choices as the import takes them (header → field key, none to ignore), for the
/// file's headers. Unknown indexes and fields are left out; of two columns with the same
/// header, the first one's choice counts (the import maps a header to its first column).
pub fn columns_for(headers: &[String], choices: &[(usize, String)]) -> HashMap<String, Option<String>> {
    let mut columns = HashMap::new();
    for (i, key) in choices {
        let Some(header) = headers.get(*i) else { continue };
        let field = match key.as_str() {
            "" => None,
            k if Column::ALL.iter().any(|c| c.key() == k) => Some(k.to_string()),
            _ => continue,
        };
        if headers.iter().position(|h| h == header) == Some(*i) {
            columns.insert(header.clone(), field);
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers() -> Vec<String> {
        ["企业名称", "手机", "备用", "企业名称"].map(String::from).to_vec()
    }

    #[test]
    fn column_choices_travel_by_index_and_come_back_as_headers() {
        let pairs: Vec<(String, String)> = [("col.0", "company"), ("col.1", "phone"), ("col.2", ""), ("x", "y")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .to_vec();
        let columns = columns_for(&headers(), &choices(&pairs));
        assert_eq!(columns.len(), 3);
        assert_eq!(columns["企业名称"].as_deref(), Some("company"));
        assert_eq!(columns["手机"].as_deref(), Some("phone"));
        assert_eq!(columns["备用"], None);
    }

    #[test]
    fn unknown_fields_and_columns_and_a_repeated_header_are_left_out() {
        let picks = vec![(3, "remarks".to_string()), (9, "company".to_string()), (1, "fax".to_string())];
        assert!(columns_for(&headers(), &picks).is_empty());
    }
}
