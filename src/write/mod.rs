//! Write: render and write every file (stylesheets and scripts minified);
//! add `sitemap.xml` and `robots.txt`; update the output directory without
//! ever leaving it half built.
//!
//! Pages are rendered (minified: see [`crate::render::minify`]) and written in
//! parallel, one page per task,
//! so memory stays bounded however large the site is. A **cold** build
//! writes into a temporary directory beside the output and swaps it in when
//! every file is written. Beside the output, a manifest
//! (`.<output name>.tsunagu-manifest`) records a fingerprint of the inputs
//! and a hash of every file written. With it the next build is
//! **incremental**: when the inputs are unchanged nothing is done at all;
//! otherwise only files whose bytes changed are written, first into a
//! staging directory and then moved into place once everything has rendered,
//! and files no longer produced are removed. A file made in parts
//! ([`crate::render::Parts`]) has each part's memo and length in the
//! manifest, and takes the parts it finds there from the previous file.
//! The result is the same bytes a clean build writes
//! (`tests/incremental.rs`).

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::render::escape::xml;
use crate::render::{LazyFile, MakeFile, Output, page_path};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What a build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    /// Files written (all of them in a cold build).
    pub changed: usize,
    /// Files removed because the build no longer produces them.
    pub removed: usize,
}

/// The sitemap protocol's limit of URLs per file.
const SITEMAP_MAX_URLS: usize = 50_000;

/// `sitemap.xml` (a sitemap index over `sitemap-<n>.xml` past
/// [`SITEMAP_MAX_URLS`]) and `robots.txt`, made as they are written (a
/// national sitemap is ~18 MB) and only when the pages or base URL changed.
fn extras<'o>(out: &'o Output) -> Vec<LazyFile<'o>> {
    let base = out.base_url.as_str();
    let keys: Vec<&str> = out.keys().into_iter().collect();
    let memo = {
        let mut h = std::hash::DefaultHasher::new();
        (base, &keys).hash(&mut h);
        h.finish()
    };
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");
    let mut files = sitemaps(base, keys, SITEMAP_MAX_URLS);
    files.push(LazyFile {
        path: "robots.txt".into(),
        memo,
        make: Box::new(move |w: &mut dyn Write| w.write_all(robots.as_bytes())),
        parts: None,
    });
    for f in &mut files {
        f.memo = memo;
    }
    files
}

/// The sitemap of these pages, split into files of at most `max` URLs.
fn sitemaps<'o>(base: &'o str, keys: Vec<&'o str>, max: usize) -> Vec<LazyFile<'o>> {
    // URL i is page keys[i / 2] in language i % 2; the last is the root.
    let count = keys.len() * Lang::ALL.len() + 1;
    let keys = std::sync::Arc::new(keys);
    let urlset = move |range: std::ops::Range<usize>| -> Box<MakeFile<'o>> {
        let keys = std::sync::Arc::clone(&keys);
        Box::new(move |w: &mut dyn Write| {
            let mut w = io::BufWriter::new(w);
            w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n")?;
            for i in range.clone() {
                let Some(key) = keys.get(i / Lang::ALL.len()) else {
                    writeln!(w, "<url><loc>{}</loc></url>", xml(base))?;
                    continue;
                };
                let lang = Lang::ALL[i % Lang::ALL.len()];
                let url = |l: Lang| xml(&format!("{base}{}", page_path(l, key)));
                write!(w, "<url><loc>{}</loc>", url(lang))?;
                for alt in Lang::ALL {
                    write!(
                        w,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{alt}\" href=\"{}\"/>",
                        url(alt)
                    )?;
                }
                let x_default = if key.is_empty() {
                    xml(base)
                } else {
                    url(Lang::Ja)
                };
                writeln!(
                    w,
                    "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{x_default}\"/></url>"
                )?;
            }
            w.write_all(b"</urlset>\n")?;
            w.flush()
        })
    };
    let lazy = |path: String, make: Box<MakeFile<'o>>| LazyFile {
        path,
        memo: 0,
        make,
        parts: None,
    };
    if count <= max {
        return vec![lazy("sitemap.xml".into(), urlset(0..count))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, start) in (0..count).step_by(max).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            xml(&format!("{base}{name}"))
        ));
        files.push(lazy(name, urlset(start..count.min(start + max))));
    }
    index.push_str("</sitemapindex>\n");
    files.push(lazy(
        "sitemap.xml".into(),
        Box::new(move |w: &mut dyn Write| w.write_all(index.as_bytes())),
    ));
    files
}

