//! A lead's history as the lead page shows it: its timeline (follow-ups, stage changes,
//! tasks, feedback) and what the reps wrote down in each follow-up.
use crate::domain::enums::{Channel, Direction, FeedbackStatus, FeedbackType, Mood, Priority, Status, TaskKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entry of a lead's timeline, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineEntry {
    FollowUp {
        at: DateTime<Utc>,
        logged_at: DateTime<Utc>,
        rep: String,
        rep_name: Option<String>,
        channel: Channel,
        direction: Direction,
        responded: bool,
        satisfaction: Option<u8>,
        summary: Option<String>,
        mood: Option<Mood>,
        stage_before: Status,
        stage_after: Status,
        next_follow_up_at: Option<DateTime<Utc>>,
        /// Logged more than the workspace's limit (24 h) after it happened.
        late: bool,
    },
    StageChange {
        at: DateTime<Utc>,
        from: Status,
        to: Status,
        by_name: Option<String>,
    },
    Task {
        at: DateTime<Utc>,
        task_kind: TaskKind,
        title: Option<String>,
        done_at: Option<DateTime<Utc>>,
    },
    Feedback {
        at: DateTime<Utc>,
        feedback_type: FeedbackType,
        priority: Priority,
        status: FeedbackStatus,
        summary: Option<String>,
    },
}

impl TimelineEntry {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineEntry::FollowUp { at, .. }
            | TimelineEntry::StageChange { at, .. }
            | TimelineEntry::Task { at, .. }
            | TimelineEntry::Feedback { at, .. } => *at,
        }
    }
}

/// What a rep wrote down in a follow-up beyond its summary: the contact spoken to, the BANT
/// notes (背景 / 难点 / 需求 / 价值), how the need changed, the customer's feedback and the
/// decision progress. Matched to its timeline entry by time, logging time and rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpNotes {
    pub at: DateTime<Utc>,
    pub logged_at: DateTime<Utc>,
    pub rep: String,
    pub contact: Option<String>,
    pub bant_background: Option<String>,
    pub bant_pain: Option<String>,
    pub bant_need: Option<String>,
    pub bant_value: Option<String>,
    pub needs_change: Option<String>,
    pub feedback: Option<String>,
    pub decision_progress: Option<String>,
}
