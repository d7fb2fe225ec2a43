//! Languages and bilingual values.
//!
//! Every page and every data text exists in Japanese and English. A missing
//! translation is a diagnostic raised by `validate`, never a silent fallback.
//! やさしい日本語 (easy Japanese, [`Lang::Easy`]) is a third reading of every
//! page: its own URL segment (`easy/`) but the language `ja`; a page or data
//! text without an easy version falls back to the standard Japanese one.

pub mod furigana;
pub mod kana;
pub mod readability;

use serde::Serialize;
use std::fmt;

/// A language variant of the site's pages. Japanese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ja,
    En,
    /// やさしい日本語: Japanese in short, plain sentences with furigana.
    Easy,
}

impl Lang {
    /// The two languages every page and data text must exist in, default first.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// Every variant a page is rendered in: the two languages and easy Japanese.
    pub const VARIANTS: [Lang; 3] = [Lang::Ja, Lang::En, Lang::Easy];

    /// The URL segment and file-name part: `ja`, `en`, `easy`
    /// (`/easy/areas/`, `content/_index.easy.md`, `i18n/easy.toml`).
    pub fn url_segment(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
            Lang::Easy => "easy",
        }
    }

    /// The BCP 47 language tag, for `lang`, `hreflang` and `inLanguage`:
    /// easy Japanese is `ja`. (Paths use [`Lang::url_segment`].)
    pub fn code(self) -> &'static str {
        self.text_lang().url_segment()
    }

    /// The language a data text is read in: easy Japanese reads the
    /// Japanese text where it has no easy text of its own.
    pub fn text_lang(self) -> Lang {
        match self {
            Lang::Easy => Lang::Ja,
            l => l,
        }
    }

    /// The variant's name in itself, for the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ja => "日本語",
            Lang::En => "English",
            Lang::Easy => "やさしいにほんご",
        }
    }

    /// The other language of the ja/en pair (easy Japanese's is English).
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja | Lang::Easy => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// Parses a URL segment (`ja`, `en`, `easy`).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::VARIANTS.into_iter().find(|l| l.url_segment() == code)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.url_segment())
    }
}

/// Bilingual text from data, with an optional easy-Japanese version: a
/// record's `{ ja = "…", en = "…", easy = "…" }`. The easy text may hold
/// the furigana notation `{漢字|かんじ}`; only easy pages read it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Text {
    pub ja: String,
    pub en: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub easy: Option<String>,
}

impl Text {
    /// The text in `lang`; easy Japanese reads the Japanese text where the
    /// record has no easy text of its own.
    pub fn str(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
            Lang::Easy => self.easy.as_deref().unwrap_or(&self.ja),
        }
    }
}

/// An optional text in one language, owned (for page data).
pub fn opt(t: &Option<Text>, lang: Lang) -> Option<String> {
    t.as_ref().map(|t| t.str(lang).to_string())
}
