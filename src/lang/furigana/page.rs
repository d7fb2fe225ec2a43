//! [`Readings::annotate_html`]: furigana on a rendered page.

use super::{Readings, Seen, marked_bytes};
use std::ops::Range;

impl Readings {
    /// A rendered page with furigana: ruby in text (on a word's first
    /// occurrence in the header and again on its first in `<main>` and
    /// after it, so the page's own heading is read even when the
    /// breadcrumbs named it first: a table of 60 municipalities repeats its
    /// names, labels and sources on every row, and ruby on each would
    /// double the page), the author syntax
    /// reduced to its base in tags (attribute values), `<title>` and SVG;
    /// scripts, styles and existing ruby are left alone.
    pub fn annotate_html(&self, html: &[u8]) -> Vec<u8> {
        // Bytes in, bytes out: tera writes bytes, the page is written as
        // bytes, and the tags and marks are found by their ASCII (checking
        // that a page is UTF-8 on the way was 3 % of a national build).
        let mut page = Splice::new(html);
        // The element whose text is not annotated, while inside it.
        let mut skip: Option<Element> = None;
        let mut seen = Seen::default();
        let mut at = 0;
        while at < html.len() {
            let open = memchr::memchr(b'<', &html[at..]).map_or(html.len(), |i| at + i);
            match skip {
                None => self.annotate_text(&mut page, at..open, &mut seen),
                Some(Element::Title | Element::Svg) => page.strip(at..open),
                Some(_) => {}
            }
            if open == html.len() {
                break;
            }
            let end = memchr::memchr(b'>', &html[open..]).map_or(html.len(), |i| open + i + 1);
            let tag = &html[open..end];
            let element = Element::of(tag);
            let closing = tag.starts_with(b"</");
            if element == Element::Main && !closing {
                seen.clear();
            }
            match skip {
                Some(s) if closing && element == s => skip = None,
                None if !closing && element.is_raw() => skip = Some(element),
                _ => {}
            }
            let script = [Element::Script, Element::Style].contains(&element);
            if skip != Some(Element::Script) && !script {
                page.strip(open..end);
            }
            at = end;
        }
        page.finish()
    }

    /// Ruby on the author's marks and on known words in the text (HTML-
    /// escaped already) at `range` of the page, each not in `seen` (the
    /// words given ruby earlier on the page, to which it adds).
    fn annotate_text<'t>(&self, page: &mut Splice<'t>, range: Range<usize>, seen: &mut Seen<'t>) {
        let src = page.src;
        let text = &src[range.clone()];
        let marks = page.brace_in(&range);
        // Most text between tags (spaces, numbers, kana, English) has no
        // kanji, whose UTF-8 all starts at 0xE3 or above, and no mark: it
        // is passed over without the two searches.
        if !marks && !text.iter().any(|&b| b >= 0xE3) {
            return;
        }
        let mut at = range.start;
        for m in marks.then(|| marked_bytes(text)).into_iter().flatten() {
            let whole = range.start + m.whole.start..range.start + m.whole.end;
            self.annotate_words(page, at..whole.start, seen);
            let base = &text[m.base.clone()];
            let reading = &text[m.reading.clone()];
            match seen.mark(base, reading) {
                true => page.replace(
                    whole.clone(),
                    &[b"<ruby>", base, b"<rt>", reading, b"</ruby>"],
                ),
                false => page.replace(whole.clone(), &[base]),
            }
            at = whole.end;
        }
        self.annotate_words(page, at..range.end, seen);
    }

    fn annotate_words(&self, page: &mut Splice, range: Range<usize>, seen: &mut Seen) {
        let src = page.src;
        for (word, i, html) in self.words_in(&src[range.clone()]) {
            if seen.word(i) {
                let word = range.start + word.start..range.start + word.end;
                page.replace(word, &[html.as_bytes()]);
            }
        }
    }
}

/// The elements [`Readings::annotate_html`] tells apart: by name, in any case.
#[derive(Clone, Copy, PartialEq)]
enum Element {
    Main,
    Script,
    Style,
    Title,
    Textarea,
    Ruby,
    Svg,
    Other,
}

impl Element {
    /// The element a tag (`<main id=…>`, `</svg>`) opens or closes.
    fn of(tag: &[u8]) -> Element {
        let name = &tag[tag.iter().take_while(|&&b| b == b'<' || b == b'/').count()..];
        let len = name
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        // Told apart by length first: most tags (`a`, `li`, `span`) are
        // none of these.
        let names: &[(&str, Element)] = match len {
            3 => &[("svg", Element::Svg)],
            4 => &[("main", Element::Main), ("ruby", Element::Ruby)],
            5 => &[("style", Element::Style), ("title", Element::Title)],
            6 => &[("script", Element::Script)],
            8 => &[("textarea", Element::Textarea)],
            _ => &[],
        };
        let name = &name[..len];
        names
            .iter()
            .find(|(n, _)| name.eq_ignore_ascii_case(n.as_bytes()))
            .map_or(Element::Other, |&(_, e)| e)
    }

    /// Whether its text takes no ruby (SVG text cannot hold it).
    fn is_raw(self) -> bool {
        !matches!(self, Element::Main | Element::Other)
    }
}

/// A page being annotated (or a text stripped, [`super::strip_marks`]):
/// the bytes between changes are copied in one go when the next change
/// comes (copying each tag and text on its own was most of the
/// annotation's time).
pub(super) struct Splice<'t> {
    src: &'t [u8],
    out: Vec<u8>,
    /// Where in `src` the copying left off.
    from: usize,
    /// The first `{` (a mark may start there) at or after the last range
    /// asked about: the page is searched once, not each tag and text.
    brace: usize,
}

impl<'t> Splice<'t> {
    pub(super) fn new(src: &'t [u8]) -> Self {
        Splice {
            src,
            out: Vec::with_capacity(src.len() + src.len() / 4),
            from: 0,
            brace: memchr::memchr(b'{', src).unwrap_or(src.len()),
        }
    }

    /// Whether `range` (at or after the last range asked about) holds a `{`.
    fn brace_in(&mut self, range: &Range<usize>) -> bool {
        if self.brace < range.start {
            let rest = &self.src[range.start..];
            self.brace = memchr::memchr(b'{', rest).map_or(self.src.len(), |i| range.start + i);
        }
        self.brace < range.end
    }

    /// Writes `parts` in place of `range` (at or after the last change).
    fn replace(&mut self, range: Range<usize>, parts: &[&[u8]]) {
        self.out
            .extend_from_slice(&self.src[self.from..range.start]);
        for part in parts {
            self.out.extend_from_slice(part);
        }
        self.from = range.end;
    }

    /// The author syntax in `range` reduced to its base.
    pub(super) fn strip(&mut self, range: Range<usize>) {
        if !self.brace_in(&range) {
            return;
        }
        let text = &self.src[range.clone()];
        for m in marked_bytes(text) {
            let base = &text[m.base];
            self.replace(
                range.start + m.whole.start..range.start + m.whole.end,
                &[base],
            );
        }
    }

    pub(super) fn finish(mut self) -> Vec<u8> {
        self.out.extend_from_slice(&self.src[self.from..]);
        self.out
    }
}
