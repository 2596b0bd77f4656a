//! A lead (线索) as the API and the UI see it, and the profile fields a user edits.
pub use super::channel::ChannelDetails;
use super::enums::*;
use super::validate::{Fields, Problem, ProblemCode};
use crate::scoring::{Score, ScoreInputs, ScoreOverride};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The fields of a lead that describe the customer and its need (PRODUCT.md §2, §3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LeadProfile {
    pub source: Option<Source>,
    #[serde(default)]
    pub source_details: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub employees: Option<u32>,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_title: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub need: Option<String>,
    #[serde(default)]
    pub pain_points: Option<String>,
    #[serde(default)]
    pub expected_solution: Option<String>,
    #[serde(default)]
    pub budget: Option<f64>,
    #[serde(default)]
    pub decision_months: Option<u32>,
    #[serde(default)]
    pub decision_chain: Option<DecisionChain>,
    #[serde(default)]
    pub strategy: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub verified: bool,
    /// 备注: free notes, as spreadsheets carry them.
    #[serde(default)]
    pub remarks: Option<String>,
    /// What the lead's channel tells (PRODUCT.md §2 source list).
    #[serde(default)]
    pub details: ChannelDetails,
}

impl LeadProfile {
    /// The profile fields a user may set, in form order.
    pub const FIELDS: [&'static str; 19] = [
        "source",
        "source_details",
        "company",
        "industry",
        "region",
        "employees",
        "contact_name",
        "contact_title",
        "phone",
        "email",
        "need",
        "pain_points",
        "expected_solution",
        "budget",
        "decision_months",
        "decision_chain",
        "strategy",
        "tags",
        "verified",
    ];

    /// Profile fields the API, imports and intake set besides the form's [`Self::FIELDS`].
    pub const MORE_FIELDS: [&'static str; 2] = ["remarks", "details"];

    /// Reads a profile from a JSON record; `source` and `company` are required.
    pub fn read(f: &mut Fields<'_>) -> LeadProfile {
        let profile = LeadProfile {
            source: f.req_enum("source"),
            source_details: f.opt_str("source_details"),
            company: f.req_str("company"),
            industry: f.opt_str("industry"),
            region: f.opt_str("region"),
            employees: f.opt_u32("employees", 10_000_000),
            contact_name: f.opt_str("contact_name"),
            contact_title: f.opt_str("contact_title"),
            phone: f.opt_str("phone"),
            email: f.opt_str("email"),
            need: f.opt_str("need"),
            pain_points: f.opt_str("pain_points"),
            expected_solution: f.opt_str("expected_solution"),
            budget: f.opt_amount("budget"),
            decision_months: f.opt_u32("decision_months", 600),
            decision_chain: f.opt_enum("decision_chain"),
            strategy: f.opt_str("strategy"),
            tags: f.str_list("tags"),
            verified: f.opt_bool("verified").unwrap_or(false),
            remarks: f.opt_str("remarks"),
            details: f.nested("details", ChannelDetails::read),
        };
        if let Some(email) = &profile.email {
            if !looks_like_email(email) {
                f.reject("email", ProblemCode::BadEmail, format!("`{email}` is not an email address"));
            }
        }
        profile
    }

    pub fn score_inputs(&self) -> ScoreInputs {
        ScoreInputs {
            employees: self.employees,
            budget: self.budget,
            decision_months: self.decision_months,
            decision_chain: self.decision_chain,
        }
    }

    /// Which of the ten completeness fields (PRODUCT.md §7) are filled.
    pub fn completeness_fields(&self) -> [bool; 10] {
        let s = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
        [
            s(&self.company),
            s(&self.industry),
            s(&self.region),
            self.employees.is_some(),
            s(&self.contact_name),
            s(&self.contact_title),
            s(&self.phone) || s(&self.email),
            s(&self.need),
            self.budget.is_some(),
            self.decision_months.is_some(),
        ]
    }

    pub fn completeness(&self) -> f64 {
        crate::kpi::info_completeness(self.completeness_fields())
    }
}

/// A light check: something@domain.tld with no spaces.
pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

/// A lead as the API answers it.
///
/// In JSON (the API, `is_human_readable`) the profile's fields sit beside the others; in the
/// pages' binary wire (`crate::wire`) the same fields travel in order with the profile nested
/// ([`LeadWire`]), because a positional format cannot read a flattened struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(remote = "Self")]
pub struct Lead {
    pub code: String,
    #[serde(flatten)]
    pub profile: LeadProfile,
    /// The owner's rep key, name and team key.
    pub owner: Option<String>,
    #[serde(default)]
    pub owner_name: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    pub created_at: DateTime<Utc>,
    pub assigned_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub first_contact_at: Option<DateTime<Utc>>,
    pub status: Status,
    /// When the lead entered its current status.
    pub status_since: DateTime<Utc>,
    pub won_at: Option<DateTime<Utc>>,
    pub lost_at: Option<DateTime<Utc>>,
    pub deal_amount: Option<f64>,
    pub loss_reason: Option<LossReason>,
    pub score: Score,
    pub grade: Grade,
    pub version: u64,
    /// Every channel this customer came through (a merge keeps both leads' sources).
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Set on a lead merged into another: the survivor's code (such a lead answers 410).
    #[serde(default)]
    pub merged_into: Option<String>,
    /// A manager's points for parts of the score in place of the rules' (PRODUCT.md §3).
    #[serde(default)]
    pub overrides: Vec<ScoreOverride>,
    /// The follow-up plan's milestones checked (PRODUCT.md §5).
    #[serde(default)]
    pub milestones: Vec<PlanStage>,
    /// The plan's completion when the lead was read (milestones reached / due so far).
    #[serde(default)]
    pub plan: Option<crate::domain::plan::Progress>,
    /// When the score last changed: the lead's creation, an edit or new rules that changed
    /// it, an override.
    #[serde(default)]
    pub scored_at: Option<DateTime<Utc>>,
    /// The score as a manager last reviewed it: the score review lists the leads whose score
    /// changed since.
    #[serde(default)]
    pub score_review: Option<ScoreReview>,
    /// Its activity score and tier when the lead was read (PRODUCT.md §8): a list, a lead's
    /// page and the board show it; it is never stored.
    #[serde(default)]
    pub activity: Option<crate::value::activity::Activity>,
}

/// A manager's review of a lead's score: who, when, and the score they saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScoreReview {
    pub at: DateTime<Utc>,
    pub by: String,
    pub total: u32,
    pub grade: Grade,
}

impl Serialize for Lead {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            Lead::serialize(self, s)
        } else {
            LeadWire::serialize(self, s)
        }
    }
}

