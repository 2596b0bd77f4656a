//! The service's errors, which the REST layer answers in the API's JSON shape
//! (`{"error": {"code", "message", "details"}}`) and the server functions turn into a
//! [`crate::error::UiError`]. A repository error is never shown as it is: its text goes to the
//! log, and a conflict that outlived its retries is a 409.
use crate::domain::validate::{Problem, ProblemCode};
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
    /// Concurrent writes to the same record kept conflicting: nothing was written; try again.
    #[error("the record is being changed by someone else right now; nothing was written, please try again")]
    Busy,
    /// Too many failed attempts (sign-in): try again after this many seconds.
    #[error("too many failed attempts; try again in {0} seconds")]
    TooManyAttempts(u64),
    #[error("this endpoint does not take that method")]
    WrongMethod,
    /// A bound on open resources was reached (e.g. live event streams per user).
    #[error("{0}")]
    Limit(String),
    /// The request is not allowed from where it came (a cross-site request with the cookie).
    #[error("{0}")]
    CrossSite(String),
    /// The lead was merged into another (its code answers with the survivor's).
    #[error("this lead was merged into {0}")]
    Merged(String),
    /// The database's disk is full: nothing was written.
    #[error("the database's disk is full: nothing was written; an administrator must free space, then try again")]
    StorageFull,
    #[error("internal error")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn invalid(path: &str, code: ProblemCode, message: impl Into<String>) -> ApiError {
        ApiError::Invalid(vec![Problem::new(path, code, message)])
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
            ApiError::Busy => StatusCode::CONFLICT,
            ApiError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::CrossSite(_) => StatusCode::FORBIDDEN,
            ApiError::Limit(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::WrongMethod => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Merged(_) => StatusCode::GONE,
            ApiError::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Malformed(_) => "malformed",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "version_conflict",
            ApiError::Invalid(_) => "invalid",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Busy => "busy",
            ApiError::TooManyAttempts(_) => "too_many_attempts",
            ApiError::CrossSite(_) => "cross_site",
            ApiError::Limit(_) => "too_many_requests",
            ApiError::WrongMethod => "method_not_allowed",
            ApiError::Merged(_) => "merged",
            ApiError::StorageFull => "storage_full",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn body(&self) -> Value {
        let details = match self {
            ApiError::Invalid(problems) => json!(problems),
            ApiError::Conflict(current) => json!({ "current": current }),
            ApiError::TooManyAttempts(secs) => json!({ "retry_after": secs }),
            ApiError::Merged(into) => json!({ "merged_into": into }),
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
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::TooManyAttempts(secs) = &self {
            if let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl From<crate::ssr::repo::RepoError> for ApiError {
    fn from(e: crate::ssr::repo::RepoError) -> Self {
        use crate::ssr::repo::RepoError;
        match e {
            RepoError::Busy => ApiError::Busy,
            RepoError::StorageFull => {
                tracing::error!("a write failed: the database's disk is full");
                ApiError::StorageFull
            }
            RepoError::WriteTooLarge => ApiError::invalid(
                "",
                ProblemCode::TooLarge,
                "too much to write in one go: nothing was written; send it in several parts",
            ),
            RepoError::Exists => ApiError::invalid(
                "",
                ProblemCode::Duplicate,
                "a record being written exists already in the workspace; nothing was written",
            ),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<surrealdb::Error> for ApiError {
    fn from(e: surrealdb::Error) -> Self {
        crate::ssr::repo::RepoError::from(e).into()
    }
}
