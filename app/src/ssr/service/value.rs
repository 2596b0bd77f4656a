//! Customer value (PRODUCT.md §8): a lead's activity, conversion potential and lifetime value,
//! and the conversion potential's model — fitted on the workspace's closed leads in the
//! background once there are enough of them, again when that set has changed materially, kept
//! in the database with when and on how many leads it was fitted.
use crate::kpi::LeadFacts;
use crate::ssr::actor::Actor;
use crate::ssr::db::Doc;
use crate::ssr::error::ApiResult;
use crate::ssr::repo;
use crate::ssr::state::AppState;
use crate::value::potential::{by_grade_rate, fit_with_quality, MIN_CLOSED};
use crate::value::workspace::{factor_label, features};
use crate::value::{clv, Activity, Features, Model};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::sync::Arc;

/// The model is fitted again when the closed leads grew (or shrank) by this share since...
pub const REFIT_CHANGE: f64 = 0.10;
/// ...or when it is this many days old.
pub const REFIT_DAYS: i64 = 30;

/// What the model needs now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refit {
    /// It stands as it is.
    Keep,
    /// It is fitted (first, or again).
    Fit,
    /// Fewer closed leads than it needs: the grades' win rates stand in.
    Forget,
}

/// What to do with `model` when the workspace has `closed` closed leads at `now`.
pub fn due(model: Option<&Model>, closed: usize, now: DateTime<Utc>) -> Refit {
    match model {
        _ if closed < MIN_CLOSED => {
            if model.is_some() {
                Refit::Forget
            } else {
                Refit::Keep
            }
        }
        None => Refit::Fit,
        Some(m) => {
            let change = (closed as f64 - m.sample as f64).abs() / (m.sample.max(1) as f64);
            if change >= REFIT_CHANGE || now - m.fitted_at >= Duration::days(REFIT_DAYS) {
                Refit::Fit
            } else {
                Refit::Keep
            }
        }
    }
}

/// Fits the model when it is due (the routine's hourly round); answers what was done.
pub async fn refit_if_due(state: &AppState, now: DateTime<Utc>) -> ApiResult<Refit> {
    let closed = state.view.read().await.closed_count();
    let current = state.value_model();
    match due(current.as_deref(), closed, now) {
        Refit::Keep => Ok(Refit::Keep),
        _ => refit(state, &Actor::system(), now).await,
    }
}

/// Fits the model on the closed leads as they stand (an admin may ask at any time), keeps it
/// and puts it to use; with fewer than it needs, forgets it.
pub async fn refit(state: &AppState, actor: &Actor, now: DateTime<Utc>) -> ApiResult<Refit> {
    actor.require_admin()?;
    let learn = state.view.read().await.closed_for_model();
    let before = state.value_model().map(|m| m.sample);
    let model = if learn.leads < MIN_CLOSED {
        None
    } else {
        let names = Features::names();
        let leads = learn.leads;
        tokio::task::spawn_blocking(move || fit_with_quality(&learn.rows, &learn.groups, &names, now))
            .await
            .map_err(|e| crate::ssr::error::ApiError::Internal(format!("fitting the model: {e}")))?
            .map(|m| Model { sample: leads, ..m })
    };
    if model.is_none() && before.is_none() {
        return Ok(Refit::Keep);
    }
    let audit = Doc::new()
        .time("at", now)
        .set("actor", actor.user.clone())
        .set("record", "value_model:current".to_string())
        .set("field", "sample".to_string())
        .set("old", serde_json::json!(before))
        .set("new", serde_json::json!(model.as_ref().map(|m| m.sample)));
    repo::value::store_model(&state.db, model.as_ref(), audit).await?;
    let done = if model.is_some() { Refit::Fit } else { Refit::Forget };
    if let Some(m) = &model {
        tracing::info!(sample = m.sample, auc = ?m.quality.as_ref().and_then(|q| q.auc), "conversion potential model fitted");
    }
    state.set_value_model(model.map(Arc::new)).await;
    Ok(done)
}

pub use crate::value::LeadValue;

/// The value of a lead the actor may see, computed now; the factors named in `lang`.
pub async fn lead_value(
    state: &AppState,
    actor: &Actor,
    code: &str,
    now: DateTime<Utc>,
    lang: Option<crate::i18n::Lang>,
) -> ApiResult<LeadValue> {
    let lead = super::visible_lead(state, actor, code).await?;
    value_of(state, &lead, now, lang).await
}

