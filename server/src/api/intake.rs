//! Web-form intake (API.md "Leads in and out"): an admin's intake forms, and the public
//! endpoint a company website posts leads to — no token, JSON or form-encoded, a honeypot,
//! at most 20 posts a minute from one address, CORS for the form's own origins only.
use super::JsonBody;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::intake::{FormFields, IntakeForm};
use app::ssr::service::intake as service;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

#[utoipa::path(get, path = "/api/v1/intake-forms",
    responses((status = 200, description = "`{items: [IntakeForm]}`"), (status = 401), (status = 403)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "items": service::forms(&state, &actor).await? })))
}

#[utoipa::path(post, path = "/api/v1/intake-forms",
    request_body(content = Object, description = "`{\"name\": \"官网咨询\", \"origins\": [\"https://www.example.com\"]}`"),
    responses((status = 201, body = IntakeForm), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<IntakeForm>)> {
    actor.require_admin()?;
    let fields = FormFields::read(&body, true).map_err(ApiError::Invalid)?;
    Ok((StatusCode::CREATED, Json(service::create(&state, &actor, fields).await?)))
}

#[utoipa::path(patch, path = "/api/v1/intake-forms/{key}", params(("key" = String, Path)),
    request_body(content = Object, description = "`name`, `origins`, `active`"),
    responses((status = 200, body = IntakeForm), (status = 400), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(key): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<IntakeForm>> {
    actor.require_admin()?;
    let fields = FormFields::read(&body, false).map_err(ApiError::Invalid)?;
    Ok(Json(service::update(&state, &actor, &key, fields).await?))
}

/// Reads a website's post: a JSON object, or an HTML form's fields.
fn posted_fields(headers: &HeaderMap, body: &[u8]) -> ApiResult<Map<String, Value>> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|e| ApiError::Malformed(format!("the form post does not parse: {e}")))?;
        return Ok(pairs.into_iter().map(|(k, v)| (k, Value::String(v))).collect());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::Malformed("send a JSON object or an HTML form post".into())),
        Err(e) => Err(ApiError::Malformed(format!("the body is neither a form post nor valid JSON: {e}"))),
    }
}

#[utoipa::path(post, path = "/api/v1/intake/{key}", params(("key" = String, Path)), security(()),
    request_body(content = Object, description = "`company`, `contact_name`, `contact_title`, `phone`, `email`, `need`, `industry`, `region`, `employees`, `budget`, `decision_months`, `page`, `keywords`; the honeypot `website` must stay empty. JSON or form-encoded."),
    responses((status = 201, description = "`{\"received\": true}`"), (status = 400), (status = 404), (status = 422),
        (status = 429, description = "more than 20 posts a minute from one address")))]
pub async fn submit(
    State(state): State<AppState>,
    Path(key): Path<String>,
    client: Option<axum::Extension<axum::extract::ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    // The limit counted across every app server (the governor in front counts this one's).
    let address = client.map(|c| c.0 .0.ip()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let per_minute = INTAKE_BURST;
    if let Err(wait) =
        app::ssr::defence::rate::count(&state.db, &format!("intake|{address}"), per_minute, chrono::Utc::now()).await?
    {
        let mut r =
            ApiError::Limit(format!("too many posts from this address; try again in {wait} seconds")).into_response();
        r.headers_mut().insert(header::RETRY_AFTER, wait.into());
        return Ok(r);
    }
    let posted = posted_fields(&headers, &body)?;
    service::submit(&state, &key, &posted).await?;
    // An HTML form without script goes back to the page the form names (on the form's own
    // site), else it is answered in JSON. A robot's post is answered alike.
    if let Some(next) = posted.get("_next").and_then(Value::as_str) {
        let origin = next.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        if service::allows_origin(&state, &key, &origin).await {
            return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, next.to_string())]).into_response());
        }
    }
    Ok((StatusCode::CREATED, Json(json!({ "received": true }))).into_response())
}

/// Posts are counted per client address (the peer's; a proxy in front should be configured
/// to pass one address per visitor).
#[derive(Debug, Clone, Copy)]
struct ClientAddress;

impl KeyExtractor for ClientAddress {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(req
            .extensions()
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }
}

/// How many posts one address may make in a burst, and how fast the allowance refills
/// (20 a minute).
pub const INTAKE_BURST: u32 = 20;
pub const INTAKE_REFILL: Duration = Duration::from_secs(3);

/// The public intake route, with its rate limit and CORS for each form's own origins.
pub fn public_router(state: AppState) -> Router<AppState> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let config = GovernorConfigBuilder::default()
        .period(INTAKE_REFILL)
        .burst_size(INTAKE_BURST)
        .key_extractor(ClientAddress)
        .finish()
        .map(Arc::new);
    let cors = CorsLayer::new()
        .allow_methods([axum::http::Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(Duration::from_secs(3600))
        .allow_origin(AllowOrigin::async_predicate(move |origin, parts| {
            let state = state.clone();
            let key = parts.uri.path().rsplit('/').next().unwrap_or_default().to_string();
            async move {
                match origin.to_str() {
                    Ok(origin) => service::allows_origin(&state, &key, origin).await,
                    Err(_) => false,
                }
            }
        }));
    let route = post(submit);
    let route = match config {
        Some(config) => route.layer(GovernorLayer::new(config).error_handler(|e| {
            let wait = match e {
                GovernorError::TooManyRequests { wait_time, .. } => wait_time,
                _ => 3,
            };
            let mut r = ApiError::Limit(format!("too many posts from this address; try again in {wait} seconds"))
                .into_response();
            r.headers_mut().insert(header::RETRY_AFTER, wait.into());
            r.map(axum::body::Body::new)
        })),
        None => route,
    };
    Router::new().route("/api/v1/intake/{key}", route.layer(cors))
}
