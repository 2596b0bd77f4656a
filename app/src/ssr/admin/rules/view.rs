//! The assignment rules editor: the ordered rules as one form, each a row with its conditions
//! (regions, industries, sources, grades) and its target (a team or a rep), buttons to move
//! or delete it, an empty row to add one, and the default rules that always apply last.
use super::rows::{row_of, RowDraft};
use crate::domain::enums::{Grade, Source};
use crate::domain::users::{Team, User};
use crate::domain::validate::Problem;
use crate::i18n::Lang;
use crate::ssr::admin::widgets::problem_text;
use leptos::prelude::*;

crate::texts! {
    Rule: "规则", "Rule";
    NewRule: "新增规则", "New rule";
    Name: "名称", "Name";
    Regions: "区域（逗号分隔）", "Regions (comma-separated)";
    Industries: "行业（逗号分隔）", "Industries (comma-separated)";
    Sources: "来源", "Sources";
    Grades: "等级", "Grades";
    AnyHint: "不填或不勾选表示不限。", "Leave empty or unticked for any.";
    To: "分给", "Assign to";
    Choose: "— 选择团队或销售 —", "— Choose a team or rep —";
    Teams: "团队", "Teams";
    Reps: "销售", "Reps";
    Missing: "（已不存在）", " (no longer exists)";
    Inactive: "（已停用）", " (deactivated)";
    Up: "上移", "Move up";
    Down: "下移", "Move down";
    Delete: "删除", "Delete";
    DefaultTitle: "默认规则（始终最后）", "Default rules (always last)";
    DefaultText: "S → 经理，A → 高级销售，B/C → 初级销售；同区域优先，其次行业，在跟线索最少，轮流。",
        "S → a manager, A → a senior rep, B/C → a junior rep; same region first, then industry, \
         then fewest open leads, then round-robin.";
    DefaultNote: "停用的销售不会分到线索；在跟线索达到上限的销售会被跳过，由下一条规则或默认规则分配。",
        "Deactivated reps never receive leads; reps at their open-lead cap are skipped and the next rule \
         or the default rules place the lead.";
    DryRun: "试运行（最近 100 条线索）", "Dry run (last 100 leads)";
    Save: "保存", "Save";
}

/// The teams and reps a rule may send leads to, as the target select lists them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Targets {
    /// `(team:KEY, name)`.
    pub teams: Vec<(String, String)>,
    /// `(rep:KEY, name · seniority)`.
    pub reps: Vec<(String, String)>,
}

impl Targets {
    /// The workspace's teams, and its users who follow leads up (those with a seniority).
    pub fn new(lang: Lang, teams: &[Team], users: &[User]) -> Targets {
        let teams = teams.iter().map(|t| (format!("team:{}", t.key), t.name.clone())).collect();
        let reps = users
            .iter()
            .filter_map(|u| {
                let seniority = u.seniority?;
                let gone = if u.active { "" } else { t(lang, T::Inactive) };
                Some((format!("rep:{}", u.key), format!("{} · {}{gone}", u.name, seniority.label(lang))))
            })
            .collect();
        Targets { teams, reps }
    }

    fn knows(&self, value: &str) -> bool {
        self.teams.iter().chain(&self.reps).any(|(v, _)| v == value)
    }
}

/// The select of a row's target: teams and reps in two groups; a saved target that no longer
/// exists stays listed (and chosen) so that saving does not drop it unseen.
fn target_select(lang: Lang, name: String, chosen: &str, targets: &Targets, invalid: Option<String>) -> AnyView {
    let options = |list: &[(String, String)]| {
        list.iter()
            .map(|(value, label)| {
                let selected = value == chosen;
                view! { <option value=value.clone() selected=selected>{label.clone()}</option> }
            })
            .collect_view()
    };
    let missing = (!chosen.trim().is_empty() && !targets.knows(chosen)).then(|| {
        let label = format!("{}{}", chosen, t(lang, T::Missing));
        view! { <option value=chosen.to_owned() selected=true>{label}</option> }
    });
    let marked = invalid.is_some().then_some("true");
    view! {
        <select name=name aria-invalid=marked aria-describedby=invalid>
            <option value="" selected=chosen.trim().is_empty()>{t(lang, T::Choose)}</option>
            <optgroup label=t(lang, T::Teams)>{options(&targets.teams)}</optgroup>
            <optgroup label=t(lang, T::Reps)>{options(&targets.reps)}</optgroup>
            {missing}
        </select>
    }
    .into_any()
}

/// A text input of a row, with its problems under it.
fn text_field(label: &'static str, name: String, value: String, errors: Vec<String>) -> AnyView {
    let id = format!("{}-error", name.replace('.', "-"));
    let invalid = !errors.is_empty();
    let described = invalid.then(|| id.clone());
    view! {
        <label class="field">
            <span>{label}</span>
            <input type="text" name=name value=value aria-invalid=invalid.then_some("true") aria-describedby=described/>
            {invalid.then(|| view! { <span class="field-error" id=id>{errors.join("；")}</span> })}
        </label>
    }
    .into_any()
}

