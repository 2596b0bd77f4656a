//! The merge screen: two leads of one customer side by side, field by field, the user
//! choosing whose value the lead kept ends up with; everything else of both leads — tags,
//! sources, follow-ups, tasks, feedback, stage changes, orders — is kept on it. Confirming
//! posts the choice; the service merges, or refuses when the kept lead changed meanwhile, in
//! which case the screen comes back with the leads as they now stand.
use super::fields::{self, Row, Side};
use super::{lead_href, merge_href};
use crate::domain::enums::Source;
use crate::domain::lead::Lead;
use crate::domain::validate::Problem;
use crate::i18n::Lang;
use crate::ssr::admin::page::{self, Viewer};
use crate::ssr::admin::widgets::{grade_chip, problem_text};
use crate::ssr::error::ApiError;
use crate::ssr::service::merge::{self as service, MergeLeads};
use crate::ssr::service::visible_lead;
use crate::ssr::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use std::collections::HashMap;

crate::texts! {
    Title: "合并线索", "Merge leads";
    Intro: "逐项选择保留哪一边的信息；两边相同的信息只显示一次。",
        "Choose, field by field, which side's value to keep; values both leads share are shown once.";
    Field: "字段", "Field";
    KeepCol: "保留的线索", "Lead kept";
    FromCol: "合并进来的线索", "Lead merged in";
    Swap: "改为保留 {code}", "Keep {code} instead";
    Status: "阶段", "Status";
    Grade: "评级", "Grade";
    Owner: "负责人", "Owner";
    Created: "创建时间", "Created";
    Tags: "标签", "Tags";
    Unassigned: "未分配", "Unassigned";
    KeptTitle: "以下内容会全部保留在 {code} 上", "Kept on {code} as they are";
    KeptTags: "两条线索的标签", "The tags of both leads";
    KeptSources: "两条线索的来源", "The sources of both leads";
    KeptFollowUps: "全部跟进记录", "Every follow-up";
    KeptTasks: "全部待办", "Every task";
    KeptFeedback: "全部反馈", "All feedback";
    KeptStages: "全部阶段变更记录", "Every stage change";
    KeptOrders: "全部订单", "Every order";
    Afterwards: "合并后，{from} 不再单独出现，打开它会转到 {keep}。",
        "After the merge, {from} no longer appears on its own; opening it leads to {keep}.";
    Confirm: "确认合并", "Merge";
    Back: "返回重复线索", "Back to duplicates";
    Conflict: "这条线索刚被别人修改过，请核对后再合并",
        "Someone has just changed this lead; check it and merge again";
    Busy: "线索正在被别人修改，没有合并，请再试一次",
        "The lead is being changed by someone else; nothing was merged, please try again";
    Problems: "无法合并：", "The leads could not be merged:";
    Merged: "这条线索已合并到 {into}。", "This lead was merged into {into}.";
    Open: "打开 {into}", "Open {into}";
    Itself: "不能把一条线索合并到它自己。", "A lead cannot be merged into itself.";
}

#[derive(serde::Deserialize)]
pub(super) struct MergeQuery {
    #[serde(default)]
    keep: String,
    #[serde(default)]
    from: String,
}

/// The merge screen for `?keep=A&from=B`.
pub(super) async fn show(State(state): State<AppState>, viewer: Viewer, Query(q): Query<MergeQuery>) -> Response {
    let (keep, from) = (q.keep.trim(), q.from.trim());
    if keep.is_empty() || from.is_empty() {
        return page::to("/duplicates");
    }
    match load(&state, &viewer, keep, from).await {
        Ok((keep, from)) => screen(&viewer, &keep, &from, &HashMap::new(), None, &[], StatusCode::OK),
        Err(refused) => refused,
    }
}

