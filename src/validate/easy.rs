//! The check of やさしい日本語 text: easy pages, easy UI strings and the
//! easy texts of data records (`easy = "…"` beside `ja` and `en`). Kanji
//! without a reading (so they get no furigana) and the readability rules
//! ([`crate::lang::readability`]), each finding at its file:line:col with a
//! hint. Warnings, or errors with `[easy] strict = true`. Malformed
//! furigana notation in a data text is always an error.

use super::Validator;
use crate::config::EasyConfig;
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::lang::furigana::{self, Readings};
use crate::lang::readability::{self, Limits};
use crate::load::{Inputs, SourceText, Spanned};
use crate::model::Term;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Where a text lies in its file, for placing findings in it.
#[derive(Debug, Clone)]
pub(super) enum Place {
    /// Written as is from this byte on: a finding goes at its own offset.
    From(usize),
    /// A TOML string with escapes, whose offsets are not the text's: every
    /// finding goes at the whole string.
    Whole(Range<usize>),
}

impl Place {
    /// Where a TOML string value (its span includes the quotes) holds `value`.
    fn of_toml_string(file: &str, span: Range<usize>, value: &str) -> Place {
        let raw = file.get(span.clone()).unwrap_or("");
        // Where the text may start: after the quotes, and in a multi-line
        // string after the line break that follows them (dropped).
        let starts: &[usize] = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            &[3, 4, 5]
        } else {
            &[1]
        };
        match starts
            .iter()
            .find(|&&q| raw.get(q..q + value.len()) == Some(value))
        {
            Some(q) => Place::From(span.start + q),
            None => Place::Whole(span),
        }
    }

    fn range(&self, r: Range<usize>) -> Range<usize> {
        match self {
            Place::From(start) => start + r.start..start + r.end,
            Place::Whole(span) => span.clone(),
        }
    }
}

/// A data record's easy text, checked once every reading is known.
#[derive(Debug)]
pub(super) struct DataEasyText {
    file: PathBuf,
    place: Place,
    text: String,
}

/// What the readability rules need besides the text.
struct Rules {
    limits: Limits,
    /// Loanwords the glossary explains.
    known: BTreeSet<String>,
    strict: bool,
}

