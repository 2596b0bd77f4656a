//! The lead's timeline on its page: the upcoming tasks, and the history of follow-ups (with
//! what the rep noted), stage changes, tasks and customer feedback, newest first.
use super::follow_up_form::note_label;
use crate::domain::enums::TaskKind;
use crate::domain::follow_up::values::FollowUpField;
use crate::domain::history::TimelineEntry;
use crate::format::{date_time, now};
use crate::i18n::Lang;
use crate::server_fns::leads::LeadDetail;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

crate::texts! {
Upcoming: "待办", "Upcoming";
Due: "截止", "Due";
Timeline: "跟进时间线", "Timeline";
TimelineEmpty: "还没有跟进记录。", "No history yet.";
Late: "补录", "Logged late";
LoggedAt: "记录于", "Logged";
RespondedYes: "客户有回应", "Customer responded";
RespondedNo: "客户未回应", "No response";
Mood: "客户情绪", "Customer mood";
Satisfaction: "满意度（1–5，可选）", "Satisfaction (1–5, optional)";
Next: "下次跟进", "Next follow-up";
StageChange: "阶段变更", "Stage change";
Task: "待办", "Task";
Done: "已完成", "Done";
Open: "未完成", "Open";
Overdue: "已逾期", "Overdue";
CustomerFeedback: "客户反馈", "Customer feedback";
Priority: "优先级", "Priority";
Contact: "联系人", "Contact";
}

/// A task's title: the user's own words as typed when it has one, else its kind.
fn task_title(kind: TaskKind, title: Option<&str>, lang: Lang) -> String {
    match title.filter(|title| !title.trim().is_empty()) {
        Some(title) => title.to_string(),
        None => kind.label(lang).to_string(),
    }
}

