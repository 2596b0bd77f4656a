//! The team alert (PRODUCT.md §7, §14): a team whose monthly conversion rate (leads of the
//! month owned by the team and won / leads of the month owned by the team) stays below 80 % of
//! the whole workspace's three months in a row is flagged for re-examining its lead mix, shown
//! with its mix of grades and sources beside the workspace's.
use crate::domain::enums::Status;
use crate::kpi::view::{AnalyticView, ViewLead};
use crate::kpi::Period;
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A team is flagged below this share of the workspace's rate...
pub const ALERT_SHARE: f64 = 0.8;
/// ...this many months in a row.
pub const ALERT_MONTHS: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthRate {
    /// YYYY-MM.
    pub month: String,
    pub rate: f64,
    pub workspace_rate: f64,
    pub leads: u64,
    pub won: u64,
}

/// Shares of leads by grade and by source.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Mix {
    pub leads: u64,
    pub grades: BTreeMap<String, f64>,
    pub sources: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TeamAlert {
    pub team: String,
    pub months: Vec<MonthRate>,
    /// The team's leads of the three months.
    pub mix: Mix,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TeamAlerts {
    pub teams: Vec<TeamAlert>,
    /// The workspace's leads of the three months.
    pub workspace_mix: Mix,
}

/// The first day of month `month` (YYYY-MM), if it is one.
pub fn parse_month(month: &str) -> Option<NaiveDate> {
    let (y, m) = month.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let day = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
    crate::domain::validate::YEARS.contains(&day.year()).then_some(day)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(1)).unwrap_or(d)
}

/// Leads and won leads, by month.
type Months = Vec<(u64, u64)>;

#[derive(Default)]
struct MixTally {
    leads: u64,
    grades: BTreeMap<&'static str, u64>,
    sources: BTreeMap<&'static str, u64>,
}

impl MixTally {
    fn add(&mut self, l: &ViewLead) {
        self.leads += 1;
        *self.grades.entry(l.facts.grade.key()).or_default() += 1;
        *self.sources.entry(l.facts.source.key()).or_default() += 1;
    }

    fn shares(&self) -> Mix {
        let share = |m: &BTreeMap<&'static str, u64>| {
            m.iter().map(|(k, n)| (k.to_string(), *n as f64 / self.leads.max(1) as f64)).collect()
        };
        Mix { leads: self.leads, grades: share(&self.grades), sources: share(&self.sources) }
    }
}

