//! Importing leads from a spreadsheet (PRODUCT.md §12 "Spreadsheets in"), for admins and
//! managers: upload a CSV or xlsx file, see how its columns were understood and correct them,
//! see every problem by row and column before anything is written, then import the valid
//! rows in the background with a progress bar and read the report of the rest. A row whose
//! 线索编号 exists updates that lead.
mod mapping;
mod store;
mod template;
mod view;

use crate::domain::sheet_report::ImportReport;
use crate::i18n::Lang;
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::error::ApiError;
use crate::ssr::service::sheet_import::{import, SheetImport, MAX_SHEET_BYTES};
use crate::ssr::state::AppState;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::prelude::*;
use mapping::{choices, columns_for};
use std::collections::HashMap;
use std::sync::Arc;
use store::{Outcome, Upload};

crate::texts! {
    Title: "导入表格", "Import a spreadsheet";
    Template: "下载导入模板", "Download the template";
    UploadTitle: "上传表格", "Upload a spreadsheet";
    File: "表格文件（CSV 或 xlsx）", "Spreadsheet (CSV or xlsx)";
    Check: "上传并检查", "Upload and check";
    UploadHint: "上传后先检查，不会立即写入；检查结果可在 30 分钟内导入。", "The file is checked first; nothing is written yet. You can import it within 30 minutes.";
    FilesTitle: "可以导入的文件", "What files are taken";
    FilesFormat: "CSV（UTF-8，或中文 Excel 默认保存的 GB18030/GBK 编码）或 xlsx（读取第一个工作表），最大 20 MB。", "CSV (UTF-8, or GB18030/GBK as Chinese Excel saves it) or xlsx (the first sheet), up to 20 MB.";
    FilesHeader: "第一行是表头：中文列名，如 线索编号、来源渠道、企业名称、所属行业、区域、员工数、联系人、职位、电话、邮箱、需求描述、预算、决策时间、决策链、获取时间、负责人、标签、备注，或英文字段名（company、phone …）。", "The first row names the columns: Chinese names such as 线索编号, 来源渠道, 企业名称, 所属行业, 区域, 员工数, 联系人, 职位, 电话, 邮箱, 需求描述, 预算, 决策时间, 决策链, 获取时间, 负责人, 标签, 备注, or the English field keys (company, phone …).";
    FilesUpdate: "线索编号已存在的行会更新那条线索，不会重复创建；留空则自动编号。", "A row whose 线索编号 (lead code) exists updates that lead instead of duplicating it; left empty, Genjin numbers the lead.";
    FilesOwner: "负责人留空时按分配规则分配；来源渠道可写中文（展会、官网表单）或英文（trade_show）。", "Without 负责人 (owner) the assignment rules choose the rep; sources may be written in Chinese (展会) or as keys (trade_show).";
    FilesTemplate: "不确定格式时，下载模板照着填写：", "Not sure about the format? Fill in the template:";
    NoFile: "请选择一个 CSV 或 xlsx 文件。", "Choose a CSV or xlsx file.";
    TooBig: "文件太大：最多 20 MB。可以拆成几个文件分别导入。", "The file is too large: at most 20 MB. Split it and import the parts.";
    Broken: "上传没有完成，请重试。", "The upload did not complete; please try again.";
    Unreadable: "这个文件读不出来：", "This file cannot be read: ";
    Expired: "这个文件已过期（保留 30 分钟）或不是你上传的，请重新上传。", "This upload has expired (uploads are kept 30 minutes) or is not yours; please upload the file again.";
    Problem: "出了点问题，请稍后再试。", "Something went wrong; please try again later.";
    PreviewTitle: "检查结果", "Check";
    Another: "换一个文件", "Choose another file";
    FileLabel: "文件：", "File:";
    Mapping: "列的对应", "Columns";
    MappingHint: "Genjin 按表头猜出了每一列对应的字段；不对的可以改，再重新检查。", "Genjin guessed the lead field of each column from its header; correct any that are wrong and check again.";
    FileColumn: "表格中的列", "Column in the file";
    Field: "线索字段", "Lead field";
    Ignore: "忽略此列", "Ignore this column";
    NoHeader: "（无表头）", "(no header)";
    Recheck: "按此对应重新检查", "Check again with these columns";
    Problems: "有问题的行", "Rows with problems";
    NoProblems: "没有发现问题。", "No problems found.";
    Row: "行", "Row";
    Column: "列", "Column";
    ProblemColumn: "问题", "Problem";
    Duplicates: "可能重复的线索", "Possible duplicates";
    DuplicatesHint: "这些行的电话、邮箱或企业名称与已有线索相同；导入后可以在“重复线索”中合并。", "These rows share a phone, e-mail or company with leads you have; after the import you can merge them under Duplicates.";
    SameLeads: "相同的已有线索", "Matching leads";
    CommitHint: "只导入没有问题的行；有问题的行不会写入，改好后可以再导入。", "Only rows without problems are imported; fix the others and import them again.";
    Importing: "正在导入", "Importing";
    ImportingNow: "正在导入…", "Importing…";
    KeepsGoing: "页面每秒自动刷新；离开页面不会中断导入。", "The page refreshes every second; leaving it does not stop the import.";
    DoneTitle: "导入完成", "Import finished";
    NotImported: "未导入的行", "Rows not imported";
    DuplicatesAfter: "部分新线索可能与已有线索重复：", "Some new leads may duplicate leads you have:";
    ToLeads: "查看线索", "Go to leads";
    ImportAnother: "导入另一个文件", "Import another file";
    FailedTitle: "导入没有完成", "The import did not finish";
    PRequired: "缺少必填内容", "Required";
    PEmpty: "不能为空", "Must not be empty";
    PTooShort: "太短", "Too short";
    PTooLong: "太长", "Too long";
    PUnknownValue: "不是可选的值", "Not one of the choices";
    PUnknownRecord: "不存在或不在你的范围内", "Does not exist or is not yours to use";
    PDuplicate: "重复", "Duplicate";
    POutOfRange: "超出允许的范围", "Out of range";
    POutOfYears: "日期不在 2000–2100 年之间", "Not between the years 2000 and 2100";
    PBadOrder: "时间顺序不对", "In the wrong order";
    PWrongType: "格式不对", "Not in the right format";
    PBadTime: "不是有效的日期时间", "Not a date and time";
    PBadEmail: "不是邮箱地址", "Not an e-mail address";
}

