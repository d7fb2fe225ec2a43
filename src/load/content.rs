//! Markdown pages with TOML front matter between `+++` lines.

use super::{SourceText, parse_toml};
use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::load::Spanned;
use crate::markdown::{Bodies, BodyRef, Outline};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A Markdown page as read: `content/<slug>.<lang>.md`.
#[derive(Debug)]
pub struct RawPage {
    /// The file's path, and its text up to the body: the front matter
    /// (an easy page keeps its body too, for its plain-language checks).
    /// The body is let go once parsed: its HTML waits in
    /// [`crate::markdown::Bodies`] (or it is read again, [`read_page`]).
    pub file: SourceText,
    /// Page key: the path below `content/` without language and extension,
    /// `""` for `_index`, e.g. `yokohama`, `guides/school`.
    pub key: String,
    pub lang: Lang,
    pub front: FrontMatter,
    /// Byte offset of the Markdown body within the file.
    pub body_offset: usize,
    /// What the body holds that later stages ask about.
    pub outline: Outline,
    /// Where the body's HTML waits to be written, if it could be kept.
    pub body: Option<BodyRef>,
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

/// Parses the front matter of the page at `path` whose file holds `text`,
/// and its body (see [`crate::markdown::read`]), whose HTML goes to
/// `bodies`; `raw_html` as in tsunagu.toml.
pub(super) fn parse_page(
    path: PathBuf,
    text: &str,
    raw_html: bool,
    bodies: Option<&Bodies>,
    diags: &mut Diagnostics,
) -> Option<RawPage> {
    let rel = path.to_string_lossy().replace('\\', "/");
    let below = rel.strip_prefix("content/").unwrap_or(&rel);
    let stem = below.strip_suffix(".md").unwrap_or(below);
    let Some((base, lang)) = stem
        .rsplit_once('.')
        .and_then(|(b, l)| Lang::from_code(l).map(|l| (b, l)))
    else {
        diags.push(
            Diagnostic::file(
                &path,
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

    let open = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - open.len();
    let Some(after_open) = open
        .strip_prefix("+++\n")
        .or_else(|| open.strip_prefix("+++\r\n"))
    else {
        diags.push(
            Diagnostic::at(&path, text, bom..bom + 1, "a page must start with front matter between `+++` lines")
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
            Diagnostic::at(&path, text, bom..bom + 3, "front matter is not closed")
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
    let kept = match lang {
        Lang::Easy => text,
        _ => &text[..body_offset],
    };
    let file = SourceText {
        path,
        text: kept.to_string(),
    };
    let front: FrontMatter = parse_toml(&file, fm_start, fm, diags)?;
    let up = crate::markdown::up_to_home(&key);
    let md = &text[body_offset..];
    let (outline, body) = crate::markdown::read(md, &up, front.title.get_ref(), raw_html);
    let body = bodies
        .zip(body)
        .and_then(|(bodies, body)| bodies.put(&body));
    Some(RawPage {
        file,
        key,
        lang,
        front,
        body_offset,
        outline,
        body,
    })
}

/// The text of the page at `rel` below `root` up to the end of its body,
/// read again into `buf` (to be rendered when its body was not kept, or
/// for the line and column of a problem), or why it cannot be: its body
/// must be the one parsed when it was loaded (its links were checked in
/// that text). A file that changed during the build is reported, not
/// rendered. UTF-8 is checked with SIMD: std's check was 3 % of a
/// Markdown site's build, Japanese text being its slow case.
pub fn read_page<'b>(
    root: &Path,
    rel: &Path,
    body_offset: usize,
    outline: &Outline,
    buf: &'b mut Vec<u8>,
) -> Result<&'b str, Box<Diagnostic>> {
    use std::io::Read;
    let changed = || {
        Box::new(
            Diagnostic::file(rel, "the file changed while the site was being built")
                .hint("build again"),
        )
    };
    let end = body_offset + outline.len;
    buf.clear();
    buf.reserve(end);
    std::fs::File::open(root.join(rel))
        .and_then(|f| f.take(end as u64).read_to_end(buf))
        .map_err(|e| Box::new(Diagnostic::file(rel, format!("cannot read file: {e}"))))?;
    if buf.len() != end || crate::hash::of_bytes(&buf[body_offset..]) != outline.hash {
        return Err(changed());
    }
    simdutf8::basic::from_utf8(buf).map_err(|_| changed())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "+++\ntitle = \"相談\"\nsources = [\"s\"]\nas_of = \"2026-04\"\n+++\n## 相談\n\n[拠点](@/hubs#横浜)\n";

    /// The page `PAGE` as loaded from a file below a temporary project.
    fn loaded() -> (tempfile::TempDir, RawPage) {
        let dir = tempfile::tempdir().expect("temp dir");
        let rel = PathBuf::from("content/soudan.ja.md");
        std::fs::create_dir_all(dir.path().join("content")).expect("content/");
        std::fs::write(dir.path().join(&rel), PAGE).expect("write");
        let page = parse_page(rel, PAGE, false, None, &mut Diagnostics::default()).expect("parses");
        (dir, page)
    }

    /// `page` read again from `dir` (see [`read_page`]).
    fn read_again<'b>(
        dir: &tempfile::TempDir,
        page: &RawPage,
        buf: &'b mut Vec<u8>,
    ) -> Result<&'b str, Box<Diagnostic>> {
        read_page(
            dir.path(),
            &page.file.path,
            page.body_offset,
            &page.outline,
            buf,
        )
    }

    #[test]
    fn a_page_keeps_its_front_matter_and_outline_not_its_body() {
        let (_dir, page) = loaded();
        assert_eq!(page.file.text, &PAGE[..page.body_offset]);
        assert!(page.file.text.ends_with("+++\n"));
        assert_eq!(&*page.outline.ids, ["相談".into()]);
        let (target, span) = &page.outline.links[0];
        assert_eq!(&**target, "hubs#横浜");
        assert_eq!(
            &PAGE[page.body_offset..][span.clone()],
            "[拠点](@/hubs#横浜)"
        );
    }

    #[test]
    fn a_page_read_again_is_the_text_it_was_loaded_with() {
        let (dir, page) = loaded();
        let mut buf = Vec::new();
        let read = read_again(&dir, &page, &mut buf);
        assert_eq!(read.expect("unchanged"), PAGE);
    }

    #[test]
    fn a_page_changed_since_it_was_loaded_is_reported_not_read() {
        let (dir, page) = loaded();
        let path = dir.path().join(&page.file.path);
        // Same length, one word changed: still not the text that was checked.
        std::fs::write(&path, PAGE.replace("拠点", "病院")).expect("write");
        let mut buf = Vec::new();
        let read = read_again(&dir, &page, &mut buf);
        let d = read.expect_err("changed");
        assert_eq!(d.file, page.file.path);
        assert!(
            d.message.contains("changed while the site was being built"),
            "{}",
            d.message
        );
        std::fs::remove_file(&path).expect("remove");
        let read = read_again(&dir, &page, &mut buf);
        assert!(read.expect_err("gone").message.contains("cannot read file"));
    }
}
