//! The Markdown pages are written in: CommonMark with tables, footnotes,
//! strikethrough and heading ids, parsed with pulldown-cmark, with
//! emphasis next to Japanese punctuation made to work and whatever could
//! run code or exhaust a stack refused ([`parse`]).
//!
//! A page is parsed once, when it is loaded ([`read`]): into its outline,
//! what the later stages ask about (its heading ids, its `@/` links, its
//! problems), and its body's HTML, which waits in a scratch file until the
//! page is written ([`Bodies`]). Keeping neither the text nor the HTML in
//! memory is most of a Markdown site's memory (41 MB of 20,000 pages).

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

mod bodies;
mod compact;
mod emphasis;
mod html;
mod safety;
pub use bodies::{Bodies, BodyRef, StoredBody};
pub use html::{Body, read};
pub(crate) use html::{link_key, split_target};
pub use safety::MAX_DEPTH;

/// A problem in the Markdown at a byte range of the body.
#[derive(Debug, Clone, Hash)]
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

/// What a page's Markdown holds that other stages ask about, found by
/// [`read`]; and which text it was found in.
#[derive(Debug, Clone, Hash, Default)]
pub struct Outline {
    /// Heading ids, in order (what `@/key#id` may name).
    pub ids: Vec<Box<str>>,
    /// `@/` links: what follows `@/`, and the link's bytes in the body.
    pub links: Vec<(Box<str>, Range<usize>)>,
    /// What is wrong in the page itself (unsafe HTML or URLs, nesting).
    pub problems: Vec<MdProblem>,
    /// The body's length in bytes, and its hash.
    pub len: usize,
    pub hash: u64,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The events of `md` with emphasis fixed and unsafe HTML and URLs made
/// harmless, and their problems; or the one problem (nesting too deep)
/// that stops everything else. `raw_html`: whether the site publishes
/// HTML written in Markdown (`allow_raw_html` in tsunagu.toml).
#[allow(clippy::type_complexity)]
pub fn parse(
    md: &str,
    raw_html: bool,
) -> Result<(Vec<(Event<'_>, Range<usize>)>, Vec<MdProblem>), MdProblem> {
    // Room for a typical page's events at once (about one per 18 bytes of
    // Markdown), not grown from four by copying.
    let mut events: Vec<(Event, Range<usize>)> = Vec::with_capacity(md.len() / 12 + 16);
    events.extend(Parser::new_ext(md, options()).into_offset_iter());
    let mut events = emphasis::fix_cjk_emphasis(events, md);
    if let Some(problem) = safety::too_deep(&events) {
        return Err(problem);
    }
    let mut problems = Vec::new();
    safety::check(&mut events, raw_html, &mut problems);
    Ok((events, problems))
}

/// The relative path from a page up to its language's home page (`ja/`):
/// `../` from `ja/yokohama/`, nothing from `ja/` itself.
pub fn up_to_home(key: &str) -> String {
    "../".repeat(levels_below_home(key))
}

/// How many directories the page `key` sits below its language's home.
pub fn levels_below_home(key: &str) -> usize {
    match key {
        "" => 0,
        _ => key.bytes().filter(|&b| b == b'/').count() + 1,
    }
}

/// A heading id: the heading's own words, lower-cased, spaces → `-`,
/// punctuation dropped; Japanese stays Japanese.
pub fn slugify(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if is_kana_or_kanji(c) {
            // Letters without case: Unicode's tables, looked up for each
            // character, were 2 % of a Markdown site's build.
            id.push(c);
        } else if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !id.ends_with('-')
            && !id.is_empty()
        {
            id.push(if c == '_' { '_' } else { '-' });
        }
    }
    id.truncate(id.trim_end_matches('-').len());
    if id.is_empty() { "section".into() } else { id }
}

/// Hiragana, katakana (not the middle dot `・`) and the common kanji
/// blocks: letters that are their own lower case.
fn is_kana_or_kanji(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | 'ゝ'..='ゟ' | 'ァ'..='ヺ' | 'ー'..='ヿ' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

/// Gives each heading of `events` its id (its own `{#id}`, or its words,
/// made unique within the page) and returns the headings.
pub fn assign_heading_ids(events: &mut [(Event, Range<usize>)]) -> Vec<Heading> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana_and_kanji_take_the_fast_path_only_where_unicode_agrees() {
        let fast: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_kana_or_kanji(c))
            .collect();
        // The blocks' letters, and nothing that is punctuation (`・`, `゠`).
        assert_eq!(
            fast.len(),
            0x3097 - 0x3041 + 3 + 0x30FB - 0x30A1 + 4 + 0x4DC0 - 0x3400 + 0xA000 - 0x4E00
        );
        for c in fast {
            assert!(c.is_alphanumeric(), "{c:?} is not a letter");
            assert!(c.to_lowercase().eq([c]), "{c:?} has a lower case");
        }
    }

    #[test]
    fn ids_keep_japanese_and_lower_other_letters() {
        assert_eq!(slugify("対象者（A〜F）"), "対象者af");
        assert_eq!(slugify("ケア・サービス Ⅳ"), "ケアサービス-ⅳ");
        assert_eq!(slugify(" Who is ÉLIGIBLE? "), "who-is-éligible");
        assert_eq!(slugify("ー々〆"), "ー々〆");
        assert_eq!(slugify("！？"), "section");
    }
}
