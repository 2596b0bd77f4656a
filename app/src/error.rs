//! The errors a page can meet, typed across the wire from the server functions
//! (`FromServerFnError`), each with a message in the user's language.
use crate::domain::lead::Lead;
use crate::domain::validate::{Problem, ProblemCode};
use crate::i18n::Lang;
use leptos::server_fn::codec::PostcardEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum UiError {
    #[error("signed out")]
    SignedOut,
    #[error("wrong user or password")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The lead was merged into this one (its code), which holds everything it had.
    #[error("merged into {0}")]
    Merged(String),
    /// Someone else changed the lead first; here it is as it now stands.
    #[error("changed by someone else")]
    Conflict(Box<Lead>),
    #[error("invalid")]
    Invalid(Vec<Problem>),
    #[error("server error")]
    Server,
    /// The request did not reach the server or its answer did not come back.
    #[error("{0}")]
    Network(String),
    /// Someone else was saving the same record at the same moment; nothing was written.
    #[error("busy")]
    Busy,
    /// Too many failed sign-ins: try again after this many seconds.
    #[error("too many attempts")]
    TooManyAttempts(u64),
    /// The database's disk is full: nothing was written.
    #[error("storage full")]
    StorageFull,
}

impl FromServerFnError for UiError {
    type Encoder = PostcardEncoding;

    fn from_server_fn_error(e: ServerFnErrorErr) -> Self {
        UiError::Network(e.to_string())
    }
}

impl UiError {
    /// What the user reads.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            UiError::SignedOut if zh => "登录已过期，请重新登录。".into(),
            UiError::SignedOut => "Your session has ended; please sign in again.".into(),
            UiError::BadCredentials if zh => "账号或密码不正确。".into(),
            UiError::BadCredentials => "Wrong user name or password.".into(),
            UiError::Forbidden(_) if zh => "您没有权限执行此操作。".into(),
            UiError::Forbidden(m) => format!("Not allowed: {m}."),
            UiError::NotFound(_) if zh => "找不到该记录，可能已被删除或无权查看。".into(),
            UiError::NotFound(_) => "Not found, or not yours to see.".into(),
            UiError::Merged(into) if zh => format!("该线索已合并到 {into}，它的全部记录都在那里。"),
            UiError::Merged(into) => format!("This lead was merged into {into}, which holds all its records."),
            UiError::Conflict(lead) if zh => {
                format!("{} 刚被其他人修改，现在位于「{}」，已为您显示最新状态。", lead.code, lead.status.label(lang))
            }
            UiError::Conflict(lead) => format!(
                "{} was just changed by someone else and is now in “{}”; you are seeing its latest state.",
                lead.code,
                lead.status.label(lang)
            ),
            UiError::Invalid(problems) => {
                let list: Vec<String> = problems
                    .iter()
                    .map(|p| if p.path.is_empty() { p.text(lang) } else { format!("{}: {}", p.path, p.text(lang)) })
                    .collect();
                if zh {
                    format!("请检查输入：{}", list.join("；"))
                } else {
                    format!("Please check: {}", list.join("; "))
                }
            }
            UiError::Server if zh => "服务器出错，操作未完成，请稍后再试。".into(),
            UiError::Server => "The server failed; nothing was changed. Please try again.".into(),
            UiError::Network(_) if zh => "网络连接失败，操作未完成，请检查网络后重试。".into(),
            UiError::Network(_) => {
                "Could not reach the server; nothing was changed. Check your connection and retry.".into()
            }
            UiError::Busy if zh => "其他人正在同时保存这条记录，本次未保存，请再试一次。".into(),
            UiError::Busy => {
                "Someone else was saving this record at the same moment; nothing was saved. Please try again.".into()
            }
            UiError::TooManyAttempts(secs) if zh => format!("登录失败次数过多，请 {} 秒后再试。", secs),
            UiError::TooManyAttempts(secs) => format!("Too many failed sign-ins; please try again in {secs} seconds."),
            UiError::StorageFull if zh => "数据库磁盘已满，本次未保存。请联系管理员清理空间后再试。".into(),
            UiError::StorageFull => {
                "The database's disk is full; nothing was saved. Ask an administrator to free space, then try again."
                    .into()
            }
        }
    }

    /// The problem reported for one field, if any, in the user's language.
    pub fn field(&self, path: &str, lang: Lang) -> Option<String> {
        match self {
            UiError::Invalid(problems) => problems.iter().find(|p| p.path == path).map(|p| p.text(lang)),
            _ => None,
        }
    }
}

// What each kind of problem says to the user.
crate::texts! {
    Required: "必填", "is required";
    Empty: "不能为空", "must not be empty";
    TooLong: "超出长度上限", "is too long";
    TooShort: "太短", "is too short";
    WrongType: "格式不正确", "has the wrong form";
    UnknownValue: "不是可选的值", "is not one of the choices";
    BadTime: "不是有效的日期时间", "is not a valid date and time";
    OutOfYears: "日期须在 2000–2100 年之间", "must fall in the years 2000–2100";
    Negative: "不能为负数", "must not be negative";
    OutOfRange: "超出允许范围", "is out of range";
    TooMany: "条目太多", "has too many entries";
    BadEmail: "不是有效的邮箱地址", "is not an e-mail address";
    UnknownRecord: "不存在或无权使用", "does not exist or is not yours to use";
    Duplicate: "重复或已存在", "is used twice or exists already";
    NotEditable: "不能这样修改", "cannot be changed this way";
    BadOrder: "时间先后不对", "is in the wrong order in time";
    Closed: "线索已关闭", "the lead is closed";
    Malformed: "请求无法读取", "the request cannot be read";
    TooLarge: "内容过大", "is too large";
}

