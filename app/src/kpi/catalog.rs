//! The KPIs as the dashboard presents them: every KPI of API.md with its unit, which way is
//! good, its value in a [`Kpis`] set, the tile group it belongs to and why it can have no
//! value. Only keys and enums here; the components name them in each language.
use super::Kpis;

/// A KPI of API.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kpi {
    NewLeads,
    ConversionRate,
    WinRate,
    AvgDealSize,
    SalesCycleDays,
    FollowupConversion,
    ResponseRate,
    ResponseTimeHoursMean,
    ResponseTimeHoursMedian,
    SlaCompliance,
    InteractionFrequency,
    PlanCompletion,
    TimelyLogging,
    InfoCompleteness,
    SatisfactionMean,
    SatisfiedRate,
    DissatisfiedRate,
    FeedbackClosure,
}

impl Kpi {
    /// The KPI's field in API.md's KPI set (also the tiles' and rows' `data-kpi`).
    pub fn key(self) -> &'static str {
        match self {
            Kpi::NewLeads => "new_leads",
            Kpi::ConversionRate => "conversion_rate",
            Kpi::WinRate => "win_rate",
            Kpi::AvgDealSize => "avg_deal_size",
            Kpi::SalesCycleDays => "sales_cycle_days",
            Kpi::FollowupConversion => "followup_conversion",
            Kpi::ResponseRate => "response_rate",
            Kpi::ResponseTimeHoursMean => "response_time_hours_mean",
            Kpi::ResponseTimeHoursMedian => "response_time_hours_median",
            Kpi::SlaCompliance => "sla_compliance",
            Kpi::InteractionFrequency => "interaction_frequency",
            Kpi::PlanCompletion => "plan_completion",
            Kpi::TimelyLogging => "timely_logging",
            Kpi::InfoCompleteness => "info_completeness",
            Kpi::SatisfactionMean => "satisfaction_mean",
            Kpi::SatisfiedRate => "satisfied_rate",
            Kpi::DissatisfiedRate => "dissatisfied_rate",
            Kpi::FeedbackClosure => "feedback_closure",
        }
    }

    /// The KPI's definition.
    pub fn def(self) -> Option<KpiDef> {
        kpi_defs().into_iter().find(|d| d.kpi == self)
    }
}

/// How a KPI is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Rate,
    Hours,
    Days,
    Amount,
    Score,
    PerWeek,
}

/// Which way is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// The groups of the KPI tiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileGroup {
    /// Leads and deals.
    Pipeline,
    Response,
    /// Follow-up discipline.
    Discipline,
    /// Customer satisfaction.
    Satisfaction,
}

/// The tile groups in the dashboard's order.
pub const TILE_GROUPS: [TileGroup; 4] =
    [TileGroup::Pipeline, TileGroup::Response, TileGroup::Discipline, TileGroup::Satisfaction];

/// What a KPI counts over; when the period has none of it, the KPI has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denominator {
    /// The period's new leads.
    NewLeads,
    /// Leads won or lost in the period.
    ClosedLeads,
    /// Leads assigned in the period and contacted since.
    ContactedLeads,
    /// Follow-ups logged in the period.
    Interactions,
    /// Follow-up tasks due in the period.
    DueTasks,
    /// Deals won in the period.
    WonDeals,
    /// Satisfaction scores given in the period.
    Scores,
    /// Customer feedback resolved in the period.
    ResolvedFeedback,
}

/// One KPI of API.md: which one, its unit, direction, value, the tile group it belongs to and
/// why it can be missing.
#[derive(Clone, Copy)]
pub struct KpiDef {
    pub kpi: Kpi,
    pub unit: Unit,
    pub better: Better,
    pub get: fn(&Kpis) -> Option<f64>,
    pub group: TileGroup,
    pub none: Denominator,
}

impl KpiDef {
    /// The KPI's field in API.md's KPI set.
    pub fn key(&self) -> &'static str {
        self.kpi.key()
    }
}

fn def(
    kpi: Kpi,
    unit: Unit,
    better: Better,
    group: TileGroup,
    none: Denominator,
    get: fn(&Kpis) -> Option<f64>,
) -> KpiDef {
    KpiDef { kpi, unit, better, get, group, none }
}

