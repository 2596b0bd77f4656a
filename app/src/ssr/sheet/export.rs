//! Lists leaving Genjin as spreadsheets (PRODUCT.md §10, §12 "Out"): every list a user sees —
//! leads with the filters applied, the weekly report — exports to CSV and to xlsx, with the
//! headers in the user's language and the times in the workspace's time zone.
//!
//! CSV is written for Chinese Excel: UTF-8 with a byte-order mark (without it Excel reads the
//! file as GBK and the Chinese turns to mojibake) and CRLF line ends. A text cell that Excel
//! would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets
//! a leading `'`, so a lead's notes cannot carry a formula into a rep's spreadsheet; phone
//! numbers written "+86 138…" get it too, which also keeps Excel from reading them as numbers.
//! A minus sign followed by a plain decimal number ("-5", "-12.5") or alone ("-", a common
//! "none") is left as is: it cannot compute anything.
//!
//! xlsx gets a bold, shaded header row that stays in view, a filter over the list, real
//! Excel dates, amounts with thousands separators and columns as wide as their content.
use chrono::DateTime;
use chrono_tz::Tz;
use rust_xlsxwriter::{Color, Format, FormatPattern, Workbook, Worksheet, XlsxError};
use std::borrow::Cow;
use std::fmt::Write as _;

/// One cell of an exported list.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text as entered: names, phone numbers, notes, labels.
    Text(String),
    /// An amount (CNY) or another quantity: xlsx shows it with thousands separators, and with
    /// two decimals when it has a fraction.
    Number(f64),
    /// A whole number shown as is: a score, a count.
    Int(i64),
    /// A moment, shown to the minute in the time zone it carries (the workspace's).
    Date(DateTime<Tz>),
    /// A share (0–1), shown as a percentage with one decimal.
    Percent(f64),
    Empty,
}

/// The format of dates in CSV; xlsx shows the same with [`XLSX_DATE`].
const CSV_DATE: &str = "%Y-%m-%d %H:%M";
const XLSX_DATE: &str = "yyyy-mm-dd hh:mm";

/// Excel's sheet limits: rows (the header included) and columns.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;

/// The widest a column gets, in Excel's character units.
const MAX_WIDTH: usize = 60;

/// Writes a list as CSV for Excel: a byte-order mark, CRLF line ends, formula-like texts
/// guarded, dates as `YYYY-MM-DD HH:MM`, whole numbers without a decimal point.
pub fn csv(headers: &[String], rows: &[Vec<Cell>]) -> Vec<u8> {
    write_csv(headers, rows).expect("a CSV written into memory cannot fail")
}

