//! TOML as tsunagu reads it: parse errors placed where a person would look
//! (an unclosed `{` at the bracket, not lines later) and bilingual text
//! only as a `{ ja, en }` table (with an optional `easy`).

use super::SourceText;
use super::spanned::{self, Spanned};
use crate::diag::{Diagnostic, Diagnostics};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Bilingual text as written in TOML: `{ ja = "…", en = "…" }`, and
/// optionally `easy = "…"`, its やさしい日本語 version. Either of ja and en
/// may be missing here; `validate` reports a missing translation. The easy
/// text keeps its place in the file, for `check`'s findings in it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RawText {
    pub ja: Option<String>,
    pub en: Option<String>,
    pub easy: Option<Spanned<String>>,
}

impl<'de> Deserialize<'de> for RawText {
    /// From TOML only a table: serde would take a list `["…", "…"]` by
    /// position, and a reader could not tell which language is which. The
    /// parse cache (not human-readable) stores the fields in order.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Fields {
            ja: Option<String>,
            en: Option<String>,
            easy: Option<Spanned<String>>,
        }
        struct Table;
        impl<'de> serde::de::Visitor<'de> for Table {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table { ja = \"…\", en = \"…\" }")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Fields, A::Error> {
                Fields::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        let f = if d.is_human_readable() {
            d.deserialize_map(Table)?
        } else {
            Fields::deserialize(d)?
        };
        Ok(RawText {
            ja: f.ja,
            en: f.en,
            easy: f.easy,
        })
    }
}

/// Parses TOML `text`, found at byte `offset` of `file`, with spans and
/// errors counted in the whole file, so lines and columns match what the
/// author sees.
pub fn parse_toml<T: DeserializeOwned>(
    file: &SourceText,
    offset: usize,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    match spanned::from_base(offset, || toml::from_str::<T>(text)) {
        Ok(v) => Some(v),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_string();
            // An unclosed `{` or `[` is reported by the parser where it gave
            // up, often lines later; point at the bracket instead.
            let at = span.start.min(text.len());
            if let Some(open) = unclosed_bracket(&text[..at])
                && (text.as_bytes()[open] == b'{' || starts_a_key(&text[at..]))
            {
                let found = &text[open..open + 1];
                diags.push(
                    Diagnostic::at(&file.path, &file.text, offset + open..offset + open + 1, format!("this `{found}` is not closed ({message})"))
                        .hint(if found == "{" {
                            "close the inline table with `}` on the same line: name = { ja = \"…\", en = \"…\" }"
                        } else {
                            "close the list with `]`"
                        }),
                );
                return None;
            }
            let hint = toml_hint(&message);
            let mut d = Diagnostic::at(
                &file.path,
                &file.text,
                offset + span.start..offset + span.end,
                message,
            );
            if let Some(h) = hint {
                d = d.hint(h);
            }
            diags.push(d);
            None
        }
    }
}

/// The byte offset of the innermost `{` or `[` still open at the end of
/// `before`, when it opened on an earlier line than the end: brackets in
/// strings and comments are skipped, and `[table]` headers are not values.
fn unclosed_bracket(before: &str) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    let mut line_start = 0;
    for line in before.split_inclusive('\n') {
        let header = line.trim_start().starts_with('[') && open.is_empty();
        let mut in_str: Option<u8> = None;
        let mut escaped = false;
        for (i, b) in line.bytes().enumerate() {
            match in_str {
                Some(q) => {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' && q == b'"' {
                        escaped = true;
                    } else if b == q {
                        in_str = None;
                    }
                }
                None => match b {
                    b'"' | b'\'' => in_str = Some(b),
                    b'#' => break,
                    b'{' | b'[' if !header => open.push(line_start + i),
                    b'}' | b']' if !header => {
                        open.pop();
                    }
                    _ => {}
                },
            }
        }
        line_start += line.len();
    }
    let last = *open.last()?;
    before[last..].contains('\n').then_some(last)
}

/// Whether a line starts a new `key =` or `[table]`: inside a list that
/// spans lines, that means the list was never closed (a missing comma
/// between items is not).
fn starts_a_key(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with('[')
        || line.split_once('=').is_some_and(|(k, _)| {
            let k = k.trim();
            !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
        })
}

fn toml_hint(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some("check the spelling of the key; the message lists the keys allowed here".into())
    } else if message.starts_with("missing field") {
        Some("add the key to this record (data/README.md describes each field)".into())
    } else if message.starts_with("invalid type") {
        Some("strings need quotes (\"…\"), bilingual text is { ja = \"…\", en = \"…\" }, lists are [ … ]".into())
    } else if message.starts_with("unknown variant") {
        Some("use one of the values the message lists".into())
    } else if message.contains("duplicate key") {
        Some("a key may appear only once in a table".into())
    } else {
        Some("see https://toml.io for TOML syntax".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Any {
        name: Option<toml::Value>,
        areas: Option<toml::Value>,
        id: Option<toml::Value>,
    }

    fn toml_error(text: &str) -> String {
        toml_error_as::<Any>(text)
    }

    fn toml_error_as<T: DeserializeOwned>(text: &str) -> String {
        let file = SourceText {
            path: "data/x.toml".into(),
            text: text.into(),
        };
        let mut diags = Diagnostics::default();
        assert!(parse_toml::<T>(&file, 0, text, &mut diags).is_none());
        diags.0[0].to_string()
    }

    #[test]
    fn bilingual_text_is_a_table_not_a_list() {
        #[derive(serde::Deserialize, serde::Serialize)]
        struct One {
            name: RawText,
        }
        let e = toml_error_as::<One>("name = [\"名前\", \"Name\"]\n");
        assert!(
            e.contains("expected a table { ja") && e.contains("x.toml:1:8"),
            "{e}"
        );
        let text = "name = { ja = \"名前\", en = \"Name\", easy = \"なまえ\" }";
        let one: One = toml::from_str(text).expect("table");
        let back: One = postcard::from_bytes(&postcard::to_stdvec(&one).expect("encode"))
            .expect("the parse cache reads it back");
        assert_eq!(
            (back.name.ja.as_deref(), back.name.en.as_deref()),
            (Some("名前"), Some("Name"))
        );
        // The easy text keeps its place (the quoted string) through the cache.
        let easy = back.name.easy.expect("easy text");
        assert_eq!(
            (easy.get_ref().as_str(), &text[easy.span()]),
            ("なまえ", "\"なまえ\"")
        );
        let e = toml_error_as::<One>("name = { ja = \"名前\", en = \"Name\", eazy = \"x\" }\n");
        assert!(
            e.contains("unknown field `eazy`, expected one of `ja`, `en`, `easy`"),
            "{e}"
        );
    }

    #[test]
    fn an_unclosed_bracket_is_reported_where_it_opens() {
        let e = toml_error("id = \"a\"\nname = { ja = \"名{\", en = \"x\"\nareas = [\"1\"]\n");
        assert!(
            e.contains("this `{` is not closed") && e.contains("x.toml:2:8"),
            "{e}"
        );
        let e = toml_error("areas = [\n  \"1\",\n  \"2\"\nid = \"a\"\n");
        assert!(
            e.contains("this `[` is not closed") && e.contains("x.toml:1:9"),
            "{e}"
        );
        // A list over several lines missing a comma is not an unclosed list.
        let e = toml_error("areas = [\n  \"1\"\n  \"2\"\n]\n");
        assert!(!e.contains("not closed"), "{e}");
    }
}
