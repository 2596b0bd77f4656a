//! The enumerations of Genjin's domain, with their API keys (English, snake case) and their
//! Chinese and English labels for the UI.
use serde::{Deserialize, Serialize};

/// Defines a closed enumeration with its wire key and its zh-CN / en labels.
macro_rules! domain_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $key:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $key)] $variant),+ }

        // The API's document lists the keys the API takes and gives (a derived schema would
        // list the variants' Rust names: the derive does not see renames made in a macro).
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($key),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            /// Every value, in the order the product lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The key used in the API and in the database.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// Parses an API key; `None` for anything else.
            pub fn parse(key: &str) -> Option<Self> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }

            /// The keys every valid value may take, for error messages.
            pub fn keys() -> String {
                [$($key),+].join(", ")
            }

            /// The label shown to the user in the given language.
            pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, crate::i18n::Lang::Zh) => $zh,
                      ($name::$variant, crate::i18n::Lang::En) => $en,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::parse(s).ok_or_else(|| format!("unknown value `{s}`, expected one of: {}", Self::keys()))
            }
        }
    };
}

domain_enum!(
    /// Where a lead came from.
    Source {
        TradeShow => "trade_show", "展会", "Trade show";
        WebForm => "web_form", "官网表单", "Web form";
        Referral => "referral", "合作伙伴推荐", "Referral";
        Social => "social", "社交媒体", "Social media";
        ColdCall => "cold_call", "电话开发", "Cold call";
        Other => "other", "其他", "Other";
    }
);

domain_enum!(
    /// A lead's place in the pipeline (the kanban columns).
    Status {
        New => "new", "未接触", "New";
        Contacted => "contacted", "初步接洽", "Contacted";
        Qualified => "qualified", "需求明确", "Qualified";
        Proposal => "proposal", "方案提交", "Proposal";
        Negotiation => "negotiation", "商务谈判", "Negotiation";
        Won => "won", "成交", "Won";
        Lost => "lost", "流失", "Lost";
    }
);

impl Status {
    /// The funnel rank: new 0 … won 5; lost has none.
    pub fn rank(self) -> Option<u8> {
        match self {
            Status::New => Some(0),
            Status::Contacted => Some(1),
            Status::Qualified => Some(2),
            Status::Proposal => Some(3),
            Status::Negotiation => Some(4),
            Status::Won => Some(5),
            Status::Lost => None,
        }
    }

    /// Won and lost close a lead; every other status is open.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Won | Status::Lost)
    }

    /// The stages counted by the funnel, in order.
    pub const FUNNEL: [Status; 5] =
        [Status::Contacted, Status::Qualified, Status::Proposal, Status::Negotiation, Status::Won];
}

domain_enum!(
    /// How clear the customer's decision chain is (决策链清晰度).
    DecisionChain {
        DmEngaged => "dm_engaged", "决策人已参与", "Decision maker engaged";
        DmIdentified => "dm_identified", "已识别决策人", "Decision maker identified";
        Influencer => "influencer", "仅影响者/需内部审批", "Influencer only";
        ContactOnly => "contact_only", "仅联系人", "Contact only";
    }
);

domain_enum!(
    /// The channel of a follow-up.
    Channel {
        Phone => "phone", "电话", "Phone";
        Email => "email", "邮件", "Email";
        Meeting => "meeting", "面谈", "Meeting";
        OnlineMeeting => "online_meeting", "线上会议", "Online meeting";
        Wechat => "wechat", "微信", "WeChat";
        Visit => "visit", "拜访", "Visit";
        Event => "event", "活动", "Event";
    }
);

domain_enum!(
    /// Who started a follow-up.
    Direction {
        Outbound => "outbound", "主动联系", "Outbound";
        Inbound => "inbound", "客户来访", "Inbound";
    }
);

domain_enum!(
    /// A rep's seniority.
    Seniority {
        Manager => "manager", "销售经理", "Manager";
        Senior => "senior", "高级销售", "Senior rep";
        Junior => "junior", "初级销售", "Junior rep";
    }
);

domain_enum!(
    /// What a piece of customer feedback is about.
    FeedbackType {
        ProductService => "product_service", "产品/服务", "Product / service";
        Price => "price", "价格", "Price";
        Service => "service", "服务", "Service";
        Decision => "decision", "决策", "Decision";
    }
);

domain_enum!(
    /// The priority of a piece of feedback.
    Priority {
        High => "high", "高", "High";
        Medium => "medium", "中", "Medium";
        Low => "low", "低", "Low";
    }
);

domain_enum!(
    /// How a piece of feedback is handled (客户需求分析表's 处理方案).
    Resolution {
        ResolveNow => "resolve_now", "立即解决", "Resolve now";
        Negotiate => "negotiate", "协商解决", "Negotiate";
        CannotResolve => "cannot_resolve", "无法解决", "Cannot resolve";
    }
);

domain_enum!(
    /// Where a piece of feedback stands.
    FeedbackStatus {
        Open => "open", "待处理", "Open";
        InProgress => "in_progress", "处理中", "In progress";
        Resolved => "resolved", "已解决", "Resolved";
        Confirmed => "confirmed", "客户已确认", "Confirmed";
    }
);

