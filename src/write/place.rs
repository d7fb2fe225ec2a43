//! Putting a build's files into place, all or nothing.
//!
//! Everything a build writes is first staged in a directory beside the
//! output (`<name>.tmp-<pid>`). Then one of two ways:
//!
//! - **the whole tree**: the output is renamed aside (`<name>.old-<pid>`),
//!   the staged tree renamed into its place, and the old tree removed. An
//!   incremental build first hard-links its unchanged files from the output
//!   into the staged tree (copies them where links are not supported). Two
//!   renames, however many files.
//! - **file by file**: each changed file is moved in, the file it replaces
//!   moved aside first, and files the build no longer makes are moved
//!   aside; what was moved aside is removed at the end. Cheapest when few
//!   files changed.
//!
//! [`place`] takes the whole tree when there is no previous build, when
//! more than half of the files are written or removed (see [`WHOLE_TREE`]),
//! or when a file takes the place of a directory or the other way round.
//!
//! Every step that changes the output or its manifest is journalled; if one
//! fails, the journal is undone, last step first, so the output and its
//! manifest are byte for byte as they were. While the output changes, a
//! placeholder stands in for the manifest (see [`Manifest::write_placeholder`]),
//! so a build cut short is followed by a build from scratch.

use super::Left;
use super::manifest::{Manifest, dir_name, manifest_path};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The whole tree is swapped in when more than `1 / WHOLE_TREE` of the
/// files are written or removed: moving a file in costs about what linking
/// an unchanged one into the staged tree and removing the old one do, so
/// past half the files one rename of the whole tree is cheaper (and the
/// kernel's work is spread over all cores instead of one loop).
pub(super) const WHOLE_TREE: usize = 2;

/// `path` (an output path, `/`-separated, relative to the output) as a
/// relative path that stays inside whatever directory it is joined to:
/// not empty, not absolute, no `..` (nor `.`, nor a drive prefix).
pub(super) fn relative(path: &str) -> io::Result<&Path> {
    let p = Path::new(path);
    let inside = !path.is_empty()
        && !path.contains('\0')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if inside {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "refusing to write `{path}`: an output path must be relative and stay inside the output directory"
            ),
        ))
    }
}

/// The paths a build works with beside the output directory (on its
/// filesystem, so they are renamed, never copied).
pub(super) struct Beside {
    pub(super) dest: PathBuf,
    /// The staging directory.
    pub(super) tmp: PathBuf,
    /// What the new files replace waits here until they are all in place:
    /// the whole previous tree, or the replaced and removed files.
    pub(super) backup: PathBuf,
    /// The previous manifest, while the placeholder stands in its place.
    pub(super) manifest_aside: PathBuf,
}

impl Beside {
    pub(super) fn of(dest: &Path) -> Beside {
        let (name, pid) = (dir_name(dest), std::process::id());
        let mut aside = manifest_path(dest).into_os_string();
        aside.push(format!(".old-{pid}"));
        Beside {
            dest: dest.to_path_buf(),
            tmp: dest.with_file_name(format!("{name}.tmp-{pid}")),
            backup: dest.with_file_name(format!("{name}.old-{pid}")),
            manifest_aside: aside.into(),
        }
    }
}

/// What the files of a build are, for [`place`].
pub(super) struct Files<'a> {
    /// What the build makes.
    pub(super) manifest: &'a Manifest,
    /// What the previous build made, if its manifest was read.
    pub(super) previous: Option<&'a Manifest>,
    /// Paths whose bytes differ from the previous build's (none listed
    /// without a previous build: then the whole tree is swapped in).
    pub(super) changed: Vec<&'a str>,
    /// Paths not in the staging directory (unchanged, so not written);
    /// none listed without a previous build.
    pub(super) unstaged: Vec<&'a str>,
}

/// How the files went into place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Placed {
    /// Files of the previous build no longer made, removed.
    pub(super) removed: usize,
    /// Whether the whole tree was swapped in.
    pub(super) whole_tree: bool,
}

/// Why [`place`] failed and what it left.
pub(super) struct Failed {
    pub(super) error: io::Error,
    pub(super) left: Left,
}

