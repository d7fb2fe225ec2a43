//! The site configuration, `tsunagu.toml` at the project root.

use crate::lang::Text;
use serde::Deserialize;

/// The name of the configuration file.
pub const CONFIG_FILE: &str = "tsunagu.toml";

/// The `base_url` `tsunagu init` writes: `.invalid` can never be a real
/// host, and `check` lists it as a gap until it is replaced.
pub const PLACEHOLDER_BASE_URL: &str = "https://example.invalid/";

/// Site-wide settings, validated.
#[derive(Debug, Clone)]
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
}

fn default_true() -> bool {
    true
}

fn default_stale_months() -> u32 {
    12
}
