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
    crate::kpi::Period::parse(from, to, tz).map_err(|e| UiError::Invalid(vec![Problem::new("period", e.to_string())]))
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
            UiError::Invalid(vec![crate::domain::validate::Problem::new("by", format!("`{b}` is not a dimension"))])
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
    let mut start = whole.from - chrono::Duration::days(i64::from(whole.from.weekday().num_days_from_monday()));
    let view = state.view.read().await;
    let mut points = Vec::new();
    while start < whole.to && points.len() < 60 {
        let end = (start + chrono::Duration::days(7)).min(whole.to);
        let week = crate::kpi::Period::new(start, end, settings.tz()).map_err(|_| UiError::Server)?;
        let report = crate::kpi::compute(&view, &week, None, &settings, |l| {
            actor.can_see(l.facts.owner.as_deref(), l.facts.team.as_deref())
        });
        points.push(TrendPoint { from: start.to_string(), to: end.to_string(), kpis: report.total });
        start = end;
    }
    Ok(points)
}
