//! The conversion potential 转化潜力: the probability that an open lead is won, from a
//! logistic model fitted on the workspace's closed leads (from 200 of them), else the
//! historical win rate of the lead's grade. Each factor's contribution to the log-odds is
//! shown beside the probability, largest first.
use crate::domain::enums::Source;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The model is fitted once the workspace has this many closed leads.
pub const MIN_CLOSED: usize = 200;

/// What the model reads of a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Features {
    /// The grade's sub-scores (PRODUCT.md §3).
    pub company_size: f64,
    pub budget_match: f64,
    pub urgency: f64,
    pub decision_chain: f64,
    pub source: Source,
    /// The activity score, 0–100.
    pub activity: f64,
    /// Whether the customer ever responded.
    pub responded: bool,
    /// Days since the lead was created.
    pub days: f64,
}

/// The sources with a factor of their own ("other" is the baseline).
const SOURCES: [Source; 5] = [Source::TradeShow, Source::WebForm, Source::Referral, Source::Social, Source::ColdCall];

impl Features {
    /// The factors' names, in the order of `values` (the UI names them: `source:referral` is
    /// "来源：合作伙伴推荐").
    pub fn names() -> Vec<String> {
        let mut names: Vec<String> =
            ["company_size", "budget_match", "urgency", "decision_chain"].iter().map(|s| s.to_string()).collect();
        names.extend(SOURCES.iter().map(|s| format!("source:{}", s.key())));
        names.extend(["activity", "responded", "days"].iter().map(|s| s.to_string()));
        names
    }

    /// The model's inputs.
    pub fn values(&self) -> Vec<f64> {
        let mut v = vec![self.company_size, self.budget_match, self.urgency, self.decision_chain];
        v.extend(SOURCES.iter().map(|s| if *s == self.source { 1.0 } else { 0.0 }));
        v.extend([self.activity, if self.responded { 1.0 } else { 0.0 }, self.days]);
        v
    }
}

/// A fitted model: the intercept and one coefficient a factor, with when and on how many
/// closed leads it was fitted, and how well it did on closed leads it did not see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Model {
    pub intercept: f64,
    pub coefficients: Vec<Coefficient>,
    pub fitted_at: DateTime<Utc>,
    /// Closed leads it was fitted on.
    pub sample: usize,
    pub quality: Option<Quality>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Coefficient {
    pub name: String,
    pub value: f64,
}

/// How the model did on held-out closed leads (`held_out` of them, each at every age it was
/// still open): the area under the ROC curve and, by decile of predicted probability, the
/// mean predicted against the share won.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Quality {
    pub held_out: usize,
    pub auc: Option<f64>,
    pub calibration: Vec<Decile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Decile {
    /// Held-out scorings in the decile (a lead at each age it was still open).
    pub samples: usize,
    pub predicted: f64,
    pub observed: f64,
}

/// A factor's share in a lead's log-odds (coefficient × value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Factor {
    pub name: String,
    pub contribution: f64,
    /// The factor's name for people, in the reader's language (the API names them when asked;
    /// always written, as the pages' binary wire needs every field).
    #[serde(default)]
    pub label: Option<String>,
}

/// A lead's conversion potential: the probability (none when there is nothing to go by), which
/// model gave it (`logistic` or `grade_rate`), and the factors, largest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Potential {
    pub probability: Option<f64>,
    pub model: String,
    pub factors: Vec<Factor>,
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl Model {
    /// The log-odds of a lead with these inputs (in `Features::values`' order).
    fn log_odds(&self, values: &[f64]) -> f64 {
        self.intercept + self.coefficients.iter().zip(values).map(|(c, x)| c.value * x).sum::<f64>()
    }

    /// The probability a lead with these inputs is won.
    pub fn probability(&self, f: &Features) -> Option<f64> {
        Some(sigmoid(self.log_odds(&f.values())))
    }

    /// The probability a lead is won, and each factor's contribution to its log-odds.
    pub fn predict(&self, f: &Features) -> Potential {
        let values = f.values();
        let log_odds = self.log_odds(&values);
        let mut factors: Vec<Factor> = self
            .coefficients
            .iter()
            .zip(values)
            .map(|(c, x)| Factor { name: c.name.clone(), contribution: c.value * x, label: None })
            .collect();
        factors.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
        Potential { probability: Some(sigmoid(log_odds)), model: "logistic".into(), factors }
    }
}

