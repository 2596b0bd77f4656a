//! The app's pages, one a route.
pub mod board;
pub mod dashboard;
pub mod home;
pub mod lead;
pub mod lead_form;
pub mod leads;
pub mod login;
