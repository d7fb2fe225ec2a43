//! The pipeline, assembled in one place: load → validate → render (every
//! feature's pages) → write. `build`, `check`, `serve` and `import` all run
//! through here, so the stages are wired together exactly once.

use crate::diag::Diagnostics;
use crate::features::{
    accessibility, changes, content, council, figures, finder, flyers, open_data, reference,
    registry,
};
use crate::lang::Lang;
use crate::load::{self, Inputs, ParseCache};
use crate::model::Site;
use crate::render::dataset::Dataset;
use crate::render::{self, LazyFile, NavKeys, Output, PageDef, PageSet};
use crate::validate::{self, NeededStrings};
use crate::write;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

pub use crate::features::flyers::FlyerCache;

/// Loads and validates the project at `root` into the model.
pub fn load_site(root: &Path, base_url: Option<&str>) -> Result<Site, Diagnostics> {
    validate(load::load(root)?, base_url)
}

/// Validates loaded inputs into the model, requiring every UI string a
/// feature uses (so no page can render a missing string as "").
pub fn validate(inputs: Inputs, base_url: Option<&str>) -> Result<Site, Diagnostics> {
    validate::validate(inputs, base_url, &needed_strings())
}

/// The UI strings each part of the site uses.
fn needed_strings() -> Vec<NeededStrings> {
    vec![
        NeededStrings::new("page titles", render::STRINGS.iter().map(|k| k.to_string())),
        NeededStrings::new(
            "the footer",
            render::IDENTITY_STRINGS.iter().map(|k| k.to_string()),
        ),
        NeededStrings::new("the registry", registry::strings()),
        NeededStrings::new("the flyers", flyers::strings()),
        NeededStrings::new(
            "the accessibility page",
            accessibility::STRINGS.iter().map(|k| k.to_string()),
        ),
        NeededStrings::new(
            "the change feeds",
            changes::STRINGS.iter().map(|k| k.to_string()),
        ),
        NeededStrings::new(
            "the postcode finder",
            finder::postcodes::STRINGS.iter().map(|k| k.to_string()),
        ),
    ]
}

/// What `build` and `serve` ask of [`render`] beyond defining the pages.
#[derive(Default)]
pub struct RenderOptions<'c> {
    /// Every page loads the live-reload script.
    pub live_reload: bool,
    /// Flyers compiled by earlier renders, reused where unchanged.
    pub flyers: Option<&'c mut FlyerCache>,
    /// Workbooks to start making while the pages are defined (see [`render`]).
    pub ahead: Option<Ahead<'c>>,
}

/// Which files a build will write (those the previous build did not make
/// from the same input), and where to make them ahead.
pub struct Ahead<'c> {
    pub wanted: &'c (dyn Fn(&LazyFile) -> bool + Sync),
    pub spawn: Box<render::Spawn<'c>>,
}

