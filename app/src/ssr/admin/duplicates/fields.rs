//! The profile fields a merge of two leads chooses between, as the merge screen shows them:
//! which fields, their labels, what each lead holds in them, which side is chosen at first,
//! and the fields a posted merge takes from the lead merged in. Tags and the verified mark
//! are not chosen: both leads' tags are kept, and the kept lead keeps its own mark.
use crate::domain::lead::{ChannelDetails, LeadProfile};
use crate::format::{cny, thousands};
use crate::i18n::Lang;
use std::collections::HashMap;

crate::texts! {
    Source: "来源", "Source";
    SourceDetails: "来源详情", "Source details";
    Company: "公司名称", "Company";
    Industry: "行业", "Industry";
    Region: "地区", "Region";
    Employees: "员工人数", "Employees";
    ContactName: "联系人", "Contact";
    ContactTitle: "联系人职务", "Contact's title";
    Phone: "电话", "Phone";
    Email: "邮箱", "Email";
    Need: "需求描述", "Need";
    PainPoints: "痛点", "Pain points";
    ExpectedSolution: "期望方案", "Expected solution";
    Budget: "预算", "Budget";
    DecisionMonths: "预计决策时间", "Decision within";
    Months: "个月", "months";
    DecisionChain: "决策链", "Decision chain";
    Strategy: "跟进策略", "Strategy variant";
    Remarks: "备注", "Remarks";
    Details: "渠道详情", "Channel details";
}

/// The fields a merge chooses between, in the order the screen shows them: the lead form's
/// fields but the tags and the verified mark, then the remarks and the channel details.
pub const MERGE_FIELDS: [&str; 19] = {
    let mut fields = [""; 19];
    let mut i = 0;
    // Every profile field up to the strategy; the tags are joined and `verified` kept.
    while i < 17 {
        fields[i] = LeadProfile::FIELDS[i];
        i += 1;
    }
    fields[17] = LeadProfile::MORE_FIELDS[0];
    fields[18] = LeadProfile::MORE_FIELDS[1];
    fields
};

/// At most this many characters of one channel detail, and of all of them, in a cell.
const DETAIL_CHARS: usize = 30;
const SUMMARY_CHARS: usize = 120;

/// Which lead a field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The lead that stays.
    Keep,
    /// The lead merged into it.
    From,
}

impl Side {
    /// The value of the field's radio button.
    pub fn key(self) -> &'static str {
        match self {
            Side::Keep => "keep",
            Side::From => "from",
        }
    }

    fn parse(key: &str) -> Option<Side> {
        match key {
            "keep" => Some(Side::Keep),
            "from" => Some(Side::From),
            _ => None,
        }
    }
}

/// One field of the merge screen: what each lead holds (empty when nothing), and the side
/// chosen — `None` when both hold the same, which is shown once with nothing to choose.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub field: &'static str,
    pub label: &'static str,
    pub keep: String,
    pub from: String,
    pub choice: Option<Side>,
}

/// A field's label in the reader's language; `None` for a name that is not a merge field.
pub fn label(lang: Lang, field: &str) -> Option<&'static str> {
    let key = match field {
        "source" => T::Source,
        "source_details" => T::SourceDetails,
        "company" => T::Company,
        "industry" => T::Industry,
        "region" => T::Region,
        "employees" => T::Employees,
        "contact_name" => T::ContactName,
        "contact_title" => T::ContactTitle,
        "phone" => T::Phone,
        "email" => T::Email,
        "need" => T::Need,
        "pain_points" => T::PainPoints,
        "expected_solution" => T::ExpectedSolution,
        "budget" => T::Budget,
        "decision_months" => T::DecisionMonths,
        "decision_chain" => T::DecisionChain,
        "strategy" => T::Strategy,
        "remarks" => T::Remarks,
        "details" => T::Details,
        _ => return None,
    };
    Some(t(lang, key))
}

