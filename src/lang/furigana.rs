//! Furigana (振り仮名): `<ruby>` readings over kanji on easy-Japanese pages,
//! made at build time from readings the project has, never guessed.
//!
//! Two sources of readings:
//! - the author's, written inline as `{漢字|かんじ}` (the ruby notation of
//!   でんでんマークダウン, also read by several Japanese e-book tools);
//! - [`Readings`]: words whose reading is in the data (area names, glossary
//!   terms, provider names with `kana`), marked wherever they appear.
//!
//! A kanji with neither stays bare, and [`Readings::unknown_kanji`] finds it
//! so `check` can ask the author for its reading.

use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;

mod page;

/// Whether `c` is a kanji (CJK ideograph or the repeat mark 々).
pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '々' | '〆')
}

/// Katakana → hiragana (a reading is shown in hiragana); other characters
/// are kept.
pub fn hiragana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// One `{base|reading}` of the author syntax: byte ranges in the text.
#[derive(Debug, PartialEq)]
pub struct Marked {
    /// The whole `{…|…}`.
    pub whole: Range<usize>,
    pub base: Range<usize>,
    pub reading: Range<usize>,
}

/// Every `{base|reading}` in `text`, in order. A brace pair without `|`,
/// or with an empty side, or spanning a line break, is not the syntax.
pub fn marked(text: &str) -> Vec<Marked> {
    marked_bytes(text.as_bytes())
}

/// [`marked`] in UTF-8 bytes: the syntax's characters are ASCII, so its
/// ranges fall between characters.
fn marked_bytes(text: &[u8]) -> Vec<Marked> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = memchr::memchr(b'{', &text[from..]).map(|i| from + i) {
        let rest = &text[open + 1..];
        let Some(close) = memchr::memchr3(b'}', b'{', b'\n', rest).filter(|&i| rest[i] == b'}')
        else {
            from = open + 1;
            continue;
        };
        let inner = &rest[..close];
        match memchr::memchr(b'|', inner) {
            Some(bar) if bar > 0 && bar + 1 < inner.len() && !inner[bar + 1..].contains(&b'|') => {
                let base = open + 1..open + 1 + bar;
                out.push(Marked {
                    whole: open..open + close + 2,
                    reading: base.end + 1..open + 1 + close,
                    base,
                });
            }
            _ => {}
        }
        from = open + close + 2;
    }
    out
}

/// The author syntax gone wrong in `text`, for text where braces have no
/// other use (a data record's easy text): each `{` that does not open a
/// `{base|reading}` (up to its `}` on the line, if any), each `}` that
/// closes none, and each mark whose reading has a kanji.
pub fn malformed(text: &str) -> Vec<Range<usize>> {
    let marks = marked(text);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if let Some(m) = marks.iter().find(|m| m.whole.start == i) {
            if text[m.reading.clone()].chars().any(is_kanji) {
                out.push(m.whole.clone());
            }
            i = m.whole.end;
            continue;
        }
        let next = i + c.len_utf8();
        match c {
            '{' => {
                let line = &text[next..text[next..].find('\n').map_or(text.len(), |e| next + e)];
                match line
                    .find(['{', '}'])
                    .filter(|&e| line[e..].starts_with('}'))
                {
                    Some(e) => {
                        out.push(i..next + e + 1);
                        i = next + e + 1;
                        continue;
                    }
                    None => out.push(i..next),
                }
            }
            '}' => out.push(i..next),
            _ => {}
        }
        i = next;
    }
    out
}

/// Text with the author syntax reduced to its base (for `<title>`, attribute
/// values and plain text where ruby cannot go).
pub fn strip_marks(text: &str) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let mut stripped = page::Splice::new(text.as_bytes());
    stripped.strip(0..text.len());
    String::from_utf8(stripped.finish())
        .expect("cut only at ASCII braces and bars, UTF-8 stays UTF-8")
}

/// The words and marks given ruby so far on a page: known words by their
/// place in [`Readings`] (a bit each), marks as (base, reading). Neither
/// is hashed: a page has a few dozen marks, and SipHashing each was 1 %
/// of a Markdown site's build.
#[derive(Default)]
pub struct Seen<'t> {
    words: Vec<u64>,
    marks: Vec<(&'t [u8], &'t [u8])>,
}

impl<'t> Seen<'t> {
    fn clear(&mut self) {
        self.words.clear();
        self.marks.clear();
    }

    /// Records word `i`; whether it was new.
    fn word(&mut self, i: usize) -> bool {
        let (at, bit) = (i / 64, 1 << (i % 64));
        if self.words.len() <= at {
            self.words.resize(at + 1, 0);
        }
        let new = self.words[at] & bit == 0;
        self.words[at] |= bit;
        new
    }

