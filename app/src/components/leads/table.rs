//! The table of the loaded leads, in the chosen order: one row a lead (on a phone a card,
//! each cell carrying its column's name), its code a link to the lead's page.
use crate::domain::lead::Lead;
use crate::domain::lead_query::SortBy;
use crate::format::{cny_opt, date};
use crate::i18n::Lang;
use crate::ui::encode;
use leptos::prelude::*;
use leptos_router::components::A;

crate::texts! {
    Status: "状态", "Status";
    Grade: "等级", "Grade";
    Owner: "负责人", "Owner";
    Source: "来源", "Source";
    Code: "编号", "Code";
    Company: "企业", "Company";
    Score: "评分", "Score";
    Activity: "活跃度", "Activity";
    Created: "创建日期", "Created";
    Budget: "预算", "Budget";
    Plan: "跟进计划", "Plan";
    Unassigned: "未分配", "Unassigned";
    List: "线索列表", "Lead list";
}

/// The loaded leads in `rows`; the column they are sorted by (`sort`) says so to assistive
/// technology.
#[component]
pub fn LeadTable(rows: Signal<Vec<Lead>>, sort: Memo<SortBy>) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    view! {
        <div class="lead-table-wrap">
            <table class="lead-table" aria-label=move || t(lang.get(), T::List)>
                <thead>
                    <tr>
                        <th scope="col">{move || t(lang.get(), T::Code)}</th>
                        <th scope="col">{move || t(lang.get(), T::Company)}</th>
                        <th scope="col">{move || t(lang.get(), T::Grade)}</th>
                        <th scope="col" class="num" aria-sort=move || match sort.get() {
                            SortBy::ScoreDesc => "descending",
                            SortBy::ScoreAsc => "ascending",
                            _ => "none",
                        }>{move || t(lang.get(), T::Score)}</th>
                        <th scope="col" aria-sort=move || match sort.get() {
                            SortBy::ActivityDesc => "descending",
                            _ => "none",
                        }>{move || t(lang.get(), T::Activity)}</th>
                        <th scope="col">{move || t(lang.get(), T::Status)}</th>
                        <th scope="col">{move || t(lang.get(), T::Owner)}</th>
                        <th scope="col">{move || t(lang.get(), T::Source)}</th>
                        <th scope="col" aria-sort=move || match sort.get() {
                            SortBy::Newest => "descending",
                            SortBy::Oldest => "ascending",
                            _ => "none",
                        }>{move || t(lang.get(), T::Created)}</th>
                        <th scope="col" class="num">{move || t(lang.get(), T::Budget)}</th>
                        <th scope="col" class="num">{move || t(lang.get(), T::Plan)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows.with(|rows| rows.iter().map(|lead| lead_row(lead, lang.get())).collect_view())}
                </tbody>
            </table>
        </div>
    }
}

/// One row of the list (a card on a phone: each cell carries its column's name).
fn lead_row(lead: &Lead, lang: Lang) -> impl IntoView {
    let href = format!("/leads/{}", encode(&lead.code));
    // The link's children are a closure the view keeps: it takes its own copy of the code.
    let code = lead.code.clone();
    let grade = lead.grade.key();
    let owner = lead.owner_name.clone().or_else(|| lead.owner.clone()).unwrap_or_else(|| t(lang, T::Unassigned).into());
    // Milestones reached / due so far (none due yet: a dash).
    let plan = lead.plan.filter(|p| p.due > 0);
    let plan_text = plan.map_or_else(|| "—".to_string(), |p| format!("{}/{}", p.reached, p.due));
    view! {
        <tr>
            <td data-label=t(lang, T::Code) class="code"><A href=href>{code}</A></td>
            <td data-label=t(lang, T::Company) class="company">{lead.profile.company.clone().unwrap_or_default()}</td>
            <td data-label=t(lang, T::Grade)><span class=format!("grade grade-sm grade-{grade}")>{grade}</span></td>
            <td data-label=t(lang, T::Score) class="num">{lead.score.total}</td>
            <td data-label=t(lang, T::Activity)>{lead.activity.map(|a| crate::components::value::tier_badge(a, lang))}</td>
            <td data-label=t(lang, T::Status)>
                <span class=format!("status-pill status-{}", lead.status.key())>{lead.status.label(lang)}</span>
            </td>
            <td data-label=t(lang, T::Owner)>{owner}</td>
            <td data-label=t(lang, T::Source)>{lead.profile.source.map(|s| s.label(lang)).unwrap_or("—")}</td>
            <td data-label=t(lang, T::Created)>{date(lead.created_at)}</td>
            <td data-label=t(lang, T::Budget) class="num">{cny_opt(lead.profile.budget)}</td>
            <td data-label=t(lang, T::Plan) class="num plan" class:behind=plan.is_some_and(|p| p.behind())>{plan_text}</td>
        </tr>
    }
}
