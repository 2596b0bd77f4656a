//! Genjin's domain types (PRODUCT.md §2), shared by server and browser.
pub mod bundle;
pub mod commands;
pub mod enums;
pub mod history;
pub mod lead;
pub mod people;
pub mod validate;

pub use enums::*;
