//! The head of the lead page: grade, company, code, stage, owner and since when, the contact
//! to call or write to, and for a closed lead its deal amount or loss reason.
use crate::domain::enums::Status;
use crate::domain::lead::Lead;
use crate::format::{cny_opt, date_time};
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_router::components::A;

crate::texts! {
    Feedback: "记录客户反馈", "Record feedback";
    Owner: "负责人", "Owner";
    Unassigned: "未分配", "Unassigned";
    Since: "进入当前阶段", "In this stage since";
    Grade: "等级", "Grade";
    DealAmount: "成交金额", "Deal amount";
    WonAt: "成交时间", "Won on";
    LossReason: "流失原因", "Loss reason";
    LostAt: "流失时间", "Lost on";
    Edit: "编辑资料", "Edit profile";
    Plan: "跟进计划", "Follow-up plan";
}

#[component]
pub fn LeadHeader(lead: Lead, lang: Lang, can_edit: bool) -> impl IntoView {
    let l = lang;
    let grade = lead.grade.key();
    let owner = lead.owner_name.clone().or_else(|| lead.owner.clone()).unwrap_or_else(|| t(l, T::Unassigned).into());
    let closed = match lead.status {
        Status::Won => Some(
            view! {
                <p class="closed closed-won">
                    <span>{t(l, T::DealAmount)}": "<b>{cny_opt(lead.deal_amount)}</b></span>
                    {lead.won_at.map(|at| view! { <span>{t(l, T::WonAt)}": "{date_time(at)}</span> })}
                </p>
            }
            .into_any(),
        ),
        Status::Lost => Some(
            view! {
                <p class="closed closed-lost">
                    <span>{t(l, T::LossReason)}": "<b>{lead.loss_reason.map(|r| r.label(l)).unwrap_or("—")}</b></span>
                    {lead.lost_at.map(|at| view! { <span>{t(l, T::LostAt)}": "{date_time(at)}</span> })}
                </p>
            }
            .into_any(),
        ),
        _ => None,
    };
    let phone = lead.profile.phone.clone();
    let email = lead.profile.email.clone();
    view! {
        <header class="card lead-head">
            <div class="lead-title">
                <span class=format!("grade grade-{grade}") title=t(l, T::Grade)>{grade}</span>
                <div>
                    <h1>{lead.profile.company.clone().unwrap_or_else(|| lead.code.clone())}</h1>
                    <p class="lead-meta">
                        <span class="lead-code">{lead.code.clone()}</span>
                        <span class=format!("status-pill status-{}", lead.status.key())>{lead.status.label(l)}</span>
                        <span>{t(l, T::Owner)}": "{owner}</span>
                        <span>{t(l, T::Since)}": "{date_time(lead.status_since)}</span>
                        // The plan page is rendered by the server alone.
                        <a href=format!("/leads/{}/plan", crate::ui::encode(&lead.code)) rel="external" id="plan-link"
                            class="plan-link" class:behind=lead.plan.is_some_and(|p| p.behind())>
                            {t(l, T::Plan)}
                            {lead.plan.filter(|p| p.due > 0).map(|p| format!(" {}/{}", p.reached, p.due))}
                        </a>
                    </p>
                </div>
                {can_edit.then(|| view! {
                    <A href=format!("/leads/{}/edit", crate::ui::encode(&lead.code)) attr:class="secondary edit-link">
                        {t(l, T::Edit)}
                    </A>
                    // The feedback form is rendered by the server alone.
                    <a href=format!("/leads/{}/feedback", crate::ui::encode(&lead.code)) rel="external" class="secondary edit-link">
                        {t(l, T::Feedback)}
                    </a>
                })}
            </div>
            <p class="lead-contact">
                {match (lead.profile.contact_name.clone(), lead.profile.contact_title.clone()) {
                    (Some(name), Some(title)) => Some(format!("{name}（{title}）")),
                    (name, title) => name.or(title),
                }
                .map(|who| view! { <span>{who}</span> })}
                {phone.map(|p| view! { <a href=format!("tel:{p}")>{p.clone()}</a> })}
                {email.map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
            </p>
            {closed}
        </header>
    }
}
