//! CSV text → the TOML text of a data file: the header row checked, then
//! each row made a record ([`super::record`]).

use super::Kind;
use super::record::{Row, record};
use crate::features::open_data::restore_cell;
use crate::features::registry::DERIVED;
use crate::model::Site;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// Each imported record's id and the spreadsheet row it came from.
pub(super) type RecordRows = Vec<(String, usize)>;

/// CSV text → TOML text and, per record, its id and spreadsheet row.
pub(super) fn convert(
    site: &Site,
    kind: Kind,
    text: &str,
    csv_path: &Path,
) -> Result<(String, RecordRows), Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
            .collect(),
        Err(e) => return Err(vec![format!("{}: not a CSV file: {e}", csv_path.display())]),
    };
    let known = kind.columns();
    let errors = header_errors(kind, &known, &headers);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut row_errors: Vec<(usize, usize, String)> = Vec::new();
    let mut toml = format!(
        "# Imported by `tsunagu import {}` from {}.\n# Edit the spreadsheet and import it again, or edit this file; data/README.md documents every field.\n",
        match kind {
            Kind::Providers => "providers",
            Kind::Hubs => "hubs",
        },
        csv_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    let mut ids = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, rec) in reader.records().enumerate() {
        let number = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                row_errors.push((number, 0, format!("row {number}: cannot read the row: {e}")));
                continue;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() > headers.len() && rec.iter().skip(headers.len()).any(|c| !c.trim().is_empty())
        {
            row_errors.push((
                number,
                usize::MAX,
                format!("row {number}: has more cells than the header has columns"),
            ));
        }
        let cells = headers
            .iter()
            .zip(rec.iter())
            .filter(|(h, _)| !DERIVED.contains(&h.as_str()))
            .map(|(h, v)| (h.as_str(), restore_cell(v.trim()).to_string()))
            .collect();
        let mut row = Row {
            number,
            cells,
            errors: &mut row_errors,
            order: &known,
        };
        let (id, block) = record(kind, site, &mut row, &mut seen);
        let _ = write!(toml, "\n[[{}]]\n{block}", kind.table());
        ids.push((id, number));
    }
    if row_errors.is_empty() {
        Ok((toml, ids))
    } else {
        row_errors.sort_by_key(|a| (a.0, a.1));
        Err(row_errors.into_iter().map(|(_, _, m)| m).collect())
    }
}

/// Unknown, repeated and missing columns of the header row.
fn header_errors(kind: Kind, known: &[&str], headers: &[String]) -> Vec<String> {
    let mut errors = Vec::new();
    let mut seen_headers = BTreeSet::new();
    for h in headers {
        if h.is_empty() {
            continue;
        }
        if !known.contains(&h.as_str()) {
            errors.push(format!(
                "row 1, {h}: unknown column (the columns are: {})",
                known.join(", ")
            ));
        }
        if !seen_headers.insert(h.as_str()) {
            errors.push(format!("row 1, {h}: the column appears twice"));
        }
    }
    for r in kind.required() {
        if !headers.iter().any(|h| h == r) {
            errors.push(format!("row 1, {r}: required column is missing"));
        }
    }
    errors
}
