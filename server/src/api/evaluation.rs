//! Evaluating the follow-up (API.md "Evaluation", PRODUCT.md §7, §14): the strategy
//! comparison, the team alert and the 周报 weekly report — thin doors onto the shared
//! computations and `service::reports`.
use super::ApiQuery;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::enums::Role;
use app::domain::validate::ProblemCode;
use app::kpi::{Period, PeriodError};
use app::ssr::service::reports::{self, WeeklyScope};
use app::value::alerts::{parse_month, TeamAlerts};
use app::value::compare::StrategyReport;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PeriodQuery {
    /// First day (YYYY-MM-DD, workspace time zone).
    pub from: Option<String>,
    /// Day after the last day.
    pub to: Option<String>,
}

/// A period from `from` and `to`, both required.
pub fn period_of(from: Option<&str>, to: Option<&str>, tz: chrono_tz::Tz) -> ApiResult<Period> {
    let (Some(from), Some(to)) = (from, to) else {
        let missing = if from.is_none() { "from" } else { "to" };
        return Err(ApiError::invalid(missing, ProblemCode::Required, "is required (YYYY-MM-DD)"));
    };
    Period::parse(from, to, tz).map_err(|e| match &e {
        PeriodError::BadDate(d) if d == from => ApiError::invalid("from", ProblemCode::BadTime, e.to_string()),
        PeriodError::BadDate(_) => ApiError::invalid("to", ProblemCode::BadTime, e.to_string()),
        PeriodError::Empty => ApiError::invalid("to", ProblemCode::BadOrder, e.to_string()),
    })
}

#[utoipa::path(get, path = "/api/v1/strategies", params(PeriodQuery),
    responses((status = 200, body = StrategyReport, description = "`{variants: [{key, leads, won, lost, conversion, response_rate, cycle_days}], test: {a, b, z, p_value, significant, leads_needed, more_needed} | null}` over the leads of the period with a strategy that the caller sees; the test compares the two largest variants"),
        (status = 401), (status = 422)))]
pub async fn strategies(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> ApiResult<Json<StrategyReport>> {
    let tz = state.settings.read().await.tz();
    let period = period_of(q.from.as_deref(), q.to.as_deref(), tz)?;
    let view = state.view.read().await;
    Ok(Json(view.compare_strategies(&period, |l| actor.can_see(l.facts.owner.as_deref(), l.facts.team.as_deref()))))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MonthQuery {
    /// The last of the three months (YYYY-MM).
    pub month: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/alerts/teams", params(MonthQuery),
    responses((status = 200, body = TeamAlerts, description = "`{teams: [{team, months: [{month, rate, workspace_rate, leads, won}], mix: {leads, grades, sources}}], workspace_mix}`: the teams below 80 % of the workspace's conversion rate in each of the three months ending with `month` (managers: their teams)"),
        (status = 401), (status = 403), (status = 422)))]
pub async fn team_alerts(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> ApiResult<Json<TeamAlerts>> {
    if actor.role == Role::Rep {
        return Err(ApiError::Forbidden("the team alert is shown to managers and admins".into()));
    }
    let month = q.month.as_deref().unwrap_or("");
    let Some(first) = parse_month(month) else {
        let code = if month.is_empty() { ProblemCode::Required } else { ProblemCode::BadTime };
        return Err(ApiError::invalid("month", code, "is required as YYYY-MM"));
    };
    let tz = state.settings.read().await.tz();
    let view = state.view.read().await;
    Ok(Json(view.team_alerts(first, tz, |team| actor.is_admin() || actor.teams.iter().any(|t| t == team))))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct WeeklyQuery {
    /// The ISO week (YYYY-Www); this week when left out.
    pub week: Option<String>,
    pub team: Option<String>,
    pub rep: Option<String>,
    /// json (the default), xlsx or html.
    pub format: Option<String>,
    /// zh (the default) or en, for xlsx and html.
    pub lang: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reports/weekly", params(WeeklyQuery),
    responses((status = 200, body = reports::WeeklyReport, description = "The 周报: `{week, from, to, team, rep, kpis, last_week, changes: [{key, this_week, last_week, change, relative}], status_changes, new_leads, won_leads, lost_leads, loss_reasons, risks: {stale, sla_breaches, open_feedback}, totals, generated_at}`; `format=xlsx` a workbook, `format=html` a printable page"),
        (status = 401), (status = 403), (status = 422)))]
pub async fn weekly(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<WeeklyQuery>,
) -> ApiResult<Response> {
    let tz = state.settings.read().await.tz();
    let now = chrono::Utc::now();
    let monday = match q.week.as_deref().filter(|w| !w.is_empty()) {
        Some(w) => reports::parse_week(w).ok_or_else(|| {
            ApiError::invalid("week", ProblemCode::BadTime, format!("`{w}` is not an ISO week (YYYY-Www)"))
        })?,
        None => {
            let today = now.with_timezone(&tz).date_naive();
            today - chrono::Duration::days(i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()))
        }
    };
    let scope =
        WeeklyScope { team: q.team.clone().filter(|t| !t.is_empty()), rep: q.rep.clone().filter(|r| !r.is_empty()) };
    let format = q.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "" | "xlsx" | "html") {
        return Err(ApiError::invalid(
            "format",
            ProblemCode::UnknownValue,
            format!("`{format}` is not one of json, xlsx, html"),
        ));
    }
    // The printable view shows each list's first rows; JSON and the workbook hold them all.
    let rows = (format == "html").then_some(app::ssr::evaluation::weekly::PRINT_ROWS);
    let report = reports::weekly(&state, &actor, monday, &scope, now, rows).await?;
    let lang = app::i18n::Lang::from_code(q.lang.as_deref().unwrap_or("zh"));
    let names = || async {
        let people = app::ssr::service::leads::people(&state, &actor).await.unwrap_or_default();
        app::kpi::breakdown::names_of(&people)
    };
    match format {
        "xlsx" => {
            let bytes = app::ssr::evaluation::weekly::workbook(lang, &report, &names().await, tz)
                .map_err(ApiError::Internal)?;
            let name = format!("weekly-{}.xlsx", report.week);
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                    ),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                ],
                bytes,
            )
                .into_response())
        }
        "html" => {
            let html = app::ssr::evaluation::weekly::printable(lang, &report, &scope, &names().await);
            let mut response = axum::response::Html(html).into_response();
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                header::HeaderValue::from_static(
                    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                ),
            );
            Ok(response)
        }
        _ => Ok(Json(report).into_response()),
    }
}