/// The value of a lead already read (and checked against its reader).
pub async fn value_of(
    state: &AppState,
    lead: &crate::domain::lead::Lead,
    now: DateTime<Utc>,
    lang: Option<crate::i18n::Lang>,
) -> ApiResult<LeadValue> {
    let recent = state.index.read().await.recent(&lead.code).unwrap_or_default();
    let activity = recent.activity(lead.created_at, now);
    let mut potential = match state.value_model() {
        Some(model) => model.predict(&features(&LeadFacts::of_lead(lead), &recent, now)),
        None => by_grade_rate(state.view.read().await.grade_win_rates().of(lead.grade)),
    };
    if let Some(lang) = lang {
        for f in &mut potential.factors {
            f.label = Some(factor_label(&f.name, lang));
        }
    }
    let orders = repo::value::orders(&state.db, &lead.code).await?;
    let years = state.settings.read().await.customer_lifetime_years;
    Ok(LeadValue { activity, potential, clv: clv(&orders, now, years) })
}

/// An open lead on the value page.
#[derive(Debug, Clone, Serialize)]
pub struct ValueRow {
    pub code: String,
    pub company: String,
    pub grade: crate::domain::enums::Grade,
    pub status: crate::domain::enums::Status,
    pub owner_name: Option<String>,
    pub activity: Activity,
    /// The tier at the start of the comparison.
    pub before: Option<crate::domain::enums::Tier>,
    pub probability: Option<f64>,
    pub last_touch: Option<DateTime<Utc>>,
}

/// The value page (PRODUCT.md §8): the open leads' tiers now and `days` ago, how they moved
/// between tiers, the leads that warmed up, the highest-potential open leads nobody followed up
/// this week, and the model with its quality.
#[derive(Debug, Clone, Serialize)]
pub struct ValueOverview {
    pub days: i64,
    pub since: DateTime<Utc>,
    pub week_start: DateTime<Utc>,
    /// Open leads by tier now (active, potential, dormant).
    pub tiers: [u64; 3],
    /// The same leads' tiers `days` ago (those that existed then).
    pub tiers_before: [u64; 3],
    /// `moves[from][to]`: leads by tier then and now.
    pub moves: [[u64; 3]; 3],
    /// Leads whose tier rose, most active first.
    pub warmed: Vec<ValueRow>,
    pub warmed_total: u64,
    /// Open leads without a follow-up this week, highest potential first.
    pub unfollowed: Vec<ValueRow>,
    pub unfollowed_total: u64,
    pub model: Option<Arc<Model>>,
    /// Closed leads the model may learn from.
    pub closed: usize,
}

/// How many leads each list shows.
pub const LIST_LIMIT: usize = 20;

fn tier_slot(t: crate::domain::enums::Tier) -> usize {
    use crate::domain::enums::Tier;
    match t {
        Tier::Active => 0,
        Tier::Potential => 1,
        Tier::Dormant => 2,
    }
}

