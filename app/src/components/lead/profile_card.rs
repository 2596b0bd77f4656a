//! The lead's profile card: where it came from, the company, the contact, the need and budget,
//! the decision chain, its tags (each a link to the leads carrying it) and its key dates.
use crate::domain::lead::Lead;
use crate::format::{cny, date_time, thousands};
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_router::components::A;

crate::texts! {
    Profile: "客户档案", "Profile";
    Source: "来源", "Source";
    SourceDetails: "来源详情", "Source details";
    Industry: "行业", "Industry";
    Region: "地区", "Region";
    Employees: "员工人数", "Employees";
    Contact: "联系人", "Contact";
    Phone: "电话", "Phone";
    Email: "邮箱", "Email";
    Need: "需求描述", "Need";
    PainPoints: "痛点", "Pain points";
    ExpectedSolution: "期望方案", "Expected solution";
    Budget: "预算", "Budget";
    DecisionMonths: "预计决策时间", "Decision within";
    Months: "个月", "months";
    DecisionChain: "决策链", "Decision chain";
    Strategy: "跟进策略", "Strategy variant";
    Tags: "标签", "Tags";
    Verified: "信息核实", "Verified";
    YesVerified: "已核实", "Verified";
    NotVerified: "未核实", "Not verified";
    Created: "创建时间", "Created";
    Assigned: "分配时间", "Assigned";
    FirstContact: "首次联系", "First contact";
    NoneYet: "尚未联系", "Not yet";
    Sources: "全部来源", "All sources";
    Remarks: "备注", "Remarks";
    Channel: "渠道详情", "Channel details";
}

/// The channel details a lead holds, on one line.
fn channel_details(lead: &Lead, l: Lang) -> String {
    let sep = if l == Lang::Zh { ("：", "；") } else { (": ", "; ") };
    lead.profile
        .details
        .labelled(l)
        .into_iter()
        .map(|(k, v)| format!("{k}{}{v}", sep.0))
        .collect::<Vec<_>>()
        .join(sep.1)
}

pub fn profile_card(lead: &Lead, l: Lang) -> impl IntoView {
    let p = &lead.profile;
    // A row of the card, left out when the lead has no value for it.
    let row = |label: T, value: Option<String>| {
        value.filter(|v| !v.trim().is_empty()).map(|v| {
            view! {
                <div class="kv">
                    <dt>{t(l, label)}</dt>
                    <dd>{v}</dd>
                </div>
            }
        })
    };
    let contact = match (&p.contact_name, &p.contact_title) {
        (Some(n), Some(title)) => Some(format!("{n}（{title}）")),
        (Some(n), None) => Some(n.clone()),
        (None, Some(title)) => Some(title.clone()),
        (None, None) => None,
    };
    view! {
        <section class="card lead-profile" aria-labelledby="profile-title">
            <h2 id="profile-title">{t(l, T::Profile)}</h2>
            <dl>
                {row(T::Source, p.source.map(|s| s.label(l).to_string()))}
                {row(T::SourceDetails, p.source_details.clone())}
                {row(T::Channel, Some(channel_details(lead, l)))}
                {row(T::Sources, (lead.sources.len() > 1)
                    .then(|| lead.sources.iter().map(|s| s.label(l)).collect::<Vec<_>>().join("、")))}
                {row(T::Industry, p.industry.clone())}
                {row(T::Region, p.region.clone())}
                {row(T::Employees, p.employees.map(|n| thousands(i64::from(n))))}
                {row(T::Contact, contact)}
                {row(T::Phone, p.phone.clone())}
                {row(T::Email, p.email.clone())}
                {row(T::Need, p.need.clone())}
                {row(T::PainPoints, p.pain_points.clone())}
                {row(T::ExpectedSolution, p.expected_solution.clone())}
                {row(T::Budget, p.budget.map(cny))}
                {row(T::DecisionMonths, p.decision_months.map(|m| format!("{m} {}", t(l, T::Months))))}
                {row(T::DecisionChain, p.decision_chain.map(|c| c.label(l).to_string()))}
                {row(T::Strategy, p.strategy.clone())}
                {row(T::Remarks, p.remarks.clone())}
                <div class="kv">
                    <dt>{t(l, T::Verified)}</dt>
                    <dd>{if p.verified { t(l, T::YesVerified) } else { t(l, T::NotVerified) }}</dd>
                </div>
                {(!p.tags.is_empty()).then(|| view! {
                    <div class="kv">
                        <dt>{t(l, T::Tags)}</dt>
                        <dd class="tags">{p.tags.clone().into_iter().map(|tag| {
                            let href = format!("/leads?tag={}", crate::ui::encode(&tag));
                            view! { <A href=href attr:class="tag">{tag}</A> }
                        }).collect_view()}</dd>
                    </div>
                })}
                {row(T::Created, Some(date_time(lead.created_at)))}
                {row(T::Assigned, lead.assigned_at.map(date_time))}
                {row(T::FirstContact, Some(lead.first_contact_at.map_or_else(|| t(l, T::NoneYet).to_string(), date_time)))}
            </dl>
        </section>
    }
}
