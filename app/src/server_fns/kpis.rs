//! The dashboard's server functions: a KPI set for a period and slice (the same numbers as
//! `GET /api/v1/kpis`), and the weekly trend of a period.
use crate::error::UiError;
use crate::kpi::{KpiReport, Kpis};
use leptos::prelude::*;
#[cfg_attr(not(feature = "ssr"), allow(unused_imports))]
use leptos::server_fn::codec::{Json, Postcard};
use serde::{Deserialize, Serialize};

/// One week of a trend: the KPI set of `[from, to)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub from: String,
    pub to: String,
    pub kpis: Kpis,
}

#[cfg(feature = "ssr")]
fn period(from: &str, to: &str, tz: chrono_tz::Tz) -> Result<crate::kpi::Period, UiError> {
    use crate::domain::validate::Problem;
    crate::kpi::Period::parse(from, to, tz).map_err(|e| {
        UiError::Invalid(vec![Problem::new("period", crate::domain::validate::ProblemCode::BadTime, e.to_string())])
    })
}

/// The KPI set of `[from, to)` (YYYY-MM-DD, workspace time zone) over the leads the viewer
/// may see, sliced by `by` (source, grade, owner, team, region, industry) when given.
#[server(prefix = "/rpc", endpoint = "kpis", input = Json, output = Postcard)]
pub async fn load_kpis(from: String, to: String, by: Option<String>) -> Result<KpiReport, UiError> {
    let (state, actor) = super::acting().await?;
    let settings = state.settings.read().await.clone();
    let period = period(&from, &to, settings.tz())?;
    let by = match by.as_deref().filter(|b| !b.is_empty()) {
        None => None,
        Some(b) => Some(crate::kpi::Dimension::parse(b).ok_or_else(|| {
            UiError::Invalid(vec![crate::domain::validate::Problem::new(
                "by",
                crate::domain::validate::ProblemCode::UnknownValue,
                format!("`{b}` is not a dimension"),
            )])
        })?),
    };
    let view = state.view.read().await;
    Ok(crate::kpi::compute(&view, &period, by, &settings, |l| {
        actor.can_see(l.facts.owner.as_deref(), l.facts.team.as_deref())
    }))
}

/// The KPI set of each week (Monday to Sunday, the last one cut at `to`) from the week that
/// holds `from` until `to`; at most 60 weeks.
#[server(prefix = "/rpc", endpoint = "kpi_trend", input = Json, output = Postcard)]
pub async fn load_trend(from: String, to: String) -> Result<Vec<TrendPoint>, UiError> {
    use chrono::Datelike;
    let (state, actor) = super::acting().await?;
    let settings = state.settings.read().await.clone();
    let whole = period(&from, &to, settings.tz())?;
    let mut weeks = Vec::new();
    let mut start = whole.from - chrono::Duration::days(i64::from(whole.from.weekday().num_days_from_monday()));
    while start < whole.to && weeks.len() < 60 {
        let end = (start + chrono::Duration::days(7)).min(whole.to);
        weeks.push(crate::kpi::Period::new(start, end, settings.tz()).map_err(|_| UiError::Server)?);
        start = end;
    }
    let view = state.view.read().await;
    // One pass over the view for every week at once.
    let kpis = crate::kpi::trend(&view, &weeks, &settings, |l| {
        actor.can_see(l.facts.owner.as_deref(), l.facts.team.as_deref())
    });
    let points: Vec<TrendPoint> = weeks
        .iter()
        .zip(kpis)
        .map(|(w, kpis)| TrendPoint { from: w.from.to_string(), to: w.to.to_string(), kpis })
        .collect();
    Ok(points)
}
