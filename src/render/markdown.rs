//! Markdown → HTML with pulldown-cmark, adapted to Japanese text.
//!
//! On top of CommonMark with tables and footnotes (as [`crate::markdown`]
//! parses it) this:
//! - makes `**強調。**` and `これは**「括弧」**です` bold: CommonMark's
//!   flanking rules leave such `**` literal next to Japanese punctuation;
//! - gives headings ids that are their own text (`## 対象者` → `id="対象者"`),
//!   not a transliteration, de-duplicated within the page;
//! - prefixes footnote ids (`fn-…`) so they cannot clash with headings;
//! - resolves `@/key#anchor` links to the page of the same language (a
//!   path relative to the page, within its language: the Japanese text of a
//!   page renders to the same HTML for the Japanese and the easy-Japanese
//!   page) and reports a missing page or anchor at its line and column;
//! - wraps tables in a focusable scroll region so they never widen the page;
//! - refuses raw HTML (unless the site allows it), link and image URLs that
//!   could run code, and nesting too deep to walk.

use crate::lang::Lang;
use crate::markdown::{Heading, MdProblem};
use crate::markdown::{Outline, assign_heading_ids};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

mod anchors;
mod compact;
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

/// The problems of a page's `@/` links (found by [`crate::markdown::scan`])
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
/// page is `up` (`../` from `ja/yokohama/`, see [`crate::render::up_to_home`]).
/// `targets`: what `@/` links may point to, or `None` when [`check_links`]
/// found no problem already (the links are then resolved without looking
/// them up). `table_label` names table regions for screen readers
/// when no heading precedes a table. `raw_html`: whether the site publishes
/// HTML written in Markdown (`allow_raw_html` in tsunagu.toml).
pub fn render(
    md: &str,
    lang: Lang,
    up: &str,
    targets: Option<&LinkTargets>,
    table_label: &str,
    raw_html: bool,
) -> Rendered {
    let (mut events, problems) = match prepare(md, lang, up, targets, raw_html) {
        Ok(prepared) => prepared,
        Err(problem) => {
            return Rendered {
                html: String::new(),
                headings: Vec::new(),
                problems: vec![problem],
            };
        }
    };
    let headings = assign_heading_ids(&mut events);
    let events = rewrite_footnotes(events);
    let events = wrap_tables(events, &headings, table_label);
    let events = events.into_iter().map(|(e, _)| e);
    let html = match raw_html {
        false => compact::html(events, md.len() * 2),
        // Raw HTML may be anything: the whole body goes through the minifier.
        true => {
            let mut html = String::with_capacity(md.len() * 2);
            pulldown_cmark::html::push_html(&mut html, events);
            super::minify::fragment(&html)
        }
    };
    Rendered {
        html,
        headings,
        problems,
    }
}

