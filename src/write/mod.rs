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
//! (`tests/it/incremental.rs`).
//!
//! Putting the files into place is all or nothing ([`place`]): the whole
//! staged tree renamed in when most files changed, else file by file, each
//! step journalled and undone if a later one fails; the staging directory
//! is removed whatever happens. Before all this, [`check_out`] refuses an
//! output directory that is the project or inside it, a file, or a
//! directory tsunagu did not make.

mod manifest;
mod outdir;
mod place;
mod sitemap;
mod stream;

pub use manifest::{Inputs, Manifest, cache_path, manifest_path};
pub use outdir::check_out;

use crate::diag::{Diagnostic, Diagnostics};
use crate::render::{FileDigest, LazyFile, Output};
use manifest::Entry;
use place::{Beside, with_path};
use rayon::prelude::*;
use sitemap::extras;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;
use stream::stream;

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

/// The most jobs one thread takes at once (see [`Staging::produce_all`]):
/// a page takes ~0.1 ms, so a piece stays well below what the end of a
/// build can wait for.
const JOBS_PER_PIECE: usize = 32;

/// Lazy files and extras first: they are the largest jobs (a national
/// dataset takes about a second, the sitemap of a 20,000-page site ~20 ms),
/// and started early they overlap the pages instead of leaving one core
/// busy at the end.
fn jobs(out: &Output, extras: usize) -> Vec<Job> {
    (0..out.lazy_files.len())
        .map(Job::Lazy)
        .chain((0..extras).map(Job::Extra))
        .chain(out.render_order().into_iter().map(Job::Page))
        .chain((0..out.files.len()).map(Job::File))
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
    for f in &out.digest_files {
        let digests = f
            .inputs
            .iter()
            .filter_map(|path| all.iter().find(|(p, _)| p == path))
            .map(|(path, bytes)| FileDigest::of(path, bytes))
            .collect::<Vec<_>>();
        all.push((f.path.clone(), (f.make)(&digests)));
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(all)
}

/// What a failed write left in the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Left {
    /// The build was refused before anything was made or touched.
    Refused,
    /// The output directory and its manifest are byte for byte as they were.
    AsItWas,
    /// They could not all be put back: what happened, and where the
    /// previous files are.
    Changed(String),
}

/// Why [`write`] failed, and what it left in the output directory.
#[derive(Debug)]
pub struct WriteError {
    pub diagnostics: Diagnostics,
    pub left: Left,
}

/// Removes the staging directory however [`write`] ends (an error, or a
/// panic unwinding); after a whole-tree swap it is gone already.
struct RemoveOnDrop<'a>(&'a Path);

impl Drop for RemoveOnDrop<'_> {
    fn drop(&mut self) {
        place::remove_tree(self.0);
    }
}

/// Writes the site into `dest`, changing it only once every file has been
/// produced, all at once (see [`place`]): on any error the output and its
/// manifest are left as they were (or [`WriteError::left`] says what
/// changed) and the staging directory is removed. `inputs` is the
/// fingerprint recorded for the next build; `previous` is
/// [`Manifest::read`] of `dest`, read by the caller (a build reads it while
/// the project loads).
pub fn write(
    out: &Output,
    dest: &Path,
    inputs: Inputs,
    previous: Option<&Manifest>,
) -> Result<Written, WriteError> {
    let io_error = |e: io::Error| {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::file(dest, format!("cannot write the site: {e}"))
                .hint("check that the output directory and its parent are writable and that nothing stands where the site puts a file or directory"),
        );
        d
    };
    let as_it_was = |diagnostics| WriteError {
        diagnostics,
        left: Left::AsItWas,
    };
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| as_it_was(io_error(with_path(e, parent))))?;
    let beside = Beside::of(dest);
    let tmp = beside.tmp.as_path();
    if fs::symlink_metadata(tmp).is_ok() {
        fs::remove_dir_all(tmp).map_err(|e| as_it_was(io_error(with_path(e, tmp))))?;
    }
    let _remove_tmp = RemoveOnDrop(tmp);
    let staging = Staging {
        dest,
        tmp,
        previous,
        program: crate::hash::of(&crate::load::program_identity()),
    };
    let mut results = staging.produce_all(out).map_err(as_it_was)?;
    let digested = staging.digest_files(out, &results).map_err(as_it_was)?;
    results.extend(digested);
    let mut files = Vec::with_capacity(results.len());
    let mut written = Written {
        pages: out.page_count(),
        files: 0,
        bytes: 0,
        changed: 0,
        removed: 0,
    };
    let mut changed = Vec::new();
    let mut unstaged = Vec::new();
    // Which paths changed is asked only against a previous build: without
    // one the whole tree goes in (see `place`), and the lists would copy
    // every path for nothing.
    let incremental = previous.is_some();
    for f in results {
        written.files += 1;
        written.bytes += f.entry.len;
        written.changed += usize::from(f.changed);
        if f.changed && incremental {
            changed.push(f.path.clone());
        }
        if !f.staged && incremental {
            unstaged.push(f.path.clone());
        }
        files.push((f.path, f.entry));
    }
    // Sorted on both cores, then built in one pass (inserted one by one,
    // 30,000 paths took ~12 ms on one core at the end of a build).
    files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let files = BTreeMap::from_iter(files);
    let manifest = Manifest { inputs, files };
    let files = place::Files {
        manifest: &manifest,
        previous,
        changed: changed.iter().map(String::as_str).collect(),
        unstaged: unstaged.iter().map(String::as_str).collect(),
    };
    let placed = place::place(&beside, &files).map_err(|f| WriteError {
        diagnostics: io_error(f.error),
        left: f.left,
    })?;
    written.removed = placed.removed;
    Ok(written)
}

