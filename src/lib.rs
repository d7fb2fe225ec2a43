//! tsunagu (つなぐ, "to connect") builds a bilingual (Japanese/English)
//! static website about 医療的ケア児等コーディネーター — coordinators who
//! connect children and adults needing medical care at home, and their
//! families, to medical, welfare and school support.
//!
//! The build is a pipeline; each stage is a module and turns one type into
//! the next:
//!
//! ```text
//! load (files → Raw*) → validate (→ model::Site, all diagnostics)
//!   → render (features → pages, tera) → write (pages, sitemap, swap)
//! ```
//!
//! [`minify`] serves render (HTML templates minified once, so their pages
//! need no minifying) and write (stylesheets and scripts).
//!
//! Feature modules ([`finder`], [`council`], [`figures`], [`reference`],
//! [`content`]) read the model and return pages; only `load` and `write`
//! touch the disk.

pub mod check;
pub mod config;
pub mod content;
pub mod council;
pub mod diag;
pub mod figures;
pub mod finder;
pub mod flyers;
pub mod import;
pub mod kana;
pub mod lang;
pub mod load;
pub mod minify;
pub mod model;
pub mod open_data;
pub mod reference;
pub mod registry;
pub mod render;
pub mod serve;
pub mod synthetic;
pub mod validate;
pub mod write;

use diag::Diagnostics;
use std::path::Path;

/// Loads and validates the project at `root` into the model.
pub fn load_site(root: &Path, base_url: Option<&str>) -> Result<model::Site, Diagnostics> {
    let inputs = load::load(root)?;
    validate::validate(inputs, base_url)
}

/// What `build` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Built {
    /// The output already held a build of exactly these inputs: nothing was done.
    UpToDate,
    Written(write::Written),
}

/// Builds the site at `root` into `out`. On any error `out` is untouched.
///
/// When `out` holds an earlier build (see [`write`]) of the same inputs,
/// nothing is done; otherwise only changed files are rewritten.
///
/// Made for a process that exits after building (the `tsunagu` command):
/// the model and pages are left for the operating system to reclaim at
/// exit, not freed one allocation at a time (~30 ms of a national
/// one-record rebuild). `serve` rebuilds through [`render`] instead.
pub fn build(root: &Path, out: &Path, base_url: Option<&str>) -> Result<Built, Diagnostics> {
    let fingerprint = build_fingerprint(root, base_url);
    if write::up_to_date(out, fingerprint) {
        return Ok(Built::UpToDate);
    }
    // The previous build's manifest (~47,000 entries nationally) is read
    // while the project loads and validates.
    let previous = std::thread::spawn({
        let out = out.to_path_buf();
        move || write::Manifest::read(&out)
    });
    let cache = load::ParseCache::new(write::cache_path(out));
    let site = validate::validate(load::load_cached(root, Some(&cache))?, base_url)?;
    let output = render::render(&site, false)?;
    let previous = previous.join().ok().flatten();
    let written = write::write(&output, out, fingerprint, previous);
    std::mem::forget(output);
    std::mem::forget(site);
    written.map(Built::Written)
}

/// Everything a build's output depends on: the project's files, the base
/// URL, the fonts flyers are set in, and this program itself.
fn build_fingerprint(root: &Path, base_url: Option<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    load::fingerprint(root).hash(&mut h);
    base_url.hash(&mut h);
    for var in ["TSUNAGU_SYSTEM_FONTS", "TSUNAGU_FONT_DIRS"] {
        std::env::var_os(var).hash(&mut h);
    }
    program_identity().hash(&mut h);
    h.finish()
}

/// Size and modification time of the running tsunagu binary: a rebuilt
/// program may render differently, so its output is not reused.
pub fn program_identity() -> Option<(u64, Option<std::time::SystemTime>)> {
    let m = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    Some((m.len(), m.modified().ok()))
}