/// A confirmed merge: the lead kept, the lead merged in, the kept lead's version as the user
/// saw it and a `field.<name>` choice per differing field.
pub(super) async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let value =
        |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let (keep, from, version) = (value("keep"), value("from"), value("version"));
    if keep.is_empty() || from.is_empty() {
        return page::to("/duplicates");
    }
    let chosen = fields::choices(&pairs);
    let outcome = match version.parse::<u64>() {
        Ok(version) => {
            let cmd = MergeLeads { from: from.clone(), version, take: fields::take(&chosen) };
            service::merge(&state, &viewer.actor, &keep, cmd).await
        }
        // A form without the version it was shown at is shown again to be checked, as a stale one.
        Err(_) => Err(ApiError::Conflict(serde_json::Value::Null)),
    };
    let (notice, problems, status) = match outcome {
        Ok(lead) => {
            let to = format!("{}?merged={}", lead_href(&lead.code), crate::ui::encode(&from));
            return page::to(&to);
        }
        Err(ApiError::Conflict(_)) => (Some(T::Conflict), Vec::new(), StatusCode::CONFLICT),
        Err(ApiError::Busy) => (Some(T::Busy), Vec::new(), StatusCode::CONFLICT),
        Err(ApiError::Invalid(problems)) => (None, problems, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return refusal(&viewer, e),
    };
    match load(&state, &viewer, &keep, &from).await {
        Ok((keep, from)) => screen(&viewer, &keep, &from, &chosen, notice, &problems, status),
        Err(refused) => refused,
    }
}

/// Both leads as the user may see them, or the page saying why not.
async fn load(state: &AppState, viewer: &Viewer, keep: &str, from: &str) -> Result<(Lead, Lead), Response> {
    if keep == from {
        return Err(page::message(viewer, StatusCode::UNPROCESSABLE_ENTITY, t(viewer.lang, T::Itself)));
    }
    let kept = visible_lead(state, &viewer.actor, keep).await.map_err(|e| refusal(viewer, e))?;
    let merged_in = visible_lead(state, &viewer.actor, from).await.map_err(|e| refusal(viewer, e))?;
    Ok((kept, merged_in))
}

/// A lead that cannot be merged: merged already (with a link to the lead it now lives in),
/// not visible, or another service error.
fn refusal(viewer: &Viewer, e: ApiError) -> Response {
    let into = match e {
        ApiError::Merged(into) => into,
        other => return page::failure(viewer, other),
    };
    let l = viewer.lang;
    let body = view! {
        <section class="card empty">
            <h1>{t(l, T::Merged).replace("{into}", &into)}</h1>
            <p class="form-actions">
                <a class="secondary" href=lead_href(&into)>{t(l, T::Open).replace("{into}", &into)}</a>
                <a href="/duplicates">{t(l, T::Back)}</a>
            </p>
        </section>
    }
    .into_any();
    let mut response = page::page(viewer, "/duplicates", t(l, T::Title), body);
    *response.status_mut() = StatusCode::GONE;
    response
}

/// Every source of a lead: its own and those of leads merged into it before.
fn sources_of(lead: &Lead) -> Vec<Source> {
    let mut all: Vec<Source> = lead.profile.source.into_iter().collect();
    for s in &lead.sources {
        if !all.contains(s) {
            all.push(*s);
        }
    }
    all
}

/// The items of both lists, each once, in their order.
fn union<X: Clone + PartialEq>(a: &[X], b: &[X]) -> Vec<X> {
    let mut all = a.to_vec();
    for x in b {
        if !all.contains(x) {
            all.push(x.clone());
        }
    }
    all
}

/// The problem paths a field's row answers for: `details.booth` belongs to `details`.
fn path_field(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or(path)
}

/// A value in a cell; nothing as a dash.
fn cell(value: String) -> AnyView {
    if value.is_empty() {
        view! { <span class="hint">"—"</span> }.into_any()
    } else {
        view! { <span>{value}</span> }.into_any()
    }
}

