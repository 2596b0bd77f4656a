//! The 周报 weekly report (PRODUCT.md §14, the article's 周报): for one week, per rep or per team
//! or everything the reader sees — the status changes, the new, won and lost leads (with the
//! reasons), the risks (stale leads, response SLAs breached, open high-priority feedback) and
//! this week's KPIs against last week's. The KPIs are `/api/v1/kpis`' for the same week and
//! slice, computed by the same code.
use crate::domain::board::BoardCard;
use crate::domain::enums::{FeedbackStatus, Grade, LossReason, Priority, Role, Source, Status};
use crate::kpi::catalog::kpi_defs;
use crate::kpi::present::{absolute_change, relative_change};
use crate::kpi::{trend, Kpis, Period};
use crate::order::first_by;
use crate::ssr::actor::Actor;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::state::AppState;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::Serialize;

/// Whose week: a rep's, a team's, or (neither) everything the reader sees.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeeklyScope {
    pub team: Option<String>,
    pub rep: Option<String>,
}

/// The Monday of ISO week `YYYY-Www`, if it is one.
pub fn parse_week(week: &str) -> Option<NaiveDate> {
    let (y, w) = week.split_once("-W")?;
    if y.len() != 4 || w.len() != 2 {
        return None;
    }
    let monday = NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, Weekday::Mon)?;
    crate::domain::validate::YEARS.contains(&monday.year()).then_some(monday)
}

