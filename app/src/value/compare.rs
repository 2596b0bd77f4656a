//! The strategy comparison (PRODUCT.md §7, §14; the article's A/B tests): the leads of a period
//! followed up by each strategy variant, how many were won, answered and how long they took,
//! and whether the two largest variants' conversion differs beyond chance.
use super::stats::{leads_needed, two_proportion};
use crate::domain::enums::Status;
use crate::kpi::view::{AnalyticView, ViewLead};
use crate::kpi::Period;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One variant's leads of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VariantStats {
    pub key: String,
    pub leads: u64,
    pub won: u64,
    pub lost: u64,
    /// won / leads.
    pub conversion: f64,
    /// Leads with a response / leads.
    pub response_rate: f64,
    /// Mean days from assignment to won, over its won leads.
    pub cycle_days: Option<f64>,
}

/// The two-proportion z-test of the two largest variants' conversion (two-sided, 95 %).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StrategyTest {
    pub a: String,
    pub b: String,
    pub z: f64,
    pub p_value: f64,
    pub significant: bool,
    /// Leads each variant needs for the difference seen to show at 95 % with 80 % power.
    pub leads_needed: Option<u64>,
    /// How many more leads the smaller of the two needs for that (none once significant).
    pub more_needed: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StrategyReport {
    /// Largest first.
    pub variants: Vec<VariantStats>,
    pub test: Option<StrategyTest>,
}

#[derive(Default)]
struct Tally {
    leads: u64,
    won: u64,
    lost: u64,
    responded: u64,
    cycle_sum: f64,
    cycles: u64,
}

impl AnalyticView {
    /// The strategy variants of the leads of `period` for which `keep` holds.
    pub fn compare_strategies(&self, period: &Period, keep: impl Fn(&ViewLead) -> bool) -> StrategyReport {
        let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
        for l in &self.leads {
            let f = &l.facts;
            let Some(key) = f.strategy.as_deref().filter(|k| !k.is_empty()) else { continue };
            if !period.contains(f.created_at) || !keep(l) {
                continue;
            }
            let t = tallies.entry(key).or_default();
            t.leads += 1;
            t.responded += u64::from(l.responded);
            match f.status {
                Status::Won => {
                    t.won += 1;
                    if let (Some(won), Some(assigned)) = (f.won_at, f.assigned_at) {
                        t.cycle_sum += (won - assigned).num_seconds() as f64 / 86_400.0;
                        t.cycles += 1;
                    }
                }
                Status::Lost => t.lost += 1,
                _ => {}
            }
        }
        let mut variants: Vec<VariantStats> = tallies
            .into_iter()
            .map(|(key, t)| VariantStats {
                key: key.to_string(),
                leads: t.leads,
                won: t.won,
                lost: t.lost,
                conversion: t.won as f64 / t.leads as f64,
                response_rate: t.responded as f64 / t.leads as f64,
                cycle_days: (t.cycles > 0).then(|| t.cycle_sum / t.cycles as f64),
            })
            .collect();
        // Largest first; equal sizes by key.
        variants.sort_by(|x, y| y.leads.cmp(&x.leads).then_with(|| x.key.cmp(&y.key)));
        let test = match variants.as_slice() {
            [a, b, ..] => two_proportion(a.won, a.leads, b.won, b.leads).map(|t| {
                let needed = leads_needed(a.conversion, b.conversion);
                StrategyTest {
                    a: a.key.clone(),
                    b: b.key.clone(),
                    z: t.z,
                    p_value: t.p_value,
                    significant: t.significant,
                    leads_needed: needed,
                    more_needed: if t.significant {
                        None
                    } else {
                        needed.map(|n| n.saturating_sub(b.leads.min(a.leads)))
                    },
                }
            }),
            _ => None,
        };
        StrategyReport { variants, test }
    }
}