/// The open tasks not yet due, soonest first; nothing when there are none.
pub fn upcoming_card(upcoming: &[TimelineEntry], l: Lang) -> Option<impl IntoView> {
    (!upcoming.is_empty()).then(|| {
        view! {
            <section class="card upcoming" aria-labelledby="upcoming-title">
                <h2 id="upcoming-title">{t(l, T::Upcoming)}</h2>
                <ul>
                    {upcoming.iter().map(|e| match e {
                        TimelineEntry::Task { at, task_kind, title, .. } => view! {
                            <li>
                                <span>{task_title(*task_kind, title.as_deref(), l)}</span>
                                <time datetime=at.to_rfc3339()>{t(l, T::Due)}" "{date_time(*at)}</time>
                            </li>
                        }.into_any(),
                        _ => ().into_any(),
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The history, newest first (as `split_timeline` orders it).
pub fn timeline_card(history: &[TimelineEntry], detail: &LeadDetail, l: Lang) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t(l, T::Timeline)}</h2>
            {if history.is_empty() {
                view! { <p class="hint">{t(l, T::TimelineEmpty)}</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline" role="list" aria-label=t(l, T::Timeline)>
                        {history.iter().map(|e| timeline_entry(e, detail, l)).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

fn timeline_entry(entry: &TimelineEntry, detail: &LeadDetail, l: Lang) -> AnyView {
    let time = |at: &DateTime<Utc>| view! { <time datetime=at.to_rfc3339()>{date_time(*at)}</time> };
    match entry {
        TimelineEntry::FollowUp {
            at,
            logged_at,
            rep,
            rep_name,
            channel,
            direction,
            responded,
            satisfaction,
            summary,
            mood,
            stage_before,
            stage_after,
            next_follow_up_at,
            late,
        } => {
            let notes = detail.notes_of(*at, *logged_at, rep).cloned();
            let note_rows = notes.map(|n| {
                // The notes under the names the follow-up form gives them.
                let note = |field: FollowUpField| note_label(field, l);
                [
                    (t(l, T::Contact), n.contact),
                    (note(FollowUpField::BantBackground), n.bant_background),
                    (note(FollowUpField::BantPain), n.bant_pain),
                    (note(FollowUpField::BantNeed), n.bant_need),
                    (note(FollowUpField::BantValue), n.bant_value),
                    (note(FollowUpField::NeedsChange), n.needs_change),
                    (note(FollowUpField::Feedback), n.feedback),
                    (note(FollowUpField::DecisionProgress), n.decision_progress),
                ]
                .into_iter()
                .filter_map(|(label, v)| v.map(|v| view! { <div class="kv"><dt>{label}</dt><dd>{v}</dd></div> }))
                .collect_view()
            });
            view! {
                <li role="listitem" class=format!("tl-entry tl-follow-up{}", if *late { " tl-late" } else { "" })>
                    <div class="tl-head">
                        <span class="tl-kind">{channel.label(l)}" · "{direction.label(l)}</span>
                        {time(at)}
                        {late.then(|| view! {
                            <span class="late-mark" title=format!("{} {}", t(l, T::LoggedAt), date_time(*logged_at))>
                                {t(l, T::Late)}
                            </span>
                        })}
                    </div>
                    {summary.clone().map(|s| view! { <p class="tl-summary">{s}</p> })}
                    <p class="tl-meta">
                        <span>{rep_name.clone().unwrap_or_else(|| rep.clone())}</span>
                        <span class=if *responded { "responded" } else { "no-response" }>
                            {if *responded { t(l, T::RespondedYes) } else { t(l, T::RespondedNo) }}
                        </span>
                        {mood.map(|m| view! { <span>{t(l, T::Mood)}": "{m.label(l)}</span> })}
                        {satisfaction.map(|s| view! {
                            <span title=t(l, T::Satisfaction)>{"★".repeat(usize::from(s))}{"☆".repeat(5usize.saturating_sub(usize::from(s)))}</span>
                        })}
                        {(stage_before != stage_after).then(|| view! {
                            <span>{stage_before.label(l)}" → "{stage_after.label(l)}</span>
                        })}
                        {next_follow_up_at.map(|n| view! { <span>{t(l, T::Next)}": "{date_time(n)}</span> })}
                    </p>
                    {note_rows.map(|rows| view! { <dl class="tl-notes">{rows}</dl> })}
                </li>
            }
            .into_any()
        }
        TimelineEntry::StageChange { at, from, to, by_name } => view! {
            <li role="listitem" class="tl-entry tl-stage">
                <div class="tl-head">
                    <span class="tl-kind">{t(l, T::StageChange)}</span>
                    {time(at)}
                </div>
                <p class="tl-meta">
                    <span>{from.label(l)}" → "<b>{to.label(l)}</b></span>
                    {by_name.clone().map(|n| view! { <span>{n}</span> })}
                </p>
            </li>
        }
        .into_any(),
        TimelineEntry::Task { at, task_kind, title, done_at } => {
            // `state` names the task's state in the page (`task-done`), `label` its text.
            let (state, label, class) = match done_at {
                Some(_) => ("done", T::Done, "tl-task-done"),
                None if *at <= now() => ("overdue", T::Overdue, "tl-task-overdue"),
                None => ("open", T::Open, "tl-task-open"),
            };
            view! {
                <li role="listitem" class=format!("tl-entry tl-task {class}")>
                    <div class="tl-head">
                        <span class="tl-kind">{t(l, T::Task)}": "{task_title(*task_kind, title.as_deref(), l)}</span>
                        {time(&done_at.unwrap_or(*at))}
                        <span class=format!("task-state task-{state}")>{t(l, label)}</span>
                    </div>
                    <p class="tl-meta"><span>{t(l, T::Due)}" "{date_time(*at)}</span></p>
                </li>
            }
            .into_any()
        }
        TimelineEntry::Feedback { at, feedback_type, priority, status, summary } => view! {
            <li role="listitem" class="tl-entry tl-feedback">
                <div class="tl-head">
                    <span class="tl-kind">{t(l, T::CustomerFeedback)}" · "{feedback_type.label(l)}</span>
                    {time(at)}
                    <span class="task-state">{status.label(l)}</span>
                </div>
                {summary.clone().map(|s| view! { <p class="tl-summary">{s}</p> })}
                <p class="tl-meta"><span>{t(l, T::Priority)}": "{priority.label(l)}</span></p>
            </li>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_shows_its_own_title_as_typed_else_its_kind() {
        assert_eq!(task_title(TaskKind::FollowUp, Some("首次跟进"), Lang::En), "首次跟进");
        assert_eq!(task_title(TaskKind::Manual, Some("Send the quote"), Lang::Zh), "Send the quote");
        assert_eq!(task_title(TaskKind::FollowUp, None, Lang::En), "Follow-up");
        assert_eq!(task_title(TaskKind::Manual, None, Lang::Zh), "手动待办");
    }
}
