//! Load: files on disk → `Raw*` structs, with spans kept for diagnostics.
//!
//! This is one of the two stages that touch the disk (the other is `write`;
//! pages' bodies are read again through [`read_page`] as they are written).
//! It checks only what a parser can: encoding, TOML syntax, field names and
//! types. Meaning (references, duplicates, translations) is `validate`'s job.

mod cache;
mod content;
mod data;
mod fingerprint;
#[cfg(test)]
mod fuzz;
mod listing;
mod parse;
mod spanned;
pub mod theme;

pub use cache::ParseCache;
pub use content::{FrontMatter, RawPage, read_page};
pub use data::*;
pub use fingerprint::{Look, fingerprint, fingerprint_listed};
pub use listing::Listing;
pub use parse::{RawText, parse_toml};
pub use spanned::Spanned;
pub use theme::ThemeText;

use crate::config::{CONFIG_FILE, RawConfig};
use crate::diag::{Diagnostic, Diagnostics};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file's path (relative to the project root) and its text.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: String,
}

/// A record of a data file with the file it came from.
#[derive(Debug)]
pub struct InFile<T> {
    pub file: SourceText,
    pub value: T,
}

/// Everything read from a project directory.
#[derive(Debug)]
pub struct Inputs {
    pub root: PathBuf,
    pub config: InFile<RawConfig>,
    pub sources: Vec<InFile<RawSourcesFile>>,
    pub areas: Vec<InFile<RawAreasFile>>,
    pub hubs: Vec<InFile<RawHubsFile>>,
    pub councils: Vec<InFile<RawCouncilFile>>,
    pub coordinators: Vec<InFile<RawCoordinatorsFile>>,
    pub glossary: Vec<InFile<RawGlossaryFile>>,
    /// `data/accessibility.toml`, when the site publishes test results.
    pub accessibility: Option<InFile<RawAccessibility>>,
    pub providers: Vec<InFile<RawProvidersFile>>,
    /// Municipal boundary files, `data/boundaries/<prefecture code>.geojson` (N03 GeoJSON).
    pub boundaries: Vec<SourceText>,
    /// Postcode files, `data/postcodes/<prefecture code>.csv` (`tsunagu import postcodes`).
    pub postcodes: Vec<SourceText>,
    pub pages: Vec<RawPage>,
    /// The pages' bodies, made as they were read (see [`crate::markdown::Bodies`]).
    pub bodies: Option<crate::markdown::Bodies>,
    /// The project's UI strings per language code, from
    /// `templates/i18n/<lang>.toml`: each key replaces the default's.
    pub strings: BTreeMap<String, InFile<RawStrings>>,
    /// The default theme's UI strings per language code.
    pub default_strings: BTreeMap<String, InFile<RawStrings>>,
    /// Templates by name (path below `templates/`, e.g. `area.html`): the
    /// project's where it has one, else the default theme's.
    pub templates: Vec<ThemeText>,
    /// Static assets below `assets/`, the project's or the default theme's.
    pub assets: Vec<(PathBuf, Vec<u8>)>,
}

impl Inputs {
    /// Every TOML file read: the config and the data files.
    pub fn toml_files(&self) -> impl Iterator<Item = &SourceText> {
        fn files<T>(v: &[InFile<T>]) -> impl Iterator<Item = &SourceText> {
            v.iter().map(|f| &f.file)
        }
        std::iter::once(&self.config.file)
            .chain(files(&self.sources))
            .chain(files(&self.areas))
            .chain(files(&self.hubs))
            .chain(files(&self.councils))
            .chain(files(&self.coordinators))
            .chain(files(&self.glossary))
            .chain(self.accessibility.iter().map(|f| &f.file))
            .chain(files(&self.providers))
    }
}

/// Where each kind of data file lives below `data/`.
const DATA_LAYOUT: &str = "data/sources.toml, data/glossary.toml, data/accessibility.toml, data/areas/*.toml, data/hubs/*.toml, \
     data/councils/*.toml, data/coordinators/*.toml, data/providers/*.toml, data/postcodes/*.csv";

