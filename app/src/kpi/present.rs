//! How the dashboard writes KPIs for people: a value in its unit, the absolute and relative
//! change against another period, whether that change is good news, and a period's days.
use super::catalog::{Better, Unit};
use crate::format::{cny, fixed, percent, thousands};
use crate::i18n::Lang;
use chrono::{Duration, NaiveDate};

crate::texts! {
    Days: "天", "days";
    Hours: "小时", "h";
    DaysUnit: "天", "days";
    PerWeek: "次/周", "/ week";
    Pp: "个百分点", "pp";
}

/// `[from, to)` written for people: its first and last day and its length.
pub fn period_text(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    let last = to - Duration::days(1);
    let days = (to - from).num_days();
    match lang {
        Lang::Zh => format!("{from} 至 {last}（{days} {}）", t(lang, T::Days)),
        Lang::En => format!("{from} – {last} ({days} {})", t(lang, T::Days)),
    }
}

/// A KPI's value as people read it; `—` when there is none.
pub fn format_value(unit: Unit, v: Option<f64>, lang: Lang) -> String {
    let Some(v) = v else { return "—".into() };
    match unit {
        Unit::Count => thousands(v.round() as i64),
        Unit::Rate => percent(v),
        Unit::Amount => cny(v),
        Unit::Hours => format!("{} {}", fixed(v, 1), t(lang, T::Hours)),
        Unit::Days => format!("{} {}", fixed(v, 1), t(lang, T::DaysUnit)),
        Unit::Score => format!("{} / 5", fixed(v, 2)),
        Unit::PerWeek => format!("{} {}", fixed(v, 2), t(lang, T::PerWeek)),
    }
}

/// `after − before`, when both are known.
pub fn absolute_change(before: Option<f64>, after: Option<f64>) -> Option<f64> {
    Some(after? - before?)
}

/// `(after − before) / |before|`; none when `before` is zero or either is unknown.
pub fn relative_change(before: Option<f64>, after: Option<f64>) -> Option<f64> {
    let (a, b) = (before?, after?);
    (a != 0.0).then(|| (b - a) / a.abs())
}

/// Whether a change is good news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Better,
    Worse,
    Same,
}

impl Verdict {
    /// The CSS class that colours the change.
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Better => "good",
            Verdict::Worse => "bad",
            Verdict::Same => "flat",
        }
    }
}

/// Judges a change by the KPI's direction; tiny changes (rounding noise) are no change.
pub fn verdict(better: Better, change: Option<f64>) -> Option<Verdict> {
    let c = change?;
    if c.abs() < 1e-9 {
        return Some(Verdict::Same);
    }
    Some(match (better, c > 0.0) {
        (Better::Higher, true) | (Better::Lower, false) => Verdict::Better,
        _ => Verdict::Worse,
    })
}

fn signed(v: f64, decimals: usize) -> String {
    let s = fixed(v.abs(), decimals as u32);
    let zero = s.chars().all(|c| c == '0' || c == '.');
    if zero {
        s
    } else if v > 0.0 {
        format!("+{s}")
    } else {
        format!("-{s}")
    }
}

/// An absolute change as people read it: rates in percentage points, amounts in yuan.
pub fn format_change(unit: Unit, change: Option<f64>, lang: Lang) -> String {
    let Some(c) = change else { return "—".into() };
    match unit {
        Unit::Count => match c.round() as i64 {
            0 => "0".into(),
            n if n > 0 => format!("+{}", thousands(n)),
            n => thousands(n),
        },
        Unit::Rate => format!("{} {}", signed(c * 100.0, 1), t(lang, T::Pp)),
        Unit::Amount if c.round() > 0.0 => format!("+{}", cny(c)),
        Unit::Amount => cny(c),
        Unit::Hours => format!("{} {}", signed(c, 1), t(lang, T::Hours)),
        Unit::Days => format!("{} {}", signed(c, 1), t(lang, T::DaysUnit)),
        Unit::Score => signed(c, 2),
        Unit::PerWeek => format!("{} {}", signed(c, 2), t(lang, T::PerWeek)),
    }
}