/// The fields of one row (`rules.{i}.…`), with the problems found on it.
fn row_fields(lang: Lang, i: usize, row: &RowDraft, targets: &Targets, problems: &[&Problem]) -> AnyView {
    let on = |field: &str| -> Vec<String> {
        problems
            .iter()
            .filter(|p| row_of(&p.path).is_some_and(|(_, f)| f == field))
            .map(|p| problem_text(lang, p))
            .collect()
    };
    let name = |field: &str| format!("rules.{i}.{field}");
    let sources = Source::ALL
        .iter()
        .map(|s| {
            let checked = row.sources.contains(s);
            view! {
                <label>
                    <input type="checkbox" name=name("sources") value=s.key() checked=checked/>
                    {s.label(lang)}
                </label>
            }
        })
        .collect_view();
    let grades = Grade::ALL
        .iter()
        .map(|g| {
            let checked = row.grades.contains(g);
            view! { <label><input type="checkbox" name=name("grades") value=g.key() checked=checked/>{g.key()}</label> }
        })
        .collect_view();
    let to_errors = on("to");
    let to_id = format!("rules-{i}-to-error");
    let to_invalid = (!to_errors.is_empty()).then(|| to_id.clone());
    let others: Vec<String> = problems
        .iter()
        .filter(|p| row_of(&p.path).is_some_and(|(_, f)| !["name", "regions", "industries", "to"].contains(&f)))
        .map(|p| problem_text(lang, p))
        .collect();
    view! {
        <div class="form-grid">
            {text_field(t(lang, T::Name), name("name"), row.name.clone(), on("name"))}
            {text_field(t(lang, T::Regions), name("regions"), row.regions.clone(), on("regions"))}
            {text_field(t(lang, T::Industries), name("industries"), row.industries.clone(), on("industries"))}
            <label class="field">
                <span>{t(lang, T::To)}</span>
                {target_select(lang, name("to"), &row.to, targets, to_invalid)}
                {(!to_errors.is_empty()).then(|| {
                    view! { <span class="field-error" id=to_id>{to_errors.join("；")}</span> }
                })}
            </label>
        </div>
        <div class="field" role="group" aria-label=t(lang, T::Sources)>
            <span>{t(lang, T::Sources)}</span>
            <div class="checks">{sources}</div>
        </div>
        <div class="field" role="group" aria-label=t(lang, T::Grades)>
            <span>{t(lang, T::Grades)}</span>
            <div class="checks">{grades}</div>
        </div>
        {(!others.is_empty()).then(|| view! { <p class="field-error">{others.join("；")}</p> })}
    }
    .into_any()
}

/// "规则 2 · 华南" / "Rule 2 · South China": how the editor and the dry run name a rule.
pub fn rule_title(lang: Lang, index: usize, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        format!("{} {}", t(lang, T::Rule), index + 1)
    } else {
        format!("{} {} · {name}", t(lang, T::Rule), index + 1)
    }
}

/// One saved (or edited) rule with its move and delete buttons.
fn rule_row(lang: Lang, i: usize, count: usize, row: &RowDraft, targets: &Targets, problems: &[&Problem]) -> AnyView {
    let title = rule_title(lang, i, &row.name);
    let label = |what: T| format!("{} {}", t(lang, what), title);
    view! {
        <fieldset class="rule-row">
            <legend>{title.clone()}</legend>
            {row_fields(lang, i, row, targets, problems)}
            <div class="form-actions">
                <button type="submit" class="secondary" name="action" value=format!("up:{i}")
                    disabled={i == 0} aria-label=label(T::Up)>{t(lang, T::Up)}</button>
                <button type="submit" class="secondary" name="action" value=format!("down:{i}")
                    disabled={i + 1 == count} aria-label=label(T::Down)>{t(lang, T::Down)}</button>
                <button type="submit" class="danger" name="action" value=format!("delete:{i}")
                    aria-label=label(T::Delete)>{t(lang, T::Delete)}</button>
            </div>
        </fieldset>
    }
    .into_any()
}

/// The editor: the rules in order, an empty row to add one, the default rules, and the dry
/// run and save buttons (first in the form too, so Enter in a field runs a dry run).
pub fn editor(lang: Lang, rows: &[RowDraft], problems: &[Problem], targets: &Targets) -> AnyView {
    let count = rows.len();
    let list = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mine: Vec<&Problem> =
                problems.iter().filter(|p| row_of(&p.path).is_some_and(|(r, _)| r == i)).collect();
            rule_row(lang, i, count, row, targets, &mine)
        })
        .collect_view();
    let actions = move || {
        view! {
            <div class="form-actions">
                <button type="submit" class="secondary" name="action" value="dry_run">{t(lang, T::DryRun)}</button>
                <button type="submit" class="primary" name="action" value="save">{t(lang, T::Save)}</button>
            </div>
        }
    };
    view! {
        <form method="post" action="/admin/rules" class="rules-form">
            {actions()}
            <div class="rule-list">{list}</div>
            <fieldset class="rule-row rule-new">
                <legend>{t(lang, T::NewRule)}</legend>
                <p class="hint">{t(lang, T::AnyHint)}</p>
                {row_fields(lang, count, &RowDraft::default(), targets, &[])}
                <div class="form-actions">
                    <button type="submit" class="secondary" name="action" value="add">{t(lang, T::NewRule)}</button>
                </div>
            </fieldset>
            <fieldset class="rule-row rule-default" disabled=true>
                <legend>{t(lang, T::DefaultTitle)}</legend>
                <p>{t(lang, T::DefaultText)}</p>
                <p class="hint">{t(lang, T::DefaultNote)}</p>
            </fieldset>
            {actions()}
        </form>
    }
    .into_any()
}