/// What a lead holds in a field, as the merge screen shows it; empty when it holds nothing.
pub fn shown(lang: Lang, p: &LeadProfile, field: &str) -> String {
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or_default().to_string();
    match field {
        "source" => p.source.map(|s| s.label(lang).to_string()).unwrap_or_default(),
        "source_details" => text(&p.source_details),
        "company" => text(&p.company),
        "industry" => text(&p.industry),
        "region" => text(&p.region),
        "employees" => p.employees.map(|n| thousands(i64::from(n))).unwrap_or_default(),
        "contact_name" => text(&p.contact_name),
        "contact_title" => text(&p.contact_title),
        "phone" => text(&p.phone),
        "email" => text(&p.email),
        "need" => text(&p.need),
        "pain_points" => text(&p.pain_points),
        "expected_solution" => text(&p.expected_solution),
        "budget" => p.budget.filter(|b| b.is_finite()).map(cny).unwrap_or_default(),
        "decision_months" => p.decision_months.map(|m| format!("{m} {}", t(lang, T::Months))).unwrap_or_default(),
        "decision_chain" => p.decision_chain.map(|c| c.label(lang).to_string()).unwrap_or_default(),
        "strategy" => text(&p.strategy),
        "remarks" => text(&p.remarks),
        "details" => details_summary(lang, &p.details),
        _ => String::new(),
    }
}

/// The channel details a lead holds, shortly: `展位号：A12；交流时长（分钟）：15`.
pub fn details_summary(lang: Lang, d: &ChannelDetails) -> String {
    let (colon, semicolon) = if lang == Lang::Zh { ("：", "；") } else { (": ", "; ") };
    let parts: Vec<String> = d
        .labelled(lang)
        .into_iter()
        .map(|(label, value)| format!("{label}{colon}{}", cut(&value, DETAIL_CHARS)))
        .collect();
    cut(&parts.join(semicolon), SUMMARY_CHARS)
}