/// Every KPI of API.md, in the dashboard's order.
pub fn kpi_defs() -> [KpiDef; 18] {
    use Better::{Higher, Lower};
    use Denominator::*;
    use TileGroup::{Discipline, Pipeline, Response, Satisfaction};
    use Unit::*;
    [
        def(Kpi::NewLeads, Count, Higher, Pipeline, NewLeads, |k| Some(k.new_leads as f64)),
        def(Kpi::ConversionRate, Rate, Higher, Pipeline, NewLeads, |k| k.conversion_rate),
        def(Kpi::WinRate, Rate, Higher, Pipeline, ClosedLeads, |k| k.win_rate),
        def(Kpi::AvgDealSize, Amount, Higher, Pipeline, WonDeals, |k| k.avg_deal_size),
        def(Kpi::SalesCycleDays, Days, Lower, Pipeline, WonDeals, |k| k.sales_cycle_days),
        def(Kpi::FollowupConversion, Rate, Higher, Pipeline, Interactions, |k| k.followup_conversion),
        def(Kpi::ResponseRate, Rate, Higher, Response, NewLeads, |k| k.response_rate),
        def(Kpi::ResponseTimeHoursMean, Hours, Lower, Response, ContactedLeads, |k| k.response_time_hours_mean),
        def(Kpi::ResponseTimeHoursMedian, Hours, Lower, Response, ContactedLeads, |k| k.response_time_hours_median),
        def(Kpi::SlaCompliance, Rate, Higher, Response, NewLeads, |k| k.sla_compliance),
        def(Kpi::InteractionFrequency, PerWeek, Higher, Discipline, Interactions, |k| k.interaction_frequency),
        def(Kpi::PlanCompletion, Rate, Higher, Discipline, DueTasks, |k| k.plan_completion),
        def(Kpi::TimelyLogging, Rate, Higher, Discipline, Interactions, |k| k.timely_logging),
        def(Kpi::InfoCompleteness, Rate, Higher, Discipline, NewLeads, |k| k.info_completeness),
        def(Kpi::SatisfactionMean, Score, Higher, Satisfaction, Scores, |k| k.satisfaction_mean),
        def(Kpi::SatisfiedRate, Rate, Higher, Satisfaction, Scores, |k| k.satisfied_rate),
        def(Kpi::DissatisfiedRate, Rate, Lower, Satisfaction, Scores, |k| k.dissatisfied_rate),
        def(Kpi::FeedbackClosure, Rate, Higher, Satisfaction, ResolvedFeedback, |k| k.feedback_closure),
    ]
}

/// The definition of the KPI with this API key.
pub fn kpi_def(key: &str) -> Option<KpiDef> {
    kpi_defs().into_iter().find(|d| d.key() == key)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::kpi::FunnelStep;

    /// A KPI set with only its new leads and conversion rate.
    pub(crate) fn kpis(new_leads: u64, conversion: Option<f64>) -> Kpis {
        Kpis {
            new_leads,
            conversion_rate: conversion,
            win_rate: None,
            response_rate: None,
            response_time_hours_mean: None,
            response_time_hours_median: None,
            sla_compliance: None,
            interaction_frequency: None,
            plan_completion: None,
            info_completeness: None,
            avg_deal_size: None,
            sales_cycle_days: None,
            followup_conversion: None,
            satisfaction_mean: None,
            satisfied_rate: None,
            dissatisfied_rate: None,
            timely_logging: None,
            feedback_closure: None,
            funnel: Vec::<FunnelStep>::new(),
        }
    }

    #[test]
    fn every_kpi_of_the_api_has_a_tile() {
        let keys: Vec<&str> = kpi_defs().iter().map(|d| d.key()).collect();
        let json = serde_json::to_value(kpis(3, Some(0.5))).unwrap();
        let api: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).filter(|k| *k != "funnel").collect();
        assert_eq!(keys.len(), api.len());
        for k in api {
            assert!(keys.contains(&k), "{k}");
        }
        let k = kpis(3, Some(0.5));
        assert_eq!((kpi_def("new_leads").unwrap().get)(&k), Some(3.0));
        assert_eq!((kpi_def("conversion_rate").unwrap().get)(&k), Some(0.5));
        for d in kpi_defs() {
            assert!(TILE_GROUPS.contains(&d.group), "{}", d.key());
            assert!(d.kpi.def().is_some_and(|found| found.key() == d.key()), "{}", d.key());
        }
    }
}
