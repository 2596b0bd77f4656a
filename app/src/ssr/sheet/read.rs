//! Reading the spreadsheet a team uploads to move its leads in (PRODUCT.md §12): the first
//! sheet of an xlsx workbook, or a CSV file as Chinese and Western Excel save it (UTF-8 with
//! or without BOM, GB18030/GBK, UTF-16 "Unicode text"). The result is a header row and data
//! rows that keep the spreadsheet's own row numbers, so every problem of the import can be
//! shown on the row the user sees in Excel.
use calamine::{open_workbook_from_rs, Data, ExcelDateTime, Reader, Xlsx, XlsxError};
use chrono::{NaiveTime, SubsecRound};
use std::io::Cursor;

/// The most data rows one import takes: a team moving in splits a larger history into files.
pub const MAX_ROWS: usize = 50_000;

/// A spreadsheet's header row and its non-empty data rows, every cell as trimmed text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

/// One data row: its number as the spreadsheet shows it (the header row of a sheet that
/// starts at the top is row 1) and one cell per header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub number: usize,
    pub cells: Vec<String>,
}

/// Why an uploaded file gives no table of leads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("the file is not a spreadsheet Genjin can read: upload an xlsx workbook or a CSV file (UTF-8 or GB18030)")]
    NotASpreadsheet,
    #[error("the spreadsheet is empty: its first row must name the columns")]
    NoHeader,
    #[error("the xlsx workbook cannot be opened: {0}")]
    Xlsx(String),
    #[error("the spreadsheet has more than {limit} rows: split it into smaller files")]
    TooManyRows { limit: usize },
}

impl SheetError {
    /// The stable code of the error in the API's answer.
    pub fn code(&self) -> &'static str {
        match self {
            SheetError::NotASpreadsheet => "not_a_spreadsheet",
            SheetError::NoHeader => "no_header",
            SheetError::Xlsx(_) => "unreadable_xlsx",
            SheetError::TooManyRows { .. } => "too_many_rows",
        }
    }
}

/// Reads an uploaded spreadsheet: xlsx when the bytes are a zip archive or the content type
/// says so, CSV otherwise. The first non-empty row is the header; empty rows after it are
/// left out but still counted, so row numbers match the spreadsheet.
pub fn read_table(bytes: &[u8], content_type: Option<&str>) -> Result<Table, SheetError> {
    let says_xlsx = content_type.is_some_and(|t| t.to_ascii_lowercase().contains("spreadsheetml"));
    if bytes.starts_with(b"PK\x03\x04") || says_xlsx {
        read_xlsx(bytes)
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        // An Excel 97–2003 workbook (.xls): not read; Excel saves it again as xlsx or CSV.
        Err(SheetError::NotASpreadsheet)
    } else {
        read_csv(bytes)
    }
}

/// Collects rows into a table: finds the header, skips empty rows, squares rows to the
/// header's width and stops at [`MAX_ROWS`].
#[derive(Default)]
struct Collect {
    headers: Option<Vec<String>>,
    rows: Vec<SheetRow>,
}

impl Collect {
    fn push(&mut self, number: usize, mut cells: Vec<String>) -> Result<(), SheetError> {
        if cells.iter().all(String::is_empty) {
            return Ok(());
        }
        let Some(width) = self.headers.as_ref().map(Vec::len) else {
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            self.headers = Some(cells);
            return Ok(());
        };
        // Cells to the right of the last named column belong to no field.
        cells.resize(width, String::new());
        if cells.iter().all(String::is_empty) {
            return Ok(());
        }
        if self.rows.len() == MAX_ROWS {
            return Err(SheetError::TooManyRows { limit: MAX_ROWS });
        }
        self.rows.push(SheetRow { number, cells });
        Ok(())
    }

    fn finish(self) -> Result<Table, SheetError> {
        let headers = self.headers.ok_or(SheetError::NoHeader)?;
        Ok(Table { headers, rows: self.rows })
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, SheetError> {
    let opened: Result<Xlsx<Cursor<&[u8]>>, XlsxError> = open_workbook_from_rs(Cursor::new(bytes));
    let mut workbook = opened.map_err(|e| SheetError::Xlsx(e.to_string()))?;
    let range = match workbook.worksheet_range_at(0) {
        None => return Err(SheetError::NoHeader),
        Some(Err(e)) => return Err(SheetError::Xlsx(e.to_string())),
        Some(Ok(range)) => range,
    };
    // The range starts at the sheet's first used cell, which need not be A1.
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let mut table = Collect::default();
    for (i, cells) in range.rows().enumerate() {
        table.push(first_row + i + 1, cells.iter().map(cell_text).collect())?;
    }
    table.finish()
}

/// A cell as the user sees it: whole numbers without `.0` (a phone number stored as a
/// number reads 13800000000), dates as `2025-03-01` or `2025-03-01 14:30:00`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(x) => number_text(*x),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(t) => date_text(t),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        (x as i64).to_string()
    } else {
        x.to_string()
    }
}

