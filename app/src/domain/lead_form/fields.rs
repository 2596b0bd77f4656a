//! The lead form's fields and their checks: which profile fields the form shows as text, what
//! is wrong with a typed value, which server problems the form words its own way, and the
//! profile the form describes so far.
use crate::domain::enums::{DecisionChain, Source};
use crate::domain::lead::{looks_like_email, LeadProfile};
use crate::domain::validate::{Problem, ProblemCode, MAX_AMOUNT};
use crate::format::{parse_amount, parse_count};

/// The form's text fields, in form order: every profile field but the `verified` checkbox,
/// which [`LeadProfile::FIELDS`] lists last (`owner` is the form's own, and optional).
pub const TEXT_FIELDS: [&str; 18] = {
    let mut fields = [""; 18];
    let mut i = 0;
    while i < fields.len() {
        fields[i] = LeadProfile::FIELDS[i];
        i += 1;
    }
    fields
};

/// The channel details the form edits (PRODUCT.md §2), sent nested under `details`.
pub const DETAIL_FIELDS: [&str; 9] =
    ["booth", "minutes", "products", "contact_reason", "page", "keywords", "referrer", "relationship", "scenario"];

/// Every field of the form that holds text, in form order: the profile's [`TEXT_FIELDS`],
/// the channel's [`DETAIL_FIELDS`], then the remarks.
pub const FORM_FIELDS: [&str; 28] = {
    let mut fields = [""; 28];
    let mut i = 0;
    while i < TEXT_FIELDS.len() {
        fields[i] = TEXT_FIELDS[i];
        i += 1;
    }
    while i < TEXT_FIELDS.len() + DETAIL_FIELDS.len() {
        fields[i] = DETAIL_FIELDS[i - TEXT_FIELDS.len()];
        i += 1;
    }
    fields[i] = "remarks";
    fields
};

/// The channel details a lead from `source` is asked for (PRODUCT.md §2): a trade show's
/// booth, minutes talked, products of interest and reason for leaving contact; a web form's
/// page and need keywords; a referral's referrer, relationship and scenario.
pub fn details_for(source: Option<Source>) -> &'static [&'static str] {
    match source {
        Some(Source::TradeShow) => &DETAIL_FIELDS[0..4],
        Some(Source::WebForm) => &DETAIL_FIELDS[4..6],
        Some(Source::Referral) => &DETAIL_FIELDS[6..9],
        _ => &[],
    }
}

/// The path the server names a form field by (`details.booth` for a channel detail).
pub fn server_path(field: &str) -> String {
    if DETAIL_FIELDS.contains(&field) {
        format!("details.{field}")
    } else {
        field.to_string()
    }
}

/// The form's fields that hold numbers.
const NUMBER_FIELDS: [&str; 4] = ["employees", "budget", "decision_months", "minutes"];

/// What is wrong with a field, in the form's own words (the form says each in the user's
/// language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    Required,
    NotEmpty,
    BadChoice,
    BadCount,
    TooManyEmployees,
    TooManyMonths,
    TooManyMinutes,
    BadAmount,
    TooLargeAmount,
    BadEmail,
    BadOwner,
}

impl FieldProblem {
    /// The form's own word for a problem the server reported on one of its fields, when it has
    /// one; else the problem's generic text applies.
    pub fn of_server(problem: &Problem) -> Option<FieldProblem> {
        let path = problem.path.strip_prefix("details.").unwrap_or(&problem.path);
        match problem.code {
            ProblemCode::Required => Some(FieldProblem::Required),
            ProblemCode::Empty => Some(FieldProblem::NotEmpty),
            ProblemCode::BadEmail => Some(FieldProblem::BadEmail),
            ProblemCode::OutOfRange if path == "budget" => Some(FieldProblem::TooLargeAmount),
            ProblemCode::OutOfRange | ProblemCode::WrongType if NUMBER_FIELDS.contains(&path) => {
                Some(FieldProblem::BadCount)
            }
            ProblemCode::Negative => Some(FieldProblem::BadAmount),
            ProblemCode::UnknownValue => Some(FieldProblem::BadChoice),
            ProblemCode::UnknownRecord if path == "owner" => Some(FieldProblem::BadOwner),
            _ => None,
        }
    }
}

/// What is wrong with a typed value; `None` when it is fine.
pub fn field_problem(field: &str, text: &str) -> Option<FieldProblem> {
    let text = text.trim();
    match field {
        "company" if text.is_empty() => Some(FieldProblem::Required),
        "source" if text.is_empty() => Some(FieldProblem::Required),
        "source" => Source::parse(text).is_none().then_some(FieldProblem::BadChoice),
        "decision_chain" if !text.is_empty() => DecisionChain::parse(text).is_none().then_some(FieldProblem::BadChoice),
        "employees" => match parse_count(text) {
            Err(_) => Some(FieldProblem::BadCount),
            Ok(Some(n)) if n > 10_000_000 => Some(FieldProblem::TooManyEmployees),
            Ok(_) => None,
        },
        "decision_months" => match parse_count(text) {
            Err(_) => Some(FieldProblem::BadCount),
            Ok(Some(n)) if n > 600 => Some(FieldProblem::TooManyMonths),
            Ok(_) => None,
        },
        "minutes" => match parse_count(text) {
            Err(_) => Some(FieldProblem::BadCount),
            Ok(Some(n)) if n > 100_000 => Some(FieldProblem::TooManyMinutes),
            Ok(_) => None,
        },
        "budget" => match parse_amount(text) {
            Err(_) => Some(FieldProblem::BadAmount),
            Ok(Some(x)) if x > MAX_AMOUNT => Some(FieldProblem::TooLargeAmount),
            Ok(_) => None,
        },
        "email" if !text.is_empty() => (!looks_like_email(text)).then_some(FieldProblem::BadEmail),
        _ => None,
    }
}

