//! Typst as a library: flyer sources → PDF (fonts embedded as CID subsets)
//! and a small PNG preview (`typst-render`). Only with the `pdf` cargo feature.
//!
//! The PDFs are PDF/UA-1 (tagged, titled, with a language and alternative
//! text). Fonts are searched once per process ([`fonts`]) and shared by every
//! flyer; flyers compile on all cores. Output is deterministic: no creation
//! date (`set document(date: none)`, no timestamp) and a stable PDF id from
//! the flyer's language and slug. Given a [`FlyerCache`], compiled flyers
//! are kept in it by source, so `tsunagu serve` recompiles only flyers
//! whose data changed.

use super::{FONT_DIRS_ENV, FlyerCache, FlyerSource, SYSTEM_FONTS_ENV};
use crate::diag::{Diagnostic, Diagnostics};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
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
    /// The first page as a small greyscale PNG ([`preview_png`]).
    pub preview: Vec<u8>,
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

/// The flyer's source, QR code, name, language and font, and this program
/// (a new build of it may typeset differently): what its PDF depends on.
fn cache_key(src: &FlyerSource, family: &str) -> u64 {
    let mut h = crate::hash::hasher();
    (&src.typ, &src.qr_svg, &src.slug, src.lang.code(), family).hash(&mut h);
    crate::load::program_identity().hash(&mut h);
    h.finish()
}

/// The on-disk entry of a flyer: the PDF's length (8 bytes, little-endian),
/// the PDF, then the preview PNG.
fn disk_entry(dir: &Path, key: u64) -> PathBuf {
    dir.join(format!("{key:016x}.flyer"))
}

fn read_disk(dir: &Path, key: u64) -> Option<Arc<Compiled>> {
    let bytes = std::fs::read(disk_entry(dir, key)).ok()?;
    let (len, rest) = bytes.split_first_chunk::<8>()?;
    let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
    let pdf = rest.get(..len)?;
    // Only one-page flyers are written (see `compile_all`); a file that is
    // not a PDF is not an entry of ours.
    pdf.starts_with(b"%PDF-").then(|| {
        Arc::new(Compiled {
            pdf: pdf.to_vec(),
            preview: rest[len..].to_vec(),
            pages: 1,
        })
    })
}

/// Keeps this build's flyers in `dir` and removes the entries of flyers it
/// no longer has. A cache that cannot be written only costs the next build
/// time, so failures are ignored; entries are written under a temporary
/// name and renamed, so a reader never sees half of one.
fn write_disk(dir: &Path, flyers: &CacheMap, fresh: &[u64]) {
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    for key in fresh {
        let Some(c) = flyers.get(key) else { continue };
        let mut bytes = Vec::with_capacity(8 + c.pdf.len() + c.preview.len());
        bytes.extend_from_slice(&(c.pdf.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&c.pdf);
        bytes.extend_from_slice(&c.preview);
        let path = disk_entry(dir, *key);
        let tmp = path.with_extension("tmp");
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
    let keep: std::collections::HashSet<PathBuf> =
        flyers.keys().map(|k| disk_entry(dir, *k)).collect();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if !keep.contains(&e.path()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Compiles one flyer to PDF and a PNG preview.
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
    // PDF/UA-1 (issue 24): Typst then refuses a flyer without a title, a
    // language or alternative text on an image, and marks the file as UA.
    let standards = typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1])
        .map_err(|e| format!("PDF/UA-1: {e}"))?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(&ident),
        timestamp: None,
        standards,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&doc, &options).map_err(|errs| describe(&world, &errs))?;
    let pdf = pack(&pdf).map_err(|e| format!("cannot repack the flyer PDF: {e}"))?;
    let preview = match doc.pages.first() {
        Some(page) => preview_png(page)?,
        None => Vec::new(),
    };
    Ok(Compiled {
        pdf,
        preview,
        pages: doc.pages.len(),
    })
}

