//! The versioned JSON API (`/api/v1`), as API.md defines it.
pub mod duplicates;
pub mod embeds;
pub mod evaluation;
pub mod events;
pub mod feedback;
pub mod import;
pub mod intake;
pub mod kpis;
pub mod leads;
pub mod people;
pub mod plans;
pub mod scores;
pub mod settings;
pub mod sheets;
pub mod strategies;
pub mod tasks;
pub mod value;

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::scoring::{Score, ScoreInputs};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use utoipa::OpenApi;

/// A history bundle may be up to 64 MiB (`/api/v1/import`); larger ones get 413.
pub const IMPORT_BODY_LIMIT: usize = 64 * 1024 * 1024;
/// Every other body: 1 MiB.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A JSON body: malformed JSON answers 400, an oversized body 413, both in the API's shape.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = RawBody::from_request(req, state).await?.0;
        if bytes.is_empty() {
            return Err(ApiError::Malformed("the body is empty; send a JSON object".into()));
        }
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::Malformed(format!("the body is not valid JSON: {e}")))
    }
}

/// A body as it came (a spreadsheet; JSON bodies read through it): one larger than its
/// endpoint takes answers 413 in the API's shape.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let limit = match req.uri().path() {
            "/api/v1/import" => IMPORT_BODY_LIMIT,
            "/api/v1/leads/import" => app::ssr::service::sheet_import::MAX_SHEET_BYTES,
            _ => BODY_LIMIT,
        };
        Bytes::from_request(req, state).await.map(RawBody).map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge(limit)
            } else {
                ApiError::Malformed(format!("could not read the body: {e}"))
            }
        })
    }
}

/// A query string: one that does not parse answers 400 in the API's shape.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(query)
            .map(ApiQuery)
            .map_err(|e| ApiError::Malformed(format!("the query string does not parse: {e}")))
    }
}

/// An `/api/v1` path that names nothing.
pub async fn no_such_endpoint() -> ApiError {
    ApiError::NotFound("no such API endpoint".into())
}

/// A method an endpoint does not take.
pub async fn wrong_method() -> ApiError {
    ApiError::WrongMethod
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/score", post(score))
        .route("/api/v1/me", get(me))
        .route("/api/v1/import", post(import::import).layer(axum::extract::DefaultBodyLimit::max(IMPORT_BODY_LIMIT)))
        .route("/api/v1/kpis", get(kpis::kpis))
        .route("/api/v1/kpis/compare", get(kpis::compare))
        .route("/api/v1/leads", get(leads::list).post(leads::create))
        .route("/api/v1/leads/{code}", get(leads::get).patch(leads::patch))
        .route("/api/v1/leads/{code}/move", post(leads::move_lead))
        .route("/api/v1/leads/{code}/interactions", post(leads::log_interaction))
        .route("/api/v1/tokens", post(leads::create_token))
        .route("/api/v1/users", get(people::list_users).post(people::create_user))
        .route("/api/v1/users/{key}", get(people::get_user).patch(people::patch_user))
        .route("/api/v1/users/{key}/password", post(people::reset_password))
        .route("/api/v1/users/{key}/reassign", post(people::reassign))
        .route("/api/v1/users/{key}/tokens", get(people::tokens))
        .route("/api/v1/users/{key}/tokens/{id}", axum::routing::delete(people::revoke_token))
        .route("/api/v1/teams", get(people::list_teams).post(people::create_team))
        .route("/api/v1/settings", get(settings::get).put(settings::put))
        .route("/api/v1/duplicates", get(duplicates::groups))
        .route("/api/v1/duplicates/keep-apart", post(duplicates::keep_apart))
        .route("/api/v1/tasks", get(tasks::list).post(tasks::create))
        .route("/api/v1/tasks/{id}/done", post(tasks::done))
        .route("/api/v1/reminders", get(tasks::reminders))
        .route("/api/v1/sla", get(tasks::sla))
        .route("/api/v1/tasks/routine", post(scores::plan_routine))
        .route("/api/v1/leads/{code}/override", axum::routing::put(scores::override_part))
        .route("/api/v1/leads/{code}/score-review", post(scores::review))
        .route("/api/v1/score-review", get(scores::queue))
        .route("/api/v1/plan-templates", get(plans::templates).put(plans::put_templates))
        .route("/api/v1/leads/{code}/plan", get(plans::get).put(plans::put))
        .route("/api/v1/leads/{code}/milestones", post(plans::check))
        .route("/api/v1/leads/{code}/feedback", post(feedback::create))
        .route("/api/v1/feedback", get(feedback::list))
        .route("/api/v1/feedback/stats", get(feedback::stats))
        .route("/api/v1/feedback/{id}", get(feedback::get).patch(feedback::patch))
        .route("/api/v1/leads/export", get(sheets::export))
        .route(
            "/api/v1/leads/import",
            post(sheets::import)
                .layer(axum::extract::DefaultBodyLimit::max(app::ssr::service::sheet_import::MAX_SHEET_BYTES)),
        )
        .route("/api/v1/embeds", get(embeds::list).post(embeds::create))
        .route("/api/v1/embeds/{id}", axum::routing::delete(embeds::revoke))
        .route("/api/v1/intake-forms", get(intake::list).post(intake::create))
        .route("/api/v1/intake-forms/{key}", axum::routing::patch(intake::update))
        .route("/api/v1/leads/{code}/merge", post(duplicates::merge))
        .route("/api/v1/settings/preview", post(settings::preview))
        .route("/api/v1/leads/{code}/value", get(value::lead_value))
        .route("/api/v1/value/model", get(value::model).post(value::refit))
        .route("/api/v1/strategies", get(evaluation::strategies))
        .route("/api/v1/strategy-variants", get(strategies::list).post(strategies::create))
        .route("/api/v1/strategy-variants/{key}", axum::routing::patch(strategies::update))
        .route("/api/v1/strategy-variants/{key}/assign", post(strategies::assign))
        .route("/api/v1/alerts/teams", get(evaluation::team_alerts))
        .route("/api/v1/reports/weekly", get(evaluation::weekly))
        .route("/api/v1/events", get(events::events))
        .route(app::wire::EVENTS_URL, get(events::page_events))
        .method_not_allowed_fallback(wrong_method)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
}