/// The merge screen, with the user's earlier choices, a notice and the problems of a refused
/// merge.
fn screen(
    viewer: &Viewer,
    keep: &Lead,
    from: &Lead,
    chosen: &HashMap<String, Side>,
    notice: Option<T>,
    problems: &[Problem],
    status: StatusCode,
) -> Response {
    let l = viewer.lang;
    let rows = fields::rows(l, &keep.profile, &from.profile, chosen);
    let heads = (format!("{} {}", t(l, T::KeepCol), keep.code), format!("{} {}", t(l, T::FromCol), from.code));
    let general: Vec<String> = problems
        .iter()
        .filter(|p| !rows.iter().any(|r| r.field == path_field(&p.path)))
        .map(|p| problem_text(l, p))
        .collect();
    let notice = notice.map(|n| view! { <p class="notice error" role="status">{t(l, n)}</p> });
    let general = (!general.is_empty()).then(|| {
        let items = general.into_iter().map(|text| view! { <li>{text}</li> }).collect_view();
        view! {
            <div class="notice error" role="alert">
                <p>{t(l, T::Problems)}</p>
                <ul>{items}</ul>
            </div>
        }
    });
    let info = [
        (T::Status, cell(keep.status.label(l).to_string()), cell(from.status.label(l).to_string())),
        (T::Grade, grade_chip(keep.grade).into_any(), grade_chip(from.grade).into_any()),
        (T::Owner, cell(owner(l, keep)), cell(owner(l, from))),
        (T::Created, cell(crate::format::date_time(keep.created_at)), cell(crate::format::date_time(from.created_at))),
        (T::Tags, cell(keep.profile.tags.join("、")), cell(from.profile.tags.join("、"))),
    ]
    .into_iter()
    .map(|(label, a, b)| {
        view! {
            <tr class="info">
                <th scope="row">{t(l, label)}</th>
                <td data-label=heads.0.clone()>{a}</td>
                <td data-label=heads.1.clone()>{b}</td>
            </tr>
        }
    })
    .collect_view();
    let field_rows = rows.into_iter().map(|row| field_row(l, row, problems, &heads)).collect_view();
    let tags = union(&keep.profile.tags, &from.profile.tags).join("、");
    let sources =
        union(&sources_of(keep), &sources_of(from)).into_iter().map(|s| s.label(l)).collect::<Vec<_>>().join("、");
    let listed = |label: T, items: String| {
        if items.is_empty() {
            t(l, label).to_string()
        } else {
            format!("{}{}{items}", t(l, label), if l == Lang::Zh { "：" } else { ": " })
        }
    };
    let kept = [
        listed(T::KeptTags, tags),
        listed(T::KeptSources, sources),
        t(l, T::KeptFollowUps).to_string(),
        t(l, T::KeptTasks).to_string(),
        t(l, T::KeptFeedback).to_string(),
        t(l, T::KeptStages).to_string(),
        t(l, T::KeptOrders).to_string(),
    ]
    .into_iter()
    .map(|text| view! { <li>{text}</li> })
    .collect_view();
    let body = view! {
        <div class="page-head">
            <h1>{t(l, T::Title)}</h1>
            <a class="secondary" href=merge_href(&from.code, &keep.code)>
                {t(l, T::Swap).replace("{code}", &from.code)}
            </a>
            <p class="hint">{t(l, T::Intro)}</p>
        </div>
        {notice}
        {general}
        <form method="post" action="/duplicates/merge" class="merge-form">
            <input type="hidden" name="keep" value=keep.code.clone()/>
            <input type="hidden" name="from" value=from.code.clone()/>
            <input type="hidden" name="version" value=keep.version.to_string()/>
            <div class="lead-table-wrap">
                <table class="lead-table merge-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::Field)}</th>
                            <th scope="col">
                                {t(l, T::KeepCol)}" "<a href=lead_href(&keep.code)>{keep.code.clone()}</a>
                            </th>
                            <th scope="col">
                                {t(l, T::FromCol)}" "<a href=lead_href(&from.code)>{from.code.clone()}</a>
                            </th>
                        </tr>
                    </thead>
                    <tbody>{info}{field_rows}</tbody>
                </table>
            </div>
            <section class="card merge-kept" aria-labelledby="merge-kept-title">
                <h2 id="merge-kept-title">{t(l, T::KeptTitle).replace("{code}", &keep.code)}</h2>
                <ul>{kept}</ul>
                <p class="hint">
                    {t(l, T::Afterwards).replace("{from}", &from.code).replace("{keep}", &keep.code)}
                </p>
            </section>
            <div class="form-actions">
                <button type="submit" class="primary">{t(l, T::Confirm)}</button>
                <a class="secondary" href="/duplicates">{t(l, T::Back)}</a>
            </div>
        </form>
    }
    .into_any();
    let mut response = page::page(viewer, "/duplicates", t(l, T::Title), body);
    *response.status_mut() = status;
    response
}

