//! What the lead form says is wrong with a field, in the user's language: its own checks'
//! words, and the server's problems in those friendlier words where the form has one (by the
//! problem's code, never its English message), else the problem's generic text.
use crate::domain::lead_form::fields::FieldProblem;
use crate::domain::validate::Problem;
use crate::i18n::Lang;

crate::texts! {
    Required: "必填", "Required";
    BadCount: "请输入不小于 0 的整数", "Enter a whole number, 0 or more";
    TooManyEmployees: "员工人数不能超过 10,000,000", "At most 10,000,000 employees";
    TooManyMonths: "决策时间不能超过 600 个月", "At most 600 months";
    TooManyMinutes: "交流时长不能超过 100,000 分钟", "At most 100,000 minutes";
    BadAmount: "请输入不小于 0 的金额，如 200,000", "Enter an amount, 0 or more, e.g. 200,000";
    TooLargeAmount: "金额不能超过 1 万亿元", "At most 1,000,000,000,000 yuan";
    BadEmail: "邮箱格式不正确，例如 li.na@example.com", "Not an email address, e.g. li.na@example.com";
    BadChoice: "不是有效的选项", "Not one of the choices";
    NotEmpty: "不能为空", "Must not be empty";
    BadOwner: "无法把线索分配给该负责人", "You cannot assign leads to this rep";
}

/// The text saying `problem`.
fn label(problem: FieldProblem) -> T {
    match problem {
        FieldProblem::Required => T::Required,
        FieldProblem::NotEmpty => T::NotEmpty,
        FieldProblem::BadChoice => T::BadChoice,
        FieldProblem::BadCount => T::BadCount,
        FieldProblem::TooManyEmployees => T::TooManyEmployees,
        FieldProblem::TooManyMonths => T::TooManyMonths,
        FieldProblem::TooManyMinutes => T::TooManyMinutes,
        FieldProblem::BadAmount => T::BadAmount,
        FieldProblem::TooLargeAmount => T::TooLargeAmount,
        FieldProblem::BadEmail => T::BadEmail,
        FieldProblem::BadOwner => T::BadOwner,
    }
}

/// What is wrong with a field, in `lang`.
pub fn problem_text(problem: FieldProblem, lang: Lang) -> &'static str {
    t(lang, label(problem))
}

/// A problem the server reported on a field, in `lang`: the form's own words when it has
/// them, else the problem's generic text.
pub fn server_problem_text(problem: &Problem, lang: Lang) -> String {
    match FieldProblem::of_server(problem) {
        Some(p) => problem_text(p, lang).to_string(),
        None => problem.text(lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::ProblemCode;

    #[test]
    fn the_server_s_problems_are_shown_in_the_user_s_language() {
        let required = Problem::new("company", ProblemCode::Required, "is required");
        assert_eq!(server_problem_text(&required, Lang::Zh), "必填");
        let email = Problem::new("email", ProblemCode::BadEmail, "`x` is not an email address");
        assert_eq!(server_problem_text(&email, Lang::En), t(Lang::En, T::BadEmail));
        let owner = Problem::new("owner", ProblemCode::UnknownRecord, "`r9` is not a rep you can assign leads to");
        assert_eq!(server_problem_text(&owner, Lang::Zh), "无法把线索分配给该负责人");
        // A problem the form has no words of its own for: the generic text.
        let long = Problem::new("phone", ProblemCode::TooLong, "is longer than 50 characters");
        assert_eq!(server_problem_text(&long, Lang::Zh), long.text(Lang::Zh));
    }
}
