//! The leads list's parts: the filter form, the sort, the results (table, "load more") and the list's address.
pub mod address;
pub mod filters;
pub mod load_more;
pub mod results;
pub mod sort;
pub mod table;
