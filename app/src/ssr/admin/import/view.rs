//! What the import pages show: the check of an uploaded spreadsheet (how its columns were
//! understood, every problem by row and column, rows that look like leads the team already
//! has) and the import's progress and report.
use super::store::{JobState, Outcome};
use super::{t, T};
use crate::domain::sheet_report::{ImportReport, RowDuplicates, RowProblem};
use crate::domain::validate::ProblemCode;
use crate::i18n::Lang;
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::sheet::columns::Column;
use axum::http::HeaderValue;
use axum::response::Response;
use leptos::prelude::*;

/// The most problems (and duplicate rows) a page lists; the rest are counted.
const SHOWN: usize = 500;

/// A row problem in the reader's language: the sentence for its code, and the English
/// message (which names the cell's value) as detail; the message alone for other codes.
pub fn problem_text(lang: Lang, code: ProblemCode, message: &str) -> (String, Option<String>) {
    let key = match code {
        ProblemCode::Required => T::PRequired,
        ProblemCode::Empty => T::PEmpty,
        ProblemCode::TooShort => T::PTooShort,
        ProblemCode::TooLong => T::PTooLong,
        ProblemCode::UnknownValue => T::PUnknownValue,
        ProblemCode::UnknownRecord => T::PUnknownRecord,
        ProblemCode::Duplicate => T::PDuplicate,
        ProblemCode::OutOfRange | ProblemCode::Negative => T::POutOfRange,
        ProblemCode::OutOfYears => T::POutOfYears,
        ProblemCode::BadOrder => T::PBadOrder,
        ProblemCode::WrongType => T::PWrongType,
        ProblemCode::BadTime => T::PBadTime,
        ProblemCode::BadEmail => T::PBadEmail,
        _ => return (message.to_string(), None),
    };
    let detail = Some(message.to_string()).filter(|m| !m.is_empty());
    (t(lang, key).to_string(), detail)
}

/// "共 N 行：可新建 X，可更新 Y，有问题 Z 行".
pub fn summary(lang: Lang, report: &ImportReport) -> String {
    let (n, x, y, z) = (report.rows, report.created, report.updated, report.failed_rows());
    match lang {
        Lang::Zh => format!("共 {n} 行：可新建 {x}，可更新 {y}，有问题 {z} 行"),
        Lang::En => format!("{n} rows: {x} to create, {y} to update, {z} with problems"),
    }
}

/// "已新建 X 条，已更新 Y 条；Z 行未导入".
pub fn outcome_line(lang: Lang, report: &ImportReport) -> String {
    let (x, y, z) = (report.created, report.updated, report.failed_rows());
    match lang {
        Lang::Zh => format!("已新建 {x} 条，已更新 {y} 条；{z} 行未导入"),
        Lang::En => format!("{x} leads created, {y} updated; {z} rows not imported"),
    }
}

fn import_button(lang: Lang, valid: usize) -> String {
    match lang {
        Lang::Zh => format!("导入 {valid} 条有效行"),
        Lang::En => format!("Import {valid} valid rows"),
    }
}

fn more_line(lang: Lang, more: usize) -> String {
    match lang {
        Lang::Zh => format!("另有 {more} 条未列出。"),
        Lang::En => format!("{more} more not listed."),
    }
}

