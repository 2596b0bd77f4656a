//! Small pieces the administration pages share.
use crate::domain::validate::{Problem, ProblemCode};
use crate::i18n::Lang;
use leptos::prelude::*;

crate::texts! {
    Required: "必填", "Required";
    TooShort: "太短", "Too short";
    TooLong: "太长", "Too long";
    UnknownValue: "不是可选的值", "Not one of the choices";
    UnknownRecord: "不存在或不在你的范围内", "Does not exist or is not yours to use";
    Duplicate: "已存在", "Exists already";
    OutOfRange: "超出允许的范围", "Out of range";
    BadOrder: "顺序不对", "In the wrong order";
    WrongType: "格式不对", "Not in the right format";
    BadEmail: "不是邮箱地址", "Not an e-mail address";
}

/// A problem in the reader's language (the English message when the code has no wording).
pub fn problem_text(lang: Lang, p: &Problem) -> String {
    let key = match p.code {
        ProblemCode::Required | ProblemCode::Empty => T::Required,
        ProblemCode::TooShort => T::TooShort,
        ProblemCode::TooLong => T::TooLong,
        ProblemCode::UnknownValue => T::UnknownValue,
        ProblemCode::UnknownRecord => T::UnknownRecord,
        ProblemCode::Duplicate => T::Duplicate,
        ProblemCode::OutOfRange | ProblemCode::Negative | ProblemCode::OutOfYears => T::OutOfRange,
        ProblemCode::BadOrder => T::BadOrder,
        ProblemCode::WrongType | ProblemCode::BadTime | ProblemCode::Malformed => T::WrongType,
        ProblemCode::BadEmail => T::BadEmail,
        _ => return p.message.clone(),
    };
    if lang == Lang::En {
        format!("{} ({})", t(lang, key), p.message)
    } else {
        t(lang, key).to_string()
    }
}

/// A grade as the pages show it.
pub fn grade_chip(grade: crate::domain::enums::Grade) -> impl IntoView {
    let g = grade.key();
    view! { <span class=format!("grade-chip grade-{g}")>{g}</span> }
}

/// A posted form's value by name, trimmed (a repeated name keeps its last value; "" when
/// missing).
pub fn form_field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().rev().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
}

/// HTML text escaped for an element's content or a quoted attribute.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