/// A relative change as a signed percentage.
pub fn format_relative(change: Option<f64>) -> String {
    match change {
        None => "—".into(),
        Some(c) => {
            let p = percent(c);
            if p.starts_with('-') || p == "0.0%" {
                p
            } else {
                format!("+{p}")
            }
        }
    }
}

/// The arrow before a change that is not "no change": up or down.
pub fn arrow(v: Option<Verdict>, change: Option<f64>) -> &'static str {
    match (v, change) {
        (Some(Verdict::Same), _) | (None, _) | (_, None) => "",
        (_, Some(c)) if c > 0.0 => "▲ ",
        _ => "▼ ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::catalog::kpi_def;

    #[test]
    fn values_are_written_for_people() {
        assert_eq!(format_value(Unit::Rate, Some(0.1234), Lang::Zh), "12.3%");
        assert_eq!(format_value(Unit::Rate, None, Lang::Zh), "—");
        assert_eq!(format_value(Unit::Amount, Some(1_234_567.4), Lang::En), "¥1,234,567");
        assert_eq!(format_value(Unit::Count, Some(1234.0), Lang::En), "1,234");
        assert_eq!(format_value(Unit::Hours, Some(5.25), Lang::En), "5.2 h");
        assert_eq!(format_value(Unit::Days, Some(30.0), Lang::Zh), "30.0 天");
        assert_eq!(format_value(Unit::Score, Some(4.2), Lang::En), "4.20 / 5");
    }

    #[test]
    fn changes_are_absolute_and_relative() {
        assert_eq!(relative_change(Some(0.0), Some(5.0)), None);
        assert_eq!(relative_change(None, Some(5.0)), None);
        assert_eq!(relative_change(Some(5.0), None), None);
        assert_eq!(relative_change(Some(40.0), Some(50.0)), Some(0.25));
        assert_eq!(relative_change(Some(-4.0), Some(-2.0)), Some(0.5));
        assert_eq!(absolute_change(Some(0.2), None), None);
        assert!((absolute_change(Some(0.2), Some(0.25)).unwrap() - 0.05).abs() < 1e-12);
        assert_eq!(format_change(Unit::Rate, Some(0.023), Lang::Zh), "+2.3 个百分点");
        assert_eq!(format_change(Unit::Rate, Some(-0.023), Lang::En), "-2.3 pp");
        assert_eq!(format_change(Unit::Rate, Some(0.0), Lang::En), "0.0 pp");
        assert_eq!(format_change(Unit::Count, Some(12.0), Lang::En), "+12");
        assert_eq!(format_change(Unit::Count, Some(-1200.0), Lang::En), "-1,200");
        assert_eq!(format_change(Unit::Amount, Some(1500.0), Lang::En), "+¥1,500");
        assert_eq!(format_change(Unit::Amount, Some(-1500.0), Lang::En), "-¥1,500");
        assert_eq!(format_change(Unit::Hours, None, Lang::En), "—");
        assert_eq!(format_relative(Some(0.25)), "+25.0%");
        assert_eq!(format_relative(Some(-0.1)), "-10.0%");
        assert_eq!(format_relative(None), "—");
    }

    #[test]
    fn each_kpi_is_judged_by_its_direction() {
        let d = |k: &str| kpi_def(k).unwrap();
        assert_eq!(verdict(d("conversion_rate").better, Some(0.02)), Some(Verdict::Better));
        assert_eq!(verdict(d("conversion_rate").better, Some(-0.02)), Some(Verdict::Worse));
        assert_eq!(verdict(d("response_time_hours_mean").better, Some(-3.0)), Some(Verdict::Better));
        assert_eq!(verdict(d("response_time_hours_median").better, Some(3.0)), Some(Verdict::Worse));
        assert_eq!(verdict(d("dissatisfied_rate").better, Some(0.01)), Some(Verdict::Worse));
        assert_eq!(verdict(d("sales_cycle_days").better, Some(-2.0)), Some(Verdict::Better));
        assert_eq!(verdict(d("new_leads").better, Some(0.0)), Some(Verdict::Same));
        assert_eq!(verdict(d("win_rate").better, None), None);
    }
}
