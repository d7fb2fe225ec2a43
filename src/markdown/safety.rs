//! What an author's Markdown may put in front of a reader: no raw HTML
//! unless the site allows it, no link or image URL with a scheme that can
//! run code (`javascript:`, `data:`, `vbscript:` …), and no nesting deep
//! enough to exhaust the stack of whatever walks the page afterwards.
//!
//! Each problem is reported at its place in the Markdown; the offending
//! event is also made harmless, so the HTML never carries it even if a
//! caller ignored the problems.

use super::MdProblem;
use pulldown_cmark::{CowStr, Event, Tag};
use std::ops::Range;

/// Deepest nesting of blocks and inline spans a page may have. Real pages
/// stay under ten; a thousand nested quotes overflowed the minifier's stack.
pub const MAX_DEPTH: usize = 100;

/// URL schemes a Markdown link or image may use (besides relative and `@/` links).
const SCHEMES: &[&str] = &["https", "http", "mailto", "tel"];

/// The first place the nesting of `events` goes past [`MAX_DEPTH`], as a
/// problem: such a page is not rendered at all.
pub fn too_deep(events: &[(Event, Range<usize>)]) -> Option<MdProblem> {
    let mut depth = 0usize;
    for (e, span) in events {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Some(MdProblem {
                span: span.clone(),
                message: format!("Markdown nested more than {MAX_DEPTH} levels deep"),
                hint: "flatten the lists, quotes or emphasis here; no page needs this depth".into(),
            });
        }
    }
    None
}

/// Reports raw HTML (unless `raw_html` allows it) and unsafe link and image
/// URLs, and defuses them: raw HTML becomes text, a bad URL becomes `#`.
/// HTML comments are dropped quietly: they are an author's notes.
pub fn check(
    events: &mut Vec<(Event, Range<usize>)>,
    raw_html: bool,
    problems: &mut Vec<MdProblem>,
) {
    let mut previous_was_html = false;
    events.retain(
        |(e, _)| !matches!(e, Event::Html(h) | Event::InlineHtml(h) if !raw_html && is_comment(h)),
    );
    for (e, span) in events.iter_mut() {
        let is_html = matches!(e, Event::Html(_) | Event::InlineHtml(_));
        let is_block = matches!(e, Event::Html(_));
        match e {
            Event::Html(h) | Event::InlineHtml(h) if !raw_html => {
                // A block of HTML arrives line by line: report it once.
                if !(previous_was_html && is_block) {
                    problems.push(MdProblem {
                        span: span.clone(),
                        message: format!("raw HTML is not published: `{}`", first_line(h)),
                        hint: "write it in Markdown; a site whose every author is trusted may set allow_raw_html = true in tsunagu.toml (raw HTML can run scripts in every reader's browser)".into(),
                    });
                }
                *e = Event::Text(h.clone());
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if let Err(message) = check_url(dest_url) {
                    problems.push(MdProblem {
                        span: span.clone(),
                        message,
                        hint: "link to https://…, http://…, mailto:…, tel:…, a relative path or a page (@/key)".into(),
                    });
                    *dest_url = CowStr::Borrowed("#");
                }
            }
            _ => {}
        }
        previous_was_html = is_html;
    }
}

fn is_comment(html: &str) -> bool {
    let h = html.trim();
    h.starts_with("<!--") && h.ends_with("-->") && h.matches("-->").count() == 1
}

fn first_line(s: &str) -> String {
    let line = s.trim().lines().next().unwrap_or("");
    line.chars().take(60).collect()
}

/// A link or image URL: relative, `@/…`, `#…`, or one of [`SCHEMES`]; a
/// `mailto:` without header fields (`?subject=`, `bcc=` …), a `tel:` of
/// digits. Browsers ignore tabs, newlines and leading control characters
/// in a URL (`java\tscript:` is `javascript:`), so they are ignored here too.
pub fn check_url(url: &str) -> Result<(), String> {
    let seen: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let end = seen.find(['/', '?', '#']).unwrap_or(seen.len());
    let Some(colon) = seen[..end].find(':') else {
        return Ok(()); // relative
    };
    let (scheme, rest) = (seen[..colon].to_ascii_lowercase(), &seen[colon + 1..]);
    if !SCHEMES.contains(&scheme.as_str()) {
        return Err(format!(
            "link to `{url}`: the `{scheme}:` scheme is not allowed"
        ));
    }
    match scheme.as_str() {
        "mailto" if rest.contains(['?', '&']) || !rest.contains('@') => Err(format!(
            "link to `{url}`: write a plain address (mailto:name@example.org), without ?subject=, bcc= or body="
        )),
        "tel"
            if rest.is_empty()
                || !rest
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '-' || c == '+') =>
        {
            Err(format!(
                "link to `{url}`: a tel: link is digits and hyphens"
            ))
        }
        _ => Ok(()),
    }
}
