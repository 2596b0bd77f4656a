//! The history bundle of `POST /api/v1/import`: a team's teams, reps, leads and their whole
//! history. [`Bundle::read`] validates everything first and reports every problem with its
//! path; only a bundle without problems is written.
use super::enums::*;
use super::lead::LeadProfile;
use super::validate::{Fields, Problem, ProblemCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TeamRecord {
    pub key: String,
    pub name: String,
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RepRecord {
    pub key: String,
    pub name: String,
    pub seniority: Seniority,
    pub team: Option<String>,
    pub region: Option<String>,
    #[serde(default)]
    pub industries: Vec<String>,
    #[serde(default)]
    pub mentor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LeadRecord {
    pub key: String,
    pub code: String,
    #[serde(flatten)]
    pub profile: LeadProfile,
    pub owner: Option<String>,
    pub created_at: DateTime<Utc>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub status: Status,
    pub won_at: Option<DateTime<Utc>>,
    pub lost_at: Option<DateTime<Utc>>,
    pub deal_amount: Option<f64>,
    pub loss_reason: Option<LossReason>,
}

/// BANT notes of a follow-up (background 背景, pain 难点, need 需求, value 价值).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Bant {
    pub background: Option<String>,
    pub pain: Option<String>,
    pub need: Option<String>,
    pub value: Option<String>,
}

/// A follow-up: the edge `rep ->followed_up-> lead`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InteractionRecord {
    pub lead: String,
    pub rep: String,
    pub occurred_at: DateTime<Utc>,
    pub logged_at: DateTime<Utc>,
    pub channel: Channel,
    pub direction: Direction,
    pub responded: bool,
    pub satisfaction: Option<u8>,
    pub stage_before: Status,
    pub stage_after: Status,
    pub summary: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub bant: Bant,
    #[serde(default)]
    pub needs_change: Option<String>,
    #[serde(default)]
    pub feedback: Option<String>,
    #[serde(default)]
    pub decision_progress: Option<String>,
    #[serde(default)]
    pub mood: Option<Mood>,
    #[serde(default)]
    pub next_follow_up_at: Option<DateTime<Utc>>,
}

impl InteractionRecord {
    /// Reads the follow-up fields of a record. `lead`, `rep` and the stages are read by the
    /// caller when they come from elsewhere (the URL, the acting user, the lead's status).
    pub fn read_details(f: &mut Fields<'_>) -> Option<InteractionDetails> {
        let occurred_at = f.req_time("occurred_at");
        let logged_at = f.opt_time("logged_at");
        let channel = f.req_enum("channel");
        let direction = f.req_enum("direction");
        let responded = f.opt_bool("responded");
        if responded.is_none() && !f.has("responded") {
            f.reject("responded", ProblemCode::Required, "is required");
        }
        let satisfaction = f.opt_rating("satisfaction");
        let summary = f.opt_str("summary");
        let contact = f.opt_str("contact");
        let bant = Bant {
            background: f.opt_str("bant_background"),
            pain: f.opt_str("bant_pain"),
            need: f.opt_str("bant_need"),
            value: f.opt_str("bant_value"),
        };
        let needs_change = f.opt_str("needs_change");
        let feedback = f.opt_str("feedback");
        let decision_progress = f.opt_str("decision_progress");
        let mood = f.opt_enum("mood");
        let next_follow_up_at = f.opt_time("next_follow_up_at");
        Some(InteractionDetails {
            occurred_at: occurred_at?,
            logged_at,
            channel: channel?,
            direction: direction?,
            responded: responded?,
            satisfaction,
            summary,
            contact,
            bant,
            needs_change,
            feedback,
            decision_progress,
            mood,
            next_follow_up_at,
        })
    }
}

/// The parts of a follow-up a user types in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InteractionDetails {
    pub occurred_at: DateTime<Utc>,
    pub logged_at: Option<DateTime<Utc>>,
    pub channel: Channel,
    pub direction: Direction,
    pub responded: bool,
    pub satisfaction: Option<u8>,
    pub summary: Option<String>,
    pub contact: Option<String>,
    pub bant: Bant,
    pub needs_change: Option<String>,
    pub feedback: Option<String>,
    pub decision_progress: Option<String>,
    pub mood: Option<Mood>,
    pub next_follow_up_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageChangeRecord {
    pub lead: String,
    pub from: Option<Status>,
    pub to: Status,
    pub at: DateTime<Utc>,
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskRecord {
    pub lead: String,
    pub owner: Option<String>,
    pub kind: TaskKind,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FeedbackRecord {
    pub lead: String,
    pub received_at: DateTime<Utc>,
    pub channel: Option<Channel>,
    #[serde(rename = "type")]
    pub kind: FeedbackType,
    pub priority: Priority,
    pub summary: Option<String>,
    pub status: FeedbackStatus,
    pub resolved_at: Option<DateTime<Utc>>,
    pub customer_confirmed_at: Option<DateTime<Utc>>,
    pub satisfaction: Option<u8>,
    #[serde(default)]
    pub why_chain: Vec<String>,
    #[serde(default)]
    pub root_cause: Option<String>,
    #[serde(default)]
    pub plan: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderRecord {
    pub lead: String,
    pub amount: f64,
    pub profit: Option<f64>,
    pub ordered_at: DateTime<Utc>,
}

/// A whole, validated history bundle.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Bundle {
    pub teams: Vec<TeamRecord>,
    pub reps: Vec<RepRecord>,
    pub leads: Vec<LeadRecord>,
    pub interactions: Vec<InteractionRecord>,
    pub stage_changes: Vec<StageChangeRecord>,
    pub tasks: Vec<TaskRecord>,
    pub feedback: Vec<FeedbackRecord>,
    pub orders: Vec<OrderRecord>,
}

/// How many records of each kind a bundle holds (the answer of a successful import).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BundleCounts {
    pub teams: usize,
    pub reps: usize,
    pub leads: usize,
    pub interactions: usize,
    pub stage_changes: usize,
    pub tasks: usize,
    pub feedback: usize,
    pub orders: usize,
}

impl std::ops::AddAssign for BundleCounts {
    fn add_assign(&mut self, o: BundleCounts) {
        self.teams += o.teams;
        self.reps += o.reps;
        self.leads += o.leads;
        self.interactions += o.interactions;
        self.stage_changes += o.stage_changes;
        self.tasks += o.tasks;
        self.feedback += o.feedback;
        self.orders += o.orders;
    }
}

/// Keys and codes that already exist in the workspace, so a bundle may refer to them
/// (a rep or team) or must not repeat them (a lead code or key).
#[derive(Debug, Clone, Default)]
pub struct Existing {
    pub teams: HashSet<String>,
    pub reps: HashSet<String>,
    pub lead_keys: HashSet<String>,
    pub lead_codes: HashSet<String>,
}

const SECTIONS: [&str; 8] = ["teams", "reps", "leads", "interactions", "stage_changes", "tasks", "feedback", "orders"];

mod read;
