//! Duplicates (PRODUCT.md §2, §12): the leads a user may see that look like one customer —
//! the same phone, the same e-mail or the same company name once normalised — listed group
//! by group with why they were matched, and the merge screen where a user compares two of
//! them side by side and confirms the merge. Reps see the groups among their own leads,
//! managers their teams', admins everyone's: the service scopes the groups and checks the
//! merge again.
mod fields;
mod merge;

use super::page::{self, Viewer};
use super::widgets::grade_chip;
use crate::domain::commands::KeepApart;
use crate::domain::duplicates::DupGroup;
use crate::domain::lead::Lead;
use crate::i18n::Lang;
use crate::ssr::error::ApiError;
use crate::ssr::state::AppState;
use axum::extract::{Form, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use std::collections::HashMap;

crate::texts! {
    Title: "重复线索", "Duplicates";
    Hint: "同一电话、同一邮箱或规范化后相同的企业名称会被视为同一客户。合并后，跟进记录、待办、反馈、阶段变更、订单、标签和来源全部保留在保留的线索上。",
        "Leads with the same phone, the same e-mail or the same company name once normalised are taken as one customer. A merge keeps every follow-up, task, feedback, stage change, order, tag and source on the lead kept.";
    Empty: "没有发现重复线索", "No duplicate leads found";
    Total: "共 {n} 组可能重复的线索", "{n} groups of possible duplicates";
    SomeShown: "共 {n} 组可能重复的线索，这里显示前 {shown} 组；合并后其余的会显示出来。",
        "{n} groups of possible duplicates; the first {shown} are shown here, the rest appear as these are merged.";
    LeadCount: "{n} 条线索", "{n} leads";
    Code: "线索编号", "Lead";
    Company: "公司", "Company";
    Contact: "联系人", "Contact";
    Phone: "电话", "Phone";
    Email: "邮箱", "E-mail";
    Source: "来源", "Source";
    Status: "阶段", "Status";
    Grade: "评级", "Grade";
    Owner: "负责人", "Owner";
    Created: "创建日期", "Created";
    Action: "操作", "Action";
    Unassigned: "未分配", "Unassigned";
    Suggested: "建议保留", "Suggested to keep";
    CompareMerge: "比较并合并", "Compare and merge";
    KeepApart: "不是同一客户", "Not the same customer";
    KeepApartHint: "这些线索只是电话、邮箱或名称相同，实为不同客户：不再列为重复，除非有新的线索加入这一组。",
        "These leads only share a phone, an e-mail or a name and are different customers: they are no longer listed as duplicates unless another lead joins them.";
    KeptApart: "已标记为不同客户：{codes}", "Marked as different customers: {codes}";
}

/// How many groups the page lists at most.
const SHOWN: usize = 200;

/// The duplicates page and the merge screen.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/duplicates", get(list))
        .route("/duplicates/keep-apart", post(keep_apart))
        .route("/duplicates/merge", get(merge::show).post(merge::confirm))
}

/// The address of the merge screen keeping `keep` and merging `from` into it.
fn merge_href(keep: &str, from: &str) -> String {
    format!("/duplicates/merge?keep={}&from={}", crate::ui::encode(keep), crate::ui::encode(from))
}

/// The address of a lead's page.
fn lead_href(code: &str) -> String {
    format!("/leads/{}", crate::ui::encode(code))
}

#[derive(serde::Deserialize)]
struct ListQuery {
    #[serde(default)]
    done: Option<String>,
}

/// The groups of leads that look like one customer, among the leads the user may see.
async fn list(State(state): State<AppState>, viewer: Viewer, Query(q): Query<ListQuery>) -> Response {
    let mut groups = match crate::ssr::service::merge::groups(&state, &viewer.actor).await {
        Ok(groups) => groups,
        Err(e) => return page::failure(&viewer, e),
    };
    let total = groups.len();
    groups.truncate(SHOWN);
    let codes: Vec<String> = groups.iter().flat_map(|g| g.codes.iter().cloned()).collect();
    let leads = match crate::ssr::repo::leads::fetch_many(&state.db, &codes).await {
        Ok(leads) => leads,
        Err(e) => return page::failure(&viewer, ApiError::from(e)),
    };
    let by_code: HashMap<String, Lead> =
        leads.into_iter().filter(|l| l.merged_into.is_none()).map(|l| (l.code.clone(), l)).collect();
    let body = list_body(viewer.lang, &groups, total, &by_code, q.done.as_deref());
    page::page(&viewer, "/duplicates", t(viewer.lang, T::Title), body)
}