/// Reads and parses every input below `root`. Returns all problems found.
pub fn load(root: &Path) -> Result<Inputs, Diagnostics> {
    load_listed(root, &Listing::of(root), None)
}

/// [`load`] of the files in `listing`, taking data files that have not
/// changed since the last build from `cache`.
pub fn load_listed(
    root: &Path,
    listing: &Listing,
    cache: Option<&ParseCache>,
) -> Result<Inputs, Diagnostics> {
    let mut diags = Diagnostics::default();

    let config = read_toml::<RawConfig>(root, Path::new(CONFIG_FILE), &mut diags);
    let raw_html = config.as_ref().is_some_and(|c| c.value.allow_raw_html);

    let data_files = listing.files_below("data", &mut diags);
    let mut content_listing = Diagnostics::default();
    let mut content_files = listing.files_below("content", &mut content_listing);
    let bodies = crate::markdown::Bodies::new().filter(|_| !content_files.is_empty());
    content_files.retain(|rel| rel.extension().is_some_and(|e| e == "md"));
    // Data files and pages are read and parsed in parallel (a national
    // registry is tens of MB of TOML; a Markdown site, thousands of files);
    // results are gathered back in file order, so output is stable.
    let (parsed, parsed_pages) = rayon::join(
        || {
            data_files
                .into_par_iter()
                .map(|rel| {
                    let mut d = Diagnostics::default();
                    let file = data_file(root, rel, cache, &mut d);
                    (file, d)
                })
                .collect::<Vec<_>>()
        },
        || {
            content_files
                .into_par_iter()
                .map(|rel| {
                    let mut d = Diagnostics::default();
                    let page = read_bytes(root, &rel, &mut d).and_then(|bytes| {
                        let text = utf8(&rel, &bytes, &mut d)?;
                        content::parse_page(rel.clone(), text, raw_html, bodies.as_ref(), &mut d)
                    });
                    (page, d)
                })
                .collect::<Vec<_>>()
        },
    );
    if let Some(cache) = cache {
        cache.prune();
    }
    let mut sources = Vec::new();
    let mut areas = Vec::new();
    let mut hubs = Vec::new();
    let mut councils = Vec::new();
    let mut coordinators = Vec::new();
    let mut glossary = Vec::new();
    let mut accessibility = None;
    let mut providers = Vec::new();
    let mut boundaries = Vec::new();
    let mut postcodes = Vec::new();
    for (file, d) in parsed {
        diags.extend(d);
        match file {
            DataFile::Boundary(f) => boundaries.push(f),
            DataFile::Postcodes(f) => postcodes.push(f),
            DataFile::Sources(f) => sources.push(f),
            DataFile::Glossary(f) => glossary.push(f),
            DataFile::Accessibility(f) => accessibility = Some(f),
            DataFile::Areas(f) => areas.push(f),
            DataFile::Hubs(f) => hubs.push(f),
            DataFile::Councils(f) => councils.push(f),
            DataFile::Coordinators(f) => coordinators.push(f),
            DataFile::Providers(f) => providers.push(f),
            DataFile::None => {}
        }
    }

    diags.extend(content_listing);
    let mut pages = Vec::with_capacity(parsed_pages.len());
    for (page, d) in parsed_pages {
        pages.extend(page);
        diags.extend(d);
    }

    let theme = theme::load(root, listing, &mut diags);

    match config {
        Some(config) if !diags.has_errors() => Ok(Inputs {
            root: root.to_path_buf(),
            config,
            sources,
            areas,
            hubs,
            councils,
            coordinators,
            glossary,
            accessibility,
            providers,
            boundaries,
            postcodes,
            pages,
            bodies,
            strings: theme.strings,
            default_strings: theme.default_strings,
            templates: theme.templates,
            assets: theme.assets,
        }),
        _ => Err(diags),
    }
}

