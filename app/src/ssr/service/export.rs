//! Exporting a lead list (PRODUCT.md §12 "Out"): the leads the actor may see under the list's
//! filters, newest first, one row each, as CSV for Excel or as xlsx, with headers in the
//! actor's language and times in the workspace's time zone. The columns are the import's,
//! so an exported file edited in Excel imports again and updates the leads by 线索编号.
use crate::domain::lead::{Lead, LeadFilter};
use crate::i18n::Lang;
use crate::ssr::actor::Actor;
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo;
use crate::ssr::sheet::export::{self, Cell};
use crate::ssr::state::AppState;

/// The format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// The exported columns: the header in Chinese and English, and the cell of a lead.
type Column = (&'static str, &'static str, fn(&Lead, Lang, chrono_tz::Tz) -> Cell);

fn text(v: &Option<String>) -> Cell {
    v.clone().map_or(Cell::Empty, Cell::Text)
}

const COLUMNS: &[Column] = &[
    ("线索编号", "Code", |l, _, _| Cell::Text(l.code.clone())),
    ("来源渠道", "Source", |l, lang, _| l.profile.source.map_or(Cell::Empty, |s| Cell::Text(s.label(lang).into()))),
    ("企业名称", "Company", |l, _, _| text(&l.profile.company)),
    ("所属行业", "Industry", |l, _, _| text(&l.profile.industry)),
    ("区域", "Region", |l, _, _| text(&l.profile.region)),
    ("员工数", "Employees", |l, _, _| l.profile.employees.map_or(Cell::Empty, |n| Cell::Int(n.into()))),
    ("联系人", "Contact name", |l, _, _| text(&l.profile.contact_name)),
    ("职位", "Contact title", |l, _, _| text(&l.profile.contact_title)),
    ("电话", "Phone", |l, _, _| text(&l.profile.phone)),
    ("邮箱", "Email", |l, _, _| text(&l.profile.email)),
    ("需求描述", "Need", |l, _, _| text(&l.profile.need)),
    ("预算", "Budget", |l, _, _| l.profile.budget.map_or(Cell::Empty, Cell::Number)),
    ("决策时间", "Decision months", |l, _, _| {
        l.profile.decision_months.map_or(Cell::Empty, |n| Cell::Int(n.into()))
    }),
    ("决策链", "Decision chain", |l, lang, _| {
        l.profile.decision_chain.map_or(Cell::Empty, |c| Cell::Text(c.label(lang).into()))
    }),
    ("评分", "Score", |l, _, _| Cell::Int(l.score.total.into())),
    ("等级", "Grade", |l, _, _| Cell::Text(l.grade.key().into())),
    ("状态", "Status", |l, lang, _| Cell::Text(l.status.label(lang).into())),
    ("负责人", "Owner", |l, _, _| text(&l.owner_name.clone().or_else(|| l.owner.clone()))),
    ("获取时间", "Created at", |l, _, tz| Cell::Date(l.created_at.with_timezone(&tz))),
    ("成交金额", "Deal amount", |l, _, _| l.deal_amount.map_or(Cell::Empty, Cell::Number)),
    (
        "标签",
        "Tags",
        |l, _, _| if l.profile.tags.is_empty() { Cell::Empty } else { Cell::Text(l.profile.tags.join("，")) },
    ),
    ("备注", "Remarks", |l, _, _| text(&l.profile.remarks)),
];

/// The file of the leads the actor may see under `filter`: its bytes and name.
pub async fn leads(
    state: &AppState,
    actor: &Actor,
    filter: &LeadFilter,
    format: Format,
    lang: Lang,
) -> ApiResult<(Vec<u8>, String)> {
    let codes = state.index.read().await.visible_codes(actor, filter);
    let tz = state.settings.read().await.tz();
    let mut rows = Vec::with_capacity(codes.len());
    for chunk in codes.chunks(2_000) {
        let leads = repo::leads::fetch_many(&state.db, chunk).await?;
        rows.extend(leads.iter().map(|l| COLUMNS.iter().map(|(_, _, cell)| cell(l, lang, tz)).collect::<Vec<_>>()));
    }
    let headers: Vec<String> =
        COLUMNS.iter().map(|(zh, en, _)| if lang == Lang::Zh { *zh } else { *en }.to_string()).collect();
    let sheet = if lang == Lang::Zh { "线索" } else { "Leads" };
    // Writing 100,000 rows takes a moment of CPU: off the request threads.
    let bytes = tokio::task::spawn_blocking(move || match format {
        Format::Csv => Ok(export::csv(&headers, &rows)),
        Format::Xlsx => export::xlsx(sheet, &headers, &rows),
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(ApiError::Internal)?;
    let day = chrono::Utc::now().with_timezone(&tz).format("%Y%m%d");
    Ok((bytes, format!("genjin-leads-{day}.{}", format.extension())))
}
