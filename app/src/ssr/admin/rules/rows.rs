//! The assignment rules as the editor's form carries them: one row per rule (name, regions
//! and industries as typed, ticked sources and grades, the target as `team:KEY` or
//! `rep:KEY`), the button pressed, and the rules the rows make once every row is checked.
use crate::assignment_rules::{validate_rules, AssignmentRules, Rule, Target};
use crate::domain::enums::{Grade, Source};
use crate::domain::validate::{Problem, ProblemCode};
use std::collections::BTreeMap;

/// One rule as the form shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowDraft {
    pub name: String,
    /// Regions, comma-separated as typed.
    pub regions: String,
    /// Industries, comma-separated as typed.
    pub industries: String,
    pub sources: Vec<Source>,
    pub grades: Vec<Grade>,
    /// `team:KEY`, `rep:KEY`, or empty when no target is chosen.
    pub to: String,
}

impl RowDraft {
    /// A saved rule in the form.
    pub fn from_rule(rule: &Rule) -> RowDraft {
        RowDraft {
            name: rule.name.clone(),
            regions: rule.regions.join(", "),
            industries: rule.industries.join(", "),
            sources: rule.sources.clone(),
            grades: rule.grades.clone(),
            to: target_value(&rule.to),
        }
    }

    /// A row with nothing filled in, which the form drops.
    pub fn is_empty(&self) -> bool {
        [&self.name, &self.regions, &self.industries, &self.to].iter().all(|s| s.trim().is_empty())
            && self.sources.is_empty()
            && self.grades.is_empty()
    }
}

/// A target as the form's select names it.
pub fn target_value(target: &Target) -> String {
    match target {
        Target::Team(key) => format!("team:{key}"),
        Target::Rep(key) => format!("rep:{key}"),
    }
}

/// A target chosen in the form; `None` for anything else.
pub fn parse_target(value: &str) -> Option<Target> {
    let (kind, key) = value.trim().split_once(':')?;
    let key = key.trim();
    if key.is_empty() {
        return None;
    }
    match kind {
        "team" => Some(Target::Team(key.to_owned())),
        "rep" => Some(Target::Rep(key.to_owned())),
        _ => None,
    }
}

/// The values of a comma-separated list (`,` `，` `、` `;` `；`), trimmed, blanks left out.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// What a button of the editor asks for. Row buttons carry the row's place in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up(usize),
    Down(usize),
    Delete(usize),
    Add,
    DryRun,
    Save,
}

impl Action {
    /// Reads a button's value (`up:3`, `add`, `dry_run`, `save`).
    pub fn parse(value: &str) -> Option<Action> {
        let row = |rest: &str| rest.parse::<usize>().ok();
        match value.split_once(':') {
            Some(("up", rest)) => row(rest).map(Action::Up),
            Some(("down", rest)) => row(rest).map(Action::Down),
            Some(("delete", rest)) => row(rest).map(Action::Delete),
            Some(_) => None,
            None => match value {
                "add" => Some(Action::Add),
                "dry_run" => Some(Action::DryRun),
                "save" => Some(Action::Save),
                _ => None,
            },
        }
    }
}

/// The rows of a posted editor (`rules.0.name`, `rules.0.sources` repeated, `rules.0.to` …)
/// in their order, and the button pressed (a dry run when none is named, as it writes
/// nothing).
pub fn read(fields: &[(String, String)]) -> (Vec<RowDraft>, Action) {
    let mut rows: BTreeMap<usize, RowDraft> = BTreeMap::new();
    let mut action = None;
    for (name, value) in fields {
        if name == "action" {
            action = Action::parse(value);
            continue;
        }
        let Some((index, field)) = name.strip_prefix("rules.").and_then(|rest| rest.split_once('.')) else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        let row = rows.entry(index).or_default();
        match field {
            "name" => row.name = value.clone(),
            "regions" => row.regions = value.clone(),
            "industries" => row.industries = value.clone(),
            "to" => row.to = value.clone(),
            "sources" => {
                if let Some(source) = Source::parse(value).filter(|s| !row.sources.contains(s)) {
                    row.sources.push(source);
                }
            }
            "grades" => {
                if let Some(grade) = Grade::parse(value).filter(|g| !row.grades.contains(g)) {
                    row.grades.push(grade);
                }
            }
            _ => {}
        }
    }
    // Row buttons name the row's index in the form; the rows are kept in that order.
    let indexes: Vec<usize> = rows.keys().copied().collect();
    let at = |i: usize| indexes.iter().position(|k| *k == i).unwrap_or(usize::MAX);
    let action = match action.unwrap_or(Action::DryRun) {
        Action::Up(i) => Action::Up(at(i)),
        Action::Down(i) => Action::Down(at(i)),
        Action::Delete(i) => Action::Delete(at(i)),
        other => other,
    };
    (rows.into_values().collect(), action)
}

/// The rows after a row button (moved up or down, deleted), without the empty rows.
pub fn apply(rows: Vec<RowDraft>, action: Action) -> Vec<RowDraft> {
    let target = match action {
        Action::Up(i) | Action::Down(i) | Action::Delete(i) => Some(i),
        _ => None,
    };
    let mut kept: Vec<(usize, RowDraft)> = rows.into_iter().enumerate().filter(|(_, r)| !r.is_empty()).collect();
    if let Some(at) = target.and_then(|i| kept.iter().position(|(j, _)| *j == i)) {
        match action {
            Action::Up(_) if at > 0 => kept.swap(at - 1, at),
            Action::Down(_) if at + 1 < kept.len() => kept.swap(at, at + 1),
            Action::Delete(_) => {
                kept.remove(at);
            }
            _ => {}
        }
    }
    kept.into_iter().map(|(_, r)| r).collect()
}