/// The profile the form describes so far (for the completeness gauge).
pub fn draft_profile(value_of: impl Fn(&str) -> String) -> LeadProfile {
    let opt = |f: &str| Some(value_of(f).trim().to_string()).filter(|s| !s.is_empty());
    LeadProfile {
        company: opt("company"),
        industry: opt("industry"),
        region: opt("region"),
        employees: parse_count(&value_of("employees")).ok().flatten(),
        contact_name: opt("contact_name"),
        contact_title: opt("contact_title"),
        phone: opt("phone"),
        email: opt("email"),
        need: opt("need"),
        budget: parse_amount(&value_of("budget")).ok().flatten(),
        decision_months: parse_count(&value_of("decision_months")).ok().flatten(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_holds_every_profile_field_and_each_source_asks_for_its_details() {
        assert_eq!(FORM_FIELDS[..18], TEXT_FIELDS);
        assert_eq!(FORM_FIELDS[18..27], DETAIL_FIELDS);
        assert_eq!(FORM_FIELDS[27], "remarks");
        assert_eq!(DETAIL_FIELDS.len(), crate::domain::channel::ChannelDetails::TEXT.len() + 1, "and minutes");
        assert_eq!(details_for(Some(Source::TradeShow)), ["booth", "minutes", "products", "contact_reason"]);
        assert_eq!(details_for(Some(Source::WebForm)), ["page", "keywords"]);
        assert_eq!(details_for(Some(Source::Referral)), ["referrer", "relationship", "scenario"]);
        assert!(details_for(Some(Source::ColdCall)).is_empty() && details_for(None).is_empty());
        assert_eq!((server_path("booth"), server_path("company")), ("details.booth".into(), "company".into()));
    }

    #[test]
    fn company_and_source_are_required_and_numbers_and_emails_are_checked() {
        assert_eq!(field_problem("company", "  "), Some(FieldProblem::Required));
        assert_eq!(field_problem("source", ""), Some(FieldProblem::Required));
        assert_eq!(field_problem("source", "fax"), Some(FieldProblem::BadChoice));
        assert_eq!(field_problem("source", "trade_show"), None);
        assert_eq!(field_problem("employees", "1,200"), None);
        assert_eq!(field_problem("employees", "很多"), Some(FieldProblem::BadCount));
        assert_eq!(field_problem("employees", "20000000"), Some(FieldProblem::TooManyEmployees));
        assert_eq!(field_problem("decision_months", "601"), Some(FieldProblem::TooManyMonths));
        assert_eq!(field_problem("budget", "200,000"), None);
        assert_eq!(field_problem("budget", "-5"), Some(FieldProblem::BadAmount));
        assert_eq!(field_problem("budget", "2,000,000,000,000"), Some(FieldProblem::TooLargeAmount));
        assert_eq!(field_problem("email", ""), None);
        assert_eq!(field_problem("email", "li.na@huaxin"), Some(FieldProblem::BadEmail));
        assert_eq!(field_problem("email", "li.na@huaxin.cn"), None);
        assert_eq!(field_problem("need", ""), None);
        assert_eq!(field_problem("minutes", "25"), None);
        assert_eq!(field_problem("minutes", "半小时"), Some(FieldProblem::BadCount));
        assert_eq!(field_problem("minutes", "100001"), Some(FieldProblem::TooManyMinutes));
    }

    #[test]
    fn the_server_s_problems_are_worded_by_their_code_and_field() {
        let of = |path: &str, code: ProblemCode| FieldProblem::of_server(&Problem::new(path, code, "whatever it says"));
        assert_eq!(of("company", ProblemCode::Required), Some(FieldProblem::Required));
        assert_eq!(of("company", ProblemCode::Empty), Some(FieldProblem::NotEmpty));
        assert_eq!(of("email", ProblemCode::BadEmail), Some(FieldProblem::BadEmail));
        assert_eq!(of("employees", ProblemCode::OutOfRange), Some(FieldProblem::BadCount));
        assert_eq!(of("decision_months", ProblemCode::WrongType), Some(FieldProblem::BadCount));
        assert_eq!(of("budget", ProblemCode::WrongType), Some(FieldProblem::BadCount));
        assert_eq!(of("budget", ProblemCode::Negative), Some(FieldProblem::BadAmount));
        assert_eq!(of("budget", ProblemCode::OutOfRange), Some(FieldProblem::TooLargeAmount));
        assert_eq!(of("source", ProblemCode::UnknownValue), Some(FieldProblem::BadChoice));
        assert_eq!(of("owner", ProblemCode::UnknownRecord), Some(FieldProblem::BadOwner));
        assert_eq!(of("details.minutes", ProblemCode::OutOfRange), Some(FieldProblem::BadCount));
        // No word of the form's own: the generic text applies.
        assert_eq!(of("phone", ProblemCode::WrongType), None);
        assert_eq!(of("company", ProblemCode::TooLong), None);
        assert_eq!(of("lead", ProblemCode::UnknownRecord), None);
    }

    #[test]
    fn the_draft_reads_what_the_form_holds_so_far() {
        let draft = draft_profile(|f| match f {
            "company" => " 上海华信科技有限公司 ".to_string(),
            "employees" => "1,200".to_string(),
            "budget" => "很多".to_string(),
            _ => String::new(),
        });
        assert_eq!(draft.company.as_deref(), Some("上海华信科技有限公司"));
        assert_eq!(draft.employees, Some(1200));
        assert_eq!((draft.budget, draft.industry), (None, None));
    }
}