/// One parsed file below `data/`.
enum DataFile {
    Boundary(SourceText),
    Postcodes(SourceText),
    Sources(InFile<RawSourcesFile>),
    Glossary(InFile<RawGlossaryFile>),
    Accessibility(InFile<RawAccessibility>),
    Areas(InFile<RawAreasFile>),
    Hubs(InFile<RawHubsFile>),
    Councils(InFile<RawCouncilFile>),
    Coordinators(InFile<RawCoordinatorsFile>),
    Providers(InFile<RawProvidersFile>),
    /// Unreadable, invalid, or not a data file (reported in the diagnostics).
    None,
}

fn data_file(
    root: &Path,
    rel: PathBuf,
    cache: Option<&ParseCache>,
    diags: &mut Diagnostics,
) -> DataFile {
    if rel.starts_with("data/boundaries") && rel.extension().is_some_and(|e| e == "geojson") {
        return read_source(root, &rel, diags).map_or(DataFile::None, DataFile::Boundary);
    }
    if rel.parent() == Some(Path::new("data/postcodes"))
        && rel.extension().is_some_and(|e| e == "csv")
    {
        return read_source(root, &rel, diags).map_or(DataFile::None, DataFile::Postcodes);
    }
    // `hubs.example.toml`: an example to copy (`tsunagu init` writes them),
    // listed by `check`, never data.
    if rel.extension().is_none_or(|e| e != "toml") || is_example(&rel) {
        return DataFile::None;
    }
    let dir = rel.parent().and_then(Path::to_str).unwrap_or("");
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let parsed = match (dir, name) {
        ("data", "sources.toml") => read_data(root, &rel, cache, diags).map(DataFile::Sources),
        ("data", "glossary.toml") => read_data(root, &rel, cache, diags).map(DataFile::Glossary),
        ("data", "accessibility.toml") => {
            read_data(root, &rel, cache, diags).map(DataFile::Accessibility)
        }
        ("data/areas", _) => read_data(root, &rel, cache, diags).map(DataFile::Areas),
        ("data/hubs", _) => read_data(root, &rel, cache, diags).map(DataFile::Hubs),
        ("data/councils", _) => read_data(root, &rel, cache, diags).map(DataFile::Councils),
        ("data/coordinators", _) => read_data(root, &rel, cache, diags).map(DataFile::Coordinators),
        ("data/providers", _) => read_source(root, &rel, diags).and_then(|file| {
            let value = parse_providers(&file, cache, diags)?;
            Some(DataFile::Providers(InFile { file, value }))
        }),
        _ => {
            diags.push(
                Diagnostic::file(&rel, "tsunagu does not know what this data file holds")
                    .hint(format!("data files go in {DATA_LAYOUT}")),
            );
            None
        }
    };
    parsed.unwrap_or(DataFile::None)
}

/// Whether a data file is an example (`*.example.toml`), which is not read.
pub fn is_example(rel: &Path) -> bool {
    rel.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".example.toml"))
}

/// The example files below `data/` (see [`is_example`]), sorted.
pub fn example_files(root: &Path) -> Vec<PathBuf> {
    Listing::of(root)
        .files_below("data", &mut Diagnostics::default())
        .into_iter()
        .filter(|rel| is_example(rel))
        .collect()
}

/// Reads a file's bytes.
fn read_bytes(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    match std::fs::read(root.join(rel)) {
        Ok(b) => Some(b),
        Err(e) => {
            diags.push(Diagnostic::file(rel, format!("cannot read file: {e}")));
            None
        }
    }
}

/// Reads a UTF-8 file; invalid UTF-8 is reported at the first bad byte.
fn read_text(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<String> {
    match String::from_utf8(read_bytes(root, rel, diags)?) {
        Ok(text) => Some(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            invalid_utf8(rel, e.as_bytes(), valid, diags);
            None
        }
    }
}

/// `bytes` of the file `rel` as text, or its first invalid byte reported.
/// (For text that is not kept: [`read_text`]'s owned text needs std's check.)
fn utf8<'b>(rel: &Path, bytes: &'b [u8], diags: &mut Diagnostics) -> Option<&'b str> {
    match simdutf8::compat::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            invalid_utf8(rel, bytes, e.valid_up_to(), diags);
            None
        }
    }
}

