//! Spotting leads that are one customer (PRODUCT.md §2, §12 "Duplicates"). A customer often
//! reaches a sales team through several channels — a trade-show card, the website's form, a
//! partner's referral — and each becomes a lead. Leads sharing a phone number, an e-mail
//! address or a normalised company name are proposed as one customer; a user confirms the
//! merge. Pure code: the server groups the leads a user may see, and the lead form and the
//! import check a new lead against the existing ones.
//!
//! Company names are compared after normalising (see [`company_key`]): full-width forms,
//! case, spaces and punctuation, bracketed notes such as "（上海）", and legal forms such as
//! 有限公司 or "Co., Ltd." do not tell two customers apart. A branch (分公司, 办事处) counts
//! as its parent company: the sales team sells to one customer either way.
use serde::{Deserialize, Serialize};
use std::collections::hash_map::{Entry, HashMap};

mod keys;
pub use keys::{company_key, email_key, phone_key};

/// Why two leads are proposed as one customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Phone,
    Email,
    Company,
}

impl Reason {
    /// Every reason, in their sort order.
    pub const ALL: [Reason; 3] = [Reason::Phone, Reason::Email, Reason::Company];

    /// The key used in the API (`phone`, `email`, `company`).
    pub fn key(self) -> &'static str {
        match self {
            Reason::Phone => "phone",
            Reason::Email => "email",
            Reason::Company => "company",
        }
    }

    /// The label shown on the merge proposal in the given language.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang::{En, Zh};
        match (self, lang) {
            (Reason::Phone, Zh) => "电话相同",
            (Reason::Phone, En) => "Same phone",
            (Reason::Email, Zh) => "邮箱相同",
            (Reason::Email, En) => "Same e-mail",
            (Reason::Company, Zh) => "公司名称相同",
            (Reason::Company, En) => "Same company name",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    fn from_bits(bits: u8) -> Vec<Reason> {
        Reason::ALL.into_iter().filter(|r| bits & r.bit() != 0).collect()
    }
}

/// A lead's contact details in the form they are compared in; `None` where a detail is
/// missing or too short to identify a customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DupKeys {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
}

impl DupKeys {
    /// The keys of a lead's phone, e-mail and company name as entered.
    pub fn of(phone: Option<&str>, email: Option<&str>, company: Option<&str>) -> DupKeys {
        DupKeys {
            phone: phone.and_then(phone_key),
            email: email.and_then(email_key),
            company: company.and_then(company_key),
        }
    }

    /// True when the lead has nothing to compare by.
    pub fn is_empty(&self) -> bool {
        self.phone.is_none() && self.email.is_none() && self.company.is_none()
    }

    fn each(&self) -> [(Reason, Option<&str>); 3] {
        [
            (Reason::Phone, self.phone.as_deref()),
            (Reason::Email, self.email.as_deref()),
            (Reason::Company, self.company.as_deref()),
        ]
    }
}

/// Leads proposed as one customer: their codes (线索编号, sorted) and every reason that links
/// two of them (sorted). In the API the codes are the group's `leads`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DupGroup {
    #[serde(rename = "leads")]
    pub codes: Vec<String>,
    pub reasons: Vec<Reason>,
}

impl DupGroup {
    /// Whether a user kept this group's leads apart already: all of them are in one set
    /// marked as different customers. A lead joining the group later raises it again.
    pub fn kept_apart(&self, marks: &[Vec<String>]) -> bool {
        marks.iter().any(|mark| self.codes.iter().all(|c| mark.contains(c)))
    }
}

/// Groups the leads that share any key, also through others: when lead a has b's phone and b
/// has c's company name, a, b and c are one group with both reasons. Leads alone form no
/// group. Groups come sorted by their first code. Linear in the number of leads.
pub fn groups<'a>(leads: impl IntoIterator<Item = (&'a str, &'a DupKeys)>) -> Vec<DupGroup> {
    let leads: Vec<(&'a str, &'a DupKeys)> = leads.into_iter().collect();
    let mut sets = DisjointSets::new(leads.len());
    let mut first_with: HashMap<(Reason, &'a str), usize> = HashMap::with_capacity(leads.len() * 2);
    let mut links: Vec<(usize, Reason)> = Vec::new();
    for (i, &(_, keys)) in leads.iter().enumerate() {
        for (reason, key) in keys.each() {
            let Some(key) = key else { continue };
            match first_with.entry((reason, key)) {
                Entry::Occupied(first) => {
                    sets.union(*first.get(), i);
                    links.push((i, reason));
                }
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
        }
    }

    let mut reasons: HashMap<usize, u8> = HashMap::new();
    for (i, reason) in links {
        *reasons.entry(sets.find(i)).or_default() |= reason.bit();
    }
    let mut members: HashMap<usize, Vec<&'a str>> = reasons.keys().map(|&root| (root, Vec::new())).collect();
    for (i, &(code, _)) in leads.iter().enumerate() {
        if let Some(codes) = members.get_mut(&sets.find(i)) {
            codes.push(code);
        }
    }

    let mut groups: Vec<DupGroup> = members
        .into_iter()
        .map(|(root, mut codes)| {
            codes.sort_unstable();
            codes.dedup();
            DupGroup {
                codes: codes.into_iter().map(str::to_owned).collect(),
                reasons: Reason::from_bits(reasons[&root]),
            }
        })
        .filter(|group| group.codes.len() >= 2)
        .collect();
    groups.sort_unstable_by(|a, b| a.codes.cmp(&b.codes));
    groups
}

/// The existing leads that share a key with a new one, each with the reasons (sorted by
/// code): what the lead form and the import warn about before a duplicate is created.
pub fn matches<'a>(
    new: &DupKeys,
    existing: impl IntoIterator<Item = (&'a str, &'a DupKeys)>,
) -> Vec<(String, Vec<Reason>)> {
    let mut found: Vec<(String, Vec<Reason>)> = existing
        .into_iter()
        .filter_map(|(code, keys)| {
            let reasons: Vec<Reason> = new
                .each()
                .into_iter()
                .zip(keys.each())
                .filter_map(|((reason, mine), (_, theirs))| (mine.is_some() && mine == theirs).then_some(reason))
                .collect();
            (!reasons.is_empty()).then(|| (code.to_owned(), reasons))
        })
        .collect();
    found.sort();
    found
}