/// A day's ISO week, written `YYYY-Www`.
pub fn week_of(day: NaiveDate) -> String {
    let w = day.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KpiChange {
    pub key: String,
    pub this_week: Option<f64>,
    pub last_week: Option<f64>,
    pub change: Option<f64>,
    pub relative: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportLead {
    pub code: String,
    pub company: String,
    pub grade: Grade,
    pub status: Status,
    pub source: Option<Source>,
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    /// When it was created, won or lost (as the list it is in says).
    pub at: DateTime<Utc>,
    /// A won lead's deal amount.
    pub amount: Option<f64>,
    pub loss_reason: Option<LossReason>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusChangeRow {
    pub code: String,
    pub company: String,
    pub from: Option<Status>,
    pub to: Status,
    pub at: DateTime<Utc>,
    pub owner_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaleLead {
    pub code: String,
    pub company: String,
    pub grade: Grade,
    pub status: Status,
    pub days: i64,
    pub owner_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlaBreach {
    pub code: String,
    pub company: String,
    pub grade: Grade,
    pub created_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// The first outbound follow-up, late; none while there is none.
    pub first_contact_at: Option<DateTime<Utc>>,
    pub owner_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FeedbackRisk {
    pub id: String,
    pub lead: String,
    pub company: String,
    pub kind: crate::domain::enums::FeedbackType,
    pub summary: Option<String>,
    pub received_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Risks {
    /// Open leads longer in their stage than their grade allows, at the week's end (or now).
    pub stale: Vec<StaleLead>,
    /// Leads whose response SLA ran out during the week without a first contact in time.
    pub sla_breaches: Vec<SlaBreach>,
    /// High-priority feedback still open at the week's end (or now).
    pub open_feedback: Vec<FeedbackRisk>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LossCount {
    pub reason: LossReason,
    pub leads: u64,
}

/// How many rows each of the report's lists has in all (a list may be cut to its first rows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WeeklyTotals {
    pub status_changes: usize,
    pub new_leads: usize,
    pub won_leads: usize,
    pub lost_leads: usize,
    pub stale: usize,
    pub sla_breaches: usize,
    pub open_feedback: usize,
}

/// The 周报.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WeeklyReport {
    /// `YYYY-Www`.
    pub week: String,
    /// Monday, and the Monday after (the KPIs' `from` and `to`).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub team: Option<String>,
    pub rep: Option<String>,
    /// This week's KPIs, last week's, and each KPI's change.
    pub kpis: Kpis,
    pub last_week: Kpis,
    pub changes: Vec<KpiChange>,
    pub status_changes: Vec<StatusChangeRow>,
    pub new_leads: Vec<ReportLead>,
    pub won_leads: Vec<ReportLead>,
    pub lost_leads: Vec<ReportLead>,
    /// Lost leads by reason, most first.
    pub loss_reasons: Vec<LossCount>,
    pub risks: Risks,
    /// Each list's length in all: the lists above hold every row, or their first rows when
    /// the report was asked for a page (`weekly`'s `rows`).
    pub totals: WeeklyTotals,
    pub generated_at: DateTime<Utc>,
}

/// The week of `monday` for `scope`, as `actor` may see it, at `now`: every row of each
/// list, or (`rows`) each list's first rows with the totals (a page shows no more, and a
/// 100,000-lead workspace's week holds tens of thousands of rows).
pub async fn weekly(
    state: &AppState,
    actor: &Actor,
    monday: NaiveDate,
    scope: &WeeklyScope,
    now: DateTime<Utc>,
    rows: Option<usize>,
) -> ApiResult<WeeklyReport> {
    let keep = rows.unwrap_or(usize::MAX);
    match actor.role {
        Role::Rep if scope.rep.as_ref().is_some_and(|r| Some(r) != actor.rep.as_ref()) => {
            return Err(ApiError::Forbidden("a rep reads their own weekly report".into()));
        }
        Role::Rep if scope.team.is_some() => {
            return Err(ApiError::Forbidden("a team's weekly report is for its manager".into()));
        }
        Role::Manager if scope.team.as_ref().is_some_and(|t| !actor.teams.contains(t)) => {
            return Err(ApiError::Forbidden("a manager reads their own teams' weekly reports".into()));
        }
        _ => {}
    }
    let settings = state.settings.read().await.clone();
    let tz = settings.tz();
    let period = Period::new(monday, monday + Duration::days(7), tz)
        .map_err(|e| ApiError::invalid("week", crate::domain::validate::ProblemCode::BadTime, e.to_string()))?;
    let last = Period::new(monday - Duration::days(7), monday, tz).expect("a week is a period");
    let in_scope = |owner: Option<&str>, team: Option<&str>| {
        actor.can_see(owner, team)
            && scope.team.as_deref().is_none_or(|t| team == Some(t))
            && scope.rep.as_deref().is_none_or(|r| owner == Some(r))
    };
    // Both weeks in one pass over the view (the KPIs API's numbers: `trend` is `compute` a week).
    let (kpis, last_week) = {
        let view = state.view.read().await;
        let weeks =
            trend(&view, &[last, period], &settings, |l| in_scope(l.facts.owner.as_deref(), l.facts.team.as_deref()));
        let [last_week, this_week]: [Kpis; 2] = weeks.try_into().expect("two weeks in, two out");
        (this_week, last_week)
    };
    let changes = kpi_defs()
        .iter()
        .map(|d| {
            let (this, before) = ((d.get)(&kpis), (d.get)(&last_week));
            KpiChange {
                key: d.key().to_string(),
                this_week: this,
                last_week: before,
                change: absolute_change(before, this),
                relative: relative_change(before, this),
            }
        })
        .collect();

    // The risks as they stand at the week's end, or now for the current week.
    let at = now.min(period.end);
    let index = state.index.read().await;
    let card_in_scope = |c: &BoardCard| in_scope(c.owner.as_deref(), c.team.as_deref());
    let mut totals = WeeklyTotals::default();
    // The index keeps every status change in time order: the first rows are the first kept.
    let mut status_changes = Vec::new();
    for (when, m) in index.moves_between(period.start, period.end) {
        let Some(card) = index.get(&m.lead).filter(|c| card_in_scope(c)) else { continue };
        totals.status_changes += 1;
        if status_changes.len() < keep {
            status_changes.push(StatusChangeRow {
                code: m.lead.clone(),
                company: card.company.clone(),
                from: m.from,
                to: m.to,
                at: when,
                owner_name: card.owner_name.clone(),
            });
        }
    }
    let lead_row = |(c, at): (&BoardCard, DateTime<Utc>)| ReportLead {
        code: c.code.clone(),
        company: c.company.clone(),
        grade: c.grade,
        status: c.status,
        source: c.source,
        owner: c.owner.clone(),
        owner_name: c.owner_name.clone(),
        at,
        amount: (c.status == Status::Won).then_some(c.amount).flatten(),
        loss_reason: c.loss_reason,
    };
    // References first: only the rows kept are made.
    let (mut new_leads, mut won_leads, mut lost_leads) = (Vec::new(), Vec::new(), Vec::new());
    let (mut stale, mut sla_breaches) = (Vec::new(), Vec::new());
    for (c, first_contact) in index.cards_where(|c, _| card_in_scope(c)) {
        if period.contains(c.created_at) {
            new_leads.push((c, c.created_at));
        }
        if period.contains(c.status_since) {
            match c.status {
                Status::Won => won_leads.push((c, c.status_since)),
                Status::Lost => lost_leads.push((c, c.status_since)),
                _ => {}
            }
        }
        if c.status_since <= at && c.is_stale(at, &settings.cadence) {
            stale.push((c, c.days_in_stage(at)));
        }
        let allowed = Duration::seconds((settings.sla.hours(c.grade) * 3600.0).round() as i64);
        let due_at = c.created_at + allowed;
        // Closed before its clock ran out: no breach.
        let closed_in_time = c.status.is_closed() && c.status_since <= due_at;
        if period.contains(due_at) && due_at <= now && first_contact.is_none_or(|f| f > due_at) && !closed_in_time {
            sla_breaches.push((c, due_at, first_contact));
        }
    }
    let open_feedback = index.feedback_where(
        |f| {
            f.priority == Priority::High
                && f.received_at < at
                && (matches!(f.status, FeedbackStatus::Open | FeedbackStatus::InProgress)
                    || f.resolved_at.is_some_and(|r| r > at))
        },
        |_, c| card_in_scope(c),
    );
    totals.new_leads = new_leads.len();
    totals.won_leads = won_leads.len();
    totals.lost_leads = lost_leads.len();
    totals.stale = stale.len();
    totals.sla_breaches = sla_breaches.len();
    totals.open_feedback = open_feedback.len();
    let mut reasons: std::collections::BTreeMap<LossReason, u64> = Default::default();
    for (l, _) in &lost_leads {
        *reasons.entry(l.loss_reason.unwrap_or(LossReason::Other)).or_default() += 1;
    }
    let mut loss_reasons: Vec<LossCount> =
        reasons.into_iter().map(|(reason, leads)| LossCount { reason, leads }).collect();
    loss_reasons.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.reason.key().cmp(b.reason.key())));
    let by_time = |a: &(&BoardCard, DateTime<Utc>), b: &(&BoardCard, DateTime<Utc>)| {
        a.1.cmp(&b.1).then_with(|| a.0.code.cmp(&b.0.code))
    };
    let new_leads = first_by(new_leads, keep, by_time).into_iter().map(lead_row).collect();
    let won_leads = first_by(won_leads, keep, by_time).into_iter().map(lead_row).collect();
    let lost_leads = first_by(lost_leads, keep, by_time).into_iter().map(lead_row).collect();
    let stale = first_by(stale, keep, |a, b| b.1.cmp(&a.1).then_with(|| a.0.code.cmp(&b.0.code)))
        .into_iter()
        .map(|(c, days)| StaleLead {
            code: c.code.clone(),
            company: c.company.clone(),
            grade: c.grade,
            status: c.status,
            days,
            owner_name: c.owner_name.clone(),
        })
        .collect();
    let sla_breaches = first_by(sla_breaches, keep, |a, b| a.1.cmp(&b.1).then_with(|| a.0.code.cmp(&b.0.code)))
        .into_iter()
        .map(|(c, due_at, first_contact_at)| SlaBreach {
            code: c.code.clone(),
            company: c.company.clone(),
            grade: c.grade,
            created_at: c.created_at,
            due_at,
            first_contact_at,
            owner_name: c.owner_name.clone(),
        })
        .collect();
    let open_feedback =
        first_by(open_feedback, keep, |a, b| a.received_at.cmp(&b.received_at).then_with(|| a.id.cmp(&b.id)))
            .into_iter()
            .map(|f| FeedbackRisk {
                id: f.id.clone(),
                lead: f.lead.clone(),
                company: index.get(&f.lead).map(|c| c.company.clone()).unwrap_or_default(),
                kind: f.kind,
                summary: f.summary.clone(),
                received_at: f.received_at,
                due_at: f.due_at,
                owner: f.owner.clone(),
            })
            .collect();
    drop(index);
    Ok(WeeklyReport {
        week: week_of(monday),
        from: period.from,
        to: period.to,
        team: scope.team.clone(),
        rep: scope.rep.clone(),
        kpis,
        last_week,
        changes,
        status_changes,
        new_leads,
        won_leads,
        lost_leads,
        loss_reasons,
        risks: Risks { stale, sla_breaches, open_feedback },
        totals,
        generated_at: now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_are_iso_weeks_written_yyyy_www() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(parse_week("2026-W49"), Some(d(2026, 11, 30)));
        // ISO week 1 of 2027 starts on Monday 4 January; 2026 has 53 weeks.
        assert_eq!(parse_week("2027-W01"), Some(d(2027, 1, 4)));
        assert_eq!(parse_week("2026-W53"), Some(d(2026, 12, 28)));
        assert_eq!(parse_week("2025-W53"), None);
        for bad in ["2026-49", "2026-W9", "2026W49", "", "1999-W01", "2026-W00"] {
            assert_eq!(parse_week(bad), None, "{bad}");
        }
        assert_eq!(week_of(d(2026, 12, 3)), "2026-W49");
        assert_eq!(week_of(d(2027, 1, 2)), "2026-W53");
    }
}
