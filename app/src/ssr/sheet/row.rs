//! One spreadsheet row as a lead (PRODUCT.md §12): each mapped cell read the way its field
//! takes it, the result checked as a lead profile, and every problem named by the
//! spreadsheet's row number and column header, as the import's preview and report show them.
use super::cells;
use super::columns::Column;
use super::read::SheetRow;
use crate::domain::enums::{DecisionChain, Source};
use crate::domain::lead::LeadProfile;
use crate::domain::validate::{max_chars, Fields, ProblemCode};
use crate::i18n::Lang;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A row read as a lead, ready to create or update one.
#[derive(Debug, Clone, PartialEq)]
pub struct RowLead {
    /// 线索编号: the lead the row updates when it exists.
    pub code: Option<String>,
    /// The lead's fields under the API's keys, channel details under `details`.
    pub record: Value,
    /// 负责人 as written: a rep's key or name. Without it the assignment rules choose.
    pub owner: Option<String>,
    /// 获取时间, when the team first had the lead.
    pub created_at: Option<DateTime<Utc>>,
}

/// Something wrong with a cell: the spreadsheet's row number and the column's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CellProblem {
    pub row: usize,
    pub column: String,
    pub code: ProblemCode,
    pub message: String,
}

type CellError = (ProblemCode, String);

/// What people write for a source besides its key and labels.
fn source_word(text: &str) -> Option<Source> {
    match text {
        "会展" | "展览" | "展览会" | "博览会" => Some(Source::TradeShow),
        "官网" | "网站" | "网站表单" | "在线表单" | "官网咨询" | "website" => Some(Source::WebForm),
        "推荐" | "转介绍" | "合作伙伴" | "伙伴推荐" | "客户推荐" | "partner" => Some(Source::Referral),
        "社媒" | "微信" | "公众号" | "视频号" | "抖音" | "小红书" | "微博" | "领英" | "linkedin" => {
            Some(Source::Social)
        }
        "电话" | "陌拜" | "陌生拜访" | "电销" | "电话营销" => Some(Source::ColdCall),
        "其它" => Some(Source::Other),
        _ => None,
    }
}

/// What people write for a decision chain besides its key and labels.
fn chain_word(text: &str) -> Option<DecisionChain> {
    match text {
        "决策人已介入" | "决策者已参与" | "决策人参与" => Some(DecisionChain::DmEngaged),
        "决策人已识别" | "已知决策人" => Some(DecisionChain::DmIdentified),
        "影响者" | "仅影响者" | "需内部审批" => Some(DecisionChain::Influencer),
        "联系人" => Some(DecisionChain::ContactOnly),
        _ => None,
    }
}

/// One of an enumeration's values from its key (`web_form`), its Chinese or English label
/// (官网表单, "Web form") or a common synonym; anything else is named with the labels taken.
fn choice<E: Copy>(
    cell: &str,
    all: &[E],
    key: fn(E) -> &'static str,
    label: fn(E, Lang) -> &'static str,
    word: fn(&str) -> Option<E>,
    what: &str,
) -> Result<E, CellError> {
    let text = cells::half_width(cell).trim().to_lowercase();
    let as_key = text.split([' ', '-', '_']).filter(|part| !part.is_empty()).collect::<Vec<_>>().join("_");
    let found = all
        .iter()
        .copied()
        .find(|v| key(*v) == as_key || label(*v, Lang::Zh) == text || label(*v, Lang::En).to_lowercase() == text)
        .or_else(|| word(&text).or_else(|| word(&as_key)));
    found.ok_or_else(|| {
        let taken: Vec<String> = all.iter().map(|v| format!("{} ({})", label(*v, Lang::Zh), key(*v))).collect();
        (ProblemCode::UnknownValue, format!("`{}` is not a {what}: use one of {}", cell.trim(), taken.join(", ")))
    })
}

