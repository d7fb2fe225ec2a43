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
use crate::markdown::{MdProblem, Outline, link_key, split_target};
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
