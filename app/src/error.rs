//! The errors a page can meet, typed across the wire from the server functions
//! (`FromServerFnError`), each with a message in the user's language.
use crate::domain::lead::Lead;
use crate::domain::validate::Problem;
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
                    .map(|p| if p.path.is_empty() { p.message.clone() } else { format!("{}: {}", p.path, p.message) })
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
        }
    }

    /// The problem reported for one field, if any.
    pub fn field(&self, path: &str) -> Option<String> {
        match self {
            UiError::Invalid(problems) => problems.iter().find(|p| p.path == path).map(|p| p.message.clone()),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::ssr::error::ApiError> for UiError {
    fn from(e: crate::ssr::error::ApiError) -> Self {
        use crate::ssr::error::ApiError;
        match e {
            ApiError::Malformed(m) => UiError::Invalid(vec![Problem::new("", m)]),
            ApiError::Unauthorized => UiError::SignedOut,
            ApiError::Forbidden(m) => UiError::Forbidden(m),
            ApiError::NotFound(m) => UiError::NotFound(m),
            ApiError::Conflict(current) => match serde_json::from_value::<Lead>(current) {
                Ok(lead) => UiError::Conflict(Box::new(lead)),
                Err(_) => UiError::NotFound("the lead is gone".into()),
            },
            ApiError::Invalid(problems) => UiError::Invalid(problems),
            ApiError::TooLarge(n) => UiError::Invalid(vec![Problem::new("", format!("larger than {n} bytes"))]),
            ApiError::Busy => UiError::Busy,
            ApiError::TooManyAttempts(secs) => UiError::TooManyAttempts(secs),
            ApiError::CrossSite(m) => UiError::Forbidden(m),
            ApiError::Limit(m) => UiError::Forbidden(m),
            ApiError::WrongMethod => UiError::Server,
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
            UiError::Invalid(vec![Problem::new("company", "is required")]),
            UiError::Server,
            UiError::Network("x".into()),
            UiError::Busy,
            UiError::TooManyAttempts(60),
        ];
        for e in errors {
            assert_ne!(e.message(Lang::Zh), e.message(Lang::En), "{e:?}");
        }
        let invalid = UiError::Invalid(vec![Problem::new("company", "is required")]);
        assert_eq!(invalid.field("company").as_deref(), Some("is required"));
        assert_eq!(invalid.field("email"), None);
    }
}