/// Who owns a lead, as the screen shows it.
fn owner(l: Lang, lead: &Lead) -> String {
    lead.owner_name.clone().or_else(|| lead.owner.clone()).unwrap_or_else(|| t(l, T::Unassigned).to_string())
}

/// One field: its value once when both leads hold the same, else a radio button per lead;
/// the problems a refused merge found with it beside its label.
fn field_row(l: Lang, row: Row, problems: &[Problem], heads: &(String, String)) -> AnyView {
    let errors: Vec<String> =
        problems.iter().filter(|p| path_field(&p.path) == row.field).map(|p| problem_text(l, p)).collect();
    let invalid = !errors.is_empty();
    let error = invalid.then(|| view! { <p class="field-error">{errors.join(" ")}</p> });
    let Some(choice) = row.choice else {
        let both = format!("{} · {}", heads.0, heads.1);
        return view! {
            <tr>
                <th scope="row">{row.label}{error}</th>
                <td colspan="2" class="wrap same" data-label=both>{cell(row.keep)}</td>
            </tr>
        }
        .into_any();
    };
    let name = format!("field.{}", row.field);
    let (keep_checked, from_checked) = (choice == Side::Keep, choice == Side::From);
    let aria_invalid = invalid.then_some("true");
    view! {
        <tr>
            <th scope="row">{row.label}{error}</th>
            <td class="wrap" data-label=heads.0.clone()>
                <label class="merge-choice">
                    <input
                        type="radio"
                        name=name.clone()
                        value=Side::Keep.key()
                        checked=keep_checked
                        aria-invalid=aria_invalid
                    />
                    {cell(row.keep)}
                </label>
            </td>
            <td class="wrap" data-label=heads.1.clone()>
                <label class="merge-choice">
                    <input
                        type="radio"
                        name=name
                        value=Side::From.key()
                        checked=from_checked
                        aria-invalid=aria_invalid
                    />
                    {cell(row.from)}
                </label>
            </td>
        </tr>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_inside_the_channel_details_belongs_to_their_row() {
        assert_eq!(path_field("details.booth"), "details");
        assert_eq!(path_field("email"), "email");
        assert_eq!(path_field("tags[3]"), "tags");
        assert_eq!(path_field(""), "");
    }

    #[test]
    fn the_sources_and_tags_of_both_leads_are_listed_each_once() {
        assert_eq!(union(&["展会客户", "重点"], &["重点", "官网"]), vec!["展会客户", "重点", "官网"]);
        let mut lead: Lead = serde_json::from_value(serde_json::json!({
            "code": "LX202600001", "source": "trade_show", "company": "上海华信科技",
            "created_at": "2026-01-01T00:00:00Z", "status": "new", "status_since": "2026-01-01T00:00:00Z",
            "score": {
                "company_size": 0, "budget_match": 0, "urgency": 0, "decision_chain": 0, "total": 0, "grade": "C"
            },
            "grade": "C", "version": 1, "owner": null
        }))
        .expect("a lead");
        lead.sources = vec![Source::Referral, Source::TradeShow];
        assert_eq!(sources_of(&lead), vec![Source::TradeShow, Source::Referral]);
        assert_eq!(owner(Lang::Zh, &lead), "未分配");
    }
}
