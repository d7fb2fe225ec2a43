//! `tsunagu import providers|hubs FILE.csv|FILE.xlsx`: a CSV exported from
//! Excel (Shift_JIS/cp932, or UTF-8 with or without BOM) or an Excel
//! workbook ([`xlsx`]) → a TOML file in `data/`.
//!
//! Columns are the open-data column names ([`crate::features::registry::col`]), so a
//! file downloaded from the site's open-data page can be edited and imported
//! back. Every row is validated; errors name the spreadsheet row (the header
//! is row 1) and the column, and all of them are reported together. Nothing
//! is written unless the whole file is valid, and the project with the new
//! file must still validate. `--dry-run` shows what would change.
//!
//! - `convert`: a spreadsheet (CSV text, or a sheet from `xlsx`) → TOML
//!   text, the header row checked;
//! - `record`: one row → one record, each cell checked;
//! - `postcodes`: `tsunagu import postcodes`, Japan Post's KEN_ALL file.

mod convert;
mod easy;
pub mod postcodes;
mod record;
mod xlsx;

pub use convert::column_letters;
pub use xlsx::cell as xlsx_cell;

use crate::diag::{Diagnostic, Diagnostics};
use crate::features::registry::{self, col};
use crate::load::{InFile, Inputs, RawHubsFile, RawProvidersFile, SourceText};
use crate::model::Site;
use convert::{Place, convert};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Which registry dataset a CSV holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Providers,
    Hubs,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Providers => "data/providers",
            Kind::Hubs => "data/hubs",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Kind::Providers => "provider",
            Kind::Hubs => "hub",
        }
    }

    fn columns(self) -> Vec<&'static str> {
        match self {
            Kind::Providers => registry::provider_columns(),
            Kind::Hubs => registry::hub_columns(),
        }
        .into_iter()
        .map(|c| c.name)
        .collect()
    }

    fn required(self) -> &'static [&'static str] {
        match self {
            Kind::Providers => &[
                col::ID,
                col::NAME,
                col::NAME_EN,
                col::KIND,
                col::AREAS,
                col::SOURCE,
                col::AS_OF,
                col::VERIFIED,
            ],
            Kind::Hubs => &[
                col::ID,
                col::NAME,
                col::NAME_EN,
                col::HUB_AREAS,
                col::SOURCE,
                col::AS_OF,
                col::VERIFIED,
            ],
        }
    }
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Default)]
pub struct Outcome {
    /// The encoding the CSV was read as.
    pub encoding: &'static str,
    /// The TOML file written, relative to the project root.
    pub out: PathBuf,
    pub added: Vec<String>,
    /// Record id → "column: 'old' → 'new'" lines.
    pub changed: Vec<(String, Vec<String>)>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    pub written: bool,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "read as {}; target {}",
            self.encoding,
            self.out.display()
        )?;
        for id in &self.added {
            writeln!(f, "  added    {id}")?;
        }
        for (id, cols) in &self.changed {
            writeln!(f, "  changed  {id}")?;
            for c in cols {
                writeln!(f, "             {c}")?;
            }
        }
        for id in &self.removed {
            writeln!(f, "  removed  {id}")?;
        }
        write!(
            f,
            "{} added, {} changed, {} removed, {} unchanged; {}",
            self.added.len(),
            self.changed.len(),
            self.removed.len(),
            self.unchanged,
            if self.written {
                "written"
            } else {
                "nothing written (dry run)"
            }
        )
    }
}

