//! Customer value (PRODUCT.md §8, the article's 三大关键指标) and the statistics that evaluate
//! the follow-up (§7's strategy comparison): pure code shared by the browser (the lead form
//! recomputes the conversion potential as the user types) and the server.
pub mod activity;
pub mod alerts;
pub mod analyses;
pub mod clv;
pub mod compare;
pub mod potential;
pub mod stats;
pub mod workspace;

pub use activity::{activity, Activity, Recent, Touch};
pub use clv::{clv, Order, LIFETIME_YEARS};
pub use potential::{Factor, Features, Model, Potential};
