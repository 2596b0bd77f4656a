//! The typed commands of Genjin's writes, parsed once at the edge (a REST handler or a server
//! function) from what the user sent, so the service layer only ever sees well-formed input.
//! Each parser lists every problem it finds with its field's path.
use crate::domain::bundle::{InteractionDetails, InteractionRecord};
use crate::domain::enums::Status;
use crate::domain::lead::LeadProfile;
use crate::domain::validate::{Fields, Problem, ProblemCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::domain::lead::StageMove;

/// Create a lead: its profile and, optionally, the rep a manager or admin hands it to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewLead {
    pub profile: LeadProfile,
    pub owner: Option<String>,
}

impl NewLead {
    pub fn read(body: &Value) -> Result<NewLead, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(body, String::new(), &mut problems);
        let profile = LeadProfile::read(&mut f);
        let owner = f.opt_str("owner");
        if problems.is_empty() {
            Ok(NewLead { profile, owner })
        } else {
            Err(problems)
        }
    }
}

/// Edit a lead's profile: the version the user edited and the fields they changed (`null`
/// clears one). The changed fields are merged over the lead as it stands and the result is
/// validated whole by the service, with the same rules as a new lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadPatch {
    pub version: u64,
    /// Profile fields (of [`LeadProfile::FIELDS`]) and `owner`, with their new values.
    pub fields: Map<String, Value>,
}

impl LeadPatch {
    pub fn read(body: &Value) -> Result<LeadPatch, Vec<Problem>> {
        let Some(obj) = body.as_object() else {
            return Err(vec![Problem::new("", ProblemCode::Malformed, "the body must be a JSON object")]);
        };
        let mut problems = Vec::new();
        let version = obj.get("version").and_then(Value::as_u64);
        if version.is_none() {
            problems.push(Problem::new("version", ProblemCode::Required, "is required (the version you edited)"));
        }
        let mut fields = Map::new();
        for (key, value) in obj {
            match key.as_str() {
                "version" => {}
                "status" => {
                    problems.push(Problem::new("status", ProblemCode::NotEditable, "change the status with a move"))
                }
                k if k == "owner" || LeadProfile::FIELDS.contains(&k) || LeadProfile::MORE_FIELDS.contains(&k) => {
                    fields.insert(key.clone(), value.clone());
                }
                _ => problems.push(Problem::new(key.clone(), ProblemCode::NotEditable, "is not a field you can edit")),
            }
        }
        match version {
            Some(version) if problems.is_empty() => Ok(LeadPatch { version, fields }),
            _ => Err(problems),
        }
    }

    /// The new owner, when the patch names one (`Some(None)`: the patch clears it).
    pub fn owner(&self) -> Option<Option<String>> {
        self.fields.get("owner").map(|v| v.as_str().map(str::to_string))
    }
}

/// Log a follow-up on a lead: what happened, the stage it left the lead in, and the rep who
/// made it (a manager or admin may log for a rep; a rep logs their own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewFollowUp {
    pub details: InteractionDetails,
    pub stage_after: Option<Status>,
    pub rep: Option<String>,
}

