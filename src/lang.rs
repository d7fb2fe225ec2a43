//! Languages and bilingual values.
//!
//! Every page and every data text exists in Japanese and English. A missing
//! translation is a diagnostic raised by `validate`, never a silent fallback.

pub mod kana;

use serde::Serialize;
use std::fmt;

/// A language of the site. Japanese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    /// Both languages, default first.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// BCP 47 code, as used in `lang`, `hreflang` and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, for the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ja => "日本語",
            Lang::En => "English",
        }
    }

    /// The other language of the pair.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// Parses a language code (`ja`, `en`).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A value held in both languages, so the two cannot drift apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Localized<T> {
    pub ja: T,
    pub en: T,
}

impl<T> Localized<T> {
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// Bilingual text.
pub type Text = Localized<String>;

impl Text {
    pub fn str(&self, lang: Lang) -> &str {
        self.get(lang).as_str()
    }
}

/// An optional text in one language, owned (for page data).
pub fn opt(t: &Option<Text>, lang: Lang) -> Option<String> {
    t.as_ref().map(|t| t.str(lang).to_string())
}