/// Puts the staged files into place (see the module's description), then
/// writes `files.manifest`. On failure everything is undone.
pub(super) fn place(b: &Beside, files: &Files) -> Result<Placed, Failed> {
    let stale = files
        .previous
        .map_or_else(Vec::new, |p| stale(p, files.manifest));
    let conflict = files
        .previous
        .is_some_and(|p| layout_changed(p, files.manifest, &files.changed, &stale));
    let moved = files.changed.len() + stale.len();
    let whole =
        files.previous.is_none() || conflict || moved * WHOLE_TREE > files.manifest.files.len();
    let mut journal = Journal::default();
    let result = (|| {
        set_manifest_aside(b, &mut journal)?;
        let placed = if !whole {
            update(b, &files.changed, &stale, &mut journal)?
        } else if files.previous.is_none() {
            swap(b, &mut journal)?;
            Placed {
                removed: 0,
                whole_tree: true,
            }
        } else {
            match link_unchanged(b, &files.unstaged) {
                Ok(()) => {
                    let removed = stale
                        .iter()
                        .filter(|p| fs::symlink_metadata(b.dest.join(p)).is_ok())
                        .count();
                    swap(b, &mut journal)?;
                    Placed {
                        removed,
                        whole_tree: true,
                    }
                }
                Err(e) if conflict => return Err(e),
                // An unchanged file that cannot be linked or copied (gone
                // from the output?): move the changed ones in instead.
                Err(_) => update(b, &files.changed, &stale, &mut journal)?,
            }
        };
        files.manifest.write(&b.dest)?;
        Ok(placed)
    })();
    match result {
        Ok(placed) => {
            // Best effort: the output is complete whatever happens here.
            remove_tree(&b.backup);
            let _ = fs::remove_file(&b.manifest_aside);
            remove_tree(&b.tmp);
            if !placed.whole_tree {
                for p in &stale {
                    remove_empty_parents(&b.dest, &b.dest.join(p));
                }
            }
            Ok(placed)
        }
        Err(error) => {
            let problems = journal.undo();
            let left = if problems.is_empty() {
                // Everything went back: what is left aside is empty
                // directories (or was not this build's).
                remove_empty_dirs(&b.backup);
                let _ = fs::remove_file(&b.manifest_aside);
                Left::AsItWas
            } else {
                Left::Changed(format!(
                    "it could not all be put back ({}); the files it held are in {} and its manifest in {}",
                    problems.join("; "),
                    b.backup.display(),
                    b.manifest_aside.display()
                ))
            };
            Err(Failed { error, left })
        }
    }
}

/// The paths `previous` lists and `manifest` does not (both are sorted).
fn stale<'a>(previous: &'a Manifest, manifest: &Manifest) -> Vec<&'a str> {
    let mut new = manifest.files.keys().peekable();
    let mut stale = Vec::new();
    for old in previous.files.keys() {
        while new.next_if(|n| *n < old).is_some() {}
        if new.peek() != Some(&old) {
            stale.push(old.as_str());
        }
    }
    stale
}

/// Whether a new file lies below a path that was a file, or a removed
/// file below a path that is now one: file by file, a directory would have
/// to replace a file or the other way round.
fn layout_changed(
    previous: &Manifest,
    manifest: &Manifest,
    changed: &[&str],
    stale: &[&str],
) -> bool {
    fn ancestors(p: &str) -> impl Iterator<Item = &str> {
        p.match_indices('/').map(move |(i, _)| &p[..i])
    }
    changed
        .iter()
        .filter(|p| !previous.files.contains_key(**p))
        .any(|p| ancestors(p).any(|a| previous.files.contains_key(a)))
        || stale
            .iter()
            .any(|p| ancestors(p).any(|a| manifest.files.contains_key(a)))
}

/// Links the previous manifest aside and puts the placeholder in its place
/// (or just the placeholder, when there was none).
fn set_manifest_aside(b: &Beside, journal: &mut Journal) -> io::Result<()> {
    let manifest = manifest_path(&b.dest);
    if fs::symlink_metadata(&manifest).is_ok() {
        let _ = fs::remove_file(&b.manifest_aside);
        fs::hard_link(&manifest, &b.manifest_aside)
            .or_else(|_| fs::copy(&manifest, &b.manifest_aside).map(drop))
            .map_err(|e| with_path(e, &b.manifest_aside))?;
        // Undone by renaming the previous manifest back over whatever is
        // then in its place.
        journal.steps.push(Step::Moved {
            from: manifest,
            to: b.manifest_aside.clone(),
        });
    } else {
        journal.steps.push(Step::Made(manifest));
    }
    Manifest::write_placeholder(&b.dest)
}

/// Renames the output aside (if there is one) and the staged tree into its place.
fn swap(b: &Beside, journal: &mut Journal) -> io::Result<()> {
    if fs::symlink_metadata(&b.dest).is_ok() {
        journal.rename(&b.dest, &b.backup)?;
    }
    journal.rename(&b.tmp, &b.dest)
}

/// Hard-links the files of `unstaged` from the output into the staged
/// tree (copies them where that fails), side by side.
fn link_unchanged(b: &Beside, unstaged: &[&str]) -> io::Result<()> {
    let dirs: BTreeSet<&str> = unstaged
        .iter()
        .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    dirs.par_iter().try_for_each(|d| {
        let dir = b.tmp.join(d);
        fs::create_dir_all(&dir).map_err(|e| with_path(e, &dir))
    })?;
    unstaged.par_iter().try_for_each(|p| {
        let (from, to) = (b.dest.join(p), b.tmp.join(p));
        fs::hard_link(&from, &to)
            .or_else(|_| fs::copy(&from, &to).map(drop))
            .map_err(|e| with_path(e, &from))
    })
}