impl NewFollowUp {
    pub fn read(body: &Value) -> Result<NewFollowUp, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(body, String::new(), &mut problems);
        let details = InteractionRecord::read_details(&mut f);
        let stage_after: Option<Status> = f.opt_enum("stage_after");
        let rep = f.opt_str("rep");
        if let Some(s @ (Status::Won | Status::Lost)) = stage_after {
            f.reject(
                "stage_after",
                ProblemCode::NotEditable,
                format!("move the lead to {s} with a move, which asks for the amount or reason"),
            );
        }
        match details {
            Some(details) if problems.is_empty() => Ok(NewFollowUp { details, stage_after, rep }),
            _ if problems.is_empty() => {
                Err(vec![Problem::new("", ProblemCode::Malformed, "the follow-up is incomplete")])
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
    fn a_patch_needs_its_version_and_refuses_the_status_and_unknown_fields() {
        let e = LeadPatch::read(&json!({"status": "won", "colour": "red"})).unwrap_err();
        let mut paths: Vec<&str> = e.iter().map(|p| p.path.as_str()).collect();
        paths.sort();
        assert_eq!(paths, ["colour", "status", "version"]);
        let p = LeadPatch::read(&json!({"version": 3, "budget": 5000, "owner": "r12"})).unwrap();
        assert_eq!(p.version, 3);
        assert_eq!(p.owner(), Some(Some("r12".into())));
        assert_eq!(LeadPatch::read(&json!({"version": 3, "need": null})).unwrap().owner(), None);
        assert!(LeadPatch::read(&json!([1])).is_err());
    }

    #[test]
    fn a_follow_up_lists_every_problem_and_never_closes_a_lead() {
        let e = NewFollowUp::read(&json!({"occurred_at": "soon", "channel": "pigeon", "direction": "outbound",
            "responded": true, "stage_after": "won"}))
        .unwrap_err();
        let paths: Vec<&str> = e.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["occurred_at", "channel", "stage_after"]);
        let ok = NewFollowUp::read(&json!({"occurred_at": "2026-11-30T02:00:00Z", "channel": "wechat",
            "direction": "outbound", "responded": false, "stage_after": "contacted"}))
        .unwrap();
        assert_eq!(ok.stage_after, Some(Status::Contacted));
    }

    #[test]
    fn a_new_lead_reads_its_profile_and_owner() {
        let l =
            NewLead::read(&json!({"company": "上海华信科技有限公司", "source": "referral", "owner": "r14"})).unwrap();
        assert_eq!(l.owner.as_deref(), Some("r14"));
        assert!(NewLead::read(&json!({"source": "fax"})).is_err());
    }
}

/// A piece of customer feedback as recorded on a lead (API.md "Follow-up work").
#[derive(Debug, Clone, PartialEq)]
pub struct NewFeedback {
    pub received_at: Option<chrono::DateTime<chrono::Utc>>,
    pub channel: Option<crate::domain::enums::Channel>,
    pub kind: crate::domain::enums::FeedbackType,
    pub priority: Option<crate::domain::enums::Priority>,
    pub summary: String,
    pub why: Vec<String>,
    pub root_cause: Option<String>,
    pub resolution: Option<crate::domain::enums::Resolution>,
    pub plan: Option<String>,
    pub owner: Option<String>,
    pub due_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The 5-Why chain: up to five non-empty steps.
fn why_chain(body: &Value, problems: &mut Vec<Problem>) -> Option<Vec<String>> {
    use crate::domain::feedback::{MAX_WHYS, MAX_WHY_CHARS};
    match body.get("why") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) if items.len() > MAX_WHYS => {
            problems.push(Problem::new("why", ProblemCode::TooMany, format!("holds at most {MAX_WHYS} steps")));
            None
        }
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.as_str().map(str::trim) {
                    Some(s) if s.chars().count() > MAX_WHY_CHARS => problems.push(Problem::new(
                        format!("why[{i}]"),
                        ProblemCode::TooLong,
                        format!("is longer than {MAX_WHY_CHARS} characters"),
                    )),
                    Some("") => {}
                    Some(s) => out.push(s.to_string()),
                    None => {
                        problems.push(Problem::new(format!("why[{i}]"), ProblemCode::WrongType, "must be a string"))
                    }
                }
            }
            Some(out)
        }
        Some(_) => {
            problems.push(Problem::new("why", ProblemCode::WrongType, "must be a list of steps"));
            None
        }
    }
}

impl NewFeedback {
    pub fn read(body: &Value) -> Result<NewFeedback, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(body, String::new(), &mut problems);
        let received_at = f.opt_time("received_at");
        let channel = f.opt_enum("channel");
        let kind = f.req_enum("type");
        let priority = f.opt_enum("priority");
        let summary = f.req_str("summary");
        let root_cause = f.opt_str("root_cause");
        let resolution = f.opt_enum("resolution");
        let plan = f.opt_str("plan");
        let owner = f.opt_str("owner");
        let due_at = f.opt_time("due_at");
        let why = why_chain(body, &mut problems).unwrap_or_default();
        match (kind, summary) {
            (Some(kind), Some(summary)) if problems.is_empty() => Ok(NewFeedback {
                received_at,
                channel,
                kind,
                priority,
                summary,
                why,
                root_cause,
                resolution,
                plan,
                owner,
                due_at,
            }),
            _ => Err(problems),
        }
    }
}