/// Before the model: the historical win rate of the lead's grade (none when the grade has no
/// closed leads).
pub fn by_grade_rate(rate: Option<f64>) -> Potential {
    Potential { probability: rate, model: "grade_rate".into(), factors: Vec::new() }
}

/// Fits a logistic regression on `rows` (inputs, won) by Newton's method on standardised
/// inputs, with a slight ridge so that a factor that separates the classes alone stays finite;
/// the coefficients are given back on the inputs' own scale. `None` without both outcomes.
pub fn fit(rows: &[(Vec<f64>, bool)], names: &[String], at: DateTime<Utc>) -> Option<Model> {
    let n = rows.len();
    let k = names.len();
    if n == 0 || rows.iter().all(|r| r.1) || rows.iter().all(|r| !r.1) || rows.iter().any(|r| r.0.len() != k) {
        return None;
    }
    // Standardise each input (a constant one stays at zero and gets no weight).
    let mean: Vec<f64> = (0..k).map(|j| rows.iter().map(|r| r.0[j]).sum::<f64>() / n as f64).collect();
    let sd: Vec<f64> = (0..k)
        .map(|j| {
            let var = rows.iter().map(|r| (r.0[j] - mean[j]).powi(2)).sum::<f64>() / n as f64;
            if var > 1e-12 {
                var.sqrt()
            } else {
                1.0
            }
        })
        .collect();
    let x: Vec<Vec<f64>> =
        rows.iter().map(|r| std::iter::once(1.0).chain((0..k).map(|j| (r.0[j] - mean[j]) / sd[j])).collect()).collect();
    let y: Vec<f64> = rows.iter().map(|r| if r.1 { 1.0 } else { 0.0 }).collect();
    let dim = k + 1;
    let ridge = 1e-3;
    let mut beta = vec![0.0; dim];
    for _ in 0..100 {
        // Gradient and Hessian of the penalised log-likelihood.
        let mut grad = vec![0.0; dim];
        let mut hess = vec![vec![0.0; dim]; dim];
        for (xi, yi) in x.iter().zip(&y) {
            let p = sigmoid(xi.iter().zip(&beta).map(|(a, b)| a * b).sum());
            let w = (p * (1.0 - p)).max(1e-10);
            for a in 0..dim {
                grad[a] += (yi - p) * xi[a];
                for b in a..dim {
                    hess[a][b] += w * xi[a] * xi[b];
                }
            }
        }
        // The lower triangle mirrors the upper; the ridge spares the intercept.
        for a in 1..dim {
            let (upper, lower) = hess.split_at_mut(a);
            for (b, row) in upper.iter().enumerate() {
                lower[0][b] = row[a];
            }
            grad[a] -= ridge * beta[a];
            lower[0][a] += ridge;
        }
        let step = solve(hess, grad)?;
        let change = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));
        for (b, s) in beta.iter_mut().zip(&step) {
            *b += s;
        }
        if change < 1e-9 {
            break;
        }
    }
    // Back to the inputs' scale: β_j / sd_j, and the intercept takes the means.
    let coefficients: Vec<Coefficient> =
        (0..k).map(|j| Coefficient { name: names[j].clone(), value: beta[j + 1] / sd[j] }).collect();
    let intercept = beta[0] - (0..k).map(|j| beta[j + 1] * mean[j] / sd[j]).sum::<f64>();
    Some(Model { intercept, coefficients, fitted_at: at, sample: n, quality: None })
}