/// Imports `csv_path` into `out` (default `data/<kind>/imported.toml`),
/// replacing that file's records. Returns every error found otherwise.
pub fn run(
    root: &Path,
    kind: Kind,
    csv_path: &Path,
    out: Option<&Path>,
    dry_run: bool,
) -> Result<Outcome, Vec<String>> {
    let out_rel = out_path(root, kind, out)?;
    let bytes = std::fs::read(csv_path)
        .map_err(|e| vec![format!("{}: cannot read: {e}", csv_path.display())])?;
    let (table, encoding) = if xlsx::is_workbook(csv_path, &bytes) {
        (xlsx::table(kind, bytes, csv_path)?, "xlsx")
    } else {
        let (text, encoding) = crate::features::open_data::decode_csv(&bytes);
        (convert::csv_table(&text, csv_path)?, encoding)
    };

    let inputs = crate::load::load(root).map_err(project_errors)?;
    if let Some(msg) = holds_private(&inputs, kind, &out_rel) {
        return Err(vec![msg]);
    }
    let old_text = old_file(&inputs, kind, &out_rel).map(str::to_string);
    let site = crate::pipeline::validate(inputs, None).map_err(project_errors)?;

    let (toml_text, ids) = convert(&site, kind, &table, csv_path)?;
    let toml_text = easy::carry(old_text.as_deref(), &toml_text, kind.table(), &out_rel)?;

    // The project with the new file in place must still validate.
    let inputs = with_file(root, kind, &out_rel, &toml_text)?;
    let new_site = crate::pipeline::validate(inputs, None).map_err(|d| {
        d.sorted()
            .iter()
            .filter(|d| d.is_error())
            .map(|d| row_message(d, &out_rel, &toml_text, &ids, &table.place))
            .collect::<Vec<_>>()
    })?;

    let mut outcome = diff(&site, &new_site, kind, &out_rel);
    outcome.encoding = encoding;
    outcome.out = out_rel.clone();
    if !dry_run {
        write(root, kind, &out_rel, &toml_text)?;
        outcome.written = true;
    }
    Ok(outcome)
}

/// The file to write, relative to the project root: `--out` must name a
/// `.toml` file directly in the kind's data folder.
fn out_path(root: &Path, kind: Kind, out: Option<&Path>) -> Result<PathBuf, Vec<String>> {
    let Some(p) = out else {
        return Ok(PathBuf::from(kind.dir()).join("imported.toml"));
    };
    let abs = if p.is_relative() {
        root.join(p)
    } else {
        p.to_path_buf()
    };
    let rel = abs
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or(abs.clone());
    let ok =
        rel.parent() == Some(Path::new(kind.dir())) && rel.extension().is_some_and(|e| e == "toml");
    if !ok {
        return Err(vec![format!(
            "--out {}: the file must be a .toml file directly in {}/ (e.g. {}/imported.toml)",
            p.display(),
            kind.dir(),
            kind.dir()
        )]);
    }
    Ok(rel)
}

/// The errors of a project that does not load or validate as it is.
pub(crate) fn project_errors(d: Diagnostics) -> Vec<String> {
    let mut v = vec!["the project has errors; fix them first (tsunagu check):".to_string()];
    v.extend(
        d.sorted()
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string()),
    );
    v
}

/// The project's inputs with `toml_text` in place of the file `out_rel`.
fn with_file(
    root: &Path,
    kind: Kind,
    out_rel: &Path,
    toml_text: &str,
) -> Result<Inputs, Vec<String>> {
    let mut inputs = crate::load::load(root).map_err(project_errors)?;
    let file = SourceText {
        path: out_rel.to_path_buf(),
        text: toml_text.to_string(),
    };
    let mut diags = Diagnostics::default();
    match kind {
        Kind::Providers => {
            let value: Option<RawProvidersFile> =
                crate::load::parse_toml(&file, 0, &file.text, &mut diags);
            inputs.providers.retain(|f| f.file.path != out_rel);
            inputs.providers.extend(value.map(|value| InFile {
                file: file.clone(),
                value,
            }));
        }
        Kind::Hubs => {
            let value: Option<RawHubsFile> =
                crate::load::parse_toml(&file, 0, &file.text, &mut diags);
            inputs.hubs.retain(|f| f.file.path != out_rel);
            inputs.hubs.extend(value.map(|value| InFile {
                file: file.clone(),
                value,
            }));
        }
    }
    if diags.has_errors() {
        return Err(diags.sorted().iter().map(|d| d.to_string()).collect());
    }
    Ok(inputs)
}