/// A change of a piece of feedback: any of its fields, and its status with the times that
/// go with it (`resolved_at`, `customer_confirmed_at`) and the customer's satisfaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedbackPatch {
    pub status: Option<crate::domain::enums::FeedbackStatus>,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    pub customer_confirmed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub satisfaction: Option<u8>,
    pub kind: Option<crate::domain::enums::FeedbackType>,
    pub priority: Option<crate::domain::enums::Priority>,
    pub channel: Option<crate::domain::enums::Channel>,
    pub summary: Option<String>,
    pub why: Option<Vec<String>>,
    pub root_cause: Option<String>,
    pub resolution: Option<crate::domain::enums::Resolution>,
    pub plan: Option<String>,
    pub owner: Option<String>,
    pub due_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl FeedbackPatch {
    pub const FIELDS: [&'static str; 14] = [
        "status",
        "resolved_at",
        "customer_confirmed_at",
        "satisfaction",
        "type",
        "priority",
        "channel",
        "summary",
        "why",
        "root_cause",
        "resolution",
        "plan",
        "owner",
        "due_at",
    ];

    pub fn read(body: &Value) -> Result<FeedbackPatch, Vec<Problem>> {
        let mut problems = Vec::new();
        if let Some(map) = body.as_object() {
            for k in map.keys().filter(|k| !Self::FIELDS.contains(&k.as_str())) {
                problems.push(Problem::new(k.clone(), ProblemCode::UnknownValue, "is not a field of feedback"));
            }
        } else {
            problems.push(Problem::new("", ProblemCode::WrongType, "must be an object"));
            return Err(problems);
        }
        let mut f = Fields::new(body, String::new(), &mut problems);
        let patch = FeedbackPatch {
            status: f.opt_enum("status"),
            resolved_at: f.opt_time("resolved_at"),
            customer_confirmed_at: f.opt_time("customer_confirmed_at"),
            satisfaction: f.opt_rating("satisfaction"),
            kind: f.opt_enum("type"),
            priority: f.opt_enum("priority"),
            channel: f.opt_enum("channel"),
            summary: f.opt_str("summary"),
            why: None,
            root_cause: f.opt_str("root_cause"),
            resolution: f.opt_enum("resolution"),
            plan: f.opt_str("plan"),
            owner: f.opt_str("owner"),
            due_at: f.opt_time("due_at"),
        };
        let why = why_chain(body, &mut problems);
        if problems.is_empty() {
            Ok(FeedbackPatch { why, ..patch })
        } else {
            Err(problems)
        }
    }
}

/// A task made by hand (API.md "Follow-up work"): on a lead, due at a time, for its owner
/// (the maker by default, or a colleague — 技术支持, 法务), with a quadrant when the maker
/// chooses one and an optional reminder.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTask {
    pub lead: String,
    pub due_at: chrono::DateTime<chrono::Utc>,
    pub title: String,
    pub priority: Option<crate::domain::enums::Quadrant>,
    pub owner: Option<String>,
    pub remind_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl NewTask {
    pub const MAX_TITLE: usize = 200;

    pub fn read(body: &Value) -> Result<NewTask, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(body, String::new(), &mut problems);
        let lead = f.req_str("lead");
        let due_at = f.req_time("due_at");
        let title = f.req_str("title");
        let priority = f.opt_enum("priority");
        let owner = f.opt_str("owner");
        let remind_at = f.opt_time("remind_at");
        if let Some(t) = title.as_ref().filter(|t| t.chars().count() > Self::MAX_TITLE) {
            let n = t.chars().count();
            problems.push(Problem::new(
                "title",
                ProblemCode::TooLong,
                format!("has {n} characters; at most {}", Self::MAX_TITLE),
            ));
        }
        if let (Some(r), Some(d)) = (remind_at, due_at) {
            if r > d {
                problems.push(Problem::new("remind_at", ProblemCode::BadOrder, "must not come after the task is due"));
            }
        }
        match (lead, due_at, title) {
            (Some(lead), Some(due_at), Some(title)) if problems.is_empty() => {
                Ok(NewTask { lead, due_at, title, priority, owner, remind_at })
            }
            _ => Err(problems),
        }
    }
}

