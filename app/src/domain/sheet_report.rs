//! What a spreadsheet import tells its user (API.md `POST /api/v1/leads/import`): how many
//! rows it read, created and updated, every problem by the spreadsheet's own row number and
//! column, the rows that look like leads the workspace already holds, and how the columns
//! were understood (so the user can correct the mapping).
use super::validate::ProblemCode;
use serde::{Deserialize, Serialize};

/// One problem of a row: the spreadsheet's row number (the header is row 1) and the column's
/// header as the file has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub code: ProblemCode,
    pub message: String,
}

/// A row that looks like leads the workspace holds (same phone, e-mail or company).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowDuplicates {
    pub row: usize,
    pub leads: Vec<String>,
}

/// How a column of the file was understood: the lead field it fills (none: ignored) and
/// that field's name in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub header: String,
    pub field: Option<String>,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub failed: Vec<RowProblem>,
    pub duplicates: Vec<RowDuplicates>,
    pub columns: Vec<ColumnMapping>,
    /// Whether the valid rows were written (`commit=true`) or only checked.
    pub committed: bool,
}

impl ImportReport {
    /// The rows with at least one problem.
    pub fn failed_rows(&self) -> usize {
        let mut rows: Vec<usize> = self.failed.iter().map(|p| p.row).collect();
        rows.dedup();
        rows.len()
    }
}
