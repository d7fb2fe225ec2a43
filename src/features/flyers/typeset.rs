//! Typst as a library: flyer sources → PDF (fonts embedded as CID subsets)
//! and an SVG preview. Only with the `pdf` cargo feature.
//!
//! Fonts are searched once per process ([`fonts`]) and shared by every
//! flyer; flyers compile on all cores. Output is deterministic: no creation
//! date (`set document(date: none)`, no timestamp) and a stable PDF id from
//! the flyer's language and slug. Given a [`FlyerCache`], compiled flyers
//! are kept in it by source, so `tsunagu serve` recompiles only flyers
//! whose data changed.

use super::{FONT_DIRS_ENV, FlyerCache, FlyerSource, SYSTEM_FONTS_ENV};
use crate::diag::{Diagnostic, Diagnostics};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use typst::diag::{FileError, FileResult, Severity};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::{FontSlot, Fonts as KitFonts};

/// Japanese font families tried in order; the first one installed is used
/// for both languages (they all include Latin letters).
pub const JAPANESE_FAMILIES: &[&str] = &[
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "Source Han Sans",
    "IPAexGothic",
    "IPAGothic",
    "BIZ UDGothic",
    "BIZ UDPGothic",
];

/// One flyer's compiled output, or why it failed.
type CompileResult = Result<Arc<Compiled>, String>;

/// The fonts, library and font book every flyer shares.
pub struct Shared {
    pub family: String,
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<FontSlot>,
}

static FONTS: OnceLock<Result<Shared, String>> = OnceLock::new();

/// Searches the font directories and system fonts once per process. `Err`
/// holds a message for the reader (printed once, to stderr).
pub fn fonts() -> &'static Result<Shared, String> {
    FONTS.get_or_init(|| {
        let dirs: Vec<PathBuf> = std::env::var_os(FONT_DIRS_ENV)
            .map(|v| std::env::split_paths(&v).collect())
            .unwrap_or_default();
        let system = std::env::var(SYSTEM_FONTS_ENV).map_or(true, |v| v != "0");
        let KitFonts { book, fonts } = KitFonts::searcher()
            .include_system_fonts(system)
            .search_with(&dirs);
        let family = JAPANESE_FAMILIES.iter().find(|f| {
            book.select_family(&f.to_lowercase()).any(|i| {
                book.info(i)
                    .is_some_and(|info| info.coverage.contains('あ' as u32))
            })
        });
        match family {
            Some(f) => Ok(Shared {
                family: f.to_string(),
                library: LazyHash::new(Library::default()),
                book: LazyHash::new(book),
                fonts,
            }),
            None => {
                let msg = format!(
                    "note: no Japanese font found (looked for {} in {}system fonts); \
                     building the site without PDF flyers. Install fonts-noto-cjk \
                     (Debian/Ubuntu) or set {FONT_DIRS_ENV} to a directory with a Japanese font.",
                    JAPANESE_FAMILIES.join(", "),
                    if dirs.is_empty() {
                        String::new()
                    } else {
                        format!("{FONT_DIRS_ENV} and ")
                    },
                );
                eprintln!("{msg}");
                Err(msg)
            }
        }
    })
}

/// A compiled flyer.
pub struct Compiled {
    pub pdf: Vec<u8>,
    pub svg: String,
    pub pages: usize,
}

/// One flyer's world: the shared fonts plus its source and QR code.
struct FlyerWorld<'a> {
    shared: &'a Shared,
    main: Source,
    qr_id: FileId,
    qr: Bytes,
}

impl World for FlyerWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }
    fn file(&self, id: FileId) -> FileResult<typst::foundations::Bytes> {
        if id == self.qr_id {
            Ok(self.qr.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index)?.get()
    }
    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        None // flyers carry no build date: two builds are byte-identical
    }
}

/// Compiled flyers by [`cache_key`].
pub(super) type CacheMap = HashMap<u64, Arc<Compiled>>;

fn cache_key(src: &FlyerSource, family: &str) -> u64 {
    let mut h = crate::hash::hasher();
    (&src.typ, &src.qr_svg, &src.slug, src.lang.code(), family).hash(&mut h);
    h.finish()
}