/// The events of `md` (see [`crate::markdown::parse`]) with `@/` links
/// resolved, and their problems; or the one problem that stops the rest.
#[allow(clippy::type_complexity)]
fn prepare<'a>(
    md: &'a str,
    lang: Lang,
    up: &str,
    targets: Option<&LinkTargets>,
    raw_html: bool,
) -> Result<(Vec<(Event<'a>, Range<usize>)>, Vec<MdProblem>), MdProblem> {
    let (mut events, mut problems) = crate::markdown::parse(md, raw_html)?;
    resolve_links(&mut events, lang, up, targets, &mut problems);
    Ok((events, problems))
}

/// Normalises an `@/` link target to a page key: `@/yokohama.md` → `yokohama`.
fn link_key(target: &str) -> String {
    let key = target.trim_start_matches('/').trim_end_matches('/');
    let key = key.strip_suffix(".md").unwrap_or(key);
    let key = key.strip_suffix("/_index").unwrap_or(key);
    if key == "_index" {
        String::new()
    } else {
        key.to_string()
    }
}

fn resolve_links(
    events: &mut [(Event, Range<usize>)],
    lang: Lang,
    up: &str,
    targets: Option<&LinkTargets>,
    problems: &mut Vec<MdProblem>,
) {
    for (e, span) in events.iter_mut() {
        let Event::Start(Tag::Link { dest_url, .. }) = e else {
            continue;
        };
        let Some(target) = dest_url.strip_prefix("@/") else {
            continue;
        };
        // Without targets, checked already: every link resolves.
        if let Some(problem) = targets.and_then(|t| link_problem(target, span, lang, t)) {
            problems.push(problem);
            continue;
        }
        let (path, frag) = split_target(target);
        *dest_url = CowStr::from(href(up, &link_key(path), frag));
    }
}

/// An `@/` link's page and heading: `yokohama#相談` → (`yokohama`, `相談`).
fn split_target(target: &str) -> (&str, Option<&str>) {
    match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
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

/// Where an `@/` link to page `key` (and heading `frag`) points from a page
/// `up` below its language's home.
fn href(up: &str, key: &str, frag: Option<&str>) -> String {
    let mut href = match key {
        "" if up.is_empty() => "./".to_string(),
        "" => up.to_string(),
        _ => format!("{up}{key}/"),
    };
    if let Some(f) = frag {
        href.push('#');
        href.push_str(f);
    }
    href
}

fn footnote_id(label: &str) -> String {
    crate::markdown::slugify(label)
}

fn rewrite_footnotes(events: Vec<(Event, Range<usize>)>) -> Vec<(Event, Range<usize>)> {
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    let mut definitions = false;
    for (e, _) in &events {
        match e {
            Event::FootnoteReference(l) => {
                let n = numbers.len() + 1;
                numbers.entry(l.to_string()).or_insert(n);
            }
            Event::Start(Tag::FootnoteDefinition(_)) => definitions = true,
            _ => {}
        }
    }
    // Most pages have none: their events stay where they are (moving every
    // event through the rewrite was 1.2 % of a Markdown site's build).
    if numbers.is_empty() && !definitions {
        return events;
    }
    let mut refs_seen: BTreeMap<String, usize> = BTreeMap::new();
    events
        .into_iter()
        .map(|(e, r)| {
            let html = match &e {
                Event::FootnoteReference(l) => {
                    let id = footnote_id(l);
                    let n = numbers[&l.to_string()];
                    let k = refs_seen.entry(l.to_string()).or_insert(0);
                    *k += 1;
                    let ref_id = if *k == 1 { format!("fnref-{id}") } else { format!("fnref-{id}-{k}") };
                    format!("<sup class=\"footnote-ref\" id=\"{ref_id}\"><a href=\"#fn-{id}\">[{n}]</a></sup>")
                }
                Event::Start(Tag::FootnoteDefinition(l)) => {
                    let id = footnote_id(l);
                    let n = numbers.get(&l.to_string()).map_or(String::from("*"), usize::to_string);
                    format!("<div class=\"footnote\" id=\"fn-{id}\"><span class=\"footnote-label\"><a href=\"#fnref-{id}\">[{n}]</a></span>")
                }
                Event::End(TagEnd::FootnoteDefinition) => "</div>".to_string(),
                _ => return (e, r),
            };
            (Event::Html(CowStr::from(html)), r)
        })
        .collect()
}

fn wrap_tables<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    headings: &[Heading],
    fallback: &str,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len());
    let mut heading_idx = 0;
    let mut last_heading: Option<&str> = None;
    for (e, r) in events {
        match &e {
            Event::End(TagEnd::Heading(_)) => {
                last_heading = headings.get(heading_idx).map(|h| h.text.as_str());
                heading_idx += 1;
                out.push((e, r));
            }
            Event::Start(Tag::Table(_)) => {
                let label = super::escape::html(last_heading.unwrap_or(fallback));
                out.push((Event::Html(CowStr::from(format!("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">"))), r.clone()));
                out.push((e, r));
            }
            Event::End(TagEnd::Table) => {
                out.push((e, r.clone()));
                out.push((Event::Html(CowStr::from("</div>")), r));
            }
            _ => out.push((e, r)),
        }
    }
    out
}

#[cfg(test)]
mod tests;