fn date_text(t: &ExcelDateTime) -> String {
    let serial = t.as_f64();
    if t.is_duration() {
        let seconds = (serial * 86_400.0).round() as i64;
        return format!("{}:{:02}:{:02}", seconds / 3600, seconds % 3600 / 60, seconds % 60);
    }
    let Some(at) = t.as_datetime() else { return number_text(serial) };
    let at = at.round_subsecs(0);
    if (0.0..1.0).contains(&serial) {
        at.format("%H:%M:%S").to_string()
    } else if at.time() == NaiveTime::MIN {
        at.format("%Y-%m-%d").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table, SheetError> {
    let text = decode(bytes).ok_or(SheetError::NotASpreadsheet)?;
    if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return Err(SheetError::NotASpreadsheet);
    }
    // One line break, so each record's own break is read with it (see below).
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut table = Collect::default();
    let mut record = csv::StringRecord::new();
    let mut line_before = reader.position().line();
    let mut number = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => return Err(SheetError::NotASpreadsheet),
        }
        // Spreadsheets count records, not lines: a quoted cell with line breaks is one row,
        // so the row number is the record's index + 1. A blank line, which the parser skips,
        // is still a row when Excel opens the file: the lines the record took beyond its own
        // (its cells' line breaks and its terminator) are such blank rows before it.
        let (line_after, byte_after) = (reader.position().line(), reader.position().byte() as usize);
        let inside: u64 = record.iter().map(|cell| cell.matches('\n').count() as u64).sum();
        let terminated = byte_after > 0 && text.as_bytes()[byte_after - 1] == b'\n';
        let blank = (line_after - line_before).saturating_sub(inside + u64::from(terminated));
        line_before = line_after;
        number += blank as usize + 1;
        table.push(number, record.iter().map(csv_cell).collect())?;
    }
    table.finish()
}

/// A CSV cell, trimmed and without the `'` that Genjin's own export (like other careful
/// tools) puts before text Excel would otherwise run as a formula ("'+86 138…").
fn csv_cell(cell: &str) -> String {
    let cell = cell.trim();
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_owned(),
        _ => cell.to_owned(),
    }
}

/// The text of a CSV file: UTF-16 and UTF-8 by their byte order mark, UTF-8 when the bytes
/// are valid UTF-8, GB18030 (a superset of GBK, what Chinese Excel saves) otherwise.
fn decode(bytes: &[u8]) -> Option<String> {
    let without_replacement = |encoding: &'static encoding_rs::Encoding, bytes: &[u8]| {
        encoding.decode_without_bom_handling_and_without_replacement(bytes).map(|text| text.into_owned())
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).ok().map(str::to_owned);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return without_replacement(encoding_rs::UTF_16LE, rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return without_replacement(encoding_rs::UTF_16BE, rest);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_owned()),
        Err(_) => without_replacement(encoding_rs::GB18030, bytes),
    }
}