/// The same PDF, smaller: its dictionaries (the tag tree is most of them)
/// go into compressed object streams with a cross-reference stream, and the
/// ToUnicode maps that Typst leaves uncompressed are compressed. Every object
/// keeps its content, so tags, text and fonts are unchanged; the XMP
/// metadata stays uncompressed, as PDF/UA readers expect.
fn pack(pdf: &[u8]) -> Result<Vec<u8>, lopdf::Error> {
    use lopdf::{Object, SaveOptions};
    let mut doc = lopdf::Document::load_mem(pdf)?;
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.dict.get(b"Type").and_then(Object::as_name).ok() == Some(&b"CMap"[..])
        {
            stream.compress()?;
        }
    }
    let options = SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .compression_level(9)
        .build();
    let mut out = Vec::with_capacity(pdf.len());
    doc.save_with_options(&mut out, options)?;
    Ok(out)
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
    let dir = cache.as_deref().and_then(|c| c.dir.clone());
    // Keys of flyers typeset by this build, to be kept on disk.
    let fresh: Mutex<Vec<u64>> = Mutex::default();
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
                    let key = keys[i];
                    let kept = old
                        .get(&key)
                        .cloned()
                        .or_else(|| dir.as_deref().and_then(|d| read_disk(d, key)));
                    let r = match kept {
                        Some(c) => Ok(c),
                        None => {
                            if let Ok(mut f) = fresh.lock() {
                                f.push(key);
                            }
                            compile(shared, src).map(Arc::new)
                        }
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
    if let Some(dir) = &dir
        && !diags.has_errors()
    {
        let fresh = fresh.into_inner().unwrap_or_default();
        write_disk(dir, &compiled, &fresh);
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

/// Width of a preview in pixels: twice the 70 CSS pixels the flyers page
/// shows it at, so it is sharp on a phone's high-density screen.
pub const PREVIEW_WIDTH_PX: u32 = 140;

/// A page as a PNG [`PREVIEW_WIDTH_PX`] wide, in 4 shades of grey (2 bits a
/// pixel). The flyers are black on white, so grey loses nothing a thumbnail
/// shows, and the file is ~80 times smaller than typst-svg's outlines
/// (issue 24: the flyers page with every preview under 2 MB, the site under 20 MB).
pub fn preview_png(page: &typst::layout::Page) -> Result<Vec<u8>, String> {
    let width_pt = page.frame.width().to_pt() as f32;
    let pixmap = typst_render::render(page, PREVIEW_WIDTH_PX as f32 / width_pt);
    let (w, h) = (pixmap.width(), pixmap.height());
    // Premultiplied RGBA over white → 2-bit luma, four pixels a byte.
    let luma: Vec<u8> = pixmap
        .pixels()
        .iter()
        .map(|p| {
            let inv = 255 - u16::from(p.alpha());
            let c = |v: u8| f32::from((u16::from(v) + inv).min(255) as u8);
            let y = 0.299 * c(p.red()) + 0.587 * c(p.green()) + 0.114 * c(p.blue());
            (y / 85.0).round() as u8
        })
        .collect();
    let mut packed = Vec::with_capacity(luma.len() / 4 + h as usize);
    for row in luma.chunks(w as usize) {
        for quad in row.chunks(4) {
            // A row's last byte is padded with white.
            let px = |i: usize| quad.get(i).copied().unwrap_or(3);
            packed.push(px(0) << 6 | px(1) << 4 | px(2) << 2 | px(3));
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Two);
    enc.set_compression(png::Compression::High);
    let write = |enc: png::Encoder<&mut Vec<u8>>| -> Result<(), png::EncodingError> {
        let mut w = enc.write_header()?;
        w.write_image_data(&packed)?;
        w.finish()
    };
    write(enc).map_err(|e| format!("cannot encode the preview PNG: {e}"))?;
    Ok(out)
}
