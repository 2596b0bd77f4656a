//! The follow-up cadence's tasks (PRODUCT.md §5): every open lead keeps one follow-up task
//! ahead. A follow-up completes the task due on or after its day (and closes any overdue
//! one, late); the next is the one still open — moved to the time the rep named — or a new
//! one a cadence step later. Closing a lead drops the tasks not yet due; reopening plans one
//! for today; a new grade brings the open task forward to the new rhythm. Each function
//! answers the statements to run in the lead's own transaction and the facts the views follow.
use crate::domain::enums::{Grade, TaskKind};
use crate::domain::routine::{next_due, regraded_due};
use crate::kpi::{TaskFacts, ViewChange};
use crate::settings::WorkspaceSettings;
use crate::ssr::db::Doc;
use crate::ssr::repo::leads::{random_id, OpenTask};
use chrono::{DateTime, Utc};
use surrealdb::types::Value as DbValue;

/// Task writes to add to a lead's transaction.
#[derive(Default)]
pub struct TaskWrites {
    pub sql: String,
    pub bind: Vec<(&'static str, DbValue)>,
    pub facts: Vec<ViewChange>,
}

fn ids(tasks: &[&OpenTask]) -> DbValue {
    DbValue::Array(tasks.iter().map(|t| DbValue::String(t.id.clone())).collect())
}

impl TaskWrites {
    fn fact(&mut self, code: &str, owner: Option<&str>, t: &OpenTask, f: impl FnOnce(&mut TaskFacts)) {
        let mut facts =
            TaskFacts::planned(t.id.clone(), code.to_string(), TaskKind::FollowUp, t.due_at, owner.map(str::to_owned));
        f(&mut facts);
        self.facts.push(ViewChange::Task(facts));
    }

    fn finish(&mut self, code: &str, owner: Option<&str>, tasks: &[&OpenTask], now: DateTime<Utc>) {
        if tasks.is_empty() {
            return;
        }
        self.sql.push_str(
            "FOR $t IN $cadence_done { UPDATE type::record('task', $t) SET done_at = $cadence_now RETURN NONE; };",
        );
        self.bind.push(("cadence_done", ids(tasks)));
        self.bind.push(("cadence_now", DbValue::Datetime(now.into())));
        for t in tasks {
            self.fact(code, owner, t, |f| f.done_at = Some(now));
        }
    }

    fn drop_tasks(&mut self, code: &str, owner: Option<&str>, tasks: &[&OpenTask], now: DateTime<Utc>) {
        if tasks.is_empty() {
            return;
        }
        self.sql.push_str(
            "FOR $t IN $cadence_dropped { UPDATE type::record('task', $t) SET dropped_at = $cadence_dropped_at RETURN NONE; };",
        );
        self.bind.push(("cadence_dropped", ids(tasks)));
        self.bind.push(("cadence_dropped_at", DbValue::Datetime(now.into())));
        for t in tasks {
            self.fact(code, owner, t, |f| f.dropped = true);
        }
    }

    fn reschedule(&mut self, code: &str, owner: Option<&str>, t: &OpenTask, due: DateTime<Utc>) {
        self.sql.push_str("UPDATE type::record('task', $cadence_moved) SET due_at = $cadence_due RETURN NONE;");
        self.bind.push(("cadence_moved", DbValue::String(t.id.clone())));
        self.bind.push(("cadence_due", DbValue::Datetime(due.into())));
        self.fact(code, owner, t, |f| f.due_at = due);
    }

