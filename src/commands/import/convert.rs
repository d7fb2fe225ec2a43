//! A spreadsheet (CSV text, or a workbook sheet read by [`super::xlsx`])
//! → the TOML text of a data file: the header row checked, then each row
//! made a record ([`super::record`]).

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

/// Where a spreadsheet's cells are, for messages: a CSV's rows, or a
/// workbook sheet's cells (`providers!C14`).
pub(super) enum Place {
    Csv,
    Sheet(String),
}

impl Place {
    /// A cell: `row 14, 電話番号` or `providers!C14 (電話番号)`; `index` is
    /// the column's place in the header row.
    pub(super) fn cell(&self, row: usize, index: Option<usize>, column: &str) -> String {
        match (self, index) {
            (Place::Sheet(sheet), Some(i)) => {
                format!("{sheet}!{}{row} ({column})", column_letters(i))
            }
            (Place::Sheet(sheet), None) => format!("{sheet} row {row}, {column}"),
            (Place::Csv, _) => format!("row {row}, {column}"),
        }
    }

    /// A row: `row 14` or `providers row 14`.
    pub(super) fn row(&self, row: usize) -> String {
        match self {
            Place::Sheet(sheet) => format!("{sheet} row {row}"),
            Place::Csv => format!("row {row}"),
        }
    }
}

/// Excel's letters of column `i` (0 → A, 26 → AA).
pub fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A spreadsheet as read: the header row and the rows below it.
pub(super) struct Table {
    pub place: Place,
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
    /// Rows that could not be read at all, as (row, message).
    pub unreadable: Vec<(usize, String)>,
}

/// One row: its number in the sheet (the header is row 1), its cells in
/// header order, and cells already found wrong as they were read (a
/// formula, a code that lost its zero), as (column index, message).
pub(super) struct TableRow {
    pub number: usize,
    pub cells: Vec<String>,
    pub bad: Vec<(usize, String)>,
}

/// CSV text → a [`Table`].
pub(super) fn csv_table(text: &str, csv_path: &Path) -> Result<Table, Vec<String>> {
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
    let mut rows = Vec::new();
    let mut unreadable = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let number = i + 2;
        match rec {
            Ok(r) => {
                if r.len() > headers.len()
                    && r.iter().skip(headers.len()).any(|c| !c.trim().is_empty())
                {
                    unreadable.push((
                        number,
                        format!("row {number}: has more cells than the header has columns"),
                    ));
                }
                rows.push(TableRow {
                    number,
                    cells: r
                        .iter()
                        .map(|c| restore_cell(c.trim()).to_string())
                        .collect(),
                    bad: Vec::new(),
                });
            }
            Err(e) => unreadable.push((number, format!("row {number}: cannot read the row: {e}"))),
        }
    }
    Ok(Table {
        place: Place::Csv,
        headers,
        rows,
        unreadable,
    })
}

/// A table → TOML text and, per record, its id and spreadsheet row.
pub(super) fn convert(
    site: &Site,
    kind: Kind,
    table: &Table,
    file: &Path,
) -> Result<(String, RecordRows), Vec<String>> {
    let headers = &table.headers;
    let known = kind.columns();
    let errors = header_errors(kind, &known, table);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut row_errors: Vec<(usize, usize, String)> = table
        .unreadable
        .iter()
        .map(|(n, m)| (*n, usize::MAX, m.clone()))
        .collect();
    let mut toml = format!(
        "# Imported by `tsunagu import {}` from {}.\n# Edit the spreadsheet and import it again, or edit this file; data/README.md documents every field.\n",
        match kind {
            Kind::Providers => "providers",
            Kind::Hubs => "hubs",
        },
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    let mut ids = Vec::new();
    let mut seen = BTreeSet::new();
    for rec in &table.rows {
        if rec.cells.iter().all(|c| c.trim().is_empty()) && rec.bad.is_empty() {
            continue;
        }
        let cells = headers
            .iter()
            .zip(rec.cells.iter())
            .filter(|(h, _)| !DERIVED.contains(&h.as_str()))
            .map(|(h, v)| (h.as_str(), v.trim().to_string()))
            .collect();
        let mut row = Row {
            number: rec.number,
            cells,
            errors: &mut row_errors,
            order: &known,
            place: &table.place,
            headers,
            wrong: BTreeSet::new(),
        };
        for (i, msg) in &rec.bad {
            let column = headers.get(*i).map_or("", String::as_str);
            row.error(column, msg);
            row.wrong.insert(column.to_string());
        }
        let (id, block) = record(kind, site, &mut row, &mut seen);
        let _ = write!(toml, "\n[[{}]]\n{block}", kind.table());
        ids.push((id, rec.number));
    }
    if row_errors.is_empty() {
        Ok((toml, ids))
    } else {
        row_errors.sort_by_key(|a| (a.0, a.1));
        Err(row_errors.into_iter().map(|(_, _, m)| m).collect())
    }
}

/// Unknown, repeated and missing columns of the header row.
fn header_errors(kind: Kind, known: &[&str], table: &Table) -> Vec<String> {
    let mut errors = Vec::new();
    let mut seen_headers = BTreeSet::new();
    for (i, h) in table.headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        let at = table.place.cell(1, Some(i), h);
        if !known.contains(&h.as_str()) {
            errors.push(format!(
                "{at}: unknown column (the columns are: {})",
                known.join(", ")
            ));
        }
        if !seen_headers.insert(h.as_str()) {
            errors.push(format!("{at}: the column appears twice"));
        }
    }
    for r in kind.required() {
        if !table.headers.iter().any(|h| h == r) {
            errors.push(format!(
                "{}: required column is missing",
                table.place.cell(1, None, r)
            ));
        }
    }
    errors
}
