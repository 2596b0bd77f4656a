//! The dashboard's periods, in whole days of the workspace time zone: today, the quick periods
//! of the period picker, the default period and the periods a period is compared with.
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};

/// Today in the time zone `tz` at the moment `now` (the pages pass the workspace's offset).
pub fn today_in<Z: chrono::TimeZone>(tz: &Z, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(tz).date_naive()
}

/// A day as the URL and the date inputs write it (`YYYY-MM-DD`).
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    crate::format::parse_day(s)
}

/// Which end of a period a date input sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    /// The first day.
    First,
    /// The last day (inclusive in the input; the period's `to` is the day after).
    Last,
}

/// The period `[from, to)` with one end set from a date input's text; none when the text is
/// not a day or the period would hold no day.
pub fn edited_range((from, to): (NaiveDate, NaiveDate), end: RangeEnd, typed: &str) -> Option<(NaiveDate, NaiveDate)> {
    let day = parse_day(typed)?;
    let (from, to) = match end {
        RangeEnd::First => (day, to),
        RangeEnd::Last => (from, day + Duration::days(1)),
    };
    (from < to).then_some((from, to))
}

/// The first day of the month `months` after the month of `day` (negative: before).
pub fn month_start(day: NaiveDate, months: i32) -> NaiveDate {
    let index = day.year() * 12 + day.month0() as i32 + months;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).unwrap_or(day)
}

/// The first day of the quarter `quarters` after the quarter of `day`.
pub fn quarter_start(day: NaiveDate, quarters: i32) -> NaiveDate {
    let first = month_start(day, -((day.month0() % 3) as i32));
    month_start(first, quarters * 3)
}

/// The quick periods of the period picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    ThisMonth,
    LastMonth,
    ThisQuarter,
    LastQuarter,
    Last30,
    Last90,
}

impl Preset {
    /// The quick periods in the picker's order.
    pub const ALL: [Preset; 6] = [
        Preset::Last30,
        Preset::Last90,
        Preset::ThisMonth,
        Preset::LastMonth,
        Preset::ThisQuarter,
        Preset::LastQuarter,
    ];

    /// The period `[from, to)` as seen on `today`; rolling ones end tomorrow (today included).
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let tomorrow = today + Duration::days(1);
        match self {
            Preset::ThisMonth => (month_start(today, 0), month_start(today, 1)),
            Preset::LastMonth => (month_start(today, -1), month_start(today, 0)),
            Preset::ThisQuarter => (quarter_start(today, 0), quarter_start(today, 1)),
            Preset::LastQuarter => (quarter_start(today, -1), quarter_start(today, 0)),
            Preset::Last30 => (tomorrow - Duration::days(30), tomorrow),
            Preset::Last90 => (tomorrow - Duration::days(90), tomorrow),
        }
    }
}

/// The dashboard's default period: the last 90 days, today included.
pub fn default_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    Preset::Last90.range(today)
}

/// The period of the same length just before `[from, to)`.
pub fn previous_period(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    (from - (to - from), from)
}

/// The same period one year earlier.
pub fn year_before(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let back = |d: NaiveDate| d.checked_sub_months(Months::new(12)).unwrap_or(d);
    (back(from), back(to))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn day(s: &str) -> NaiveDate {
        parse_day(s).unwrap()
    }

    #[test]
    fn a_date_input_sets_one_end_of_a_period_that_keeps_at_least_a_day() {
        let period = (day("2026-10-01"), day("2026-11-01"));
        assert_eq!(edited_range(period, RangeEnd::First, "2026-09-15"), Some((day("2026-09-15"), day("2026-11-01"))));
        assert_eq!(edited_range(period, RangeEnd::Last, "2026-10-31"), Some(period));
        assert_eq!(edited_range(period, RangeEnd::Last, "2026-10-01"), Some((day("2026-10-01"), day("2026-10-02"))));
        assert_eq!(edited_range(period, RangeEnd::First, "2026-11-01"), None);
        assert_eq!(edited_range(period, RangeEnd::Last, "2026-09-30"), None);
        assert_eq!(edited_range(period, RangeEnd::First, "not a day"), None);
    }

    #[test]
    fn today_is_the_local_day_of_the_workspace_time_zone() {
        let now = DateTime::parse_from_rfc3339("2026-11-24T17:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(today_in(&chrono_tz::Asia::Shanghai, now), day("2026-11-25"));
        assert_eq!(today_in(&chrono_tz::Europe::Berlin, now), day("2026-11-24"));
    }

    #[test]
    fn presets_cover_whole_months_and_quarters() {
        let today = day("2026-11-24");
        assert_eq!(Preset::ThisMonth.range(today), (day("2026-11-01"), day("2026-12-01")));
        assert_eq!(Preset::LastMonth.range(today), (day("2026-10-01"), day("2026-11-01")));
        assert_eq!(Preset::ThisQuarter.range(today), (day("2026-10-01"), day("2027-01-01")));
        assert_eq!(Preset::LastQuarter.range(today), (day("2026-07-01"), day("2026-10-01")));
        assert_eq!(Preset::Last30.range(today), (day("2026-10-26"), day("2026-11-25")));
        let jan = day("2027-01-15");
        assert_eq!(Preset::LastMonth.range(jan), (day("2026-12-01"), day("2027-01-01")));
        assert_eq!(Preset::LastQuarter.range(jan), (day("2026-10-01"), day("2027-01-01")));
        assert_eq!(Preset::ThisQuarter.range(day("2026-03-31")), (day("2026-01-01"), day("2026-04-01")));
    }

    #[test]
    fn the_default_is_the_last_90_days_up_to_tomorrow() {
        let (from, to) = default_period(day("2026-11-24"));
        assert_eq!(to, day("2026-11-25"));
        assert_eq!((to - from).num_days(), 90);
        assert_eq!(previous_period(from, to), (day("2026-05-29"), from));
        assert_eq!(year_before(day("2024-02-29"), day("2024-03-31")), (day("2023-02-28"), day("2023-03-31")));
    }
}
