//! `GET /api/v1/kpis`: a KPI set for a period, optionally sliced, over the leads the caller sees.
use super::ApiQuery;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::validate::ProblemCode;
use app::kpi::{compute, Dimension, KpiReport, Period, PeriodError};
use axum::extract::State;
use axum::Json;
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct KpiQuery {
    /// First day of the period (YYYY-MM-DD, workspace time zone).
    pub from: Option<String>,
    /// Day after the last day of the period.
    pub to: Option<String>,
    /// source, grade, owner, team, region or industry.
    pub by: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/kpis", params(KpiQuery),
    responses((status = 200, body = KpiReport), (status = 401), (status = 422)))]
pub async fn kpis(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<KpiQuery>,
) -> ApiResult<Json<KpiReport>> {
    let settings = state.settings.read().await.clone();
    let (Some(from), Some(to)) = (q.from.as_deref(), q.to.as_deref()) else {
        let missing = if q.from.is_none() { "from" } else { "to" };
        return Err(ApiError::invalid(missing, ProblemCode::Required, "is required (YYYY-MM-DD)"));
    };
    let period = Period::parse(from, to, settings.tz()).map_err(|e| match &e {
        PeriodError::BadDate(d) if d == from => ApiError::invalid("from", ProblemCode::BadTime, e.to_string()),
        PeriodError::BadDate(_) => ApiError::invalid("to", ProblemCode::BadTime, e.to_string()),
        PeriodError::Empty => ApiError::invalid("to", ProblemCode::BadOrder, e.to_string()),
    })?;
    let by = match q.by.as_deref().filter(|b| !b.is_empty()) {
        None => None,
        Some(b) => Some(Dimension::parse(b).ok_or_else(|| {
            ApiError::invalid(
                "by",
                ProblemCode::UnknownValue,
                format!("`{b}` is not one of source, grade, owner, team, region, industry"),
            )
        })?),
    };
    let view = state.view.read().await;
    let report =
        compute(&view, &period, by, &settings, |l| actor.can_see(l.facts.owner.as_deref(), l.facts.team.as_deref()));
    Ok(Json(report))
}
