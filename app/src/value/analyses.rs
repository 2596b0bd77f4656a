//! The effectiveness analyses of the follow-up (PRODUCT.md §14; the article's 跟进次数、跟进时间的
//! 有效性 and 满意度): which number of follow-ups converts best, which channels and which hours
//! of which weekdays get answers and move leads on, and how satisfaction goes with how often a
//! customer is followed up. Computed over the analytic view for a period and the leads a
//! filter admits.
use crate::domain::enums::{Channel, Status};
use crate::kpi::view::{AnalyticView, ViewLead};
use crate::kpi::Period;
use chrono::{DateTime, Datelike, Timelike};
use serde::{Deserialize, Serialize};

/// The bands of follow-ups a closed lead had: 1, 2, 3–4, 5–7, 8+.
pub const COUNT_BANDS: [(u32, u32); 5] = [(1, 1), (2, 2), (3, 4), (5, 7), (8, u32::MAX)];
/// The bands of follow-ups a week: under 0.5, 0.5–1, 1–2, 2–3, 3 and more.
pub const FREQUENCY_BANDS: [(f64, f64); 5] = [(0.0, 0.5), (0.5, 1.0), (1.0, 2.0), (2.0, 3.0), (3.0, f64::INFINITY)];
/// A band needs this many leads to be called the best.
pub const MIN_BAND_LEADS: u64 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountBand {
    /// `1`, `2`, `3–4`, `5–7`, `8+`.
    pub label: String,
    pub leads: u64,
    pub won: u64,
    pub conversion: Option<f64>,
    /// The band that converts best (among those with enough leads).
    pub best: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelStats {
    pub channel: Channel,
    pub follow_ups: u64,
    /// Follow-ups the customer answered.
    pub response_rate: Option<f64>,
    /// Follow-ups that moved the lead on (§7's follow-up conversion).
    pub advance_rate: Option<f64>,
    /// Leads followed up this way, and the share of them won.
    pub leads: u64,
    pub won_rate: Option<f64>,
}

/// One hour of one weekday.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Slot {
    pub follow_ups: u64,
    pub responded: u64,
    pub advanced: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequencyBand {
    pub label: String,
    pub leads: u64,
    /// Satisfaction scores given (follow-ups and feedback in the period).
    pub scores: u64,
    pub satisfaction: Option<f64>,
    pub satisfied_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analyses {
    /// Closed leads of the period by how many follow-ups they had; the best band marked.
    pub by_count: Vec<CountBand>,
    /// Closed leads of the period that were never followed up.
    pub never_followed: u64,
    pub by_channel: Vec<ChannelStats>,
    /// Follow-ups of the period by local weekday (Monday first) and hour.
    pub heat: Vec<[Slot; 24]>,
    pub by_frequency: Vec<FrequencyBand>,
}

fn band_label(lo: u32, hi: u32) -> String {
    match hi {
        u32::MAX => format!("{lo}+"),
        _ if lo == hi => lo.to_string(),
        _ => format!("{lo}–{hi}"),
    }
}

const QUARTER_HOUR: i64 = 15 * 60;

fn rate(n: u64, of: u64) -> Option<f64> {
    (of > 0).then(|| n as f64 / of as f64)
}

impl AnalyticView {
    /// The analyses of `period` over the leads `keep` admits: closed leads of the period for
    /// the follow-up counts; follow-ups in the period for channels, hours and frequency.
    pub fn analyses(&self, period: &Period, keep: impl Fn(&ViewLead) -> bool) -> Analyses {
        let kept: Vec<bool> = self.leads.iter().map(&keep).collect();
        let closed_of_period =
            |l: &ViewLead| period.contains(l.facts.created_at) && matches!(l.facts.status, Status::Won | Status::Lost);
        // Per lead: follow-ups in all, follow-ups in the period, satisfaction in the period.
        let mut count = vec![0u32; self.leads.len()];
        let mut in_period = vec![0u32; self.leads.len()];
        let mut sat: Vec<(u32, u32, u32)> = vec![(0, 0, 0); self.leads.len()];
        let channels = Channel::ALL;
        // Per channel: follow-ups, responded, advanced, and the leads reached (a bit each).
        let mut by_channel = vec![(0u64, 0u64, 0u64); channels.len()];
        let mut reached = vec![0u8; self.leads.len()];
        let mut heat = vec![[Slot::default(); 24]; 7];
        // The workspace's weekday and hour of each quarter hour of the period (the period starts
        // at a local midnight): one time-zone lookup a quarter hour, not one a follow-up.
        let start = period.start.timestamp();
        let quarters = ((period.end.timestamp() - start) / QUARTER_HOUR + 1) as usize;
        // A period of years would make a table larger than its follow-ups: then each is looked up.
        let table = quarters <= self.interactions.len().max(1 << 14);
        let local_slot: Vec<(u8, u8)> = (0..if table { quarters } else { 0 })
            .map(|q| {
                let at = DateTime::from_timestamp(start + q as i64 * QUARTER_HOUR, 0).unwrap_or(period.start);
                let local = at.with_timezone(&period.tz);
                (local.weekday().num_days_from_monday() as u8, local.hour() as u8)
            })
            .collect();
        for i in &self.interactions {
            let l = i.lead as usize;
            if !kept[l] {
                continue;
            }
            count[l] += 1;
            if !period.contains(i.occurred_at) {
                continue;
            }
            in_period[l] += 1;
            if let Some(s) = i.satisfaction {
                sat[l].0 += u32::from(s);
                sat[l].1 += 1;
                sat[l].2 += u32::from(s >= 4);
            }
            let c = channels.iter().position(|c| *c == i.channel).unwrap_or(0);
            let entry = &mut by_channel[c];
            entry.0 += 1;
            entry.1 += u64::from(i.responded);
            entry.2 += u64::from(i.advanced);
            reached[l] |= 1 << c;
            let (weekday, hour) = if table {
                let q = ((i.occurred_at.timestamp() - start) / QUARTER_HOUR) as usize;
                local_slot[q.min(quarters - 1)]
            } else {
                let local = i.occurred_at.with_timezone(&period.tz);
                (local.weekday().num_days_from_monday() as u8, local.hour() as u8)
            };
            let slot = &mut heat[weekday as usize][hour as usize];
            slot.follow_ups += 1;
            slot.responded += u64::from(i.responded);
            slot.advanced += u64::from(i.advanced);
        }
        for f in &self.feedback {
            let l = f.lead as usize;
            if let (true, Some(s)) = (kept[l] && period.contains(f.received_at), f.satisfaction) {
                sat[l].0 += u32::from(s);
                sat[l].1 += 1;
                sat[l].2 += u32::from(s >= 4);
            }
        }

        let mut bands = vec![(0u64, 0u64); COUNT_BANDS.len()];
        let mut never_followed = 0;
        let mut channel_leads = vec![(0u64, 0u64); channels.len()];
        let weeks = period.days() as f64 / 7.0;
        let mut frequency = vec![(0u64, 0u64, 0u64, 0u64); FREQUENCY_BANDS.len()];
        for (n, l) in self.leads.iter().enumerate() {
            if !kept[n] {
                continue;
            }
            let won = l.facts.status == Status::Won;
            if closed_of_period(l) {
                match COUNT_BANDS.iter().position(|(lo, hi)| (*lo..=*hi).contains(&count[n])) {
                    Some(b) => {
                        bands[b].0 += 1;
                        bands[b].1 += u64::from(won);
                    }
                    None => never_followed += 1,
                }
            }
            for (c, entry) in channel_leads.iter_mut().enumerate() {
                if reached[n] & (1 << c) != 0 {
                    entry.0 += 1;
                    entry.1 += u64::from(won);
                }
            }
            if in_period[n] > 0 {
                let per_week = f64::from(in_period[n]) / weeks;
                if let Some(b) = FREQUENCY_BANDS.iter().position(|(lo, hi)| per_week >= *lo && per_week < *hi) {
                    let (sum, scores, satisfied) = sat[n];
                    let e = &mut frequency[b];
                    e.0 += 1;
                    e.1 += u64::from(sum);
                    e.2 += u64::from(scores);
                    e.3 += u64::from(satisfied);
                }
            }
        }
        let best = bands
            .iter()
            .enumerate()
            .filter(|(_, (leads, _))| *leads >= MIN_BAND_LEADS)
            .max_by(|(_, a), (_, b)| (a.1 as f64 / a.0 as f64).total_cmp(&(b.1 as f64 / b.0 as f64)))
            .map(|(i, _)| i);
        let by_count = COUNT_BANDS
            .iter()
            .zip(&bands)
            .enumerate()
            .map(|(i, ((lo, hi), (leads, won)))| CountBand {
                label: band_label(*lo, *hi),
                leads: *leads,
                won: *won,
                conversion: rate(*won, *leads),
                best: best == Some(i),
            })
            .collect();
        let by_channel = channels
            .iter()
            .zip(by_channel.iter().zip(&channel_leads))
            .filter(|(_, ((n, _, _), _))| *n > 0)
            .map(|(c, ((n, responded, advanced), (leads, won)))| ChannelStats {
                channel: *c,
                follow_ups: *n,
                response_rate: rate(*responded, *n),
                advance_rate: rate(*advanced, *n),
                leads: *leads,
                won_rate: rate(*won, *leads),
            })
            .collect();
        let by_frequency = FREQUENCY_BANDS
            .iter()
            .zip(&frequency)
            .map(|((lo, hi), (leads, sum, scores, satisfied))| FrequencyBand {
                label: if hi.is_infinite() { format!("≥{lo}") } else { format!("{lo}–{hi}") },
                leads: *leads,
                scores: *scores,
                satisfaction: (*scores > 0).then(|| *sum as f64 / *scores as f64),
                satisfied_rate: rate(*satisfied, *scores),
            })
            .collect();
        Analyses { by_count, never_followed, by_channel, heat, by_frequency }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::view::tests_support::{follow_up, lead};
    use crate::kpi::{InteractionFacts, LeadFacts, ViewChange};
    use chrono::NaiveDate;

    fn march() -> Period {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        Period::new(d(3, 1), d(4, 1), chrono_tz::Asia::Shanghai).unwrap()
    }

    #[test]
    fn closed_leads_by_follow_ups_mark_the_band_that_converts_best() {
        let mut view = AnalyticView::new();
        // Six leads with one follow-up (one won), six with three (four won), one with none.
        for (prefix, n, follow_ups, won) in [("a", 6, 1, 1), ("b", 6, 3, 4), ("c", 1, 0, 0)] {
            for i in 0..n {
                let code = format!("{prefix}{i}");
                let status = if i < won { Status::Won } else { Status::Lost };
                view.apply(ViewChange::Lead(LeadFacts { status, ..lead(&code) }));
                for d in 0..follow_ups {
                    view.apply(ViewChange::Interaction(follow_up(&code, 2 + d, true)));
                }
            }
        }
        // An open lead counts in no band.
        view.apply(ViewChange::Lead(lead("open")));
        let a = view.analyses(&march(), |_| true);
        let bands: Vec<(&str, u64, u64, bool)> =
            a.by_count.iter().map(|b| (b.label.as_str(), b.leads, b.won, b.best)).collect();
        assert_eq!(
            bands,
            [("1", 6, 1, false), ("2", 0, 0, false), ("3–4", 6, 4, true), ("5–7", 0, 0, false), ("8+", 0, 0, false)]
        );
        assert_eq!(a.never_followed, 1);
    }

    #[test]
    fn channels_hours_and_frequency_read_the_periods_follow_ups() {
        let mut view = AnalyticView::new();
        view.apply(ViewChange::Lead(LeadFacts { status: Status::Won, ..lead("W") }));
        view.apply(ViewChange::Lead(lead("O")));
        // at(d) is 02:00 UTC, 10:00 in Shanghai; 2026-03-02 is a Monday.
        let fu = |code: &str, day: u32, channel: Channel, responded: bool, satisfaction: Option<u8>| InteractionFacts {
            channel,
            satisfaction,
            ..follow_up(code, day, responded)
        };
        for i in [
            fu("W", 2, Channel::Phone, true, Some(5)),
            fu("W", 3, Channel::Wechat, true, Some(4)),
            fu("O", 2, Channel::Phone, false, Some(2)),
            fu("O", 9, Channel::Phone, false, None),
        ] {
            view.apply(ViewChange::Interaction(i));
        }
        let a = view.analyses(&march(), |_| true);
        let phone = a.by_channel.iter().find(|c| c.channel == Channel::Phone).unwrap();
        assert_eq!((phone.follow_ups, phone.leads), (3, 2));
        assert_eq!(phone.response_rate, Some(1.0 / 3.0));
        assert_eq!(phone.won_rate, Some(0.5));
        assert_eq!(a.by_channel.len(), 2, "channels without follow-ups are left out");
        // Mondays (2nd and 9th) at 10:00: three follow-ups, one answered; Tuesday one.
        assert_eq!(a.heat[0][10], Slot { follow_ups: 3, responded: 1, advanced: 3 });
        assert_eq!(a.heat[1][10].follow_ups, 1);
        // March has 31 days (4.43 weeks): both leads had two follow-ups, 0.45 a week.
        let low = &a.by_frequency[0];
        assert_eq!((low.leads, low.scores), (2, 3));
        assert_eq!(low.satisfaction, Some(11.0 / 3.0));
        assert_eq!(low.satisfied_rate, Some(2.0 / 3.0));
    }

    /// The heat map's follow-ups of a lead followed up every `step` through `period`, and the
    /// same counted with a time-zone lookup each.
    fn heat_and_expected(period: &Period, step: chrono::Duration) -> (Vec<[u64; 24]>, Vec<[u64; 24]>) {
        let mut view = AnalyticView::new();
        view.apply(ViewChange::Lead(lead("L")));
        let mut expected = vec![[0u64; 24]; 7];
        let mut t = period.start;
        while t < period.end {
            view.apply(ViewChange::Interaction(InteractionFacts { occurred_at: t, ..follow_up("L", 2, true) }));
            let local = t.with_timezone(&period.tz);
            expected[local.weekday().num_days_from_monday() as usize][local.hour() as usize] += 1;
            t += step;
        }
        let heat = view.analyses(period, |_| true).heat;
        (heat.iter().map(|day| day.map(|s| s.follow_ups)).collect(), expected)
    }

    #[test]
    fn the_heat_map_reads_local_hours_across_a_clock_change_and_in_half_hour_zones() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for tz in [chrono_tz::America::New_York, chrono_tz::Asia::Kolkata, chrono_tz::Asia::Shanghai] {
            // March 2026: New York moves its clocks on the 8th. Every 97 minutes: each minute of
            // the hour comes round.
            let period = Period::new(d(2026, 3, 1), d(2026, 4, 1), tz).unwrap();
            let (got, expected) = heat_and_expected(&period, chrono::Duration::minutes(97));
            assert_eq!(got, expected, "{tz}");
        }
    }

    #[test]
    fn a_period_of_years_with_few_follow_ups_looks_each_one_up() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let period = Period::new(d(2025, 1, 1), d(2027, 1, 1), chrono_tz::America::New_York).unwrap();
        let (got, expected) = heat_and_expected(&period, chrono::Duration::minutes(13 * 60 + 7));
        assert_eq!(got, expected);
    }
}