impl<'de> Deserialize<'de> for Lead {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Lead, D::Error> {
        if d.is_human_readable() {
            Lead::deserialize(d)
        } else {
            LeadWire::deserialize(d)
        }
    }
}

/// [`Lead`] in the binary wire: every field in order, the profile nested. The compiler
/// checks that it names each field of `Lead` with its type.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Lead")]
struct LeadWire {
    code: String,
    profile: LeadProfile,
    owner: Option<String>,
    owner_name: Option<String>,
    team: Option<String>,
    created_at: DateTime<Utc>,
    assigned_at: Option<DateTime<Utc>>,
    first_contact_at: Option<DateTime<Utc>>,
    status: Status,
    status_since: DateTime<Utc>,
    won_at: Option<DateTime<Utc>>,
    lost_at: Option<DateTime<Utc>>,
    deal_amount: Option<f64>,
    loss_reason: Option<LossReason>,
    score: Score,
    grade: Grade,
    version: u64,
    sources: Vec<Source>,
    // A page never shows a merged lead (it answers with the survivor).
    #[serde(skip)]
    merged_into: Option<String>,
    overrides: Vec<ScoreOverride>,
    // The pages read the plan's completion (`plan`), not the milestones behind it.
    #[serde(skip)]
    milestones: Vec<PlanStage>,
    plan: Option<crate::domain::plan::Progress>,
    // The score review is the server's page.
    #[serde(skip)]
    scored_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    score_review: Option<ScoreReview>,
    activity: Option<crate::value::activity::Activity>,
}

/// The filters of `GET /api/v1/leads`.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct LeadFilter {
    pub status: Option<Status>,
    pub grade: Option<Grade>,
    pub owner: Option<String>,
    pub team: Option<String>,
    pub source: Option<Source>,
    pub tag: Option<String>,
    pub q: Option<String>,
    /// The activity tier now (PRODUCT.md §8).
    #[serde(default)]
    pub tier: Option<Tier>,
}

/// Where a page of the list starts: after this creation time and code.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub created_at: DateTime<Utc>,
    pub code: String,
}

impl Cursor {
    pub fn after(lead: &Lead) -> Cursor {
        Cursor { created_at: lead.created_at, code: lead.code.clone() }
    }

    /// The lead's creation time to the nanosecond, as the list orders by it: leads made in
    /// the same microsecond (several writers at once) must not fall between two pages.
    pub fn encode(&self) -> String {
        match self.created_at.timestamp_nanos_opt() {
            Some(nanos) => format!("{nanos}~{}", self.code),
            None => format!("{}~{}", self.created_at.timestamp_micros(), self.code),
        }
    }