    fn plan(&mut self, code: &str, owner: Option<&str>, due: DateTime<Utc>, now: DateTime<Utc>) {
        let id = random_id();
        self.sql.push_str("CREATE type::record('task', $cadence_new) CONTENT $cadence_task RETURN NONE;");
        let task = Doc::new()
            .link("lead", "lead", code)
            .opt_link("owner", "rep", owner)
            .set("kind", TaskKind::FollowUp.key().to_string())
            .time("due_at", due)
            .time("created_at", now);
        self.bind.push(("cadence_new", DbValue::String(id.clone())));
        self.bind.push(("cadence_task", task.into_value()));
        self.facts.push(ViewChange::Task(TaskFacts::planned(
            id,
            code.to_string(),
            TaskKind::FollowUp,
            due,
            owner.map(str::to_owned),
        )));
    }
}

/// What a follow-up on `code` at `occurred` does to its open cadence tasks (earliest first).
#[allow(clippy::too_many_arguments)]
pub fn after_follow_up(
    open: &[OpenTask],
    code: &str,
    owner: Option<&str>,
    grade: Grade,
    occurred: DateTime<Utc>,
    wanted: Option<DateTime<Utc>>,
    closed: bool,
    settings: &WorkspaceSettings,
    now: DateTime<Utc>,
) -> TaskWrites {
    let tz = settings.tz();
    let day = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let mut w = TaskWrites::default();
    // Overdue tasks are closed late (missed, for the plan completion); the first due on or
    // after the follow-up's day is completed by it.
    let mut done: Vec<&OpenTask> = open.iter().filter(|t| day(t.due_at) < day(occurred)).collect();
    let ahead: Vec<&OpenTask> = open.iter().filter(|t| day(t.due_at) >= day(occurred)).collect();
    let (completed, later) = match ahead.split_first() {
        Some((first, rest)) => (Some(*first), rest.to_vec()),
        None => (None, Vec::new()),
    };
    done.extend(completed);
    w.finish(code, owner, &done, now);
    if closed {
        w.drop_tasks(code, owner, &later, now);
        return w;
    }
    // One task stays ahead: the first still open, the others dropped.
    match later.split_first() {
        Some((next, extra)) => {
            w.drop_tasks(code, owner, extra, now);
            if let Some(at) = wanted.filter(|at| *at != next.due_at) {
                w.reschedule(code, owner, next, at);
            }
        }
        None => w.plan(code, owner, wanted.unwrap_or_else(|| next_due(occurred, grade, &settings.cadence)), now),
    }
    w
}

/// Closing a lead (won or lost) drops its cadence tasks not yet due; overdue ones stay
/// missed.
pub fn on_close(
    open: &[OpenTask],
    code: &str,
    owner: Option<&str>,
    settings: &WorkspaceSettings,
    now: DateTime<Utc>,
) -> TaskWrites {
    let tz = settings.tz();
    let today = now.with_timezone(&tz).date_naive();
    let not_due: Vec<&OpenTask> = open.iter().filter(|t| t.due_at.with_timezone(&tz).date_naive() >= today).collect();
    let mut w = TaskWrites::default();
    w.drop_tasks(code, owner, &not_due, now);
    w
}

/// Reopening a lead plans a follow-up for now, unless one is still ahead (a missed one
/// does not count).
pub fn on_reopen(open: &[OpenTask], code: &str, owner: Option<&str>, now: DateTime<Utc>) -> TaskWrites {
    let mut w = TaskWrites::default();
    if !open.iter().any(|t| t.due_at >= now) {
        w.plan(code, owner, now, now);
    }
    w
}

/// A lead's new grade brings its open cadence task forward to the new rhythm (never later);
/// a lead without one gets one.
pub fn on_regrade(
    open: &[OpenTask],
    code: &str,
    owner: Option<&str>,
    grade: Grade,
    settings: &WorkspaceSettings,
    now: DateTime<Utc>,
) -> TaskWrites {
    let mut w = TaskWrites::default();
    match open.first() {
        Some(t) => {
            let due = regraded_due(t.due_at, grade, &settings.cadence, now);
            if due != t.due_at {
                w.reschedule(code, owner, t, due);
            }
        }
        None => w.plan(code, owner, next_due(now, grade, &settings.cadence), now),
    }
    w
}

/// A lead handed to another rep hands them its open cadence tasks too.
pub fn on_owner_change(open: &[OpenTask], code: &str, owner: Option<&str>) -> TaskWrites {
    let mut w = TaskWrites::default();
    if open.is_empty() {
        return w;
    }
    let refs: Vec<&OpenTask> = open.iter().collect();
    w.sql.push_str(
        "FOR $t IN $cadence_handed { UPDATE type::record('task', $t) SET owner = $cadence_owner RETURN NONE; };",
    );
    w.bind.push(("cadence_handed", ids(&refs)));
    w.bind
        .push(("cadence_owner", owner.map_or(DbValue::None, |o| DbValue::RecordId(crate::ssr::db::record("rep", o)))));
    for t in open {
        w.fact(code, owner, t, |_| {});
    }
    w
}

impl TaskWrites {
    /// Both sets of writes, in order (their statements bind different names).
    pub fn and(mut self, other: TaskWrites) -> TaskWrites {
        self.sql.push_str(&other.sql);
        self.bind.extend(other.bind);
        self.facts.extend(other.facts);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap()
    }