/// Solves `a · x = b` (a symmetric positive definite) by Gaussian elimination with partial
/// pivoting; `None` when it is singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-14 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col].clone();
        for row in col + 1..n {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|c| a[row][c] * x[c]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

/// Fits on four fifths of the leads (every fifth lead of `groups` held out, all its rows),
/// measures the fit on the leads it did not see, then fits again on all of them: the model
/// kept, with the held-out quality. `groups[i]` names the lead of `rows[i]`.
pub fn fit_with_quality(
    rows: &[(Vec<f64>, bool)],
    groups: &[u32],
    names: &[String],
    at: DateTime<Utc>,
) -> Option<Model> {
    let held = |g: u32| g % 5 == 4;
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (r, g) in rows.iter().zip(groups) {
        if held(*g) {
            test.push(r.clone())
        } else {
            train.push(r.clone())
        }
    }
    let mut held_leads: Vec<u32> = groups.iter().copied().filter(|g| held(*g)).collect();
    held_leads.dedup();
    let quality = fit(&train, names, at).map(|m| {
        let scored: Vec<(f64, bool)> = test.iter().map(|(x, won)| (sigmoid(m.log_odds(x)), *won)).collect();
        Quality { held_out: held_leads.len(), auc: auc(&scored), calibration: deciles(&scored) }
    });
    fit(rows, names, at).map(|m| Model { quality, ..m })
}

/// The area under the ROC curve of (probability, won) pairs (ties counted half); `None`
/// without both outcomes.
pub fn auc(scored: &[(f64, bool)]) -> Option<f64> {
    let pos = scored.iter().filter(|s| s.1).count();
    let neg = scored.len() - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut sorted: Vec<&(f64, bool)> = scored.iter().collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Mann–Whitney: the positives' ranks (1-based, ties at their mean).
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1].0 == sorted[i].0 {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += mean_rank * sorted[i..=j].iter().filter(|s| s.1).count() as f64;
        i = j + 1;
    }
    let pos = pos as f64;
    Some((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg as f64))
}