impl Validator {
    /// Checks every easy page, the easy UI strings and the data records'
    /// easy texts (gathered by [`Validator::easy_data`]).
    pub(super) fn easy_text(
        &mut self,
        inputs: &Inputs,
        config: &EasyConfig,
        readings: &Readings,
        glossary: &[Term],
    ) {
        let rules = Rules {
            limits: Limits {
                max_sentence_chars: config.max_sentence_chars,
                max_kanji: config.max_kanji,
            },
            known: glossary
                .iter()
                .flat_map(|t| readability::katakana_words(&t.term.ja))
                .map(|(_, w)| w.to_string())
                .collect(),
            strict: config.strict,
        };
        for p in inputs.pages.iter().filter(|p| p.lang == Lang::Easy) {
            let mut in_code = false;
            let mut at = p.body_offset;
            for line in p.file.text[p.body_offset..].split_inclusive('\n') {
                let start = at;
                at += line.len();
                let trimmed = line.trim_start();
                if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                    in_code = !in_code;
                }
                if in_code
                    || trimmed.is_empty()
                    || trimmed.starts_with('|')
                    || trimmed.starts_with("```")
                {
                    continue;
                }
                let lead = line.len() - trimmed.len();
                // Headings and list items are phrases: only prose must end
                // in です・ます.
                let (prose, skip) = match trimmed.split_once(' ') {
                    Some((m, _)) if m.chars().all(|c| c == '#') => (false, m.len() + 1),
                    Some(("-" | "*" | "+", _)) => (false, 2),
                    Some((m, _))
                        if m.ends_with('.')
                            && m[..m.len() - 1].chars().all(|c| c.is_ascii_digit()) =>
                    {
                        (false, m.len() + 1)
                    }
                    _ => (true, 0),
                };
                let text_start = start + lead + skip;
                let text = p.file.text[text_start..start + line.len()].trim_end();
                let place = Place::From(text_start);
                self.unknown_kanji(&p.file, &place, text, readings, config.strict);
                self.readability(&p.file, &place, text, prose, &rules);
            }
        }
        let code = Lang::Easy.url_segment();
        // The project's strings, or the default theme's when it has none.
        if let Some(f) = inputs
            .strings
            .get(code)
            .or(inputs.default_strings.get(code))
        {
            for value in f.value.values() {
                let place = Place::of_toml_string(&f.file.text, value.span(), value.get_ref());
                self.unknown_kanji(&f.file, &place, value.get_ref(), readings, config.strict);
            }
        }
        self.data_easy_texts(inputs, readings, &rules);
    }

    /// A data record's easy text `raw`, in `file`: its furigana notation
    /// is checked now (a malformed one is an error), the rest once every
    /// reading is known ([`Validator::easy_text`]).
    pub(super) fn easy_data(&mut self, file: &SourceText, raw: &Spanned<String>) -> String {
        let text = raw.get_ref();
        let place = Place::of_toml_string(&file.text, raw.span(), text);
        if text.trim().is_empty() {
            self.error(
                file,
                raw.span(),
                "empty easy text",
                "write the text in やさしい日本語, or leave `easy` out to show the Japanese text",
            );
        }
        for r in furigana::malformed(text) {
            let found = &text[r.clone()];
            self.error(
                file,
                place.range(r),
                format!("furigana notation `{found}` is not {{漢字|よみかた}}"),
                "write the kanji, a bar and its reading in kana between braces: {相談|そうだん}; braces have no other use in easy text",
            );
        }
        self.easy_in_data.push(DataEasyText {
            file: file.path.clone(),
            place,
            text: text.clone(),
        });
        text.clone()
    }

    /// Checks the data records' easy texts as easy pages are checked. Easy
    /// text is a label (a place, hours) unless written in sentences (with
    /// 。): only sentences must end in です・ます.
    fn data_easy_texts(&mut self, inputs: &Inputs, readings: &Readings, rules: &Rules) {
        let texts = std::mem::take(&mut self.easy_in_data);
        if texts.is_empty() {
            return;
        }
        let files: BTreeMap<&Path, &SourceText> =
            inputs.toml_files().map(|f| (f.path.as_path(), f)).collect();
        for t in texts {
            let Some(file) = files.get(t.file.as_path()) else {
                continue;
            };
            self.unknown_kanji(file, &t.place, &t.text, readings, rules.strict);
            self.readability(file, &t.place, &t.text, t.text.contains('。'), rules);
        }
    }

    /// Reports each kanji run of `text` (at `place` in `file`) that has no
    /// reading.
    fn unknown_kanji(
        &mut self,
        file: &SourceText,
        place: &Place,
        text: &str,
        readings: &Readings,
        strict: bool,
    ) {
        for run in readings.unknown_kanji(text) {
            let word = &text[run.clone()];
            let d = Diagnostic::at(&file.path, &file.text, place.range(run), format!("kanji without a reading: {word}"))
                .hint(format!("write {{{word}|よみかた}} with its reading, or add the word to data/glossary.toml with its kana"));
            self.easy_finding(d, strict);
        }
    }

    /// Reports each readability finding in the sentences of `text` (at
    /// `place` in `file`); `prose` is whether they must end politely.
    fn readability(
        &mut self,
        file: &SourceText,
        place: &Place,
        text: &str,
        prose: bool,
        rules: &Rules,
    ) {
        for s in readability::sentences(text) {
            let sentence = &text[s.clone()];
            for f in readability::check_sentence(sentence, prose, rules.limits, &rules.known) {
                let span = place.range(s.start + f.span.start..s.start + f.span.end);
                let d = Diagnostic::at(&file.path, &file.text, span, f.message).hint(f.hint);
                self.easy_finding(d, rules.strict);
            }
        }
    }

    fn easy_finding(&mut self, d: Diagnostic, strict: bool) {
        if strict {
            self.diags.push(d);
        } else {
            self.warnings.push(d.warning());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Place;

    fn place(file: &str, value: &str) -> Option<usize> {
        let start = file.find(['"', '\'']).unwrap_or(0);
        match Place::of_toml_string(file, start..file.len(), value) {
            Place::From(at) => Some(at),
            Place::Whole(_) => None,
        }
    }

    #[test]
    fn a_toml_strings_text_is_placed_after_its_quotes_unless_escaped() {
        assert_eq!(place("x = \"かな\"", "かな"), Some(5));
        assert_eq!(place("x = 'かな'", "かな"), Some(5));
        assert_eq!(place("x = \"\"\"\nかな\"\"\"", "かな"), Some(8));
        // `\u304B` is か: the text's offsets are not the file's.
        assert_eq!(place("x = \"\\u304Bな\"", "かな"), None);
    }
}
