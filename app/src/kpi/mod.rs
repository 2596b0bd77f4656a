//! The KPIs of PRODUCT.md §7 as pure functions over the analytic view.
pub mod breakdown;
pub mod catalog;
pub mod compute;
pub mod dashboard_state;
pub mod period;
pub mod present;
pub mod presets;
pub mod report;
pub mod view;

pub use compute::{compute, compute_leads, trend};
pub use period::{Calendar, Dimension, Period, PeriodError};
pub use report::{FunnelStep, KpiGroup, KpiReport, Kpis};
pub use view::{
    bundle_changes, AnalyticView, BundleNames, FeedbackFacts, InteractionFacts, LeadFacts, TaskFacts, ViewChange,
    ViewLead,
};

/// Share of the ten profile fields of PRODUCT.md §7 that are filled: company, industry,
/// region, employees, contact name, contact title, phone or email, need, budget, decision
/// timeline.
pub fn info_completeness(fields: [bool; 10]) -> f64 {
    fields.iter().filter(|f| **f).count() as f64 / 10.0
}

#[cfg(test)]
mod fixture_tests;
