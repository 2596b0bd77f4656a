//! One card on the board: the company, grade and score, the code, the amount, the owner, the
//! activity tier, the days in its stage and the stale mark; it moves by pointer and by keyboard.
use super::drag::{card_style, press};
use super::keyboard::keys;
use super::state::BoardState;
use crate::domain::board::BoardCard;
use crate::format::cny;
use crate::ui::use_ui;
use leptos::prelude::*;

crate::texts! {
    Stale: "超期", "Stale";
    StaleHint: "停留时间超过该等级的阶段时限", "In its stage longer than its grade allows";
    Plan: "计划", "Plan";
    PlanHint: "跟进计划：已达成 / 到期的里程碑", "Follow-up plan: milestones reached / due";
    Days: "天", "d";
    CardRole: "可移动的线索卡片", "movable lead card";
    Points: "分", " pts";
    TierHint: "客户活跃度分层（活跃 ≥ 60 分，潜力 30–59 分，沉睡 < 30 分或 60 天无回应）", "Customer activity tier (active ≥ 60, potential 30–59, dormant < 30 or no response for 60 days)";
}

/// A lead's card in its column.
#[component]
pub fn CardView(card: BoardCard, state: BoardState) -> impl IntoView {
    let BoardState { lang, now, drag, grab, .. } = state;
    let code = card.code.clone();
    let status = card.status;
    // Stale by the workspace's own cadence, as the server counts it.
    let (stale, plan) =
        use_ui().settings.with_untracked(|s| (card.is_stale(now, &s.cadence), card.plan_progress(now, &s.cadence)));
    let days = card.days_in_stage(now);
    let code_for_class = code.clone();
    let code_for_style = code.clone();
    let code_for_grab = code.clone();
    // The widget's cards are read-only: they neither move nor open the lead.
    let movable = state.movable();
    let on_down = press(state, code.clone(), status);
    let on_down = move |ev| {
        if movable {
            on_down(ev)
        }
    };
    let on_key = keys(state, code.clone(), status);
    let on_key = move |ev| {
        if movable {
            on_key(ev)
        }
    };
    let class = move || {
        let mut c = String::from("deal-card");
        if drag.with(|d| d.as_ref().is_some_and(|d| d.active && d.code == code_for_class)) {
            c.push_str(" dragging");
        }
        if grab.with(|g| g.as_ref().is_some_and(|g| g.code == code_for_class)) {
            c.push_str(" grabbed");
        }
        if stale {
            c.push_str(" stale");
        }
        c
    };
    let style = move || drag.with(|d| card_style(d, &code_for_style));
    let pressed = move || grab.with(|g| g.as_ref().is_some_and(|g| g.code == code_for_grab)).to_string();
    let href = format!("/leads/{code}");
    let owner = card.owner_name.clone().or(card.owner.clone()).unwrap_or_default();
    let amount = card.amount.map(cny);
    let grade = card.grade.key();
    // The activity tier, but not on a closed lead's card (nothing is left to follow up).
    let tier = card.tier.filter(|_| !status.is_closed());
    view! {
        <li role="listitem" class=class style=style data-code=code.clone() tabindex=movable.then_some("0")
            aria-roledescription=move || movable.then(|| t(lang.get(), T::CardRole)) aria-pressed=move || movable.then(&pressed)
            on:pointerdown=on_down on:keydown=on_key>
            <div class="card-top">
                {if movable {
                    view! { <a class="company" href=href draggable="false">{card.company.clone()}</a> }.into_any()
                } else {
                    view! { <span class="company">{card.company.clone()}</span> }.into_any()
                }}
                <span class=format!("grade-chip grade-{grade}") title=move || format!("{} {}", grade, card.score)>{grade}</span>
            </div>
            <div class="card-meta">
                <span class="code">{code.clone()}</span>
                <span class="score">{card.score}{move || t(lang.get(), T::Points)}</span>
                {amount.map(|a| view! { <span class="amount">{a}</span> })}
            </div>
            <div class="card-foot">
                <span class="owner">{owner}</span>
                {tier.map(|tier| view! {
                    <span class=crate::components::value::tier_class(tier) data-tier=tier.key()
                        title=move || t(lang.get(), T::TierHint)>{move || tier.label(lang.get())}</span>
                })}
                <span class="days">{days}{move || t(lang.get(), T::Days)}</span>
                {(plan.due > 0 && !status.is_closed()).then(|| view! {
                    <span class="plan-mark" class:behind=plan.behind() title=move || t(lang.get(), T::PlanHint)>
                        {move || t(lang.get(), T::Plan)}" "{plan.reached}"/"{plan.due}
                    </span>
                })}
                {stale.then(|| view! {
                    <span class="stale-mark" title=move || t(lang.get(), T::StaleHint)>{move || t(lang.get(), T::Stale)}</span>
                })}
            </div>
        </li>
    }
}