/// The import routes; the upload takes bodies up to the spreadsheet limit (and the form's
/// own few hundred bytes around the file).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/import", get(start).post(upload).layer(DefaultBodyLimit::max(MAX_SHEET_BYTES + 64 * 1024)))
        .route("/admin/import/template.xlsx", get(download_template))
        .route("/admin/import/{id}", get(preview))
        .route("/admin/import/{id}/commit", post(commit))
        .route("/admin/import/{id}/job", get(job))
}

/// The start page: what files are taken, the template, the upload form; `error` says why an
/// upload was not taken.
fn start_page(viewer: &Viewer, error: Option<String>) -> Response {
    let l = viewer.lang;
    let failed = error.is_some();
    let body = view! {
        <div class="page-head">
            <h1>{t(l, T::Title)}</h1>
            <a class="secondary" href="/admin/import/template.xlsx">{t(l, T::Template)}</a>
        </div>
        {error.map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
        <div class="admin-grid">
            <section class="card">
                <h2>{t(l, T::UploadTitle)}</h2>
                <form method="post" action="/admin/import" enctype="multipart/form-data">
                    <label class="field">
                        <span>{t(l, T::File)}</span>
                        <input
                            type="file"
                            name="file"
                            accept=".csv,.xlsx"
                            required
                            aria-invalid={failed.then_some("true")}
                        />
                    </label>
                    <div class="form-actions">
                        <button type="submit" class="primary">{t(l, T::Check)}</button>
                    </div>
                </form>
                <p class="hint">{t(l, T::UploadHint)}</p>
            </section>
            <section class="card">
                <h2>{t(l, T::FilesTitle)}</h2>
                <ul>
                    <li>{t(l, T::FilesFormat)}</li>
                    <li>{t(l, T::FilesHeader)}</li>
                    <li>{t(l, T::FilesUpdate)}</li>
                    <li>{t(l, T::FilesOwner)}</li>
                    <li>
                        {t(l, T::FilesTemplate)}" "
                        <a href="/admin/import/template.xlsx">{template::FILE_NAME}</a>
                    </li>
                </ul>
            </section>
        </div>
    };
    let mut response = page::page(viewer, "/admin/import", t(l, T::Title), body.into_any());
    if failed {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

async fn start(viewer: Viewer) -> Response {
    if let Err(r) = viewer.require(true) {
        return r;
    }
    start_page(&viewer, None)
}

async fn download_template(viewer: Viewer) -> Response {
    if let Err(r) = viewer.require(true) {
        return r;
    }
    match template::workbook() {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, template::XLSX.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", template::FILE_NAME)),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => page::failure(&viewer, ApiError::Internal(e)),
    }
}

/// Takes the uploaded file, keeps it for the preview and sends the uploader there.
async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if let Err(r) = viewer.require(true) {
        return r;
    }
    let l = viewer.lang;
    let Ok(mut multipart) = multipart else { return start_page(&viewer, Some(t(l, T::NoFile).into())) };
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return start_page(&viewer, Some(upload_error(l, e.status()))),
        };
        if field.name() != Some("file") {
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_string();
        let content_type = field.content_type().map(str::to_string);
        match field.bytes().await {
            Ok(bytes) => file = Some((bytes, content_type, file_name)),
            Err(e) => return start_page(&viewer, Some(upload_error(l, e.status()))),
        }
    }
    let Some((bytes, content_type, file_name)) = file.filter(|f| !f.0.is_empty()) else {
        return start_page(&viewer, Some(t(l, T::NoFile).into()));
    };
    if bytes.len() > MAX_SHEET_BYTES {
        return start_page(&viewer, Some(t(l, T::TooBig).into()));
    }
    let upload = Upload {
        bytes: Arc::new(bytes.to_vec()),
        content_type,
        file_name,
        user: viewer.actor.user.clone(),
        headers: None,
        rows: None,
    };
    match store::keep_upload(&state.db, upload).await {
        Ok(id) => page::to(&format!("/admin/import/{id}")),
        Err(e) => page::failure(&viewer, e.into()),
    }
}

fn upload_error(lang: Lang, status: StatusCode) -> String {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        t(lang, T::TooBig).into()
    } else {
        t(lang, T::Broken).into()
    }
}