/// Renders every page and data file of the site: each feature's pages,
/// open data, the finder index, flyers, council maps and the theme's assets.
pub fn render<'s: 'c, 'c>(
    site: &'s Site,
    options: RenderOptions<'c>,
) -> Result<Output<'s>, Diagnostics> {
    // Open-data datasets of every feature; written and documented by open_data.
    let (hashes, places) = rayon::join(
        || registry::ModelHashes::of(site),
        || registry::Places::of(site),
    );
    let mut datasets = registry::datasets(site, &hashes);
    datasets.extend(council::datasets(site));
    let datasets: Vec<Arc<Dataset>> = datasets.into_iter().map(Arc::new).collect();
    // A workbook is made in one piece, on one core (a national registry's:
    // half a second, most of a one-record rebuild): those a build wants are
    // started now, on a thread of their own, beside defining the pages and
    // writing them, not when they come to be written.
    let workbooks = datasets
        .iter()
        .map(|ds| open_data::xlsx::file(site, Arc::clone(ds)));
    let mut lazy_files = match &options.ahead {
        Some(ahead) => {
            let (wanted, rest) = workbooks.partition(|f| (ahead.wanted)(f));
            let mut files = LazyFile::made_ahead(wanted, &*ahead.spawn);
            files.extend(rest);
            files
        }
        None => workbooks.collect(),
    };
    lazy_files.extend(
        datasets
            .iter()
            .flat_map(|ds| open_data::files(Arc::clone(ds))),
    );
    // デジタル庁's rules for machine-readable tables, on the rows as written.
    open_data::check(&datasets)?;
    let mut defs: Vec<PageDef> = Vec::new();
    let mut sets: Vec<PageSet> = Vec::new();
    // The variants' pages are independent: build them side by side.
    let per_lang: Vec<(Vec<PageDef>, PageSet)> = Lang::VARIANTS
        .par_iter()
        .map(|&lang| {
            let mut defs = open_data::pages(site, lang, &datasets);
            defs.extend(finder::pages(site, lang, hashes.rest));
            defs.extend(flyers::pages(site, lang));
            defs.extend(council::pages(site, lang));
            defs.extend(figures::pages(site, lang));
            defs.extend(reference::pages(site, lang));
            let open_data = !datasets.is_empty();
            let (registry, providers) = registry::pages(site, lang, &hashes, &places, open_data);
            defs.extend(registry);
            (defs, providers)
        })
        .collect();
    for (lang_defs, set) in per_lang {
        defs.extend(lang_defs);
        sets.push(set);
    }
    registry::decorate_area_pages(site, &mut defs, &hashes, &places);
    let keys = {
        let in_sets = sets.iter().flat_map(|s| &s.keys);
        let mut keys: BTreeSet<&str> = defs
            .iter()
            .map(|d| &d.key)
            .chain(in_sets)
            .map(String::as_str)
            .collect();
        keys.extend(site.pages.iter().map(|p| p.key.as_str()));
        keys.insert(accessibility::KEY);
        keys
    };
    // The content pages' check, the accessibility report and the site-wide
    // files read the model alone: side by side (the change feeds were
    // 85 ms of a one-record national rebuild on one core, the other idle).
    let ((content, report), ((finder, council), changes)) = rayon::join(
        || {
            rayon::join(
                || content::pages(site, &keys),
                // The report lists every page of the site, tested or not.
                || -> Vec<PageDef> {
                    Lang::VARIANTS
                        .par_iter()
                        .flat_map_iter(|&lang| accessibility::pages(site, lang, &keys))
                        .collect()
                },
            )
        },
        || {
            rayon::join(
                || (finder::files(site), council::files(site)),
                || changes::files(site),
            )
        },
    );
    // After the rest, not beside it: flyers are typeset on threads of
    // their own, one per core (beside the rest, the shipped site's build
    // took 5 % longer). Run even when the pages failed, so a build
    // reports the errors of both.
    let flyers = flyers::files(site, options.flyers);
    let (content, flyers) = match (content, flyers) {
        (Ok(content), Ok(flyers)) => (content, flyers),
        (content, flyers) => {
            let mut diags = content.err().unwrap_or_default();
            diags.extend(flyers.err().unwrap_or_default());
            return Err(diags);
        }
    };
    let mut files = finder;
    files.extend(flyers);
    files.extend(council);
    files.extend(changes);
    // Room for both at once: a second extend would double the capacity
    // (12 MB of a 20,000-page site's heap peak, unused).
    defs.reserve_exact(content.len() + report.len());
    defs.extend(content);
    defs.extend(report);

    // Made last: it lists the open-data files with their written bytes' SHA-256.
    let catalog = (!datasets.is_empty()).then(|| open_data::catalog(site, &datasets));
    let nav = NavKeys {
        before_content: vec![
            render::links::AREAS_KEY.to_string(),
            render::links::HUBS_KEY.to_string(),
            registry::KEY.to_string(),
        ],
        after_content: council::nav_key(site)
            .into_iter()
            .chain(
                [
                    figures::FIGURES_KEY,
                    flyers::FLYERS_KEY,
                    reference::GLOSSARY_KEY,
                    reference::SOURCES_KEY,
                    render::dataset::PAGE_KEY,
                    accessibility::KEY,
                ]
                .map(String::from),
            )
            .collect(),
        // A family's way to a hub, and the accessibility statement (public
        // sites link it from every page).
        everywhere: [
            render::links::AREAS_KEY,
            render::links::HUBS_KEY,
            registry::KEY,
            accessibility::KEY,
        ]
        .map(String::from)
        .to_vec(),
    };
    let mut output = Output::new(
        site,
        defs,
        sets,
        files,
        lazy_files,
        &nav,
        options.live_reload,
    )?;
    output.digest_files.extend(catalog);
    Ok(output)
}

/// What `build` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Built {
    /// The output already held a build of exactly these inputs: nothing was done.
    UpToDate,
    Written(write::Written),
}

/// How to build, beyond the project and the output directory.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions<'a> {
    /// Overrides `base_url` of tsunagu.toml.
    pub base_url: Option<&'a str>,
    /// Replace the contents of a non-empty output directory that tsunagu
    /// did not make (see [`write::check_out`]).
    pub force: bool,
}

/// Why a build failed, and what it left in the output directory.
#[derive(Debug)]
pub struct BuildError {
    pub diagnostics: Diagnostics,
    pub left: write::Left,
}