/// Union-find over lead positions, with path halving and union by size.
struct DisjointSets {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> DisjointSets {
        DisjointSets { parent: (0..n).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lead's keys from its details, an empty text standing for a missing one.
    fn lead(phone: &str, email: &str, company: &str) -> DupKeys {
        fn given(s: &str) -> Option<&str> {
            (!s.is_empty()).then_some(s)
        }
        DupKeys::of(given(phone), given(email), given(company))
    }

    #[test]
    fn leads_linked_through_a_third_are_one_group_with_every_reason() {
        let a = lead("+86 138-0000-0000", "", "");
        let b = lead("13800000000", "", "上海华信科技有限公司");
        let c = lead("", "li@huaxin.cn", "上海 华信科技（集团）");
        let d = lead("13900000000", "wang@other.cn", "北京远景咨询有限公司");
        let found = groups([("LX3", &c), ("LX1", &a), ("LX4", &d), ("LX2", &b)]);
        assert_eq!(
            found,
            vec![DupGroup {
                codes: vec!["LX1".into(), "LX2".into(), "LX3".into()],
                reasons: vec![Reason::Phone, Reason::Company],
            }]
        );
    }

    #[test]
    fn a_lead_alone_or_without_details_forms_no_group() {
        let a = lead("13800000000", "a@x.cn", "甲公司科技");
        let b = lead("13900000000", "b@x.cn", "乙公司科技");
        let empty = DupKeys::default();
        assert!(empty.is_empty());
        assert!(groups([("LX1", &a), ("LX2", &b), ("LX3", &empty), ("LX4", &empty)]).is_empty());
    }

    #[test]
    fn groups_come_sorted_by_their_first_code_and_name_their_leads_in_the_api() {
        let a = lead("", "Li@Huaxin.cn", "");
        let b = lead("", "li@huaxin.cn ", "");
        let c = lead("", "", "ABC Co., Ltd.");
        let d = lead("", "", "ａｂｃ有限公司");
        let found = groups([("LX9", &a), ("LX5", &c), ("LX7", &b), ("LX2", &d)]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].codes, ["LX2", "LX5"]);
        assert_eq!(found[0].reasons, [Reason::Company]);
        assert_eq!(found[1].codes, ["LX7", "LX9"]);
        assert_eq!(found[1].reasons, [Reason::Email]);
        let json = serde_json::to_value(&found[1]).unwrap();
        assert_eq!(json, serde_json::json!({"leads": ["LX7", "LX9"], "reasons": ["email"]}));
    }

    #[test]
    fn pairs_sharing_a_phone_among_many_leads_make_one_group_each() {
        let leads: Vec<(String, DupKeys)> = (0..20_000u32)
            .map(|i| {
                let phone = format!("139{:08}", i / 2);
                (
                    format!("LX{i:08}"),
                    DupKeys::of(Some(phone.as_str()), None, Some(format!("客户{i}有限公司").as_str())),
                )
            })
            .collect();
        let found = groups(leads.iter().map(|(code, keys)| (code.as_str(), keys)));
        assert_eq!(found.len(), 10_000);
        assert!(found.iter().all(|g| g.codes.len() == 2 && g.reasons == [Reason::Phone]));
    }

    #[test]
    fn a_new_lead_matches_the_existing_leads_sharing_a_key() {
        let new = lead("+86 13800000000", "LI@huaxin.cn", "上海华信科技股份有限公司");
        let same_phone = lead("138 0000 0000", "", "");
        let same_all = lead("13800000000", "li@huaxin.cn", "上海华信科技");
        let other = lead("13900000000", "wang@other.cn", "北京远景咨询");
        let found = matches(&new, [("LX8", &same_all), ("LX3", &other), ("LX1", &same_phone)]);
        assert_eq!(
            found,
            vec![
                ("LX1".to_owned(), vec![Reason::Phone]),
                ("LX8".to_owned(), vec![Reason::Phone, Reason::Email, Reason::Company]),
            ]
        );
        assert!(matches(&DupKeys::default(), [("LX1", &DupKeys::default())]).is_empty());
    }

    #[test]
    fn a_group_kept_apart_comes_back_when_another_lead_joins_it() {
        let group = |codes: &[&str]| DupGroup {
            codes: codes.iter().map(|c| c.to_string()).collect(),
            reasons: vec![Reason::Phone],
        };
        let marks = vec![vec!["LX1".to_string(), "LX2".to_string(), "LX3".to_string()]];
        assert!(group(&["LX1", "LX2"]).kept_apart(&marks));
        assert!(group(&["LX1", "LX2", "LX3"]).kept_apart(&marks));
        assert!(!group(&["LX1", "LX2", "LX4"]).kept_apart(&marks));
        assert!(!group(&["LX1", "LX2"]).kept_apart(&[]));
    }
}
