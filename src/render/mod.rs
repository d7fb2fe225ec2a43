//! Render: model → HTML pages and data files in memory, through tera.
//!
//! Features (content, finder, figures, council, reference, registry) each
//! turn the model into [`PageDef`]s, or a [`PageSet`] of pages defined when
//! rendered; this module wraps every page in the shared
//! layout (language switcher, hreflang, breadcrumb, provenance footer) and
//! renders it. Nothing here touches the disk.

mod data;
pub mod dataset;
pub use crate::escape;
mod favicon;
pub mod json_ld;
mod layout;
pub mod links;
pub mod markdown;
pub mod minify;
mod output;
mod templates;

pub use crate::markdown::up_to_home;
pub use data::TemplateData;
pub use layout::{IDENTITY_STRINGS, NavKeys};
pub use output::{Output, PageInput};

use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::model::{Provenance, Site};
use serde::Serialize;

/// Fills in the rest of a page's template data when the page is rendered,
/// so a national site's ~47,000 pages do not all hold their data at once.
/// It fails when what it reads is gone (a page's file changed meanwhile).
pub struct Fill<'a> {
    #[allow(clippy::type_complexity)]
    pub run: Box<dyn Fn(&mut TemplateData) -> Result<(), Box<Diagnostic>> + Send + Sync + 'a>,
    /// A hash of everything `run` reads from the model. When set, it stands
    /// for the filled-in data in the page's input hash, so an incremental
    /// build never builds the data of a page that has not changed.
    pub memo: Option<u64>,
}

/// A page to render, in one language. `key` is the language-independent
/// path: `""` (home), `areas`, `areas/141097`, `yokohama`.
pub struct PageDef<'a> {
    pub key: String,
    pub lang: Lang,
    pub template: &'static str,
    pub title: String,
    pub description: Option<String>,
    /// Ancestors after the home page, as (title, key).
    pub crumbs: Vec<(String, String)>,
    /// Shown in the footer as 出典 / 時点.
    pub provenance: Vec<ProvenanceCtx>,
    /// The template's own data.
    pub body: TemplateData,
    /// More of it, computed at render time.
    pub fill: Option<Fill<'a>>,
}

/// Many pages of one template in one language, each defined only when it
/// is rendered: a national registry has 20,000 provider pages per
/// language, and a rebuild after one provider changed should not define
/// the 19,999 others just to find that they are unchanged.
pub struct PageSet<'a> {
    pub lang: Lang,
    pub template: &'static str,
    /// Each page's key, as [`PageDef::key`].
    pub keys: Vec<String>,
    /// Per page, a hash of everything its definition is made from (key,
    /// title, crumbs, provenance, body): it stands for the definition in
    /// the page's input hash, as [`Fill::memo`] stands for a fill's data.
    pub memos: Vec<u64>,
    /// Per page, the latest date of its sources ([`ProvenanceCtx::date`]):
    /// the sitemap's `lastmod`.
    pub dates: Vec<String>,
    /// Defines page `i`, its data whole (a page defined when rendered has
    /// no use for a [`Fill`]).
    pub define: Box<dyn Fn(usize) -> PageDef<'static> + Send + Sync + 'a>,
}

/// A rendered HTML page, minified.
pub struct RenderedPage {
    /// `None` for language-neutral pages (root index, 404).
    pub lang: Option<Lang>,
    pub key: String,
    /// Path below the output directory, e.g. `ja/areas/141097/index.html`.
    pub path: String,
    pub html: Vec<u8>,
}

/// Any other output file.
pub struct Artifact {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A file made as it is written (e.g. open data, tens of MB nationally):
/// `memo` is a hash of everything `make` reads, so an incremental build can
/// skip making it.
pub struct LazyFile<'a> {
    pub path: String,
    pub memo: u64,
    pub make: Box<MakeFile<'a>>,
    /// The same bytes in parts, for a file mostly unchanged between builds.
    pub parts: Option<Parts<'a>>,
}

impl<'a> LazyFile<'a> {
    /// What the file's bytes depend on: its memo and this program (a new
    /// version may encode it differently). `write` records it.
    pub fn input(&self) -> u64 {
        crate::hash::of(&(self.memo, crate::load::program_identity()))
    }