impl ProblemCode {
    /// What the problem says to the user, without the field's name.
    pub fn text(self, lang: Lang) -> &'static str {
        t(
            lang,
            match self {
                ProblemCode::Required => T::Required,
                ProblemCode::Empty => T::Empty,
                ProblemCode::TooLong => T::TooLong,
                ProblemCode::TooShort => T::TooShort,
                ProblemCode::WrongType => T::WrongType,
                ProblemCode::UnknownValue => T::UnknownValue,
                ProblemCode::BadTime => T::BadTime,
                ProblemCode::OutOfYears => T::OutOfYears,
                ProblemCode::Negative => T::Negative,
                ProblemCode::OutOfRange => T::OutOfRange,
                ProblemCode::TooMany => T::TooMany,
                ProblemCode::BadEmail => T::BadEmail,
                ProblemCode::UnknownRecord => T::UnknownRecord,
                ProblemCode::Duplicate => T::Duplicate,
                ProblemCode::NotEditable => T::NotEditable,
                ProblemCode::BadOrder => T::BadOrder,
                ProblemCode::Closed => T::Closed,
                ProblemCode::Malformed => T::Malformed,
                ProblemCode::TooLarge => T::TooLarge,
            },
        )
    }
}

impl Problem {
    /// What the problem says to the user, in their language; a text field that is too long
    /// says how long it may be.
    pub fn text(&self, lang: Lang) -> String {
        match (self.code, lang) {
            (ProblemCode::TooLong, Lang::Zh) => {
                format!("{}（最多 {} 字）", self.code.text(lang), self.char_limit())
            }
            (ProblemCode::TooLong, Lang::En) => {
                format!("{} (at most {} characters)", self.code.text(lang), self.char_limit())
            }
            _ => self.code.text(lang).to_string(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::ssr::error::ApiError> for UiError {
    fn from(e: crate::ssr::error::ApiError) -> Self {
        use crate::ssr::error::ApiError;
        match e {
            ApiError::Malformed(m) => UiError::Invalid(vec![Problem::new("", ProblemCode::Malformed, m)]),
            ApiError::Unauthorized => UiError::SignedOut,
            ApiError::Forbidden(m) => UiError::Forbidden(m),
            ApiError::NotFound(m) => UiError::NotFound(m),
            ApiError::Merged(into) => UiError::Merged(into),
            ApiError::Conflict(current) => match serde_json::from_value::<Lead>(current) {
                Ok(lead) => UiError::Conflict(Box::new(lead)),
                Err(_) => UiError::NotFound("the lead is gone".into()),
            },
            ApiError::Invalid(problems) => UiError::Invalid(problems),
            ApiError::TooLarge(n) => {
                UiError::Invalid(vec![Problem::new("", ProblemCode::TooLarge, format!("larger than {n} bytes"))])
            }
            ApiError::Busy => UiError::Busy,
            ApiError::TooManyAttempts(secs) => UiError::TooManyAttempts(secs),
            ApiError::CrossSite(m) => UiError::Forbidden(m),
            ApiError::Limit(m) => UiError::Forbidden(m),
            ApiError::WrongMethod => UiError::Server,
            ApiError::StorageFull => UiError::StorageFull,
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error in a page request");
                UiError::Server
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_speaks_both_languages() {
        let errors = [
            UiError::SignedOut,
            UiError::BadCredentials,
            UiError::Forbidden("x".into()),
            UiError::NotFound("x".into()),
            UiError::Invalid(vec![Problem::new("company", ProblemCode::Required, "is required")]),
            UiError::Server,
            UiError::Network("x".into()),
            UiError::Busy,
            UiError::TooManyAttempts(60),
            UiError::StorageFull,
        ];
        for e in errors {
            assert_ne!(e.message(Lang::Zh), e.message(Lang::En), "{e:?}");
        }
        let invalid = UiError::Invalid(vec![Problem::new("company", ProblemCode::Required, "is required")]);
        assert_eq!(invalid.field("company", Lang::Zh).as_deref(), Some("必填"));
        assert_eq!(invalid.field("company", Lang::En).as_deref(), Some("is required"));
        assert_eq!(invalid.field("email", Lang::Zh), None);
    }

    #[test]
    fn a_problem_is_told_by_its_code_not_its_wording() {
        let long = Problem::new("leads[3].company", ProblemCode::TooLong, "is longer than 200 characters");
        assert_eq!(long.field(), "company");
        assert_eq!(long.text(Lang::Zh), "超出长度上限（最多 200 字）");
        let tag = Problem::new("tags[2]", ProblemCode::TooLong, "is longer than 30 characters");
        assert_eq!(tag.field(), "tags");
        assert_eq!(tag.text(Lang::En), "is too long (at most 30 characters)");
        // The code travels in the API's JSON as a stable string.
        assert_eq!(serde_json::to_value(ProblemCode::UnknownRecord).unwrap(), "unknown_record");
    }
}