fn write_csv(headers: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::with_capacity(64 * (rows.len() + 1));
    out.extend_from_slice("\u{FEFF}".as_bytes());
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).flexible(true).from_writer(out);
    if !headers.is_empty() {
        for header in headers {
            writer.write_field(guarded(header).as_bytes())?;
        }
        writer.write_record(None::<&[u8]>)?;
    }

    let mut text = String::new();
    for row in rows {
        for cell in row {
            text.clear();
            match cell {
                Cell::Text(value) => {
                    writer.write_field(guarded(value).as_bytes())?;
                    continue;
                }
                Cell::Number(n) if n.is_finite() => {
                    // `Display` prints 300.0 as "300"; -0.0 would print "-0".
                    let n = if *n == 0.0 { 0.0 } else { *n };
                    let _ = write!(text, "{n}");
                }
                Cell::Int(i) => {
                    let _ = write!(text, "{i}");
                }
                Cell::Date(at) => {
                    let _ = write!(text, "{}", at.format(CSV_DATE));
                }
                Cell::Percent(p) if p.is_finite() => text.push_str(&crate::format::percent(*p)),
                Cell::Number(_) | Cell::Percent(_) | Cell::Empty => {}
            }
            writer.write_field(text.as_bytes())?;
        }
        writer.write_record(None::<&[u8]>)?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The text as written to CSV: with a leading `'` when Excel would take it for a formula.
fn guarded(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_negative(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// "-5", "-12.5" or "-" alone: a minus sign Excel cannot compute anything from.
fn is_plain_negative(text: &str) -> bool {
    text.strip_prefix('-').is_some_and(|rest| {
        rest.is_empty()
            || (rest.bytes().any(|b| b.is_ascii_digit())
                && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && rest.bytes().filter(|&b| b == b'.').count() <= 1)
    })
}

/// The formats of an xlsx export, made once for all its cells.
struct Formats {
    header: Format,
    date: Format,
    amount: Format,
    amount_with_fraction: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_pattern(FormatPattern::Solid)
                .set_background_color(Color::RGB(0xDDEBF7)),
            date: Format::new().set_num_format(XLSX_DATE),
            amount: Format::new().set_num_format("#,##0"),
            amount_with_fraction: Format::new().set_num_format("#,##0.00"),
            percent: Format::new().set_num_format("0.0%"),
        }
    }
}

/// Writes a list as an xlsx workbook with one sheet named `sheet_name` (made valid for Excel:
/// at most 31 characters, none of `[]:*?/\`). Fails, with an English message, beyond Excel's
/// 1,048,575 rows or 16,384 columns.
pub fn xlsx(sheet_name: &str, headers: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, String> {
    xlsx_book(&[Sheet { name: sheet_name, headers, rows }])
}

/// One sheet of a workbook: its name, header row and rows.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub headers: &'a [String],
    pub rows: &'a [Vec<Cell>],
}

/// Writes several lists as one xlsx workbook, a sheet each, in order (a report's parts).
pub fn xlsx_book(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, String> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    for s in sheets {
        write_sheet(workbook.add_worksheet(), s, &formats)?;
    }
    workbook.save_to_buffer().map_err(failed)
}

fn write_sheet(sheet: &mut Worksheet, s: &Sheet<'_>, formats: &Formats) -> Result<(), String> {
    let (headers, rows) = (s.headers, s.rows);
    let columns = rows.iter().map(Vec::len).chain([headers.len()]).max().unwrap_or(0);
    if rows.len() >= MAX_ROWS {
        return Err(format!("{} rows do not fit one Excel sheet (at most {})", rows.len(), MAX_ROWS - 1));
    }
    if columns > MAX_COLUMNS {
        return Err(format!("{columns} columns do not fit one Excel sheet (at most {MAX_COLUMNS})"));
    }
    sheet.set_name(sheet_title(s.name)).map_err(failed)?;
    let mut widths = vec![0usize; columns];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header.as_str(), &formats.header).map_err(failed)?;
        // Room for the filter's drop-down arrow.
        widths[col] = display_width(header) + 3;
    }
    for (row, cells) in rows.iter().enumerate() {
        for (col, cell) in cells.iter().enumerate() {
            let width = write_cell(sheet, row as u32 + 1, col as u16, cell, formats).map_err(failed)?;
            widths[col] = widths[col].max(width);
        }
    }
    if columns > 0 {
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        sheet.autofilter(0, 0, rows.len() as u32, (columns - 1) as u16).map_err(failed)?;
        for (col, width) in widths.into_iter().enumerate() {
            sheet.set_column_width(col as u16, (width + 2).min(MAX_WIDTH) as f64).map_err(failed)?;
        }
    }
    Ok(())
}

fn failed(error: XlsxError) -> String {
    format!("could not write the xlsx file: {error}")
}

/// Writes one cell and answers how wide it shows, in Excel's character units.
fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, cell: &Cell, formats: &Formats) -> Result<usize, XlsxError> {
    Ok(match cell {
        Cell::Text(text) if !text.is_empty() => {
            sheet.write_string(row, col, text.as_str())?;
            display_width(text)
        }
        Cell::Number(n) if n.is_finite() => {
            let whole = n.fract() == 0.0;
            let format = if whole { &formats.amount } else { &formats.amount_with_fraction };
            sheet.write_number_with_format(row, col, *n, format)?;
            let digits = if n.abs() < 1.0 { 1 } else { n.abs().log10().floor() as usize + 1 };
            digits + (digits - 1) / 3 + usize::from(*n < 0.0) + if whole { 0 } else { 3 }
        }
        Cell::Int(i) => {
            // Beyond 2^53 a number loses digits in Excel: such an integer goes in as text.
            if i.unsigned_abs() <= 1 << 53 {
                sheet.write_number(row, col, *i as f64)?;
            } else {
                sheet.write_string(row, col, i.to_string())?;
            }
            i.unsigned_abs().checked_ilog10().map_or(1, |d| d as usize + 1) + usize::from(*i < 0)
        }
        Cell::Date(at) => {
            sheet.write_datetime_with_format(row, col, at.naive_local(), &formats.date)?;
            XLSX_DATE.len()
        }
        Cell::Percent(p) if p.is_finite() => {
            sheet.write_number_with_format(row, col, *p, &formats.percent)?;
            crate::format::percent(*p).len()
        }
        Cell::Text(_) | Cell::Number(_) | Cell::Percent(_) | Cell::Empty => 0,
    })
}

/// How wide a text shows: its longest line, Chinese, Japanese and Korean characters and
/// full-width forms counting double; counted no further than a column may grow.
fn display_width(text: &str) -> usize {
    text.lines()
        .map(|line| {
            let mut width = 0;
            for c in line.chars() {
                width += if is_wide(c) { 2 } else { 1 };
                if width >= MAX_WIDTH {
                    break;
                }
            }
            width
        })
        .max()
        .unwrap_or(0)
}

fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}')
}