impl AnalyticView {
    /// The teams flagged by the alert for the three months ending with `last` (its first day),
    /// among the teams for which `team_shown` holds; the workspace's rate is every lead's.
    pub fn team_alerts(&self, last: NaiveDate, tz: Tz, team_shown: impl Fn(&str) -> bool) -> TeamAlerts {
        let mut starts = vec![last];
        for _ in 1..ALERT_MONTHS {
            let earlier = starts[0].checked_sub_months(chrono::Months::new(1)).unwrap_or(starts[0]);
            starts.insert(0, earlier);
        }
        let periods: Vec<Period> = starts.iter().filter_map(|&s| Period::new(s, next_month(s), tz).ok()).collect();
        // (leads, won) by month, for the workspace and by team.
        let mut workspace = vec![(0u64, 0u64); periods.len()];
        let mut teams: BTreeMap<&str, (Months, MixTally)> = BTreeMap::new();
        let mut workspace_mix = MixTally::default();
        for l in &self.leads {
            let Some(m) = periods.iter().position(|p| p.contains(l.facts.created_at)) else { continue };
            let won = u64::from(l.facts.status == Status::Won);
            workspace[m].0 += 1;
            workspace[m].1 += won;
            workspace_mix.add(l);
            if let Some(team) = l.facts.team.as_deref().filter(|t| team_shown(t)) {
                let entry = teams.entry(team).or_insert_with(|| (vec![(0, 0); periods.len()], MixTally::default()));
                entry.0[m].0 += 1;
                entry.0[m].1 += won;
                entry.1.add(l);
            }
        }
        let rate = |(leads, won): (u64, u64)| (leads > 0).then(|| won as f64 / leads as f64);
        let flagged = teams
            .into_iter()
            .filter_map(|(team, (counts, mix))| {
                let months: Option<Vec<MonthRate>> = counts
                    .iter()
                    .zip(&workspace)
                    .zip(&periods)
                    .map(|((&c, &w), p)| {
                        let (r, wr) = (rate(c)?, rate(w)?);
                        (r < ALERT_SHARE * wr).then(|| MonthRate {
                            month: p.from.format("%Y-%m").to_string(),
                            rate: r,
                            workspace_rate: wr,
                            leads: c.0,
                            won: c.1,
                        })
                    })
                    .collect();
                let months = months.filter(|m| m.len() == ALERT_MONTHS)?;
                Some(TeamAlert { team: team.to_string(), months, mix: mix.shares() })
            })
            .collect();
        TeamAlerts { teams: flagged, workspace_mix: workspace_mix.shares() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::{Grade, Source};
    use crate::kpi::view::tests_support::lead;
    use crate::kpi::{LeadFacts, ViewChange};
    use chrono::TimeZone;

    /// `n` leads of `team` created in 2026-`month`, `won` of them won.
    fn leads(view: &mut AnalyticView, team: &str, month: u32, n: usize, won: usize) {
        for i in 0..n {
            let created_at = chrono::Utc.with_ymd_and_hms(2026, month, 10, 4, 0, 0).unwrap();
            let status = if i < won { Status::Won } else { Status::Lost };
            let grade = if team == "t2" { Grade::C } else { Grade::A };
            view.apply(ViewChange::Lead(LeadFacts {
                created_at,
                status,
                grade,
                source: Source::ColdCall,
                team: Some(team.into()),
                ..lead(&format!("{team}-{month}-{i}"))
            }));
        }
    }

    #[test]
    fn a_team_below_four_fifths_of_the_workspace_three_months_running_is_flagged() {
        let mut view = AnalyticView::new();
        // t1 converts 30 %, t2 10 %, t3 14 % but 30 % in April.
        for month in [3, 4, 5] {
            leads(&mut view, "t1", month, 100, 30);
            leads(&mut view, "t2", month, 50, 5);
            leads(&mut view, "t3", month, 50, if month == 4 { 15 } else { 7 });
        }
        let may = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let alerts = view.team_alerts(may, chrono_tz::Asia::Shanghai, |_| true);
        // The workspace: 42 won of 200 (21 %) in March and May, 50 (25 %) in April; t2's 10 % is
        // under four fifths of it (16.8 %, 20 %) each month; t3's 14 % only in March and May.
        let teams: Vec<&str> = alerts.teams.iter().map(|t| t.team.as_str()).collect();
        assert_eq!(teams, ["t2"]);
        let months: Vec<(&str, f64, f64)> =
            alerts.teams[0].months.iter().map(|m| (m.month.as_str(), m.rate, m.workspace_rate)).collect();
        assert_eq!(months, [("2026-03", 0.1, 0.21), ("2026-04", 0.1, 0.25), ("2026-05", 0.1, 0.21)]);
        assert_eq!(alerts.teams[0].mix.grades.get("C"), Some(&1.0));
        assert_eq!(alerts.workspace_mix.leads, 600);
        assert_eq!(alerts.workspace_mix.grades.get("C"), Some(&0.25));
        // A manager of t1 and t3 only: nothing of t2.
        assert!(view.team_alerts(may, chrono_tz::Asia::Shanghai, |t| t != "t2").teams.is_empty());
        // A month without the team's leads breaks the run.
        assert!(view
            .team_alerts(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), chrono_tz::Asia::Shanghai, |_| true)
            .teams
            .is_empty());
    }

    #[test]
    fn months_are_written_yyyy_mm() {
        assert_eq!(parse_month("2026-02"), NaiveDate::from_ymd_opt(2026, 2, 1));
        for bad in ["2026-13", "2026-2", "26-02", "2026/02", "", "1999-01"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }
}