/// The rules the rows make, or every problem with them: a row without a team or rep, a
/// target that is neither, or a value the rules refuse. Paths are `rules[i].…`.
pub fn to_rules(rows: &[RowDraft]) -> Result<AssignmentRules, Vec<Problem>> {
    let mut problems = Vec::new();
    let rules = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let to = match parse_target(&row.to) {
                Some(to) => to,
                // No target: the rules' own check reports the empty key.
                None if row.to.trim().is_empty() => Target::Team(String::new()),
                None => {
                    let message = format!("`{}` is not a team or a rep", row.to.trim());
                    problems.push(Problem::new(format!("rules[{i}].to.key"), ProblemCode::UnknownValue, message));
                    Target::Team(row.to.trim().to_owned())
                }
            };
            Rule {
                name: row.name.trim().to_owned(),
                regions: split_list(&row.regions),
                industries: split_list(&row.industries),
                sources: row.sources.clone(),
                grades: row.grades.clone(),
                to,
            }
        })
        .collect();
    let rules = AssignmentRules { rules };
    problems.extend(validate_rules(&rules, ""));
    if problems.is_empty() {
        Ok(rules)
    } else {
        Err(problems)
    }
}

/// The row and field a problem is about: `assignment.rules[2].to.key` → `(2, "to")`,
/// `rules[0].regions[1]` → `(0, "regions")`, `rules[3]` → `(3, "")`.
pub fn row_of(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("assignment.").unwrap_or(path).strip_prefix("rules[")?;
    let (index, rest) = rest.split_once(']')?;
    let field = rest.strip_prefix('.').unwrap_or(rest);
    let end = field.find(['.', '[']).unwrap_or(field.len());
    Some((index.parse().ok()?, &field[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn named(name: &str, to: &str) -> RowDraft {
        RowDraft { name: name.into(), to: to.into(), ..RowDraft::default() }
    }

    #[test]
    fn a_posted_editor_reads_as_rows_in_order_with_repeated_checkboxes() {
        let (rows, action) = read(&posted(&[
            ("rules.1.name", "大客户"),
            ("rules.1.grades", "S"),
            ("rules.1.to", "rep:m1"),
            ("rules.0.name", "华南"),
            ("rules.0.regions", "华南，华东、 西南"),
            ("rules.0.sources", "web_form"),
            ("rules.0.sources", "referral"),
            ("rules.0.sources", "web_form"),
            ("rules.0.to", "team:t2"),
            ("rules.2.name", ""),
            ("action", "save"),
        ]));
        assert_eq!(action, Action::Save);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].sources, [Source::WebForm, Source::Referral]);
        assert_eq!(rows[1].grades, [Grade::S]);
        let rules = to_rules(&apply(rows, action)).unwrap();
        assert_eq!(rules.rules.len(), 2);
        assert_eq!(rules.rules[0].regions, ["华南", "华东", "西南"]);
        assert_eq!(rules.rules[0].to, Target::Team("t2".into()));
        assert_eq!(rules.rules[1].to, Target::Rep("m1".into()));
    }

    #[test]
    fn rows_move_up_and_down_and_are_deleted_and_empty_ones_are_dropped() {
        let rows = vec![named("a", "team:t1"), RowDraft::default(), named("b", "team:t2"), named("c", "rep:r1")];
        let names = |rows: Vec<RowDraft>| rows.into_iter().map(|r| r.name).collect::<Vec<_>>();
        assert_eq!(names(apply(rows.clone(), Action::Up(2))), ["b", "a", "c"]);
        assert_eq!(names(apply(rows.clone(), Action::Down(2))), ["a", "c", "b"]);
        assert_eq!(names(apply(rows.clone(), Action::Down(3))), ["a", "b", "c"]);
        assert_eq!(names(apply(rows.clone(), Action::Up(0))), ["a", "b", "c"]);
        assert_eq!(names(apply(rows.clone(), Action::Delete(0))), ["b", "c"]);
        assert_eq!(names(apply(rows, Action::Add)), ["a", "b", "c"]);
        assert_eq!(Action::parse("down:12"), Some(Action::Down(12)));
        assert_eq!(Action::parse("up:x"), None);
    }

    #[test]
    fn a_row_with_conditions_but_no_target_is_a_problem_on_that_row() {
        let rows = vec![named("a", "team:t1"), RowDraft { regions: "华南".into(), ..RowDraft::default() }];
        let problems = to_rules(&rows).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(row_of(&problems[0].path), Some((1, "to")));
        let problems = to_rules(&[named("b", "group:x")]).unwrap_err();
        assert_eq!((problems[0].code, row_of(&problems[0].path)), (ProblemCode::UnknownValue, Some((0, "to"))));
    }

    #[test]
    fn problem_paths_name_their_row_and_field() {
        assert_eq!(row_of("assignment.rules[2].to.key"), Some((2, "to")));
        assert_eq!(row_of("rules[0].regions[1]"), Some((0, "regions")));
        assert_eq!(row_of("rules[3]"), Some((3, "")));
        assert_eq!(row_of("assignment.rules"), None);
        assert_eq!(parse_target("rep: r1 "), Some(Target::Rep("r1".into())));
        assert_eq!(parse_target("team:"), None);
    }
}
