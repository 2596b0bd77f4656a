//! Spreadsheets in and out (API.md "Leads in and out"): a lead list exported as CSV or xlsx,
//! and a CSV or xlsx file previewed and imported. Thin doors onto the service.
use super::leads::{filter_of, ListQuery};
use super::{ApiQuery, RawBody};
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::domain::sheet_report::ImportReport;
use app::domain::validate::ProblemCode;
use app::i18n::Lang;
use app::ssr::service::export::{self, Format};
use app::ssr::service::sheet_import::{self, SheetImport};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx`.
    pub format: Option<String>,
    /// Header language, `zh-CN` or `en`; the caller's own by default.
    pub lang: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/leads/export", params(ExportQuery, ListQuery),
    responses((status = 200, description = "the leads the caller may see, one row each (CSV with BOM or xlsx)"),
        (status = 401), (status = 422)))]
pub async fn export(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<ExportQuery>,
    ApiQuery(list): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let format = match q.format.as_deref().filter(|f| !f.is_empty()) {
        None => Format::Csv,
        Some(f) => Format::parse(f)
            .ok_or_else(|| ApiError::invalid("format", ProblemCode::UnknownValue, "must be `csv` or `xlsx`"))?,
    };
    let lang = match q.lang.as_deref().filter(|l| !l.is_empty()) {
        Some(l) => Lang::from_code(l),
        None => app::ssr::repo::sessions::lang_of(&state.db, &actor.user).await?,
    };
    let filter = filter_of(&list)?;
    let (bytes, name) = export::leads(&state, &actor, &filter, format, lang).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok((headers, Bytes::from(bytes)).into_response())
}

/// A spreadsheet body: its bytes and content type.
pub fn content_type(headers: &HeaderMap) -> Option<String> {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// `false` (default): check only; `true`: write the valid rows.
    pub commit: Option<String>,
    /// Corrections to the column mapping, as JSON: `{"客户": "company", "备用": null}`.
    pub columns: Option<String>,
    /// The language of the field names in the answer, `zh-CN` or `en`; the caller's own by
    /// default.
    pub lang: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/leads/import", params(ImportQuery),
    request_body(content = String, description = "a CSV (UTF-8 or GB18030) or xlsx file", content_type = "text/csv"),
    responses((status = 200, description = "`{rows, created, updated, failed: [{row, column, code, message}], duplicates: [{row, leads}], columns, committed}`"),
        (status = 400), (status = 401), (status = 403), (status = 413), (status = 422)))]
pub async fn import(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Json<ImportReport>> {
    let commit = match q.commit.as_deref().unwrap_or("false") {
        "true" | "1" => true,
        "false" | "0" | "" => false,
        _ => return Err(ApiError::invalid("commit", ProblemCode::UnknownValue, "must be `true` or `false`")),
    };
    let columns: HashMap<String, Option<String>> = match q.columns.as_deref().filter(|c| !c.trim().is_empty()) {
        None => HashMap::new(),
        Some(c) => serde_json::from_str(c).map_err(|e| {
            ApiError::invalid(
                "columns",
                ProblemCode::Malformed,
                format!("must be a JSON object of header → field: {e}"),
            )
        })?,
    };
    if body.is_empty() {
        return Err(ApiError::Malformed("the body is empty; send the spreadsheet file".into()));
    }
    let lang = match q.lang.as_deref().filter(|l| !l.is_empty()) {
        Some(l) => Lang::from_code(l),
        None => app::ssr::repo::sessions::lang_of(&state.db, &actor.user).await?,
    };
    let req = SheetImport { bytes: body.to_vec(), content_type: content_type(&headers), columns, commit, lang };
    Ok(Json(sheet_import::import(&state, &actor, req, None).await?))
}
