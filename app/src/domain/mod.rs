//! Genjin's domain types (PRODUCT.md §2), shared by server and browser.
pub mod bundle;
pub mod enums;
pub mod lead;
pub mod validate;

pub use enums::*;
