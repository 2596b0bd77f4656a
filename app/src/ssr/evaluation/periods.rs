//! The dashboard's period comparison (PRODUCT.md §7, the articles' 调整前 / 调整后 tables) as
//! the API answers it and as an xlsx workbook: every KPI in the comparison period and in this
//! one, with its absolute and relative change and whether that is better or worse — for the
//! whole and, when the dashboard is sliced, for each group. The numbers are the KPIs API's.
use crate::components::dashboard::names::{dimension_name, kpi_name};
use crate::i18n::Lang;
use crate::kpi::breakdown::group_label;
use crate::kpi::catalog::{kpi_def, kpi_defs, Unit};
use crate::kpi::present::{absolute_change, period_text, relative_change, verdict, Verdict};
use crate::kpi::{Dimension, KpiReport, Kpis};
use crate::ssr::sheet::export::{xlsx_book, Cell, Sheet};
use serde::Serialize;
use std::collections::BTreeMap as HashMap;

/// One KPI in both periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KpiComparison {
    pub key: String,
    pub comparison: Option<f64>,
    pub this_period: Option<f64>,
    /// `this_period − comparison`.
    pub change: Option<f64>,
    /// `change / |comparison|`; none when the comparison is zero or missing.
    pub relative: Option<f64>,
    /// `better`, `worse` or `same`, by the KPI's direction (a shorter cycle is better).
    pub verdict: Option<String>,
}

/// One group of a sliced comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupComparison {
    /// The group's value (a source, a grade, a rep's or a team's key…); null: not set.
    pub key: Option<String>,
    pub kpis: Vec<KpiComparison>,
}

/// The answer of `GET /api/v1/kpis/compare`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PeriodComparison {
    /// This period: its first day and the day after its last, as the KPIs API takes them.
    pub from: String,
    pub to: String,
    /// The period it is compared with.
    pub cfrom: String,
    pub cto: String,
    pub by: Option<Dimension>,
    pub total: Vec<KpiComparison>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupComparison>>,
}

fn verdict_key(v: Verdict) -> &'static str {
    match v {
        Verdict::Better => "better",
        Verdict::Worse => "worse",
        Verdict::Same => "same",
    }
}

/// Every KPI of the catalogue, from `before` (the comparison period) to `after` (this one).
fn kpis(before: Option<&Kpis>, after: Option<&Kpis>) -> Vec<KpiComparison> {
    kpi_defs()
        .iter()
        .map(|d| {
            let (b, a) = (before.and_then(d.get), after.and_then(d.get));
            let change = absolute_change(b, a);
            KpiComparison {
                key: d.key().to_string(),
                comparison: b,
                this_period: a,
                change,
                relative: relative_change(b, a),
                verdict: verdict(d.better, change).map(|v| verdict_key(v).to_string()),
            }
        })
        .collect()
}

/// The comparison of two reports of the same slice: `this` period's against `before`'s.
/// A group found in one period only is compared with nothing.
pub fn compare(this: &KpiReport, before: &KpiReport) -> PeriodComparison {
    let groups = this.groups.as_ref().map(|groups| {
        let earlier: HashMap<Option<&str>, &Kpis> =
            before.groups.iter().flatten().map(|g| (g.key.as_deref(), &g.kpis)).collect();
        let mut out: Vec<GroupComparison> = groups
            .iter()
            .map(|g| GroupComparison {
                key: g.key.clone(),
                kpis: kpis(earlier.get(&g.key.as_deref()).copied(), Some(&g.kpis)),
            })
            .collect();
        let now: Vec<Option<&str>> = groups.iter().map(|g| g.key.as_deref()).collect();
        for g in before.groups.iter().flatten().filter(|g| !now.contains(&g.key.as_deref())) {
            out.push(GroupComparison { key: g.key.clone(), kpis: kpis(Some(&g.kpis), None) });
        }
        out
    });
    PeriodComparison {
        from: this.from.clone(),
        to: this.to.clone(),
        cfrom: before.from.clone(),
        cto: before.to.clone(),
        by: this.by,
        total: kpis(Some(&before.total), Some(&this.total)),
        groups,
    }
}

/// A KPI's value as a cell: rates as percentages, counts whole, the rest to two decimals.
fn cell(unit: Unit, v: Option<f64>) -> Cell {
    match (unit, v) {
        (_, None) => Cell::Empty,
        (Unit::Rate, Some(v)) => Cell::Percent(v),
        (Unit::Count, Some(v)) => Cell::Int(v.round() as i64),
        (_, Some(v)) => Cell::Number((v * 100.0).round() / 100.0),
    }
}