/// One output file to produce.
#[derive(Clone, Copy)]
enum Job {
    Page(usize),
    File(usize),
    /// An entry of `Output::lazy_files`.
    Lazy(usize),
    /// An entry of [`extras`].
    Extra(usize),
}

/// Lazy files first: they are the largest jobs (a national dataset takes
/// about a second), and started early they overlap the pages instead of
/// leaving one core busy at the end.
fn jobs(out: &Output, extras: usize) -> Vec<Job> {
    (0..out.lazy_files.len())
        .map(Job::Lazy)
        .chain((0..out.page_count()).map(Job::Page))
        .chain((0..out.files.len()).map(Job::File))
        .chain((0..extras).map(Job::Extra))
        .collect()
}

/// The path and final (minified) bytes of one output file.
fn produce<'a>(
    out: &'a Output,
    extras: &'a [LazyFile<'a>],
    job: Job,
) -> Result<(String, Cow<'a, [u8]>), Box<Diagnostic>> {
    Ok(match job {
        Job::Page(i) => {
            let page = out.page(i)?;
            (page.path, Cow::Owned(page.html))
        }
        Job::File(i) => file(&out.files[i]),
        Job::Lazy(_) | Job::Extra(_) => {
            let f = lazy_file(out, extras, job);
            let mut bytes = Vec::new();
            (f.make)(&mut bytes).map_err(|e| {
                Box::new(Diagnostic::file(
                    &f.path,
                    format!("cannot make this file: {e}"),
                ))
            })?;
            (f.path.clone(), Cow::Owned(bytes))
        }
    })
}

/// The lazy file a `Lazy` or `Extra` job makes.
fn lazy_file<'a>(out: &'a Output, extras: &'a [LazyFile<'a>], job: Job) -> &'a LazyFile<'a> {
    match job {
        Job::Extra(i) => &extras[i],
        Job::Lazy(i) => &out.lazy_files[i],
        Job::Page(_) | Job::File(_) => unreachable!("not a lazy file"),
    }
}

/// A data file or asset; stylesheets and scripts minified.
fn file(f: &crate::render::Artifact) -> (String, Cow<'_, [u8]>) {
    let bytes = if f.path.ends_with(".css") {
        Cow::Owned(crate::render::minify::asset(&f.bytes, "style"))
    } else if f.path.ends_with(".js") {
        Cow::Owned(crate::render::minify::asset(&f.bytes, "script"))
    } else {
        Cow::Borrowed(f.bytes.as_slice())
    };
    (f.path.clone(), bytes)
}

/// Every output file as (path, bytes), minified, in a stable order, in
/// memory (for `serve`).
pub fn files(out: &Output) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    let extras = extras(out);
    let results: Vec<_> = jobs(out, extras.len())
        .into_par_iter()
        .map(|j| produce(out, &extras, j))
        .collect();
    let mut all: Vec<(String, Vec<u8>)> = Diagnostics::collect(results)?
        .into_iter()
        .map(|(path, bytes)| (path, bytes.into_owned()))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(all)
}

