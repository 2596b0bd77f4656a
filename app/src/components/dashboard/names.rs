//! What the dashboard calls the KPIs, their tile groups and the dimensions a KPI set is sliced
//! by, and why a KPI has no value, in each language: the KPI catalog holds only keys and enums.
use crate::i18n::Lang;
use crate::kpi::catalog::{Denominator, Kpi, TileGroup};
use crate::kpi::Dimension;

crate::texts! {
    NoData: "无数据", "No data";
    // Dimensions
    Source: "线索来源", "Source";
    Grade: "线索等级", "Grade";
    Owner: "负责人", "Owner";
    Team: "团队", "Team";
    Region: "地区", "Region";
    Industry: "行业", "Industry";
    // Tile groups
    GPipeline: "线索与成交", "Leads and deals";
    GResponse: "响应速度", "Response";
    GDiscipline: "跟进执行", "Follow-up discipline";
    GSatisfaction: "客户满意", "Customer satisfaction";
    // KPI names
    NewLeads: "新线索数", "New leads";
    ConversionRate: "线索转化率", "Lead conversion rate";
    WinRate: "赢单率", "Win rate";
    ResponseRate: "线索响应率", "Response rate";
    ResponseTimeHoursMean: "平均响应时长", "Response time (mean)";
    ResponseTimeHoursMedian: "响应时长中位数", "Response time (median)";
    SlaCompliance: "SLA 达标率", "SLA compliance";
    InteractionFrequency: "互动频率", "Interaction frequency";
    PlanCompletion: "跟进计划完成率", "Follow-up plan completion";
    InfoCompleteness: "客户信息完整度", "Profile completeness";
    AvgDealSize: "客单价", "Average deal size";
    SalesCycleDays: "销售周期", "Sales cycle";
    FollowupConversion: "跟进转化率", "Follow-up conversion";
    SatisfactionMean: "客户满意度", "Satisfaction";
    SatisfiedRate: "满意率", "Satisfied rate";
    DissatisfiedRate: "不满意率", "Dissatisfied rate";
    TimelyLogging: "记录及时率", "Timely logging";
    FeedbackClosure: "反馈闭环率", "Feedback closure";
    // Why a KPI has no value: its denominator is empty.
    NoneNew: "本时段没有新线索，无法计算", "No new leads in this period, so nothing to compute";
    NoneClosed: "本时段没有赢单或流失的线索，无法计算", "No lead was won or lost in this period, so nothing to compute";
    NoneContacted: "本时段分配的线索都还没有首次联系，无法计算", "No lead assigned in this period has been contacted yet, so nothing to compute";
    NoneInteractions: "本时段没有跟进记录，无法计算", "No follow-ups were logged in this period, so nothing to compute";
    NoneTasks: "本时段没有到期的跟进计划，无法计算", "No follow-up task was due in this period, so nothing to compute";
    NoneWon: "本时段没有赢单，无法计算", "No deal was won in this period, so nothing to compute";
    NoneScores: "本时段没有满意度评分，无法计算", "No satisfaction score was given in this period, so nothing to compute";
    NoneFeedback: "本时段没有已解决的客户反馈，无法计算", "No customer feedback was resolved in this period, so nothing to compute";
}

/// A KPI's name.
pub fn kpi_name(lang: Lang, kpi: Kpi) -> &'static str {
    let key = match kpi {
        Kpi::NewLeads => T::NewLeads,
        Kpi::ConversionRate => T::ConversionRate,
        Kpi::WinRate => T::WinRate,
        Kpi::AvgDealSize => T::AvgDealSize,
        Kpi::SalesCycleDays => T::SalesCycleDays,
        Kpi::FollowupConversion => T::FollowupConversion,
        Kpi::ResponseRate => T::ResponseRate,
        Kpi::ResponseTimeHoursMean => T::ResponseTimeHoursMean,
        Kpi::ResponseTimeHoursMedian => T::ResponseTimeHoursMedian,
        Kpi::SlaCompliance => T::SlaCompliance,
        Kpi::InteractionFrequency => T::InteractionFrequency,
        Kpi::PlanCompletion => T::PlanCompletion,
        Kpi::TimelyLogging => T::TimelyLogging,
        Kpi::InfoCompleteness => T::InfoCompleteness,
        Kpi::SatisfactionMean => T::SatisfactionMean,
        Kpi::SatisfiedRate => T::SatisfiedRate,
        Kpi::DissatisfiedRate => T::DissatisfiedRate,
        Kpi::FeedbackClosure => T::FeedbackClosure,
    };
    t(lang, key)
}

/// A tile group's heading.
pub fn group_name(lang: Lang, group: TileGroup) -> &'static str {
    let key = match group {
        TileGroup::Pipeline => T::GPipeline,
        TileGroup::Response => T::GResponse,
        TileGroup::Discipline => T::GDiscipline,
        TileGroup::Satisfaction => T::GSatisfaction,
    };
    t(lang, key)
}

/// What a dimension is called in the slice picker and the breakdown.
pub fn dimension_name(lang: Lang, dimension: Dimension) -> &'static str {
    let key = match dimension {
        Dimension::Source => T::Source,
        Dimension::Grade => T::Grade,
        Dimension::Owner => T::Owner,
        Dimension::Team => T::Team,
        Dimension::Region => T::Region,
        Dimension::Industry => T::Industry,
    };
    t(lang, key)
}

/// The tooltip of a KPI without a value: "no data" and why (its denominator is empty).
pub fn no_value_tip(lang: Lang, none: Denominator) -> String {
    let why = match none {
        Denominator::NewLeads => T::NoneNew,
        Denominator::ClosedLeads => T::NoneClosed,
        Denominator::ContactedLeads => T::NoneContacted,
        Denominator::Interactions => T::NoneInteractions,
        Denominator::DueTasks => T::NoneTasks,
        Denominator::WonDeals => T::NoneWon,
        Denominator::Scores => T::NoneScores,
        Denominator::ResolvedFeedback => T::NoneFeedback,
    };
    format!("{}：{}", t(lang, T::NoData), t(lang, why))
}