/// Keeps a group's leads apart as different customers, then lists the groups again.
async fn keep_apart(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let leads: Vec<String> =
        pairs.into_iter().filter(|(k, _)| k == "lead").map(|(_, v)| v.trim().to_string()).collect();
    let cmd = match KeepApart::read(&serde_json::json!({ "leads": leads })) {
        Ok(cmd) => cmd,
        Err(problems) => return page::failure(&viewer, ApiError::Invalid(problems)),
    };
    match crate::ssr::service::merge::keep_apart(&state, &viewer.actor, cmd).await {
        Ok(codes) => {
            let done = t(viewer.lang, T::KeptApart).replace("{codes}", &codes.join(", "));
            page::to(&format!("/duplicates?done={}", crate::ui::encode(&done)))
        }
        Err(e) => page::failure(&viewer, e),
    }
}

/// The page's body: the head, a notice, then one card per group (or the empty state).
fn list_body(l: Lang, groups: &[DupGroup], total: usize, leads: &HashMap<String, Lead>, done: Option<&str>) -> AnyView {
    let count = if total > groups.len() {
        t(l, T::SomeShown).replace("{n}", &total.to_string()).replace("{shown}", &groups.len().to_string())
    } else {
        t(l, T::Total).replace("{n}", &total.to_string())
    };
    let content = if groups.is_empty() {
        view! {
            <section class="card empty">
                <p>{t(l, T::Empty)}</p>
            </section>
        }
        .into_any()
    } else {
        let cards = groups.iter().map(|g| group_card(l, g, leads)).collect_view();
        view! {
            <p class="list-count" role="status">{count}</p>
            {cards}
        }
        .into_any()
    };
    view! {
        <div class="page-head">
            <h1>{t(l, T::Title)}</h1>
            <p class="hint">{t(l, T::Hint)}</p>
        </div>
        {page::notice(done)}
        {content}
    }
    .into_any()
}

/// The leads of a group in the order the card lists them: the oldest first — the one
/// suggested to keep, as it carries the longest history.
fn members<'a>(group: &DupGroup, leads: &'a HashMap<String, Lead>) -> Vec<&'a Lead> {
    let mut found: Vec<&Lead> = group.codes.iter().filter_map(|c| leads.get(c)).collect();
    found.sort_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.code.cmp(&b.code)));
    found
}