/// A stable 64-bit hash of bytes.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Passes bytes on to a file, counting (and hashing, if asked) them on the
/// way, so a file made as it is written still gets its manifest entry.
struct Counting<W> {
    inner: W,
    hasher: Option<std::hash::DefaultHasher>,
    len: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        if let Some(h) = &mut self.hasher {
            h.write(&buf[..n]);
        }
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a lazy file to `path` as it is made; returns its hash, length and
/// parts. A file in parts takes each part whose memo `old` (the previous
/// build's file and its parts) records from that file instead of making it.
///
/// A file in parts is not hashed byte by byte: its parts' memos, salted
/// with `program` (a hash of this program's identity: a new version may
/// encode a part differently), stand for its bytes. Its unchanged parts
/// are then copied by the kernel, never read into this process.
fn stream(
    path: &Path,
    f: &LazyFile,
    old: Option<(PathBuf, &[Part])>,
    program: u64,
) -> io::Result<(u64, u64, Vec<Part>)> {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).map_err(|e| with_path(e, p))?;
    }
    let file = fs::File::create(path).map_err(|e| with_path(e, path))?;
    let Some(parts) = &f.parts else {
        let mut w = Counting {
            inner: io::BufWriter::new(file),
            hasher: Some(std::hash::DefaultHasher::new()),
            len: 0,
        };
        (f.make)(&mut w)
            .and_then(|()| w.flush())
            .map_err(|e| with_path(e, path))?;
        return Ok((w.hasher.map_or(0, |h| h.finish()), w.len, Vec::new()));
    };
    let mut w = io::BufWriter::new(file);
    // Where each part of the previous file lies in it (offset, length), by
    // memo; used only if the file still has the length recorded.
    let mut previous = None;
    if let Some((old_path, old_parts)) = old
        && let Ok(file) = fs::File::open(&old_path)
        && file
            .metadata()
            .is_ok_and(|m| m.len() == old_parts.iter().map(|p| p.len).sum::<u64>())
    {
        let mut at = std::collections::HashMap::new();
        let mut offset = 0;
        for p in old_parts {
            at.entry(p.memo).or_insert((offset, p.len));
            offset += p.len;
        }
        previous = Some((file, at));
    }
    let mut made = Vec::with_capacity(parts.memos.len());
    for (i, &memo) in parts.memos.iter().enumerate() {
        let memo = {
            let mut h = std::hash::DefaultHasher::new();
            (memo, program).hash(&mut h);
            h.finish()
        };
        let len = match previous
            .as_mut()
            .and_then(|(file, at)| Some((file, *at.get(&memo)?)))
        {
            Some((file, (offset, len))) => {
                // File to file: `io::copy` lets the kernel copy it.
                let copied = io::Seek::seek(file, io::SeekFrom::Start(offset))
                    .and_then(|_| io::copy(&mut io::Read::take(&*file, len), &mut w))
                    .map_err(|e| with_path(e, path))?;
                if copied != len {
                    return Err(with_path(
                        io::Error::new(io::ErrorKind::UnexpectedEof, "shorter than recorded"),
                        path,
                    ));
                }
                len
            }
            None => {
                let mut counting = Counting {
                    inner: &mut w,
                    hasher: None,
                    len: 0,
                };
                (parts.make)(i, &mut counting).map_err(|e| with_path(e, path))?;
                counting.len
            }
        };
        made.push(Part { memo, len });
    }
    w.flush().map_err(|e| with_path(e, path))?;
    let mut h = std::hash::DefaultHasher::new();
    made.hash(&mut h);
    Ok((h.finish(), made.iter().map(|p| p.len).sum(), made))
}

/// A part of a file written in parts (see [`crate::render::Parts`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Part {
    memo: u64,
    len: u64,
}

/// What the manifest records of a file.
#[derive(Clone, PartialEq, Eq)]
struct Entry {
    /// Hash of the bytes written.
    out: u64,
    /// For a page, the hash of its [`crate::render::PageInput`]; 0 otherwise.
    input: u64,
    len: u64,
    /// For a file written in parts, each part's memo and length, in order.
    parts: Vec<Part>,
}

/// A file produced: its path, what the manifest records, and whether it
/// was written.
type WrittenFile = (String, Entry, bool);

/// What the previous build left: the input fingerprint and each file's hash.
pub struct Manifest {
    inputs: u64,
    files: BTreeMap<String, Entry>,
}

const MANIFEST_HEADER: &str = "tsunagu-manifest 3";

/// `.<name>.tsunagu-manifest` beside the output directory: outside it, so
/// it is never published.
pub fn manifest_path(dest: &Path) -> PathBuf {
    dest.with_file_name(format!(".{}.tsunagu-manifest", dir_name(dest)))
}

/// `.<name>.tsunagu-cache` beside the output directory: the parse cache
/// (see [`crate::load::ParseCache`]), outside the output so it is never
/// published.
pub fn cache_path(dest: &Path) -> PathBuf {
    dest.with_file_name(format!(".{}.tsunagu-cache", dir_name(dest)))
}

/// The output directory's own name (`site`), for the files kept beside it.
fn dir_name(dest: &Path) -> String {
    dest.file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned())
}

impl Manifest {
    /// The input fingerprint only: the manifest's first two lines (a
    /// national site's manifest has ~47,000 more).
    fn inputs(dest: &Path) -> Option<u64> {
        if !dest.is_dir() {
            return None;
        }
        let file = fs::File::open(manifest_path(dest)).ok()?;
        let mut lines = io::BufRead::lines(io::BufReader::new(file));
        Self::header(lines.next()?.ok()?.as_str(), lines.next()?.ok()?.as_str())
    }

