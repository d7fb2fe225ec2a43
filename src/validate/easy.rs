//! The check of やさしい日本語 text: kanji without a reading (so they get
//! no furigana) and the readability rules ([`crate::lang::readability`]),
//! each finding at its file:line:col with a hint. Warnings, or errors with
//! `[easy] strict = true`.

use super::Validator;
use crate::config::EasyConfig;
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::lang::furigana::Readings;
use crate::lang::readability::{self, Limits};
use crate::load::{Inputs, SourceText};
use crate::model::Term;
use std::collections::BTreeSet;

impl Validator {
    /// Checks every easy page and the easy UI strings.
    pub(super) fn easy_text(
        &mut self,
        inputs: &Inputs,
        config: &EasyConfig,
        readings: &Readings,
        glossary: &[Term],
    ) {
        let known: BTreeSet<String> = glossary
            .iter()
            .flat_map(|t| readability::katakana_words(&t.term.ja))
            .map(|(_, w)| w.to_string())
            .collect();
        let limits = Limits {
            max_sentence_chars: config.max_sentence_chars,
            max_kanji: config.max_kanji,
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
                self.unknown_kanji(&p.file, text_start, text, readings, config.strict);
                for s in readability::sentences(text) {
                    let sentence = &text[s.clone()];
                    for f in readability::check_sentence(sentence, prose, limits, &known) {
                        let span =
                            text_start + s.start + f.span.start..text_start + s.start + f.span.end;
                        let d = Diagnostic::at(&p.file.path, &p.file.text, span, f.message)
                            .hint(f.hint);
                        self.easy_finding(d, config.strict);
                    }
                }
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
                // The value's text starts after its opening quote.
                let start = value.span().start + 1;
                self.unknown_kanji(&f.file, start, value.get_ref(), readings, config.strict);
            }
        }
    }

    /// Reports each kanji run of `text` (at byte `start` of `file`) that has
    /// no reading.
    fn unknown_kanji(
        &mut self,
        file: &SourceText,
        start: usize,
        text: &str,
        readings: &Readings,
        strict: bool,
    ) {
        for run in readings.unknown_kanji(text) {
            let word = &text[run.clone()];
            let span = start + run.start..start + run.end;
            if file.text.get(span.clone()) != Some(word) {
                // An escaped TOML string: its offsets are not the text's.
                continue;
            }
            let d = Diagnostic::at(&file.path, &file.text, span, format!("kanji without a reading: {word}"))
                .hint(format!("write {{{word}|よみかた}} with its reading, or add the word to data/glossary.toml with its kana"));
            self.easy_finding(d, strict);
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
