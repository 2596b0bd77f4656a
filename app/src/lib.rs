//! Genjin's shared heart: domain types, scoring, KPI definitions and the UI components,
//! compiled for the server (feature `ssr`) and for the browser (feature `hydrate`).
#![recursion_limit = "256"]
pub mod assignment;
pub mod domain;
pub mod i18n;
pub mod kpi;
pub mod pages;
pub mod scoring;
pub mod settings;
pub mod shell;

pub use shell::{shell, App};
