//! The import template a sales team downloads and fills in: the header row with the Chinese
//! column names Genjin recognises — the lead's main fields, then the channel details of each
//! source — and two example rows, a lead met at a trade show and one left on the website.
use crate::domain::enums::{DecisionChain, Source};
use crate::i18n::Lang;
use crate::ssr::sheet::columns::Column;
use crate::ssr::sheet::export::{xlsx, Cell};
use chrono::NaiveDateTime;

/// The template's file name when downloaded.
pub const FILE_NAME: &str = "genjin-import-template.xlsx";

/// The xlsx content type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The template's columns by field key, with the trade-show and the web-form example.
/// 线索编号 and 负责人 are left empty: Genjin numbers new leads and the assignment rules
/// choose the rep.
fn examples() -> Vec<(&'static str, String, String)> {
    let s = |v: &str| v.to_string();
    vec![
        ("code", s(""), s("")),
        ("source", s(Source::TradeShow.label(Lang::Zh)), s(Source::WebForm.label(Lang::Zh))),
        ("company", s("上海华信精密制造有限公司"), s("杭州云栖数据科技有限公司")),
        ("industry", s("制造业"), s("互联网")),
        ("region", s("上海"), s("浙江杭州")),
        ("employees", s("300"), s("80")),
        ("contact_name", s("李娜"), s("王磊")),
        ("contact_title", s("信息化部经理"), s("运营总监")),
        ("phone", s("13800138000"), s("13912345678")),
        ("email", s("lina@huaxin-mfg.cn"), s("wanglei@yunqi-data.cn")),
        ("need", s("车间设备联网与生产数据看板"), s("客户数据平台，要求私有化部署")),
        ("budget", s("200000"), s("50000")),
        ("decision_months", s("3"), s("6")),
        ("decision_chain", s(DecisionChain::DmEngaged.label(Lang::Zh)), s(DecisionChain::Influencer.label(Lang::Zh))),
        ("created_at", s("2025-03-12 10:30"), s("2025-03-15 21:05")),
        ("owner", s(""), s("")),
        ("tags", s("高意向,展会"), s("官网咨询")),
        ("remarks", s("展台现场演示后约了下周回访"), s("下载了产品白皮书")),
        ("source_details", s("2025 上海国际工业博览会"), s("官网“预约演示”表单")),
        ("booth", s("A3-128"), s("")),
        ("minutes", s("30"), s("")),
        ("products", s("设备联网网关；生产看板"), s("")),
        ("contact_reason", s(""), s("预约产品演示")),
        ("page", s(""), s("https://www.example.com/pricing")),
        ("keywords", s(""), s("客户数据平台 私有化")),
        ("referrer", s(""), s("")),
        ("relationship", s(""), s("")),
        ("scenario", s(""), s("")),
    ]
}

/// An example value as the cell Excel shows best: counts and months as whole numbers, the
/// budget as an amount, 获取时间 as a date.
fn cell(key: &str, value: &str) -> Cell {
    if value.is_empty() {
        return Cell::Empty;
    }
    match key {
        "employees" | "decision_months" | "minutes" => value.parse().map_or(Cell::Text(value.into()), Cell::Int),
        "budget" => value.parse().map_or(Cell::Text(value.into()), Cell::Number),
        "created_at" => NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M")
            .ok()
            .and_then(|at| at.and_local_timezone(chrono_tz::Asia::Shanghai).single())
            .map_or(Cell::Text(value.into()), Cell::Date),
        _ => Cell::Text(value.into()),
    }
}

/// The template's header row (Chinese column names) and example rows.
pub fn table() -> (Vec<String>, Vec<Vec<Cell>>) {
    let columns: Vec<(Column, String, String)> = examples()
        .into_iter()
        .filter_map(|(key, a, b)| Column::ALL.iter().find(|c| c.key() == key).map(|c| (*c, a, b)))
        .collect();
    let headers: Vec<String> = columns.iter().map(|(c, _, _)| c.label(Lang::Zh).to_string()).collect();
    let rows: Vec<Vec<Cell>> = vec![
        columns.iter().map(|(c, a, _)| cell(c.key(), a)).collect(),
        columns.iter().map(|(c, _, b)| cell(c.key(), b)).collect(),
    ];
    (headers, rows)
}

/// The template as an xlsx workbook.
pub fn workbook() -> Result<Vec<u8>, String> {
    let (headers, rows) = table();
    xlsx("线索导入", &headers, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::sheet::read::read_table;

    #[test]
    fn every_template_column_is_a_lead_field() {
        let (headers, rows) = table();
        assert_eq!(headers.len(), examples().len());
        for h in ["线索编号", "来源渠道", "企业名称", "所属行业", "区域", "员工数", "联系人", "职位", "电话", "邮箱"]
        {
            assert!(headers.iter().any(|x| x == h), "{h}");
        }
        for h in ["需求描述", "预算", "决策时间", "决策链", "获取时间", "负责人", "标签", "备注", "展位号", "访问页面"]
        {
            assert!(headers.iter().any(|x| x == h), "{h}");
        }
        assert!(rows.iter().all(|r| r.len() == headers.len()));
    }

    #[test]
    fn the_examples_are_typed_cells() {
        assert_eq!(cell("employees", "300"), Cell::Int(300));
        assert_eq!(cell("budget", "200000"), Cell::Number(200000.0));
        assert!(matches!(cell("created_at", "2025-03-12 10:30"), Cell::Date(_)));
        assert_eq!(cell("phone", "13800138000"), Cell::Text("13800138000".into()));
        assert_eq!(cell("owner", ""), Cell::Empty);
    }

    #[test]
    fn the_template_reads_back_as_a_sheet_with_two_leads() {
        let bytes = workbook().expect("the template is written");
        let sheet = read_table(&bytes, Some(XLSX)).expect("the template is read");
        assert_eq!(sheet.headers, table().0);
        assert_eq!(sheet.rows.len(), 2);
        let company = sheet.headers.iter().position(|h| h == "企业名称").unwrap();
        assert_eq!(sheet.rows[0].cells[company], "上海华信精密制造有限公司");
        let source = sheet.headers.iter().position(|h| h == "来源渠道").unwrap();
        assert_eq!(sheet.rows[1].cells[source], "官网表单");
    }
}
