//! The activity score 活跃度 (0–100) and its tier: how much a customer takes part now.
use crate::domain::enums::Tier;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A follow-up as the activity score reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Touch {
    pub occurred_at: DateTime<Utc>,
    /// The customer answered, replied or attended.
    pub responded: bool,
    /// The customer reached out.
    pub inbound: bool,
    /// An event (活动) the customer took part in.
    pub event: bool,
}

/// A lead's activity now: its score and its tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Activity {
    pub score: u8,
    pub tier: Tier,
}

/// Active from this score up.
pub const ACTIVE_FROM: u8 = 60;
/// Potential from this score up (below: dormant).
pub const POTENTIAL_FROM: u8 = 30;
/// A lead without a response for this many days is dormant, whatever its score.
pub const DORMANT_AFTER_DAYS: i64 = 60;

/// The activity of a lead created at `created_at` with these follow-ups, at `now`:
/// `min(40, 10 × responded in the last 30 days) + min(30, 15 × inbound in the last 30 days) +
/// min(20, 10 × events in the last 90 days) + (10 if the last response was ≤ 7 days ago)`.
/// "In the last n days" counts a follow-up exactly n days old; follow-ups after `now` do not
/// count. Tier: active ≥ 60, potential 30–59, dormant below 30 or with no response for 60
/// days (counted from the lead's creation when it never had one).
pub fn activity(touches: &[Touch], created_at: DateTime<Utc>, now: DateTime<Utc>) -> Activity {
    let within = |t: &Touch, days: i64| t.occurred_at <= now && now - t.occurred_at <= Duration::days(days);
    let count =
        |days: i64, what: fn(&Touch) -> bool| touches.iter().filter(|t| what(t) && within(t, days)).count() as u32;
    let responded = count(30, |t| t.responded);
    let inbound = count(30, |t| t.inbound);
    let events = count(90, |t| t.event);
    let last_response = touches.iter().filter(|t| t.responded && t.occurred_at <= now).map(|t| t.occurred_at).max();
    let recent = last_response.is_some_and(|at| now - at <= Duration::days(7));
    let score = (10 * responded).min(40) + (15 * inbound).min(30) + (10 * events).min(20) + if recent { 10 } else { 0 };
    let score = score as u8;
    let silent = now - last_response.unwrap_or(created_at) > Duration::days(DORMANT_AFTER_DAYS);
    let tier = if silent || score < POTENTIAL_FROM {
        Tier::Dormant
    } else if score >= ACTIVE_FROM {
        Tier::Active
    } else {
        Tier::Potential
    };
    Activity { score, tier }
}

/// The follow-ups a lead's activity can still count, newest first — the last four responses,
/// two inbound contacts and two events (more never add to the score) — kept per lead so that
/// its activity at any later moment is found without its whole history.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recent {
    responded: [Option<DateTime<Utc>>; 4],
    inbound: [Option<DateTime<Utc>>; 2],
    events: [Option<DateTime<Utc>>; 2],
}

/// Puts `at` among the newest times of `slots` (newest first), dropping the oldest.
fn keep_newest(slots: &mut [Option<DateTime<Utc>>], at: DateTime<Utc>) {
    let Some(pos) = slots.iter().position(|s| s.is_none_or(|t| at > t)) else { return };
    slots[pos..].rotate_right(1);
    slots[pos] = Some(at);
}

impl Recent {
    pub fn add(&mut self, t: &Touch) {
        if t.responded {
            keep_newest(&mut self.responded, t.occurred_at);
        }
        if t.inbound {
            keep_newest(&mut self.inbound, t.occurred_at);
        }
        if t.event {
            keep_newest(&mut self.events, t.occurred_at);
        }
    }

    /// Whether the customer ever responded.
    pub fn responded(&self) -> bool {
        self.responded[0].is_some()
    }

    /// Both leads' follow-ups (a merge).
    pub fn absorb(&mut self, other: &Recent) {
        for t in other.touches() {
            self.add(&t);
        }
    }