/// One group: why its leads were matched, and a row per lead with a link comparing it with
/// the lead suggested to keep.
fn group_card(l: Lang, group: &DupGroup, leads: &HashMap<String, Lead>) -> AnyView {
    let members = members(group, leads);
    if members.len() < 2 {
        // Merged or gone since the groups were drawn: nothing left to compare.
        return ().into_any();
    }
    let anchor = members.first().map(|x| x.code.clone()).unwrap_or_default();
    let title = members
        .first()
        .and_then(|x| x.profile.company.clone())
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| anchor.clone());
    let count = t(l, T::LeadCount).replace("{n}", &members.len().to_string());
    let reasons = group.reasons.iter().map(|r| view! { <span class="pill">{r.label(l)}</span> }).collect_view();
    let rows = members.into_iter().map(|lead| lead_row(l, lead, &anchor)).collect_view();
    let label = title.clone();
    view! {
        <section class="card dup-group" aria-label=label>
            <div class="dup-head">
                <h2>{title}</h2>
                <span class="dup-reasons">{reasons}</span>
                <span class="hint">{count}</span>
                {keep_apart_form(l, group)}
            </div>
            <div class="lead-table-wrap">
                <table class="lead-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::Code)}</th>
                            <th scope="col">{t(l, T::Company)}</th>
                            <th scope="col">{t(l, T::Contact)}</th>
                            <th scope="col">{t(l, T::Phone)}</th>
                            <th scope="col">{t(l, T::Email)}</th>
                            <th scope="col">{t(l, T::Source)}</th>
                            <th scope="col">{t(l, T::Status)}</th>
                            <th scope="col">{t(l, T::Grade)}</th>
                            <th scope="col">{t(l, T::Owner)}</th>
                            <th scope="col">{t(l, T::Created)}</th>
                            <th scope="col">{t(l, T::Action)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// The button keeping a group's leads apart (for groups a single mark can hold).
fn keep_apart_form(l: Lang, group: &DupGroup) -> AnyView {
    if group.codes.len() > crate::domain::validate::MAX_LIST_ITEMS {
        return ().into_any();
    }
    let inputs =
        group.codes.iter().map(|c| view! { <input type="hidden" name="lead" value=c.clone()/> }).collect_view();
    view! {
        <form class="keep-apart" method="post" action="/duplicates/keep-apart">
            {inputs}
            <button type="submit" class="secondary" title=t(l, T::KeepApartHint)>{t(l, T::KeepApart)}</button>
        </form>
    }
    .into_any()
}

/// A lead of a group as a table row.
fn lead_row(l: Lang, lead: &Lead, anchor: &str) -> AnyView {
    let p = &lead.profile;
    let contact = match (&p.contact_name, &p.contact_title) {
        (Some(n), Some(title)) => format!("{n}（{title}）"),
        (Some(n), None) => n.clone(),
        (None, Some(title)) => title.clone(),
        (None, None) => String::new(),
    };
    let owner =
        lead.owner_name.clone().or_else(|| lead.owner.clone()).unwrap_or_else(|| t(l, T::Unassigned).to_string());
    let action = if lead.code == anchor {
        view! { <span class="hint">{t(l, T::Suggested)}</span> }.into_any()
    } else {
        let href = merge_href(anchor, &lead.code);
        view! { <a class="secondary" href=href>{t(l, T::CompareMerge)}</a> }.into_any()
    };
    view! {
        <tr>
            <td data-label=t(l, T::Code) class="code"><a href=lead_href(&lead.code)>{lead.code.clone()}</a></td>
            <td data-label=t(l, T::Company) class="company">{p.company.clone().unwrap_or_default()}</td>
            <td data-label=t(l, T::Contact)>{contact}</td>
            <td data-label=t(l, T::Phone)>{p.phone.clone().unwrap_or_default()}</td>
            <td data-label=t(l, T::Email)>{p.email.clone().unwrap_or_default()}</td>
            <td data-label=t(l, T::Source)>{p.source.map(|s| s.label(l)).unwrap_or("—")}</td>
            <td data-label=t(l, T::Status)>{lead.status.label(l)}</td>
            <td data-label=t(l, T::Grade)>{grade_chip(lead.grade)}</td>
            <td data-label=t(l, T::Owner)>{owner}</td>
            <td data-label=t(l, T::Created)>{crate::format::date(lead.created_at)}</td>
            <td data-label=t(l, T::Action)>{action}</td>
        </tr>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_merge_link_names_the_lead_kept_and_the_lead_merged_in() {
        assert_eq!(merge_href("LX202600001", "LX202600007"), "/duplicates/merge?keep=LX202600001&from=LX202600007");
        assert_eq!(merge_href("A B", "C&D"), "/duplicates/merge?keep=A%20B&from=C%26D");
        assert_eq!(lead_href("LX202600001"), "/leads/LX202600001");
    }

    /// A lead created `hours` after the first of 2026.
    fn lead(code: &str, hours: i64) -> Lead {
        let mut lead: Lead = serde_json::from_value(serde_json::json!({
            "code": code, "source": "web_form", "company": "上海华信科技", "owner": "r1", "team": "t1",
            "created_at": "2026-01-01T00:00:00Z", "status": "new", "status_since": "2026-01-01T00:00:00Z",
            "score": {
                "company_size": 0, "budget_match": 0, "urgency": 0, "decision_chain": 0, "total": 0, "grade": "C"
            },
            "grade": "C", "version": 1
        }))
        .expect("a lead");
        lead.created_at += chrono::Duration::hours(hours);
        lead
    }

    #[test]
    fn a_group_lists_its_oldest_lead_first_and_skips_leads_gone_since() {
        let leads: HashMap<String, Lead> = [lead("LX202600003", 1), lead("LX202600009", 0), lead("LX202600005", 1)]
            .into_iter()
            .map(|l| (l.code.clone(), l))
            .collect();
        let group = DupGroup {
            codes: vec!["LX202600003".into(), "LX202600004".into(), "LX202600005".into(), "LX202600009".into()],
            reasons: vec![crate::domain::duplicates::Reason::Company],
        };
        let codes: Vec<&str> = members(&group, &leads).into_iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["LX202600009", "LX202600003", "LX202600005"]);
    }
}