/// `s` trimmed, cut to `max` characters with an ellipsis when longer.
fn cut(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

/// The side chosen before the user chooses: the kept lead's value, unless it has none and
/// the lead merged in has one.
pub fn preselect(keep: &str, from: &str) -> Side {
    if keep.trim().is_empty() && !from.trim().is_empty() {
        Side::From
    } else {
        Side::Keep
    }
}

/// The merge screen's fields for two leads; `chosen` holds the sides a user chose already
/// (a screen shown again after a refused merge), the rest are preselected.
pub fn rows(lang: Lang, keep: &LeadProfile, from: &LeadProfile, chosen: &HashMap<String, Side>) -> Vec<Row> {
    let keep_json = serde_json::to_value(keep).unwrap_or_default();
    let from_json = serde_json::to_value(from).unwrap_or_default();
    MERGE_FIELDS
        .into_iter()
        .map(|field| {
            let (k, f) = (shown(lang, keep, field), shown(lang, from, field));
            let same = keep_json.get(field) == from_json.get(field) || (k.is_empty() && f.is_empty());
            let choice = (!same).then(|| chosen.get(field).copied().unwrap_or_else(|| preselect(&k, &f)));
            Row { field, label: label(lang, field).unwrap_or(field), keep: k, from: f, choice }
        })
        .collect()
}

/// The sides a posted merge form chose (`field.<name>` = `keep` | `from`), merge fields only.
pub fn choices(pairs: &[(String, String)]) -> HashMap<String, Side> {
    pairs
        .iter()
        .filter_map(|(name, value)| {
            let field = name.strip_prefix("field.")?;
            if !MERGE_FIELDS.contains(&field) {
                return None;
            }
            Some((field.to_string(), Side::parse(value.trim())?))
        })
        .collect()
}

/// The fields whose value comes from the lead merged in, in the screen's order.
pub fn take(chosen: &HashMap<String, Side>) -> Vec<String> {
    MERGE_FIELDS.into_iter().filter(|f| chosen.get(*f) == Some(&Side::From)).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::Source;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_merge_fields_are_the_form_fields_but_tags_and_verified_then_remarks_and_details() {
        let expected: Vec<&str> = LeadProfile::FIELDS
            .into_iter()
            .filter(|f| *f != "tags" && *f != "verified")
            .chain(LeadProfile::MORE_FIELDS)
            .collect();
        assert_eq!(MERGE_FIELDS.to_vec(), expected);
        for field in MERGE_FIELDS {
            assert!(label(Lang::Zh, field).is_some() && label(Lang::En, field).is_some(), "{field}");
        }
        assert_eq!(label(Lang::Zh, "tags"), None);
    }

    #[test]
    fn the_kept_leads_value_is_chosen_unless_it_is_empty_and_the_other_is_not() {
        assert_eq!(preselect("上海华信", "华信科技"), Side::Keep);
        assert_eq!(preselect("", "华信科技"), Side::From);
        assert_eq!(preselect("  ", "华信科技"), Side::From);
        assert_eq!(preselect("", ""), Side::Keep);
        assert_eq!(preselect("13800000000", ""), Side::Keep);
    }

    #[test]
    fn equal_values_are_shown_once_and_differing_ones_offer_a_choice() {
        let keep = LeadProfile {
            source: Some(Source::TradeShow),
            company: Some("上海华信科技".into()),
            phone: Some("13800000000".into()),
            ..Default::default()
        };
        let from = LeadProfile {
            source: Some(Source::WebForm),
            company: Some("上海华信科技".into()),
            email: Some("li@huaxin.cn".into()),
            budget: Some(200_000.0),
            ..Default::default()
        };
        let rows = rows(Lang::Zh, &keep, &from, &HashMap::new());
        let row = |field: &str| rows.iter().find(|r| r.field == field).unwrap().clone();
        assert_eq!(rows.len(), MERGE_FIELDS.len());
        assert_eq!(row("company").choice, None);
        assert_eq!(row("industry").choice, None);
        assert_eq!(row("source").choice, Some(Side::Keep));
        assert_eq!(row("source").from, "官网表单");
        assert_eq!(row("phone").choice, Some(Side::Keep));
        assert_eq!(row("email").choice, Some(Side::From));
        assert_eq!(row("budget").from, "¥200,000");
        assert_eq!(row("budget").choice, Some(Side::From));
    }

    #[test]
    fn a_users_earlier_choice_wins_over_the_preselection() {
        let keep = LeadProfile { phone: Some("13800000000".into()), ..Default::default() };
        let from = LeadProfile { phone: Some("13900000000".into()), ..Default::default() };
        let chosen = choices(&pairs(&[("field.phone", "from")]));
        let rows = rows(Lang::En, &keep, &from, &chosen);
        assert_eq!(rows.iter().find(|r| r.field == "phone").unwrap().choice, Some(Side::From));
    }

    #[test]
    fn a_posted_form_takes_only_merge_fields_chosen_from_the_other_lead() {
        let posted = pairs(&[
            ("keep", "LX202600001"),
            ("from", "LX202600002"),
            ("version", "3"),
            ("field.phone", "from"),
            ("field.company", "keep"),
            ("field.details", "from"),
            ("field.tags", "from"),
            ("field.owner", "from"),
            ("field.email", "both"),
        ]);
        assert_eq!(take(&choices(&posted)), vec!["phone".to_string(), "details".to_string()]);
        assert!(take(&HashMap::new()).is_empty());
    }

    #[test]
    fn channel_details_are_summed_up_shortly_in_the_readers_language() {
        let d = ChannelDetails {
            booth: Some("A12".into()),
            minutes: Some(15),
            scenario: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(details_summary(Lang::Zh, &d), "展位号：A12；交流时长（分钟）：15");
        assert_eq!(details_summary(Lang::En, &d), "Booth: A12; Minutes talked: 15");
        assert_eq!(details_summary(Lang::Zh, &ChannelDetails::default()), "");
        let long = ChannelDetails { products: Some("云".repeat(50)), ..Default::default() };
        let summary = details_summary(Lang::Zh, &long);
        assert!(summary.ends_with('…'));
        assert_eq!(summary.chars().count(), "感兴趣产品：".chars().count() + DETAIL_CHARS + 1);
    }
}
