//! The columns of a lead spreadsheet (PRODUCT.md §12): which lead field each header names,
//! recognising the English keys of the import bundle, the Chinese column names of the
//! articles' tables and the synonyms sales teams use, so the mapping step starts right and
//! the user only corrects what was guessed wrong. Turning a row into a lead is in
//! [`super::row`], re-exported here.
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

pub use super::row::{read_row, CellProblem, RowLead};

/// Declares the importable fields with their key, Chinese and English column names, and the
/// other header texts (normalised by [`normalise`]) that name them.
macro_rules! columns {
    ($($(#[$doc:meta])* $variant:ident => $key:literal, $zh:literal, $en:literal, [$($alias:literal),*];)+) => {
        /// A lead field a spreadsheet column can fill.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Column {
            $($(#[$doc])* #[serde(rename = $key)] $variant,)+
        }

        impl Column {
            /// Every column, in the order the import screen lists them.
            pub const ALL: &'static [Column] = &[$(Column::$variant),+];

            /// The column's key, as the import bundle and the lead's record name the field.
            pub fn key(self) -> &'static str {
                match self { $(Column::$variant => $key),+ }
            }

            /// The column's name in the user's language.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Column::$variant, Lang::Zh) => $zh, (Column::$variant, Lang::En) => $en,)+
                }
            }

            /// Other header texts that name the column, normalised.
            fn aliases(self) -> &'static [&'static str] {
                match self { $(Column::$variant => &[$($alias),*]),+ }
            }
        }
    };
}

columns! {
    Code => "code", "线索编号", "Lead code", ["lead_code", "编号", "线索编码", "线索id"];
    Source => "source", "来源渠道", "Source", ["来源", "渠道", "线索来源", "获客渠道", "channel"];
    SourceDetails => "source_details", "来源详情", "Source details", ["来源说明", "渠道详情", "活动名称"];
    Company => "company", "企业名称", "Company",
        ["company_name", "公司名称", "客户名称", "公司", "企业", "客户", "单位名称", "customer"];
    Industry => "industry", "所属行业", "Industry", ["行业"];
    Region => "region", "区域", "Region", ["地区", "省份", "城市", "省市", "所在地区", "所在城市", "province", "city"];
    Employees => "employees", "员工数", "Employees",
        ["员工人数", "人数", "企业规模", "公司规模", "规模", "employee_count", "headcount", "company_size"];
    ContactName => "contact_name", "联系人", "Contact name", ["姓名", "联系人姓名", "客户姓名", "name"];
    ContactTitle => "contact_title", "职位", "Title", ["职务", "联系人职位", "岗位", "job_title"];
    /// A phone number or an e-mail address, told apart cell by cell.
    Contact => "contact", "联系方式", "Contact", ["联系信息", "contact_info"];
    Phone => "phone", "电话", "Phone",
        ["手机", "手机号", "手机号码", "联系电话", "电话号码", "mobile", "tel", "telephone", "phone_number"];
    Email => "email", "邮箱", "Email", ["电子邮箱", "邮件", "电子邮件", "邮箱地址", "e_mail", "mail", "email_address"];
    /// 需求描述 or 需求关键词; both columns may be present and are joined.
    Need => "need", "需求描述", "Need", ["需求关键词", "需求", "客户需求", "需求说明", "needs"];
    PainPoints => "pain_points", "痛点", "Pain points", ["难点", "客户痛点", "pain"];
    ExpectedSolution => "expected_solution", "期望方案", "Expected solution", ["期望解决方案", "预期方案"];
    /// Yuan, or 万 when the header says so (预算（万元）).
    Budget => "budget", "预算", "Budget", ["预算金额"];
    DecisionMonths => "decision_months", "决策时间", "Decision time (months)",
        ["决策周期", "预计决策时间", "decision_time"];
    DecisionChain => "decision_chain", "决策链", "Decision chain", ["决策链清晰度"];
    CreatedAt => "created_at", "获取时间", "Created at",
        ["创建时间", "获取日期", "创建日期", "录入时间", "留资时间", "created", "date"];
    /// The rep who follows the lead up; without it the assignment rules choose.
    Owner => "owner", "负责人", "Owner", ["跟进人", "销售", "销售代表", "跟进销售", "所属销售", "销售负责人", "rep"];
    Remarks => "remarks", "备注", "Remarks", ["说明", "remark", "notes", "note", "comments"];
    Tags => "tags", "标签", "Tags", ["tag"];
    Strategy => "strategy", "跟进策略", "Strategy", ["策略", "策略版本"];
    Booth => "booth", "展位号", "Booth", ["展位"];
    MinutesTalked => "minutes", "交流时长", "Minutes talked", ["沟通时长", "minutes_talked"];
    Products => "products", "感兴趣产品", "Products of interest", ["意向产品", "关注产品"];
    ContactReason => "contact_reason", "留资原因", "Reason for leaving contact", [];
    PageVisited => "page", "访问页面", "Page visited", ["来源页面", "落地页", "page_visited"];
    Keywords => "keywords", "搜索关键词", "Keywords", ["关键词", "search_keywords"];
    Referrer => "referrer", "推荐人", "Referrer", ["推荐方"];
    Relationship => "relationship", "与客户关系", "Relationship", ["关系"];
    Scenario => "scenario", "推荐场景", "Scenario", ["场景"];
}