fn invalid_utf8(rel: &Path, bytes: &[u8], valid: usize, diags: &mut Diagnostics) {
    let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
    let pos = crate::diag::Position::of(&prefix, prefix.len());
    let mut d = Diagnostic::file(rel, format!("invalid UTF-8 (byte 0x{:02X})", bytes[valid]));
    d.line = pos.line;
    d.col = pos.col;
    diags.push(
        d.hint("save the file as UTF-8 (in Excel: \"CSV UTF-8\"; in an editor: encoding UTF-8)"),
    );
}

/// A file's path and text, read with [`read_text`].
fn read_source(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<SourceText> {
    let text = read_text(root, rel, diags)?;
    Some(SourceText {
        path: rel.to_path_buf(),
        text,
    })
}

fn read_toml<T: DeserializeOwned>(
    root: &Path,
    rel: &Path,
    diags: &mut Diagnostics,
) -> Option<InFile<T>> {
    let file = read_source(root, rel, diags)?;
    let value = parse_toml(&file, 0, &file.text, diags)?;
    Some(InFile { file, value })
}

/// Reads and parses a data file, or takes its records from the cache.
fn read_data<T: DeserializeOwned + serde::Serialize>(
    root: &Path,
    rel: &Path,
    cache: Option<&ParseCache>,
    diags: &mut Diagnostics,
) -> Option<InFile<T>> {
    let file = read_source(root, rel, diags)?;
    let mut parse = || parse_toml(&file, 0, &file.text, diags);
    let value = match cache {
        Some(cache) => cache.get_or_parse(&file.path, &file.text, parse),
        None => parse(),
    }?;
    Some(InFile { file, value })
}

/// A providers file, parsed in pieces side by side when it is large (a
/// national registry's largest file is 3 MB, and it is the file a rebuild
/// parses), each piece cached on its own: an edit reparses its piece, not
/// the file. Pieces start at `[[provider]]` lines; if any piece fails, the
/// whole file is parsed at once, so errors read exactly as for any file.
fn parse_providers(
    file: &SourceText,
    cache: Option<&ParseCache>,
    diags: &mut Diagnostics,
) -> Option<RawProvidersFile> {
    const PIECE: usize = 256 * 1024;
    let text = &file.text;
    let mut starts = vec![0];
    let mut at = PIECE;
    while at < text.len() {
        while !text.is_char_boundary(at) {
            at += 1;
        }
        match text[at..].find("\n[[provider]]") {
            Some(i) => {
                starts.push(at + i + 1);
                at += i + 1 + PIECE;
            }
            None => break,
        }
    }
    starts.push(text.len());
    let pieces: Vec<Option<RawProvidersFile>> = starts
        .par_windows(2)
        .enumerate()
        .map(|(i, w)| {
            let piece = &text[w[0]..w[1]];
            let parse = || parse_toml(file, w[0], piece, &mut Diagnostics::default());
            match cache {
                Some(cache) => cache.get_or_parse_piece(&file.path, (i, w[0]), piece, parse),
                None => parse(),
            }
        })
        .collect();
    if let Some(pieces) = pieces.into_iter().collect::<Option<Vec<_>>>() {
        let provider = pieces.into_iter().flat_map(|p| p.provider).collect();
        return Some(RawProvidersFile { provider });
    }
    parse_toml(file, 0, text, diags)
}

/// Size and modification time of the running tsunagu binary: a rebuilt
/// program may render differently, so its output (and its parse cache) is
/// not reused.
pub fn program_identity() -> Option<(u64, Option<std::time::SystemTime>)> {
    let m = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    Some((m.len(), m.modified().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large providers file: every SYNTHETIC providers file that
    /// `tsunagu bench-data` writes, one after another.
    fn large_providers_file() -> SourceText {
        let dir = tempfile::tempdir().expect("temp dir");
        crate::commands::bench_data::generate(
            dir.path(),
            &crate::commands::bench_data::Options {
                providers: 2000,
                geodata: None,
                templates: Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
                postcodes: 0,
            },
        )
        .expect("generate");
        let mut text = String::new();
        let listing = Listing::of(dir.path());
        for rel in listing.files_below("data/providers", &mut Diagnostics::default()) {
            text.push_str(&std::fs::read_to_string(dir.path().join(rel)).expect("read"));
        }
        assert!(text.len() > 1024 * 1024, "only {} bytes", text.len());
        SourceText {
            path: PathBuf::from("data/providers/all.toml"),
            text,
        }
    }

    #[test]
    fn a_large_file_parsed_in_pieces_equals_it_parsed_whole() {
        let file = large_providers_file();
        let whole: RawProvidersFile =
            parse_toml(&file, 0, &file.text, &mut Diagnostics::default()).expect("parses");
        let pieces = parse_providers(&file, None, &mut Diagnostics::default()).expect("parses");
        // Debug shows every span: records in later pieces point into the
        // whole file, as a whole parse's do.
        assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
        let last = pieces.provider.last().expect("records");
        assert!(file.text[last.id.span()].contains(last.id.get_ref().as_str()));
    }

    #[test]
    fn a_cached_piece_is_read_back_at_wherever_it_now_lies() {
        #[derive(Debug, serde::Deserialize, serde::Serialize)]
        struct Doc {
            name: Spanned<String>,
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = ParseCache::new(dir.path().join("cache"));
        let piece = "name = \"x\"\n";
        let file = SourceText {
            path: PathBuf::from("data/providers/a.toml"),
            text: format!("# head\n{piece}"),
        };
        let parse = || parse_toml::<Doc>(&file, 7, piece, &mut Diagnostics::default());
        let first = cache.get_or_parse_piece(&file.path, (1, 7), piece, parse);
        let first = first.expect("parses").name.span();
        assert_eq!(&file.text[first.clone()], "\"x\"");
        // The same piece 5 bytes further on: read back, not parsed again.
        let moved: Option<Doc> =
            cache.get_or_parse_piece(&file.path, (1, 12), piece, || unreachable!());
        let moved = moved.expect("cached").name.span();
        assert_eq!(moved, first.start + 5..first.end + 5);
    }

    #[test]
    fn pieces_read_back_after_an_earlier_edit_equal_a_whole_parse() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = ParseCache::new(dir.path().join("cache"));
        let mut file = large_providers_file();
        parse_providers(&file, Some(&cache), &mut Diagnostics::default()).expect("parses");
        let entries = std::fs::read_dir(dir.path().join("cache"))
            .expect("cache")
            .count();
        assert!(
            entries > 2,
            "{entries} cache entries: the file was not cut in pieces"
        );
        // A line added to the first record moves every later piece.
        let at = file.text.find("\nname = ").expect("a name") + 1;
        file.text.insert_str(at, "# a comment line\n");
        let pieces = parse_providers(&file, Some(&cache), &mut Diagnostics::default());
        let whole: RawProvidersFile =
            parse_toml(&file, 0, &file.text, &mut Diagnostics::default()).expect("parses");
        assert_eq!(
            format!("{:?}", pieces.expect("parses")),
            format!("{whole:?}")
        );
    }

    #[test]
    fn an_error_in_a_later_piece_is_reported_as_for_the_whole_file() {
        let mut file = large_providers_file();
        let at = file.text.rfind("kind = ").expect("a kind");
        file.text
            .replace_range(at..at + "kind = ".len(), "kind = = ");
        let (mut whole, mut pieces) = (Diagnostics::default(), Diagnostics::default());
        assert!(parse_toml::<RawProvidersFile>(&file, 0, &file.text, &mut whole).is_none());
        assert!(parse_providers(&file, None, &mut pieces).is_none());
        assert_eq!(pieces.sorted(), whole.sorted());
    }
}
