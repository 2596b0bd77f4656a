//! Customer lifetime value (CLV, 客户生命周期价值): what a customer brings over the years.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The expected lifetime of a customer, in years, unless the workspace says otherwise.
pub const LIFETIME_YEARS: f64 = 3.0;

/// An order of a won customer, as CLV reads it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub amount: f64,
    /// Unknown for orders imported without it.
    pub profit: Option<f64>,
    pub ordered_at: DateTime<Utc>,
}

/// `average profit per order × orders per year × lifetime in years`, with orders per year =
/// orders / max(1, years since the first order); the average profit is over the orders whose
/// profit is known. `None` without orders, or without any profit known.
pub fn clv(orders: &[Order], now: DateTime<Utc>, lifetime_years: f64) -> Option<f64> {
    let first = orders.iter().map(|o| o.ordered_at).min()?;
    let profits: Vec<f64> = orders.iter().filter_map(|o| o.profit).collect();
    if profits.is_empty() {
        return None;
    }
    let n = orders.len() as f64;
    let profit = profits.iter().sum::<f64>() / profits.len() as f64;
    let years = ((now - first).num_seconds() as f64 / (365.25 * 86_400.0)).max(1.0);
    Some(profit * (n / years) * lifetime_years)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap()
    }

    fn order(profit: f64, days_ago: i64) -> Order {
        Order { amount: profit * 4.0, profit: Some(profit), ordered_at: now() - Duration::days(days_ago) }
    }

    #[test]
    fn one_order_counts_as_one_a_year() {
        // 30,000 profit, one order this year: 30,000 × 1 × 3.
        assert_eq!(clv(&[order(30_000.0, 40)], now(), LIFETIME_YEARS), Some(90_000.0));
    }

    #[test]
    fn several_years_of_orders_spread_over_the_years_since_the_first() {
        // Four orders over two years (730.5 days) with 10, 20, 30 and 40 thousand profit:
        // 25,000 a order × 2 a year × 3 years = 150,000.
        let orders = [order(10_000.0, 730), order(20_000.0, 500), order(30_000.0, 200), order(40_000.0, 10)];
        let v = clv(&orders, now(), LIFETIME_YEARS).unwrap();
        let years = 730.0 / 365.25;
        assert!((v - 25_000.0 * (4.0 / years) * 3.0).abs() < 1e-6, "{v}");
        assert!((v - 150_000.0).abs() < 150.0, "about 150,000: {v}");
        // A five-year lifetime scales it.
        assert!((clv(&orders, now(), 5.0).unwrap() - v * 5.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn no_orders_no_value_and_unknown_profits_are_left_out_of_the_average() {
        assert_eq!(clv(&[], now(), LIFETIME_YEARS), None);
        let unknown = Order { profit: None, ..order(1.0, 100) };
        assert_eq!(clv(&[unknown], now(), LIFETIME_YEARS), None);
        // Two orders this year, one profit known (20,000): 20,000 × 2 × 3.
        assert_eq!(clv(&[unknown, order(20_000.0, 10)], now(), LIFETIME_YEARS), Some(120_000.0));
    }
}