    fn header(first: &str, second: &str) -> Option<u64> {
        if first != MANIFEST_HEADER {
            return None;
        }
        u64::from_str_radix(second.strip_prefix("inputs ")?, 16).ok()
    }

    /// The manifest of the build in `dest`, if both are there and readable.
    pub fn read(dest: &Path) -> Option<Manifest> {
        if !dest.is_dir() {
            return None;
        }
        let text = fs::read_to_string(manifest_path(dest)).ok()?;
        let mut lines = text.lines();
        let inputs = Self::header(lines.next()?, lines.next()?)?;
        let mut files = BTreeMap::new();
        let mut last: Option<String> = None;
        for line in lines {
            // `+ <memo> <len>`: a part of the file on the line before.
            if let Some(part) = line.strip_prefix("+ ") {
                let (memo, len) = part.split_once(' ')?;
                let entry: &mut Entry = files.get_mut(last.as_ref()?)?;
                entry.parts.push(Part {
                    memo: u64::from_str_radix(memo, 16).ok()?,
                    len: u64::from_str_radix(len, 16).ok()?,
                });
                continue;
            }
            let mut parts = line.splitn(4, ' ');
            let mut hex = || u64::from_str_radix(parts.next()?, 16).ok();
            let (out, input, len) = (hex()?, hex()?, hex()?);
            let path = parts.next()?.to_string();
            last = Some(path.clone());
            files.insert(
                path,
                Entry {
                    out,
                    input,
                    len,
                    parts: Vec::new(),
                },
            );
        }
        Some(Manifest { inputs, files })
    }

    fn write(&self, dest: &Path) -> io::Result<()> {
        use std::fmt::Write as _;
        let mut text = format!("{MANIFEST_HEADER}\ninputs {:016x}\n", self.inputs);
        for (path, e) in &self.files {
            let _ = writeln!(text, "{:016x} {:016x} {:x} {path}", e.out, e.input, e.len);
            for p in &e.parts {
                let _ = writeln!(text, "+ {:016x} {:x}", p.memo, p.len);
            }
        }
        let path = manifest_path(dest);
        let tmp = path.with_extension("tmp");
        fs::write(&tmp, text).map_err(|e| with_path(e, &tmp))?;
        fs::rename(&tmp, &path).map_err(|e| with_path(e, &path))
    }
}

/// Whether `dest` holds a complete build of inputs with this fingerprint
/// (then there is nothing to do).
pub fn up_to_date(dest: &Path, inputs: u64) -> bool {
    Manifest::inputs(dest) == Some(inputs)
}

