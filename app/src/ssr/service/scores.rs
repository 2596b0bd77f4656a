//! Score review (PRODUCT.md §3, §13): a manager of the lead's team (or an admin) overrides a
//! part of a lead's score with a reason, or removes the override, and the score and the grade
//! follow; a manager reviews a lead's score as it stands, which takes it off the review's
//! queue until it changes again; every open C lead gets a re-evaluation task each month.
//! Reps do none of this: their leads' scores come from the rules.
use super::{editable_lead, written};
use crate::domain::commands::{OverrideScore, ReviewScore};
use crate::domain::enums::{Grade, Role, TaskKind};
use crate::domain::lead::{Lead, ScoreReview};
use crate::domain::validate::ProblemCode;
use crate::kpi::{LeadFacts, TaskFacts, ViewChange};
use crate::scoring::{self, ScoreOverride};
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::leads::{self as repo, audit_doc};
use crate::ssr::state::{AppState, LeadChange};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use serde_json::json;
use surrealdb::types::Value as DbValue;

fn managers_only(actor: &Actor) -> ApiResult<()> {
    if actor.role == Role::Rep {
        return Err(ApiError::Forbidden("only a manager of the lead's team or an admin reviews scores".into()));
    }
    Ok(())
}

/// A lead's overrides as the database keeps them.
pub fn overrides_value(items: &[ScoreOverride]) -> DbValue {
    crate::ssr::db::docs(items.iter().map(|o| {
        Doc::new()
            .set("part", o.part.key().to_string())
            .set("points", i64::from(o.points))
            .set("reason", o.reason.clone())
            .set("by", o.by.clone())
            .opt("by_name", o.by_name.clone())
            .time("at", o.at)
    }))
}

fn review_doc(actor: &Actor, total: u32, grade: Grade, at: DateTime<Utc>) -> DbValue {
    Doc::new()
        .time("at", at)
        .set("by", actor.user.clone())
        .set("total", i64::from(total))
        .set("grade", grade.key().to_string())
        .into_value()
}

