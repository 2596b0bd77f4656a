//! My day's lists: tasks by quadrant, response clocks, who is behind, stale leads — each row
//! with its one-step action (log a follow-up in place, mark done, reassign).
use crate::domain::enums::{Channel, Direction, Quadrant, Status, TaskKind};
use crate::domain::people::Person;
use crate::domain::routine::{SlaRow, TaskRow};
use crate::domain::validate::Problem;
use crate::i18n::Lang;
use crate::ssr::admin::widgets::{escape, grade_chip, problem_text};
use crate::ssr::service::tasks::{AwaitingRow, Behind, DayTask, LateRow, MyDay, StaleRow};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde_json::{Map, Value};

crate::texts! {
    Tasks: "待办", "Tasks";
    NoTasks: "今天的待办都完成了。", "Nothing left to do today.";
    More: "另有 {n} 项未列出。", "{n} more not listed.";
    FollowUp: "按节奏跟进", "Follow-up due";
    Overdue: "逾期 {n} 天", "{n} d overdue";
    OverdueToday: "已到期 {time}", "due {time}";
    Today: "今天 {time}", "today {time}";
    AndMore: "（另有 {n} 次未跟进）", " ({n} more missed)";
    Log: "记录跟进", "Log follow-up";
    MarkDone: "完成", "Done";
    Channel: "方式", "Channel";
    Direction: "方向", "Direction";
    Responded: "客户有回应", "The customer responded";
    Summary: "跟进内容", "What was said";
    Contact: "沟通对象", "Spoke with";
    Stage: "推进到", "Move to";
    Unchanged: "保持当前阶段", "Stay where it is";
    Next: "下次跟进", "Next follow-up";
    Save: "保存跟进", "Save follow-up";
    Sla: "响应时限", "Response time";
    NoSla: "没有临近或超过响应时限的线索。", "No lead is near or past its response time.";
    Late: "已超时 {d}", "{d} late";
    Left: "剩余 {d}", "{d} left";
    Reassign: "改派", "Reassign";
    Behind: "谁落后了", "Who is behind";
    Member: "成员", "Member";
    OverdueTasks: "逾期待办", "Overdue tasks";
    TodayTasks: "今日待办", "Due today";
    Breached: "已超时", "Past SLA";
    DueSoon: "即将超时", "Near SLA";
    Stale: "停滞线索", "Stale leads";
    NoStale: "没有停滞的线索。", "No stale leads.";
    InStage: "在「{stage}」{n} 天", "{n} days in {stage}";
    Owner: "负责人", "Owner";
    Hours: "{h} 小时 {m} 分", "{h} h {m} min";
    Minutes: "{m} 分钟", "{m} min";
    Days: "{d} 天 {h} 小时", "{d} d {h} h";
    Awaiting: "待客户确认的反馈", "Feedback awaiting the customer's confirmation";
    NoAwaiting: "没有待客户确认的反馈。", "No feedback is waiting for the customer.";
    ResolvedOn: "{at} 已解决", "resolved {at}";
    Satisfaction: "满意度", "Satisfaction";
    Confirmed: "客户已确认", "Confirmed by the customer";
    LateLogs: "补录的跟进（近 7 天，超过 {h} 小时才记录）", "Follow-ups logged late (last 7 days, over {h} h after)";
    NoLate: "近 7 天的跟进都及时记录了。", "Every follow-up of the last 7 days was logged in time.";
    LoggedAfter: "{occurred} 发生，晚 {delay} 记录", "happened {occurred}, logged {delay} later";
}

/// A follow-up form that came back with problems: its lead, what was typed, what is wrong.
pub struct Retry {
    pub lead: String,
    pub values: Map<String, Value>,
    pub problems: Vec<Problem>,
}

pub fn body(l: Lang, day: &MyDay, people: &[Person], retry: Option<&Retry>) -> AnyView {
    let scope = if day.team { "team" } else { "mine" };
    view! {
        {day.team.then(|| behind_card(l, &day.behind))}
        {tasks_card(l, day, scope, retry)}
        {sla_card(l, day, people, scope, retry)}
        {stale_card(l, day, scope, retry)}
        {awaiting_card(l, day)}
        {late_card(l, day)}
    }
    .into_any()
}

