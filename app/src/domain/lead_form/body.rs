//! The bodies the lead form sends: a new lead's profile for `create_lead`, an edit's changed
//! fields with the version it started from for `update_lead`, the text a field shows for a
//! saved profile, and after a conflict which of someone else's changes the form takes in.
use super::fields::{DETAIL_FIELDS, FORM_FIELDS};
use crate::domain::lead::{Lead, LeadProfile};
use crate::format::{parse_amount, parse_count};
use serde_json::{Map, Value};

/// Splits the tags field on commas (`,` `，` `、`), trimmed, without blanks or repeats.
pub fn split_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split([',', '，', '、', ';', '；']).map(str::trim).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// A field's typed text as the API takes it: numbers as JSON numbers, tags as a list, the
/// rest as text; `None` for a blank (or, past the form's checks, unreadable) value.
fn typed(field: &str, text: &str) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match field {
        "employees" | "decision_months" | "minutes" => Value::from(parse_count(text).ok()??),
        "budget" => Value::from(parse_amount(text).ok()??),
        "tags" => Value::from(Some(split_tags(text)).filter(|t| !t.is_empty())?),
        _ => Value::from(text),
    })
}

/// The channel details the form holds, as the `details` object (`None` when all are blank).
fn details(value_of: &impl Fn(&str) -> String) -> Option<Value> {
    // Inserted one by one: collecting would bring a second sort into the wasm.
    let mut details = Map::new();
    for f in DETAIL_FIELDS {
        if let Some(v) = typed(f, &value_of(f)) {
            details.insert(f.to_string(), v);
        }
    }
    (!details.is_empty()).then_some(Value::Object(details))
}

/// The body of `create_lead`: fields named as in [`LeadProfile`] (the channel's under
/// `details`), numbers as JSON numbers, empty fields left out. Expects values that passed
/// [`field_problem`](super::fields::field_problem).
pub fn lead_body(value_of: impl Fn(&str) -> String, verified: bool, owner: &str) -> Value {
    let mut body = Map::new();
    for field in FORM_FIELDS.iter().filter(|f| !DETAIL_FIELDS.contains(f)) {
        if let Some(value) = typed(field, &value_of(field)) {
            body.insert(field.to_string(), value);
        }
    }
    if let Some(details) = details(&value_of) {
        body.insert("details".into(), details);
    }
    body.insert("verified".into(), Value::Bool(verified));
    if !owner.trim().is_empty() {
        body.insert("owner".into(), Value::from(owner.trim()));
    }
    Value::Object(body)
}

/// The text a field of the form shows for a saved profile: what [`lead_body`] reads back as
/// the same value.
pub fn profile_text(p: &LeadProfile, field: &str) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let count = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    match field {
        "source" => p.source.map(|s| s.key().to_string()).unwrap_or_default(),
        "source_details" => text(&p.source_details),
        "company" => text(&p.company),
        "industry" => text(&p.industry),
        "region" => text(&p.region),
        "employees" => count(p.employees),
        "contact_name" => text(&p.contact_name),
        "contact_title" => text(&p.contact_title),
        "phone" => text(&p.phone),
        "email" => text(&p.email),
        "need" => text(&p.need),
        "pain_points" => text(&p.pain_points),
        "expected_solution" => text(&p.expected_solution),
        "budget" => p.budget.map(amount_text).unwrap_or_default(),
        "decision_months" => count(p.decision_months),
        "decision_chain" => p.decision_chain.map(|c| c.key().to_string()).unwrap_or_default(),
        "strategy" => text(&p.strategy),
        "tags" => p.tags.join(", "),
        "remarks" => text(&p.remarks),
        "booth" => text(&p.details.booth),
        "minutes" => count(p.details.minutes),
        "products" => text(&p.details.products),
        "contact_reason" => text(&p.details.contact_reason),
        "page" => text(&p.details.page),
        "keywords" => text(&p.details.keywords),
        "referrer" => text(&p.details.referrer),
        "relationship" => text(&p.details.relationship),
        "scenario" => text(&p.details.scenario),
        _ => String::new(),
    }
}