/// The statements completing a lead's open re-evaluation tasks (a review is one), and the
/// facts the views follow.
fn finish_reevaluations(
    lead: &Lead,
    open: &[TaskFacts],
    now: DateTime<Utc>,
) -> (String, Vec<(&'static str, DbValue)>, Vec<ViewChange>) {
    let due: Vec<&TaskFacts> = open.iter().filter(|t| t.kind == TaskKind::Reevaluate && t.lead == lead.code).collect();
    if due.is_empty() {
        return (String::new(), Vec::new(), Vec::new());
    }
    let ids = DbValue::Array(due.iter().map(|t| DbValue::String(t.id.clone())).collect());
    let facts = due
        .iter()
        .map(|t| {
            let mut f = (*t).clone();
            f.done_at = Some(now);
            ViewChange::Task(f)
        })
        .collect();
    (
        "FOR $t IN $reevaluated { UPDATE type::record('task', $t) SET done_at = $reevaluated_at RETURN NONE; };".into(),
        vec![("reevaluated", ids), ("reevaluated_at", DbValue::Datetime(now.into()))],
        facts,
    )
}

async fn open_tasks_of(state: &AppState, code: &str) -> Vec<TaskFacts> {
    state.index.read().await.open_tasks_of(code)
}

/// Sets (or, with `points: null`, removes) a manager's points for one part of a lead's score.
/// The score and the grade follow, the cadence follows the grade, the change is audited with
/// its reason, and it counts as the manager's review of the score.
pub async fn override_part(state: &AppState, actor: &Actor, code: &str, cmd: OverrideScore) -> ApiResult<Lead> {
    managers_only(actor)?;
    let lead = editable_lead(state, actor, code, cmd.version).await?;
    let settings = state.settings.read().await.clone();
    let max = settings.scoring.max_points()[cmd.part.index()];
    if let Some(points) = cmd.points.filter(|p| *p > max) {
        return Err(ApiError::invalid(
            "points",
            ProblemCode::OutOfRange,
            format!("{} earns 0 to {max} points, not {points}", cmd.part.key()),
        ));
    }
    let before = lead.overrides.iter().find(|o| o.part == cmd.part).cloned();
    if before.is_none() && cmd.points.is_none() {
        // Nothing to remove.
        return Ok(lead);
    }
    let now = Utc::now();
    let after = cmd.points.map(|points| ScoreOverride {
        part: cmd.part,
        points,
        reason: cmd.reason.clone().unwrap_or_default(),
        by: actor.user.clone(),
        by_name: Some(actor.name.clone()),
        at: now,
    });
    let mut overrides: Vec<ScoreOverride> = lead.overrides.iter().filter(|o| o.part != cmd.part).cloned().collect();
    overrides.extend(after.clone());
    overrides.sort_by_key(|o| o.part.index());
    let score = scoring::score_with(&lead.profile.score_inputs(), &overrides, &settings.scoring);
    let shown = |o: &Option<ScoreOverride>| match o {
        Some(o) => json!({"points": o.points, "reason": o.reason}),
        None => json!({"points": null, "reason": cmd.reason}),
    };
    let mut audits =
        vec![audit_doc(actor, code, &format!("score_override.{}", cmd.part.key()), shown(&before), shown(&after), now)];
    if score.grade != lead.grade {
        audits.push(audit_doc(actor, code, "grade", json!(lead.grade), json!(score.grade), now));
    }
    let mut doc = Doc::new()
        .set("overrides", overrides_value(&overrides))
        .set("score", crate::ssr::repo::import::score_doc(&score).into_value())
        .set("grade", score.grade.key().to_string())
        .set("score_review", review_doc(actor, score.total, score.grade, now))
        .set("version", (cmd.version + 1) as i64)
        .time("updated_at", now);
    if score != lead.score {
        doc = doc.time("scored_at", now);
    }
    // The cadence follows the new grade (service::cadence); the month's re-evaluation is done.
    let mut tasks = super::cadence::TaskWrites::default();
    if !lead.status.is_closed() && score.grade != lead.grade {
        let open = repo::open_follow_up_tasks(&state.db, code).await?;
        tasks = super::cadence::on_regrade(&open, code, lead.owner.as_deref(), score.grade, &settings, now);
    }
    let (sql, mut bind, mut facts) = finish_reevaluations(&lead, &open_tasks_of(state, code).await, now);
    tasks.sql.push_str(&sql);
    tasks.bind.append(&mut bind);
    let outcome = repo::update_versioned(&state.db, code, cmd.version, doc, audits, &tasks.sql, tasks.bind).await?;
    let updated = written(state, outcome, code).await?;
    let mut changes = vec![ViewChange::Lead(LeadFacts::of_lead(&updated))];
    changes.extend(tasks.facts);
    changes.append(&mut facts);
    state.apply(LeadChange { lead: updated.clone(), facts: changes }).await;
    Ok(updated)
}

/// Reviews a lead's score as it stands: recorded (who, when, which score), audited, and the
/// lead leaves the review's queue until its score changes; the month's re-evaluation is done.
pub async fn review(state: &AppState, actor: &Actor, code: &str, cmd: ReviewScore) -> ApiResult<Lead> {
    managers_only(actor)?;
    let lead = editable_lead(state, actor, code, cmd.version).await?;
    let now = Utc::now();
    let audits = vec![audit_doc(
        actor,
        code,
        "score_review",
        json!(lead.score_review.as_ref().map(|r| r.total)),
        json!(lead.score.total),
        now,
    )];
    let doc = Doc::new()
        .set("score_review", review_doc(actor, lead.score.total, lead.grade, now))
        .set("version", (cmd.version + 1) as i64)
        .time("updated_at", now);
    let (sql, bind, mut facts) = finish_reevaluations(&lead, &open_tasks_of(state, code).await, now);
    let outcome = repo::update_versioned(&state.db, code, cmd.version, doc, audits, &sql, bind).await?;
    let updated = written(state, outcome, code).await?;
    let mut changes = vec![ViewChange::Lead(LeadFacts::of_lead(&updated))];
    changes.append(&mut facts);
    state.apply(LeadChange { lead: updated.clone(), facts: changes }).await;
    Ok(updated)
}

/// A lead on the score review's queue: its score's parts (those a manager overrode named),
/// when the score was set or last changed, and the score a manager last reviewed (none: new).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReviewRow {
    pub code: String,
    pub company: String,
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    pub status: crate::domain::enums::Status,
    pub score: crate::scoring::Score,
    pub grade: Grade,
    pub scored_at: DateTime<Utc>,
    pub reviewed: Option<ScoreReview>,
    pub overridden: Vec<crate::domain::enums::ScorePart>,
    pub version: u64,
}

