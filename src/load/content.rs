//! Markdown pages with TOML front matter between `+++` lines.

use super::{SourceText, parse_toml};
use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::load::Spanned;
use serde::Deserialize;

/// A Markdown page as read: `content/<slug>.<lang>.md`.
#[derive(Debug)]
pub struct RawPage {
    pub file: SourceText,
    /// Page key: the path below `content/` without language and extension,
    /// `""` for `_index`, e.g. `yokohama`, `guides/school`.
    pub key: String,
    pub lang: Lang,
    pub front: FrontMatter,
    /// Byte offset of the Markdown body within the file.
    pub body_offset: usize,
}

impl RawPage {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_offset..]
    }
}

/// Front matter of a page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Page title, in the page's language.
    pub title: Spanned<String>,
    /// One plain sentence: meta description and summaries.
    pub description: Option<String>,
    /// Ids of the documents the page's facts come from (data/sources.toml).
    pub sources: Spanned<Vec<Spanned<String>>>,
    /// The date the page's facts hold, `YYYY-MM-DD` or `YYYY-MM`.
    pub as_of: Spanned<String>,
    /// Order in navigation, lower first.
    #[serde(default)]
    pub weight: i64,
}

pub(super) fn parse_page(file: SourceText, diags: &mut Diagnostics) -> Option<RawPage> {
    let rel = file.path.to_string_lossy().replace('\\', "/");
    let below = rel.strip_prefix("content/").unwrap_or(&rel);
    let stem = below.strip_suffix(".md").unwrap_or(below);
    let Some((base, lang)) = stem
        .rsplit_once('.')
        .and_then(|(b, l)| Lang::from_code(l).map(|l| (b, l)))
    else {
        diags.push(
            Diagnostic::file(
                &file.path,
                "a page's file name must end in .ja.md, .en.md or .easy.md",
            )
            .hint("name the pair e.g. content/yokohama.ja.md and content/yokohama.en.md"),
        );
        return None;
    };
    let key = match base {
        "_index" => String::new(),
        b => b.strip_suffix("/_index").unwrap_or(b).to_string(),
    };

    let text = &file.text;
    let open = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - open.len();
    let Some(after_open) = open
        .strip_prefix("+++\n")
        .or_else(|| open.strip_prefix("+++\r\n"))
    else {
        diags.push(
            Diagnostic::at(&file.path, text, bom..bom + 1, "a page must start with front matter between `+++` lines")
                .hint("begin the file with +++, then title = \"…\", sources = [\"…\"], as_of = \"…\", then +++"),
        );
        return None;
    };
    let fm_start = text.len() - after_open.len();
    let close = after_open
        .match_indices("+++")
        .find(|(i, _)| *i == 0 || after_open.as_bytes()[i - 1] == b'\n')
        .map(|(i, _)| i);
    let Some(close) = close else {
        diags.push(
            Diagnostic::at(&file.path, text, bom..bom + 3, "front matter is not closed")
                .hint("add a line with only +++ after the front matter"),
        );
        return None;
    };
    let fm = &after_open[..close];
    let mut body_offset = fm_start + close + 3;
    for nl in ["\r\n", "\n"] {
        if text[body_offset..].starts_with(nl) {
            body_offset += nl.len();
            break;
        }
    }
    let front: FrontMatter = parse_toml(&file, fm_start, fm, diags)?;
    Some(RawPage {
        file,
        key,
        lang,
        front,
        body_offset,
    })
}
