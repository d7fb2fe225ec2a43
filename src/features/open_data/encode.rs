//! A dataset's three encodings (UTF-8 CSV, cp932 CSV, JSON), each written
//! as a head, rows and a tail; and decoding a CSV as Excel may save it.

use crate::lang::Text;
use crate::model::SourceId;
use crate::render::dataset::{Column, ColumnKind, Dataset};
use serde::Serialize;
use std::io::{self, Write};
use std::ops::Range;

/// The three file formats of a dataset. Each is written as a head, rows,
/// and a tail, so a file can be made in parts (see [`super::files`]).
#[derive(Clone, Copy)]
pub(super) enum Format {
    /// UTF-8 with BOM, CRLF: every field quoted when needed. A row with the
    /// wrong width is a bug in a feature, caught by the open-data tests.
    Csv,
    /// Shift_JIS (cp932), CRLF, no BOM; characters cp932 cannot hold become 〓.
    Cp932,
    /// The same records as JSON objects; unknown values are `null`.
    Json,
}

impl Format {
    pub(super) const ALL: [Format; 3] = [Format::Csv, Format::Cp932, Format::Json];

    pub(super) fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Cp932 => "sjis.csv",
            Format::Json => "json",
        }
    }

    /// The whole file.
    pub(super) fn write(self, ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
        self.head(ds, out)?;
        self.rows(ds, 0..ds.rows.len(), out)?;
        self.tail(ds, out)
    }

    pub(super) fn head(self, ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Format::Csv => {
                out.write_all("\u{feff}".as_bytes())?;
                csv_header(ds, out)
            }
            Format::Cp932 => cp932(out, |w| csv_header(ds, w)),
            Format::Json => out.write_all(json_frame(ds)?.0.as_bytes()),
        }
    }

    pub(super) fn rows(
        self,
        ds: &Dataset,
        range: Range<usize>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match self {
            Format::Csv => csv_dataset_rows(ds, range, out),
            Format::Cp932 => cp932(out, |w| csv_dataset_rows(ds, range, w)),
            Format::Json => {
                let keys = json_keys(ds);
                let mut out = io::BufWriter::new(out);
                let mut i = range.start;
                ds.rows.each(range, |row| {
                    // As serde_json's pretty printer writes array elements
                    // two levels deep: a record is only ever a flat object,
                    // and its strings hold no raw line breaks.
                    let record = serde_json::to_string_pretty(&JsonRecord {
                        row,
                        columns: &ds.columns,
                        keys: &keys,
                    })?;
                    out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
                    out.write_all(record.replace('\n', "\n    ").as_bytes())?;
                    i += 1;
                    Ok::<(), io::Error>(())
                })?;
                out.flush()
            }
        }
    }

    pub(super) fn tail(self, ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Format::Csv | Format::Cp932 => Ok(()),
            Format::Json => {
                let close = if ds.rows.is_empty() { "]" } else { "\n  ]" };
                out.write_all(close.as_bytes())?;
                out.write_all(json_frame(ds)?.1.as_bytes())
            }
        }
    }
}

/// A CSV writer: fields quoted when needed, CRLF line ends.
fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

fn csv_header(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv_writer(out);
    w.write_record(ds.columns.iter().map(|c| c.name))?;
    w.flush()
}

fn csv_dataset_rows(ds: &Dataset, range: Range<usize>, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv_writer(out);
    ds.rows.each(range, |row| {
        w.write_record(row.iter().map(|c| defuse_cell(c).into_owned()))
    })?;
    w.flush()
}

/// What a spreadsheet reads as the start of a formula (OWASP, "CSV
/// injection"): `=HYPERLINK(…)` or `@SUM(…)` in a cell would run when the
/// file is opened in Excel.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell, after any leading apostrophes, starts like a formula.
fn looks_like_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A CSV cell as exported: one that a spreadsheet would read as a formula
/// gets a leading `'`, which Excel shows as text and never runs (`+81-45-…`
/// becomes `'+81-45-…`). A cell that is already `'` + formula gets one more
/// `'`, so [`restore_cell`] (used by `tsunagu import`) gives back exactly
/// the original. JSON files carry the values as they are.
pub fn defuse_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Undoes [`defuse_cell`]: drops the one `'` it added.
pub fn restore_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

/// Runs `write` with a writer that re-encodes what it is given as cp932.
fn cp932(
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut w = Cp932Writer {
        out,
        pending: Vec::new(),
    };
    write(&mut w)?;
    w.encode_pending(w.pending.len())
}

/// Re-encodes the UTF-8 it is given as cp932, a line at a time (a line
/// end is always a character boundary), so no whole file is held.
struct Cp932Writer<'a> {
    out: &'a mut dyn Write,
    pending: Vec<u8>,
}

impl Cp932Writer<'_> {
    fn encode_pending(&mut self, upto: usize) -> io::Result<()> {
        let text = std::str::from_utf8(&self.pending[..upto])
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        self.out.write_all(&encode_cp932(text))?;
        self.pending.drain(..upto);
        Ok(())
    }
}