/// A file produced: its path, what the manifest records of it, whether its
/// bytes differ from the previous build's, and whether it is in the
/// staging directory.
struct Produced {
    path: String,
    entry: Entry,
    changed: bool,
    staged: bool,
}

/// Where [`write`] stages the files it produces, and what the previous
/// build recorded of them.
struct Staging<'a> {
    dest: &'a Path,
    /// The staging directory: the new tree in a cold build, the changed
    /// files (and every lazy file) in an incremental one.
    tmp: &'a Path,
    previous: Option<&'a Manifest>,
    /// A hash of this program's identity (see [`stream`]).
    program: u64,
}

impl Staging<'_> {
    /// Produces every file and stages those that differ from the previous
    /// build. A page whose input hash is the one recorded is not even
    /// rendered.
    fn produce_all(&self, out: &Output) -> Result<Vec<Produced>, Diagnostics> {
        let extras = extras(out);
        let results: Vec<Result<Produced, Box<Diagnostic>>> = jobs(out, extras.len())
            .into_par_iter()
            // In pieces of at most this many jobs: split only as threads
            // steal work, the last piece kept one core busy ~50 ms after
            // the other finished (20,000-page site).
            .with_max_len(JOBS_PER_PIECE)
            .map(|job| match job {
                Job::Page(i) => {
                    let input = out.input(i);
                    match self.recorded(&input.path, input.hash)? {
                        Some(entry) => Ok(unstaged(input.path, entry)),
                        None => {
                            let (path, hash) = (input.path.clone(), input.hash);
                            let html = out.render_input(input)?;
                            self.emit(path, &html, hash)
                        }
                    }
                }
                Job::Lazy(_) | Job::Extra(_) => {
                    let f = lazy_file(out, &extras, job);
                    let input = f.input();
                    match self.recorded(&f.path, input)? {
                        Some(entry) => Ok(unstaged(f.path.clone(), entry)),
                        None => self.stream(f, input),
                    }
                }
                Job::File(_) => {
                    let (path, bytes) = produce(out, &extras, job)?;
                    self.emit(path, &bytes, 0)
                }
            })
            .collect();
        Diagnostics::collect(results)
    }

    /// The files made from other files' written bytes ([`Output::digest_files`]),
    /// once those (`made`) are all staged or in place: remade only when one
    /// of their files changed.
    fn digest_files(&self, out: &Output, made: &[Produced]) -> Result<Vec<Produced>, Diagnostics> {
        use std::hash::{Hash, Hasher};
        // Most sites publish no open data: no map of every file made.
        if out.digest_files.is_empty() {
            return Ok(Vec::new());
        }
        let by_path: std::collections::HashMap<&str, &Produced> =
            made.iter().map(|p| (p.path.as_str(), p)).collect();
        let results: Vec<Result<Produced, Box<Diagnostic>>> = out
            .digest_files
            .iter()
            .map(|f| {
                let listed: Vec<&Produced> = f
                    .inputs
                    .iter()
                    .filter_map(|p| by_path.get(p.as_str()).copied())
                    .collect();
                let input = {
                    let mut h = crate::hash::hasher();
                    (f.memo, self.program).hash(&mut h);
                    for p in &listed {
                        (&p.path, p.entry.out, p.entry.len).hash(&mut h);
                    }
                    h.finish()
                };
                if let Some(entry) = self.recorded(&f.path, input)? {
                    return Ok(unstaged(f.path.clone(), entry));
                }
                let digests: Vec<FileDigest> = listed
                    .par_iter()
                    .map(|p| self.digest(p))
                    .collect::<Result<_, _>>()?;
                self.emit(f.path.clone(), &(f.make)(&digests), input)
            })
            .collect();
        Diagnostics::collect(results)
    }

    /// The size and SHA-256 of a file produced, read where it is now.
    fn digest(&self, p: &Produced) -> Result<FileDigest, Box<Diagnostic>> {
        use sha2::Digest;
        let rel = self.inside(&p.path)?;
        let file = if p.staged {
            self.tmp.join(rel)
        } else {
            self.dest.join(rel)
        };
        let mut hasher = sha2::Sha256::new();
        let len = fs::File::open(&file)
            .and_then(|mut f| io::copy(&mut f, &mut hasher))
            .map_err(|e| self.error(with_path(e, &file)))?;
        Ok(FileDigest::new(&p.path, len, &hasher.finalize()))
    }

    /// The entry recorded last time for `path`, if made from the same input.
    fn recorded(&self, path: &str, input: u64) -> Result<Option<Entry>, Box<Diagnostic>> {
        self.inside(path)?;
        Ok(self.previous.and_then(|m| m.recorded(path, input)).cloned())
    }

    /// Whether the previous build wrote other bytes to `path`, or none.
    fn changed(&self, path: &str, entry: &Entry) -> bool {
        self.previous
            .is_none_or(|m| m.files.get(path).is_none_or(|e| e.out != entry.out))
    }

    /// Records a file made in memory, staging it if it changed.
    fn emit(&self, path: String, bytes: &[u8], input: u64) -> Result<Produced, Box<Diagnostic>> {
        let rel = self.inside(&path)?;
        let entry = Entry {
            out: crate::hash::of_bytes(bytes),
            input,
            len: bytes.len() as u64,
            parts: Vec::new(),
        };
        let changed = self.changed(&path, &entry);
        if changed {
            place::write_file(&self.tmp.join(rel), bytes).map_err(|e| self.error(e))?;
        }
        Ok(Produced {
            path,
            entry,
            changed,
            staged: changed,
        })
    }

    /// Streams a lazy file to the staging directory, even when its bytes
    /// turn out unchanged (only changed files move in).
    fn stream(&self, f: &LazyFile, input: u64) -> Result<Produced, Box<Diagnostic>> {
        let rel = self.inside(&f.path)?;
        let old = self
            .previous
            .and_then(|m| m.files.get(&f.path))
            .map(|e| (self.dest.join(rel), e.parts.as_slice()));
        let (hash, len, parts) =
            stream(&self.tmp.join(rel), f, old, self.program).map_err(|e| self.error(e))?;
        let entry = Entry {
            out: hash,
            input,
            len,
            parts,
        };
        let changed = self.changed(&f.path, &entry);
        Ok(Produced {
            path: f.path.clone(),
            entry,
            changed,
            staged: true,
        })
    }

    /// `path` as a path relative to the output, or an error if it would
    /// leave it: validation refuses ids that would make such a path, so
    /// this is the last line of defence.
    fn inside<'p>(&self, path: &'p str) -> Result<&'p Path, Box<Diagnostic>> {
        place::relative(path).map_err(|e| {
            Box::new(
                Diagnostic::file(self.dest, e.to_string())
                    .hint("this is a bug in tsunagu or a template: an id or a file name made a path outside the site; please report it"),
            )
        })
    }

    fn error(&self, e: io::Error) -> Box<Diagnostic> {
        Box::new(Diagnostic::file(
            self.dest,
            format!("cannot write the site: {e}"),
        ))
    }
}