    /// Records a mark; whether it was new.
    fn mark(&mut self, base: &'t [u8], reading: &'t [u8]) -> bool {
        let new = !self.marks.contains(&(base, reading));
        if new {
            self.marks.push((base, reading));
        }
        new
    }
}

/// `<ruby>` for `base` read `reading` (HTML, both already escaped):
/// `<ruby>漢字<rt>かんじ</ruby>`. The `</rt>` end tag is optional before
/// `</ruby>`, and every browser shows ruby, so no `<rp>` fallback: each
/// would add 25 bytes to every one of the thousands of readings.
pub fn ruby(base: &str, reading: &str) -> String {
    format!("<ruby>{base}<rt>{reading}</ruby>")
}

/// Words with a known reading, found by the longest match at the leftmost
/// place. A national site knows some 22,000 words (provider names share
/// their first characters), so they are found by one Aho-Corasick automaton
/// pass over the text instead of by trying every word at every character.
#[derive(Debug, Default, Clone)]
pub struct Readings {
    /// (word, reading as HTML), sorted by word; the automaton's pattern `i`
    /// is `words[i].0`.
    words: Vec<(String, String)>,
    /// `None` when no word has a reading (an automaton needs one pattern).
    finder: Option<AhoCorasick>,
}

/// The words and readings are the whole value; the automaton is made from them.
impl Hash for Readings {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.words.hash(state);
    }
}

impl Readings {
    /// From (word, reading) pairs; words without a kanji are left out (they
    /// need no furigana), the reading is shown in hiragana. A word listed
    /// twice keeps its first reading.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Readings {
        let mut words: BTreeMap<&str, String> = BTreeMap::new();
        for (word, reading) in pairs {
            if reading.is_empty() || !word.chars().any(is_kanji) || words.contains_key(word) {
                continue;
            }
            words.insert(word, aligned(word, &hiragana(reading)));
        }
        let words: Vec<(String, String)> = words
            .into_iter()
            .map(|(w, html)| (w.to_string(), html))
            .collect();
        let finder = (!words.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(words.iter().map(|(w, _)| w))
                .expect("an automaton of a site's words is far below aho-corasick's size limit")
        });
        Readings { words, finder }
    }

    /// The known words in `text`: leftmost first, the longest at each place,
    /// none overlapping; as (byte range, ruby HTML).
    fn words_in<'s>(
        &'s self,
        text: &'s [u8],
    ) -> impl Iterator<Item = (Range<usize>, usize, &'s str)> + 's {
        self.finder
            .iter()
            .flat_map(move |f| f.find_iter(text))
            .map(|m| {
                let i = m.pattern().as_usize();
                (m.range(), i, self.words[i].1.as_str())
            })
    }

    /// Byte ranges of the kanji runs in `text` that get no furigana: not in
    /// a `{…|…}` and not part of a known word.
    pub fn unknown_kanji(&self, text: &str) -> Vec<Range<usize>> {
        let mut runs: Vec<Range<usize>> = Vec::new();
        let mut bare = |range: Range<usize>| {
            for (i, c) in text[range.clone()].char_indices() {
                let (start, end) = (range.start + i, range.start + i + c.len_utf8());
                match runs.last_mut() {
                    _ if !is_kanji(c) => {}
                    Some(r) if r.end == start => r.end = end,
                    _ => runs.push(start..end),
                }
            }
        };
        // As `annotate_text` reads it: the marks, and known words between.
        let mut at = 0;
        let marks = marked(text);
        let between = marks
            .iter()
            .map(|m| m.whole.clone())
            .chain(std::iter::once(text.len()..text.len()));
        for mark in between {
            let segment = at..mark.start;
            let mut from = segment.start;
            for (word, ..) in self.words_in(text[segment.clone()].as_bytes()) {
                bare(from..segment.start + word.start);
                from = segment.start + word.end;
            }
            bare(from..segment.end);
            at = mark.end;
        }
        runs
    }
}

/// Ruby for a word and its whole reading, each kanji run over its own part
/// when the kana in the word fix where the parts meet (医療的ケア,
/// いりょうてきけあ → ruby over 医療的 only); else over the whole word.
fn aligned(word: &str, reading: &str) -> String {
    // The word's runs: kanji runs (true) and the rest (false).
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in word.chars() {
        let k = is_kanji(c);
        match runs.last_mut() {
            Some((kind, s)) if *kind == k => s.push(c),
            _ => runs.push((k, c.to_string())),
        }
    }
    match split_reading(&runs, reading) {
        Some(parts) => runs
            .iter()
            .zip(parts)
            .map(|((k, s), r)| if *k { ruby(s, r) } else { s.clone() })
            .collect(),
        None => ruby(word, reading),
    }
}