    /// A cursor this server gave out, or none. Nanoseconds since 1970 are above 10^17 today;
    /// a smaller number is a microsecond cursor (what earlier versions gave out, and dates
    /// past 2262).
    pub fn decode(text: &str) -> Option<Cursor> {
        let (time, code) = text.split_once('~')?;
        let time: i64 = time.parse().ok()?;
        let created_at = if time.unsigned_abs() >= 100_000_000_000_000_000 {
            DateTime::from_timestamp_nanos(time)
        } else {
            DateTime::from_timestamp_micros(time)?
        };
        Some(Cursor { created_at, code: code.to_string() })
    }
}

/// A page of the leads a user may see, newest first, and where the next page starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadList {
    pub items: Vec<Lead>,
    pub next_cursor: Option<String>,
}

/// A request to move a lead to another status (a card dragged on the board).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageMove {
    pub to: Status,
    pub version: u64,
    #[serde(default)]
    pub deal_amount: Option<f64>,
    #[serde(default)]
    pub loss_reason: Option<LossReason>,
}

impl StageMove {
    /// Reads a move, checking that won carries an amount and lost a reason.
    pub fn read(value: &serde_json::Value) -> Result<StageMove, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(value, String::new(), &mut problems);
        let to: Option<Status> = f.req_enum("to");
        let version = f.opt_u32("version", u32::MAX);
        if version.is_none() && !f.has("version") {
            f.reject("version", ProblemCode::Required, "is required");
        }
        let deal_amount = f.opt_amount("deal_amount");
        let loss_reason = f.opt_enum("loss_reason");
        match to {
            Some(Status::Won) if deal_amount.is_none() => {
                f.reject("deal_amount", ProblemCode::Required, "is required when moving to won")
            }
            Some(Status::Lost) if loss_reason.is_none() => {
                f.reject("loss_reason", ProblemCode::Required, "is required when moving to lost")
            }
            _ => {}
        }
        match (to, version) {
            (Some(to), Some(version)) if problems.is_empty() => {
                Ok(StageMove { to, version: u64::from(version), deal_amount, loss_reason })
            }
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_cursor_reads_back_what_it_wrote_and_refuses_anything_else() {
        let c = Cursor {
            created_at: DateTime::from_timestamp_micros(1_733_000_000_123_456).unwrap(),
            code: "LX202600017".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        // To the nanosecond: two leads made in one microsecond are told apart.
        let c = Cursor {
            created_at: DateTime::from_timestamp_nanos(1_796_398_727_122_117_698),
            code: "LX202601374".into(),
        };
        assert_eq!(c.encode(), "1796398727122117698~LX202601374");
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        // A microsecond cursor an earlier version gave out still reads.
        assert_eq!(
            Cursor::decode("1733000000123456~LX1").map(|c| c.created_at),
            DateTime::from_timestamp_micros(1_733_000_000_123_456)
        );
        for bad in ["", "abc", "12~", "x~LX1", "99999999999999999999~LX1"] {
            assert_eq!(Cursor::decode(bad).filter(|c| !c.code.is_empty()), None, "{bad}");
        }
    }

    #[test]
    fn moving_to_won_needs_an_amount_and_to_lost_a_reason() {
        let err = StageMove::read(&json!({"to": "won", "version": 2})).unwrap_err();
        assert_eq!(err[0].path, "deal_amount");
        let err = StageMove::read(&json!({"to": "lost", "version": 2})).unwrap_err();
        assert_eq!(err[0].path, "loss_reason");
        let ok = StageMove::read(&json!({"to": "lost", "version": 2, "loss_reason": "price"}));
        assert_eq!(ok.unwrap().loss_reason, Some(LossReason::Price));
    }

    #[test]
    fn an_unknown_status_is_named_in_the_error() {
        let err = StageMove::read(&json!({"to": "done", "version": 1})).unwrap_err();
        assert_eq!(err[0].path, "to");
        assert!(err[0].message.contains("done"));
    }

    #[test]
    fn completeness_counts_phone_or_email_once() {
        let p = LeadProfile {
            company: Some("上海华信".into()),
            phone: Some("138".into()),
            email: Some("a@b.cn".into()),
            ..Default::default()
        };
        assert_eq!(p.completeness(), 0.2);
    }

    #[test]
    fn emails_are_checked_lightly() {
        assert!(looks_like_email("li.na@huaxin.com.cn"));
        assert!(!looks_like_email("li.na@huaxin"));
        assert!(!looks_like_email("li na@huaxin.cn"));
    }
}
