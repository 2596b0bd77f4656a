//! The follow-up form on the lead page: channel, direction, time, whether the customer
//! responded, the summary, BANT notes and feedback, mood, satisfaction, the stage after and
//! the next follow-up (PRODUCT.md §5); its state lives in [`FormContext`].
use super::follow_up_state::FormContext;
use crate::domain::enums::{Channel, Direction, Mood, Status};
use crate::domain::follow_up::values::FollowUpField;
use crate::domain::lead::Lead;
use crate::i18n::Lang;
use leptos::prelude::*;

crate::texts! {
    Log: "记录跟进", "Log a follow-up";
    Channel: "方式", "Channel";
    Direction: "发起方", "Direction";
    OccurredAt: "跟进时间", "When";
    Responded: "客户有回应（接听、回复或出席）", "The customer responded (answered, replied or attended)";
    Summary: "跟进摘要", "Summary";
    SummaryHint: "谈了什么、客户怎么说、下一步是什么", "What was discussed, what the customer said, what comes next";
    Bant: "BANT 记录、需求变化与反馈（可选）", "BANT notes, needs change and feedback (optional)";
    BantBackground: "背景", "Background";
    BantPain: "难点", "Pain";
    BantNeed: "需求", "Need";
    BantValue: "价值", "Value";
    NeedsChange: "需求变化", "Needs change";
    Feedback: "客户反馈", "Customer feedback";
    DecisionProgress: "决策进展", "Decision progress";
    Contact: "沟通对象", "Spoke with";
    Mood: "客户情绪", "Customer mood";
    Satisfaction: "满意度（1–5，可选）", "Satisfaction (1–5, optional)";
    NotRated: "未评价", "Not rated";
    NotNoted: "未记录", "Not noted";
    StageAfter: "跟进后阶段", "Stage after";
    Unchanged: "不变", "Unchanged";
    StageHint: "成交或流失请在销售看板上移动卡片（需填写金额或原因）。", "Move a lead to won or lost on the pipeline board (it asks for the amount or reason).";
    NextFollowUpAt: "下次跟进时间（可选）", "Next follow-up (optional)";
    NextHint: "留空则按等级节奏自动安排。", "Leave blank to plan it by the grade's cadence.";
    Submit: "保存跟进", "Save follow-up";
    Saving: "正在保存…", "Saving…";
    Saved: "已记录跟进。", "Follow-up logged.";
}

/// The name of a follow-up's note (the BANT notes, the needs change, the feedback, the decision
/// progress), in the form and in the timeline; the summary's for any other field.
pub fn note_label(field: FollowUpField, lang: Lang) -> &'static str {
    t(
        lang,
        match field {
            FollowUpField::BantBackground => T::BantBackground,
            FollowUpField::BantPain => T::BantPain,
            FollowUpField::BantNeed => T::BantNeed,
            FollowUpField::BantValue => T::BantValue,
            FollowUpField::NeedsChange => T::NeedsChange,
            FollowUpField::Feedback => T::Feedback,
            FollowUpField::DecisionProgress => T::DecisionProgress,
            FollowUpField::Contact => T::Contact,
            _ => T::Summary,
        },
    )
}

