//! Spreadsheets in and out (PRODUCT.md §12): reading the CSV or xlsx file a team moves its
//! leads in with, recognising its columns, turning each row into a lead, and writing lists
//! out again.
pub mod cells;
pub mod columns;
pub mod export;
pub mod read;
pub mod row;
