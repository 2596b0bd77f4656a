//! Genjin's charts, drawn as plain SVG by the browser (and by the server for the first
//! paint): the sales funnel, line and area charts of weekly trends, and a two-panel bar chart
//! of a breakdown. The arithmetic (scales, ticks, paths) is in plain functions beside them.
//!
//! Every chart scales with its `viewBox` to the width of its card; the CSS makes its text
//! larger on a phone so it stays readable once scaled down.
pub mod bars;
pub mod funnel;
pub mod geometry;
pub mod line;

pub use bars::{BarRow, BreakdownChart};
pub use funnel::FunnelChart;
pub use geometry::Measure;
pub use line::{LineChart, Series};
