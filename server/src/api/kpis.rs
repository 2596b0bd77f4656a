//! `GET /api/v1/kpis`: a KPI set for a period, optionally sliced, over the leads the caller sees.
use super::ApiQuery;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::validate::ProblemCode;
use app::kpi::{compute, Dimension, KpiReport};
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
    let period = super::evaluation::period_of(q.from.as_deref(), q.to.as_deref(), settings.tz())?;
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