/// Writes the site into `dest`, changing it only once every file has been
/// produced. `inputs` is the fingerprint recorded for the next build;
/// `previous` is [`Manifest::read`] of `dest`, read by the caller (a build
/// reads it while the project loads).
pub fn write(
    out: &Output,
    dest: &Path,
    inputs: u64,
    previous: Option<Manifest>,
) -> Result<Written, Diagnostics> {
    let io_error = |e: io::Error| {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::file(dest, format!("cannot write the site: {e}"))
                .hint("check that the output directory's parent is writable"),
        );
        d
    };
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| io_error(with_path(e, parent)))?;
    let tmp = parent.join(format!("{}.tmp-{}", dir_name(dest), std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(|e| io_error(with_path(e, &tmp)))?;
    }
    let program = crate::render::debug_hash(&crate::load::program_identity());

    // Produce every file; write those that differ from the previous build.
    // A page whose input hash is the one recorded is not even rendered.
    let extras = extras(out);
    let write_error = |e: io::Error| {
        Box::new(Diagnostic::file(
            dest,
            format!("cannot write the site: {e}"),
        ))
    };
    // The entry recorded last time for `path`, if made from the same input.
    let recorded = |path: &str, input: u64| {
        previous
            .as_ref()
            .and_then(|m| m.files.get(path))
            .filter(|e| e.input == input)
            .cloned()
    };
    let changed = |path: &str, entry: &Entry| {
        previous
            .as_ref()
            .is_none_or(|m| m.files.get(path).is_none_or(|e| e.out != entry.out))
    };
    let emit = |path: String, bytes: &[u8], input: u64| -> Result<WrittenFile, Box<Diagnostic>> {
        let entry = Entry {
            out: hash_bytes(bytes),
            input,
            len: bytes.len() as u64,
            parts: Vec::new(),
        };
        let changed = changed(&path, &entry);
        if changed {
            write_file(&tmp.join(&path), bytes).map_err(write_error)?;
        }
        Ok((path, entry, changed))
    };
    let results: Vec<Result<WrittenFile, Box<Diagnostic>>> = jobs(out, extras.len())
        .into_par_iter()
        .map(|job| match job {
            Job::Page(i) => {
                let input = out.input(i);
                match recorded(&input.path, input.hash) {
                    Some(e) => Ok((input.path, e, false)),
                    None => {
                        let (path, hash) = (input.path.clone(), input.hash);
                        let html = out.render_input(input)?;
                        emit(path, &html, hash)
                    }
                }
            }
            Job::Lazy(_) | Job::Extra(_) => {
                let f = lazy_file(out, &extras, job);
                let input = out.lazy_input(f);
                match recorded(&f.path, input) {
                    Some(e) => Ok((f.path.clone(), e, false)),
                    None => {
                        // Streamed to the staging directory even when its
                        // bytes turn out unchanged: only changed files move in.
                        let old = previous
                            .as_ref()
                            .and_then(|m| m.files.get(&f.path))
                            .map(|e| (dest.join(&f.path), e.parts.as_slice()));
                        let (hash, len, parts) =
                            stream(&tmp.join(&f.path), f, old, program).map_err(write_error)?;
                        let entry = Entry {
                            out: hash,
                            input,
                            len,
                            parts,
                        };
                        let changed = changed(&f.path, &entry);
                        Ok((f.path.clone(), entry, changed))
                    }
                }
            }
            Job::File(_) => {
                let (path, bytes) = produce(out, &extras, job)?;
                emit(path, &bytes, 0)
            }
        })
        .collect();
    let results = Diagnostics::collect(results).inspect_err(|_| {
        let _ = fs::remove_dir_all(&tmp);
    })?;
    let mut files = BTreeMap::new();
    let mut written = Written {
        pages: out.page_count(),
        files: 0,
        bytes: 0,
        changed: 0,
        removed: 0,
    };
    for (path, entry, changed) in results {
        written.files += 1;
        written.bytes += entry.len;
        written.changed += usize::from(changed);
        files.insert(path, entry);
    }

    let manifest = Manifest { inputs, files };
    // The old manifest goes first: if anything below fails half-way, the
    // next build sees no manifest and rebuilds from scratch.
    let _ = fs::remove_file(manifest_path(dest));
    match &previous {
        None => swap(&tmp, dest).map_err(io_error)?,
        Some(prev) => {
            for (path, _) in manifest
                .files
                .iter()
                .filter(|(p, e)| prev.files.get(*p).map(|x| x.out) != Some(e.out))
            {
                let to = dest.join(path);
                if let Some(dir) = to.parent() {
                    fs::create_dir_all(dir).map_err(|e| io_error(with_path(e, dir)))?;
                }
                fs::rename(tmp.join(path), &to).map_err(|e| io_error(with_path(e, &to)))?;
            }
            for path in prev
                .files
                .keys()
                .filter(|p| !manifest.files.contains_key(*p))
            {
                let gone = dest.join(path);
                if gone.exists() {
                    fs::remove_file(&gone).map_err(|e| io_error(with_path(e, &gone)))?;
                    written.removed += 1;
                    remove_empty_parents(dest, &gone);
                }
            }
            let _ = fs::remove_dir_all(&tmp);
        }
    }
    manifest.write(dest).map_err(io_error)?;
    Ok(written)
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).map_err(|e| with_path(e, p))?;
    }
    fs::write(path, bytes).map_err(|e| with_path(e, path))
}