impl Column {
    /// The channel details of PRODUCT.md §2, which a lead keeps under `details`.
    pub fn is_detail(self) -> bool {
        matches!(
            self,
            Column::Booth
                | Column::MinutesTalked
                | Column::Products
                | Column::ContactReason
                | Column::PageVisited
                | Column::Keywords
                | Column::Referrer
                | Column::Relationship
                | Column::Scenario
        )
    }

    /// Whether one of the column's names, normalised, is `name`.
    fn is_named(self, name: &str) -> bool {
        [self.key(), self.label(Lang::Zh), self.label(Lang::En)].into_iter().any(|n| normalise(n) == name)
            || self.aliases().contains(&name)
    }
}

/// A header as compared with the columns' names: without required marks (`*`), text in
/// brackets (`预算（万元）`) and surrounding spaces; English lower case with `_` between words.
fn normalise(header: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '（' | '[' | '【' | '<' | '《' => depth += 1,
            ')' | '）' | ']' | '】' | '>' | '》' => depth = depth.saturating_sub(1),
            '*' | '＊' | ':' | '：' => {}
            _ if depth > 0 => {}
            ' ' | '\u{3000}' | '_' | '-' | '.' | '/' => out.push('_'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out.split('_').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("_")
}

/// The column a header names, if Genjin recognises it.
pub fn guess(header: &str) -> Option<Column> {
    let name = normalise(header);
    if name.is_empty() {
        return None;
    }
    Column::ALL.iter().copied().find(|column| column.is_named(&name))
}

/// The columns of a header row. Each field is taken by its first column only, except the
/// need: 需求关键词 and 需求描述 are both kept and joined.
pub fn guess_all(headers: &[String]) -> Vec<Option<Column>> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|header| {
            let column = guess(header)?;
            if column != Column::Need && taken.contains(&column) {
                return None;
            }
            taken.push(column);
            Some(column)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chinese_column_names_of_the_api_are_recognised() {
        let names = [
            ("线索编号", Column::Code),
            ("来源渠道", Column::Source),
            ("企业名称", Column::Company),
            ("所属行业", Column::Industry),
            ("区域", Column::Region),
            ("员工数", Column::Employees),
            ("联系人", Column::ContactName),
            ("职位", Column::ContactTitle),
            ("联系方式", Column::Contact),
            ("电话", Column::Phone),
            ("邮箱", Column::Email),
            ("需求关键词", Column::Need),
            ("需求描述", Column::Need),
            ("预算", Column::Budget),
            ("决策时间", Column::DecisionMonths),
            ("决策链", Column::DecisionChain),
            ("获取时间", Column::CreatedAt),
            ("负责人", Column::Owner),
            ("备注", Column::Remarks),
            ("标签", Column::Tags),
        ];
        for (header, column) in names {
            assert_eq!(guess(header), Some(column), "{header}");
        }
    }

    #[test]
    fn synonyms_brackets_and_required_marks_are_recognised() {
        let names = [
            ("公司名称", Column::Company),
            ("客户名称", Column::Company),
            ("省份", Column::Region),
            ("手机号", Column::Phone),
            ("电子邮箱", Column::Email),
            ("员工人数", Column::Employees),
            ("跟进人", Column::Owner),
            ("预算(元)", Column::Budget),
            ("预算（万元）", Column::Budget),
            (" *企业名称 ", Column::Company),
            ("交流时长（分钟）", Column::MinutesTalked),
            ("意向产品", Column::Products),
            ("搜索关键词", Column::Keywords),
            ("来源页面", Column::PageVisited),
        ];
        for (header, column) in names {
            assert_eq!(guess(header), Some(column), "{header}");
        }
        assert_eq!(guess("序号"), None);
        assert_eq!(guess("（备用）"), None);
    }

    #[test]
    fn english_keys_and_names_are_recognised_in_any_case_and_spacing() {
        for column in Column::ALL {
            assert_eq!(guess(column.key()), Some(*column), "{}", column.key());
            assert_eq!(guess(&column.key().to_uppercase()), Some(*column), "{}", column.key());
            assert_eq!(guess(column.label(Lang::Zh)), Some(*column), "{}", column.label(Lang::Zh));
            assert_eq!(guess(column.label(Lang::En)), Some(*column), "{}", column.label(Lang::En));
        }
        for header in ["Contact Name", "contact-name", "CONTACT_NAME", "contact  name"] {
            assert_eq!(guess(header), Some(Column::ContactName), "{header}");
        }
        assert_eq!(guess("Company Name"), Some(Column::Company));
        assert_eq!(guess("E-mail"), Some(Column::Email));
    }

    #[test]
    fn a_field_is_mapped_once_but_both_need_columns_are_kept() {
        let headers: Vec<String> =
            ["企业名称", "公司", "需求关键词", "需求描述", "手机", "备用"].map(String::from).to_vec();
        assert_eq!(
            guess_all(&headers),
            [Some(Column::Company), None, Some(Column::Need), Some(Column::Need), Some(Column::Phone), None]
        );
    }

    #[test]
    fn columns_travel_by_their_keys() {
        assert_eq!(serde_json::to_string(&Column::MinutesTalked).unwrap(), "\"minutes\"");
        assert_eq!(serde_json::from_str::<Column>("\"contact_name\"").unwrap(), Column::ContactName);
        let keys: std::collections::HashSet<&str> = Column::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys.len(), Column::ALL.len());
        assert!(Column::Booth.is_detail() && !Column::Company.is_detail());
    }
}
