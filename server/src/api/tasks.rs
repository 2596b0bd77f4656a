//! Follow-up work (API.md "Follow-up work"): tasks listed, made and done, and the leads past
//! or near their response SLA — thin doors onto `service::tasks`.
use super::{ApiQuery, JsonBody};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::enums::TaskKind;
use app::domain::routine::{Reminders, SlaRow, SlaState, TaskRow};
use app::domain::validate::ProblemCode;
use app::ssr::service::tasks::{self as service, NewTask, TaskQuery};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TasksQuery {
    pub lead: Option<String>,
    pub owner: Option<String>,
    /// `open` (default) or `done`.
    pub status: Option<String>,
    /// An RFC 3339 time: tasks due before it.
    pub due_before: Option<String>,
    /// `follow_up`, `manual`, `feedback` or `confirm_feedback`.
    pub kind: Option<String>,
    /// 1–2,000 (default 200).
    pub limit: Option<String>,
}

/// A `limit` parameter: 1 to `max`, `default` when left out.
pub fn limit_param(v: &Option<String>, default: usize, max: usize) -> ApiResult<usize> {
    match nonempty(v) {
        None => Ok(default),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::invalid(
                "limit",
                ProblemCode::OutOfRange,
                format!("must be a whole number from 1 to {max}"),
            )),
        },
    }
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

#[utoipa::path(get, path = "/api/v1/tasks", params(TasksQuery),
    responses((status = 200, description = "`{items: [task], total}`: open tasks soonest due first (`total`: how many match), done ones newest first; `limit` of them"),
        (status = 400), (status = 401), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<TasksQuery>,
) -> ApiResult<Json<Value>> {
    let due_before = match nonempty(&q.due_before) {
        None => None,
        Some(s) => Some(
            chrono::DateTime::parse_from_rfc3339(&s)
                .map(|d| d.with_timezone(&chrono::Utc))
                .map_err(|_| ApiError::invalid("due_before", ProblemCode::BadTime, "must be an RFC 3339 time"))?,
        ),
    };
    let kind = match nonempty(&q.kind) {
        None => None,
        Some(k) => Some(k.parse::<TaskKind>().map_err(|m| ApiError::invalid("kind", ProblemCode::UnknownValue, m))?),
    };
    let limit = limit_param(&q.limit, service::DEFAULT_LIMIT, service::MAX_TASKS)?;
    let query = TaskQuery {
        lead: nonempty(&q.lead),
        owner: nonempty(&q.owner),
        status: nonempty(&q.status),
        due_before,
        kind,
        limit: Some(limit),
    };
    let (items, total): (Vec<TaskRow>, usize) = service::list(&state, &actor, &query).await?;
    Ok(Json(json!({ "items": items, "total": total })))
}

#[utoipa::path(post, path = "/api/v1/tasks",
    request_body(content = Object, description = "`{\"lead\", \"due_at\", \"title\", \"priority\": \"urgent_important\"|\"important\"|\"urgent\"|\"neither\", \"owner\", \"remind_at\"}`"),
    responses((status = 201, body = TaskRow), (status = 400), (status = 401), (status = 403), (status = 404), (status = 410), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<TaskRow>)> {
    let cmd = NewTask::read(&body).map_err(ApiError::Invalid)?;
    Ok((StatusCode::CREATED, Json(service::create(&state, &actor, cmd).await?)))
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/done", params(("id" = String, Path)),
    responses((status = 200, body = TaskRow), (status = 401), (status = 403), (status = 404)))]
pub async fn done(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<Json<TaskRow>> {
    Ok(Json(service::mark_done(&state, &actor, &id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RemindersQuery {
    /// `zh` (default) or `en`: the language of `text`.
    pub lang: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reminders", params(RemindersQuery),
    responses((status = 200, body = Reminders, description = "the caller's tasks come due now (at their reminder time, else when due; one a lead for its cadence, as My day counts them), the next moment another will, and the one that came due last"),
        (status = 401)))]
pub async fn reminders(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<RemindersQuery>,
) -> Json<Reminders> {
    let lang = app::i18n::Lang::from_code(q.lang.as_deref().unwrap_or("zh"));
    Json(service::reminders(&state, &actor, chrono::Utc::now(), lang).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SlaQuery {
    /// `breached` or `due_soon` (both when left out).
    pub state: Option<String>,
    /// 1–2,000 (default 200).
    pub limit: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/sla", params(SlaQuery),
    responses((status = 200, description = "`{items: [{lead, company, grade, status, owner, owner_name, created_at, due_at, state}], total}`, the earliest due first, `limit` of them"),
        (status = 400), (status = 401), (status = 422)))]
pub async fn sla(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<SlaQuery>,
) -> ApiResult<Json<Value>> {
    let wanted = match nonempty(&q.state).as_deref() {
        None => None,
        Some("breached") => Some(SlaState::Breached),
        Some("due_soon") => Some(SlaState::DueSoon),
        Some(other) => {
            return Err(ApiError::invalid(
                "state",
                ProblemCode::UnknownValue,
                format!("`{other}` is not an SLA state (breached, due_soon)"),
            ))
        }
    };
    let limit = limit_param(&q.limit, service::DEFAULT_LIMIT, service::MAX_TASKS)?;
    let mut items: Vec<SlaRow> = service::sla(&state, &actor, wanted).await;
    let total = items.len();
    items.truncate(limit);
    Ok(Json(json!({ "items": items, "total": total })))
}
