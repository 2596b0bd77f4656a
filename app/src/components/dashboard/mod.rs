//! The KPI dashboard's parts: its controls, KPI tiles, funnel, weekly trends, breakdown and period comparison.
pub mod breakdown;
pub mod comparison;
pub mod controls;
pub mod funnel;
pub mod names;
pub mod period_input;
pub mod status;
pub mod tiles;
pub mod trends;
