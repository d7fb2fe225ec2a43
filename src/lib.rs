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
//!   → render (features → pages, tera) → write (minify, sitemap, swap)
//! ```
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
pub mod model;
pub mod open_data;
pub mod reference;
pub mod registry;
pub mod render;
pub mod serve;
pub mod validate;
pub mod write;

use diag::{Diagnostic, Diagnostics};
use std::path::Path;

/// Loads, validates and renders the project at `root`, in memory.
pub fn compile(
    root: &Path,
    base_url: Option<&str>,
    live_reload: bool,
) -> Result<(model::Site, render::Output), Diagnostics> {
    let inputs = load::load(root)?;
    let site = validate::validate(inputs, base_url)?;
    let output = render::render(&site, live_reload)?;
    Ok((site, output))
}

/// Builds the site at `root` into `out`. On any error `out` is untouched.
pub fn build(
    root: &Path,
    out: &Path,
    base_url: Option<&str>,
) -> Result<write::Written, Diagnostics> {
    let (_, output) = compile(root, base_url, false)?;
    write::write(&output, out).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::file(out, format!("cannot write the site: {e}"))
                .hint("check that the output directory's parent is writable"),
        );
        d
    })
}