/// Removes directories left empty by a removed file, up to `dest`.
fn remove_empty_parents(dest: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != dest && d.starts_with(dest)) {
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Moves `tmp` into place at `dest`: the old tree is renamed aside first
/// and removed only once the new one is in place.
fn swap(tmp: &Path, dest: &Path) -> io::Result<()> {
    if !dest.exists() {
        return fs::rename(tmp, dest).map_err(|e| with_path(e, dest));
    }
    let old = dest.with_file_name(format!("{}.old-{}", dir_name(dest), std::process::id()));
    fs::rename(dest, &old).map_err(|e| with_path(e, dest))?;
    if let Err(e) = fs::rename(tmp, dest) {
        let _ = fs::rename(&old, dest);
        return Err(with_path(e, dest));
    }
    fs::remove_dir_all(&old).map_err(|e| with_path(e, &old))
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    fn made(f: &crate::render::LazyFile) -> String {
        let mut out = Vec::new();
        (f.make)(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_large_sitemap_is_split_under_an_index() {
        let files = super::sitemaps("https://x.example/", vec!["", "areas", "hubs"], 3);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let index = made(&files[3]);
        for n in 1..=3 {
            assert!(
                index.contains(&format!("<loc>https://x.example/sitemap-{n}.xml</loc>")),
                "{index}"
            );
        }
        let all: String = files[..3].iter().map(made).collect();
        // 3 pages x 2 languages + the root, each listed once.
        assert_eq!(all.matches("<url>").count(), 7, "{all}");
        for url in [
            "ja/",
            "en/",
            "ja/areas/",
            "en/areas/",
            "ja/hubs/",
            "en/hubs/",
        ] {
            assert_eq!(
                all.matches(&format!("<loc>https://x.example/{url}</loc>"))
                    .count(),
                1,
                "{url}"
            );
        }
        assert!(
            all.contains("<url><loc>https://x.example/</loc></url>"),
            "{all}"
        );
        for f in &files[..3] {
            assert!(made(f).ends_with("</urlset>\n"));
        }
    }

    /// A file in parts whose part `i` is `texts[i]`, or which fails for
    /// the parts not in `makes` (they must come from the previous file).
    fn parted(
        memos: Vec<u64>,
        texts: &'static [&'static str],
        makes: &'static [usize],
    ) -> crate::render::LazyFile<'static> {
        crate::render::LazyFile {
            path: "data.csv".into(),
            memo: 0,
            make: Box::new(|_| unreachable!("written in parts")),
            parts: Some(crate::render::Parts {
                memos,
                make: Box::new(move |i, w| {
                    assert!(makes.contains(&i), "part {i} was made, not copied");
                    w.write_all(texts[i].as_bytes())
                }),
            }),
        }
    }

    #[test]
    fn unchanged_parts_are_copied_from_the_previous_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (old, new) = (dir.path().join("old.csv"), dir.path().join("new.csv"));
        let first = parted(vec![1, 2, 3], &["head\n", "row 1\n", "tail\n"], &[0, 1, 2]);
        let (_, _, parts) = super::stream(&old, &first, None, 7).expect("write");
        assert_eq!(
            std::fs::read_to_string(&old).unwrap(),
            "head\nrow 1\ntail\n"
        );

        // Part 1 changed (memo 5): only it is made; the others are copied.
        let second = parted(vec![1, 5, 3], &["", "row 1 changed\n", ""], &[1]);
        let (hash, len, _) =
            super::stream(&new, &second, Some((old.clone(), &parts)), 7).expect("write");
        let text = std::fs::read_to_string(&new).unwrap();
        assert_eq!(text, "head\nrow 1 changed\ntail\n");
        assert_eq!(len, text.len() as u64);
        // The parts' memos stand for the bytes: equal for the same parts.
        let again = parted(
            vec![1, 5, 3],
            &["head\n", "row 1 changed\n", "tail\n"],
            &[0, 1, 2],
        );
        let (same, _, _) = super::stream(&new, &again, None, 7).expect("write");
        assert_eq!(same, hash);
        let (first_hash, _, _) = super::stream(&new, &first, None, 7).expect("write");
        assert_ne!(first_hash, hash);

        // Another program may encode a part differently: nothing is copied.
        let other = parted(vec![1, 2, 3], &["h\n", "r\n", "t\n"], &[0, 1, 2]);
        let (other_hash, _, _) =
            super::stream(&new, &other, Some((old.clone(), &parts)), 8).expect("write");
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "h\nr\nt\n");
        assert_ne!(other_hash, first_hash);

        // A previous file that is not the length recorded is not used.
        std::fs::write(&old, "edited by hand").unwrap();
        let third = parted(vec![1, 2, 3], &["h\n", "r\n", "t\n"], &[0, 1, 2]);
        super::stream(&new, &third, Some((old, &parts)), 7).expect("write");
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "h\nr\nt\n");
    }

    #[test]
    fn a_small_sitemap_is_one_file() {
        let files = super::sitemaps("https://x.example/", vec!["", "areas"], 50_000);
        assert_eq!(files.len(), 1);
        assert_eq!(made(&files[0]).matches("<url>").count(), 5);
    }
}