impl BuildError {
    /// A failure before the output was touched.
    fn as_it_was(diagnostics: Diagnostics) -> BuildError {
        BuildError {
            diagnostics,
            left: write::Left::AsItWas,
        }
    }
}

/// [`build_with`] with default options, its errors' diagnostics only.
pub fn build(root: &Path, out: &Path, base_url: Option<&str>) -> Result<Built, Diagnostics> {
    let options = BuildOptions {
        base_url,
        force: false,
    };
    build_with(root, out, &options).map_err(|e| e.diagnostics)
}

/// Builds the site at `root` into `out`. On any error `out` and its
/// manifest are left as they were (or [`BuildError::left`] says what was
/// changed).
///
/// First `out` is checked ([`write::check_out`]): a build never writes over
/// the project, a file, or a directory tsunagu did not make (unless
/// `force`); a refused build makes and touches nothing. When `out` holds
/// an earlier build (see [`write`]) of the same inputs, nothing is done;
/// otherwise only changed files are rewritten.
///
/// Made for a process that exits after building (the `tsunagu` command):
/// the model and pages are left for the operating system to reclaim at
/// exit, not freed one allocation at a time (~30 ms of a national
/// one-record rebuild). `serve` rebuilds through [`render`] instead.
pub fn build_with(root: &Path, out: &Path, options: &BuildOptions) -> Result<Built, BuildError> {
    let out = write::check_out(root, out, options.force).map_err(|diagnostics| BuildError {
        diagnostics,
        left: write::Left::Refused,
    })?;
    let out = out.as_path();
    let base_url = options.base_url;
    // Taken before the recorded fingerprint is checked: a file changed
    // from here on is recent as of this time.
    let now = std::time::SystemTime::now();
    // Listed once: fingerprinted (twice when there is a recorded
    // fingerprint to compare), then loaded.
    let listing = load::Listing::of(root);
    let recorded = write::Manifest::inputs(out);
    if recorded.is_some_and(|r| build_fingerprint(root, &listing, base_url, r.asof) == r.hash) {
        return Ok(Built::UpToDate);
    }
    let fingerprint = write::Inputs {
        hash: build_fingerprint(root, &listing, base_url, now),
        asof: now,
    };
    // The previous build's manifest (~47,000 entries nationally) is read
    // while the project loads and validates.
    let previous = std::thread::spawn({
        let out = out.to_path_buf();
        move || write::Manifest::read(&out)
    });
    let cache = ParseCache::new(write::cache_path(out));
    let site = load::load_listed(root, &listing, Some(&cache))
        .and_then(|inputs| validate(inputs, base_url))
        .map_err(BuildError::as_it_was)?;
    let mut flyers = FlyerCache::in_dir(write::cache_path(out).join("flyers"));
    let previous = previous.join().ok().flatten();
    // Files the previous build made from the same input are not made again.
    let not_recorded = |f: &LazyFile| {
        !previous
            .as_ref()
            .is_some_and(|m| m.records(&f.path, f.input()))
    };
    let written = std::thread::scope(|scope| {
        let options = RenderOptions {
            flyers: Some(&mut flyers),
            ahead: Some(Ahead {
                wanted: &not_recorded,
                spawn: Box::new(spawner(scope)),
            }),
            ..RenderOptions::default()
        };
        let output = render(&site, options).map_err(BuildError::as_it_was)?;
        let written = write::write(&output, out, fingerprint, previous.as_ref());
        std::mem::forget(output);
        Ok(written)
    })?;
    std::mem::forget(site);
    written.map(Built::Written).map_err(|e| BuildError {
        diagnostics: e.diagnostics,
        left: e.left,
    })
}

/// Hands each job to a thread of `scope` (which waits for them all).
fn spawner<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
) -> impl Fn(Box<dyn FnOnce() + Send + 'scope>) + Sync + 'scope {
    move |job| drop(scope.spawn(job))
}

/// Everything a build's output depends on: the project's files, the base
/// URL, the fonts flyers are set in, and this program itself; the files
/// looked at as of `asof` (see [`load::Look::Metadata`]).
fn build_fingerprint(
    root: &Path,
    listing: &load::Listing,
    base_url: Option<&str>,
    asof: std::time::SystemTime,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::hasher();
    load::fingerprint_listed(root, listing, load::Look::Metadata(asof)).hash(&mut h);
    base_url.hash(&mut h);
    for var in [flyers::SYSTEM_FONTS_ENV, flyers::FONT_DIRS_ENV] {
        std::env::var_os(var).hash(&mut h);
    }
    load::program_identity().hash(&mut h);
    h.finish()
}
