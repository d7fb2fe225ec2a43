//! The inputs' fingerprint: one hash of every file in the project, to tell
//! whether anything changed since the last build (or `serve`'s last look).

use super::Listing;
use crate::config::CONFIG_FILE;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How [`fingerprint`] looks at a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// Its bytes: for `serve`, which looks every quarter second and must not
    /// see a change where there is none.
    Contents,
    /// Its size, times and inode, and its bytes only if it was recent as
    /// of the given time (see [`RECENT`]): for a build, which otherwise
    /// reads every input twice (reading 20,000 pages took 0.4 s of CPU
    /// here). A build records the time with the fingerprint and the next
    /// build looks as of that same time, so an unchanged project gives the
    /// same fingerprint however much later it is built (as git treats its
    /// "racily clean" files).
    Metadata(SystemTime),
}

/// How long after its last change a file is compared by its bytes. Two
/// saves of the same length can share a timestamp tick (2 s on FAT), so
/// a file changed since the fingerprint was last taken could otherwise
/// look the same ("racy git").
const RECENT: Duration = Duration::from_secs(3);

/// A hash of every input's path and what `look` sees of it.
pub fn fingerprint(root: &Path, look: Look) -> u64 {
    fingerprint_listed(root, &Listing::of(root), look)
}

/// [`fingerprint`] of the inputs in `listing` (directories too: one named
/// like a data file is an error that appearing must not leave the build
/// "up to date").
pub fn fingerprint_listed(root: &Path, listing: &Listing, look: Look) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::hasher();
    let files: Vec<PathBuf> = std::iter::once(Path::new(CONFIG_FILE))
        .chain(listing.paths())
        .map(|rel| root.join(rel))
        .collect();
    // In parallel: 32 MB of data nationally.
    let hashes: Vec<u64> = files
        .par_iter()
        .map(|f| file_hash(f, std::fs::metadata(f).ok().as_ref(), look))
        .collect();
    hashes.hash(&mut h);
    h.finish()
}

/// A hash of one file's path and what `look` sees of it (`meta`, its
/// metadata, and its bytes).
fn file_hash(f: &Path, meta: Option<&std::fs::Metadata>, look: Look) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::hasher();
    f.hash(&mut h);
    let is_file = meta.is_some_and(|m| m.is_file());
    let read = match (look, meta) {
        (Look::Contents, _) => true,
        (Look::Metadata(asof), Some(m)) => {
            stamp(m).hash(&mut h);
            recent(m, asof)
        }
        (Look::Metadata(_), None) => true,
    };
    (is_file && read)
        .then(|| std::fs::read(f).ok())
        .hash(&mut h);
    h.finish()
}

/// What changes whenever a file is written or replaced: its length, its
/// modification and status-change times (the latter cannot be set back by
/// `touch` or `cp -p`) and its inode.
fn stamp(m: &std::fs::Metadata) -> (u64, Option<SystemTime>, Option<(i64, i64, u64)>) {
    #[cfg(unix)]
    let unix = {
        use std::os::unix::fs::MetadataExt;
        Some((m.ctime(), m.ctime_nsec(), m.ino()))
    };
    #[cfg(not(unix))]
    let unix = None;
    (m.len(), m.modified().ok(), unix)
}

/// Whether the file changed within [`RECENT`] before `asof` (or after it,
/// or at an unknown time).
fn recent(m: &std::fs::Metadata, asof: SystemTime) -> bool {
    let changed = [m.modified().ok(), status_changed(m)];
    changed.iter().any(|t| match t {
        Some(t) => asof.duration_since(*t).is_ok_and(|age| age < RECENT) || *t > asof,
        None => true,
    })
}

#[cfg(unix)]
fn status_changed(m: &std::fs::Metadata) -> Option<SystemTime> {
    use std::os::unix::fs::MetadataExt;
    let secs = u64::try_from(m.ctime()).ok()?;
    let nanos = u32::try_from(m.ctime_nsec()).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::new(secs, nanos))
}

#[cfg(not(unix))]
fn status_changed(m: &std::fs::Metadata) -> Option<SystemTime> {
    m.modified().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file written now in a new temporary directory, and its metadata.
    fn written() -> (tempfile::TempDir, PathBuf, std::fs::Metadata) {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("tsunagu.toml");
        std::fs::write(&file, "x = 1\n").expect("write");
        let meta = std::fs::metadata(&file).expect("metadata");
        (dir, file, meta)
    }

    /// Two saves of the same length whose metadata looks the same (one
    /// timestamp tick) are told apart while the file is recent, by either
    /// look; once it is old, only `Contents` reads it.
    #[test]
    fn a_recent_file_is_compared_by_its_bytes() {
        let (_dir, file, meta) = written();
        let now = SystemTime::now();
        let later = now + RECENT * 2;
        let looks = [
            [Look::Contents; 2],
            [Look::Metadata(now), Look::Metadata(later)],
        ];
        let before = looks.map(|l| l.map(|look| file_hash(&file, Some(&meta), look)));
        std::fs::write(&file, "x = 2\n").expect("write");
        let after = looks.map(|l| l.map(|look| file_hash(&file, Some(&meta), look)));
        assert_ne!(before[0][0], after[0][0], "contents, recent");
        assert_ne!(before[0][1], after[0][1], "contents, old");
        assert_ne!(before[1][0], after[1][0], "metadata, recent");
        assert_eq!(before[1][1], after[1][1], "metadata, old: not read");
    }

    /// A file is compared by its bytes for a few seconds after it changed,
    /// and by its metadata alone after that.
    #[test]
    fn a_file_is_recent_for_a_few_seconds() {
        let (_dir, _, m) = written();
        assert!(recent(&m, SystemTime::now()));
        assert!(!recent(&m, SystemTime::now() + RECENT * 2));
    }
}
