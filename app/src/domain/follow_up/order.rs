//! Where each entry of a lead's timeline sits on the lead page: open tasks not yet due are
//! upcoming, soonest first; the rest is the history, newest first, with what a follow-up
//! completed (a task done, a stage reached) right under that follow-up.
use crate::domain::history::TimelineEntry;
use chrono::{DateTime, Utc};

/// Where an entry sits in the history: newest first, a follow-up before anything else of the
/// same moment; a task completed or a stage reached by a follow-up sits right under that
/// follow-up (they are written when it is logged).
fn history_key(entry: &TimelineEntry, follow_ups: &[(DateTime<Utc>, DateTime<Utc>)]) -> (DateTime<Utc>, u8) {
    let logged_with = |at: DateTime<Utc>| {
        follow_ups
            .iter()
            .find(|(_, logged)| (at - *logged).num_seconds().abs() <= 2)
            .map(|(occurred, _)| (*occurred, 1))
    };
    match entry {
        TimelineEntry::FollowUp { at, .. } => (*at, 0),
        TimelineEntry::Task { done_at: Some(done), .. } => logged_with(*done).unwrap_or((*done, 1)),
        TimelineEntry::StageChange { at, .. } => logged_with(*at).unwrap_or((*at, 1)),
        other => (other.at(), 1),
    }
}

/// Splits a timeline into what is still ahead (open tasks not yet due, soonest first) and
/// the history, newest first.
pub fn split_timeline(entries: &[TimelineEntry], now: DateTime<Utc>) -> (Vec<TimelineEntry>, Vec<TimelineEntry>) {
    let (upcoming, history): (Vec<TimelineEntry>, Vec<TimelineEntry>) =
        entries.iter().cloned().partition(|e| matches!(e, TimelineEntry::Task { done_at: None, at, .. } if *at > now));
    let follow_ups: Vec<(DateTime<Utc>, DateTime<Utc>)> = history
        .iter()
        .filter_map(|e| match e {
            TimelineEntry::FollowUp { at, logged_at, .. } => Some((*at, *logged_at)),
            _ => None,
        })
        .collect();
    // Both lists are keyed and sorted alike (one sort in the wasm, not two): what is ahead
    // soonest first, the history newest first.
    let sorted = |entries: Vec<TimelineEntry>, ahead: bool| {
        let mut keyed: Vec<((DateTime<Utc>, u8), TimelineEntry)> =
            entries.into_iter().map(|e| (if ahead { (e.at(), 0) } else { history_key(&e, &follow_ups) }, e)).collect();
        keyed.sort_by(|a, b| {
            let by_time = if ahead { a.0 .0.cmp(&b.0 .0) } else { b.0 .0.cmp(&a.0 .0) };
            by_time.then(a.0 .1.cmp(&b.0 .1))
        });
        keyed.into_iter().map(|(_, e)| e).collect::<Vec<_>>()
    };
    (sorted(upcoming, true), sorted(history, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::{Channel, Direction, FeedbackStatus, FeedbackType, Priority, Status, TaskKind};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn a_new_follow_up_heads_the_history_with_what_it_completed_under_it() {
        let now = at("2026-03-02T04:00:30Z");
        let entries = vec![
            TimelineEntry::Task {
                at: at("2026-03-02T06:00:00Z"),
                task_kind: TaskKind::FollowUp,
                title: Some("首次跟进".into()),
                done_at: Some(at("2026-03-02T04:00:10Z")),
            },
            TimelineEntry::Task {
                at: at("2026-03-04T04:00:00Z"),
                task_kind: TaskKind::FollowUp,
                title: None,
                done_at: None,
            },
            TimelineEntry::StageChange {
                at: at("2026-03-02T04:00:10Z"),
                from: Status::New,
                to: Status::Contacted,
                by_name: None,
            },
            TimelineEntry::FollowUp {
                at: at("2026-03-02T04:00:00Z"),
                logged_at: at("2026-03-02T04:00:10Z"),
                rep: "r11".into(),
                rep_name: None,
                channel: Channel::Phone,
                direction: Direction::Outbound,
                responded: true,
                satisfaction: None,
                summary: Some("新的跟进".into()),
                mood: None,
                stage_before: Status::New,
                stage_after: Status::Contacted,
                next_follow_up_at: None,
                late: false,
            },
            TimelineEntry::Feedback {
                at: at("2026-03-01T04:00:00Z"),
                feedback_type: FeedbackType::Price,
                priority: Priority::High,
                status: FeedbackStatus::Open,
                summary: None,
            },
            TimelineEntry::Task {
                at: at("2026-03-01T08:00:00Z"),
                task_kind: TaskKind::Manual,
                title: None,
                done_at: None,
            },
        ];
        let (upcoming, history) = split_timeline(&entries, now);
        assert_eq!(upcoming.len(), 1);
        assert!(matches!(history[0], TimelineEntry::FollowUp { .. }));
        assert!(matches!(history[1], TimelineEntry::Task { done_at: Some(_), .. } | TimelineEntry::StageChange { .. }));
        assert!(matches!(history[3], TimelineEntry::Task { done_at: None, .. }), "the overdue task is history");
        assert!(matches!(history[4], TimelineEntry::Feedback { .. }));
    }
}
