//! A follow-up as a rep types it on the lead page: the form's fields, the checks the browser
//! makes before sending, and the body of `log_follow_up` (the names
//! `InteractionRecord::read_details` reads), times sent in UTC.
use crate::format::from_local_input;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{Map, Value};

/// A field of the follow-up form; its [`key`](FollowUpField::key) is its name in the body the
/// server reads, in the server's problems and in the page (the input's `id` and `name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpField {
    Channel,
    Direction,
    OccurredAt,
    Responded,
    Summary,
    BantBackground,
    BantPain,
    BantNeed,
    BantValue,
    NeedsChange,
    Feedback,
    DecisionProgress,
    /// Who was spoken with (the counterpart contact).
    Contact,
    Mood,
    Satisfaction,
    StageAfter,
    NextFollowUpAt,
}

impl FollowUpField {
    /// Every field of the form, as the server may name them in its problems.
    pub const ALL: [FollowUpField; 17] = [
        FollowUpField::Channel,
        FollowUpField::Direction,
        FollowUpField::OccurredAt,
        FollowUpField::Responded,
        FollowUpField::Summary,
        FollowUpField::BantBackground,
        FollowUpField::BantPain,
        FollowUpField::BantNeed,
        FollowUpField::BantValue,
        FollowUpField::NeedsChange,
        FollowUpField::Feedback,
        FollowUpField::DecisionProgress,
        FollowUpField::Contact,
        FollowUpField::Mood,
        FollowUpField::Satisfaction,
        FollowUpField::StageAfter,
        FollowUpField::NextFollowUpAt,
    ];

    /// The free-text fields: the summary, the BANT notes, the needs change, the feedback, the
    /// decision progress and the counterpart contact (the nine of [`FollowUpField::ALL`] from
    /// the summary on).
    pub const TEXTS: &'static [FollowUpField] = FollowUpField::ALL.split_at(4).1.split_at(9).0;

    /// The field's name in the body, in the server's problems and in the page.
    pub fn key(self) -> &'static str {
        match self {
            FollowUpField::Channel => "channel",
            FollowUpField::Direction => "direction",
            FollowUpField::OccurredAt => "occurred_at",
            FollowUpField::Responded => "responded",
            FollowUpField::Summary => "summary",
            FollowUpField::BantBackground => "bant_background",
            FollowUpField::BantPain => "bant_pain",
            FollowUpField::BantNeed => "bant_need",
            FollowUpField::BantValue => "bant_value",
            FollowUpField::NeedsChange => "needs_change",
            FollowUpField::Feedback => "feedback",
            FollowUpField::DecisionProgress => "decision_progress",
            FollowUpField::Contact => "contact",
            FollowUpField::Mood => "mood",
            FollowUpField::Satisfaction => "satisfaction",
            FollowUpField::StageAfter => "stage_after",
            FollowUpField::NextFollowUpAt => "next_follow_up_at",
        }
    }

    /// The field a problem's path names, if it is one of the form's.
    pub fn from_key(key: &str) -> Option<FollowUpField> {
        FollowUpField::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// What the browser finds wrong with a follow-up before sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpCheck {
    /// The summary is blank.
    Required,
    /// Not a date and time.
    BadTime,
    /// The follow-up is more than five minutes ahead of now.
    Future,
    /// The next follow-up is not after this one.
    NextBefore,
}

/// What a follow-up form holds, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowUpValues {
    pub channel: String,
    pub direction: String,
    /// `datetime-local` text; blank while the user has not changed it ("now").
    pub occurred_at: String,
    pub responded: bool,
    pub summary: String,
    pub bant_background: String,
    pub bant_pain: String,
    pub bant_need: String,
    pub bant_value: String,
    pub needs_change: String,
    pub feedback: String,
    pub decision_progress: String,
    pub contact: String,
    pub mood: String,
    pub satisfaction: String,
    pub stage_after: String,
    pub next_follow_up_at: String,
}

