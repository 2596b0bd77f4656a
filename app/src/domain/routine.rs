//! The daily routine's rules (PRODUCT.md §4, §5, §13), the same in the server and the
//! browser: a task's priority quadrant, a lead's response-SLA clock, and when the cadence's
//! next follow-up falls due.
use super::enums::{Grade, Quadrant, Status};
use crate::settings::{CadenceSettings, SlaSettings};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The quadrant a task sits in: the one its author chose, else by the lead's grade — an S
/// lead's tasks and an A lead's due today or overdue are urgent and important, the rest of
/// A and B's important, C's nurture neither.
pub fn quadrant(chosen: Option<Quadrant>, grade: Grade, due_day: NaiveDate, today: NaiveDate) -> Quadrant {
    if let Some(p) = chosen {
        return p;
    }
    match grade {
        Grade::S => Quadrant::UrgentImportant,
        Grade::A if due_day <= today => Quadrant::UrgentImportant,
        Grade::A | Grade::B => Quadrant::Important,
        Grade::C => Quadrant::Neither,
    }
}

/// Where a lead stands against its response SLA: created, not yet followed up outbound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlaState {
    /// Inside the first 75 % of the time allowed.
    Running,
    /// Past 75 % of it (PRODUCT.md §4's "near").
    DueSoon,
    /// Past it.
    Breached,
}

impl SlaState {
    pub fn key(self) -> &'static str {
        match self {
            SlaState::Running => "running",
            SlaState::DueSoon => "due_soon",
            SlaState::Breached => "breached",
        }
    }
}

/// A lead's response clock: when the first outbound follow-up is due and how it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaClock {
    pub due_at: DateTime<Utc>,
    pub state: SlaState,
}

/// The response clock of a lead created at `created_at`, or none once it was followed up
/// outbound or closed.
pub fn sla_clock(
    created_at: DateTime<Utc>,
    first_contact_at: Option<DateTime<Utc>>,
    status: Status,
    grade: Grade,
    sla: &SlaSettings,
    now: DateTime<Utc>,
) -> Option<SlaClock> {
    if first_contact_at.is_some() || status.is_closed() {
        return None;
    }
    let allowed = Duration::seconds((sla.hours(grade) * 3600.0).round() as i64);
    let due_at = created_at + allowed;
    let elapsed = now - created_at;
    let state = if now >= due_at {
        SlaState::Breached
    } else if elapsed * 4 >= allowed * 3 {
        SlaState::DueSoon
    } else {
        SlaState::Running
    };
    Some(SlaClock { due_at, state })
}

/// When the cadence's next follow-up falls due after a contact at `after` (PRODUCT.md §5:
/// S every day, A every 2 days, B and C weekly, as the workspace set them).
pub fn next_due(after: DateTime<Utc>, grade: Grade, cadence: &CadenceSettings) -> DateTime<Utc> {
    after + Duration::days(i64::from(cadence.every(grade).max(1)))
}

/// The open cadence task's due time once the lead's grade changed: the new cadence counted
/// from now when that is sooner, else the time already planned.
pub fn regraded_due(
    planned: DateTime<Utc>,
    grade: Grade,
    cadence: &CadenceSettings,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    planned.min(next_due(now, grade, cadence))
}

/// A task as lists, My day and the API show it: with its lead's company, grade and status,
/// and the quadrant it sits in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskRow {
    pub id: String,
    pub lead: String,
    pub company: String,
    pub grade: Grade,
    pub status: Status,
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    pub kind: super::enums::TaskKind,
    /// A manual task's title (cadence tasks are named by their kind).
    pub title: Option<String>,
    /// The quadrant: the one chosen, else by the lead's grade.
    pub priority: Quadrant,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    /// When its owner asked to be reminded (a manual task's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remind_at: Option<DateTime<Utc>>,
}

/// What reminds a user now, in the top bar's badge and the tab's title on every page: how
/// many of their tasks have come due (at their reminder time, else when due), counted as My
/// day lists them (one row a lead for its cadence); when the next one will; and the one that
/// came due last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Reminders {
    pub due: usize,
    pub next_at: Option<DateTime<Utc>>,
    pub latest: Option<TaskRow>,
    /// The latest one said in a line: its lead's company and what to do.
    pub text: Option<String>,
}

/// A lead on the response-SLA list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlaRow {
    pub lead: String,
    pub company: String,
    pub grade: Grade,
    pub status: Status,
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// `breached` or `due_soon`.
    pub state: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, h, m, 0).unwrap()
    }

    #[test]
    fn the_quadrant_follows_the_grade_and_the_due_day_unless_chosen() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let tomorrow = today.succ_opt().unwrap();
        assert_eq!(quadrant(None, Grade::S, tomorrow, today), Quadrant::UrgentImportant);
        assert_eq!(quadrant(None, Grade::A, today, today), Quadrant::UrgentImportant);
        assert_eq!(quadrant(None, Grade::A, tomorrow, today), Quadrant::Important);
        assert_eq!(quadrant(None, Grade::B, today, today), Quadrant::Important);
        assert_eq!(quadrant(None, Grade::C, today, today), Quadrant::Neither);
        assert_eq!(quadrant(Some(Quadrant::Urgent), Grade::S, today, today), Quadrant::Urgent);
    }

    #[test]
    fn the_response_clock_is_near_at_three_quarters_and_breached_at_the_limit() {
        let sla = SlaSettings::default(); // S and A 2 h, B 4 h, C 24 h
        let created = at(8, 0);
        let clock = |now| sla_clock(created, None, Status::New, Grade::S, &sla, now);
        assert_eq!(clock(at(9, 29)).unwrap().state, SlaState::Running);
        assert_eq!(clock(at(9, 30)).unwrap().state, SlaState::DueSoon);
        assert_eq!(clock(at(9, 59)).unwrap().state, SlaState::DueSoon);
        assert_eq!(clock(at(10, 0)).unwrap(), SlaClock { due_at: at(10, 0), state: SlaState::Breached });
        let b = sla_clock(created, None, Status::Contacted, Grade::B, &sla, at(10, 59)).unwrap();
        assert_eq!((b.due_at, b.state), (at(12, 0), SlaState::Running));
        assert_eq!(sla_clock(created, Some(at(9, 0)), Status::New, Grade::S, &sla, at(11, 0)), None);
        assert_eq!(sla_clock(created, None, Status::Lost, Grade::S, &sla, at(11, 0)), None);
    }

    #[test]
    fn the_next_follow_up_keeps_the_grades_rhythm_and_a_regrade_only_brings_it_forward() {
        let cadence = CadenceSettings::default(); // S 1, A 2, B 7, C 7 days
        assert_eq!(next_due(at(8, 0), Grade::A, &cadence), at(8, 0) + Duration::days(2));
        let planned = at(8, 0) + Duration::days(6);
        assert_eq!(regraded_due(planned, Grade::S, &cadence, at(9, 0)), at(9, 0) + Duration::days(1));
        assert_eq!(regraded_due(at(12, 0), Grade::C, &cadence, at(9, 0)), at(12, 0));
    }
}
