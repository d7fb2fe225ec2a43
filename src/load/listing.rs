//! The project's files, listed once per build: the build's fingerprint
//! looks at them and loading reads them (listing a 20,000-page site's
//! files twice took ~35 ms of one core before the pages could be read).

use crate::diag::{Diagnostic, Diagnostics};
use rayon::slice::ParallelSliceMut;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The directories below a project's root that hold its inputs (besides
/// `tsunagu.toml`).
const INPUT_DIRS: [&str; 3] = ["content", "data", "templates"];

/// What a listed path is (a symbolic link is neither a file nor a
/// directory: it is not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
    Other,
}

/// One input directory's entries (itself first), relative to the root, in
/// the order a walk sorted by file name gives them; and what could not be
/// listed.
#[derive(Debug, Default)]
struct Dir {
    entries: Vec<(PathBuf, Kind)>,
    errors: Vec<String>,
}

/// Every file and directory below the project's input directories, as
/// they were when listed: a file made after that is neither fingerprinted
/// nor loaded, so the fingerprint recorded is that of the files built.
#[derive(Debug, Default)]
pub struct Listing {
    dirs: [Dir; INPUT_DIRS.len()],
}

/// The order of a walk that lists a directory, then what is below it, with
/// names in a directory by their bytes: the order of the paths' bytes with
/// a separator below every other byte (`a/x` before `a-b`).
fn walk_order(a: &std::ffi::OsStr, b: &std::ffi::OsStr) -> std::cmp::Ordering {
    let (a, b) = (a.as_encoded_bytes(), b.as_encoded_bytes());
    let rank = |c: u8| {
        if std::path::is_separator(c.into()) {
            0
        } else {
            u16::from(c) + 1
        }
    };
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => rank(a[i]).cmp(&rank(b[i])),
        None => a.len().cmp(&b.len()),
    }
}

impl Listing {
    /// Lists the input directories below `root` (a missing one is empty).
    pub fn of(root: &Path) -> Listing {
        let mut listing = Listing::default();
        for (name, dir) in INPUT_DIRS.iter().zip(&mut listing.dirs) {
            if !root.join(name).is_dir() {
                continue;
            }
            for entry in WalkDir::new(root.join(name)) {
                match entry {
                    Ok(e) => {
                        let kind = match e.file_type() {
                            t if t.is_file() => Kind::File,
                            t if t.is_dir() => Kind::Dir,
                            _ => Kind::Other,
                        };
                        let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                        dir.entries.push((rel.to_path_buf(), kind));
                    }
                    Err(e) => dir.errors.push(e.to_string()),
                }
            }
            // Sorted once, as a walk sorted by file name lists them. The
            // walk's own sorting took each name apart from its path at
            // every comparison: 1.6 % of a Markdown site's build.
            dir.entries
                .par_sort_unstable_by(|(a, _), (b, _)| walk_order(a.as_os_str(), b.as_os_str()));
            dir.errors.sort_unstable();
        }
        listing
    }

    /// Every path listed, relative to the root, files and directories.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.dirs
            .iter()
            .flat_map(|d| d.entries.iter().map(|(p, _)| p.as_path()))
    }

    /// The files below `dir` (`data`, or deeper: `data/providers`) relative
    /// to the root, hidden ones (a component starting with `.`) left out;
    /// a directory named like a data file or page, and what could not be
    /// listed, reported in `diags`.
    pub fn files_below(&self, dir: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
        let below = Path::new(dir);
        let Some(i) = INPUT_DIRS.iter().position(|d| below.starts_with(d)) else {
            return Vec::new();
        };
        let listed = &self.dirs[i];
        for e in &listed.errors {
            diags.push(Diagnostic::file(dir, format!("cannot list files: {e}")));
        }
        let whole = below == Path::new(INPUT_DIRS[i]);
        let mut files = Vec::new();
        for (rel, kind) in &listed.entries {
            if !whole && !rel.starts_with(below) {
                continue;
            }
            match kind {
                // A directory named like a data file (`providers/x.toml/`)
                // would otherwise make the records a user meant vanish
                // silently.
                Kind::Dir if rel.extension().is_some_and(|x| x == "toml" || x == "md") => {
                    diags.push(
                        Diagnostic::file(rel, "this is a directory, not a file").hint(
                            "a data file or page must be a file; rename or remove the directory",
                        ),
                    );
                }
                Kind::File if !hidden(rel) => files.push(rel.clone()),
                _ => {}
            }
        }
        files
    }
}