/// Leads a user keeps apart: different customers although they share a phone, an e-mail or
/// a company name (two to twenty codes, each once).
#[derive(Debug, Clone, PartialEq)]
pub struct KeepApart {
    pub leads: Vec<String>,
}

impl KeepApart {
    pub fn read(body: &Value) -> Result<KeepApart, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut leads = Fields::new(body, String::new(), &mut problems).str_list("leads");
        leads.sort_unstable();
        leads.dedup();
        if problems.is_empty() && leads.len() < 2 {
            problems.push(Problem::new("leads", ProblemCode::Required, "name at least two different leads"));
        }
        if problems.is_empty() {
            Ok(KeepApart { leads })
        } else {
            Err(problems)
        }
    }
}

/// Merge `from` into the lead the request names: the version of the survivor the user saw,
/// and the profile fields whose value is taken from `from` (the rest keep the survivor's).
#[derive(Debug, Clone, PartialEq)]
pub struct MergeLeads {
    pub from: String,
    pub version: u64,
    pub take: Vec<String>,
}

impl MergeLeads {
    pub fn read(body: &Value) -> Result<MergeLeads, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(body, String::new(), &mut problems);
        let from = f.req_str("from");
        let take = f.str_list("take");
        let version = body.get("version").and_then(Value::as_u64);
        for t in &take {
            if !LeadProfile::FIELDS.contains(&t.as_str()) && !LeadProfile::MORE_FIELDS.contains(&t.as_str()) {
                problems.push(Problem::new("take", ProblemCode::UnknownValue, format!("`{t}` is not a lead field")));
            }
        }
        if version.is_none() {
            problems.push(Problem::new("version", ProblemCode::Required, "is required (the version you merged into)"));
        }
        match (from, version) {
            (Some(from), Some(version)) if problems.is_empty() => Ok(MergeLeads { from, version, take }),
            _ => Err(problems),
        }
    }
}

/// A manager's override of one part of a lead's score (PRODUCT.md §3): the points in place of
/// the rules' and why, or `points: null` to remove it; `version` is the lead's as they saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct OverrideScore {
    pub part: crate::domain::enums::ScorePart,
    pub points: Option<u32>,
    pub reason: Option<String>,
    pub version: u64,
}

impl OverrideScore {
    pub fn read(body: &Value) -> Result<OverrideScore, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(body, String::new(), &mut problems);
        let part = f.req_enum("part");
        let points = f.opt_u32("points", 100);
        let reason = f.opt_str("reason");
        if !f.has("points") {
            f.reject("points", ProblemCode::Required, "is required (null removes the override)");
        }
        if points.is_some() && reason.is_none() {
            f.reject("reason", ProblemCode::Required, "say why the rules' points do not fit this lead");
        }
        let version = body.get("version").and_then(Value::as_u64);
        if version.is_none() {
            problems.push(Problem::new("version", ProblemCode::Required, "is required (the version you saw)"));
        }
        match (part, version) {
            (Some(part), Some(version)) if problems.is_empty() => Ok(OverrideScore { part, points, reason, version }),
            _ => Err(problems),
        }
    }
}

/// A manager's review of a lead's score as it stands (`version`: the lead's as they saw it).
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewScore {
    pub version: u64,
}

impl ReviewScore {
    pub fn read(body: &Value) -> Result<ReviewScore, Vec<Problem>> {
        match body.get("version").and_then(Value::as_u64) {
            Some(version) => Ok(ReviewScore { version }),
            None => Err(vec![Problem::new("version", ProblemCode::Required, "is required (the version you saw)")]),
        }
    }
}

// The follow-up plan's content (PRODUCT.md §5, §13): a stage's fields, a plan's four stages
// and the templates' four grades.

/// The longest text a plan field takes.
const MAX_TEXT: usize = 2_000;