/// An amount as the user would type it: whole yuan without decimals, else up to 6 of them.
pub fn amount_text(x: f64) -> String {
    if x.fract() == 0.0 {
        crate::format::fixed(x, 0)
    } else {
        crate::format::fixed(x, 6).trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The body of `update_lead`: the fields whose text differs from the saved lead (`null` for
/// one the user emptied; the whole `details` when one of them changed), `verified` and
/// `owner` when changed, and the version edited. `None` when nothing was changed.
pub fn edit_body(saved: &Lead, value_of: impl Fn(&str) -> String, verified: bool, owner: &str) -> Option<Value> {
    let mut body = Map::new();
    for field in FORM_FIELDS.iter().filter(|f| value_of(f).trim() != profile_text(&saved.profile, f)) {
        match DETAIL_FIELDS.contains(field) {
            false => body.insert(field.to_string(), typed(field, &value_of(field)).unwrap_or(Value::Null)),
            true => body.insert("details".into(), details(&value_of).unwrap_or(Value::Null)),
        };
    }
    if verified != saved.profile.verified {
        body.insert("verified".into(), Value::Bool(verified));
    }
    let owner = owner.trim();
    if !owner.is_empty() && Some(owner) != saved.owner.as_deref() {
        body.insert("owner".into(), Value::from(owner));
    }
    if body.is_empty() {
        return None;
    }
    body.insert("version".into(), Value::from(saved.version));
    Some(Value::Object(body))
}

/// After someone else saved the lead first (`fresh`) over the one the user started from
/// (`saved`): the new text of each field the user left alone and the other person changed,
/// and the fields both changed differently (the user's text stays there).
pub fn rebase(
    saved: &Lead,
    fresh: &Lead,
    mine: impl Fn(&str) -> String,
) -> (Vec<(&'static str, String)>, Vec<&'static str>) {
    let mut take = Vec::new();
    let mut both = Vec::new();
    for field in FORM_FIELDS {
        let (before, theirs) = (profile_text(&saved.profile, field), profile_text(&fresh.profile, field));
        if before == theirs {
            continue;
        }
        let mine = mine(field);
        if mine.trim() == before {
            take.push((field, theirs));
        } else if mine.trim() != theirs {
            both.push(field);
        }
    }
    (take, both)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::{DecisionChain, Source};
    use crate::scoring::score;
    use crate::settings::WorkspaceSettings;
    use serde_json::json;

    #[test]
    fn the_body_names_fields_as_the_profile_and_leaves_blanks_out() {
        let values = |f: &str| {
            match f {
                "source" => "trade_show",
                "company" => " 上海华信科技有限公司 ",
                "employees" => "1,200",
                "budget" => "200,000",
                "decision_months" => "1",
                "decision_chain" => "dm_engaged",
                "tags" => "展会, 重点客户，展会",
                _ => "",
            }
            .to_string()
        };
        let body = lead_body(values, true, "");
        assert_eq!(
            body,
            json!({"source": "trade_show", "company": "上海华信科技有限公司", "employees": 1200,
                   "budget": 200000.0, "decision_months": 1, "decision_chain": "dm_engaged",
                   "tags": ["展会", "重点客户"], "verified": true})
        );
        assert_eq!(LeadProfile::FIELDS.last(), Some(&"verified"), "every other profile field is on the form");
        assert_eq!(lead_body(values, false, "r12")["owner"], "r12");

        let show = |f: &str| {
            match f {
                "source" => "trade_show",
                "company" => "苏州恒远机械",
                "booth" => " A12 ",
                "minutes" => "25",
                "products" => "MES",
                "remarks" => "展会第二天来访",
                _ => "",
            }
            .to_string()
        };
        assert_eq!(
            lead_body(show, false, ""),
            json!({"source": "trade_show", "company": "苏州恒远机械", "remarks": "展会第二天来访",
                   "details": {"booth": "A12", "minutes": 25, "products": "MES"}, "verified": false})
        );
    }

    fn saved_lead() -> Lead {
        let profile = LeadProfile {
            source: Some(Source::Referral),
            company: Some("杭州云帆数据有限公司".into()),
            employees: Some(320),
            contact_name: Some("王强".into()),
            email: Some("wang.qiang@yunfan.cn".into()),
            budget: Some(150_000.5),
            decision_months: Some(3),
            decision_chain: Some(DecisionChain::DmIdentified),
            tags: vec!["老客户".into(), "华东".into()],
            verified: true,
            remarks: Some("老客户介绍".into()),
            details: crate::domain::channel::ChannelDetails {
                referrer: Some("张总".into()),
                relationship: Some("前同事".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let at = chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap();
        let scored = score(&profile.score_inputs(), &WorkspaceSettings::default().scoring);
        Lead {
            code: "LX202600042".into(),
            score: scored,
            grade: scored.grade,
            profile,
            owner: Some("r14".into()),
            owner_name: None,
            team: Some("t1".into()),
            created_at: at,
            assigned_at: Some(at),
            first_contact_at: None,
            status: crate::domain::enums::Status::Contacted,
            status_since: at,
            won_at: None,
            lost_at: None,
            deal_amount: None,
            loss_reason: None,
            version: 7,
            sources: Vec::new(),
            merged_into: None,
            overrides: Vec::new(),
            milestones: Vec::new(),
            plan: None,
            scored_at: None,
            score_review: None,
            activity: None,
        }
    }

    #[test]
    fn a_saved_profile_shown_in_the_form_reads_back_as_the_same_profile() {
        let lead = saved_lead();
        assert_eq!(profile_text(&lead.profile, "budget"), "150000.5");
        assert_eq!(profile_text(&lead.profile, "tags"), "老客户, 华东");
        let body = lead_body(|f| profile_text(&lead.profile, f), true, "");
        let mut problems = Vec::new();
        let back = LeadProfile::read(&mut crate::domain::validate::Fields::new(&body, String::new(), &mut problems));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back, lead.profile);
        assert_eq!(amount_text(200_000.0), "200000");
    }

    #[test]
    fn an_edit_sends_only_what_changed_with_the_version_it_started_from() {
        let lead = saved_lead();
        let unchanged = |f: &str| profile_text(&lead.profile, f);
        assert_eq!(edit_body(&lead, unchanged, true, "r14"), None, "nothing changed, nothing sent");

        let edited = |f: &str| match f {
            "budget" => "300,000".to_string(),
            "email" => "  ".to_string(),
            "industry" => "制造业".to_string(),
            _ => profile_text(&lead.profile, f),
        };
        assert_eq!(
            edit_body(&lead, edited, false, "r15"),
            Some(json!({"budget": 300000.0, "email": null, "industry": "制造业", "verified": false,
                        "owner": "r15", "version": 7}))
        );

        // One channel detail changed: the whole details go, the others as they were.
        let scenario = |f: &str| match f {
            "scenario" => "年会上推荐".to_string(),
            "remarks" => String::new(),
            _ => profile_text(&lead.profile, f),
        };
        assert_eq!(
            edit_body(&lead, scenario, true, ""),
            Some(json!({"details": {"referrer": "张总", "relationship": "前同事", "scenario": "年会上推荐"},
                        "remarks": null, "version": 7}))
        );
        let cleared = |f: &str| match f {
            "referrer" | "relationship" => String::new(),
            _ => profile_text(&lead.profile, f),
        };
        assert_eq!(edit_body(&lead, cleared, true, ""), Some(json!({"details": null, "version": 7})));
    }

    #[test]
    fn after_someone_else_saved_first_their_changes_fill_the_fields_the_user_left_alone() {
        let saved = saved_lead();
        let mut fresh = saved_lead();
        fresh.version = 8;
        fresh.profile.region = Some("浙江".into());
        fresh.profile.budget = Some(180_000.0);
        fresh.profile.employees = Some(400);
        let mine = |f: &str| match f {
            "budget" => "250000".to_string(),
            "employees" => "400".to_string(),
            "need" => "数据中台".to_string(),
            _ => profile_text(&saved.profile, f),
        };
        let (take, both) = rebase(&saved, &fresh, mine);
        // Region: only they changed it. Employees: both typed the same. Budget: both, differently.
        assert_eq!(take, vec![("region", "浙江".to_string())]);
        assert_eq!(both, vec!["budget"]);
    }
}
