//! Genjin's shared heart: domain types, scoring, KPI definitions and the UI components,
//! compiled for the server (feature `ssr`) and for the browser (feature `hydrate`).
#![recursion_limit = "256"]
pub mod assignment;
pub mod assignment_rules;
pub mod components;
pub mod domain;
pub mod embed;
pub mod error;
pub mod format;
pub mod i18n;
pub mod kpi;
pub mod landing;
pub mod order;
pub mod pages;
pub mod scoring;
pub mod scoring_replay;
pub mod server_fns;
pub mod settings;
pub mod settings_edit;
pub mod shell;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod ui;
pub mod value;
pub mod wire;

pub use shell::{shell, App};