impl Write for Cp932Writer<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.encode_pending(end + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Encodes text as cp932, writing 〓 for characters it cannot hold.
pub fn encode_cp932(text: &str) -> Vec<u8> {
    let table = cp932_table();
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        // A trail byte is never 0, so [b, 0] is the one byte b.
        match table.get(c as usize).copied().unwrap_or(GETA) {
            [b, 0] => out.push(b),
            pair => out.extend_from_slice(&pair),
        }
    }
    out
}

/// 〓 in cp932.
const GETA: [u8; 2] = [0x81, 0xAC];

/// cp932 bytes of every character of the Basic Multilingual Plane, as
/// encoding_rs encodes them one at a time (cp932 holds nothing beyond it).
/// A lookup is many times faster than encoding_rs's search of its kanji
/// tables, which took ~6 % of a national build.
fn cp932_table() -> &'static [[u8; 2]] {
    static TABLE: std::sync::OnceLock<Vec<[u8; 2]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut buf = [0u8; 4];
        (0..=0xFFFFu32)
            .map(|u| {
                let Some(c) = char::from_u32(u) else {
                    return GETA;
                };
                let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf));
                match (unmappable, &bytes[..]) {
                    (false, [b]) => [*b, 0],
                    (false, [a, b]) => [*a, *b],
                    _ => GETA,
                }
            })
            .collect()
    })
}

#[derive(Serialize)]
pub(super) struct JsonColumn<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: ColumnKind,
}

#[derive(Serialize)]
struct JsonDataset<'a> {
    id: &'a str,
    title: &'a Text,
    as_of: Option<String>,
    sources: &'a [SourceId],
    columns: Vec<JsonColumn<'a>>,
    /// Left empty: the records are written between the two halves of this
    /// document (see [`json_frame`]).
    records: [(); 0],
}

/// The JSON document around its records: up to and including the opening
/// `[` of `records`, and what follows its closing `]`.
fn json_frame(ds: &Dataset) -> io::Result<(String, String)> {
    let doc = JsonDataset {
        id: &ds.id,
        title: &ds.title,
        as_of: ds.as_of.map(|d| d.to_string()),
        sources: &ds.sources,
        columns: json_columns(ds),
        records: [],
    };
    let text = serde_json::to_string_pretty(&doc)?;
    let at = text
        .rfind("[]")
        .ok_or_else(|| io::Error::other("no records array in the JSON document"))?;
    Ok((text[..=at].to_string(), text[at + 2..].to_string()))
}

pub(super) fn json_columns<'a>(ds: &'a Dataset) -> Vec<JsonColumn<'a>> {
    ds.columns
        .iter()
        .map(|c| JsonColumn {
            name: c.name,
            kind: c.kind,
        })
        .collect()
}

/// Column indexes in the order of their names: each object lists its keys
/// sorted, as published since the first release.
fn json_keys(ds: &Dataset) -> Vec<usize> {
    let mut keys: Vec<usize> = (0..ds.columns.len()).collect();
    keys.sort_by_key(|&i| ds.columns[i].name);
    keys.dedup_by_key(|i| ds.columns[*i].name);
    keys
}

struct JsonRecord<'a> {
    row: &'a [String],
    columns: &'a [Column],
    keys: &'a [usize],
}

impl Serialize for JsonRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.keys.len()))?;
        for &i in self.keys {
            let (column, v) = (&self.columns[i], self.row.get(i).map_or("", String::as_str));
            map.serialize_key(column.name)?;
            if v.is_empty() {
                map.serialize_value(&())?;
            } else if let (ColumnKind::Integer, Ok(n)) = (column.kind, v.parse::<i64>()) {
                map.serialize_value(&n)?;
            } else {
                map.serialize_value(v)?;
            }
        }
        map.end()
    }
}

/// Text of a CSV file as Excel may have saved it: UTF-8 with or without a
/// BOM, or Shift_JIS (cp932). Returns the text and the encoding's name.
pub fn decode_csv(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 (BOM)");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => (
            encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
            "Shift_JIS (cp932)",
        ),
    }
}

#[cfg(test)]
mod formula_tests {
    use super::{defuse_cell, restore_cell};

    #[test]
    fn cells_that_start_a_formula_are_text_and_come_back_unchanged() {
        for (cell, exported) in [
            (
                "=HYPERLINK(\"https://x.example\",\"詳細\")",
                "'=HYPERLINK(\"https://x.example\",\"詳細\")",
            ),
            (
                "@SUM(1+1)*cmd|' /C calc'!A0",
                "'@SUM(1+1)*cmd|' /C calc'!A0",
            ),
            ("+81-45-000-0000", "'+81-45-000-0000"),
            ("-1", "'-1"),
            ("\tx", "'\tx"),
            ("'=already quoted", "''=already quoted"),
            ("045-000-0000", "045-000-0000"),
            ("横浜市", "横浜市"),
            ("it's", "it's"),
            ("", ""),
        ] {
            assert_eq!(defuse_cell(cell), exported, "{cell}");
            assert_eq!(restore_cell(&defuse_cell(cell)), cell, "{cell}");
        }
    }
}
