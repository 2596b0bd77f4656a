//! The follow-up plan (客户跟进计划表, PRODUCT.md §5, §13): four stages, each with its goal,
//! strategy, channels, talking points (BANT), time node, expected result and contingency
//! (应急预案), a milestone and an expected number of follow-ups. A workspace keeps a template
//! per grade that an admin edits; a lead's plan starts from its grade's template. The plan's
//! completion — milestones reached / milestones due so far — is pure code shared by the
//! browser (the board's cards) and the server (the lead page, the list, the plan page).
use super::enums::{Channel, Grade, PlanStage, Status};
use crate::settings::CadenceSettings;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

impl PlanStage {
    /// The stage's place in the plan, 0 to 3.
    pub fn index(self) -> usize {
        match self {
            PlanStage::InitialContact => 0,
            PlanStage::NeedDeepening => 1,
            PlanStage::ProposalComparison => 2,
            PlanStage::Negotiation => 3,
        }
    }

    /// The pipeline status the stage is worked in.
    pub fn status(self) -> Status {
        [Status::Contacted, Status::Qualified, Status::Proposal, Status::Negotiation][self.index()]
    }

    /// Where a reached milestone suggests the lead moves.
    pub fn next_status(self) -> Status {
        [Status::Qualified, Status::Proposal, Status::Negotiation, Status::Won][self.index()]
    }

    /// The follow-ups the stage expects, at least and at most (PRODUCT.md §5).
    pub fn expected_follow_ups(self) -> (u32, u32) {
        [(1, 3), (2, 4), (1, 3), (1, 2)][self.index()]
    }

    /// The stage's milestone in the reader's language.
    pub fn milestone(self, lang: crate::i18n::Lang) -> &'static str {
        let zh = lang == crate::i18n::Lang::Zh;
        match (self, zh) {
            (PlanStage::InitialContact, true) => "建立信任，明确需求负责人",
            (PlanStage::InitialContact, false) => "Trust built, the need's owner known",
            (PlanStage::NeedDeepening, true) => "客户确认核心需求，同意提供解决方案",
            (PlanStage::NeedDeepening, false) => "The customer confirms the core need and agrees to a proposal",
            (PlanStage::ProposalComparison, true) => "客户将我方方案纳入短名单",
            (PlanStage::ProposalComparison, false) => "Our proposal is on the shortlist",
            (PlanStage::Negotiation, true) => "客户签订合同或支付定金",
            (PlanStage::Negotiation, false) => "Contract signed or deposit paid",
        }
    }

    /// The stage a pipeline status is worked in (none before first contact and once closed).
    pub fn of_status(status: Status) -> Option<PlanStage> {
        PlanStage::ALL.iter().copied().find(|s| s.status() == status)
    }
}

/// The bit of a stage in a lead's set of checked milestones.
pub fn bit(stage: PlanStage) -> u8 {
    1 << stage.index()
}

/// A set of checked milestones as bits.
pub fn mask(stages: &[PlanStage]) -> u8 {
    stages.iter().fold(0, |m, s| m | bit(*s))
}

/// When each stage is due (its time node): the lead's start plus the stages' time limits by
/// grade, one after another.
pub fn time_nodes(start: DateTime<Utc>, grade: Grade, cadence: &CadenceSettings) -> [DateTime<Utc>; 4] {
    let mut at = start;
    let mut nodes = [start; 4];
    for (i, node) in nodes.iter_mut().enumerate() {
        at += Duration::days(i64::from(cadence.stage_days(i, grade)));
        *node = at;
    }
    nodes
}

/// The milestones a lead has reached: those checked, and those of every stage it has moved
/// beyond (a lead in 方案提交 built trust and had its need confirmed). A lost lead keeps only
/// those checked.
pub fn reached(status: Status, checked: u8) -> u8 {
    let beyond = match status.rank() {
        // rank: contacted 1 … won 5; stage i is worked at rank i + 1.
        Some(rank) => (0..4u8).filter(|i| rank > i + 1).fold(0, |m, i| m | (1 << i)),
        None => 0,
    };
    checked | beyond
}

/// How far a lead's plan has come: milestones reached of those due so far (a milestone is due
/// once its time node has passed, or once reached).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Progress {
    pub reached: u8,
    pub due: u8,
}

impl Progress {
    /// Reached / due; none while nothing is due.
    pub fn ratio(self) -> Option<f64> {
        (self.due > 0).then(|| f64::from(self.reached) / f64::from(self.due))
    }