/// Scores a lead's inputs with the workspace's rules (the same code as the live score in
/// the browser).
#[utoipa::path(post, path = "/api/v1/score", request_body = ScoreInputs, security(()),
    responses((status = 200, body = Score), (status = 400), (status = 422)))]
pub async fn score(State(state): State<AppState>, JsonBody(body): JsonBody) -> ApiResult<Json<Score>> {
    let mut problems = Vec::new();
    let mut f = app::domain::validate::Fields::new(&body, String::new(), &mut problems);
    let inputs = ScoreInputs {
        employees: f.opt_u32("employees", 10_000_000),
        budget: f.opt_amount("budget"),
        decision_months: f.opt_u32("decision_months", 600),
        decision_chain: f.opt_enum("decision_chain"),
    };
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let settings = state.settings.read().await;
    Ok(Json(app::scoring::score(&inputs, &settings.scoring)))
}

/// The acting user.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200), (status = 401)))]
pub async fn me(actor: Actor) -> Json<Value> {
    Json(json!({
        "user": actor.user, "name": actor.name, "role": actor.role,
        "rep": actor.rep, "teams": actor.teams,
    }))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Genjin API", version = "1", description = "Leads, follow-ups, pipeline moves and KPIs of a Genjin workspace."),
    paths(
        score, me, import::import, kpis::kpis, kpis::compare, leads::list, leads::create, leads::get, leads::patch,
        leads::move_lead, leads::log_interaction, leads::create_token, events::events,
        people::list_users, people::create_user, people::get_user, people::patch_user, people::reset_password,
        people::reassign, people::tokens, people::revoke_token, people::list_teams, people::create_team,
        settings::get, settings::put, settings::preview, duplicates::groups, duplicates::keep_apart, duplicates::merge, tasks::list, tasks::create, tasks::done, tasks::sla, tasks::reminders,
        scores::override_part, scores::review, scores::queue, scores::plan_routine,
        plans::templates, plans::put_templates, plans::get, plans::put, plans::check, feedback::create, feedback::get, feedback::patch, feedback::list, feedback::stats,
        sheets::export, sheets::import, intake::list, intake::create, intake::update, intake::submit,
        embeds::list, embeds::create, embeds::revoke,
        value::lead_value, value::model, value::refit, evaluation::strategies, evaluation::team_alerts, evaluation::weekly,
        strategies::list, strategies::create, strategies::update, strategies::assign,
    ),
    components(schemas(
        app::domain::lead::Lead, app::domain::lead::LeadProfile, app::domain::lead::StageMove,
        app::kpi::KpiReport, app::kpi::Kpis, app::kpi::KpiGroup, app::kpi::FunnelStep,
        app::domain::bundle::Bundle, app::domain::bundle::BundleCounts, app::domain::validate::Problem,
        app::domain::users::User, app::domain::users::Team, app::domain::embed::Embed,
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        openapi.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
    }
}

/// The OpenAPI 3 document of every `/api/v1` endpoint, generated from the code.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