fn awaiting_card(l: Lang, day: &MyDay) -> AnyView {
    let back = if day.team { "/today?scope=team" } else { "/today" };
    let rows = day.awaiting.iter().map(|a| awaiting_row(l, a, back)).collect_view();
    let more = day.awaiting_total.saturating_sub(day.awaiting.len());
    view! {
        <section class="card today-card" aria-labelledby="today-awaiting">
            <h2 id="today-awaiting">{t(l, T::Awaiting)}" "<span class="count">{day.awaiting_total}</span></h2>
            {if day.awaiting.is_empty() {
                view! { <p class="empty">{t(l, T::NoAwaiting)}</p> }.into_any()
            } else {
                view! { <ul class="today-list">{rows}</ul> }.into_any()
            }}
            {(more > 0).then(|| view! { <p class="hint">{t(l, T::More).replace("{n}", &more.to_string())}</p> })}
        </section>
    }
    .into_any()
}

fn awaiting_row(l: Lang, a: &AwaitingRow, back: &'static str) -> impl IntoView {
    let id = format!("satisfaction-{}", a.id);
    view! {
        <li class="today-row" data-feedback=a.id.clone()>
            <div class="today-main">
                {lead_link(&a.lead, &a.company)}
                <span class="task-title">{a.summary.clone()}</span>
                {a.resolved_at.map(|at| view! { <span class="due">{t(l, T::ResolvedOn).replace("{at}", &crate::format::date(at))}</span> })}
            </div>
            <form method="post" action=format!("/feedback/{}/status", crate::ui::encode(&a.id)) class="inline-form">
                <input type="hidden" name="back" value=back/>
                <label for=id.clone() class="sr-only">{t(l, T::Satisfaction)}</label>
                <select id=id name="satisfaction" inner_html=satisfaction_options(l)></select>
                <button type="submit" name="status" value="confirmed" class="secondary">{t(l, T::Confirmed)}</button>
            </form>
        </li>
    }
}

fn satisfaction_options(l: Lang) -> String {
    let stars: Vec<(String, String)> = (1..=5).rev().map(|n| (n.to_string(), "★".repeat(n))).collect();
    format!(
        "<option value=\"\">{}</option>{}",
        escape(t(l, T::Satisfaction)),
        options(stars.iter().map(|(k, v)| (k.as_str(), v.as_str())), "")
    )
}

fn late_card(l: Lang, day: &MyDay) -> AnyView {
    let rows = day.late.iter().map(|r| late_row(l, r, day.team)).collect_view();
    let more = day.late_total.saturating_sub(day.late.len());
    view! {
        <section class="card today-card" aria-labelledby="today-late">
            <h2 id="today-late">{t(l, T::LateLogs).replace("{h}", &day.late_hours.to_string())}" "<span class="count">{day.late_total}</span></h2>
            {if day.late.is_empty() {
                view! { <p class="empty">{t(l, T::NoLate)}</p> }.into_any()
            } else {
                view! { <ul class="today-list">{rows}</ul> }.into_any()
            }}
            {(more > 0).then(|| view! { <p class="hint">{t(l, T::More).replace("{n}", &more.to_string())}</p> })}
        </section>
    }
    .into_any()
}

fn late_row(l: Lang, r: &LateRow, team: bool) -> impl IntoView {
    let text = t(l, T::LoggedAfter)
        .replace("{occurred}", &crate::format::date_time(r.occurred_at))
        .replace("{delay}", &span(l, r.logged_at - r.occurred_at));
    view! {
        <li class="today-row" data-lead=r.lead.clone()>
            <div class="today-main">
                {lead_link(&r.lead, &r.company)}
                {team.then(|| view! { <span class="owner">{r.owner_name.clone().unwrap_or_default()}</span> })}
                <span class="due late">{text}</span>
            </div>
        </li>
    }
}

fn lead_link(code: &str, company: &str) -> impl IntoView {
    let href = format!("/leads/{}", crate::ui::encode(code));
    view! {
        <a class="today-lead" href=href>
            <span class="company">{if company.is_empty() { code.to_string() } else { company.to_string() }}</span>
            <span class="code">{code.to_string()}</span>
        </a>
    }
}