/// Checks the upload (nothing is written).
async fn check(
    state: &AppState,
    viewer: &Viewer,
    upload: &Upload,
    columns: HashMap<String, Option<String>>,
) -> Result<ImportReport, ApiError> {
    let req = SheetImport {
        bytes: (*upload.bytes).clone(),
        content_type: upload.content_type.clone(),
        columns,
        commit: false,
        lang: viewer.lang,
    };
    import(state, &viewer.actor, req, None).await
}

/// A service error on the import pages: an unreadable file goes back to the upload form.
fn import_failure(viewer: &Viewer, e: ApiError) -> Response {
    match e {
        ApiError::Invalid(problems) => {
            let text = problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; ");
            start_page(viewer, Some(format!("{}{text}", t(viewer.lang, T::Unreadable))))
        }
        e => page::failure(viewer, e),
    }
}

fn expired(viewer: &Viewer) -> Response {
    page::message(viewer, StatusCode::NOT_FOUND, t(viewer.lang, T::Expired))
}

/// The check of an upload with the columns as guessed, or as the user corrected them.
async fn preview(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    if let Err(r) = viewer.require(true) {
        return r;
    }
    let upload = match store::upload(&state.db, &id, &viewer.actor.user).await {
        Ok(Some(upload)) => upload,
        Ok(None) => {
            return match store::job(&state.db, &id, &viewer.actor.user).await {
                Ok(Some(_)) => page::to(&format!("/admin/import/{id}/job")),
                Ok(None) => expired(&viewer),
                Err(e) => page::failure(&viewer, e.into()),
            }
        }
        Err(e) => return page::failure(&viewer, e.into()),
    };
    let picks = choices(&pairs);
    let headers = match (&upload.headers, picks.is_empty()) {
        (Some(headers), _) => Some(headers.clone()),
        (None, true) => None,
        // Corrections before the file's headers are known: read them first.
        (None, false) => match check(&state, &viewer, &upload, HashMap::new()).await {
            Ok(report) => Some(report.columns.into_iter().map(|c| c.header).collect()),
            Err(e) => return import_failure(&viewer, e),
        },
    };
    let columns = headers.map(|h| columns_for(&h, &picks)).unwrap_or_default();
    match check(&state, &viewer, &upload, columns).await {
        Ok(report) => {
            let headers = report.columns.iter().map(|c| c.header.clone()).collect();
            if let Err(e) = store::remember_shape(&state.db, &id, headers, report.rows).await {
                return page::failure(&viewer, e.into());
            }
            view::preview(&viewer, &id, &upload.file_name, &report)
        }
        Err(e) => import_failure(&viewer, e),
    }
}

