//! The charts' arithmetic, in plain functions: round ticks, linear scales, the x positions of
//! evenly spaced points, SVG paths that lift the pen over missing values, thinned and clipped
//! labels, and how a chart writes its values.
use crate::format::{percent, thousands};

/// A "nice" step (1, 2 or 5 times a power of ten) close to `span / count`.
pub fn nice_step(span: f64, count: usize) -> f64 {
    let span = if span.is_finite() && span > 0.0 { span } else { 1.0 };
    let raw = span / count.max(1) as f64;
    // The power of ten at or below `raw`, by steps of ten (no `powf`/`log10` in the wasm).
    // Powers below one as 1 / 10^k, each correctly rounded as its literal would be.
    let (mut power, mut inverse) = (1.0, 1.0);
    while power * 10.0 <= raw {
        power *= 10.0;
    }
    while power > raw {
        inverse *= 10.0;
        power = 1.0 / inverse;
    }
    let error = raw / power;
    let factor = if error >= 50f64.sqrt() {
        10.0
    } else if error >= 10f64.sqrt() {
        5.0
    } else if error >= 2f64.sqrt() {
        2.0
    } else {
        1.0
    };
    factor * power
}

/// Rounds away the binary noise of `k × step` (0.15000000000000002 → 0.15).
fn tidy(v: f64) -> f64 {
    let r = (v * 1e9).round() / 1e9;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// About `count` evenly spaced round ticks covering `[min, max]`: the first at or below
/// `min`, the last at or above `max`. An empty span gets a span of one.
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    let (mut lo, mut hi) = if min <= max { (min, max) } else { (max, min) };
    if !lo.is_finite() || !hi.is_finite() {
        return vec![0.0, 1.0];
    }
    if (hi - lo).abs() < f64::EPSILON {
        if lo.abs() < f64::EPSILON {
            hi = lo + 1.0;
        } else {
            lo -= lo.abs() * 0.5;
            hi += hi.abs() * 0.5;
        }
    }
    let step = nice_step(hi - lo, count);
    let first = (lo / step).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    (first..=last.max(first + 1)).map(|k| tidy(k as f64 * step)).collect()
}