/// The problems by row and column, the first [`SHOWN`] of them.
fn problems_table(lang: Lang, problems: &[RowProblem]) -> AnyView {
    if problems.is_empty() {
        return view! { <p class="hint">{t(lang, T::NoProblems)}</p> }.into_any();
    }
    let more = problems.len().saturating_sub(SHOWN);
    let rows = problems
        .iter()
        .take(SHOWN)
        .map(|p| {
            let (text, detail) = problem_text(lang, p.code, &p.message);
            let detail = detail.map(|d| view! { <br/><span class="hint">{d}</span> });
            view! {
                <tr>
                    <td class="num">{p.row}</td>
                    <td>{p.column.clone()}</td>
                    <td class="wrap">{text}{detail}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="lead-table-wrap">
            <table class="lead-table">
                <thead>
                    <tr>
                        <th scope="col">{t(lang, T::Row)}</th>
                        <th scope="col">{t(lang, T::Column)}</th>
                        <th scope="col">{t(lang, T::ProblemColumn)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(more > 0).then(|| view! { <p class="hint">{more_line(lang, more)}</p> })}
    }
    .into_any()
}

/// The rows that look like leads the team has, each with links to those leads.
fn duplicates_section(lang: Lang, duplicates: &[RowDuplicates]) -> Option<AnyView> {
    if duplicates.is_empty() {
        return None;
    }
    let more = duplicates.len().saturating_sub(SHOWN);
    let rows = duplicates
        .iter()
        .take(SHOWN)
        .map(|d| {
            let links = d
                .leads
                .iter()
                .map(|code| view! { <a href=format!("/leads/{}", crate::ui::encode(code))>{code.clone()}</a>" " })
                .collect_view();
            view! {
                <tr>
                    <td class="num">{d.row}</td>
                    <td class="wrap">{links}</td>
                </tr>
            }
        })
        .collect_view();
    Some(
        view! {
            <section class="card">
                <h2>{t(lang, T::Duplicates)}</h2>
                <p class="hint">{t(lang, T::DuplicatesHint)}</p>
                <div class="lead-table-wrap">
                    <table class="lead-table">
                        <thead>
                            <tr>
                                <th scope="col">{t(lang, T::Row)}</th>
                                <th scope="col">{t(lang, T::SameLeads)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {(more > 0).then(|| view! { <p class="hint">{more_line(lang, more)}</p> })}
            </section>
        }
        .into_any(),
    )
}

/// One select per column of the file: every lead field, or "ignore this column".
fn mapping_rows(lang: Lang, report: &ImportReport) -> impl IntoView {
    report
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let chosen = c.field.clone().unwrap_or_default();
            let options = Column::ALL
                .iter()
                .map(|col| {
                    let key = col.key();
                    view! { <option value=key selected={chosen == key}>{col.label(lang)}</option> }
                })
                .collect_view();
            let header = if c.header.trim().is_empty() { t(lang, T::NoHeader).to_string() } else { c.header.clone() };
            view! {
                <tr>
                    <th scope="row"><label for=format!("col-{i}")>{header}</label></th>
                    <td>
                        <select id=format!("col-{i}") name=format!("col.{i}")>
                            <option value="" selected={chosen.is_empty()}>{t(lang, T::Ignore)}</option>
                            {options}
                        </select>
                    </td>
                </tr>
            }
        })
        .collect_view()
}

/// The check of an upload: the counts, the column mapping to correct, the problems, the
/// possible duplicates and the import button.
pub fn preview(viewer: &Viewer, id: &str, file_name: &str, report: &ImportReport) -> Response {
    let l = viewer.lang;
    let valid = report.created + report.updated;
    let hidden = report
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let field = c.field.clone().unwrap_or_default();
            view! { <input type="hidden" name=format!("col.{i}") value=field/> }
        })
        .collect_view();
    let body = view! {
        <div class="page-head">
            <h1>{t(l, T::PreviewTitle)}</h1>
            <a class="secondary" href="/admin/import">{t(l, T::Another)}</a>
        </div>
        <p class="hint">{t(l, T::FileLabel)}" "{file_name.to_string()}</p>
        <p class="notice" role="status">{summary(l, report)}</p>
        <section class="card">
            <h2>{t(l, T::Mapping)}</h2>
            <p class="hint">{t(l, T::MappingHint)}</p>
            <form method="get" action=format!("/admin/import/{id}")>
                <div class="lead-table-wrap">
                    <table class="lead-table">
                        <thead>
                            <tr>
                                <th scope="col">{t(l, T::FileColumn)}</th>
                                <th scope="col">{t(l, T::Field)}</th>
                            </tr>
                        </thead>
                        <tbody>{mapping_rows(l, report)}</tbody>
                    </table>
                </div>
                <div class="form-actions">
                    <button type="submit" class="secondary">{t(l, T::Recheck)}</button>
                </div>
            </form>
        </section>
        <section class="card">
            <h2>{t(l, T::Problems)}</h2>
            {problems_table(l, &report.failed)}
        </section>
        {duplicates_section(l, &report.duplicates)}
        <section class="card">
            <form method="post" action=format!("/admin/import/{id}/commit")>
                {hidden}
                <p class="hint">{t(l, T::CommitHint)}</p>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled={valid == 0}>{import_button(l, valid)}</button>
                </div>
            </form>
        </section>
    };
    page::page(viewer, "/admin/import", t(l, T::PreviewTitle), body.into_any())
}

