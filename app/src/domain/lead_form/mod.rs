//! The lead form as plain data (PRODUCT.md §2, §3), the same in the browser and in tests: the
//! profile fields it shows and what is wrong with a typed value ([`fields`]), and the bodies it
//! sends — a new lead's, or an edit's changed fields with the version it started from, merged
//! with someone else's save after a conflict ([`body`]).
pub mod body;
pub mod fields;