/// A span of time as people say it: `1 小时 20 分`, `25 分钟`.
fn span(l: Lang, d: chrono::Duration) -> String {
    let minutes = d.num_minutes().abs();
    if minutes >= 48 * 60 {
        t(l, T::Days).replace("{d}", &(minutes / 1440).to_string()).replace("{h}", &(minutes % 1440 / 60).to_string())
    } else if minutes >= 60 {
        t(l, T::Hours).replace("{h}", &(minutes / 60).to_string()).replace("{m}", &(minutes % 60).to_string())
    } else {
        t(l, T::Minutes).replace("{m}", &minutes.max(1).to_string())
    }
}

fn clock(at: DateTime<Utc>) -> String {
    crate::format::date_time(at).split(' ').nth(1).unwrap_or("").to_string()
}

fn due_text(l: Lang, task: &TaskRow, day: &MyDay) -> (String, bool) {
    let tz = crate::format::tz();
    let due_day = task.due_at.with_timezone(&tz).date_naive();
    let late_days = (day.today - due_day).num_days();
    if late_days > 0 {
        (t(l, T::Overdue).replace("{n}", &late_days.to_string()), true)
    } else if task.due_at <= day.now {
        (t(l, T::OverdueToday).replace("{time}", &clock(task.due_at)), true)
    } else {
        (t(l, T::Today).replace("{time}", &clock(task.due_at)), false)
    }
}

fn tasks_card(l: Lang, day: &MyDay, scope: &'static str, retry: Option<&Retry>) -> AnyView {
    let groups = Quadrant::ALL
        .iter()
        .filter_map(|q| {
            let rows: Vec<&DayTask> = day.tasks.iter().filter(|d| d.task.priority == *q).collect();
            (!rows.is_empty()).then(|| {
                let items = rows.into_iter().map(|d| task_row(l, d, day, scope, retry)).collect_view();
                let class = format!("quadrant quadrant-{}", q.key());
                view! {
                    <section class=class aria-label=q.label(l)>
                        <h3>{q.label(l)}</h3>
                        <ul class="today-list">{items}</ul>
                    </section>
                }
            })
        })
        .collect_view();
    let more = day.tasks_total.saturating_sub(day.tasks.len());
    view! {
        <section class="card today-card" aria-labelledby="today-tasks">
            <h2 id="today-tasks">{t(l, T::Tasks)}" "<span class="count">{day.tasks_total}</span></h2>
            {if day.tasks.is_empty() {
                view! { <p class="empty">{t(l, T::NoTasks)}</p> }.into_any()
            } else {
                groups.into_any()
            }}
            {(more > 0).then(|| view! { <p class="hint">{t(l, T::More).replace("{n}", &more.to_string())}</p> })}
        </section>
    }
    .into_any()
}

fn task_row(l: Lang, row: &DayTask, day: &MyDay, scope: &'static str, retry: Option<&Retry>) -> impl IntoView {
    let task = &row.task;
    let (due, late) = due_text(l, task, day);
    let due =
        if row.more > 0 { format!("{due}{}", t(l, T::AndMore).replace("{n}", &row.more.to_string())) } else { due };
    let name = match (&task.title, task.kind) {
        (Some(title), _) => title.clone(),
        (None, TaskKind::FollowUp) => t(l, T::FollowUp).to_string(),
        (None, kind) => kind.label(l).to_string(),
    };
    let owner = day.team.then(|| task.owner_name.clone().or_else(|| task.owner.clone()).unwrap_or_default());
    let manual = (task.kind != TaskKind::FollowUp).then(|| {
        view! {
            <form method="post" action="/today/done" class="inline">
                <input type="hidden" name="task" value=task.id.clone()/>
                <input type="hidden" name="scope" value=scope/>
                <button type="submit" class="secondary">{t(l, T::MarkDone)}</button>
            </form>
        }
    });
    view! {
        <li class="today-row" data-task=task.id.clone() data-lead=task.lead.clone()>
            <div class="today-main">
                {grade_chip(task.grade)}
                {lead_link(&task.lead, &task.company)}
                <span class="task-name">{name}</span>
                {owner.map(|o| view! { <span class="owner">{o}</span> })}
                <span class="due" class:late=late>{due}</span>
                {manual}
            </div>
            {(!day.team).then(|| log_form(l, &task.lead, task.status, scope, retry))}
        </li>
    }
}