/// The queue and how many it holds in all.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReviewQueue {
    pub total: usize,
    pub items: Vec<ReviewRow>,
}

/// The score review's queue of the actor's teams (an admin: every team): open leads whose
/// score was set or changed since `since` and not reviewed since, the latest first.
pub async fn queue(state: &AppState, actor: &Actor, since: DateTime<Utc>, limit: usize) -> ApiResult<ReviewQueue> {
    managers_only(actor)?;
    let index = state.index.read().await;
    let mut rows = index.scores_where(|card, s| in_queue(actor, card, s, since));
    let total = rows.len();
    if limit > 0 {
        rows.sort_unstable_by(|a, b| b.1.scored_at.cmp(&a.1.scored_at).then_with(|| a.0.code.cmp(&b.0.code)));
    }
    let items = rows
        .into_iter()
        .take(limit)
        .map(|(card, s)| ReviewRow {
            code: card.code.clone(),
            company: card.company.clone(),
            owner: card.owner.clone(),
            owner_name: card.owner_name.clone(),
            status: card.status,
            score: s.score,
            grade: card.grade,
            scored_at: s.scored_at,
            reviewed: s.review.clone(),
            overridden: s.overridden.clone(),
            version: card.version,
        })
        .collect();
    Ok(ReviewQueue { total, items })
}

/// How far back the review's queue looks by default, in days (My day counts it).
pub const REVIEW_DAYS: i64 = 30;

/// Whether `actor`'s review queue lists a lead: open, theirs to see, and
/// scored since `since` without a review since (the time checks first: most leads were scored
/// long ago).
pub fn in_queue(
    actor: &Actor,
    card: &crate::domain::board::BoardCard,
    score: &crate::ssr::index::ScoreFacts,
    since: DateTime<Utc>,
) -> bool {
    needs_review(score.scored_at, score.review.as_ref(), since)
        && !card.status.is_closed()
        && actor.can_see(card.owner.as_deref(), card.team.as_deref())
}

/// Whether the review's queue lists a lead: its score was set or changed since `since` and no
/// manager has reviewed it since.
pub fn needs_review(scored_at: DateTime<Utc>, review: Option<&ScoreReview>, since: DateTime<Utc>) -> bool {
    scored_at >= since && review.is_none_or(|r| r.at < scored_at)
}

/// The month a re-evaluation task belongs to, in the workspace's time zone (`2026-12`), and
/// when it is due: a week after it is planned.
pub fn reevaluation_month(now: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    let local = tz.from_utc_datetime(&now.naive_utc());
    format!("{:04}{:02}", local.year(), local.month())
}

/// One planned task of the routine: its id (naming its lead and period), lead, owner, title.
struct Planned {
    id: String,
    code: String,
    owner: String,
    title: Option<String>,
}

