//! pulldown-cmark's HTML without the newlines it puts between blocks: the
//! page body, minified as it is written.
//!
//! Minifying each page's body after writing it was a sixth of a Markdown
//! site's build. pulldown-cmark's HTML is already compact: its only
//! whitespace a reader cannot see is the newline it writes before and after
//! block tags (`\n<p>`, `</li>\n`, `<ul>\n`), which [`Compact`] leaves out as
//! it is written, and the newline of a soft line break, written as a space.
//! Text, code blocks and attribute values are written exactly as
//! pulldown-cmark writes them. Raw HTML is not handled here: a site that
//! publishes it has its pages' HTML minified in full.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::cell::Cell;
use std::fmt;

/// The HTML of `events`, with no newline between blocks.
pub fn html<'a>(events: impl Iterator<Item = Event<'a>>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let block = Cell::new(false);
    // The writer learns from `block` whether the event it is writing is a
    // block tag: the iterator sets it as it hands each event over.
    let events = events.map(|e| {
        block.set(is_block_tag(&e));
        match e {
            Event::SoftBreak => Event::Text(CowStr::Borrowed(" ")),
            e => e,
        }
    });
    let writer = Compact {
        out: &mut out,
        block: &block,
    };
    // Writing to a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(writer, events);
    out
}

/// Whether pulldown-cmark writes `e` as a block tag (with newlines around
/// it), not as text, code or an inline tag.
fn is_block_tag(e: &Event) -> bool {
    match e {
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => !matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        Event::Rule | Event::HardBreak => true,
        _ => false,
    }
}

/// Writes what pulldown-cmark writes, less the newlines around block tags.
struct Compact<'o> {
    out: &'o mut String,
    block: &'o Cell<bool>,
}

impl fmt::Write for Compact<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if !self.block.get() {
            self.out.push_str(s);
            return Ok(());
        }
        // A block tag's text is markup pulldown-cmark wrote, and ids from
        // headings: a newline in it is one of its own around a tag.
        let s = s.strip_prefix('\n').unwrap_or(s);
        let s = s.strip_suffix('\n').unwrap_or(s);
        self.out.push_str(s);
        Ok(())
    }
}
