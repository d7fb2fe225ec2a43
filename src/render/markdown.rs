//! Markdown → HTML with pulldown-cmark, adapted to Japanese text. The HTML
//! is made by [`crate::markdown::read`], from the one parse of a page; it:
//! - makes `**強調。**` and `これは**「括弧」**です` bold: CommonMark's
//!   flanking rules leave such `**` literal next to Japanese punctuation;
//! - gives headings ids that are their own text (`## 対象者` → `id="対象者"`),
//!   not a transliteration, de-duplicated within the page;
//! - prefixes footnote ids (`fn-…`) so they cannot clash with headings;
//! - resolves `@/key#anchor` links to the page of the same language (a
//!   path relative to the page, within its language: the Japanese text of a
//!   page renders to the same HTML for the Japanese and the easy-Japanese
//!   page);
//! - wraps tables in a focusable scroll region so they never widen the page;
//! - refuses raw HTML (unless the site allows it), link and image URLs that
//!   could run code, and nesting too deep to walk.
//!
//! Here, the links are checked against every page ([`check_links`]): a
//! missing page or anchor is reported at its line and column.

use crate::lang::Lang;
use crate::markdown::{Heading, MdProblem, Outline, link_key, split_target};
use std::collections::BTreeSet;
use std::ops::Range;

mod anchors;
pub use anchors::Anchors;

/// What a Markdown page may link to.
pub struct LinkTargets<'a> {
    /// Keys of every page (they exist in both languages).
    pub keys: &'a BTreeSet<&'a str>,
    /// Heading ids of content pages, by key and language.
    pub anchors: &'a Anchors<'a>,
}

pub struct Rendered {
    /// The body's HTML, minified.
    pub html: String,
    pub headings: Vec<Heading>,
    pub problems: Vec<MdProblem>,
}

/// The problems of a page's `@/` links (found by [`crate::markdown::read`])
/// for the page in `lang`: a build checks every page, and renders only
/// those whose HTML it must write.
pub fn check_links(outline: &Outline, lang: Lang, targets: &LinkTargets) -> Vec<MdProblem> {
    outline
        .links
        .iter()
        .filter_map(|(target, span)| link_problem(target, span, lang, targets))
        .collect()
}

/// Renders `md` for a page in `lang` whose path up to its language's home
/// page is `up` (`../` from `ja/yokohama/`, see [`crate::render::up_to_home`]):
/// its body as it is written (see [`crate::markdown::read`]), and its
/// problems, its links checked against `targets` if given. `table_label`
/// names table regions for screen readers when no heading precedes a
/// table. `raw_html`: whether the site publishes HTML written in Markdown
/// (`allow_raw_html` in tsunagu.toml).
pub fn render(
    md: &str,
    lang: Lang,
    up: &str,
    targets: Option<&LinkTargets>,
    table_label: &str,
    raw_html: bool,
) -> Rendered {
    let (outline, body) = crate::markdown::read(md, up, table_label, raw_html);
    let mut problems = outline.problems.clone();
    if let Some(targets) = targets {
        problems.extend(check_links(&outline, lang, targets));
    }
    let (html, headings) = body.map_or_else(Default::default, |b| (b.html, b.headings));
    Rendered {
        html: match raw_html {
            // Raw HTML may be anything: the whole body goes through the minifier.
            true => super::minify::fragment(&html),
            false => html,
        },
        headings,
        problems,
    }
}

/// What is wrong with a link to `@/{target}` at `span` on a page in `lang`.
fn link_problem(
    target: &str,
    span: &Range<usize>,
    lang: Lang,
    targets: &LinkTargets,
) -> Option<MdProblem> {
    let (path, frag) = split_target(target);
    let key = link_key(path);
    if !targets.keys.contains(key.as_str()) {
        return Some(MdProblem {
            span: span.clone(),
            message: format!("link to `@/{target}`: there is no page `{key}`"),
            hint: "link to a file below content/ without language and extension (e.g. @/yokohama), or to a generated page (@/areas, @/hubs, …)".into(),
        });
    }
    let f = frag?;
    let ids = targets.anchors.get(&key, lang)?;
    if ids.iter().any(|id| **id == *f) {
        return None;
    }
    let mut listed: Vec<&str> = ids.iter().map(|id| &**id).collect();
    listed.sort_unstable();
    listed.dedup();
    Some(MdProblem {
        span: span.clone(),
        message: format!("link to `@/{target}`: page `{key}` ({lang}) has no heading `#{f}`"),
        hint: format!("headings there: {}", listed.join(", ")),
    })
}

#[cfg(test)]
mod tests;
