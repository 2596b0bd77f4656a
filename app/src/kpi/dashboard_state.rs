//! What the KPI dashboard shows — its period, its slice and the period it is compared with —
//! as kept in the URL query (`from`, `to`, `by`, `cfrom`, `cto`), so a reload or a shared link
//! shows the same numbers.
use super::presets::{default_period, parse_day, previous_period};
use super::Dimension;
use chrono::NaiveDate;

fn parse_range(from: Option<String>, to: Option<String>) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = (parse_day(&from?)?, parse_day(&to?)?);
    (from < to).then_some((from, to))
}

/// What the dashboard shows, as kept in the URL query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashState {
    pub from: NaiveDate,
    /// The day after the last day (as the API's `to`).
    pub to: NaiveDate,
    pub by: Option<Dimension>,
    pub cfrom: NaiveDate,
    pub cto: NaiveDate,
    /// The comparison period was chosen (otherwise it follows the main period).
    pub cmp_chosen: bool,
    /// The query held dates that could not be used.
    pub bad_link: bool,
}

impl DashState {
    /// Reads the query (`get` gives a parameter); anything missing or invalid falls back to
    /// the defaults.
    pub fn read(get: impl Fn(&str) -> Option<String>, today: NaiveDate) -> DashState {
        let asked = get("from").is_some() || get("to").is_some();
        let main = parse_range(get("from"), get("to"));
        let (from, to) = main.unwrap_or_else(|| default_period(today));
        let chosen = parse_range(get("cfrom"), get("cto"));
        let (cfrom, cto) = chosen.unwrap_or_else(|| previous_period(from, to));
        DashState {
            from,
            to,
            by: get("by").as_deref().and_then(Dimension::parse),
            cfrom,
            cto,
            cmp_chosen: chosen.is_some(),
            bad_link: asked && main.is_none(),
        }
    }

    /// The query string of this view.
    pub fn query(&self) -> String {
        let mut q = format!("from={}&to={}", self.from, self.to);
        if let Some(by) = self.by {
            q.push_str("&by=");
            q.push_str(by.key());
        }
        if self.cmp_chosen {
            q.push_str(&format!("&cfrom={}&cto={}", self.cfrom, self.cto));
        }
        q
    }

    /// The same view over another main period; a comparison that was not chosen follows.
    pub fn with_period(&self, from: NaiveDate, to: NaiveDate) -> DashState {
        let (cfrom, cto) = if self.cmp_chosen { (self.cfrom, self.cto) } else { previous_period(from, to) };
        DashState { from, to, cfrom, cto, bad_link: false, ..self.clone() }
    }

    /// The same view compared with another period.
    pub fn with_comparison(&self, cfrom: NaiveDate, cto: NaiveDate) -> DashState {
        DashState { cfrom, cto, cmp_chosen: true, bad_link: false, ..self.clone() }
    }

    /// The same view sliced by another dimension (none: not sliced).
    pub fn with_by(&self, by: Option<Dimension>) -> DashState {
        DashState { by, bad_link: false, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::presets::tests::day;

    #[test]
    fn the_view_round_trips_through_the_url() {
        let today = day("2026-11-24");
        let q = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string())
        };
        let s = DashState::read(q(&[("from", "2026-01-01"), ("to", "2026-04-01"), ("by", "grade")]), today);
        assert_eq!((s.from, s.to, s.by), (day("2026-01-01"), day("2026-04-01"), Some(Dimension::Grade)));
        assert_eq!((s.cfrom, s.cto), (day("2025-10-03"), day("2026-01-01")));
        assert!(!s.cmp_chosen && !s.bad_link);
        assert_eq!(s.query(), "from=2026-01-01&to=2026-04-01&by=grade");
        let chosen = s.with_comparison(day("2025-01-01"), day("2025-04-01"));
        let back = DashState::read(
            |k| chosen.query().split('&').find_map(|p| p.strip_prefix(&format!("{k}=")).map(str::to_owned)),
            today,
        );
        assert_eq!(back, chosen);
        // A comparison that was chosen stays when the period moves; one that was not follows.
        assert_eq!(chosen.with_period(day("2026-02-01"), day("2026-03-01")).cfrom, day("2025-01-01"));
        assert_eq!(s.with_period(day("2026-02-01"), day("2026-03-01")).cfrom, day("2026-01-04"));
        // Nothing, or something unusable, gives the default.
        let empty = DashState::read(|_| None, today);
        assert_eq!((empty.from, empty.to), default_period(today));
        assert!(!empty.bad_link);
        let bad = DashState::read(q(&[("from", "2026-05-01"), ("to", "2026-04-01"), ("by", "colour")]), today);
        assert_eq!((bad.from, bad.to, bad.by), (default_period(today).0, default_period(today).1, None));
        assert!(bad.bad_link);
    }
}