/// The day after `to`'s day is the API's end; the sheets name the last day.
fn span(from: &str, to: &str, l: Lang) -> String {
    match (crate::format::parse_day(from), crate::format::parse_day(to)) {
        (Some(f), Some(t)) => period_text(f, t, l),
        _ => format!("{from} – {to}"),
    }
}

/// The comparison as an xlsx workbook: the whole on the first sheet, and when sliced, every
/// group's KPIs on a second; headers in the reader's language, the periods in the headers.
pub fn workbook(l: Lang, c: &PeriodComparison, names: &HashMap<String, String>) -> Result<Vec<u8>, String> {
    let zh = l == Lang::Zh;
    let word = |z: &'static str, e: &'static str| if zh { z } else { e };
    let before = format!("{} {}", word("对比时段", "Comparison period"), span(&c.cfrom, &c.cto, l));
    let after = format!("{} {}", word("本时段", "This period"), span(&c.from, &c.to, l));
    let judged = |v: Option<&str>| {
        Cell::Text(
            match v {
                Some("better") => word("改善", "Better"),
                Some("worse") => word("变差", "Worse"),
                Some("same") => word("持平", "Same"),
                _ => "",
            }
            .to_string(),
        )
    };
    let row = |k: &KpiComparison| -> Option<Vec<Cell>> {
        let d = kpi_def(&k.key)?;
        Some(vec![
            Cell::Text(kpi_name(l, d.kpi).to_string()),
            cell(d.unit, k.comparison),
            cell(d.unit, k.this_period),
            // A rate's change is in points, shown as a percentage too.
            cell(d.unit, k.change),
            k.relative.map_or(Cell::Empty, Cell::Percent),
            judged(k.verdict.as_deref()),
        ])
    };
    let headers: Vec<String> = vec![
        word("指标", "KPI").into(),
        before.clone(),
        after.clone(),
        word("变化", "Change").into(),
        word("变化率", "Relative change").into(),
        word("判断", "Verdict").into(),
    ];
    let total: Vec<Vec<Cell>> = c.total.iter().filter_map(row).collect();
    let mut group_rows: Vec<Vec<Cell>> = Vec::new();
    if let Some(groups) = &c.groups {
        for g in groups {
            let label = group_label(c.by, g.key.as_deref(), names, l);
            for k in &g.kpis {
                if let Some(mut r) = row(k) {
                    r.insert(0, Cell::Text(label.clone()));
                    group_rows.push(r);
                }
            }
        }
    }
    let by_name = c.by.map(|d| format!("{}{}", word("按", "By "), dimension_name(l, d)));
    let group_headers: Vec<String> =
        c.by.map(|d| dimension_name(l, d).to_string()).into_iter().chain(headers.iter().cloned()).collect();
    let mut sheets = vec![Sheet { name: word("时段对比", "Period comparison"), headers: &headers, rows: &total }];
    if let Some(name) = &by_name {
        sheets.push(Sheet { name, headers: &group_headers, rows: &group_rows });
    }
    xlsx_book(&sheets)
}