/// Moves the `stale` files aside and each of the `changed` ones in (what it
/// replaces moved aside first).
fn update(
    b: &Beside,
    changed: &[&str],
    stale: &[&str],
    journal: &mut Journal,
) -> io::Result<Placed> {
    let mut backup_dirs = HashSet::new();
    let mut aside = |journal: &mut Journal, path: &str| -> io::Result<bool> {
        let from = b.dest.join(path);
        let Ok(meta) = fs::symlink_metadata(&from) else {
            return Ok(false);
        };
        if meta.is_dir() {
            return Err(with_path(
                io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "is a directory; the build writes a file there",
                ),
                &from,
            ));
        }
        let to = b.backup.join(path);
        if let Some(dir) = to.parent()
            && backup_dirs.insert(dir.to_path_buf())
        {
            fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
        }
        journal.rename(&from, &to)?;
        Ok(true)
    };
    let mut removed = 0;
    for path in stale {
        removed += usize::from(aside(journal, path)?);
    }
    for path in changed {
        aside(journal, path)?;
        let to = b.dest.join(path);
        if let Some(dir) = to.parent() {
            journal.make_dirs(dir)?;
        }
        journal.rename(&b.tmp.join(path), &to)?;
    }
    Ok(Placed {
        removed,
        whole_tree: false,
    })
}

/// A change to the output or its manifest, undone by [`Journal::undo`].
enum Step {
    /// `from` was renamed to `to`: renamed back.
    Moved { from: PathBuf, to: PathBuf },
    /// A directory was made: removed (empty again by then).
    MadeDir(PathBuf),
    /// A file was made: removed.
    Made(PathBuf),
}

/// The steps taken so far, so they can be undone.
#[derive(Default)]
struct Journal {
    steps: Vec<Step>,
    /// Directories known to exist.
    dirs: HashSet<PathBuf>,
}

impl Journal {
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to).map_err(|e| with_path(e, to))?;
        self.steps.push(Step::Moved {
            from: from.to_path_buf(),
            to: to.to_path_buf(),
        });
        Ok(())
    }

    /// `create_dir_all`, each directory made recorded.
    fn make_dirs(&mut self, dir: &Path) -> io::Result<()> {
        if self.dirs.contains(dir) {
            return Ok(());
        }
        if !dir.is_dir() {
            if let Some(parent) = dir.parent() {
                self.make_dirs(parent)?;
            }
            fs::create_dir(dir).map_err(|e| with_path(e, dir))?;
            self.steps.push(Step::MadeDir(dir.to_path_buf()));
        }
        self.dirs.insert(dir.to_path_buf());
        Ok(())
    }

    /// Undoes every step, last first; returns what could not be undone.
    fn undo(self) -> Vec<String> {
        let mut problems = Vec::new();
        for step in self.steps.into_iter().rev() {
            let undone = match &step {
                Step::Moved { from, to } => fs::rename(to, from).map_err(|e| with_path(e, from)),
                Step::MadeDir(dir) => fs::remove_dir(dir).map_err(|e| with_path(e, dir)),
                Step::Made(file) => fs::remove_file(file).map_err(|e| with_path(e, file)),
            };
            if let Err(e) = undone {
                problems.push(e.to_string());
            }
        }
        problems
    }
}

pub(super) fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).map_err(|e| with_path(e, p))?;
    }
    fs::write(path, bytes).map_err(|e| with_path(e, path))
}

/// Threads removing a tree. On a disk an unlink mostly waits on the
/// filesystem, so more threads than cores help: the 200,000 files of a
/// 100,000-provider site's previous tree on ext4 took 115–128 s with one
/// thread, 23 s with 2 and 13 s with 8 (2 cores); on tmpfs 1.2–1.4 s
/// whatever the number.
const REMOVE_THREADS: usize = 8;

/// `fs::remove_dir_all` on [`REMOVE_THREADS`] threads (best effort:
/// whatever they leave is then removed on this one). A whole-tree swap
/// removes the previous tree, a file-by-file one the files it replaced,
/// and a failed build its staging directory.
pub(super) fn remove_tree(dir: &Path) {
    if fs::symlink_metadata(dir).is_err() {
        return;
    }
    if let Ok(pool) = rayon::ThreadPoolBuilder::new()
        .num_threads(REMOVE_THREADS)
        .build()
    {
        let _ = pool.install(|| remove_below(dir));
    }
    if fs::symlink_metadata(dir).is_ok() {
        let _ = fs::remove_dir_all(dir);
    }
}

/// Removes `dir` and everything below it, side by side.
fn remove_below(dir: &Path) -> io::Result<()> {
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_below(&e.path())
        } else {
            fs::remove_file(e.path())
        }
    })?;
    fs::remove_dir(dir)
}

/// Removes `dir` and the directories below it, if they hold no file.
fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_dirs(&e.path());
            }
        }
        let _ = fs::remove_dir(dir);
    }
}

/// Removes directories left empty by a removed file, up to `dest`.
pub(super) fn remove_empty_parents(dest: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != dest && d.starts_with(dest)) {
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

pub(super) fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests;