/// Whether a path has a component starting with `.` (editors' and
/// version control's files).
fn hidden(rel: &Path) -> bool {
    rel.components()
        .any(|c| c.as_os_str().as_encoded_bytes().starts_with(b"."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A project with a page, an editor's swap file, a directory named
    /// like a data file, version control's files and a template.
    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for (file, text) in [
            ("content/a.ja.md", "a"),
            ("content/.a.ja.md.swp", "swap"),
            ("data/providers/p.toml", "p"),
            ("data/providers/x.toml/inside.toml", "x"),
            ("data/.git/config", "git"),
            ("templates/page.html", "t"),
        ] {
            let path = root.join(file);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, text).expect("write");
        }
        dir
    }

    #[test]
    fn files_below_leave_out_hidden_files_and_report_a_directory_named_like_a_file() {
        let dir = project();
        let listing = Listing::of(dir.path());
        let mut diags = Diagnostics::default();
        let content = listing.files_below("content", &mut diags);
        assert_eq!(content, [PathBuf::from("content/a.ja.md")]);
        assert!(!diags.has_errors());
        let data = listing.files_below("data", &mut diags);
        let providers = listing.files_below("data/providers", &mut Diagnostics::default());
        assert_eq!(
            data,
            [
                PathBuf::from("data/providers/p.toml"),
                PathBuf::from("data/providers/x.toml/inside.toml"),
            ]
        );
        let messages: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].contains("data/providers/x.toml") && messages[0].contains("a directory"),
            "{messages:?}"
        );
        assert_eq!(providers, data);
        assert!(
            listing
                .files_below("elsewhere", &mut Diagnostics::default())
                .is_empty()
        );
    }

    /// Listed in the order of a walk sorted by file name, where a name
    /// that continues another (`a-b`, `p00`) comes after the other's whole
    /// directory.
    #[test]
    fn entries_come_in_the_order_of_a_walk_sorted_by_file_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        for file in [
            "a/x",
            "a-b",
            "a.md",
            "p0/z/y",
            "p00",
            "B",
            "横浜/区",
            "よこはま",
        ] {
            let path = dir.path().join("content").join(file);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, "").expect("write");
        }
        let walked: Vec<PathBuf> = WalkDir::new(dir.path().join("content"))
            .sort_by_file_name()
            .into_iter()
            .map(|e| {
                e.expect("entry")
                    .path()
                    .strip_prefix(dir.path())
                    .expect("below")
                    .to_path_buf()
            })
            .collect();
        let listing = Listing::of(dir.path());
        let listed: Vec<&Path> = listing.paths().collect();
        assert_eq!(listed, walked);
        assert!(
            walked.iter().position(|p| p.ends_with("a/x"))
                < walked.iter().position(|p| p.ends_with("a-b"))
        );
    }

    /// The fingerprint sees every path, hidden ones and directories too.
    #[test]
    fn paths_are_every_file_and_directory() {
        let dir = project();
        let listing = Listing::of(dir.path());
        let paths: Vec<&Path> = listing.paths().collect();
        for p in [
            "content",
            "content/.a.ja.md.swp",
            "data/.git/config",
            "data/providers/x.toml",
            "templates/page.html",
        ] {
            assert!(paths.contains(&Path::new(p)), "{p}: {paths:?}");
        }
    }
}