/// Starts importing the upload's valid rows in the background.
async fn commit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(r) = viewer.require(true) {
        return r;
    }
    let job_page = format!("/admin/import/{id}/job");
    match store::job(&state.db, &id, &viewer.actor.user).await {
        Ok(Some(_)) => return page::to(&job_page),
        Ok(None) => {}
        Err(e) => return page::failure(&viewer, e.into()),
    }
    let upload = match store::take_upload(&state.db, &id, &viewer.actor.user).await {
        Ok(Some(upload)) => upload,
        Ok(None) => return expired(&viewer),
        Err(e) => return page::failure(&viewer, e.into()),
    };
    let columns = match &upload.headers {
        Some(headers) => columns_for(headers, &choices(&pairs)),
        None => HashMap::new(),
    };
    let user = viewer.actor.user.clone();
    match store::start_job(&state.db, &id, &user, &upload.file_name, upload.rows.unwrap_or(0)).await {
        Ok(true) => {}
        Ok(false) => return page::to(&job_page),
        Err(e) => return page::failure(&viewer, e.into()),
    }
    let progress = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let lang = viewer.lang;
    let actor = viewer.actor.clone();
    let req = SheetImport {
        bytes: Arc::try_unwrap(upload.bytes).unwrap_or_else(|shared| (*shared).clone()),
        content_type: upload.content_type,
        columns,
        commit: true,
        lang,
    };
    let db = state.db.clone();
    let counter = progress.clone();
    let mut task = tokio::spawn(async move { import(&state, &actor, req, Some(&*counter)).await });
    tokio::spawn(async move {
        // The progress goes to the database twice a second, for whichever app server shows
        // the progress page.
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
        let ended = loop {
            tokio::select! {
                ended = &mut task => break ended,
                _ = tick.tick() => {
                    if let Err(e) = store::progress(&db, &id, progress.load(std::sync::atomic::Ordering::Relaxed)).await {
                        tracing::debug!("recording an import's progress failed: {e}");
                    }
                }
            }
        };
        let outcome = match ended {
            Ok(Ok(report)) => Outcome::Done(report),
            Ok(Err(e)) => Outcome::Failed(failure_text(lang, &e)),
            Err(_) => Outcome::Failed(t(lang, T::Problem).to_string()),
        };
        let done = progress.load(std::sync::atomic::Ordering::Relaxed);
        if let Err(e) = store::finish_job(&db, &id, done, &outcome).await {
            tracing::warn!("recording how an import ended failed: {e}");
        }
    });
    page::to(&job_page)
}

/// Why an import stopped, for its page.
fn failure_text(lang: Lang, e: &ApiError) -> String {
    match e {
        ApiError::Invalid(problems) => {
            let text = problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; ");
            format!("{}{text}", t(lang, T::Unreadable))
        }
        ApiError::Internal(_) => t(lang, T::Problem).to_string(),
        ApiError::StorageFull => crate::error::UiError::StorageFull.message(lang),
        other => other.to_string(),
    }
}

/// The import's progress, then its report.
async fn job(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Response {
    if let Err(r) = viewer.require(true) {
        return r;
    }
    match store::job(&state.db, &id, &viewer.actor.user).await {
        Ok(Some(job)) => view::job(&viewer, job),
        Ok(None) => expired(&viewer),
        Err(e) => page::failure(&viewer, e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_file_is_said_in_the_readers_language() {
        let e = ApiError::Invalid(vec![crate::domain::validate::Problem::new(
            "file",
            crate::domain::validate::ProblemCode::Malformed,
            "the spreadsheet is empty",
        )]);
        assert_eq!(failure_text(Lang::Zh, &e), "这个文件读不出来：the spreadsheet is empty");
        let internal = failure_text(Lang::En, &ApiError::Internal("db".into()));
        assert_eq!(internal, "Something went wrong; please try again later.");
    }
}