/// The follow-up form of a row, folded until opened (on one's own day: the team's rows are
/// for seeing who is behind and handing leads on, and open the lead to log) (open again, with what was typed and
/// what is wrong, when it came back with problems).
fn log_form(l: Lang, code: &str, status: Status, scope: &'static str, retry: Option<&Retry>) -> impl IntoView {
    let retry = retry.filter(|r| r.lead == code);
    let value = |k: &str| retry.and_then(|r| r.values.get(k)).and_then(Value::as_str).unwrap_or("").to_string();
    let problem = |k: &str| {
        retry.and_then(|r| r.problems.iter().find(|p| p.path == k)).map(|p| {
            let text = problem_text(l, p);
            view! { <small class="field-error" role="alert">{text}</small> }
        })
    };
    let id = |k: &str| format!("{k}-{code}");
    let channel = value("channel");
    let direction = value("direction");
    let stage = value("stage_after");
    let responded = retry.is_none_or(|r| r.values.contains_key("responded"));
    // Up to 150 rows carry this form: their options are written as text, not built node by node.
    let channels = options(Channel::ALL.iter().map(|c| (c.key(), c.label(l))), &channel);
    let directions = options(Direction::ALL.iter().map(|d| (d.key(), d.label(l))), &direction);
    let stages = format!(
        "<option value=\"\">{}</option>{}",
        escape(t(l, T::Unchanged)),
        options(
            Status::ALL.iter().filter(|s| s.rank() > status.rank() && !s.is_closed()).map(|s| (s.key(), s.label(l))),
            &stage
        )
    );
    view! {
        <details class="log-follow-up" open=retry.is_some()>
            <summary>{t(l, T::Log)}</summary>
            <form method="post" action="/today/log" class="follow-up-inline">
                <input type="hidden" name="lead" value=code.to_string()/>
                <input type="hidden" name="scope" value=scope/>
                <label for=id("channel")>{t(l, T::Channel)}
                    <select id=id("channel") name="channel" inner_html=channels></select>
                </label>
                <label for=id("direction")>{t(l, T::Direction)}
                    <select id=id("direction") name="direction" inner_html=directions></select>
                </label>
                <label class="check" for=id("responded")>
                    <input type="checkbox" id=id("responded") name="responded" value="true" checked=responded/>
                    {t(l, T::Responded)}
                </label>
                <label for=id("contact")>{t(l, T::Contact)}
                    <input id=id("contact") name="contact" value=value("contact")/>
                    {problem("contact")}
                </label>
                <label class="wide" for=id("summary")>{t(l, T::Summary)}
                    <textarea id=id("summary") name="summary" rows="2">{value("summary")}</textarea>
                    {problem("summary")}
                </label>
                <label for=id("stage_after")>{t(l, T::Stage)}
                    <select id=id("stage_after") name="stage_after" inner_html=stages></select>
                    {problem("stage_after")}
                </label>
                <label for=id("next")>{t(l, T::Next)}
                    <input type="datetime-local" id=id("next") name="next_follow_up_at" value=value("next_follow_up_at")/>
                    {problem("next_follow_up_at")}
                </label>
                <button type="submit" class="primary">{t(l, T::Save)}</button>
            </form>
        </details>
    }
}

/// A select's options as HTML, `selected` marked.
fn options<'a>(items: impl Iterator<Item = (&'a str, &'a str)>, selected: &str) -> String {
    items
        .map(|(key, label)| {
            let mark = if key == selected { " selected" } else { "" };
            format!("<option value=\"{}\"{mark}>{}</option>", escape(key), escape(label))
        })
        .collect()
}

fn sla_card(l: Lang, day: &MyDay, people: &[Person], scope: &'static str, retry: Option<&Retry>) -> AnyView {
    let rows = day.sla.iter().map(|r| sla_row(l, r, day, people, scope, retry)).collect_view();
    let more = day.sla_total.saturating_sub(day.sla.len());
    view! {
        <section class="card today-card" aria-labelledby="today-sla">
            <h2 id="today-sla">{t(l, T::Sla)}" "<span class="count">{day.sla_total}</span></h2>
            {if day.sla.is_empty() {
                view! { <p class="empty">{t(l, T::NoSla)}</p> }.into_any()
            } else {
                view! { <ul class="today-list">{rows}</ul> }.into_any()
            }}
            {(more > 0).then(|| view! { <p class="hint">{t(l, T::More).replace("{n}", &more.to_string())}</p> })}
        </section>
    }
    .into_any()
}

