//! The readability check of やさしい日本語 text: the rules of
//! 「在留支援のためのやさしい日本語ガイドライン」 (出入国在留管理庁・文化庁,
//! 2020) a program can test. Short sentences, few kanji, polite endings
//! (です・ます), few loanwords, no double negatives.

use super::furigana::{is_kanji, marked};
use std::collections::BTreeSet;
use std::ops::Range;

/// Limits from `[easy]` in `tsunagu.toml`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_sentence_chars: usize,
    pub max_kanji: usize,
}

/// One problem in a sentence: where (bytes, in the text given), what, how to fix.
#[derive(Debug, PartialEq)]
pub struct Finding {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

/// Endings the guideline calls polite (です・ます and their forms).
const POLITE: [&str; 11] = [
    "です",
    "ます",
    "ません",
    "ました",
    "ましょう",
    "ください",
    "でした",
    "ですか",
    "ますか",
    "でしょう",
    "ませんか",
];

/// Double negatives the guideline asks writers to avoid.
const DOUBLE_NEGATIVES: [&str; 9] = [
    "ないことはない",
    "ないことはありません",
    "なくはない",
    "なくはありません",
    "ないわけではない",
    "ないわけではありません",
    "なくもない",
    "なくもありません",
    "ないではない",
];

/// The sentences of a paragraph: byte ranges ending after 。！？ or at the
/// end, blank ones left out.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？' | '!' | '?' | '\n') {
            out.push(start..i + c.len_utf8());
            start = i + c.len_utf8();
        }
    }
    out.push(start..text.len());
    out.into_iter()
        .map(|r| {
            let s = &text[r.clone()];
            let lead = s.len() - s.trim_start().len();
            r.start + lead..r.start + s.trim_end().len()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// The characters a reader sees, with their byte offsets: furigana marks
/// reduced to their base, Markdown link targets and emphasis marks left out.
fn visible(s: &str) -> Vec<(usize, char)> {
    let marks = marked(s);
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(m) = marks.iter().find(|m| m.whole.contains(&i)) {
            if m.base.contains(&i) {
                out.push((i, c));
            }
            continue;
        }
        if c == ']' && s[i..].starts_with("](") {
            // a link target: skip to its closing parenthesis
            for (_, c) in chars.by_ref() {
                if c == ')' {
                    break;
                }
            }
            continue;
        }
        if !matches!(c, '[' | ']' | '*' | '_' | '`') {
            out.push((i, c));
        }
    }
    out
}

fn is_katakana(c: char) -> bool {
    matches!(c, 'ァ'..='ヺ' | 'ー')
}

/// The katakana words (two or more characters) of a text, for the
/// glossary's list of loanwords that need no check.
pub fn katakana_words(s: &str) -> Vec<(Range<usize>, &str)> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, c) in s.char_indices() {
        if is_katakana(c) {
            match out.last_mut() {
                Some(r) if r.end == i => r.end = i + c.len_utf8(),
                _ => out.push(i..i + c.len_utf8()),
            }
        }
    }
    out.into_iter()
        .filter(|r| s[r.clone()].chars().count() >= 2)
        .map(|r| (r.clone(), &s[r]))
        .collect()
}