impl StrategyReport {
    /// What the comparison means, in a plain sentence.
    pub fn sentence(&self, lang: crate::i18n::Lang) -> String {
        let zh = lang == crate::i18n::Lang::Zh;
        let Some(t) = &self.test else {
            return if zh {
                "至少需要两种策略各有线索，且成交与未成交都出现过，才能比较。".into()
            } else {
                "Comparing needs two variants with leads, some won and some not.".into()
            };
        };
        let rate = |key: &str| self.variants.iter().find(|v| v.key == key).map_or(0.0, |v| v.conversion);
        let (ra, rb) = (rate(&t.a), rate(&t.b));
        let (hi, lo, rhi, rlo) = if ra >= rb { (&t.a, &t.b, ra, rb) } else { (&t.b, &t.a, rb, ra) };
        let p = crate::format::percent;
        let stats = format!("z = {}, p = {}", crate::format::fixed(t.z, 2), crate::format::fixed(t.p_value, 3));
        if t.significant {
            if zh {
                format!("「{hi}」的转化率（{}）高于「{lo}」（{}），差异在 95% 置信水平下显著（{stats}）：这不太可能是偶然。", p(rhi), p(rlo))
            } else {
                format!("“{hi}” converts better ({}) than “{lo}” ({}), significantly at 95 % ({stats}): unlikely to be chance.", p(rhi), p(rlo))
            }
        } else {
            let more = match (t.leads_needed, t.more_needed) {
                (Some(n), Some(m)) if zh => format!(
                    "按目前的差距，每种策略约需 {} 条线索才能判断（还差约 {} 条）。",
                    crate::format::thousands(n as i64),
                    crate::format::thousands(m as i64)
                ),
                (Some(n), Some(m)) => format!(
                    "At the gap seen, each variant needs about {} leads to tell ({} more).",
                    crate::format::thousands(n as i64),
                    crate::format::thousands(m as i64)
                ),
                _ if zh => "两者的转化率相同，看不出差别。".into(),
                _ => "Both convert alike: no difference to see.".into(),
            };
            if zh {
                format!("「{hi}」（{}）与「{lo}」（{}）的差异尚不显著（{stats}），可能只是偶然。{more}", p(rhi), p(rlo))
            } else {
                format!("The difference between “{hi}” ({}) and “{lo}” ({}) is not significant yet ({stats}): it may be chance. {more}", p(rhi), p(rlo))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::enums::Status;
    use crate::kpi::view::tests_support::{at, follow_up, lead};
    use crate::kpi::{AnalyticView, LeadFacts, Period, ViewChange};
    use chrono::NaiveDate;

    fn march() -> Period {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        Period::new(d(3, 1), d(4, 1), chrono_tz::Asia::Shanghai).unwrap()
    }

    /// `n` leads of variant `key`, `won` of them won 10 days after assignment, one answered.
    fn variant(view: &mut AnalyticView, key: &str, n: usize, won: usize) {
        for i in 0..n {
            let code = format!("{key}-{i}");
            let status = if i < won { Status::Won } else { Status::Contacted };
            let won_at = (i < won).then(|| at(11));
            view.apply(ViewChange::Lead(LeadFacts { status, won_at, strategy: Some(key.into()), ..lead(&code) }));
            if i == 0 {
                view.apply(ViewChange::Interaction(follow_up(&code, 2, true)));
            }
        }
    }

    #[test]
    fn the_two_largest_variants_are_tested_and_a_small_difference_asks_for_more_leads() {
        let mut view = AnalyticView::new();
        variant(&mut view, "高频跟进", 200, 60);
        variant(&mut view, "精准跟进", 150, 30);
        variant(&mut view, "试点", 10, 9);
        view.apply(ViewChange::Lead(lead("none")));
        let r = view.compare_strategies(&march(), |_| true);
        let keys: Vec<&str> = r.variants.iter().map(|v| v.key.as_str()).collect();
        assert_eq!(keys, ["高频跟进", "精准跟进", "试点"], "largest first, leads without a strategy left out");
        let hf = &r.variants[0];
        assert_eq!((hf.leads, hf.won, hf.conversion), (200, 60, 0.3));
        assert_eq!(hf.response_rate, 1.0 / 200.0);
        assert_eq!(hf.cycle_days, Some(10.0));
        let t = r.test.clone().unwrap();
        assert_eq!((t.a.as_str(), t.b.as_str()), ("高频跟进", "精准跟进"));
        // 0.30 vs 0.20 over 200 and 150: pooled p = 90/350 = 0.25714, p(1-p) = 0.19102,
        // 1/200 + 1/150 = 0.011667; z = 0.1 / sqrt(0.0022286) = 0.1 / 0.047208 = 2.1183, p = 2 × 0.01708.
        assert!((t.z - 2.1183).abs() < 1e-3, "{}", t.z);
        assert!((t.p_value - 0.0342).abs() < 1e-3, "{}", t.p_value);
        assert!(t.significant);
        assert_eq!(t.more_needed, None);
        assert_eq!(
            r.sentence(crate::i18n::Lang::Zh),
            "「高频跟进」的转化率（30.0%）高于「精准跟进」（20.0%），差异在 95% 置信水平下显著（z = 2.12, p = 0.034）：这不太可能是偶然。"
        );

        // 0.30 vs 0.25 is not significant on these numbers: so many more leads are needed.
        let mut view = AnalyticView::new();
        variant(&mut view, "A", 100, 30);
        variant(&mut view, "B", 100, 25);
        let t = view.compare_strategies(&march(), |_| true).test.unwrap();
        assert!(!t.significant);
        let needed = t.leads_needed.unwrap();
        assert!((1240..=1260).contains(&needed), "{needed}");
        assert_eq!(t.more_needed, Some(needed - 100));
        let said = view.compare_strategies(&march(), |_| true).sentence(crate::i18n::Lang::En);
        assert!(
            said.contains("not significant yet")
                && said.contains(&format!("{} more", crate::format::thousands((needed - 100) as i64))),
            "{said}"
        );

        // One variant: nothing to test.
        let mut view = AnalyticView::new();
        variant(&mut view, "A", 10, 3);
        assert!(view.compare_strategies(&march(), |_| true).test.is_none());
    }
}
