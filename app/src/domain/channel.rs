//! The structured details of a lead's channel (PRODUCT.md §2 source list), as the lead form,
//! the API, both imports and the pages carry them.
use super::validate::Fields;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

crate::texts! {
    Booth: "展位号", "Booth";
    Minutes: "交流时长（分钟）", "Minutes talked";
    Products: "感兴趣产品", "Products of interest";
    ContactReason: "留资原因", "Reason for leaving contact";
    Page: "访问页面", "Page visited";
    Keywords: "需求关键词", "Need keywords";
    Referrer: "推荐人", "Referrer";
    Relationship: "与客户关系", "Relationship";
    Scenario: "推荐场景", "Scenario";
}

/// The structured details of a lead's channel: a trade show's booth, minutes talked,
/// products of interest and reason for leaving contact; a web form's page and need keywords;
/// a referral's referrer, relationship and scenario.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelDetails {
    #[serde(default)]
    pub booth: Option<String>,
    #[serde(default)]
    pub minutes: Option<u32>,
    #[serde(default)]
    pub products: Option<String>,
    #[serde(default)]
    pub contact_reason: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
    #[serde(default)]
    pub keywords: Option<String>,
    #[serde(default)]
    pub referrer: Option<String>,
    #[serde(default)]
    pub relationship: Option<String>,
    #[serde(default)]
    pub scenario: Option<String>,
}

impl ChannelDetails {
    /// The text fields, in the order pages show them.
    pub const TEXT: [&'static str; 8] =
        ["booth", "products", "contact_reason", "page", "keywords", "referrer", "relationship", "scenario"];

    pub fn read(f: &mut Fields<'_>) -> ChannelDetails {
        ChannelDetails {
            booth: f.opt_str("booth"),
            minutes: f.opt_u32("minutes", 100_000),
            products: f.opt_str("products"),
            contact_reason: f.opt_str("contact_reason"),
            page: f.opt_str("page"),
            keywords: f.opt_str("keywords"),
            referrer: f.opt_str("referrer"),
            relationship: f.opt_str("relationship"),
            scenario: f.opt_str("scenario"),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == ChannelDetails::default()
    }
}

/// The label of a detail's field (`booth`, `minutes`, …) in `lang`.
pub fn detail_label(field: &str, lang: Lang) -> Option<&'static str> {
    let key = match field {
        "booth" => T::Booth,
        "minutes" => T::Minutes,
        "products" => T::Products,
        "contact_reason" => T::ContactReason,
        "page" => T::Page,
        "keywords" => T::Keywords,
        "referrer" => T::Referrer,
        "relationship" => T::Relationship,
        "scenario" => T::Scenario,
        _ => return None,
    };
    Some(t(lang, key))
}

impl ChannelDetails {
    /// Each detail the lead holds, labelled in `lang`, in the order pages show them.
    pub fn labelled(&self, lang: Lang) -> Vec<(&'static str, String)> {
        [
            (T::Booth, self.booth.clone()),
            (T::Minutes, self.minutes.map(|m| m.to_string())),
            (T::Products, self.products.clone()),
            (T::ContactReason, self.contact_reason.clone()),
            (T::Page, self.page.clone()),
            (T::Keywords, self.keywords.clone()),
            (T::Referrer, self.referrer.clone()),
            (T::Relationship, self.relationship.clone()),
            (T::Scenario, self.scenario.clone()),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.filter(|v| !v.trim().is_empty()).map(|v| (t(lang, key), v)))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_details_a_lead_holds_are_labelled_in_order() {
        let d = ChannelDetails {
            minutes: Some(15),
            booth: Some("A12".into()),
            page: Some(" ".into()),
            ..Default::default()
        };
        assert_eq!(d.labelled(Lang::Zh), [("展位号", "A12".to_string()), ("交流时长（分钟）", "15".to_string())]);
        assert_eq!(d.labelled(Lang::En)[1].0, "Minutes talked");
    }
}
