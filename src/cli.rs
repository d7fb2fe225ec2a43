//! Command-line interface types (clap). Behaviour lives in `main.rs` and the library.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// tsunagu (つなぐ): build the bilingual medical-care coordinator website.
#[derive(Debug, Parser)]
#[command(name = "tsunagu", version, about, long_about = None)]
pub struct Cli {
    /// Project directory holding tsunagu.toml, content/, data/ and templates/.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output directory (replaced only on success).
    ///
    /// The output directory may not be the project root, hold it, or be or
    /// be inside content/, data/, templates/ or tsunagu.toml; it must be a
    /// directory (or not exist yet); and a non-empty one must have been made
    /// by tsunagu (a .<name>.tsunagu-manifest beside it) unless --force is
    /// given. Anything else is refused before anything is written.
    Build {
        /// Output directory.
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// Absolute URL the site is published under (overrides tsunagu.toml).
        #[arg(long)]
        base_url: Option<String>,
        /// Build into a non-empty output directory that tsunagu did not
        /// make, replacing everything in it with the site.
        #[arg(long)]
        force: bool,
    },
    /// Load and validate everything, print every error and the data-gap report; write nothing.
    Check {
        /// Also write the gap workbook: every record with an unknown value,
        /// one sheet per kind, to be filled in and read back with
        /// `tsunagu import gaps FILE.xlsx`.
        #[arg(long, value_name = "FILE.xlsx")]
        gaps: Option<PathBuf>,
        /// Limit the gap workbook to the records of one municipality (6-digit code).
        #[arg(long, requires = "gaps")]
        area: Option<String>,
    },
    /// Start a new project for a prefecture or municipality in a new directory.
    ///
    /// Writes tsunagu.toml, home, about and coordinator pages in both
    /// languages, data/areas/ with the real areas in scope (from the national
    /// area table), data/sources.toml, and example files for hubs, providers,
    /// councils and coordinators. Every hub, contact and status starts
    /// unknown. Then: `tsunagu serve --root DIR`.
    Init {
        /// Directory to create (must not exist, or be empty).
        dir: PathBuf,
        /// The area: a name in kanji, kana or romaji (堺市, さかいし, Sakai) or its
        /// local government code (271403). An ambiguous name lists the candidates.
        #[arg(long)]
        area: String,
    },
    /// Import a registry CSV (Excel: Shift_JIS or UTF-8) or .xlsx workbook
    /// into data/ as TOML, or merge a filled-in gap workbook (`import gaps`).
    ///
    /// `import postcodes KEN_ALL.CSV --as-of YYYY-MM`: Japan Post's postcode
    /// file into data/postcodes/<prefecture code>.csv instead.
    ///
    /// Columns are those of the open-data files (名称, 名称_英字, 電話番号, …). Every
    /// row is checked; errors name the row and column (the sheet and cell
    /// of a workbook); nothing is written unless the whole file is valid.
    Import {
        /// Which registry the CSV holds.
        #[arg(value_enum)]
        kind: ImportKind,
        /// The CSV file.
        file: PathBuf,
        /// TOML file to write (replaced), in data/providers/ or data/hubs/;
        /// default data/<kind>/imported.toml.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Show what would be added, changed and removed; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// postcodes: the source id in data/sources.toml (default japan-post-postcodes).
        #[arg(long)]
        source: Option<String>,
        /// postcodes: the date of Japan Post's data, YYYY-MM-DD or YYYY-MM (required).
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Write a SYNTHETIC national project (all municipalities, hubs, providers,
    /// council statuses) for benchmarks, into a new directory.
    BenchData {
        /// Directory to create (must be new or empty; never content/ or data/).
        out: PathBuf,
        /// Number of providers.
        #[arg(long, default_value_t = 20_000)]
        providers: usize,
        /// MLIT N03 GeoJSON of all of Japan, for real municipal names and codes.
        #[arg(long)]
        geodata: Option<PathBuf>,
        /// Number of SYNTHETIC postcodes with invented towns (all of Japan: 120000).
        #[arg(long, default_value_t = 0)]
        postcodes: usize,
    },
    /// Serve the site on 127.0.0.1, rebuilding and reloading pages on every change.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Work with the theme: templates, UI strings, CSS, scripts, flyer.typ.
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Copy default theme files into templates/ for editing (all, or the
    /// named ones: `base.html`, `i18n/en.toml`, `partials`); a file there
    /// replaces the default theme's file of the same path.
    Eject {
        /// Paths below templates/ (a directory names every file below it).
        files: Vec<String>,
        /// Replace files the project already has, changed.
        #[arg(long)]
        force: bool,
    },
}

/// Registries `tsunagu import` reads.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ImportKind {
    Providers,
    Hubs,
    /// A gap workbook written by `check --gaps` and filled in.
    Gaps,
    /// Japan Post's KEN_ALL.CSV → data/postcodes/<prefecture code>.csv.
    Postcodes,
}