/// Commas, unless the header line has none but tabs (Excel's "Unicode text") or semicolons
/// (Excel in locales with a decimal comma).
fn delimiter(text: &str) -> u8 {
    let header = text.lines().find(|line| !line.trim().is_empty()).unwrap_or_default();
    if header.contains(',') {
        b','
    } else if header.contains('\t') {
        b'\t'
    } else if header.contains(';') {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_xlsxwriter::{Format, Workbook};

    fn numbers(table: &Table) -> Vec<usize> {
        table.rows.iter().map(|row| row.number).collect()
    }

    #[test]
    fn a_utf8_file_with_a_byte_order_mark_reads_its_first_header_cleanly() {
        let table = read_table("\u{feff}线索编号,企业名称\nLX1, 上海华信 \n".as_bytes(), Some("text/csv")).unwrap();
        assert_eq!(table.headers, ["线索编号", "企业名称"]);
        assert_eq!(table.rows, [SheetRow { number: 2, cells: vec!["LX1".into(), "上海华信".into()] }]);
    }

    #[test]
    fn a_gbk_file_reads_as_chinese() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("线索编号,企业名称\r\nLX1,上海华信科技有限公司\r\n");
        assert!(std::str::from_utf8(&bytes).is_err());
        let table = read_table(&bytes, None).unwrap();
        assert_eq!(table.headers, ["线索编号", "企业名称"]);
        assert_eq!(table.rows[0].cells, ["LX1", "上海华信科技有限公司"]);
    }

    #[test]
    fn excel_unicode_text_is_utf16_with_tabs() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("企业名称\t员工数\r\n华信\t300\r\n".encode_utf16().flat_map(u16::to_le_bytes));
        let table = read_table(&bytes, None).unwrap();
        assert_eq!(table.headers, ["企业名称", "员工数"]);
        assert_eq!(table.rows[0].cells, ["华信", "300"]);
        let table = read_table("企业名称;员工数\n华信;300\n".as_bytes(), None).unwrap();
        assert_eq!(table.rows[0].cells, ["华信", "300"]);
    }

    #[test]
    fn a_quoted_cell_with_a_line_break_and_a_comma_stays_one_row() {
        let csv = "企业名称,需求描述\n华信,\"数据安全,\n服务器升级\"\n远景,云迁移\n";
        let table = read_table(csv.as_bytes(), None).unwrap();
        assert_eq!(table.rows[0].cells[1], "数据安全,\n服务器升级");
        assert_eq!(numbers(&table), [2, 3]);
    }

    #[test]
    fn empty_rows_are_left_out_but_keep_their_numbers() {
        let csv = "\n企业名称,员工数\n华信,300\n,\n\n远景,50\r\n\r\n\"多行\n公司\",1\n\n";
        let table = read_table(csv.as_bytes(), None).unwrap();
        assert_eq!(table.headers, ["企业名称", "员工数"]);
        assert_eq!(numbers(&table), [3, 6, 8]);
        assert_eq!(table.rows[2].cells, ["多行\n公司", "1"]);
    }

    #[test]
    fn short_rows_are_padded_to_the_header_and_trailing_empty_headers_dropped() {
        let table = read_table("企业名称,员工数,,\n华信\n远景,50,,x\n".as_bytes(), None).unwrap();
        assert_eq!(table.headers, ["企业名称", "员工数"]);
        assert_eq!(table.rows[0].cells, ["华信", ""]);
        assert_eq!(table.rows[1].cells, ["远景", "50"]);
    }

    #[test]
    fn the_formula_guard_of_an_export_is_dropped_on_the_way_back_in() {
        let table = read_table("电话,备注\n'+86 138 0000 0000,'s team\n".as_bytes(), None).unwrap();
        assert_eq!(table.rows[0].cells, ["+86 138 0000 0000", "'s team"]);
    }

    #[test]
    fn a_file_without_rows_has_no_header() {
        assert_eq!(read_table(b"\n , \n", None), Err(SheetError::NoHeader));
        assert_eq!(SheetError::NoHeader.code(), "no_header");
    }

    #[test]
    fn garbage_bytes_are_not_a_spreadsheet() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        let garbage: [&[u8]; 3] = [png, b"abc\xff\xfe\xfd\x00", b"\xD0\xCF\x11\xE0\xA1\xB1"];
        for bytes in garbage {
            assert_eq!(read_table(bytes, None), Err(SheetError::NotASpreadsheet));
        }
        let err = read_table(b"PK\x03\x04 not really a zip", None).unwrap_err();
        assert_eq!(err.code(), "unreadable_xlsx");
    }

    #[test]
    fn too_many_rows_are_refused() {
        let mut csv = String::from("企业名称\n");
        for i in 0..=MAX_ROWS {
            csv.push_str(&format!("公司{i}\n"));
        }
        assert_eq!(read_table(csv.as_bytes(), None), Err(SheetError::TooManyRows { limit: MAX_ROWS }));
    }

    #[test]
    fn an_xlsx_sheet_reads_numbers_and_dates_as_the_user_sees_them() {
        let mut workbook = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let sheet = workbook.add_worksheet();
        // The sheet starts on row 3, column B, as a title above the table would leave it.
        for (col, header) in ["企业名称", "电话", "员工数", "获取时间", "预算"].into_iter().enumerate() {
            sheet.write_string(2, col as u16 + 1, format!(" {header} ")).unwrap();
        }
        sheet.write_string(3, 1, "上海华信").unwrap();
        sheet.write_number(3, 2, 13_800_000_000.0).unwrap();
        sheet.write_number(3, 3, 300.0).unwrap();
        let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        sheet.write_datetime_with_format(3, 4, day, &date).unwrap();
        sheet.write_number(3, 5, 1.5).unwrap();
        sheet.write_string(5, 1, "远景").unwrap();
        sheet.write_datetime_with_format(5, 4, day.and_hms_opt(14, 30, 0).unwrap(), &datetime).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();

        let table = read_table(&bytes, None).unwrap();
        assert_eq!(table.headers, ["企业名称", "电话", "员工数", "获取时间", "预算"]);
        assert_eq!(numbers(&table), [4, 6]);
        assert_eq!(table.rows[0].cells, ["上海华信", "13800000000", "300", "2025-03-01", "1.5"]);
        assert_eq!(table.rows[1].cells, ["远景", "", "", "2025-03-01 14:30:00", ""]);
    }
}
