//! KPI periods (whole days in the workspace time zone) and the dimensions a KPI set is sliced by.
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// `[from, to)` in whole local days, with its bounds as instants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub tz: Tz,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PeriodError {
    #[error("`{0}` is not a date (YYYY-MM-DD) from 2000 to 2100")]
    BadDate(String),
    #[error("the period must end after it starts")]
    Empty,
}

fn local_midnight(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    // A day that starts inside a DST gap begins at the first instant that exists.
    tz.from_local_datetime(&midnight).earliest().unwrap_or_else(|| tz.from_utc_datetime(&midnight)).with_timezone(&Utc)
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate, tz: Tz) -> Result<Period, PeriodError> {
        if to <= from {
            return Err(PeriodError::Empty);
        }
        Ok(Period { from, to, start: local_midnight(from, tz), end: local_midnight(to, tz), tz })
    }

    pub fn parse(from: &str, to: &str, tz: Tz) -> Result<Period, PeriodError> {
        let day = |s: &str| {
            crate::format::parse_day(s)
                .filter(|d| crate::domain::validate::YEARS.contains(&chrono::Datelike::year(d)))
                .ok_or_else(|| PeriodError::BadDate(s.into()))
        };
        Period::new(day(from)?, day(to)?, tz)
    }

    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }

    pub fn holds(&self, t: Option<DateTime<Utc>>) -> bool {
        t.is_some_and(|t| self.contains(t))
    }

    /// Calendar days in the period.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days()
    }

    /// The local calendar day of an instant.
    pub fn local_day(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }
}

/// The workspace's calendar days from `first` on, by the instant each starts: the local day of
/// an instant in that span is a binary search, not a time-zone lookup (the KPIs ask it of
/// every task of the period).
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: Tz,
    first: NaiveDate,
    /// The start of `first` and of each day after it, to the end of the last.
    starts: Vec<DateTime<Utc>>,
}

impl Calendar {
    pub fn new(first: NaiveDate, days: u32, tz: Tz) -> Calendar {
        let day = |i: usize| first + chrono::Duration::days(i as i64);
        let starts: Vec<DateTime<Utc>> = (0..=days as usize).map(|i| local_midnight(day(i), tz)).collect();
        // Only when each start is the first instant of its day (not so for a day whose midnight
        // falls in a clock change's gap): otherwise every lookup asks the time zone.
        let exact = starts.iter().enumerate().all(|(i, s)| {
            s.with_timezone(&tz).date_naive() == day(i)
                && (*s - chrono::Duration::seconds(1)).with_timezone(&tz).date_naive() < day(i)
        });
        Calendar { tz, first, starts: if exact { starts } else { Vec::new() } }
    }

    /// The calendar around a period: from the day before it to `after` days after it.
    pub fn around(period: &Period, after: u32) -> Calendar {
        Calendar::spanning(period.from, period.to, period.tz, after)
    }

    /// The calendar from the day before `from` to `after` days after `to`.
    pub fn spanning(from: NaiveDate, to: NaiveDate, tz: Tz, after: u32) -> Calendar {
        Calendar::new(from - chrono::Duration::days(1), (to - from).num_days() as u32 + 1 + after, tz)
    }

    /// The local calendar day of an instant.
    pub fn day(&self, t: DateTime<Utc>) -> NaiveDate {
        match (self.starts.first(), self.starts.last()) {
            (Some(lo), Some(hi)) if *lo <= t && t < *hi => {
                let i = self.starts.partition_point(|s| *s <= t) - 1;
                self.first + chrono::Duration::days(i as i64)
            }
            _ => t.with_timezone(&self.tz).date_naive(),
        }
    }
}

/// What a KPI set can be sliced by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Dimension {
    Source,
    Grade,
    Owner,
    Team,
    Region,
    Industry,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Source,
        Dimension::Grade,
        Dimension::Owner,
        Dimension::Team,
        Dimension::Region,
        Dimension::Industry,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Dimension::Source => "source",
            Dimension::Grade => "grade",
            Dimension::Owner => "owner",
            Dimension::Team => "team",
            Dimension::Region => "region",
            Dimension::Industry => "industry",
        }
    }

    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.key() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_outside_2000_to_2100_is_refused() {
        let tz = chrono_tz::Asia::Shanghai;
        assert!(
            matches!(Period::parse("1900-01-01", "2024-01-01", tz), Err(PeriodError::BadDate(d)) if d == "1900-01-01")
        );
        assert!(matches!(Period::parse("2024-01-01", "9999-01-01", tz), Err(PeriodError::BadDate(_))));
        assert!(Period::parse("2000-01-01", "2100-12-31", tz).is_ok());
    }

    #[test]
    fn a_shanghai_day_starts_at_16_utc_the_day_before() {
        let p = Period::parse("2024-01-01", "2024-04-01", chrono_tz::Asia::Shanghai).unwrap();
        assert_eq!(p.start.to_rfc3339(), "2023-12-31T16:00:00+00:00");
        assert_eq!(p.days(), 91);
    }

    #[test]
    fn the_calendar_gives_the_time_zones_day_around_clock_changes_and_gaps_at_midnight() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // New York changes at 02:00; Santiago's September change skips midnight; Kolkata is +05:30.
        for tz in [
            chrono_tz::Asia::Shanghai,
            chrono_tz::America::New_York,
            chrono_tz::America::Santiago,
            chrono_tz::Asia::Kolkata,
        ] {
            let period = Period::new(d(2026, 3, 1), d(2026, 10, 1), tz).unwrap();
            let calendar = Calendar::around(&period, 30);
            let mut t = period.start - chrono::Duration::days(3);
            while t < period.end + chrono::Duration::days(40) {
                assert_eq!(calendar.day(t), t.with_timezone(&tz).date_naive(), "{tz} {t}");
                t += chrono::Duration::minutes(37);
            }
        }
    }

    #[test]
    fn an_empty_or_reversed_period_is_refused() {
        let tz = chrono_tz::Asia::Shanghai;
        assert_eq!(Period::parse("2024-02-01", "2024-02-01", tz), Err(PeriodError::Empty));
        assert!(matches!(Period::parse("2024-13-01", "2024-02-01", tz), Err(PeriodError::BadDate(_))));
    }
}
