//! Helpers shared by the integration tests: temp copies of projects and
//! snapshots of output trees. Each test binary uses only some of them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let dest = to.join(e.path().strip_prefix(from).expect("prefix"));
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// A temp copy of the shipped project (config, content, data, templates).
pub fn shipped_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for d in ["content", "data", "templates"] {
        copy_dir(&repo().join(d), &dir.path().join(d));
    }
    fs::copy(repo().join("tsunagu.toml"), dir.path().join("tsunagu.toml")).expect("config");
    dir
}

/// A temp copy of the synthetic minimal fixture with the repository's templates.
pub fn minimal_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo().join("tests/fixtures/minimal"), dir.path());
    copy_dir(&repo().join("templates"), &dir.path().join("templates"));
    dir
}

/// Every file below `dir` with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("prefix").to_path_buf(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}
