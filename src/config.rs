//! The site configuration, `tsunagu.toml` at the project root.

use crate::lang::Text;
use serde::Deserialize;

/// The name of the configuration file.
pub const CONFIG_FILE: &str = "tsunagu.toml";

/// The `base_url` `tsunagu init` writes: `.invalid` can never be a real
/// host, and `check` lists it as a gap until it is replaced.
pub const PLACEHOLDER_BASE_URL: &str = "https://example.invalid/";

/// Site-wide settings, validated.
#[derive(Debug, Clone, Hash)]
pub struct Config {
    /// Absolute base URL ending in `/`, e.g. `https://example.org/iryo-care/`.
    pub base_url: String,
    pub title: Text,
    pub description: Text,
    /// Records whose `last_verified` is older than this are listed by `check`.
    pub stale_after_months: u32,
    /// Licence of the open-data files, shown on the open-data page.
    pub open_data_licence: Option<Text>,
    pub open_data_licence_url: Option<String>,
    /// Whether to typeset PDF flyers (the slowest part of a build).
    pub pdf_flyers: bool,
    /// Whether HTML written in Markdown is published as HTML.
    pub allow_raw_html: bool,
    /// Who publishes the site and how to report a mistake.
    pub identity: Identity,
    /// Limits of the easy-Japanese readability check (`[easy]`).
    pub easy: EasyConfig,
}

/// `[easy]` in `tsunagu.toml`: the readability check of やさしい日本語 text.
/// The defaults follow 「在留支援のためのやさしい日本語ガイドライン」's
/// practice of short sentences.
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EasyConfig {
    /// Longest sentence, in characters (furigana not counted).
    pub max_sentence_chars: usize,
    /// Most kanji in one sentence.
    pub max_kanji: usize,
    /// Findings are errors, not warnings.
    pub strict: bool,
}

impl Default for EasyConfig {
    fn default() -> Self {
        EasyConfig {
            max_sentence_chars: 40,
            max_kanji: 13,
            strict: false,
        }
    }
}

/// The site's identity (運営者・お問い合わせ): who runs it, how to report a
/// mistake, its logo and accent colour. Every part is optional; `check`
/// reports the missing ones.
#[derive(Debug, Clone, Default, Hash)]
pub struct Identity {
    /// The publishing organisation (運営者).
    pub publisher: Option<Text>,
    /// The "about this site / report a mistake" page.
    pub contact_url: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// A file name below the theme's `assets/`.
    pub logo: Option<String>,
    /// Links and buttons, `[r, g, b]`; at least 4.5:1 against white.
    pub accent_color: Option<[u8; 3]>,
}

impl Identity {
    /// Whether any way to report a mistake is given.
    pub fn has_contact(&self) -> bool {
        self.contact_url.is_some() || self.contact_email.is_some() || self.contact_phone.is_some()
    }
}

/// `tsunagu.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Absolute URL the site is published under; `--base-url` overrides it.
    pub base_url: crate::load::Spanned<String>,
    /// Languages in order, default first. tsunagu builds exactly `["ja", "en"]`.
    pub languages: crate::load::Spanned<Vec<String>>,
    /// Site title in each language.
    pub title: crate::load::Spanned<crate::load::RawText>,
    /// One-sentence description in each language (meta description of the home page).
    pub description: crate::load::Spanned<crate::load::RawText>,
    /// Staleness threshold for `last_verified`, in months (default 12).
    #[serde(default = "default_stale_months")]
    pub stale_after_months: u32,
    /// Licence of the open-data files (CSV/JSON), in each language.
    pub open_data_licence: Option<crate::load::Spanned<crate::load::RawText>>,
    /// Where the licence text is published.
    pub open_data_licence_url: Option<crate::load::Spanned<String>>,
    /// Typeset PDF flyers (default true); `false` builds the flyers page without PDFs.
    #[serde(default = "default_true")]
    pub pdf_flyers: bool,
    /// Publish HTML written in Markdown pages as HTML (default false: it is
    /// an error). Only for a site whose every author is trusted: raw HTML
    /// can run scripts in every reader's browser.
    #[serde(default)]
    pub allow_raw_html: bool,
    /// Who publishes the site and how to report a mistake (`[identity]`).
    pub identity: Option<RawIdentity>,
    /// The easy-Japanese readability check's limits (`[easy]`).
    #[serde(default)]
    pub easy: EasyConfig,
}

/// `[identity]` in `tsunagu.toml`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIdentity {
    /// The publishing organisation, in each language.
    pub publisher: Option<crate::load::Spanned<crate::load::RawText>>,
    /// Page where readers learn about the site and report a mistake.
    pub contact_url: Option<crate::load::Spanned<String>>,
    pub contact_email: Option<crate::load::Spanned<String>>,
    pub contact_phone: Option<crate::load::Spanned<String>>,
    /// A file in `templates/assets/` (SVG or PNG), shown beside the
    /// publisher's name and used as the favicon.
    pub logo: Option<crate::load::Spanned<String>>,
    /// Colour of links and buttons, `#rrggbb`.
    pub accent_color: Option<crate::load::Spanned<String>>,
}

fn default_true() -> bool {
    true
}

fn default_stale_months() -> u32 {
    12
}
