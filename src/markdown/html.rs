//! A page's body as HTML, made from the same parse as its [`Outline`]:
//! `@/` links resolved relative to the page (checked later, against every
//! page's outline), footnote ids prefixed, tables wrapped in a labelled
//! scroll region, and no newline between blocks ([`super::compact`]).

use super::{Heading, Outline, assign_heading_ids, parse};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

/// A page's body: its HTML and its headings (for the table of contents).
pub struct Body {
    /// Compact HTML; on a site that publishes raw HTML, pulldown-cmark's
    /// HTML as it is (the page's HTML is then minified in full).
    pub html: String,
    pub headings: Vec<Heading>,
}

impl Body {
    /// The table of contents: the level-2 headings.
    pub fn toc(&self) -> impl Iterator<Item = &Heading> {
        self.headings.iter().filter(|h| h.level == 2)
    }
}

/// Parses the body `md` of a page `up` below its language's home (see
/// [`super::up_to_home`]) once: its outline, and its body unless the
/// outline holds the problem that stops rendering (nesting too deep).
/// `table_label` names table regions for screen readers when no heading
/// precedes a table; `raw_html`: whether the site publishes HTML written
/// in Markdown (`allow_raw_html` in tsunagu.toml).
pub fn read(md: &str, up: &str, table_label: &str, raw_html: bool) -> (Outline, Option<Body>) {
    let mut outline = Outline {
        len: md.len(),
        hash: crate::hash::of_bytes(md.as_bytes()),
        ..Outline::default()
    };
    let (mut events, problems) = match parse(md, raw_html) {
        Ok(parsed) => parsed,
        Err(problem) => {
            outline.problems.push(problem);
            return (outline, None);
        }
    };
    outline.problems = problems;
    let headings = assign_heading_ids(&mut events);
    outline.ids = headings.iter().map(|h| h.id.as_str().into()).collect();
    for (e, span) in events.iter_mut() {
        if let Event::Start(Tag::Link { dest_url, .. }) = e
            && let Some(target) = dest_url.strip_prefix("@/")
        {
            outline.links.push((target.into(), span.clone()));
            // Resolved without looking the target up: the outline's links
            // are checked before any page is written.
            let (path, frag) = split_target(target);
            *dest_url = CowStr::from(href(up, &link_key(path), frag));
        }
    }
    let events = rewrite_footnotes(events).into_iter();
    let events = wrap_tables(events, &headings, table_label);
    let html = match raw_html {
        false => super::compact::html(events, md.len() * 2),
        true => {
            let mut html = String::with_capacity(md.len() * 2);
            pulldown_cmark::html::push_html(&mut html, events);
            html
        }
    };
    (outline, Some(Body { html, headings }))
}

/// Normalises an `@/` link target to a page key: `@/yokohama.md` → `yokohama`.
pub(crate) fn link_key(target: &str) -> String {
    let key = target.trim_start_matches('/').trim_end_matches('/');
    let key = key.strip_suffix(".md").unwrap_or(key);
    let key = key.strip_suffix("/_index").unwrap_or(key);
    if key == "_index" {
        String::new()
    } else {
        key.to_string()
    }
}

/// An `@/` link's page and heading: `yokohama#相談` → (`yokohama`, `相談`).
pub(crate) fn split_target(target: &str) -> (&str, Option<&str>) {
    match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    }
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
    super::slugify(label)
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

/// The events with each table wrapped in a labelled scroll region, named
/// by the heading before it (or `fallback`). Lazy: the events go straight
/// to the writer (collecting them again, and growing the list by the two
/// events a table adds, was 2 % of a Markdown site's build).
fn wrap_tables<'a, 'h, I>(
    events: I,
    headings: &'h [Heading],
    fallback: &'h str,
) -> WrapTables<'a, 'h, I>
where
    I: Iterator<Item = (Event<'a>, Range<usize>)>,
{
    WrapTables {
        events,
        headings: headings.iter(),
        last_heading: None,
        fallback,
        next: None,
    }
}

/// See [`wrap_tables`].
struct WrapTables<'a, 'h, I> {
    events: I,
    headings: std::slice::Iter<'h, Heading>,
    last_heading: Option<&'h str>,
    fallback: &'h str,
    /// The event to hand over next, after the one handed over before it.
    next: Option<Event<'a>>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for WrapTables<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(e) = self.next.take() {
            return Some(e);
        }
        let (e, _) = self.events.next()?;
        match &e {
            Event::End(TagEnd::Heading(_)) => {
                self.last_heading = self.headings.next().map(|h| h.text.as_str());
            }
            Event::Start(Tag::Table(_)) => {
                let label = crate::escape::html(self.last_heading.unwrap_or(self.fallback));
                self.next = Some(e);
                return Some(Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">"
                ))));
            }
            Event::End(TagEnd::Table) => self.next = Some(Event::Html(CowStr::Borrowed("</div>"))),
            _ => {}
        }
        Some(e)
    }
}
