//! The app's pages.
pub mod home;
