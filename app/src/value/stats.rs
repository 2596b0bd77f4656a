//! The statistics of the strategy comparison (PRODUCT.md §7, the article's A/B tests): the
//! two-proportion z-test and how many leads a significant answer needs.
use serde::{Deserialize, Serialize};

/// The two-sided critical value at 95 %.
pub const Z_95: f64 = 1.959_963_984_540_054;
/// The one-sided value for 80 % power.
pub const Z_POWER_80: f64 = 0.841_621_233_572_914_3;

/// The standard normal distribution function Φ(x).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// A two-proportion z-test of `won_a / leads_a` against `won_b / leads_b`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ZTest {
    pub z: f64,
    /// Two-sided.
    pub p_value: f64,
    /// At 95 %.
    pub significant: bool,
}

/// The pooled two-proportion z-test, two-sided; `None` when a side has no leads or the pooled
/// rate is 0 or 1 (nothing varies, nothing to test).
pub fn two_proportion(won_a: u64, leads_a: u64, won_b: u64, leads_b: u64) -> Option<ZTest> {
    if leads_a == 0 || leads_b == 0 {
        return None;
    }
    let (na, nb) = (leads_a as f64, leads_b as f64);
    let (pa, pb) = (won_a as f64 / na, won_b as f64 / nb);
    let pooled = (won_a + won_b) as f64 / (na + nb);
    let se = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    if se == 0.0 || !se.is_finite() {
        return None;
    }
    let z = (pa - pb) / se;
    let p_value = (2.0 * (1.0 - normal_cdf(z.abs()))).clamp(0.0, 1.0);
    Some(ZTest { z, p_value, significant: p_value < 0.05 })
}

/// How many leads each variant needs for a difference between rates `pa` and `pb` to show as
/// significant at 95 % with 80 % power; `None` when the rates are equal.
pub fn leads_needed(pa: f64, pb: f64) -> Option<u64> {
    let diff = (pa - pb).abs();
    if diff < 1e-12 {
        return None;
    }
    let mean = (pa + pb) / 2.0;
    let n = (Z_95 * (2.0 * mean * (1.0 - mean)).sqrt() + Z_POWER_80 * (pa * (1.0 - pa) + pb * (1.0 - pb)).sqrt())
        .powi(2)
        / diff.powi(2);
    Some(n.ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_distribution_matches_its_table() {
        for (x, phi) in [(0.0, 0.5), (1.0, 0.841_344_7), (1.959_964, 0.975), (-1.644_854, 0.05), (2.575_829, 0.995)] {
            assert!((normal_cdf(x) - phi).abs() < 1e-6, "Φ({x}) = {} ≠ {phi}", normal_cdf(x));
        }
    }

    #[test]
    fn the_z_test_matches_a_worked_example() {
        // 高频跟进 45 won of 300 (15 %) against 精准跟进 30 of 300 (10 %): pooled 12.5 %,
        // se = √(0.125 × 0.875 × 2/300) = 0.027003, z = 0.05 / 0.027003 = 1.8516, p = 0.0641.
        let t = two_proportion(45, 300, 30, 300).unwrap();
        assert!((t.z - 1.8516).abs() < 1e-3, "{t:?}");
        assert!((t.p_value - 0.0641).abs() < 1e-3, "{t:?}");
        assert!(!t.significant);
        // Twice the leads at the same rates: z = 2.6186, p = 0.0088, significant.
        let t = two_proportion(90, 600, 60, 600).unwrap();
        assert!((t.z - 2.6186).abs() < 1e-3 && (t.p_value - 0.0088).abs() < 1e-3 && t.significant, "{t:?}");
        // The sign follows the order of the variants.
        assert!(two_proportion(30, 300, 45, 300).unwrap().z < 0.0);
    }

    #[test]
    fn nothing_to_test_without_leads_or_variation() {
        assert_eq!(two_proportion(0, 0, 3, 10), None);
        assert_eq!(two_proportion(0, 10, 0, 12), None);
        assert_eq!(two_proportion(10, 10, 12, 12), None);
    }

    #[test]
    fn the_leads_a_significant_answer_needs() {
        // 15 % against 10 % at 95 % and 80 % power: 686 a variant (the usual table's value).
        assert_eq!(leads_needed(0.15, 0.10), Some(686));
        assert_eq!(leads_needed(0.10, 0.15), Some(686));
        assert_eq!(leads_needed(0.2, 0.2), None);
    }
}