    fn task(id: &str, due: DateTime<Utc>) -> OpenTask {
        OpenTask { id: id.into(), due_at: due }
    }

    fn facts(w: &TaskWrites) -> Vec<TaskFacts> {
        w.facts
            .iter()
            .filter_map(|c| match c {
                ViewChange::Task(t) => Some(t.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_follow_up_completes_its_days_task_closes_an_overdue_one_late_and_plans_the_next() {
        let s = WorkspaceSettings::default(); // Shanghai: UTC+8
        let now = at(3, 2); // 10:00 on 3 December in Shanghai
        let open = [task("overdue", at(1, 2)), task("today", at(3, 8))];
        let w = after_follow_up(&open, "LX1", Some("r1"), Grade::A, now, None, false, &s, now);
        let f = facts(&w);
        assert_eq!(
            f.iter().filter(|t| t.done_at == Some(now)).map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["overdue", "today"]
        );
        let next: Vec<&TaskFacts> = f.iter().filter(|t| t.is_open()).collect();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].due_at, now + Duration::days(2), "A: every 2 days");
        assert_eq!(next[0].owner.as_deref(), Some("r1"));
    }

    #[test]
    fn one_task_stays_ahead_moved_to_the_time_the_rep_named() {
        let s = WorkspaceSettings::default();
        let now = at(3, 2);
        let open = [task("tomorrow", at(4, 2)), task("later", at(6, 2)), task("extra", at(9, 2))];
        let wanted = at(5, 1);
        let w = after_follow_up(&open, "LX1", None, Grade::B, now, Some(wanted), false, &s, now);
        let f = facts(&w);
        let by = |id: &str| f.iter().find(|t| t.id == id).cloned().unwrap();
        assert_eq!(by("tomorrow").done_at, Some(now), "completed early, on or before its day");
        assert_eq!(by("later").due_at, wanted);
        assert!(by("extra").dropped);
        assert_eq!(f.len(), 3, "nothing new planned: one is still ahead");
    }

    #[test]
    fn closing_drops_what_is_not_yet_due_and_leaves_the_missed() {
        let s = WorkspaceSettings::default();
        let now = at(3, 2);
        let open = [task("missed", at(2, 2)), task("today", at(3, 9)), task("next", at(5, 2))];
        let f = facts(&on_close(&open, "LX1", None, &s, now));
        assert_eq!(f.iter().map(|t| (t.id.as_str(), t.dropped)).collect::<Vec<_>>(), [("today", true), ("next", true)]);
    }

    #[test]
    fn a_new_grade_only_brings_the_open_task_forward_and_reopening_plans_one_for_now() {
        let s = WorkspaceSettings::default();
        let now = at(3, 2);
        let open = [task("weekly", at(9, 2))];
        let f = facts(&on_regrade(&open, "LX1", None, Grade::S, &s, now));
        assert_eq!(f[0].due_at, now + Duration::days(1));
        assert!(facts(&on_regrade(&open, "LX1", None, Grade::C, &s, now)).is_empty());
        assert_eq!(facts(&on_reopen(&[], "LX1", None, now))[0].due_at, now);
        assert!(facts(&on_reopen(&open, "LX1", None, now)).is_empty());
        assert_eq!(facts(&on_reopen(&[task("missed", at(1, 2))], "LX1", None, now)).len(), 1);
    }
}