/// Inserts planned tasks not there yet, all due at `due`, and tells the views; answers how
/// many were new.
async fn insert_planned(
    state: &AppState,
    kind: TaskKind,
    wanted: Vec<Planned>,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    let mut planned = 0;
    for chunk in wanted.chunks(2_000) {
        let ids: Vec<String> = chunk.iter().map(|p| p.id.clone()).collect();
        let known = crate::ssr::repo::tasks::existing(&state.db, &ids).await?;
        let fresh: Vec<&Planned> = chunk.iter().filter(|p| !known.contains(&p.id)).collect();
        if fresh.is_empty() {
            continue;
        }
        let docs: Vec<Doc> = fresh
            .iter()
            .map(|p| {
                Doc::new()
                    .link("id", "task", &p.id)
                    .link("lead", "lead", &p.code)
                    .link("owner", "rep", &p.owner)
                    .set("kind", kind.key().to_string())
                    .opt("title", p.title.clone())
                    .time("due_at", due)
                    .time("created_at", now)
                    .set("created_by", "genjin".to_string())
            })
            .collect();
        crate::ssr::repo::tasks::insert_ignoring_known(&state.db, kind, docs).await?;
        let facts: Vec<TaskFacts> = fresh
            .iter()
            .map(|p| {
                let mut f = TaskFacts::planned(p.id.clone(), p.code.clone(), kind, due, Some(p.owner.clone()));
                f.title = p.title.clone();
                f
            })
            .collect();
        planned += facts.len();
        state.apply_tasks(facts).await;
    }
    Ok(planned)
}

/// How many tasks the routine planned: C leads' re-evaluations, S and A leads' weekly touches.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct RoutinePlanned {
    pub reevaluate: usize,
    pub weekly_touch: usize,
}

/// Plans the routine's recurring tasks (PRODUCT.md §3, §5): every open C lead's
/// re-evaluation of this month, due in a week ("C leads are queued for re-evaluation
/// monthly"), and every open S or A lead's weekly touch of this week — S a meeting, A an
/// e-mail or a call — due at the week's end. A task's id names its lead and period, so
/// planning again — on another app server, after a restart — adds nothing, and a task done
/// in its period is not planned twice.
pub async fn plan_routine(state: &AppState, now: DateTime<Utc>) -> ApiResult<RoutinePlanned> {
    let tz = state.settings.read().await.tz();
    let month = reevaluation_month(now, tz);
    let (week, week_end) = touch_week(now, tz);
    let (reevaluations, touches) = {
        let index = state.index.read().await;
        let mut reevaluations = Vec::new();
        let mut touches = Vec::new();
        for card in index.cards_with_tasks(|card, tasks| {
            let wanted = match card.grade {
                Grade::C => TaskKind::Reevaluate,
                Grade::S | Grade::A => TaskKind::WeeklyTouch,
                Grade::B => return false,
            };
            !card.status.is_closed() && card.owner.is_some() && !tasks.iter().any(|t| t.kind == wanted)
        }) {
            let owner = card.owner.clone().unwrap_or_default();
            match card.grade {
                Grade::C => reevaluations.push(Planned {
                    id: format!("reeval_{}_{month}", card.code),
                    code: card.code.clone(),
                    owner,
                    title: None,
                }),
                grade => touches.push(Planned {
                    id: format!("weekly_{}_{week}", card.code),
                    code: card.code.clone(),
                    owner,
                    title: Some(weekly_touch_title(grade).to_string()),
                }),
            }
        }
        (reevaluations, touches)
    };
    let reevaluate = insert_planned(state, TaskKind::Reevaluate, reevaluations, now + Duration::days(7), now).await?;
    let weekly_touch =
        insert_planned(state, TaskKind::WeeklyTouch, touches, week_end.max(now + Duration::hours(24)), now).await?;
    Ok(RoutinePlanned { reevaluate, weekly_touch })
}

/// The weekly touch a grade's cadence asks for (PRODUCT.md §5).
pub fn weekly_touch_title(grade: Grade) -> &'static str {
    match grade {
        Grade::S => "每周面谈",
        _ => "每周邮件或电话",
    }
}

