//! The KPIs of a period as the API answers them: the KPI set of API.md, its slices and the
//! funnel (`GET /api/v1/kpis`).
use super::period::Dimension;
use crate::domain::enums::Status;
use serde::{Deserialize, Serialize};

/// One funnel step: how many leads of the period reached the stage, and the share of the
/// previous step's leads that did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FunnelStep {
    pub stage: Status,
    pub reached: u64,
    pub conversion: Option<f64>,
}

/// The KPI set of API.md; `None` where the denominator is zero.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Kpis {
    pub new_leads: u64,
    pub conversion_rate: Option<f64>,
    pub win_rate: Option<f64>,
    pub response_rate: Option<f64>,
    pub response_time_hours_mean: Option<f64>,
    pub response_time_hours_median: Option<f64>,
    pub sla_compliance: Option<f64>,
    pub interaction_frequency: Option<f64>,
    pub plan_completion: Option<f64>,
    pub info_completeness: Option<f64>,
    pub avg_deal_size: Option<f64>,
    pub sales_cycle_days: Option<f64>,
    pub followup_conversion: Option<f64>,
    pub satisfaction_mean: Option<f64>,
    pub satisfied_rate: Option<f64>,
    pub dissatisfied_rate: Option<f64>,
    pub timely_logging: Option<f64>,
    pub feedback_closure: Option<f64>,
    pub funnel: Vec<FunnelStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KpiGroup {
    pub key: Option<String>,
    pub kpis: Kpis,
}

/// The answer of `GET /api/v1/kpis`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KpiReport {
    pub from: String,
    pub to: String,
    pub by: Option<Dimension>,
    pub total: Kpis,
    #[serde(default)]
    pub groups: Option<Vec<KpiGroup>>,
}

/// The API leaves `groups` out of a report that is not sliced; the pages' binary wire
/// (`crate::wire`) is positional and keeps every field.
impl Serialize for KpiReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let skip_groups = s.is_human_readable() && self.groups.is_none();
        let mut st = s.serialize_struct("KpiReport", if skip_groups { 4 } else { 5 })?;
        st.serialize_field("from", &self.from)?;
        st.serialize_field("to", &self.to)?;
        st.serialize_field("by", &self.by)?;
        st.serialize_field("total", &self.total)?;
        if skip_groups {
            st.skip_field("groups")?;
        } else {
            st.serialize_field("groups", &self.groups)?;
        }
        st.end()
    }
}