    fn touches(&self) -> impl Iterator<Item = Touch> + '_ {
        let touch = |at: DateTime<Utc>, responded: bool, inbound: bool, event: bool| Touch {
            occurred_at: at,
            responded,
            inbound,
            event,
        };
        let responded = self.responded.iter().flatten().map(move |&at| touch(at, true, false, false));
        let inbound = self.inbound.iter().flatten().map(move |&at| touch(at, false, true, false));
        let events = self.events.iter().flatten().map(move |&at| touch(at, false, false, true));
        responded.chain(inbound).chain(events)
    }

    /// The lead's activity at `now` — the same as [`activity`] over its whole history, as long
    /// as no follow-up is dated after `now` (logging refuses those).
    pub fn activity(&self, created_at: DateTime<Utc>, now: DateTime<Utc>) -> Activity {
        // At most eight: kept on the stack (a list page asks this of every lead it passes).
        let mut touches = [Touch { occurred_at: created_at, responded: false, inbound: false, event: false }; 8];
        let mut n = 0;
        for t in self.touches() {
            touches[n] = t;
            n += 1;
        }
        activity(&touches[..n], created_at, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap()
    }

    fn ago(days: i64, responded: bool, inbound: bool, event: bool) -> Touch {
        Touch { occurred_at: now() - Duration::days(days), responded, inbound, event }
    }

    fn created() -> DateTime<Utc> {
        now() - Duration::days(200)
    }

    #[test]
    fn each_part_counts_within_its_window_and_up_to_its_cap() {
        // Two responses, one of them inbound, this week: 20 + 15 + 10.
        let a = activity(&[ago(2, true, true, false), ago(5, true, false, false)], created(), now());
        assert_eq!(a, Activity { score: 45, tier: Tier::Potential });
        // Five responses in the month cap at 40, three inbound at 30, three events at 20.
        let many: Vec<Touch> = (1..=5).map(|d| ago(d, true, d <= 3, d <= 3)).collect();
        assert_eq!(activity(&many, created(), now()), Activity { score: 100, tier: Tier::Active });
    }

    #[test]
    fn the_windows_edges_are_30_90_7_and_60_days() {
        let just = |days: i64, extra_seconds: i64| Touch {
            occurred_at: now() - Duration::days(days) - Duration::seconds(extra_seconds),
            responded: true,
            inbound: true,
            event: true,
        };
        // Exactly 30 days old: the response and the inbound count, the event (90 days) too;
        // the last response is older than 7 days.
        assert_eq!(activity(&[just(30, 0)], created(), now()).score, 10 + 15 + 10);
        // A second older: only the event counts, and 31 days without response is not yet dormant
        // by silence, but 10 is below 30.
        assert_eq!(activity(&[just(30, 1)], created(), now()), Activity { score: 10, tier: Tier::Dormant });
        // 90 days and a second: nothing counts.
        assert_eq!(activity(&[just(90, 1)], created(), now()).score, 0);
        // The 7-day bonus: exactly 7 days counts, a second more does not.
        let seven = Touch { inbound: false, event: false, ..just(7, 0) };
        assert_eq!(activity(&[seven], created(), now()).score, 10 + 10);
        let past = Touch { inbound: false, event: false, ..just(7, 1) };
        assert_eq!(activity(&[past], created(), now()).score, 10);
    }

    #[test]
    fn tiers_split_at_60_and_30_and_silence_makes_a_lead_dormant() {
        // 60: active; 59 is not reachable, 55: potential; 30: potential; 25: dormant.
        let sixty = [ago(1, true, true, false), ago(2, true, true, false)]; // 20 + 30 + 10
        assert_eq!(activity(&sixty, created(), now()), Activity { score: 60, tier: Tier::Active });
        let thirty = [ago(10, true, false, true), ago(11, true, false, false)]; // 20 + 10
        assert_eq!(activity(&thirty, created(), now()), Activity { score: 30, tier: Tier::Potential });
        let twenty_five = [ago(10, false, false, true), ago(12, false, true, false)]; // 10 + 15
        assert_eq!(activity(&twenty_five, created(), now()).tier, Tier::Dormant);
        // Events alone keep a score, but 61 days without a response is dormant...
        let events = [ago(5, false, true, true), ago(6, false, true, true), ago(61, true, false, false)];
        assert_eq!(activity(&events, created(), now()), Activity { score: 50, tier: Tier::Dormant });
        // ...while a lead of 20 days that never answered yet is judged by its score.
        let young = [ago(5, false, true, true), ago(6, false, true, true)];
        assert_eq!(activity(&young, now() - Duration::days(20), now()), Activity { score: 50, tier: Tier::Potential });
    }

    #[test]
    fn follow_ups_after_now_do_not_count() {
        let later = Touch { occurred_at: now() + Duration::hours(1), responded: true, inbound: true, event: true };
        assert_eq!(activity(&[later], created(), now()), Activity { score: 0, tier: Tier::Dormant });
    }

    #[test]
    fn the_recent_follow_ups_give_the_same_activity_as_the_whole_history() {
        // A deterministic mix over 150 days, added in no particular order.
        let mut history = Vec::new();
        let mut x: u64 = 7;
        for _ in 0..60 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let hours = (x >> 33) % (150 * 24);
            history.push(Touch {
                occurred_at: now() - Duration::hours(hours as i64),
                responded: (x >> 5).is_multiple_of(3),
                inbound: (x >> 9).is_multiple_of(4),
                event: (x >> 13).is_multiple_of(5),
            });
        }
        for n in [0, 1, 3, 10, 60] {
            let mut recent = Recent::default();
            for t in &history[..n] {
                recent.add(t);
            }
            for days in [0, 5, 20, 40, 80] {
                let at = now() - Duration::days(days);
                let past: Vec<Touch> = history[..n].iter().copied().filter(|t| t.occurred_at <= at).collect();
                let mut recent_then = Recent::default();
                past.iter().for_each(|t| recent_then.add(t));
                assert_eq!(
                    recent_then.activity(created(), at),
                    activity(&past, created(), at),
                    "{n} follow-ups, {days} days ago"
                );
            }
            assert_eq!(recent.activity(created(), now()), activity(&history[..n], created(), now()));
        }
        // A merge keeps the newest of both.
        let (mut a, mut b) = (Recent::default(), Recent::default());
        history[..30].iter().for_each(|t| a.add(t));
        history[30..].iter().for_each(|t| b.add(t));
        a.absorb(&b);
        assert_eq!(a.activity(created(), now()), activity(&history, created(), now()));
    }
}