/// Whether a follow-up through `channel` is the weekly touch a lead of `grade` is due: a
/// meeting (in person, online or a visit) for S, for A also an e-mail or a call.
pub fn is_weekly_touch(grade: Grade, channel: crate::domain::enums::Channel) -> bool {
    use crate::domain::enums::Channel::*;
    match grade {
        Grade::S => matches!(channel, Meeting | OnlineMeeting | Visit),
        Grade::A => matches!(channel, Meeting | OnlineMeeting | Visit | Email | Phone),
        _ => false,
    }
}

/// The ISO week a weekly touch belongs to in the workspace's time zone (`2026W49`), and its
/// end: Sunday 20:00 local.
pub fn touch_week(now: DateTime<Utc>, tz: chrono_tz::Tz) -> (String, DateTime<Utc>) {
    let local = tz.from_utc_datetime(&now.naive_utc());
    let iso = local.iso_week();
    let sunday = local.date_naive() + Duration::days(i64::from(6 - local.weekday().num_days_from_monday()));
    let end = sunday
        .and_hms_opt(20, 0, 0)
        .and_then(|t| tz.from_local_datetime(&t).earliest())
        .map_or(now, |t| t.with_timezone(&Utc));
    (format!("{:04}W{:02}", iso.year(), iso.week()), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_queue_holds_new_and_changed_scores_not_yet_reviewed() {
        let since = at("2026-11-01T00:00:00Z");
        let review = |t: &str| ScoreReview { at: at(t), by: "m".into(), total: 50, grade: Grade::B };
        // New, never reviewed.
        assert!(needs_review(at("2026-11-20T00:00:00Z"), None, since));
        // Reviewed after it was scored: off the queue.
        assert!(!needs_review(at("2026-11-20T00:00:00Z"), Some(&review("2026-11-21T00:00:00Z")), since));
        // Changed after the review: back on it.
        assert!(needs_review(at("2026-11-22T00:00:00Z"), Some(&review("2026-11-21T00:00:00Z")), since));
        // Scored before the window.
        assert!(!needs_review(at("2026-10-31T23:59:59Z"), None, since));
    }

    #[test]
    fn the_weekly_touch_is_the_workspaces_iso_week_ending_sunday_evening() {
        // Thursday 3 December 2026, Shanghai: week 49, ending Sunday the 6th at 20:00 (12:00 UTC).
        let (week, end) = touch_week(at("2026-12-03T10:00:00Z"), chrono_tz::Asia::Shanghai);
        assert_eq!(week, "2026W49");
        assert_eq!(end, at("2026-12-06T12:00:00Z"));
        // Sunday 23:00 in Shanghai is still week 49; Monday 00:30 is week 50.
        assert_eq!(touch_week(at("2026-12-06T15:00:00Z"), chrono_tz::Asia::Shanghai).0, "2026W49");
        assert_eq!(touch_week(at("2026-12-06T16:30:00Z"), chrono_tz::Asia::Shanghai).0, "2026W50");
        use crate::domain::enums::Channel;
        assert!(is_weekly_touch(Grade::S, Channel::Meeting));
        assert!(!is_weekly_touch(Grade::S, Channel::Phone));
        assert!(is_weekly_touch(Grade::A, Channel::Email));
        assert!(!is_weekly_touch(Grade::A, Channel::Wechat));
        assert!(!is_weekly_touch(Grade::B, Channel::Meeting));
    }

    #[test]
    fn the_re_evaluation_month_is_the_workspaces() {
        // 2026-11-30 17:00 UTC is already 1 December in Shanghai.
        assert_eq!(reevaluation_month(at("2026-11-30T17:00:00Z"), chrono_tz::Asia::Shanghai), "202612");
        assert_eq!(reevaluation_month(at("2026-11-30T15:59:59Z"), chrono_tz::Asia::Shanghai), "202611");
    }
}