/// Calibration by decile of predicted probability: ten groups as equal as can be (fewer when
/// there are fewer than ten leads), the lowest first.
pub fn deciles(scored: &[(f64, bool)]) -> Vec<Decile> {
    let mut sorted: Vec<&(f64, bool)> = scored.iter().collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let groups = sorted.len().min(10);
    (0..groups)
        .map(|g| {
            let part = &sorted[g * sorted.len() / groups..(g + 1) * sorted.len() / groups];
            let n = part.len() as f64;
            Decile {
                samples: part.len(),
                predicted: part.iter().map(|s| s.0).sum::<f64>() / n,
                observed: part.iter().filter(|s| s.1).count() as f64 / n,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A deterministic stream of numbers in [0, 1).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap()
    }

    #[test]
    fn the_fit_recovers_known_coefficients() {
        // log-odds = -1 + 0.08·a − 1.5·b + 0.6·c on 20,000 synthetic leads.
        let mut r = Lcg(7);
        let rows: Vec<(Vec<f64>, bool)> = (0..20_000)
            .map(|_| {
                let (a, b, c) = (r.next() * 30.0, if r.next() < 0.4 { 1.0 } else { 0.0 }, r.next() * 4.0 - 2.0);
                let p = sigmoid(-1.0 + 0.08 * a - 1.5 * b + 0.6 * c);
                (vec![a, b, c], r.next() < p)
            })
            .collect();
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let m = fit(&rows, &names, at()).unwrap();
        let got: Vec<f64> = m.coefficients.iter().map(|c| c.value).collect();
        assert!((m.intercept + 1.0).abs() < 0.12, "{m:?}");
        assert!((got[0] - 0.08).abs() < 0.01, "{got:?}");
        assert!((got[1] + 1.5).abs() < 0.1, "{got:?}");
        assert!((got[2] - 0.6).abs() < 0.05, "{got:?}");
        assert_eq!(m.sample, 20_000);
        // Held out, it ranks well and is calibrated.
        let groups: Vec<u32> = (0..rows.len() as u32).collect();
        let m = fit_with_quality(&rows, &groups, &names, at()).unwrap();
        let q = m.quality.unwrap();
        assert_eq!(q.held_out, 4_000);
        assert!(q.auc.unwrap() > 0.75, "{q:?}");
        assert_eq!(q.calibration.len(), 10);
        for d in &q.calibration {
            assert!((d.predicted - d.observed).abs() < 0.06, "{d:?}");
        }
        assert!(q.calibration.windows(2).all(|w| w[0].predicted <= w[1].predicted));
    }

    #[test]
    fn a_factor_that_separates_alone_stays_finite_and_a_constant_one_gets_no_weight() {
        let rows: Vec<(Vec<f64>, bool)> = (0..300).map(|i| (vec![f64::from(i % 2), 5.0], i % 2 == 1)).collect();
        let names = vec!["responded".to_string(), "same".to_string()];
        let m = fit(&rows, &names, at()).unwrap();
        assert!(m.coefficients[0].value.is_finite() && m.coefficients[0].value > 3.0, "{m:?}");
        assert_eq!(m.coefficients[1].value, 0.0);
        assert!(fit(&rows[..0], &names, at()).is_none());
        let all_won: Vec<(Vec<f64>, bool)> = rows.iter().map(|r| (r.0.clone(), true)).collect();
        assert!(fit(&all_won, &names, at()).is_none());
    }

    #[test]
    fn a_prediction_names_each_factors_share_largest_first() {
        let names = Features::names();
        let mut coefficients: Vec<Coefficient> =
            names.iter().map(|n| Coefficient { name: n.clone(), value: 0.0 }).collect();
        let set = |cs: &mut Vec<Coefficient>, name: &str, v: f64| {
            cs.iter_mut().find(|c| c.name == name).unwrap().value = v;
        };
        set(&mut coefficients, "budget_match", 0.1);
        set(&mut coefficients, "source:referral", 0.8);
        set(&mut coefficients, "days", -0.01);
        let m = Model { intercept: -2.0, coefficients, fitted_at: at(), sample: 250, quality: None };
        let f = Features {
            company_size: 20.0,
            budget_match: 25.0,
            urgency: 10.0,
            decision_chain: 15.0,
            source: Source::Referral,
            activity: 45.0,
            responded: true,
            days: 30.0,
        };
        let p = m.predict(&f);
        // log-odds = −2 + 2.5 + 0.8 − 0.3 = 1.0
        assert!((p.probability.unwrap() - sigmoid(1.0)).abs() < 1e-12);
        assert_eq!(p.model, "logistic");
        let top: Vec<(&str, f64)> = p.factors.iter().take(3).map(|f| (f.name.as_str(), f.contribution)).collect();
        assert_eq!(top[0].0, "budget_match");
        assert!((top[0].1 - 2.5).abs() < 1e-12);
        assert_eq!(top[1].0, "source:referral");
        assert_eq!(top[2].0, "days");
        assert!((top[2].1 + 0.3).abs() < 1e-12);
        // Another source: the referral factor gives nothing.
        let cold = m.predict(&Features { source: Source::ColdCall, ..f });
        assert!((cold.probability.unwrap() - sigmoid(0.2)).abs() < 1e-12);
        assert_eq!(Features::names().len(), Features { source: Source::Other, ..cold_features() }.values().len());
    }

    fn cold_features() -> Features {
        Features {
            company_size: 0.0,
            budget_match: 0.0,
            urgency: 0.0,
            decision_chain: 0.0,
            source: Source::ColdCall,
            activity: 0.0,
            responded: false,
            days: 0.0,
        }
    }

    #[test]
    fn auc_and_deciles_on_small_hand_made_sets() {
        // Perfectly ranked, reversed, and with a tie between a won and a lost lead.
        assert_eq!(auc(&[(0.1, false), (0.4, false), (0.6, true), (0.9, true)]), Some(1.0));
        assert_eq!(auc(&[(0.1, true), (0.9, false)]), Some(0.0));
        assert_eq!(auc(&[(0.5, true), (0.5, false)]), Some(0.5));
        assert_eq!(auc(&[(0.5, true)]), None);
        let d = deciles(&[(0.2, false), (0.8, true), (0.4, true)]);
        assert_eq!(d.len(), 3);
        assert_eq!((d[0].predicted, d[0].observed), (0.2, 0.0));
        assert_eq!((d[2].predicted, d[2].observed), (0.8, 1.0));
        let twenty: Vec<(f64, bool)> = (0..20).map(|i| (f64::from(i) / 20.0, i % 2 == 0)).collect();
        assert!(deciles(&twenty).iter().all(|d| d.samples == 2 && d.observed == 0.5));
    }

    #[test]
    fn before_the_model_the_grades_rate_stands_alone() {
        let p = by_grade_rate(Some(0.25));
        assert_eq!((p.probability, p.model.as_str(), p.factors.len()), (Some(0.25), "grade_rate", 0));
        assert_eq!(by_grade_rate(None).probability, None);
    }
}
