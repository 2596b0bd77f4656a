//! Genjin's domain types (PRODUCT.md §2), shared by server and browser.
pub mod board;
pub mod bundle;
pub mod channel;
pub mod commands;
pub mod duplicates;
pub mod embed;
pub mod enums;
pub mod feedback;
pub mod follow_up;
pub mod history;
pub mod intake;
pub mod lead;
pub mod lead_form;
pub mod lead_query;
pub mod people;
pub mod plan;
pub mod problem;
pub mod routine;
pub mod sheet_report;
pub mod strategy;
pub mod users;
pub mod validate;

pub use enums::*;
