//! The dashboard's breakdown of a KPI set by a dimension: what each group is called, which
//! KPIs its table shows, and how the table is sorted.
use super::catalog::Kpi;
use super::{Dimension, Kpis};
use crate::domain::enums::Source;
use crate::domain::people::People;
use crate::i18n::Lang;
// A BTreeMap, not a HashMap: the hasher would add SipHash to the wasm for a few names.
use std::collections::BTreeMap as HashMap;

crate::texts! {
    NotSet: "未填写", "Not set";
}

/// The KPIs of the breakdown table, in its columns' order.
pub const TABLE_KPIS: [Kpi; 9] = [
    Kpi::NewLeads,
    Kpi::ConversionRate,
    Kpi::WinRate,
    Kpi::ResponseRate,
    Kpi::ResponseTimeHoursMedian,
    Kpi::SlaCompliance,
    Kpi::AvgDealSize,
    Kpi::SalesCycleDays,
    Kpi::SatisfactionMean,
];

/// What a group is called: sources by their label, owners and teams by their name, the
/// null group as "not set".
pub fn group_label(by: Option<Dimension>, key: Option<&str>, names: &HashMap<String, String>, lang: Lang) -> String {
    let Some(key) = key else {
        return t(lang, T::NotSet).into();
    };
    match by {
        Some(Dimension::Source) => Source::parse(key).map(|s| s.label(lang).to_owned()).unwrap_or_else(|| key.into()),
        Some(Dimension::Owner | Dimension::Team) => names.get(key).cloned().unwrap_or_else(|| key.into()),
        _ => key.into(),
    }
}

/// The names of reps and teams by key.
pub fn names_of(people: &People) -> HashMap<String, String> {
    people.reps.iter().chain(&people.teams).map(|p| (p.key.clone(), p.name.clone())).collect()
}

/// How the breakdown table is sorted: by a KPI of [`TABLE_KPIS`] or (none) by the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Option<usize>,
    pub descending: bool,
}

/// Sorts labelled rows; rows without a value always come last.
pub fn sort_rows(rows: &mut [(String, Kpis)], sort: Sort) {
    let get = sort.column.and_then(|c| TABLE_KPIS.get(c)).and_then(|k| k.def()).map(|d| d.get);
    rows.sort_by(|a, b| {
        let ordering = match get {
            None => a.0.cmp(&b.0),
            Some(get) => match (get(&a.1), get(&b.1)) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => return std::cmp::Ordering::Less,
                (None, Some(_)) => return std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
        };
        if sort.descending {
            ordering.reverse()
        } else {
            ordering
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::catalog::tests::kpis;

    #[test]
    fn groups_are_named_and_sorted_with_missing_values_last() {
        let names: HashMap<String, String> = [("r11".to_string(), "王伟".to_string())].into();
        assert_eq!(group_label(Some(Dimension::Owner), Some("r11"), &names, Lang::Zh), "王伟");
        assert_eq!(group_label(Some(Dimension::Owner), Some("r99"), &names, Lang::Zh), "r99");
        assert_eq!(group_label(Some(Dimension::Source), Some("trade_show"), &names, Lang::Zh), "展会");
        assert_eq!(group_label(Some(Dimension::Region), None, &names, Lang::Zh), "未填写");
        assert_eq!(group_label(Some(Dimension::Region), None, &names, Lang::En), "Not set");
        let mut rows = vec![
            ("B".to_string(), kpis(5, None)),
            ("A".to_string(), kpis(9, Some(0.1))),
            ("C".to_string(), kpis(1, Some(0.3))),
        ];
        sort_rows(&mut rows, Sort { column: Some(1), descending: true });
        assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["C", "A", "B"]);
        sort_rows(&mut rows, Sort { column: Some(1), descending: false });
        assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["A", "C", "B"]);
        sort_rows(&mut rows, Sort { column: Some(0), descending: true });
        assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["A", "B", "C"]);
        sort_rows(&mut rows, Sort { column: None, descending: false });
        assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["A", "B", "C"]);
    }
}