/// A sheet name Excel takes: forbidden characters replaced, at most 31 UTF-16 units, no
/// apostrophe at either end, "Sheet1" when nothing is left.
fn sheet_title(name: &str) -> String {
    let mut title = String::new();
    let mut units = 0;
    for c in name.chars().filter(|c| !c.is_control()) {
        let c = if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '_' } else { c };
        units += c.len_utf16();
        if units > 31 {
            break;
        }
        title.push(c);
    }
    let title = title.trim().trim_matches('\'').trim();
    if title.is_empty() {
        "Sheet1".to_owned()
    } else {
        title.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{open_workbook_from_rs, Data, DataType, Reader, Xlsx};
    use chrono::TimeZone;
    use std::io::Cursor;

    fn headers() -> Vec<String> {
        ["公司", "金额", "创建时间", "评分"].map(String::from).to_vec()
    }

    fn at(hour: u32, minute: u32) -> DateTime<Tz> {
        chrono_tz::Asia::Shanghai.with_ymd_and_hms(2026, 3, 5, hour, minute, 0).unwrap()
    }

    fn row() -> Vec<Cell> {
        vec![Cell::Text("上海华信科技有限公司".into()), Cell::Number(300.0), Cell::Date(at(9, 7)), Cell::Int(87)]
    }

    /// The records of a CSV export as text, read the way Excel would, after the byte-order mark.
    fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "no byte-order mark");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&bytes[3..])
            .records()
            .map(|record| record.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn a_csv_export_opens_in_excel_with_its_chinese_headers() {
        let bytes = csv(&headers(), &[row()]);
        let records = read_back(&bytes);
        assert_eq!(records[0], headers());
        assert_eq!(records[1], ["上海华信科技有限公司", "300", "2026-03-05 09:07", "87"]);
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(text.matches("\r\n").count(), 2);
        assert_eq!(text.matches('\n').count(), 2, "every line ends in CRLF");
    }

    #[test]
    fn csv_numbers_show_without_a_trailing_zero_and_missing_cells_stay_empty() {
        let rows = vec![vec![
            Cell::Number(300.0),
            Cell::Number(1234.5),
            Cell::Number(-0.0),
            Cell::Number(f64::NAN),
            Cell::Int(-42),
            Cell::Empty,
        ]];
        assert_eq!(read_back(&csv(&[], &rows))[0], ["300", "1234.5", "0", "", "-42", ""]);
    }

    #[test]
    fn a_text_excel_would_run_as_a_formula_is_guarded_in_csv() {
        let texts =
            ["=HYPERLINK(\"http://x\")", "+86 138 0000 0000", "@SUM(A1)", "-2+3", "\tcmd", "-5", "-12.5", "-", "王总"];
        let rows: Vec<Vec<Cell>> = vec![texts.iter().map(|t| Cell::Text((*t).to_owned())).collect()];
        assert_eq!(
            read_back(&csv(&[], &rows))[0],
            [
                "'=HYPERLINK(\"http://x\")",
                "'+86 138 0000 0000",
                "'@SUM(A1)",
                "'-2+3",
                "'\tcmd",
                "-5",
                "-12.5",
                "-",
                "王总"
            ]
        );
        assert_eq!(read_back(&csv(&["=1+1".into()], &[]))[0], ["'=1+1"]);
    }

    #[test]
    fn an_xlsx_export_reads_back_with_its_header_dates_and_numbers() {
        let bytes = xlsx("线索", &headers(), &[row(), vec![Cell::Text("=1+1".into()), Cell::Empty]]).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["线索"]);
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String("公司".into())));
        assert_eq!(range.get((0, 3)), Some(&Data::String("评分".into())));
        assert_eq!(range.get((1, 0)), Some(&Data::String("上海华信科技有限公司".into())));
        assert_eq!(range.get((1, 1)).and_then(|n| n.as_f64()), Some(300.0));
        match range.get((1, 2)) {
            Some(Data::DateTime(date)) => assert_eq!(date.as_datetime(), Some(at(9, 7).naive_local())),
            other => panic!("expected a date, found {other:?}"),
        }
        assert_eq!(range.get((1, 3)).and_then(|n| n.as_f64()), Some(87.0));
        assert_eq!(range.get((2, 0)), Some(&Data::String("=1+1".into())), "a text, never a formula");
    }

    #[test]
    fn an_xlsx_sheet_name_is_made_valid_for_excel() {
        assert_eq!(sheet_title("线索/2026:Q1"), "线索_2026_Q1");
        assert_eq!(sheet_title("'  '"), "Sheet1");
        assert_eq!(sheet_title(&"长".repeat(40)).chars().count(), 31);
        assert!(xlsx("[?]", &headers(), &[]).is_ok());
    }

    #[test]
    fn chinese_characters_count_double_in_a_column_width() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("华信ab"), 6);
        assert_eq!(display_width("短\n更长的一行"), 10);
        assert_eq!(display_width(&"长".repeat(100)), MAX_WIDTH);
    }
}