/// Compiles one flyer to PDF and SVG.
pub fn compile(shared: &Shared, src: &FlyerSource) -> Result<Compiled, String> {
    let main = Source::new(
        FileId::new(None, VirtualPath::new("flyer.typ")),
        src.typ.clone(),
    );
    let world = FlyerWorld {
        shared,
        main,
        qr_id: FileId::new(None, VirtualPath::new("qr.svg")),
        qr: Bytes::new(src.qr_svg.clone().into_bytes()),
    };
    let warned = typst::compile::<PagedDocument>(&world);
    let doc = warned.output.map_err(|errs| describe(&world, &errs))?;
    let warnings: Vec<_> = warned
        .warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning)
        .collect();
    if !warnings.is_empty() {
        // Warnings here mean a missing font or glyph: the print would be wrong.
        let owned: Vec<_> = warnings.into_iter().cloned().collect();
        return Err(describe(&world, &owned));
    }
    let ident = format!("tsunagu-flyer-{}-{}", src.lang.code(), src.slug);
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(&ident),
        timestamp: None,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&doc, &options).map_err(|errs| describe(&world, &errs))?;
    let svg = doc
        .pages
        .first()
        .map(|p| slim_svg(&typst_svg::svg(p)))
        .unwrap_or_default();
    Ok(Compiled {
        pdf,
        svg,
        pages: doc.pages.len(),
    })
}