    /// `files` made from now on, in order, by one job handed to `spawn`,
    /// each into an unnamed temporary file (in memory, a national
    /// workbook's 6 MB were on top of the build's peak); each copied from
    /// there when asked, once it is made. An error making one is reported
    /// then, as if it were made then.
    pub fn made_ahead<'j>(files: Vec<LazyFile<'a>>, spawn: &Spawn<'j>) -> Vec<LazyFile<'a>>
    where
        'a: 'j,
    {
        type Made = Result<std::fs::File, (std::io::ErrorKind, String)>;
        let mut jobs = Vec::with_capacity(files.len());
        let files = files
            .into_iter()
            .map(|f| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Made>(1);
                jobs.push((f.make, tx));
                let (rx, made) = (
                    std::sync::Mutex::new(rx),
                    std::sync::OnceLock::<Made>::new(),
                );
                LazyFile {
                    make: Box::new(move |out| {
                        let made = made.get_or_init(|| {
                            let received = rx.lock().ok().and_then(|rx| rx.recv().ok());
                            received.unwrap_or_else(|| {
                                Err((std::io::ErrorKind::Other, "not made".into()))
                            })
                        });
                        match made {
                            Ok(file) => copy_from_start(file, out),
                            Err((kind, e)) => Err(std::io::Error::new(*kind, e.clone())),
                        }
                    }),
                    ..f
                }
            })
            .collect();
        if jobs.is_empty() {
            return files;
        }
        spawn(Box::new(move || {
            for (make, tx) in jobs {
                let made = tempfile::tempfile().and_then(|file| {
                    let mut w = std::io::BufWriter::new(file);
                    make(&mut w)?;
                    w.into_inner().map_err(|e| e.into_error())
                });
                // No one waits only when the build stopped before writing.
                let _ = tx.send(made.map_err(|e| (e.kind(), e.to_string())));
            }
        }));
        files
    }
}

/// Copies all of `file` (whatever was read of it before) to `out`.
fn copy_from_start(mut file: &std::fs::File, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(0))?;
    std::io::copy(&mut file, out).map(drop)
}

/// Runs a job on a thread of its own, one that ends before the build does
/// ([`LazyFile::made_ahead`]).
pub type Spawn<'j> = dyn Fn(Box<dyn FnOnce() + Send + 'j>) + Sync + 'j;

/// A file made from other output files as written: the open-data catalogue
/// lists each with its size and SHA-256, which only `write` knows (the
/// files are made, or copied in parts, as they are written).
pub struct DigestFile<'a> {
    pub path: String,
    /// The files it lists, as paths below the output directory.
    pub inputs: Vec<String>,
    /// A hash of everything else it is made from.
    pub memo: u64,
    pub make: Box<MakeDigestFile<'a>>,
}

/// Makes a [`DigestFile`]'s bytes from its files' digests, in `inputs` order.
pub type MakeDigestFile<'a> = dyn Fn(&[FileDigest]) -> Vec<u8> + Send + Sync + 'a;

/// An output file's size and SHA-256 (lowercase hex), for a [`DigestFile`].
#[derive(Debug, Clone)]
pub struct FileDigest {
    pub path: String,
    pub len: u64,
    pub sha256: String,
}

impl FileDigest {
    /// The digest of a file's bytes.
    pub fn of(path: &str, bytes: &[u8]) -> FileDigest {
        use sha2::Digest;
        FileDigest::new(path, bytes.len() as u64, &sha2::Sha256::digest(bytes))
    }