domain_enum!(
    /// Why a lead was lost.
    LossReason {
        Price => "price", "价格", "Price";
        ProductFit => "product_fit", "产品不匹配", "Product fit";
        Competitor => "competitor", "竞争对手", "Competitor";
        NoBudget => "no_budget", "无预算", "No budget";
        NoDecision => "no_decision", "未决策", "No decision";
        Unresponsive => "unresponsive", "无回应", "Unresponsive";
        Other => "other", "其他", "Other";
    }
);

domain_enum!(
    /// A stage of the follow-up plan (客户跟进计划表, PRODUCT.md §5), each with its pipeline
    /// status and milestone.
    PlanStage {
        InitialContact => "initial_contact", "初步接洽", "Initial contact";
        NeedDeepening => "need_deepening", "需求深化", "Need deepening";
        ProposalComparison => "proposal_comparison", "方案对比", "Proposal comparison";
        Negotiation => "negotiation", "商务谈判", "Negotiation";
    }
);

domain_enum!(
    /// One of the four parts of a lead's score (二维四类, PRODUCT.md §3), as a manager
    /// overrides it.
    ScorePart {
        CompanySize => "company_size", "企业规模", "Company size";
        BudgetMatch => "budget_match", "预算匹配", "Budget match";
        Urgency => "urgency", "需求紧迫性", "Urgency";
        DecisionChain => "decision_chain", "决策链清晰度", "Decision chain";
    }
);

impl ScorePart {
    /// The part's place in a score's four parts (and in `ScoringSettings::max_points`).
    pub fn index(self) -> usize {
        match self {
            ScorePart::CompanySize => 0,
            ScorePart::BudgetMatch => 1,
            ScorePart::Urgency => 2,
            ScorePart::DecisionChain => 3,
        }
    }
}

domain_enum!(
    /// Whether a task comes from the follow-up cadence or was made by hand.
    TaskKind {
        FollowUp => "follow_up", "跟进计划", "Follow-up";
        Manual => "manual", "手动待办", "Manual";
        Feedback => "feedback", "处理客户反馈", "Handle feedback";
        ConfirmFeedback => "confirm_feedback", "回访确认反馈", "Confirm with the customer";
        Reevaluate => "reevaluate", "C 级线索月度复评", "Monthly C-lead re-evaluation";
        WeeklyTouch => "weekly_touch", "每周重点沟通", "Weekly touch";
    }
);

domain_enum!(
    /// A lead's activity tier (PRODUCT.md §8).
    Tier {
        Active => "active", "活跃", "Active";
        Potential => "potential", "潜力", "Potential";
        Dormant => "dormant", "沉睡", "Dormant";
    }
);

impl TaskKind {
    /// The cadence's own tasks: they end with their lead (nothing is left to follow up once
    /// it is won or lost).
    pub fn ends_with_lead(self) -> bool {
        matches!(self, TaskKind::FollowUp | TaskKind::WeeklyTouch | TaskKind::Reevaluate)
    }
}

domain_enum!(
    /// A task's priority quadrant (PRODUCT.md §13), most pressing first.
    Quadrant {
        UrgentImportant => "urgent_important", "重要且紧急", "Urgent and important";
        Important => "important", "重要不紧急", "Important";
        Urgent => "urgent", "紧急不重要", "Urgent";
        Neither => "neither", "不紧急不重要", "Neither";
    }
);

domain_enum!(
    /// The customer's mood during a follow-up.
    Mood {
        Positive => "positive", "积极", "Positive";
        Neutral => "neutral", "中立", "Neutral";
        Hesitant => "hesitant", "犹豫", "Hesitant";
        Resistant => "resistant", "抵触", "Resistant";
    }
);

domain_enum!(
    /// A lead's grade, from its total score.
    Grade {
        S => "S", "S", "S";
        A => "A", "A", "A";
        B => "B", "B", "B";
        C => "C", "C", "C";
    }
);

domain_enum!(
    /// What a user may do (PRODUCT.md §1).
    Role {
        Rep => "rep", "销售代表", "Sales rep";
        Manager => "manager", "销售经理", "Manager";
        Admin => "admin", "管理员", "Admin";
    }
);

#[cfg(test)]
mod tests {
    #[cfg(feature = "ssr")]
    #[test]
    fn the_api_document_lists_the_keys_the_api_takes() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(super::Source::schema()).unwrap();
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["enum"][1], "web_form");
        let schema = serde_json::to_value(super::Status::schema()).unwrap();
        assert_eq!(schema["enum"].as_array().map(Vec::len), Some(7));
        assert_eq!(schema["enum"][0], "new");
    }

    use super::*;

    #[test]
    fn keys_round_trip_through_parse_and_serde() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.key()), Some(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{}\"", s.key()));
        }
        assert_eq!(serde_json::to_string(&Grade::S).unwrap(), "\"S\"");
        assert_eq!(Channel::parse("online_meeting"), Some(Channel::OnlineMeeting));
        assert_eq!(Source::parse("fax"), None);
    }

    #[test]
    fn lost_has_no_rank_and_won_is_highest() {
        assert_eq!(Status::Lost.rank(), None);
        assert_eq!(Status::Won.rank(), Some(5));
        assert!(Status::Won.is_closed() && Status::Lost.is_closed() && !Status::New.is_closed());
    }
}
