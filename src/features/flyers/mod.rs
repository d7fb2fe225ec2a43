//! Printable flyers (チラシ): one A4 page per hub and per area, in Japanese
//! and in English, built from the same model as the site so a changed phone
//! number changes the flyer too.
//!
//! For each flyer this module renders `templates/flyer.typ` (a tera template
//! of Typst source) with every data value passed as an escaped Typst string
//! literal, so data text can never become Typst markup. The QR code to the
//! flyer's page (absolute URL from `base_url`) is made here as SVG with the
//! `qrcode` crate. With the `pdf` cargo feature (on by default) the Typst
//! compiler, used as a library, turns each source into a PDF and a small
//! PNG preview ([`typeset`]); flyers are compiled on all cores.
//!
//! Output (stable paths, documented in README "Flyers"):
//! `<lang>/flyers/hubs-<hub id>.pdf|png` and `<lang>/flyers/areas-<code>.pdf|png`,
//! next to the page `/<lang>/flyers/` that lists every flyer with both languages.
//!
//! Fonts are the one thing this feature reads from outside the project: the
//! system fonts (and `TSUNAGU_FONT_DIRS`), searched once per process. With no
//! Japanese font, or without the `pdf` feature, the site is built without
//! PDFs and the flyers page says so.

mod page;
mod source;
#[cfg(feature = "pdf")]
pub mod typeset;

pub use page::pages;
pub use source::{FlyerSource, qr_svg, sources, typst_str};

use crate::diag::Diagnostics;
use crate::lang::Lang;
use crate::model::{Area, Hub, Site};
use crate::render::links::{area_key, full_name, hub_key};
use crate::render::{Artifact, page_href};

/// Key of the flyers page (`/<lang>/flyers/`).
pub const FLYERS_KEY: &str = "flyers";
/// The Typst source template below `templates/`.
pub const TEMPLATE: &str = "flyer.typ";
/// A4 in PostScript points.
pub const A4_PT: (f64, f64) = (595.276, 841.89);
/// Environment variable: extra font directories (`:`-separated on Unix).
/// Here, not in [`typeset`], because every build's fingerprint reads it.
pub const FONT_DIRS_ENV: &str = "TSUNAGU_FONT_DIRS";
/// Environment variable: `0` leaves system fonts out (only `TSUNAGU_FONT_DIRS`).
pub const SYSTEM_FONTS_ENV: &str = "TSUNAGU_SYSTEM_FONTS";

/// UI strings of the flyers page and the flyers' own (see [`strings`]).
const STRINGS: &[&str] = &[
    "flyers_title",
    "flyers_intro",
    "flyers_print",
    "flyers_unavailable",
    "flyers_hubs_heading",
    "flyers_areas_heading",
    "flyers_col_flyer",
    "flyers_col_preview",
    "flyers_col_pdf",
    "flyers_preview_alt",
    "flyers_index_note",
    "flyer_link",
    "flyer_title",
    "flyer_kind_hub",
    "flyer_for_label",
    "flyer_for_whom",
    "flyer_see_wards",
    "flyer_scan",
    "flyer_qr_alt",
    "flyer_sources",
    "flyer_footer",
];

/// UI strings the shipped `templates/flyer.typ` reads (as `t.<key>`)
/// besides those in [`STRINGS`]; the flyer's source lines and contact
/// block use `source` … `form`.
const TEMPLATE_STRINGS: &[&str] = &[
    "help_heading",
    "help_1",
    "help_2",
    "help_3",
    "help_4",
    "hub_covering",
    "covered_areas",
    "list_sep",
    "no_hub",
    "no_hub_next",
    "contact_heading",
    "contact_unknown",
    "contact_unknown_detail",
    "ask_instead",
    "hours",
    "source",
    "as_of",
    "last_verified",
    "phone",
    "fax",
    "email",
    "form",
];

/// Every UI string the flyers and their page use (the area kinds' names
/// too), for validate to require in both languages.
pub fn strings() -> Vec<String> {
    let mut keys: Vec<String> = STRINGS
        .iter()
        .chain(TEMPLATE_STRINGS)
        .map(|k| (*k).to_string())
        .collect();
    keys.extend(crate::model::AreaKind::ALL.map(|k| format!("kind_{}", k.key())));
    keys
}