/// The file name of a comparison's workbook.
pub fn file_name(c: &PeriodComparison) -> String {
    format!("kpi-comparison-{}_{}-vs-{}_{}.xlsx", c.cfrom, c.cto, c.from, c.to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::KpiGroup;

    fn report(from: &str, to: &str, new_leads: u64, conversion: Option<f64>, cycle: Option<f64>) -> KpiReport {
        let mut total = blank();
        total.new_leads = new_leads;
        total.conversion_rate = conversion;
        total.sales_cycle_days = cycle;
        KpiReport { from: from.into(), to: to.into(), by: None, total, groups: None }
    }

    /// A KPI set with no leads: every rate unknown.
    fn blank() -> Kpis {
        serde_json::from_value(serde_json::json!({"new_leads": 0, "funnel": []})).unwrap()
    }

    #[test]
    fn each_kpi_is_compared_by_its_direction() {
        let before = report("2026-08-01", "2026-09-01", 40, Some(0.10), Some(30.0));
        let this = report("2026-09-01", "2026-10-01", 50, Some(0.15), Some(36.0));
        let c = compare(&this, &before);
        let get = |key: &str| c.total.iter().find(|k| k.key == key).unwrap().clone();
        let new = get("new_leads");
        assert_eq!((new.comparison, new.this_period, new.change), (Some(40.0), Some(50.0), Some(10.0)));
        assert!((new.relative.unwrap() - 0.25).abs() < 1e-12);
        assert_eq!(new.verdict.as_deref(), Some("better"));
        let conversion = get("conversion_rate");
        assert!((conversion.change.unwrap() - 0.05).abs() < 1e-12);
        assert!((conversion.relative.unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(conversion.verdict.as_deref(), Some("better"));
        // A longer cycle is worse.
        let cycle = get("sales_cycle_days");
        assert_eq!((cycle.change, cycle.verdict.as_deref()), (Some(6.0), Some("worse")));
        assert_eq!(c.total.len(), kpi_defs().len());
        assert_eq!((c.cfrom.as_str(), c.to.as_str()), ("2026-08-01", "2026-10-01"));
    }

    #[test]
    fn groups_are_matched_by_key_and_one_missing_in_a_period_is_compared_with_nothing() {
        let mut before = report("2026-08-01", "2026-09-01", 3, None, None);
        let mut this = report("2026-09-01", "2026-10-01", 5, None, None);
        let group = |key: Option<&str>, n: u64| {
            let mut kpis = blank();
            kpis.new_leads = n;
            KpiGroup { key: key.map(str::to_string), kpis }
        };
        before.by = Some(Dimension::Source);
        this.by = Some(Dimension::Source);
        before.groups = Some(vec![group(Some("referral"), 2), group(Some("trade_show"), 1)]);
        this.groups = Some(vec![group(Some("referral"), 4), group(None, 1)]);
        let c = compare(&this, &before);
        let groups = c.groups.unwrap();
        let new_leads = |g: &GroupComparison| {
            let k = g.kpis.iter().find(|k| k.key == "new_leads").unwrap();
            (g.key.clone(), k.comparison, k.this_period)
        };
        assert_eq!(
            groups.iter().map(new_leads).collect::<Vec<_>>(),
            [
                (Some("referral".into()), Some(2.0), Some(4.0)),
                (None, None, Some(1.0)),
                (Some("trade_show".into()), Some(1.0), None),
            ]
        );
    }

    #[test]
    fn the_workbook_has_the_whole_and_each_group() {
        let mut before = report("2026-08-01", "2026-09-01", 3, Some(0.2), None);
        let mut this = report("2026-09-01", "2026-10-01", 5, Some(0.3), None);
        before.by = Some(Dimension::Source);
        this.by = Some(Dimension::Source);
        let mut kpis = blank();
        kpis.new_leads = 5;
        this.groups = Some(vec![KpiGroup { key: Some("referral".into()), kpis }]);
        before.groups = Some(Vec::new());
        let c = compare(&this, &before);
        let names = HashMap::new();
        let bytes = workbook(Lang::Zh, &c, &names).unwrap();
        use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["时段对比", "按线索来源"]);
        let whole = book.worksheet_range("时段对比").unwrap();
        let header: Vec<String> = whole.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(header[0], "指标");
        assert!(header[1].starts_with("对比时段 2026-08-01 至 2026-08-31"), "{header:?}");
        assert!(header[2].starts_with("本时段 2026-09-01 至 2026-09-30"), "{header:?}");
        let conversion = whole.rows().find(|r| r[0] == Data::String("线索转化率".into())).unwrap();
        let number = |d: &Data| match d {
            Data::Float(f) => *f,
            other => panic!("{other:?} is not a number"),
        };
        let values: Vec<f64> = conversion[1..5].iter().map(number).collect();
        for (v, expected) in values.iter().zip([0.2, 0.3, 0.1, 0.5]) {
            assert!((v - expected).abs() < 1e-9, "{values:?}");
        }
        assert_eq!(conversion[5], Data::String("改善".into()));
        let groups = book.worksheet_range("按线索来源").unwrap();
        let first = groups.rows().nth(1).unwrap();
        assert_eq!((first[0].to_string(), first[1].to_string()), ("合作伙伴推荐".to_string(), "新线索数".to_string()));
        assert_eq!(file_name(&c), "kpi-comparison-2026-08-01_2026-09-01-vs-2026-09-01_2026-10-01.xlsx");
    }
}