/// Reads one row with the columns the user confirmed. Empty cells (and placeholders such as
/// "—") leave their field out; the record is then checked as a lead profile. Every problem
/// names the row and the header of its column, or the column's Chinese name when the sheet
/// has no column for a field the lead needs.
pub fn read_row(
    row: &SheetRow,
    headers: &[String],
    mapping: &[Option<Column>],
    tz: Tz,
    today: NaiveDate,
) -> Result<RowLead, Vec<CellProblem>> {
    let mut out = Out::default();
    let mut problems = Vec::new();
    for (i, column) in mapping.iter().enumerate() {
        let Some(column) = *column else { continue };
        let cell = row.cells.get(i).map_or("", |cell| cell.trim());
        if cells::is_blank(cell) {
            continue;
        }
        let header = header_text(headers, i, column);
        if let Err((code, message)) = out.read(column, cell, &header, tz, today) {
            problems.push(CellProblem { row: row.number, column: header, code, message });
        }
    }
    let Out { mut record, details, tags, code, owner, created_at } = out;
    if !tags.is_empty() {
        record.insert("tags".into(), Value::from(tags));
    }
    if !details.is_empty() {
        record.insert("details".into(), Value::Object(details));
    }
    let record = Value::Object(record);
    let mut found = Vec::new();
    let _ = LeadProfile::read(&mut Fields::new(&record, String::new(), &mut found));
    for problem in found {
        let column = field_column(problem.field(), headers, mapping);
        // A cell that could not be read already has its problem; its field's absence is no news.
        if !problems.iter().any(|p: &CellProblem| p.column == column) {
            problems.push(CellProblem { row: row.number, column, code: problem.code, message: problem.message });
        }
    }
    if problems.is_empty() {
        Ok(RowLead { code, record, owner, created_at })
    } else {
        Err(problems)
    }
}

fn header_text(headers: &[String], i: usize, column: Column) -> String {
    match headers.get(i).map(|h| h.trim()) {
        Some(header) if !header.is_empty() => header.to_owned(),
        _ => column.label(Lang::Zh).to_owned(),
    }
}

/// The header of the column that filled a field (a phone or an e-mail address may have come
/// from 联系方式), or the field's Chinese column name when no column did.
fn field_column(field: &str, headers: &[String], mapping: &[Option<Column>]) -> String {
    let exact = mapping.iter().position(|c| c.is_some_and(|c| c.key() == field));
    let contact = || {
        matches!(field, "phone" | "email").then(|| mapping.iter().position(|c| *c == Some(Column::Contact))).flatten()
    };
    match exact.or_else(contact) {
        Some(i) => header_text(headers, i, mapping[i].unwrap_or(Column::Contact)),
        None => {
            Column::ALL.iter().find(|c| c.key() == field).map_or(field.to_owned(), |c| c.label(Lang::Zh).to_owned())
        }
    }
}

/// Appends a text to a field, after a separator when the field has a different text already.
fn join(map: &mut Map<String, Value>, key: &str, text: &str, separator: &str) {
    if let Some(Value::String(old)) = map.get_mut(key) {
        if !old.is_empty() {
            if old.as_str() != text {
                old.push_str(separator);
                old.push_str(text);
            }
            return;
        }
    }
    map.insert(key.to_owned(), Value::from(text));
}

/// A text the lead profile does not check itself, within its field's length.
fn limited(cell: &str, field: &str) -> Result<String, CellError> {
    let max = max_chars(field);
    if cell.chars().count() > max {
        return Err((ProblemCode::TooLong, format!("is longer than {max} characters")));
    }
    Ok(cell.to_owned())
}

/// An amount as JSON: whole yuan as an integer.
fn amount_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

fn not_a_number(message: String) -> CellError {
    (ProblemCode::WrongType, message)
}

/// The row read so far.
#[derive(Default)]
struct Out {
    record: Map<String, Value>,
    details: Map<String, Value>,
    tags: Vec<String>,
    code: Option<String>,
    owner: Option<String>,
    created_at: Option<DateTime<Utc>>,
}

impl Out {
    fn set(&mut self, key: &str, value: Value) {
        self.record.insert(key.to_owned(), value);
    }

