//! Markdown → HTML with pulldown-cmark, adapted to Japanese text.
//!
//! On top of CommonMark with tables and footnotes this:
//! - makes `**強調。**` and `これは**「括弧」**です` bold: CommonMark's
//!   flanking rules leave such `**` literal next to Japanese punctuation;
//! - gives headings ids that are their own text (`## 対象者` → `id="対象者"`),
//!   not a transliteration, de-duplicated within the page;
//! - prefixes footnote ids (`fn-…`) so they cannot clash with headings;
//! - resolves `@/key#anchor` links to the page of the same language and
//!   reports a missing page or anchor at its line and column;
//! - wraps tables in a focusable scroll region so they never widen the page;
//! - refuses raw HTML (unless the site allows it), link and image URLs that
//!   could run code, and nesting too deep to walk ([`safety`]).

use crate::lang::Lang;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

mod anchors;
mod compact;
mod safety;
pub use anchors::Anchors;
pub use safety::MAX_DEPTH;

/// What a Markdown page may link to.
pub struct LinkTargets<'a> {
    /// Keys of every page (they exist in both languages).
    pub keys: &'a BTreeSet<&'a str>,
    /// Heading ids of content pages, by key and language.
    pub anchors: &'a Anchors<'a>,
}

/// A problem in the Markdown at a byte range of the body.
pub struct MdProblem {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

/// A heading of the page, for tables of contents and link checks.
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

pub struct Rendered {
    /// The body's HTML, minified.
    pub html: String,
    pub headings: Vec<Heading>,
    pub problems: Vec<MdProblem>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Heading ids of a document, without rendering it (for link checking).
fn heading_ids(md: &str) -> BTreeSet<String> {
    let mut events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(md, options()).into_offset_iter().collect();
    assign_heading_ids(&mut events)
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// The problems of `md` for a page in `lang` (see [`render`]), without
/// rendering it: a build checks every page, and renders only those whose
/// HTML it must write.
pub fn check(md: &str, lang: Lang, targets: &LinkTargets, raw_html: bool) -> Vec<MdProblem> {
    match prepare(md, lang, "", Some(targets), raw_html) {
        Ok((_, problems)) => problems,
        Err(problem) => vec![problem],
    }
}

/// Renders `md` for a page in `lang` whose path to the site root is `root`
/// (e.g. `../../`). `targets`: what `@/` links may point to, or `None` when
/// [`check`] found no problem already (the links are then resolved without
/// looking them up). `table_label` names table regions for screen readers
/// when no heading precedes a table. `raw_html`: whether the site publishes
/// HTML written in Markdown (`allow_raw_html` in tsunagu.toml).
pub fn render(
    md: &str,
    lang: Lang,
    root: &str,
    targets: Option<&LinkTargets>,
    table_label: &str,
    raw_html: bool,
) -> Rendered {
    let (mut events, problems) = match prepare(md, lang, root, targets, raw_html) {
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

/// The events of `md` with emphasis fixed, unsafe HTML handled and `@/`
/// links resolved, and their problems; or the one problem (nesting too
/// deep) that stops everything else. Heading ids are left to [`render`]:
/// a check needs none.
#[allow(clippy::type_complexity)]
fn prepare<'a>(
    md: &'a str,
    lang: Lang,
    root: &str,
    targets: Option<&LinkTargets>,
    raw_html: bool,
) -> Result<(Vec<(Event<'a>, Range<usize>)>, Vec<MdProblem>), MdProblem> {
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(md, options()).into_offset_iter().collect();
    let mut events = fix_cjk_emphasis(events, md);
    if let Some(problem) = safety::too_deep(&events) {
        return Err(problem);
    }
    let mut problems = Vec::new();
    safety::check(&mut events, raw_html, &mut problems);
    resolve_links(&mut events, lang, root, targets, &mut problems);
    Ok((events, problems))
}

fn is_inline(e: &Event) -> bool {
    match e {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak => true,
        Event::FootnoteReference(_) | Event::InlineMath(_) => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// A run of `*` inside a text event that CommonMark left literal.
struct Delim {
    event: usize,
    pos: usize,
    len: usize,
    depth: i32,
    can_open: bool,
    can_close: bool,
}

/// Pairs literal `**`/`*` runs that CommonMark rejected (see module docs).
fn fix_cjk_emphasis<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    md: &str,
) -> Vec<(Event<'a>, Range<usize>)> {
    // Most pages, and most runs of inline events, have no `*` left to
    // pair: they are passed on, not copied.
    if !md.contains('*') {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut run: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    for (e, r) in events {
        if is_inline(&e) {
            run.push((e, r));
            continue;
        }
        fix_run_into(&mut out, &mut run, md);
        out.push((e, r));
    }
    fix_run_into(&mut out, &mut run, md);
    out
}

/// Moves a run of inline events to `out`, its literal `*` paired.
fn fix_run_into<'a>(
    out: &mut Vec<(Event<'a>, Range<usize>)>,
    run: &mut Vec<(Event<'a>, Range<usize>)>,
    md: &str,
) {
    let has_star = run
        .iter()
        .any(|(e, _)| matches!(e, Event::Text(t) if t.contains('*')));
    if !has_star {
        out.append(run);
        return;
    }
    // Merge adjacent text events so `**` split across events is seen whole.
    let mut merged: Vec<(Event<'a>, Range<usize>)> = Vec::with_capacity(run.len());
    for (e, r) in run.drain(..) {
        if let (Event::Text(t), Some((Event::Text(prev), pr))) = (&e, merged.last_mut())
            && pr.end == r.start
        {
            *prev = CowStr::from(format!("{prev}{t}"));
            pr.end = r.end;
            continue;
        }
        merged.push((e, r));
    }
    out.extend(fix_run(&merged, md));
}

fn fix_run<'a>(run: &[(Event<'a>, Range<usize>)], md: &str) -> Vec<(Event<'a>, Range<usize>)> {
    // Inline nesting depth after each event (text events sit at that depth).
    let depths: Vec<i32> = run
        .iter()
        .scan(0, |d, (e, _)| {
            match e {
                Event::Start(_) => *d += 1,
                Event::End(_) => *d -= 1,
                _ => {}
            }
            Some(*d)
        })
        .collect();
    let delims = delims(run, &depths, md);
    let pairs = pairs(&delims, &depths);
    if pairs.is_empty() {
        return run.to_vec();
    }
    cut(run, &delims, pairs)
}

/// Every `*` or `**` in the run's text that may open or close emphasis
/// (`depths`: the inline nesting depth after each event).
fn delims(run: &[(Event, Range<usize>)], depths: &[i32], md: &str) -> Vec<Delim> {
    let mut delims: Vec<Delim> = Vec::new();
    for (idx, (e, r)) in run.iter().enumerate() {
        let depth = depths[idx];
        if let Event::Text(t) = e {
            {
                // An asterisk written as `\*` is literal: look at the source
                // byte before it when the event is the source text verbatim.
                let verbatim = md.get(r.clone()) == Some(t.as_ref());
                let escaped = |pos: usize| {
                    verbatim && r.start + pos > 0 && md.as_bytes()[r.start + pos - 1] == b'\\'
                };
                let bytes = t.as_bytes();
                let mut p = 0;
                while p < bytes.len() {
                    if bytes[p] != b'*' {
                        p += 1;
                        continue;
                    }
                    let s = p;
                    while p < bytes.len() && bytes[p] == b'*' {
                        p += 1;
                    }
                    let len = p - s;
                    if len > 2 || escaped(s) {
                        continue;
                    }
                    let before = t[..s].chars().next_back();
                    let after = t[p..].chars().next();
                    let prev_ok = before.map_or(
                        idx > 0 && !matches!(run[idx - 1].0, Event::SoftBreak | Event::HardBreak),
                        |c| !c.is_whitespace(),
                    );
                    let next_ok = after.map_or(
                        idx + 1 < run.len()
                            && !matches!(run[idx + 1].0, Event::SoftBreak | Event::HardBreak),
                        |c| !c.is_whitespace(),
                    );
                    delims.push(Delim {
                        event: idx,
                        pos: s,
                        len,
                        depth,
                        can_open: next_ok,
                        can_close: prev_ok,
                    });
                }
            }
        }
    }
    delims
}

/// Opening and closing delimiters paired, as indexes into `delims`.
fn pairs(delims: &[Delim], depths: &[i32]) -> Vec<(usize, usize)> {
    // Pair strong first, then emphasis; only at equal depth with nothing
    // between them that closes an enclosing tag.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for len in [2, 1] {
        let mut open: Vec<usize> = Vec::new();
        for (k, d) in delims.iter().enumerate() {
            if d.len != len || pairs.iter().any(|&(a, b)| a == k || b == k) {
                continue;
            }
            let closes = open.iter().rposition(|&o| {
                delims[o].depth == d.depth
                    && depths[delims[o].event..d.event]
                        .iter()
                        .all(|&x| x >= d.depth)
            });
            match closes {
                Some(pos) if d.can_close => {
                    let o = open[pos];
                    open.truncate(pos);
                    pairs.push((o, k));
                }
                _ if d.can_open => open.push(k),
                _ => {}
            }
        }
    }
    pairs
}

/// The run with each paired delimiter cut out of its text and replaced by
/// a strong or emphasis start or end.
fn cut<'a>(
    run: &[(Event<'a>, Range<usize>)],
    delims: &[Delim],
    pairs: Vec<(usize, usize)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    // Cut points per event: (byte position, length, marker event).
    let mut cuts: BTreeMap<usize, Vec<(usize, usize, Event<'a>)>> = BTreeMap::new();
    for (o, c) in pairs {
        let (tag, end) = if delims[o].len == 2 {
            (Tag::Strong, TagEnd::Strong)
        } else {
            (Tag::Emphasis, TagEnd::Emphasis)
        };
        cuts.entry(delims[o].event).or_default().push((
            delims[o].pos,
            delims[o].len,
            Event::Start(tag),
        ));
        cuts.entry(delims[c].event).or_default().push((
            delims[c].pos,
            delims[c].len,
            Event::End(end),
        ));
    }
    let mut out = Vec::new();
    for (idx, (e, r)) in run.iter().enumerate() {
        let (Some(list), Event::Text(t)) = (cuts.get_mut(&idx), e) else {
            out.push((e.clone(), r.clone()));
            continue;
        };
        list.sort_by_key(|c| c.0);
        let mut last = 0;
        for (pos, len, marker) in list.drain(..) {
            if pos > last {
                out.push((
                    Event::Text(CowStr::from(t[last..pos].to_string())),
                    r.clone(),
                ));
            }
            out.push((marker, r.clone()));
            last = pos + len;
        }
        if last < t.len() {
            out.push((Event::Text(CowStr::from(t[last..].to_string())), r.clone()));
        }
    }
    out
}

/// A heading id: the heading's own words, lower-cased, spaces → `-`,
/// punctuation dropped; Japanese stays Japanese.
pub fn slugify(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !id.ends_with('-')
            && !id.is_empty()
        {
            id.push(if c == '_' { '_' } else { '-' });
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() { "section".into() } else { id }
}

fn assign_heading_ids(events: &mut [(Event, Range<usize>)]) -> Vec<Heading> {
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut headings = Vec::new();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 else {
            continue;
        };
        let level = *level;
        let given = id.clone();
        let mut text = String::new();
        for (e, _) in &events[i + 1..] {
            match e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let base = given
            .map(|g| g.to_string())
            .unwrap_or_else(|| slugify(&text));
        let n = used.entry(base.clone()).or_insert(0);
        let unique = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        *n += 1;
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
            *id = Some(CowStr::from(unique.clone()));
        }
        headings.push(Heading {
            level: heading_level(level),
            id: unique,
            text,
        });
    }
    headings
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
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
    root: &str,
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
        let (path, frag) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        let key = link_key(path);
        let Some(t) = targets else {
            // Checked already: every link resolves.
            *dest_url = CowStr::from(href(root, lang, &key, frag));
            continue;
        };
        if !t.keys.contains(key.as_str()) {
            problems.push(MdProblem {
                span: span.clone(),
                message: format!("link to `@/{target}`: there is no page `{key}`"),
                hint: "link to a file below content/ without language and extension (e.g. @/yokohama), or to a generated page (@/areas, @/hubs, …)".into(),
            });
            continue;
        }
        // Only a link naming a heading asks for the page's headings (a
        // tuple would find them for every link).
        if let Some(f) = frag
            && let Some(ids) = t.anchors.get(&key, lang)
            && !ids.contains(f)
        {
            problems.push(MdProblem {
                span: span.clone(),
                message: format!(
                    "link to `@/{target}`: page `{key}` ({lang}) has no heading `#{f}`"
                ),
                hint: format!(
                    "headings there: {}",
                    ids.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            });
            continue;
        }
        *dest_url = CowStr::from(href(root, lang, &key, frag));
    }
}

/// Where an `@/` link to page `key` (and heading `frag`) points.
fn href(root: &str, lang: Lang, key: &str, frag: Option<&str>) -> String {
    let mut href = format!("{root}{}", crate::render::page_path(lang, key));
    if let Some(f) = frag {
        href.push('#');
        href.push_str(f);
    }
    href
}

fn footnote_id(label: &str) -> String {
    slugify(label)
}

fn rewrite_footnotes(events: Vec<(Event, Range<usize>)>) -> Vec<(Event, Range<usize>)> {
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    for (e, _) in &events {
        if let Event::FootnoteReference(l) = e {
            let n = numbers.len() + 1;
            numbers.entry(l.to_string()).or_insert(n);
        }
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
