//! The languages Genjin speaks: Chinese first, English second.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Lang {
        if code.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

/// Declares a module's texts: each key with its Chinese and its English text, as the enum
/// `T` and the lookup `t(lang, T::Key)`. A key without both texts does not compile, nor does
/// an empty text or a key that was never declared: a missing translation fails the build.
///
/// ```ignore
/// crate::texts! {
///     Title: "线索", "Leads";
/// }
/// ```
#[macro_export]
macro_rules! texts {
    ($($key:ident: $zh:literal, $en:literal;)+) => {
        /// The texts of this module.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(dead_code)]
        pub(crate) enum T {
            $($key,)+
        }

        impl T {
            /// Every text, in the order declared.
            #[allow(dead_code)]
            pub(crate) const ALL: &'static [T] = &[$(T::$key,)+];

            pub(crate) fn get(self, lang: $crate::i18n::Lang) -> &'static str {
                match lang {
                    $crate::i18n::Lang::Zh => match self { $(T::$key => $zh,)+ },
                    $crate::i18n::Lang::En => match self { $(T::$key => $en,)+ },
                }
            }
        }

        const _: () = {
            $(assert!(!$zh.is_empty() && !$en.is_empty(), concat!("a text is empty: ", stringify!($key)));)+
        };

        /// This module's text `key` in `lang`.
        #[allow(dead_code)]
        fn t(lang: $crate::i18n::Lang, key: T) -> &'static str {
            key.get(lang)
        }
    };
}