/// The import's page: its progress while it runs (the page reloads itself every second),
/// then its report, or why it stopped.
pub fn job(viewer: &Viewer, state: JobState) -> Response {
    let l = viewer.lang;
    let file = view! { <p class="hint">{t(l, T::FileLabel)}" "{state.file_name.clone()}</p> };
    let again = view! {
        <div class="form-actions">
            <a class="secondary" href="/leads">{t(l, T::ToLeads)}</a>
            <a class="secondary" href="/admin/import">{t(l, T::ImportAnother)}</a>
        </div>
    };
    let running = state.outcome.is_none();
    let (title, body) = match state.outcome {
        None => {
            let done = state.done.min(state.rows);
            let bar = if state.rows > 0 {
                let rows = state.rows;
                let label = t(l, T::Importing);
                view! { <progress value=done max=rows aria-label=label>{done}" / "{rows}</progress> }.into_any()
            } else {
                view! { <progress aria-label=t(l, T::Importing)></progress> }.into_any()
            };
            let count = if state.rows > 0 { format!(" {done} / {}", state.rows) } else { String::new() };
            let body = view! {
                <h1>{t(l, T::Importing)}</h1>
                {file}
                <section class="card" role="status">
                    {bar}
                    <p>{t(l, T::ImportingNow)}{count}</p>
                    <p class="hint">{t(l, T::KeepsGoing)}</p>
                </section>
            };
            (t(l, T::Importing), body.into_any())
        }
        Some(Outcome::Done(report)) => {
            let dups = (!report.duplicates.is_empty()).then(|| {
                view! {
                    <p class="hint">{t(l, T::DuplicatesAfter)}" "<a href="/duplicates">{t(l, T::Duplicates)}</a></p>
                }
            });
            let body = view! {
                <h1>{t(l, T::DoneTitle)}</h1>
                {file}
                <p class="notice" role="status">{outcome_line(l, &report)}</p>
                {again}
                <section class="card">
                    <h2>{t(l, T::NotImported)}</h2>
                    {problems_table(l, &report.failed)}
                </section>
                {dups}
            };
            (t(l, T::DoneTitle), body.into_any())
        }
        Some(Outcome::Failed(message)) => {
            let body = view! {
                <h1>{t(l, T::FailedTitle)}</h1>
                {file}
                <p class="notice error" role="alert">{message}</p>
                {again}
            };
            (t(l, T::FailedTitle), body.into_any())
        }
    };
    let mut response = page::page(viewer, "/admin/import", title, body);
    if running {
        response.headers_mut().insert("refresh", HeaderValue::from_static("1"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sheet_report::ColumnMapping;

    fn problem(row: usize, column: &str, code: ProblemCode, message: &str) -> RowProblem {
        RowProblem { row, column: column.into(), code, message: message.into() }
    }

    fn report() -> ImportReport {
        ImportReport {
            rows: 5,
            created: 2,
            updated: 1,
            failed: vec![
                problem(3, "来源渠道", ProblemCode::UnknownValue, "`展销` is not a source"),
                problem(3, "电话", ProblemCode::WrongType, "bad phone"),
                problem(6, "", ProblemCode::Malformed, "changed meanwhile"),
            ],
            duplicates: vec![],
            columns: vec![ColumnMapping { header: "企业名称".into(), field: Some("company".into()), label: None }],
            committed: false,
        }
    }

    #[test]
    fn the_counts_read_as_a_sentence_with_rows_not_problems() {
        assert_eq!(summary(Lang::Zh, &report()), "共 5 行：可新建 2，可更新 1，有问题 2 行");
        assert_eq!(outcome_line(Lang::En, &report()), "2 leads created, 1 updated; 2 rows not imported");
    }

    #[test]
    fn a_problem_is_said_in_chinese_with_its_detail_and_unknown_codes_keep_their_message() {
        let (text, detail) = problem_text(Lang::Zh, ProblemCode::UnknownValue, "`展销` is not a source");
        assert_eq!(text, "不是可选的值");
        assert_eq!(detail.as_deref(), Some("`展销` is not a source"));
        let (text, detail) = problem_text(Lang::Zh, ProblemCode::Malformed, "changed meanwhile");
        assert_eq!((text.as_str(), detail), ("changed meanwhile", None));
    }

    #[test]
    fn the_problems_table_lists_each_problem_and_escapes_the_file_text() {
        let mut problems = report().failed;
        problems[0].column = "<b>来源</b>".into();
        let html = problems_table(Lang::Zh, &problems).to_html();
        assert!(html.contains("&lt;b&gt;来源&lt;/b&gt;"), "{html}");
        assert_eq!(html.matches("<tr>").count(), 4, "{html}");
        assert!(problems_table(Lang::Zh, &[]).to_html().contains("没有发现问题"));
    }
}