/// Splits `reading` over `runs`: a kana run must match itself (in
/// hiragana), a kanji run takes at least one character. `None` if it does
/// not fit; the first fit otherwise.
fn split_reading<'r>(runs: &[(bool, String)], reading: &'r str) -> Option<Vec<&'r str>> {
    let Some(((kanji, run), rest)) = runs.split_first() else {
        return reading.is_empty().then(Vec::new);
    };
    let candidates: Vec<usize> = if *kanji {
        reading
            .char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .chain([reading.len()])
            .collect()
    } else {
        let own = hiragana(run);
        if reading.starts_with(&own) {
            vec![own.len()]
        } else {
            Vec::new()
        }
    };
    candidates.into_iter().find_map(|at| {
        let mut parts = split_reading(rest, &reading[at..])?;
        parts.insert(0, &reading[..at]);
        Some(parts)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings() -> Readings {
        Readings::new([
            ("横浜市", "よこはまし"),
            ("横浜市鶴見区", "よこはましつるみく"),
            ("医療的ケア", "いりょうてきけあ"),
            ("ケア", "けあ"),
        ])
    }

    /// `html` annotated as a whole page (or as its first text, when it
    /// has no tag).
    fn annotated(html: &str) -> String {
        String::from_utf8(readings().annotate_html(html.as_bytes())).unwrap()
    }

    #[test]
    fn author_syntax_becomes_ruby() {
        assert_eq!(
            annotated("{相談|そうだん}します。{ }と{a|}"),
            "<ruby>相談<rt>そうだん</ruby>します。{ }と{a|}"
        );
    }

    #[test]
    fn known_words_take_the_longest_match_and_align_kana() {
        // The second 医療的ケア is on the page already with its ruby.
        assert_eq!(
            annotated("横浜市鶴見区の医療的ケア、医療的ケア"),
            "<ruby>横浜市鶴見区<rt>よこはましつるみく</ruby>の<ruby>医療的<rt>いりょうてき</ruby>ケア、医療的ケア"
        );
    }

    #[test]
    fn html_tags_titles_and_scripts_are_not_annotated() {
        // The script comes first: its 横浜市 would take the page's ruby.
        let html =
            "<title>{区|く}の横浜市</title><script>横浜市</script><a title=\"{区|く}\">横浜市</a>";
        assert_eq!(
            annotated(html),
            "<title>区の横浜市</title><script>横浜市</script><a title=\"区\"><ruby>横浜市<rt>よこはまし</ruby></a>"
        );
    }

    #[test]
    fn element_names_are_told_apart_in_any_case_and_marks_anywhere() {
        // A mark after plain text, in a tag and in a title written in
        // capitals; a script in mixed case left as it is.
        let html = "<P>区の<TITLE>{区|く}</TITLE><a title=\"x{区|く}\">{区|く}</a><Script>{区|く}</sCRIPT>";
        assert_eq!(
            annotated(html),
            "<P>区の<TITLE>区</TITLE><a title=\"x区\"><ruby>区<rt>く</ruby></a><Script>{区|く}</sCRIPT>"
        );
    }

    #[test]
    fn a_word_gets_ruby_once_in_the_header_and_once_in_main() {
        let html = "<nav>横浜市、横浜市</nav><main><h1>横浜市</h1><p>横浜市</main><footer>横浜市";
        let r = "<ruby>横浜市<rt>よこはまし</ruby>";
        assert_eq!(
            annotated(html),
            format!("<nav>{r}、横浜市</nav><main><h1>{r}</h1><p>横浜市</main><footer>横浜市")
        );
    }

    #[test]
    fn an_author_mark_gets_ruby_once_in_the_header_and_once_in_main() {
        let html = "<nav>{相談|そうだん}、{相談|そうだん}</nav><main><p>{相談|そうだん}と{相談|そうだん}<a title=\"{相談|そうだん}\">x</a>";
        let r = "<ruby>相談<rt>そうだん</ruby>";
        assert_eq!(
            annotated(html),
            format!("<nav>{r}、相談</nav><main><p>{r}と相談<a title=\"相談\">x</a>")
        );
    }

    #[test]
    fn malformed_marks_are_found_and_well_formed_ones_are_not() {
        let text = "{相談|そうだん}と{支援}と{区|}と{市|市}と{く|く}}と{よ";
        let found: Vec<&str> = malformed(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["{支援}", "{区|}", "{市|市}", "}", "{"]);
        assert!(malformed("{区役所|くやくしょ}です。").is_empty());
    }

    #[test]
    fn unknown_kanji_runs_are_found_and_known_ones_are_not() {
        let text = "横浜市で{相談|そうだん}する。支援拠点です。";
        let runs = readings().unknown_kanji(text);
        let found: Vec<&str> = runs.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(found, ["支援拠点"]);
        assert!(
            readings()
                .unknown_kanji("横浜市で{相談|そうだん}します。")
                .is_empty()
        );
    }
}