/// A file recorded last time from the same input: neither made nor staged.
fn unstaged(path: String, entry: Entry) -> Produced {
    Produced {
        path,
        entry,
        changed: false,
        staged: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Artifact, LazyFile};

    /// The minimal fixture with the repository's templates, in `dir`.
    fn fixture(dir: &Path) {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (from, to) in [("tests/fixtures/minimal", ""), ("templates", "templates")] {
            let from = repo.join(from);
            for e in walkdir::WalkDir::new(&from) {
                let e = e.unwrap();
                let dest = dir.join(to).join(e.path().strip_prefix(&from).unwrap());
                if e.file_type().is_dir() {
                    fs::create_dir_all(&dest).unwrap();
                } else {
                    fs::copy(e.path(), &dest).unwrap();
                }
            }
        }
    }

    #[test]
    fn the_writer_refuses_paths_that_leave_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        fixture(&root);
        let site = crate::pipeline::load_site(&root, None).unwrap();
        let absolute = dir
            .path()
            .join("absolute.txt")
            .to_string_lossy()
            .into_owned();
        for (artifact, lazy) in [("../escaped.txt", "ok.txt"), ("ok.txt", absolute.as_str())] {
            let mut output = crate::pipeline::render(&site, Default::default()).unwrap();
            output.files.push(Artifact {
                path: artifact.into(),
                bytes: b"escaped".to_vec(),
            });
            output.lazy_files.push(LazyFile {
                path: lazy.into(),
                memo: 0,
                make: Box::new(|w| w.write_all(b"escaped")),
                parts: None,
            });
            let listing = || {
                let mut names: Vec<_> = fs::read_dir(&root)
                    .unwrap()
                    .map(|e| e.unwrap().file_name())
                    .collect();
                names.sort();
                names
            };
            let before = listing();
            let inputs = Inputs {
                hash: 1,
                asof: std::time::SystemTime::UNIX_EPOCH,
            };
            let e = write(&output, &root.join("site"), inputs, None).expect_err("refused");
            assert_eq!(e.left, Left::AsItWas);
            let message = e
                .diagnostics
                .0
                .iter()
                .map(ToString::to_string)
                .collect::<String>();
            let bad = if artifact == "ok.txt" { lazy } else { artifact };
            assert!(
                message.contains(&format!("refusing to write `{bad}`")),
                "{message}"
            );
            assert_eq!(listing(), before, "something was written beside the output");
            assert!(!dir.path().join("escaped.txt").exists());
            assert!(!Path::new(&absolute).exists());
        }
    }
}
