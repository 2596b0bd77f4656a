//! The API's errors and their JSON shape: `{"error": {"code", "message", "details"}}`.
use crate::domain::validate::Problem;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Malformed(String),
    #[error("authentication required: send `Authorization: Bearer TOKEN`")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// A stale version; carries the current record.
    #[error("the record was changed by someone else; here is its current state")]
    Conflict(Value),
    #[error("the request is invalid")]
    Invalid(Vec<Problem>),
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("internal error")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn invalid(path: &str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid(vec![Problem::new(path, message)])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Malformed(_) => "malformed",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "version_conflict",
            ApiError::Invalid(_) => "invalid",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn body(&self) -> Value {
        let details = match self {
            ApiError::Invalid(problems) => json!(problems),
            ApiError::Conflict(current) => json!({ "current": current }),
            _ => Value::Null,
        };
        let message = match self {
            ApiError::Invalid(p) if p.len() == 1 => format!("{}: {}", p[0].path, p[0].message),
            ApiError::Invalid(p) => format!("{} problems found; nothing was written", p.len()),
            other => other.to_string(),
        };
        json!({"error": {"code": self.code(), "message": message, "details": details}})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            // Database text stays in the log, never in the answer.
            tracing::error!(%detail, "internal error");
        }
        let mut body = self.body();
        if let ApiError::Conflict(current) = &self {
            // The conflict body is the current lead, with the error alongside.
            if let Value::Object(mut lead) = current.clone() {
                lead.insert("error".into(), body["error"].clone());
                body = Value::Object(lead);
            }
        }
        (self.status(), Json(body)).into_response()
    }
}

impl From<surrealdb::Error> for ApiError {
    fn from(e: surrealdb::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}