    fn add_phone(&mut self, phone: &str) {
        join(&mut self.record, "phone", phone, " / ");
    }

    /// The first address is the lead's; another one is kept in the remarks.
    fn add_email(&mut self, email: String) {
        if matches!(self.record.get("email"), Some(Value::String(first)) if *first != email) {
            join(&mut self.record, "remarks", &email, "；");
        } else {
            self.set("email", Value::from(email));
        }
    }

    fn read(&mut self, column: Column, cell: &str, header: &str, tz: Tz, today: NaiveDate) -> Result<(), CellError> {
        match column {
            Column::Code => self.code = Some(limited(cell, "code")?),
            Column::Owner => self.owner = Some(limited(cell, "owner")?),
            Column::CreatedAt => self.created_at = Some(cells::instant(cell, tz)?),
            Column::Source => {
                let source = choice(cell, Source::ALL, Source::key, Source::label, source_word, "source")?;
                self.set("source", Value::from(source.key()));
            }
            Column::DecisionChain => {
                let all = DecisionChain::ALL;
                let chain = choice(cell, all, DecisionChain::key, DecisionChain::label, chain_word, "decision chain")?;
                self.set("decision_chain", Value::from(chain.key()));
            }
            Column::Employees => self.set("employees", Value::from(cells::employees(cell).map_err(not_a_number)?)),
            Column::Budget => {
                let budget = cells::budget(cell, cells::in_ten_thousands(header)).map_err(not_a_number)?;
                self.set("budget", amount_value(budget));
            }
            Column::DecisionMonths => {
                let months = cells::decision_months(cell, today).map_err(not_a_number)?;
                self.set("decision_months", Value::from(months));
            }
            Column::Contact => {
                let (phones, emails) = cells::contact_parts(cell);
                for phone in phones {
                    self.add_phone(&cells::phone(&phone).map_err(not_a_number)?);
                }
                for email in emails {
                    self.add_email(email);
                }
            }
            Column::Phone => self.add_phone(&cells::phone(cell).map_err(not_a_number)?),
            Column::Email => self.add_email(cells::email(cell)),
            Column::Tags => {
                for tag in cells::tags(cell) {
                    if !self.tags.contains(&tag) {
                        self.tags.push(tag);
                    }
                }
            }
            Column::MinutesTalked => {
                let minutes = cells::minutes(cell).map_err(not_a_number)?;
                self.details.insert(column.key().to_owned(), Value::from(minutes));
            }
            _ if column.is_detail() => join(&mut self.details, column.key(), cell, "；"),
            _ => join(&mut self.record, column.key(), cell, "；"),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::columns::guess_all;
    use super::*;
    use serde_json::json;

    fn read(headers: &[&str], cells: &[&str]) -> Result<RowLead, Vec<CellProblem>> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let row = SheetRow { number: 7, cells: cells.iter().map(|c| c.to_string()).collect() };
        let today = NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
        read_row(&row, &headers, &guess_all(&headers), chrono_tz::Asia::Shanghai, today)
    }

    fn found(problems: &[CellProblem]) -> Vec<(usize, &str, ProblemCode)> {
        problems.iter().map(|p| (p.row, p.column.as_str(), p.code)).collect()
    }

    #[test]
    fn a_row_of_the_articles_table_reads_as_a_lead() {
        let columns = [
            ("线索编号", "LX2024001"),
            ("来源渠道", "展会"),
            ("企业名称", "上海华信科技有限公司"),
            ("员工数", "300人"),
            ("联系方式", "13800000000 / li@huaxin.cn"),
            ("需求关键词", "数据安全"),
            ("需求描述", "服务器升级"),
            ("预算（万元）", "20"),
            ("决策时间", "3个月内"),
            ("决策链", "决策人已参与"),
            ("获取时间", "2024-03-01 10:00"),
            ("负责人", "王伟"),
            ("标签", "制造业、大客户"),
            ("展位号", "A12"),
            ("交流时长", "30分钟"),
            ("备注", "—"),
        ];
        let lead = read(&columns.map(|c| c.0), &columns.map(|c| c.1)).unwrap();
        assert_eq!(lead.code.as_deref(), Some("LX2024001"));
        assert_eq!(lead.owner.as_deref(), Some("王伟"));
        assert_eq!(lead.created_at, Some("2024-03-01T02:00:00Z".parse().unwrap()));
        let record = json!({
            "source": "trade_show", "company": "上海华信科技有限公司", "employees": 300,
            "phone": "13800000000", "email": "li@huaxin.cn", "need": "数据安全；服务器升级",
            "budget": 200000, "decision_months": 3, "decision_chain": "dm_engaged",
            "tags": ["制造业", "大客户"], "details": {"booth": "A12", "minutes": 30},
        });
        assert_eq!(lead.record, record);
    }

    #[test]
    fn a_row_with_two_bad_cells_names_both_by_row_and_header() {
        let problems =
            read(&["企业名称", "来源渠道", "员工数", "预算(元)"], &["华信", "地推", "很多", "200000"]).unwrap_err();
        assert_eq!(
            found(&problems),
            [(7, "来源渠道", ProblemCode::UnknownValue), (7, "员工数", ProblemCode::WrongType)]
        );
        assert!(problems[0].message.contains("官网表单 (web_form)"), "{}", problems[0].message);
        assert!(problems[1].message.contains("很多"), "{}", problems[1].message);
    }

    #[test]
    fn the_lead_checks_name_the_column_or_the_missing_one() {
        let problems = read(&["来源渠道", "邮箱"], &["官网", "li@"]).unwrap_err();
        assert_eq!(found(&problems), [(7, "企业名称", ProblemCode::Required), (7, "邮箱", ProblemCode::BadEmail)]);
        let problems = read(&["企业名称", "来源", "联系方式"], &["华信", "web_form", "138 0000 0000 / li@huaxin"]);
        assert_eq!(found(&problems.unwrap_err()), [(7, "联系方式", ProblemCode::BadEmail)]);
    }

    #[test]
    fn sources_take_keys_labels_and_synonyms() {
        let source = |cell: &str| choice(cell, Source::ALL, Source::key, Source::label, source_word, "source");
        let cases = [
            ("web_form", Source::WebForm),
            ("官网表单", Source::WebForm),
            ("Web form", Source::WebForm),
            ("WEB-FORM", Source::WebForm),
            ("官网", Source::WebForm),
            ("展会", Source::TradeShow),
            ("会展", Source::TradeShow),
            ("转介绍", Source::Referral),
            ("小红书", Source::Social),
            ("陌拜", Source::ColdCall),
            ("电话开发", Source::ColdCall),
            ("Cold call", Source::ColdCall),
        ];
        for (cell, want) in cases {
            assert_eq!(source(cell), Ok(want), "{cell}");
        }
        let (code, message) = source("地推").unwrap_err();
        assert_eq!(code, ProblemCode::UnknownValue);
        assert!(message.contains("展会 (trade_show)") && message.contains("其他 (other)"), "{message}");
    }

    #[test]
    fn decision_chains_take_keys_labels_and_synonyms() {
        let chain = |cell: &str| {
            choice(cell, DecisionChain::ALL, DecisionChain::key, DecisionChain::label, chain_word, "decision chain")
        };
        let cases = [
            ("dm_engaged", DecisionChain::DmEngaged),
            ("决策人已参与", DecisionChain::DmEngaged),
            ("决策人已介入", DecisionChain::DmEngaged),
            ("已识别决策人", DecisionChain::DmIdentified),
            ("影响者", DecisionChain::Influencer),
            ("仅影响者/需内部审批", DecisionChain::Influencer),
            ("仅联系人", DecisionChain::ContactOnly),
            ("Contact only", DecisionChain::ContactOnly),
        ];
        for (cell, want) in cases {
            assert_eq!(chain(cell), Ok(want), "{cell}");
        }
        assert!(chain("不清楚").is_err());
    }
}