/// A linear map from a domain `[d0, d1]` to a range `[r0, r1]` (pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale { d0: domain.0, d1: domain.1, r0: range.0, r1: range.1 }
    }

    /// The position of `v`; the middle of the range when the domain is empty.
    pub fn at(&self, v: f64) -> f64 {
        if (self.d1 - self.d0).abs() < f64::EPSILON {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// The x position of point `i` of `n`, evenly spread over `[left, right]` (one point sits in
/// the middle).
pub fn spread(i: usize, n: usize, left: f64, right: f64) -> f64 {
    if n <= 1 {
        (left + right) / 2.0
    } else {
        left + (right - left) * i as f64 / (n - 1) as f64
    }
}

/// A coordinate as SVG writes it: at most one decimal, none when whole.
pub(super) fn num(v: f64) -> String {
    let n = (v * 10.0).round() as i64;
    if n % 10 == 0 {
        (n / 10).to_string()
    } else {
        crate::format::tenths(n)
    }
}

/// The runs of consecutive known points: a missing value breaks a line.
pub fn segments(points: &[Option<(f64, f64)>]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut run = Vec::new();
    for p in points {
        match p {
            Some(p) => run.push(*p),
            None if !run.is_empty() => out.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// An SVG path through the known points, lifting the pen over missing ones.
pub fn line_path(points: &[Option<(f64, f64)>]) -> String {
    let mut d = String::new();
    for run in segments(points) {
        for (i, (x, y)) in run.iter().enumerate() {
            if !d.is_empty() {
                d.push(' ');
            }
            d.push(if i == 0 { 'M' } else { 'L' });
            d.push_str(&format!("{} {}", num(*x), num(*y)));
        }
    }
    d
}

/// An SVG path filling between the line and the baseline `base`, one closed shape per run.
pub fn area_path(points: &[Option<(f64, f64)>], base: f64) -> String {
    let mut parts = Vec::new();
    for run in segments(points) {
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            continue;
        };
        let mut d = format!("M{} {}", num(first.0), num(base));
        for (x, y) in &run {
            d.push_str(&format!(" L{} {}", num(*x), num(*y)));
        }
        d.push_str(&format!(" L{} {} Z", num(last.0), num(base)));
        parts.push(d);
    }
    parts.join(" ")
}

/// Every how many labels one is written so that at most `max` are.
pub fn label_stride(n: usize, max: usize) -> usize {
    n.div_ceil(max.max(1)).max(1)
}

/// Shortens a label to `max` characters, ending it with "…".
pub fn clip(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// How a chart writes its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Count,
    /// A fraction 0–1, written as a percentage.
    Rate,
}

impl Measure {
    /// A value next to a point or bar.
    pub fn value(self, v: f64) -> String {
        match self {
            Measure::Count => thousands(v.round() as i64),
            Measure::Rate => percent(v),
        }
    }

    /// A tick on an axis: rates as whole percentages when the step allows.
    pub fn tick(self, v: f64, step: f64) -> String {
        match self {
            Measure::Count if step < 1.0 => crate::format::short(v, 3),
            Measure::Count => thousands(v.round() as i64),
            Measure::Rate if step >= 0.01 - 1e-12 => format!("{}%", crate::format::fixed(v * 100.0, 0)),
            Measure::Rate => percent(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_data() {
        let ticks = nice_ticks(0.0, 137.0, 5);
        assert_eq!(ticks, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0, 140.0]);
        assert_eq!(nice_ticks(0.0, 100.0, 4), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(0.0, 0.37, 4), vec![0.0, 0.1, 0.2, 0.3, 0.4]);
        assert_eq!(nice_ticks(0.0, 0.0, 4), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.0, 3.0, 4), vec![0.0, 1.0, 2.0, 3.0]);
        let neg = nice_ticks(-12.0, 7.0, 4);
        assert!(neg[0] <= -12.0 && *neg.last().unwrap() >= 7.0);
        assert_eq!(nice_ticks(0.0, 0.15, 3), vec![0.0, 0.05, 0.1, 0.15]);
    }

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(137.0, 5), 20.0);
        assert_eq!(nice_step(1000.0, 4), 200.0);
        assert_eq!(nice_step(0.9, 3), 0.2);
        assert_eq!(nice_step(0.0, 3), 0.5);
    }

    #[test]
    fn a_scale_maps_the_domain_onto_the_range() {
        let s = Scale::new((0.0, 100.0), (200.0, 0.0));
        assert_eq!(s.at(0.0), 200.0);
        assert_eq!(s.at(100.0), 0.0);
        assert_eq!(s.at(25.0), 150.0);
        assert_eq!(Scale::new((5.0, 5.0), (0.0, 10.0)).at(5.0), 5.0);
        assert_eq!(spread(0, 1, 0.0, 100.0), 50.0);
        assert_eq!(spread(2, 3, 0.0, 100.0), 100.0);
    }

    #[test]
    fn a_missing_value_breaks_the_line() {
        let pts = [Some((0.0, 10.0)), Some((10.0, 5.0)), None, Some((30.0, 2.5))];
        assert_eq!(line_path(&pts), "M0 10 L10 5 M30 2.5");
        assert_eq!(area_path(&pts[..2], 20.0), "M0 20 L0 10 L10 5 L10 20 Z");
        assert_eq!(line_path(&[None, None]), "");
        assert_eq!(segments(&pts).len(), 2);
    }

    #[test]
    fn labels_are_thinned_and_clipped() {
        assert_eq!(label_stride(13, 7), 2);
        assert_eq!(label_stride(5, 7), 1);
        assert_eq!(label_stride(0, 7), 1);
        assert_eq!(clip("华东销售一组", 8), "华东销售一组");
        assert_eq!(clip("上海华信科技有限公司", 8), "上海华信科技有…");
    }

    #[test]
    fn ticks_and_values_are_written_for_people() {
        assert_eq!(Measure::Rate.tick(0.2, 0.1), "20%");
        assert_eq!(Measure::Rate.tick(0.025, 0.005), "2.5%");
        assert_eq!(Measure::Count.tick(1200.0, 200.0), "1,200");
        assert_eq!(Measure::Rate.value(0.4567), "45.7%");
        assert_eq!(Measure::Count.value(12.0), "12");
    }
}