/// What a flyer is about.
#[derive(Clone, Copy)]
pub enum Subject<'a> {
    Hub(&'a Hub),
    Area(&'a Area),
}

impl<'a> Subject<'a> {
    /// File stem of the flyer: `hubs-yokohama-tsurumi`, `areas-141097`.
    pub fn slug(&self) -> String {
        match self {
            Subject::Hub(h) => format!("hubs-{}", h.id),
            Subject::Area(a) => format!("areas-{}", a.code),
        }
    }

    /// Key of the site page the QR code opens.
    pub fn page_key(&self) -> String {
        match self {
            Subject::Hub(h) => hub_key(h),
            Subject::Area(a) => area_key(&a.code),
        }
    }

    pub fn name(&self, site: &Site, lang: Lang) -> String {
        match self {
            Subject::Hub(h) => h.name.str(lang).to_string(),
            Subject::Area(a) => full_name(site, a, lang),
        }
    }

    /// The hub whose contact the flyer shows.
    pub fn hub(&self, site: &'a Site) -> Option<&'a Hub> {
        match self {
            Subject::Hub(h) => Some(h),
            Subject::Area(a) => site.hub_for(&a.code),
        }
    }
}

/// Every flyer subject: hubs in data order, then areas in code order.
pub fn subjects(site: &Site) -> Vec<Subject<'_>> {
    site.hubs
        .iter()
        .map(Subject::Hub)
        .chain(site.areas.iter().map(Subject::Area))
        .collect()
}

/// Site-relative path of a flyer's PDF: `ja/flyers/areas-141097.pdf`, next
/// to the flyers page, so the page links to it as `areas-141097.pdf`.
pub fn pdf_path(lang: Lang, slug: &str) -> String {
    format!("{lang}/{FLYERS_KEY}/{slug}.pdf")
}

/// Site-relative path of a flyer's PNG preview.
pub fn preview_path(lang: Lang, slug: &str) -> String {
    format!("{lang}/{FLYERS_KEY}/{slug}.png")
}

/// The absolute URL the flyer's QR code and printed address point to.
pub fn page_url(site: &Site, lang: Lang, key: &str) -> String {
    page_href(&site.config.base_url, lang, key)
}

/// Whether this build writes PDFs, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    /// PDFs and previews are built with this font family.
    Pdf { family: String },
    /// Built without the `pdf` cargo feature.
    NoFeature,
    /// No Japanese font was found; the message says where we looked.
    NoFont(String),
    /// Turned off in `tsunagu.toml` (`pdf_flyers = false`).
    Disabled,
}

/// Looks for fonts once per process (with the `pdf` feature).
pub fn availability(site: &Site) -> Availability {
    if !site.config.pdf_flyers {
        return Availability::Disabled;
    }
    #[cfg(feature = "pdf")]
    {
        match typeset::fonts() {
            Ok(f) => Availability::Pdf {
                family: f.family.clone(),
            },
            Err(msg) => Availability::NoFont(msg.clone()),
        }
    }
    #[cfg(not(feature = "pdf"))]
    {
        Availability::NoFeature
    }
}

/// Flyers compiled by earlier builds, by source, so only flyers whose
/// source changed are compiled again: `serve` keeps one in memory across
/// its rebuilds; `build` keeps one on disk ([`FlyerCache::in_dir`]) beside
/// its output, because typesetting is most of a one-record rebuild of a
/// site with flyers. `check` keeps none: it typesets every flyer.
#[derive(Default)]
pub struct FlyerCache {
    #[cfg(feature = "pdf")]
    compiled: typeset::CacheMap,
    /// Where compiled flyers are kept between processes, if anywhere.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    dir: Option<std::path::PathBuf>,
}

impl FlyerCache {
    /// A cache kept in files in `dir` (created when first written). Entries
    /// of flyers a build no longer has are removed.
    pub fn in_dir(dir: std::path::PathBuf) -> FlyerCache {
        FlyerCache {
            dir: Some(dir),
            ..FlyerCache::default()
        }
    }
}

/// Every flyer's PDF and PNG preview (none when PDFs are not available),
/// reusing what `cache` holds.
pub fn files(site: &Site, cache: Option<&mut FlyerCache>) -> Result<Vec<Artifact>, Diagnostics> {
    match availability(site) {
        #[cfg(feature = "pdf")]
        Availability::Pdf { family } => {
            let sources = sources(site, &family)?;
            let compiled = typeset::compile_all(&sources, cache)?;
            let mut files = Vec::with_capacity(compiled.len() * 2);
            for (src, out) in sources.iter().zip(compiled) {
                files.push(Artifact {
                    path: pdf_path(src.lang, &src.slug),
                    bytes: out.pdf.clone(),
                });
                files.push(Artifact {
                    path: preview_path(src.lang, &src.slug),
                    bytes: out.preview.clone(),
                });
            }
            Ok(files)
        }
        Availability::Disabled => Ok(Vec::new()),
        _ => {
            #[cfg(not(feature = "pdf"))]
            let _ = cache; // nothing is compiled without the `pdf` feature
            // Still check the template and strings, so a broken flyer
            // template fails every build, not only builds with fonts.
            sources(site, "sans-serif")?;
            Ok(Vec::new())
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every `t.<key>` the shipped flyer template reads is required.
    #[test]
    fn the_template_reads_only_required_strings() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/flyer.typ");
        let template = std::fs::read_to_string(path).expect("the shipped flyer template");
        let required = super::strings();
        for (i, _) in template.match_indices("t.") {
            let before = template[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let key: String = template[i + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !key.is_empty() {
                assert!(
                    required.contains(&key),
                    "t.{key} is not in flyers::strings()"
                );
            }
        }
    }
}