/// The value page's numbers over the open leads `actor` may see.
pub async fn overview(state: &AppState, actor: &Actor, days: i64, now: DateTime<Utc>) -> ApiResult<ValueOverview> {
    let tz = state.settings.read().await.tz();
    let since = now - Duration::days(days);
    let today = now.with_timezone(&tz).date_naive();
    let monday = today - Duration::days(i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()));
    let week_start = crate::kpi::Period::new(monday, monday + Duration::days(7), tz).map(|p| p.start).unwrap_or(since);
    let model = state.value_model();
    let mut tiers = [0u64; 3];
    let mut tiers_before = [0u64; 3];
    let mut moves = [[0u64; 3]; 3];
    // (score, lead's place in the view) of the leads that warmed, and (probability, place) of
    // those nobody followed up this week; rows are made for the shown ones only.
    let mut warmed: Vec<(u8, usize)> = Vec::new();
    let mut unfollowed: Vec<(f64, usize)> = Vec::new();
    let closed;
    let rows = |keys: &mut dyn Iterator<Item = usize>,
                view: &crate::kpi::AnalyticView,
                facts: &[Option<crate::value::workspace::ValueFacts>]| {
        keys.map(|i| {
            let l = &view.view_leads()[i];
            let f = facts[i].expect("a listed lead has facts");
            let activity = f.now.activity(l.facts.created_at, now);
            ValueRow {
                code: l.facts.code.clone(),
                company: String::new(),
                grade: l.facts.grade,
                status: l.facts.status,
                owner_name: None,
                activity,
                before: f.before.map(|b| b.activity(l.facts.created_at, since).tier),
                probability: None,
                last_touch: f.last_touch,
            }
        })
        .collect::<Vec<_>>()
    };
    let (mut warmed_rows, mut unfollowed_rows);
    {
        let view = state.view.read().await;
        closed = view.closed_count();
        let rates = view.grade_win_rates();
        let keep = |l: &crate::kpi::view::ViewLead| {
            !l.facts.status.is_closed() && actor.can_see(l.facts.owner.as_deref(), l.facts.team.as_deref())
        };
        let facts = view.value_facts(keep, since, now);
        let probability = |i: usize| {
            let (l, f) = (&view.view_leads()[i], facts[i].expect("a kept lead has facts"));
            match &model {
                Some(m) => m.probability(&features(&l.facts, &f.now, now)),
                None => rates.of(l.facts.grade),
            }
        };
        for (i, (l, f)) in view.view_leads().iter().zip(&facts).enumerate() {
            let Some(f) = f else { continue };
            let activity = f.now.activity(l.facts.created_at, now);
            tiers[tier_slot(activity.tier)] += 1;
            if let Some(b) = f.before.map(|b| b.activity(l.facts.created_at, since).tier) {
                tiers_before[tier_slot(b)] += 1;
                moves[tier_slot(b)][tier_slot(activity.tier)] += 1;
                if tier_slot(activity.tier) < tier_slot(b) {
                    warmed.push((activity.score, i));
                }
            }
            if f.last_touch.is_none_or(|t| t < week_start) {
                unfollowed.push((probability(i).unwrap_or(-1.0), i));
            }
        }
        let code = |i: usize| view.view_leads()[i].facts.code.as_str();
        warmed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| code(a.1).cmp(code(b.1))));
        let top = unfollowed.len().min(LIST_LIMIT);
        if top > 0 {
            unfollowed
                .select_nth_unstable_by(top - 1, |a, b| b.0.total_cmp(&a.0).then_with(|| code(a.1).cmp(code(b.1))));
        }
        unfollowed[..top].sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| code(a.1).cmp(code(b.1))));
        warmed_rows = rows(&mut warmed.iter().take(LIST_LIMIT).map(|w| w.1), &view, &facts);
        unfollowed_rows = rows(&mut unfollowed[..top].iter().map(|u| u.1), &view, &facts);
        for (row, &(p, _)) in unfollowed_rows.iter_mut().zip(&unfollowed) {
            row.probability = (p >= 0.0).then_some(p);
        }
        for (row, &(_, i)) in warmed_rows.iter_mut().zip(&warmed) {
            row.probability = probability(i);
        }
    }
    let (warmed_total, unfollowed_total) = (warmed.len() as u64, unfollowed.len() as u64);
    {
        let index = state.index.read().await;
        for r in warmed_rows.iter_mut().chain(unfollowed_rows.iter_mut()) {
            if let Some(card) = index.get(&r.code) {
                r.company = card.company.clone();
                r.owner_name = card.owner_name.clone().or(card.owner.clone());
            }
        }
    }
    Ok(ValueOverview {
        days,
        since,
        week_start,
        tiers,
        tiers_before,
        moves,
        warmed: warmed_rows,
        warmed_total,
        unfollowed: unfollowed_rows,
        unfollowed_total,
        model,
        closed,
    })
}

/// What the lead form computes a lead's potential from: the model without its quality (the
/// browser needs the weights alone), the grades' win rates, and for an existing lead the actor
/// may see, its activity, response and age now.
pub async fn potential_inputs(
    state: &AppState,
    actor: &Actor,
    code: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<crate::value::PotentialInputs> {
    use crate::domain::enums::Grade;
    let model = state.value_model().map(|m| Model { quality: None, ..(*m).clone() });
    let rates = state.view.read().await.grade_win_rates();
    let (activity, responded, days) = match code {
        Some(code) => {
            let lead = super::visible_lead(state, actor, code).await?;
            let recent = state.index.read().await.recent(code).unwrap_or_default();
            let f = features(&LeadFacts::of_lead(&lead), &recent, now);
            (f.activity as u8, f.responded, f.days)
        }
        None => (0, false, 0.0),
    };
    Ok(crate::value::PotentialInputs {
        model,
        grade_rates: [Grade::S, Grade::A, Grade::B, Grade::C].map(|g| rates.of(g)),
        activity,
        responded,
        days,
    })
}