    /// A digest from a SHA-256 computed elsewhere (a file hashed as read).
    pub fn new(path: &str, len: u64, sha256: &[u8]) -> FileDigest {
        FileDigest {
            path: path.to_string(),
            len,
            sha256: sha256.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// A [`LazyFile`] as a sequence of parts, each made alone and with a memo
/// of its own (`memos[i]` hashes everything part `i` is made from).
/// `write` copies a part whose memo it recorded last time from the
/// previous file instead of making it: one changed provider re-encodes
/// ~64 rows of the national open data, not 20,000.
pub struct Parts<'a> {
    pub memos: Vec<u64>,
    pub make: Box<MakePart<'a>>,
}

/// Writes part `i` of a [`Parts`].
pub type MakePart<'a> =
    dyn Fn(usize, &mut dyn std::io::Write) -> std::io::Result<()> + Send + Sync + 'a;

/// Writes a [`LazyFile`]'s bytes. The writer is `Send` so a workbook can
/// be saved straight into it (`rust_xlsxwriter` asks for that), not into a
/// buffer of its own (17 MB nationally).
pub type MakeFile<'a> =
    dyn Fn(&mut (dyn std::io::Write + Send)) -> std::io::Result<()> + Send + Sync + 'a;

/// The site-relative directory of a page: `ja/`, `en/areas/141097/`.
pub fn page_path(lang: Lang, key: &str) -> String {
    page_href("", lang, key)
}

/// [`page_path`] after `prefix` (the site's base URL, or the path up to
/// the site root): one allocation, no formatting machinery (`format!` of
/// page paths was ~5 % of a Markdown site's instructions).
pub fn page_href(prefix: &str, lang: Lang, key: &str) -> String {
    let segment = lang.url_segment();
    let mut href = String::with_capacity(prefix.len() + segment.len() + key.len() + 2);
    href.push_str(prefix);
    href.push_str(segment);
    href.push('/');
    if !key.is_empty() {
        href.push_str(key);
        href.push('/');
    }
    href
}

/// The relative path from a page back to the site root: `../../`. Every
/// language's pages sit one directory below the root ([`page_path`]).
pub fn root_prefix(key: &str) -> String {
    "../".repeat(crate::markdown::levels_below_home(key) + 1)
}

/// Source and dates of a fact, ready for display. Shared, not copied: a
/// national registry's ~6,000 provider lists each carry the handful of
/// records their providers cite, and the copies were ~27 MB of a build's
/// peak (heaptrack). Reads its fields through [`ProvenanceDisplay`].
#[derive(Clone)]
pub struct ProvenanceCtx(std::sync::Arc<Shown>);

/// A [`ProvenanceDisplay`] and, once a page's footer has shown it, its
/// template value: every page citing a source shares one (made anew for
/// each page, it was 1 % of a Markdown site's build).
struct Shown {
    display: ProvenanceDisplay,
    value: std::sync::OnceLock<tera::Value>,
}

impl ProvenanceCtx {
    /// As a template value, made once.
    pub fn value(&self) -> tera::Value {
        let shown = &self.0;
        (shown.value)
            .get_or_init(|| tera::Value::from_serializable(&shown.display))
            .clone()
    }
}

impl std::ops::Deref for ProvenanceCtx {
    type Target = ProvenanceDisplay;

    fn deref(&self) -> &ProvenanceDisplay {
        &self.0.display
    }
}

impl PartialEq for ProvenanceCtx {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl std::hash::Hash for ProvenanceCtx {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl std::fmt::Debug for ProvenanceCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl Serialize for ProvenanceCtx {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

/// What a [`ProvenanceCtx`] shows.
#[derive(Debug, Serialize, PartialEq, Hash)]
pub struct ProvenanceDisplay {
    pub source_id: String,
    pub source: String,
    pub publisher: String,
    pub url: Option<String>,
    pub as_of: String,
    pub last_verified: Option<String>,
    /// The later of as-of and last verified, `YYYY-MM-DD` or `YYYY-MM`
    /// (the page's `dateModified`).
    pub date: String,
}

/// Display form of a record's provenance.
pub fn provenance(site: &Site, p: &Provenance, lang: Lang) -> ProvenanceCtx {
    let source = &site.sources[&p.source];
    let display = ProvenanceDisplay {
        source_id: p.source.to_string(),
        source: source.title.str(lang).to_string(),
        publisher: source.publisher.str(lang).to_string(),
        url: source.url.clone(),
        as_of: p.as_of.display(lang),
        last_verified: p.last_verified.map(|d| d.display(lang)),
        date: p.latest().to_string(),
    };
    ProvenanceCtx(std::sync::Arc::new(Shown {
        display,
        value: std::sync::OnceLock::new(),
    }))
}

/// Adds provenance entries, skipping exact repeats.
pub fn push_provenance(list: &mut Vec<ProvenanceCtx>, p: ProvenanceCtx) {
    if !list.contains(&p) {
        list.push(p);
    }
}

/// UI strings the Rust side uses (page titles of generated pages); validate
/// requires each of them in both languages.
pub const STRINGS: &[&str] = &[
    "areas_title",
    "hubs_title",
    "figures_title",
    "glossary_title",
    "sources_title",
    "council_title",
    "dimension_profession",
    "dimension_affiliation",
    "dimension_area",
    "dimension_training_year",
    "open_data_title",
    "service_audience",
];

/// A UI string. Every key a feature uses is in a list that validate
/// requires in both languages (this module's [`STRINGS`], a feature's own),
/// so it is always there; were one ever missed, the page would show the
/// key itself, never an empty string.
pub fn ui(site: &Site, lang: Lang, key: &str) -> String {
    match site.strings[&lang].get(key) {
        Some(s) => s.clone(),
        None => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::LazyFile;
    use std::io::{Error, ErrorKind};

    fn made_ahead(make: Box<super::MakeFile<'static>>) -> LazyFile<'static> {
        let file = LazyFile {
            path: "open-data/x.xlsx".into(),
            memo: 7,
            make,
            parts: None,
        };
        let spawn = |job: Box<dyn FnOnce() + Send>| drop(std::thread::spawn(job));
        LazyFile::made_ahead(vec![file], &spawn).remove(0)
    }

    #[test]
    fn a_file_made_ahead_writes_what_was_made_each_time_or_the_error() {
        let file = made_ahead(Box::new(|out| out.write_all(b"PK\x03\x04 workbook")));
        assert_eq!((file.path.as_str(), file.memo), ("open-data/x.xlsx", 7));
        for _ in 0..2 {
            let mut bytes = Vec::new();
            (file.make)(&mut bytes).expect("made");
            assert_eq!(bytes, b"PK\x03\x04 workbook");
        }

        let failing = made_ahead(Box::new(|_| {
            Err(Error::new(ErrorKind::StorageFull, "no room"))
        }));
        let err = (failing.make)(&mut Vec::new()).expect_err("the error, when written");
        assert_eq!(
            (err.kind(), err.to_string()),
            (ErrorKind::StorageFull, "no room".into())
        );
    }
}
