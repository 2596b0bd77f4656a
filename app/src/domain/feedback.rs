//! The feedback loop's rules (客户需求分析表, PRODUCT.md §13): the priority suggested from the
//! lead's grade and the feedback's type, and the way a piece of feedback moves from open to
//! confirmed.
use super::enums::{FeedbackStatus, FeedbackType, Grade, Priority};

/// The priority a piece of feedback is given unless its author chooses: an S lead's
/// complaint about the product is high, a C lead's remark about the material low (the
/// article's examples); in between, the closer the lead is to buying and the more the feedback
/// bears on the deal, the higher.
pub fn suggest_priority(grade: Grade, kind: FeedbackType) -> Priority {
    use FeedbackType::*;
    use Priority::*;
    match (grade, kind) {
        (Grade::S, Decision) => Medium,
        (Grade::S, _) => High,
        (Grade::A, ProductService | Price) => High,
        (Grade::A, _) => Medium,
        (Grade::B, ProductService | Price) => Medium,
        (Grade::B, _) => Low,
        (Grade::C, ProductService) => Medium,
        (Grade::C, _) => Low,
    }
}

/// Whether feedback may move from `from` to `to`: forward (open → in progress → resolved →
/// confirmed, steps may be skipped), or back from resolved to in progress when the customer
/// is not satisfied. Confirmed is final.
pub fn can_move(from: FeedbackStatus, to: FeedbackStatus) -> bool {
    use FeedbackStatus::*;
    let rank = |s: FeedbackStatus| match s {
        Open => 0,
        InProgress => 1,
        Resolved => 2,
        Confirmed => 3,
    };
    from == to || rank(to) > rank(from) || (from == Resolved && to == InProgress)
}

/// A piece of feedback as the API answers it (`type` is its kind; `why` its 5-Why chain).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Feedback {
    pub id: String,
    pub lead: String,
    pub received_at: chrono::DateTime<chrono::Utc>,
    pub channel: Option<super::enums::Channel>,
    #[serde(rename = "type")]
    pub kind: FeedbackType,
    pub priority: Priority,
    pub summary: Option<String>,
    #[serde(default)]
    pub why: Vec<String>,
    pub root_cause: Option<String>,
    pub resolution: Option<super::enums::Resolution>,
    pub plan: Option<String>,
    pub owner: Option<String>,
    pub due_at: Option<chrono::DateTime<chrono::Utc>>,
    pub status: FeedbackStatus,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    pub customer_confirmed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub satisfaction: Option<u8>,
}

/// The most "why" steps a 5-Why chain holds, and the longest a step may be.
pub const MAX_WHYS: usize = 5;
pub const MAX_WHY_CHARS: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s_leads_product_complaint_is_high_and_a_c_leads_remark_low() {
        assert_eq!(suggest_priority(Grade::S, FeedbackType::ProductService), Priority::High);
        assert_eq!(suggest_priority(Grade::A, FeedbackType::Price), Priority::High);
        assert_eq!(suggest_priority(Grade::B, FeedbackType::Price), Priority::Medium);
        assert_eq!(suggest_priority(Grade::C, FeedbackType::Service), Priority::Low);
    }

    #[test]
    fn feedback_moves_forward_and_back_only_from_resolved() {
        use FeedbackStatus::*;
        assert!(can_move(Open, InProgress) && can_move(Open, Resolved) && can_move(Resolved, Confirmed));
        assert!(can_move(Resolved, InProgress));
        assert!(!can_move(InProgress, Open) && !can_move(Confirmed, Resolved) && !can_move(Confirmed, InProgress));
    }
}