    /// Behind: a milestone is due and not reached.
    pub fn behind(self) -> bool {
        self.reached < self.due
    }
}

pub fn progress(
    status: Status,
    grade: Grade,
    start: DateTime<Utc>,
    checked: u8,
    cadence: &CadenceSettings,
    now: DateTime<Utc>,
) -> Progress {
    let reached = reached(status, checked);
    let nodes = time_nodes(start, grade, cadence);
    let (mut r, mut d) = (0, 0);
    for (i, node) in nodes.iter().enumerate() {
        let hit = reached & (1 << i) != 0;
        if hit {
            r += 1;
        }
        if hit || now >= *node {
            d += 1;
        }
    }
    Progress { reached: r, due: d }
}

/// What a plan stage says: its goal, strategy, channels, talking points (BANT), expected
/// result and contingency. Templates and leads' plans hold one per stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StagePlan {
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub strategy: String,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub talking_points: String,
    #[serde(default)]
    pub expected_result: String,
    #[serde(default)]
    pub contingency: String,
}

/// The plan templates: four stages for each grade S, A, B, C.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanTemplates {
    pub grades: [[StagePlan; 4]; 4],
}

fn stage(
    goal: &str,
    strategy: &str,
    channels: &[Channel],
    talking: &str,
    expected: &str,
    contingency: &str,
) -> StagePlan {
    StagePlan {
        goal: goal.into(),
        strategy: strategy.into(),
        channels: channels.to_vec(),
        talking_points: talking.into(),
        expected_result: expected.into(),
        contingency: contingency.into(),
    }
}

impl Default for PlanTemplates {
    /// The toolkit's plans (工具包 三): S leads get senior people, technical proposals and
    /// business follow-up together; A leads a tailored proposal; B and C leads value and
    /// nurture content without pressing.
    fn default() -> Self {
        use Channel::*;
        let s = [
            stage(
                "获取决策人联系方式，确认决策链与采购时间表",
                "高层互动 + 技术方案 + 商务跟进组合推进",
                &[Phone, Meeting],
                "B 背景：业务现状与规模；A 权限：谁拍板、采购流程；N 需求：核心痛点；T 时间：采购时间表",
                "约定面谈，明确需求负责人",
                "决策人繁忙时先对接技术部门，同步准备高层拜访",
            ),
            stage(
                "引导客户确认核心痛点，认可我方能解决",
                "邀请我方技术总监参与方案沟通",
                &[Meeting, OnlineMeeting],
                "量化痛点的损失（如宕机次数、年损失金额）；确认预算范围与审批流程",
                "客户同意提供详细需求，接受方案提交",
                "需求变更时预留定制空间，重新确认范围",
            ),
            stage(
                "方案进入短名单，突出差异化价值",
                "技术方案 + 成功案例 + 竞品对比",
                &[Meeting, Email],
                "对标竞品的优势；投入产出（如年节省金额）；实施周期与风险",
                "我方方案纳入短名单",
                "客户拖延决策时给出限时方案或风险提示",
            ),
            stage(
                "推进签约或支付定金",
                "商务与法务同步推进合同条款",
                &[Meeting, Phone],
                "价格与付款方式；合同条款；上线时间",
                "签订合同或支付定金",
                "决策人更换时尽快了解新决策人的关注点",
            ),
        ];
        let a = [
            stage(
                "确认需求负责人与预算范围",
                "资深销售主导，定期电话跟进",
                &[Phone, Wechat],
                "B 背景；A 决策流程；N 核心需求；T 决策时间",
                "明确需求负责人与决策流程",
                "联系不上时改用邮件并请推荐人引荐",
            ),
            stage(
                "引导客户确认降本增效等核心需求",
                "分析客户现状数据，展示同类案例",
                &[Phone, Email],
                "现状数据（如能耗、效率）；同行业成功案例",
                "客户同意提供详细需求表",
                "准备竞品对比方案",
            ),
            stage(
                "定制方案进入短名单",
                "方案定制 + 案例背书",
                &[OnlineMeeting, Email],
                "方案与需求的对应；投入产出；交付计划",
                "我方方案纳入短名单",
                "价格敏感时提供分期或模块化报价",
            ),
            stage(
                "完成商务条款并签约",
                "经理参与商务谈判",
                &[Meeting, Phone],
                "报价与折扣权限；合同与付款节点",
                "签订合同或支付定金",
                "预算审批延迟时约定审批节点并持续跟进",
            ),
        ];
        let nurture = |who: &str| {
            [
                stage(
                    &format!("了解客户现状，建立联系（{who}）"),
                    "价值传递 + 培育教育，避免过度打扰",
                    &[Email, Wechat],
                    "客户业务现状；是否有明确采购计划与时间",
                    "客户回复并确认关注方向",
                    "无反馈时 2 周后电话回访",
                ),
                stage(
                    "提升客户对我方方案的认知",
                    "定期发送行业白皮书、成功案例",
                    &[Email],
                    "行业趋势与同行做法；客户可能的痛点",
                    "客户主动咨询细节",
                    "仍无需求时转为每月资讯培育",
                ),
                stage(
                    "提交轻量方案，进入比较",
                    "标准化方案 + 试用/演示",
                    &[OnlineMeeting, Email],
                    "方案要点；价格区间；试用安排",
                    "客户将方案纳入比较",
                    "预算不足时推荐基础版",
                ),
                stage(
                    "促成签约",
                    "限时优惠推动决策",
                    &[Phone, Email],
                    "报价与优惠期限；签约流程",
                    "签订合同或支付定金",
                    "客户拖延时说明优惠截止日",
                ),
            ]
        };
        PlanTemplates { grades: [s, a, nurture("B"), nurture("C")] }
    }
}