/// The body of `log_follow_up`, or the problems to show next to their fields.
pub fn follow_up_body(v: &FollowUpValues, now: DateTime<Utc>) -> Result<Value, Vec<(FollowUpField, FollowUpCheck)>> {
    let mut problems = Vec::new();
    let occurred_at = if v.occurred_at.trim().is_empty() {
        Some(now)
    } else {
        match from_local_input(&v.occurred_at) {
            Some(at) if at > now + Duration::minutes(5) => {
                problems.push((FollowUpField::OccurredAt, FollowUpCheck::Future));
                None
            }
            Some(at) => Some(at),
            None => {
                problems.push((FollowUpField::OccurredAt, FollowUpCheck::BadTime));
                None
            }
        }
    };
    if v.summary.trim().is_empty() {
        problems.push((FollowUpField::Summary, FollowUpCheck::Required));
    }
    let next = if v.next_follow_up_at.trim().is_empty() {
        None
    } else {
        match from_local_input(&v.next_follow_up_at) {
            Some(next) if occurred_at.is_some_and(|at| next <= at) => {
                problems.push((FollowUpField::NextFollowUpAt, FollowUpCheck::NextBefore));
                None
            }
            Some(next) => Some(next),
            None => {
                problems.push((FollowUpField::NextFollowUpAt, FollowUpCheck::BadTime));
                None
            }
        }
    };
    let Some(occurred_at) = occurred_at.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    let stamp = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut body = Map::new();
    body.insert(FollowUpField::Channel.key().into(), Value::from(v.channel.as_str()));
    body.insert(FollowUpField::Direction.key().into(), Value::from(v.direction.as_str()));
    body.insert(FollowUpField::OccurredAt.key().into(), Value::from(stamp(occurred_at)));
    body.insert(FollowUpField::Responded.key().into(), Value::Bool(v.responded));
    let texts = [
        (FollowUpField::Summary, &v.summary),
        (FollowUpField::BantBackground, &v.bant_background),
        (FollowUpField::BantPain, &v.bant_pain),
        (FollowUpField::BantNeed, &v.bant_need),
        (FollowUpField::BantValue, &v.bant_value),
        (FollowUpField::NeedsChange, &v.needs_change),
        (FollowUpField::Feedback, &v.feedback),
        (FollowUpField::DecisionProgress, &v.decision_progress),
        (FollowUpField::Contact, &v.contact),
        (FollowUpField::Mood, &v.mood),
        (FollowUpField::StageAfter, &v.stage_after),
    ];
    for (field, text) in texts {
        if !text.trim().is_empty() {
            body.insert(field.key().into(), Value::from(text.trim()));
        }
    }
    if let Ok(n) = v.satisfaction.trim().parse::<u8>() {
        body.insert(FollowUpField::Satisfaction.key().into(), Value::from(n));
    }
    if let Some(next) = next {
        body.insert(FollowUpField::NextFollowUpAt.key().into(), Value::from(stamp(next)));
    }
    Ok(Value::Object(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn a_follow_up_is_sent_with_the_names_the_server_reads_and_times_in_utc() {
        let now = at("2026-03-02T04:00:00Z");
        let v = FollowUpValues {
            channel: "wechat".into(),
            direction: "inbound".into(),
            occurred_at: "2026-03-02T10:30".into(),
            responded: true,
            summary: " 客户确认预算 ".into(),
            bant_need: "数据安全".into(),
            satisfaction: "4".into(),
            stage_after: "qualified".into(),
            next_follow_up_at: "2026-03-05T09:00".into(),
            ..Default::default()
        };
        let body = follow_up_body(&v, now).unwrap_or_default();
        assert_eq!(
            body,
            serde_json::json!({"channel": "wechat", "direction": "inbound", "occurred_at": "2026-03-02T02:30:00Z",
                "responded": true, "summary": "客户确认预算", "bant_need": "数据安全", "satisfaction": 4,
                "stage_after": "qualified", "next_follow_up_at": "2026-03-05T01:00:00Z"})
        );
    }

    #[test]
    fn a_follow_up_left_at_now_is_sent_with_the_time_of_saving() {
        let now = at("2026-03-02T04:00:00Z");
        let v = FollowUpValues {
            channel: "phone".into(),
            direction: "outbound".into(),
            summary: "x".into(),
            ..Default::default()
        };
        let body = follow_up_body(&v, now).unwrap_or_default();
        assert_eq!(body["occurred_at"], "2026-03-02T04:00:00Z");
        assert_eq!(body["responded"], false);
        assert!(body.get("satisfaction").is_none() && body.get("stage_after").is_none());
    }

    #[test]
    fn a_follow_up_needs_a_summary_a_past_time_and_a_later_next_one() {
        let now = at("2026-03-02T04:00:00Z");
        let v = FollowUpValues {
            occurred_at: "2026-03-03T10:00".into(),
            next_follow_up_at: "someday".into(),
            ..Default::default()
        };
        let problems = follow_up_body(&v, now).unwrap_err();
        assert!(problems.contains(&(FollowUpField::OccurredAt, FollowUpCheck::Future)));
        assert!(problems.contains(&(FollowUpField::Summary, FollowUpCheck::Required)));
        assert!(problems.contains(&(FollowUpField::NextFollowUpAt, FollowUpCheck::BadTime)));
        let v = FollowUpValues {
            summary: "x".into(),
            occurred_at: "2026-03-02T10:00".into(),
            next_follow_up_at: "2026-03-02T09:00".into(),
            ..Default::default()
        };
        assert_eq!(
            follow_up_body(&v, now).unwrap_err(),
            vec![(FollowUpField::NextFollowUpAt, FollowUpCheck::NextBefore)]
        );
    }

    #[test]
    fn the_servers_problem_paths_name_the_forms_fields() {
        for field in FollowUpField::ALL {
            assert_eq!(FollowUpField::from_key(field.key()), Some(field));
        }
        assert_eq!(FollowUpField::from_key("leads[0].summary"), None);
    }

    #[test]
    fn the_free_text_fields_run_from_the_summary_to_the_decision_progress() {
        assert_eq!(FollowUpField::TEXTS.len(), 9);
        assert_eq!(FollowUpField::TEXTS.first(), Some(&FollowUpField::Summary));
        assert_eq!(FollowUpField::TEXTS.last(), Some(&FollowUpField::Contact));
    }
}