pub fn follow_up_form(lead: &Lead, ctx: FormContext, l: Lang) -> impl IntoView {
    let f = ctx.form;
    let code = lead.code.clone();
    let closed = lead.status.is_closed();
    let current = lead.status;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ctx.submit.run(code.clone());
    };
    let error_of = move |field: FollowUpField| {
        move || ctx.problem(field, l).map(|m| view! { <small class="field-error" role="alert">{m}</small> })
    };
    let invalid = move |field: FollowUpField| move || ctx.problem(field, l).is_some().to_string();
    let clear = move |field: FollowUpField| ctx.problems.update(|p| p.retain(|(f, _)| *f != field));
    // A free-text note of the BANT section: `field` names it in the page, `label` is its text.
    let note = move |field: FollowUpField| {
        let s = f.text(field);
        let id = field.key();
        view! {
            <label class="field" for=id>
                <span>{note_label(field, l)}</span>
                <textarea id=id name=id rows="2" prop:value=move || s.get() aria-invalid=invalid(field)
                    on:input=move |ev| { s.set(event_target_value(&ev)); clear(field); }></textarea>
                {error_of(field)}
            </label>
        }
    };
    // The notes open by themselves when one of them has a problem to show (and stay as the
    // user leaves them otherwise).
    let notes = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        let problem = ctx.problems.with(|p| p.iter().any(|(field, _)| FollowUpField::TEXTS[1..].contains(field)));
        if let (true, Some(details)) = (problem, notes.get()) {
            let _ = details.set_attribute("open", "");
        }
    });
    let summary = f.text(FollowUpField::Summary);
    view! {
        <section class="card follow-up" aria-labelledby="log-title">
            <h2 id="log-title">{t(l, T::Log)}</h2>
            <form class="follow-up-form" novalidate on:submit=on_submit>
                <div class="form-grid">
                    <label class="field" for="channel">
                        <span>{t(l, T::Channel)}</span>
                        <select id="channel" name="channel" prop:value=move || f.channel.get()
                            on:change=move |ev| f.channel.set(event_target_value(&ev))>
                            {Channel::ALL.iter().map(|c| view! {
                                <option value=c.key() selected=move || f.channel.get() == c.key()>{c.label(l)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field" for="direction">
                        <span>{t(l, T::Direction)}</span>
                        <select id="direction" name="direction" prop:value=move || f.direction.get()
                            on:change=move |ev| f.direction.set(event_target_value(&ev))>
                            {Direction::ALL.iter().map(|d| view! {
                                <option value=d.key() selected=move || f.direction.get() == d.key()>{d.label(l)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field" for="occurred_at">
                        <span>{t(l, T::OccurredAt)}{match l {
                            Lang::Zh => format!("（{}）", crate::format::zone_label()),
                            Lang::En => format!(" ({})", crate::format::zone_label()),
                        }}</span>
                        <input id="occurred_at" name="occurred_at" type="datetime-local"
                            aria-invalid=invalid(FollowUpField::OccurredAt)
                            prop:value=move || f.occurred_at.get()
                            on:input=move |ev| {
                                f.occurred_at.set(event_target_value(&ev));
                                f.occurred_set.set(true);
                                clear(FollowUpField::OccurredAt);
                            }/>
                        {error_of(FollowUpField::OccurredAt)}
                    </label>
                    <label class="check responded" for="responded">
                        <input id="responded" name="responded" type="checkbox"
                            prop:checked=move || f.responded.get()
                            on:change=move |ev| f.responded.set(event_target_checked(&ev))/>
                        <span>{t(l, T::Responded)}</span>
                    </label>
                </div>
                <label class="field" for="summary">
                    <span>{t(l, T::Summary)}" *"</span>
                    <textarea id="summary" name="summary" rows="3" placeholder=t(l, T::SummaryHint)
                        aria-invalid=invalid(FollowUpField::Summary)
                        prop:value=move || summary.get()
                        on:input=move |ev| {
                            summary.set(event_target_value(&ev));
                            clear(FollowUpField::Summary);
                        }></textarea>
                    {error_of(FollowUpField::Summary)}
                </label>
                <details class="more-notes" node_ref=notes>
                    <summary>{t(l, T::Bant)}</summary>
                    <div class="form-grid">
                        {note(FollowUpField::Contact)}
                        {note(FollowUpField::BantBackground)}
                        {note(FollowUpField::BantPain)}
                        {note(FollowUpField::BantNeed)}
                        {note(FollowUpField::BantValue)}
                        {note(FollowUpField::NeedsChange)}
                        {note(FollowUpField::Feedback)}
                        {note(FollowUpField::DecisionProgress)}
                    </div>
                </details>
                <div class="form-grid">
                    <label class="field" for="mood">
                        <span>{t(l, T::Mood)}</span>
                        <select id="mood" name="mood" prop:value=move || f.mood.get()
                            on:change=move |ev| f.mood.set(event_target_value(&ev))>
                            <option value="">{t(l, T::NotNoted)}</option>
                            {Mood::ALL.iter().map(|m| view! { <option value=m.key()>{m.label(l)}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field" for="satisfaction">
                        <span>{t(l, T::Satisfaction)}</span>
                        <select id="satisfaction" name="satisfaction" prop:value=move || f.satisfaction.get()
                            on:change=move |ev| f.satisfaction.set(event_target_value(&ev))>
                            <option value="">{t(l, T::NotRated)}</option>
                            {(1..=5usize).map(|n| view! {
                                <option value=n.to_string()>{format!("{n} {}", "★".repeat(n))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    {(!closed).then(|| view! {
                        <label class="field" for="stage_after">
                            <span>{t(l, T::StageAfter)}</span>
                            <select id="stage_after" name="stage_after" aria-invalid=invalid(FollowUpField::StageAfter)
                                prop:value=move || f.stage_after.get()
                                on:change=move |ev| {
                                    f.stage_after.set(event_target_value(&ev));
                                    clear(FollowUpField::StageAfter);
                                }>
                                <option value="">{format!("{}（{}）", t(l, T::Unchanged), current.label(l))}</option>
                                {Status::ALL.iter().filter(|s| !s.is_closed() && **s != current).map(|s| view! {
                                    <option value=s.key()>{s.label(l)}</option>
                                }).collect_view()}
                            </select>
                            <small class="hint">{t(l, T::StageHint)}</small>
                            {error_of(FollowUpField::StageAfter)}
                        </label>
                    })}
                    <label class="field" for="next_follow_up_at">
                        <span>{t(l, T::NextFollowUpAt)}</span>
                        <input id="next_follow_up_at" name="next_follow_up_at" type="datetime-local"
                            aria-invalid=invalid(FollowUpField::NextFollowUpAt)
                            prop:value=move || f.next_follow_up_at.get()
                            on:input=move |ev| {
                                f.next_follow_up_at.set(event_target_value(&ev));
                                clear(FollowUpField::NextFollowUpAt);
                            }/>
                        <small class="hint">{t(l, T::NextHint)}</small>
                        {error_of(FollowUpField::NextFollowUpAt)}
                    </label>
                </div>
                <div class="form-actions">
                    {move || ctx.error.get().map(|e| view! { <p class="form-error" role="alert">{e.message(l)}</p> })}
                    {move || ctx.saved.get().then(|| view! { <p class="form-ok" role="status">{t(l, T::Saved)}</p> })}
                    <button type="submit" class="primary" disabled=move || ctx.saving.get()>
                        {move || if ctx.saving.get() { t(l, T::Saving) } else { t(l, T::Submit) }}
                    </button>
                </div>
            </form>
        </section>
    }
}
