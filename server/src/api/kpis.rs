//! `GET /api/v1/kpis`: a KPI set for a period, optionally sliced, over the leads the caller sees;
//! `GET /api/v1/kpis/compare`: two periods side by side (the dashboard's comparison and its
//! xlsx export).
use super::ApiQuery;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::validate::ProblemCode;
use app::kpi::{compute, Dimension, KpiReport};
use app::ssr::evaluation::periods::{self, PeriodComparison};
use axum::extract::State;
use axum::http::header;
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
    let by = dimension_of(q.by.as_deref())?;
    let view = state.view.read().await;
    let report =
        compute(&view, &period, by, &settings, |l| actor.can_see(l.facts.owner.as_deref(), l.facts.team.as_deref()));
    Ok(Json(report))
}

fn dimension_of(by: Option<&str>) -> ApiResult<Option<Dimension>> {
    match by.filter(|b| !b.is_empty()) {
        None => Ok(None),
        Some(b) => Dimension::parse(b).map(Some).ok_or_else(|| {
            ApiError::invalid(
                "by",
                ProblemCode::UnknownValue,
                format!("`{b}` is not one of source, grade, owner, team, region, industry"),
            )
        }),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CompareQuery {
    /// This period's first day (YYYY-MM-DD, workspace time zone).
    pub from: Option<String>,
    /// The day after this period's last day.
    pub to: Option<String>,
    /// The comparison period's first day.
    pub cfrom: Option<String>,
    /// The day after the comparison period's last day.
    pub cto: Option<String>,
    /// source, grade, owner, team, region or industry: each group compared too.
    pub by: Option<String>,
    /// `json` (default) or `xlsx`.
    pub format: Option<String>,
    /// The workbook's language: `zh` (default) or `en`.
    pub lang: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/kpis/compare", params(CompareQuery),
    responses((status = 200, body = PeriodComparison, description = "every KPI of both periods (`cfrom`–`cto` against `from`–`to`) with its change, relative change and verdict, for the whole and, with `by`, each group — the KPIs API's own numbers; `format=xlsx`: the same as a workbook (the dashboard's export)"),
        (status = 401), (status = 422)))]
pub async fn compare(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let settings = state.settings.read().await.clone();
    let period = super::evaluation::period_of(q.from.as_deref(), q.to.as_deref(), settings.tz())?;
    // The comparison period's problems under its own names.
    let earlier =
        super::evaluation::period_of(q.cfrom.as_deref(), q.cto.as_deref(), settings.tz()).map_err(|e| match e {
            ApiError::Invalid(mut problems) => {
                for p in &mut problems {
                    p.path = format!("c{}", p.path);
                }
                ApiError::Invalid(problems)
            }
            other => other,
        })?;
    let by = dimension_of(q.by.as_deref())?;
    let format = q.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "" | "xlsx") {
        return Err(ApiError::invalid(
            "format",
            ProblemCode::UnknownValue,
            format!("`{format}` is not one of json, xlsx"),
        ));
    }
    let comparison = {
        let view = state.view.read().await;
        let visible = |l: &app::kpi::ViewLead| actor.can_see(l.facts.owner.as_deref(), l.facts.team.as_deref());
        let this = compute(&view, &period, by, &settings, visible);
        let before = compute(&view, &earlier, by, &settings, visible);
        periods::compare(&this, &before)
    };
    if format != "xlsx" {
        return Ok(Json(comparison).into_response());
    }
    let lang = app::i18n::Lang::from_code(q.lang.as_deref().unwrap_or("zh"));
    let people = app::ssr::service::leads::people(&state, &actor).await.unwrap_or_default();
    let bytes =
        periods::workbook(lang, &comparison, &app::kpi::breakdown::names_of(&people)).map_err(ApiError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", periods::file_name(&comparison))),
        ],
        bytes,
    )
        .into_response())
}