/// The findings for one sentence. `polite` is whether it must end in a
/// polite form (prose, not a heading or list item); `known` are the
/// loanwords the glossary explains.
pub fn check_sentence(
    s: &str,
    polite: bool,
    limits: Limits,
    known: &BTreeSet<String>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let seen = visible(s);
    let whole = 0..s.len();
    // The spaces between words (分かち書き) help reading: not counted.
    let chars = seen.iter().filter(|(_, c)| !c.is_whitespace()).count();
    if chars > limits.max_sentence_chars {
        out.push(Finding {
            span: whole.clone(),
            message: format!(
                "sentence of {chars} characters (more than {})",
                limits.max_sentence_chars
            ),
            hint: "split it into two sentences, one idea each (max_sentence_chars in [easy], tsunagu.toml)".into(),
        });
    }
    let kanji = seen.iter().filter(|(_, c)| is_kanji(*c)).count();
    if kanji > limits.max_kanji {
        out.push(Finding {
            span: whole.clone(),
            message: format!("{kanji} kanji in one sentence (more than {})", limits.max_kanji),
            hint: "write some words in hiragana, or split the sentence (max_kanji in [easy], tsunagu.toml)".into(),
        });
    }
    let text: String = seen.iter().map(|(_, c)| c).collect();
    let ending = text.trim_end_matches(|c: char| {
        matches!(c, '。' | '！' | '？' | '!' | '?' | '」' | '）' | ')' | '』') || c.is_whitespace()
    });
    if polite && !POLITE.iter().any(|p| ending.ends_with(p)) {
        out.push(Finding {
            span: whole.clone(),
            message: "sentence does not end in です or ます".into(),
            hint: "end it in a polite form: 〜です, 〜ます, 〜ください, 〜ましょう".into(),
        });
    }
    for (span, word) in katakana_words(s) {
        if !known.contains(word) {
            out.push(Finding {
                span,
                message: format!("loanword `{word}` is not in the glossary"),
                hint: "use a Japanese word, or add the word to data/glossary.toml so readers can look it up".into(),
            });
        }
    }
    for neg in DOUBLE_NEGATIVES {
        if let Some(i) = s.find(neg) {
            out.push(Finding {
                span: i..i + neg.len(),
                message: format!("double negative `{neg}`"),
                hint: "say it positively: 〜できます, 〜があります".into(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_sentence_chars: 40,
        max_kanji: 13,
    };

    fn messages(s: &str, polite: bool) -> Vec<String> {
        let known: BTreeSet<String> = ["コーディネーター".to_string(), "ケア".to_string()].into();
        check_sentence(s, polite, LIMITS, &known)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_long_sentence_is_found_and_a_short_one_is_not() {
        let long = "コーディネーターは、こどもと かぞくの はなしを きいて、びょういんや がっこうと いっしょに かんがえて くれる ひとです。";
        assert!(messages(long, true)[0].starts_with("sentence of"));
        assert!(messages("コーディネーターに そうだん できます。", true).is_empty());
    }

    #[test]
    fn furigana_spaces_and_link_targets_do_not_count() {
        // 22 characters seen; with its readings and link it is far longer.
        let s = "{医療的|いりょうてき}ケアの [{相談|そうだん}](https://example.org/a/very/long/path) ができます。";
        assert!(messages(s, true).is_empty(), "{:?}", messages(s, true));
        // 36 characters, 43 with its spaces.
        let spaced =
            "こどもと かぞくの はなしを よく きいて、いっしょに かんがえて くれる ひとです。";
        assert!(
            messages(spaced, true).is_empty(),
            "{:?}",
            messages(spaced, true)
        );
    }

    #[test]
    fn too_many_kanji_are_found() {
        let s = "医療的ケア児等支援拠点連絡先電話番号です。";
        assert!(messages(s, true).iter().any(|m| m.contains("kanji")));
        assert!(
            !messages("でんわばんごうです。", true)
                .iter()
                .any(|m| m.contains("kanji"))
        );
    }

    #[test]
    fn a_plain_ending_is_found_in_prose_only() {
        assert_eq!(
            messages("でんわで そうだんする。", true),
            ["sentence does not end in です or ます"]
        );
        assert!(messages("でんわで そうだんする。", false).is_empty());
        assert!(messages("でんわで そうだんして ください。", true).is_empty());
    }

    #[test]
    fn loanwords_outside_the_glossary_are_found() {
        assert_eq!(
            messages("サポートが あります。", true),
            ["loanword `サポート` is not in the glossary"]
        );
        assert!(messages("コーディネーターが います。", true).is_empty());
    }

    #[test]
    fn double_negatives_are_found() {
        assert_eq!(
            messages("そうだん できないことはないです。", true),
            ["double negative `ないことはない`"]
        );
        assert!(messages("そうだん できます。", true).is_empty());
    }

    #[test]
    fn sentences_split_after_each_full_stop() {
        let t = "はい。 いいえ！そうです\nええ";
        let got: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(got, ["はい。", "いいえ！", "そうです", "ええ"]);
    }
}
