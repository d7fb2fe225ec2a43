//! Compiles the default theme (every file below `templates/`) into the
//! binary: writes `$OUT_DIR/default_theme.rs`, a sorted list of
//! `(path below templates/, include_bytes!(…))`, read by `src/load/theme.rs`.
//! A plain build script needs no crate, and cargo reruns it when any file
//! below `templates/` changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"))
        .join("templates");
    println!("cargo::rerun-if-changed={}", dir.display());
    // A position-dependent program: the loader then has no relocations to
    // apply at start. As a PIE, it wrote ~128,000 pointers across 11 MB of
    // tables (Typst's, ICU's) that a build mostly never reads: 14 MB of
    // every run's memory. Only bins: tests and the library are unchanged.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
    let mut files = Vec::new();
    walk(&dir, &mut files);
    files.sort();
    let mut out = String::from("&[\n");
    for file in &files {
        let rel = file.strip_prefix(&dir).expect("below templates/");
        let name: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        writeln!(
            out,
            "    ({:?}, include_bytes!({:?}) as &[u8]),",
            name.join("/"),
            file.display().to_string()
        )
        .expect("write to a string");
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("default_theme.rs");
    std::fs::write(dest, out).expect("write default_theme.rs");
}

/// Every file below `dir`, hidden ones (`.DS_Store`, editor swap files) left out.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("read templates/");
    for entry in entries {
        let path = entry.expect("list templates/").path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}