/// Writes the file through a temporary one, so a failed write leaves the
/// old file whole.
fn write(root: &Path, kind: Kind, out_rel: &Path, toml_text: &str) -> Result<(), Vec<String>> {
    let path = root.join(out_rel);
    let tmp = path.with_extension("toml.tmp");
    let write = std::fs::create_dir_all(root.join(kind.dir()))
        .and_then(|()| std::fs::write(&tmp, toml_text.as_bytes()))
        .and_then(|()| std::fs::rename(&tmp, &path));
    if let Err(e) = write {
        let _ = std::fs::remove_file(&tmp);
        return Err(vec![format!("{}: cannot write: {e}", path.display())]);
    }
    Ok(())
}

/// The CSV cannot carry private records or fields: refuse to overwrite a file
/// that holds some rather than silently drop them.
fn holds_private(inputs: &Inputs, kind: Kind, out: &Path) -> Option<String> {
    let private = match kind {
        Kind::Providers => inputs
            .providers
            .iter()
            .filter(|f| f.file.path == out)
            .any(|f| {
                f.value
                    .provider
                    .iter()
                    .any(|p| p.private || !p.private_fields.is_empty())
            }),
        Kind::Hubs => inputs.hubs.iter().filter(|f| f.file.path == out).any(|f| {
            f.value
                .hub
                .iter()
                .any(|h| h.private || !h.private_fields.is_empty())
        }),
    };
    private.then(|| {
        format!(
            "{} holds private records or fields, which the published CSV does not contain; importing would drop them. Keep private records in a separate file and import into another file with --out",
            out.display()
        )
    })
}

/// The text of the data file an import replaces, if it exists.
fn old_file<'i>(inputs: &'i Inputs, kind: Kind, out: &Path) -> Option<&'i str> {
    let file = match kind {
        Kind::Providers => inputs
            .providers
            .iter()
            .map(|f| &f.file)
            .find(|f| f.path == out),
        Kind::Hubs => inputs.hubs.iter().map(|f| &f.file).find(|f| f.path == out),
    }?;
    Some(&file.text)
}

/// Maps a validation error in the generated file back to its CSV row.
fn row_message(
    d: &Diagnostic,
    out: &Path,
    toml_text: &str,
    ids: &[(String, usize)],
    place: &Place,
) -> String {
    if d.file != out {
        return d.to_string().trim_end().to_string();
    }
    // Record k starts at the k-th `[[table]]` line.
    let starts: Vec<usize> = toml_text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("[["))
        .map(|(i, _)| i + 1)
        .collect();
    let k = starts.iter().rposition(|s| *s <= d.line);
    let mut msg = match k.and_then(|k| ids.get(k)) {
        Some((id, row)) => format!("{} (ID {id}): {}", place.row(*row), d.message),
        None => d.message.clone(),
    };
    if let Some(h) = &d.hint {
        let _ = write!(msg, " ({h})");
    }
    if d.message.starts_with("duplicate") {
        msg.push_str("; to update records kept in another file, import into that file with --out");
    }
    msg
}

/// Added, changed and removed records of `out`, compared column by column
/// through the open-data rows (which carry every published field).
fn diff(old: &Site, new: &Site, kind: Kind, out: &Path) -> Outcome {
    let rows = |site: &Site| -> BTreeMap<String, Vec<String>> {
        match kind {
            Kind::Providers => site
                .providers
                .iter()
                .filter(|p| p.file == out)
                .map(|p| (p.id.to_string(), registry::provider_row(site, p)))
                .collect(),
            Kind::Hubs => site
                .hubs
                .iter()
                .filter(|h| h.origin.file == out)
                .map(|h| (h.id.to_string(), registry::hub_row(site, h)))
                .collect(),
        }
    };
    let names = kind.columns();
    let (before, after) = (rows(old), rows(new));
    let mut o = Outcome::default();
    for (id, row) in &after {
        match before.get(id) {
            None => o.added.push(id.clone()),
            Some(prev) if prev == row => o.unchanged += 1,
            Some(prev) => {
                let cols = names
                    .iter()
                    .zip(prev.iter().zip(row))
                    .filter(|(_, (a, b))| a != b)
                    .map(|(n, (a, b))| format!("{n}: '{a}' → '{b}'"))
                    .collect();
                o.changed.push((id.clone(), cols));
            }
        }
    }
    o.removed = before
        .keys()
        .filter(|id| !after.contains_key(*id))
        .cloned()
        .collect();
    o
}