/// Reads a stage's content; problems are reported under `path`.
fn read_stage(f: &mut Fields<'_>) -> crate::domain::plan::StagePlan {
    let text = |f: &mut Fields<'_>, k: &str| {
        let v = f.opt_str(k).unwrap_or_default();
        if v.chars().count() > MAX_TEXT {
            f.reject(k, ProblemCode::TooLong, format!("at most {MAX_TEXT} characters"));
        }
        v
    };
    let goal = text(f, "goal");
    let strategy = text(f, "strategy");
    let talking_points = text(f, "talking_points");
    let expected_result = text(f, "expected_result");
    let contingency = text(f, "contingency");
    let mut channels = Vec::new();
    for key in f.str_list("channels") {
        match key.parse() {
            Ok(c) if !channels.contains(&c) => channels.push(c),
            Ok(_) => {}
            Err(m) => f.reject("channels", ProblemCode::UnknownValue, m),
        }
    }
    crate::domain::plan::StagePlan { goal, strategy, channels, talking_points, expected_result, contingency }
}

/// Four stages from a JSON list; problems are listed with their paths.
pub fn read_stages(
    value: Option<&Value>,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<[crate::domain::plan::StagePlan; 4]> {
    let Some(items) = value.and_then(Value::as_array).filter(|a| a.len() == 4) else {
        problems.push(Problem::new(
            path,
            ProblemCode::Required,
            "four stages, in order: initial contact, need deepening, proposal comparison, negotiation",
        ));
        return None;
    };
    let before = problems.len();
    let stages: Vec<crate::domain::plan::StagePlan> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut f = Fields::new(item, format!("{path}[{i}]"), problems);
            read_stage(&mut f)
        })
        .collect();
    (problems.len() == before).then(|| stages.try_into().ok()).flatten()
}

/// Parses `{"grades": [[4 stages] × S, A, B, C]}`.
pub fn read_templates(body: &Value) -> Result<crate::domain::plan::PlanTemplates, Vec<Problem>> {
    let mut problems = Vec::new();
    let grades = body.get("grades").and_then(Value::as_array).filter(|g| g.len() == 4);
    let Some(grades) = grades else {
        return Err(vec![Problem::new("grades", ProblemCode::Required, "four grades' plans, S, A, B and C")]);
    };
    let read: Vec<Option<[crate::domain::plan::StagePlan; 4]>> =
        grades.iter().enumerate().map(|(i, g)| read_stages(Some(g), &format!("grades[{i}]"), &mut problems)).collect();
    match read.into_iter().collect::<Option<Vec<_>>>() {
        Some(g) if problems.is_empty() => {
            Ok(crate::domain::plan::PlanTemplates { grades: g.try_into().map_err(|_| Vec::<Problem>::new())? })
        }
        _ => Err(problems),
    }
}

/// A lead's plan saved: its four stages, at the plan's version the editor read (0 while it
/// is its grade's template).
#[derive(Debug, Clone, PartialEq)]
pub struct SavePlan {
    pub stages: [crate::domain::plan::StagePlan; 4],
    pub version: u64,
}

impl SavePlan {
    pub fn read(body: &Value) -> Result<SavePlan, Vec<Problem>> {
        let mut problems = Vec::new();
        let stages = read_stages(body.get("stages"), "stages", &mut problems);
        let version = body.get("version").and_then(Value::as_u64);
        if version.is_none() {
            problems.push(Problem::new("version", ProblemCode::Required, "is required (0 for a plan not saved yet)"));
        }
        match (stages, version) {
            (Some(stages), Some(version)) if problems.is_empty() => Ok(SavePlan { stages, version }),
            _ => Err(problems),
        }
    }
}

/// A milestone checked off (or the check taken back) at the lead's version the user saw.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckMilestone {
    pub stage: crate::domain::enums::PlanStage,
    pub reached: bool,
    pub version: u64,
}

impl CheckMilestone {
    pub fn read(body: &Value) -> Result<CheckMilestone, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut f = Fields::new(body, String::new(), &mut problems);
        let stage = f.req_enum("stage");
        let reached = f.opt_bool("reached");
        if reached.is_none() {
            f.reject("reached", ProblemCode::Required, "is required (true or false)");
        }
        let version = body.get("version").and_then(Value::as_u64);
        if version.is_none() {
            problems.push(Problem::new("version", ProblemCode::Required, "is required (the lead's version you saw)"));
        }
        match (stage, reached, version) {
            (Some(stage), Some(reached), Some(version)) if problems.is_empty() => {
                Ok(CheckMilestone { stage, reached, version })
            }
            _ => Err(problems),
        }
    }
}