fn describe(world: &FlyerWorld, diags: &[typst::diag::SourceDiagnostic]) -> String {
    let text = world.main.text();
    diags
        .iter()
        .map(|d| {
            let line = world
                .main
                .range(d.span)
                .map(|r| {
                    let start = text[..r.start].rfind('\n').map_or(0, |i| i + 1);
                    let end = text[r.start..]
                        .find('\n')
                        .map_or(text.len(), |i| r.start + i);
                    format!(" at `{}`", text[start..end].trim())
                })
                .unwrap_or_default();
            let hints: String = d.hints.iter().map(|h| format!(" (hint: {h})")).collect();
            format!("{}{line}{hints}", d.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Compiles every flyer on all cores, reusing from `cache` the flyers whose
/// source did not change since it was filled. `cache` is left holding
/// this build's flyers. Any flyer that fails or does not fit on one page
/// is an error.
pub fn compile_all(
    sources: &[FlyerSource],
    mut cache: Option<&mut FlyerCache>,
) -> Result<Vec<Arc<Compiled>>, Diagnostics> {
    let Ok(shared) = fonts() else {
        return Ok(Vec::new());
    };
    let keys: Vec<u64> = sources
        .iter()
        .map(|s| cache_key(s, &shared.family))
        .collect();
    let old: CacheMap = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.compiled))
        .unwrap_or_default();
    let results: Vec<Mutex<Option<CompileResult>>> =
        sources.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(sources.len())
        .max(1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(src) = sources.get(i) else { break };
                    let r = match old.get(&keys[i]) {
                        Some(c) => Ok(c.clone()),
                        None => compile(shared, src).map(Arc::new),
                    };
                    if let Ok(mut slot) = results[i].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    let mut diags = Diagnostics::default();
    let mut out = Vec::with_capacity(sources.len());
    let mut compiled = CacheMap::new();
    for ((src, key), slot) in sources.iter().zip(&keys).zip(results) {
        match slot.into_inner().ok().flatten() {
            Some(Ok(c)) if c.pages == 1 => {
                compiled.insert(*key, c.clone());
                out.push(c);
            }
            Some(Ok(c)) => diags.push(
                Diagnostic::file(
                    format!("templates/{}", super::TEMPLATE),
                    format!(
                        "the {} flyer {} ({}) takes {} pages; a flyer must fit on one A4 page",
                        src.lang.code(),
                        src.slug,
                        src.name,
                        c.pages
                    ),
                )
                .hint("shorten the text in the data or the UI strings, or make the flyer layout tighter"),
            ),
            Some(Err(e)) => diags.push(
                Diagnostic::file(
                    format!("templates/{}", super::TEMPLATE),
                    format!("cannot typeset the {} flyer {}: {e}", src.lang.code(), src.slug),
                )
                .hint("the quoted line is from the generated Typst source; fix the template part that produced it"),
            ),
            None => diags.push(Diagnostic::file(
                format!("templates/{}", super::TEMPLATE),
                format!("the {} flyer {} was not compiled (a worker thread panicked)", src.lang.code(), src.slug),
            )),
        }
    }
    if let Some(cache) = cache {
        cache.compiled = compiled;
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}

/// Makes typst-svg output smaller for the web preview without changing what
/// it shows: numbers rounded to 0.1 pt (invisible at preview size), indentation, Typst's class names and
/// default attributes dropped, glyph ids (hashes) renumbered.
pub fn slim_svg(svg: &str) -> String {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut out = String::with_capacity(svg.len() / 2);
    for line in svg.lines() {
        let line = line
            .trim()
            .replace(" fill-rule=\"nonzero\"", "")
            .replace(" x=\"0\" y=\"0\"", "")
            .replace(" fill=\"#000000\"", "");
        let line = strip_typst_classes(&line);
        out.push_str(&round_numbers(&line));
    }
    // Glyph ids: `#g<hex>"` and `id="g<hex>"`, where <hex> is a 128-bit
    // hash printed without leading zeros (so up to 32 digits).
    let mut slim = String::with_capacity(out.len());
    let bytes = out.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i + 2 < bytes.len() {
        let digits = bytes[i + 2..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        if (bytes[i] == b'"' || bytes[i] == b'#')
            && bytes[i + 1] == b'g'
            && (1..=32).contains(&digits)
            && bytes.get(i + 2 + digits) == Some(&b'"')
        {
            let hex = &out[i + 2..i + 2 + digits];
            let n = ids.len();
            let n = *ids.entry(hex).or_insert(n);
            slim.push_str(&out[last..i + 2]);
            slim.push_str(&n.to_string());
            i += 2 + digits;
            last = i;
        } else {
            i += 1;
        }
    }
    slim.push_str(&out[last..]);
    slim
}

fn strip_typst_classes(line: &str) -> String {
    let mut s = line.to_string();
    while let Some(i) = s.find(" class=\"typst-") {
        let end = s[i + 8..].find('"').map(|j| i + 8 + j + 1);
        match end {
            Some(e) => s.replace_range(i..e, ""),
            None => break,
        }
    }
    s
}

/// Rounds every decimal number to one place and drops trailing zeros.
fn round_numbers(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let starts_number = b[i].is_ascii_digit()
            && (i == 0
                || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'#' || b[i - 1] == b'_'));
        if starts_number {
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                j += 1;
            }
            let tok = &s[i..j];
            let followed_by_word =
                j < b.len() && (b[j].is_ascii_alphabetic() && b[j] != b'e' || b[j] == b'_');
            match tok.parse::<f64>() {
                Ok(v) if tok.contains('.') && !followed_by_word => {
                    let r = format!("{:.1}", v);
                    let r = r.trim_end_matches('0').trim_end_matches('.');
                    out.push_str(if r.is_empty() { "0" } else { r });
                }
                _ => out.push_str(tok),
            }
            i = j;
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn glyph_ids_are_renumbered_whatever_their_length() {
        // typst-svg prints a glyph's 128-bit hash in hex without leading
        // zeros: one glyph in sixteen has fewer than 32 digits.
        let long = "D5675D535B79CA9FCDA2F1365F1A59E0";
        let short = "D5675D535B79CA9FCDA2F1365F1A59E";
        let svg = format!(
            "<svg><defs><symbol id=\"g{long}\"/><symbol id=\"g{short}\"/></defs>\n\
             <use xlink:href=\"#g{short}\"/><use xlink:href=\"#g{long}\"/><g class=\"x\"/></svg>"
        );
        assert_eq!(
            super::slim_svg(&svg),
            "<svg><defs><symbol id=\"g0\"/><symbol id=\"g1\"/></defs>\
             <use xlink:href=\"#g1\"/><use xlink:href=\"#g0\"/><g class=\"x\"/></svg>"
        );
    }
}