fn sla_row(
    l: Lang,
    r: &SlaRow,
    day: &MyDay,
    people: &[Person],
    scope: &'static str,
    retry: Option<&Retry>,
) -> impl IntoView {
    let breached = r.state == "breached";
    let text = if breached {
        t(l, T::Late).replace("{d}", &span(l, day.now - r.due_at))
    } else {
        t(l, T::Left).replace("{d}", &span(l, r.due_at - day.now))
    };
    let owner = day.team.then(|| r.owner_name.clone().or_else(|| r.owner.clone()).unwrap_or_default());
    let reassign = (day.team && !people.is_empty()).then(|| {
        let options = options(
            people.iter().filter(|p| Some(&p.key) != r.owner.as_ref()).map(|p| (p.key.as_str(), p.name.as_str())),
            "",
        );
        let id = format!("owner-{}", r.lead);
        view! {
            <form method="post" action="/today/reassign" class="inline reassign">
                <input type="hidden" name="lead" value=r.lead.clone()/>
                <label class="sr-only" for=id.clone()>{t(l, T::Owner)}</label>
                <select id=id name="owner" inner_html=options></select>
                <button type="submit" class="secondary">{t(l, T::Reassign)}</button>
            </form>
        }
    });
    view! {
        <li class="today-row" data-lead=r.lead.clone()>
            <div class="today-main">
                {grade_chip(r.grade)}
                {lead_link(&r.lead, &r.company)}
                {owner.map(|o| view! { <span class="owner">{o}</span> })}
                <span class="due" class:late=breached>{text}</span>
                {reassign}
            </div>
            {(!day.team).then(|| log_form(l, &r.lead, r.status, scope, retry))}
        </li>
    }
}

fn behind_card(l: Lang, behind: &[Behind]) -> AnyView {
    let rows = behind
        .iter()
        .map(|b| {
            view! {
                <tr>
                    <th scope="row">{b.name.clone()}</th>
                    <td class:late={b.overdue > 0}>{b.overdue}</td>
                    <td>{b.due_today}</td>
                    <td class:late={b.breached > 0}>{b.breached}</td>
                    <td>{b.due_soon}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card today-card" aria-labelledby="today-behind">
            <h2 id="today-behind">{t(l, T::Behind)}</h2>
            <div class="lead-table-wrap">
                <table class="lead-table behind">
                    <thead>
                        <tr>
                            <th scope="col">{t(l, T::Member)}</th>
                            <th scope="col">{t(l, T::OverdueTasks)}</th>
                            <th scope="col">{t(l, T::TodayTasks)}</th>
                            <th scope="col">{t(l, T::Breached)}</th>
                            <th scope="col">{t(l, T::DueSoon)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

fn stale_card(l: Lang, day: &MyDay, scope: &'static str, retry: Option<&Retry>) -> AnyView {
    let rows = day.stale.iter().map(|s| stale_row(l, s, day, scope, retry)).collect_view();
    let more = day.stale_total.saturating_sub(day.stale.len());
    view! {
        <section class="card today-card" aria-labelledby="today-stale">
            <h2 id="today-stale">{t(l, T::Stale)}" "<span class="count">{day.stale_total}</span></h2>
            {if day.stale.is_empty() {
                view! { <p class="empty">{t(l, T::NoStale)}</p> }.into_any()
            } else {
                view! { <ul class="today-list">{rows}</ul> }.into_any()
            }}
            {(more > 0).then(|| view! { <p class="hint">{t(l, T::More).replace("{n}", &more.to_string())}</p> })}
        </section>
    }
    .into_any()
}

fn stale_row(l: Lang, s: &StaleRow, day: &MyDay, scope: &'static str, retry: Option<&Retry>) -> impl IntoView {
    let c = &s.card;
    let text = t(l, T::InStage).replace("{stage}", c.status.label(l)).replace("{n}", &s.days.to_string());
    let owner = day.team.then(|| c.owner_name.clone().or_else(|| c.owner.clone()).unwrap_or_default());
    view! {
        <li class="today-row" data-lead=c.code.clone()>
            <div class="today-main">
                {grade_chip(c.grade)}
                {lead_link(&c.code, &c.company)}
                {owner.map(|o| view! { <span class="owner">{o}</span> })}
                <span class="due late">{text}</span>
            </div>
            {(!day.team).then(|| log_form(l, &c.code, c.status, scope, retry))}
        </li>
    }
}