impl PlanTemplates {
    pub fn of(&self, grade: Grade) -> &[StagePlan; 4] {
        &self.grades[[Grade::S, Grade::A, Grade::B, Grade::C].iter().position(|g| *g == grade).unwrap_or(3)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(0, 0).unwrap() + Duration::days(day)
    }

    #[test]
    fn time_nodes_add_up_the_grades_stage_limits() {
        let c = CadenceSettings::default();
        // S: 3 days first contact, then 7, 7 and 10.
        assert_eq!(time_nodes(at(0), Grade::S, &c), [at(3), at(10), at(17), at(27)]);
        // C: 7, then 21, 21 and 30.
        assert_eq!(time_nodes(at(0), Grade::C, &c), [at(7), at(28), at(49), at(79)]);
    }

    #[test]
    fn a_stage_moved_beyond_counts_as_reached_and_checks_add_to_it() {
        assert_eq!(reached(Status::New, 0), 0);
        assert_eq!(reached(Status::Contacted, 0), 0);
        assert_eq!(reached(Status::Qualified, 0), 0b0001);
        assert_eq!(reached(Status::Negotiation, 0), 0b0111);
        assert_eq!(reached(Status::Won, 0), 0b1111);
        assert_eq!(reached(Status::Lost, bit(PlanStage::InitialContact)), 0b0001);
        assert_eq!(reached(Status::Qualified, bit(PlanStage::NeedDeepening)), 0b0011);
    }

    #[test]
    fn completion_is_reached_over_due_so_far() {
        let c = CadenceSettings::default();
        // An S lead in first contact on day 1: nothing due yet.
        let p = progress(Status::Contacted, Grade::S, at(0), 0, &c, at(1));
        assert_eq!(p, Progress { reached: 0, due: 0 });
        assert_eq!(p.ratio(), None);
        // Day 12: two time nodes passed, none reached: 0/2, behind.
        let p = progress(Status::Contacted, Grade::S, at(0), 0, &c, at(12));
        assert_eq!(p, Progress { reached: 0, due: 2 });
        assert!(p.behind());
        // In 需求明确 with its milestone checked early, day 4: 2 reached, both due: 2/2.
        let p = progress(Status::Qualified, Grade::S, at(0), bit(PlanStage::NeedDeepening), &c, at(4));
        assert_eq!(p, Progress { reached: 2, due: 2 });
        assert_eq!(p.ratio(), Some(1.0));
        // Won: all four.
        assert_eq!(progress(Status::Won, Grade::B, at(0), 0, &c, at(1)), Progress { reached: 4, due: 4 });
    }

    #[test]
    fn a_reached_milestone_suggests_the_next_status() {
        assert_eq!(PlanStage::InitialContact.next_status(), Status::Qualified);
        assert_eq!(PlanStage::Negotiation.next_status(), Status::Won);
        assert_eq!(PlanStage::of_status(Status::Proposal), Some(PlanStage::ProposalComparison));
        assert_eq!(PlanStage::of_status(Status::New), None);
        assert_eq!(PlanStage::NeedDeepening.expected_follow_ups(), (2, 4));
    }
}
