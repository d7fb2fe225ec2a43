//! Open data: datasets published as files under stable URLs, and the page
//! that documents them (columns, types, licence, as-of).
//!
//! For each dataset `<id>`:
//! - `open-data/<id>.csv`: UTF-8 with a BOM and CRLF line ends, which Excel
//!   on Japanese Windows opens without garbling;
//! - `open-data/<id>.sjis.csv`: the same in Shift_JIS (cp932) for older tools;
//!   a character cp932 cannot hold is written as 〓 (geta), the usual mark;
//! - `open-data/<id>.json`: the same records as objects keyed by column name.
//!
//! Column names follow 自治体標準オープンデータセット where such a column
//! exists (全国地方公共団体コード, ID, 地方公共団体名, 名称, 電話番号, …).
//! Features build their [`Dataset`]s from the model; this module only writes
//! them, so every dataset follows the same conventions.

use crate::lang::{Lang, Text};
use crate::model::{Date, Site, SourceId};
use crate::render::{LazyFile, PageDef, provenance, push_provenance, ui};
use serde::Serialize;
use std::io::{self, Write};
use tera::Context;

/// Directory of the open-data files, below the site root.
pub const DIR: &str = "open-data";
/// Key of the page documenting the datasets.
pub const PAGE_KEY: &str = "open-data";

/// What a column holds, as documented on the open-data page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Text,
    Integer,
    /// `YYYY-MM-DD` or `YYYY-MM`.
    Date,
    /// A 6-digit 全国地方公共団体コード.
    AreaCode,
    Phone,
    Url,
    Email,
    /// `yes`, `no` or empty (unknown).
    YesNoUnknown,
}

/// A column: its published name and what it means.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnKind,
    pub about: Text,
}

/// One published table. An empty cell means unknown.
pub struct Dataset<'a> {
    /// File stem, e.g. `providers`, `councils-110001`.
    pub id: String,
    pub title: Text,
    pub columns: Vec<Column>,
    pub rows: Rows<'a>,
    /// Latest as-of date among the records.
    pub as_of: Option<Date>,
    pub sources: Vec<SourceId>,
}

/// A dataset's records, one `Vec` of cells per row: stored, or made one at
/// a time as the files are written (a national registry's 20,000 provider
/// rows would otherwise hold ~56 MB for the whole build).
pub enum Rows<'a> {
    Stored(Vec<Vec<String>>),
    Made {
        len: usize,
        row: Box<dyn Fn(usize) -> Vec<String> + Send + Sync + 'a>,
    },
}

impl Rows<'_> {
    fn len(&self) -> usize {
        match self {
            Rows::Stored(rows) => rows.len(),
            Rows::Made { len, .. } => *len,
        }
    }

    /// Calls `f` with each row in order, stopping at the first error.
    fn each<E>(&self, mut f: impl FnMut(&[String]) -> Result<(), E>) -> Result<(), E> {
        match self {
            Rows::Stored(rows) => rows.iter().try_for_each(|r| f(r)),
            Rows::Made { len, row } => (0..*len).try_for_each(|i| f(&row(i))),
        }
    }

    /// A hash of every row (made in parallel when they are made).
    fn hash(&self) -> u64 {
        use rayon::prelude::*;
        use std::hash::{Hash, Hasher};
        let one = |r: &[String]| {
            let mut h = std::hash::DefaultHasher::new();
            r.hash(&mut h);
            h.finish()
        };
        let rows: Vec<u64> = match self {
            Rows::Stored(rows) => rows.iter().map(|r| one(r)).collect(),
            Rows::Made { len, row } => (0..*len).into_par_iter().map(|i| one(&row(i))).collect(),
        };
        let mut h = std::hash::DefaultHasher::new();
        rows.hash(&mut h);
        h.finish()
    }
}

/// Writes the CSV (no BOM): every field quoted when needed, CRLF line ends.
/// A row with the wrong width is a bug in a feature, caught by the
/// open-data tests.
fn write_csv(ds: &Dataset, out: impl Write) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let header: Vec<&str> = ds.columns.iter().map(|c| c.name).collect();
    w.write_record(&header)?;
    ds.rows.each(|row| w.write_record(row))?;
    w.flush()
}

/// UTF-8 with BOM, CRLF.
pub fn csv_utf8(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    write_csv(ds, out)
}

/// Shift_JIS (cp932), CRLF; characters cp932 cannot hold become 〓.
pub fn csv_cp932(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let mut w = Cp932Writer {
        out,
        pending: Vec::new(),
    };
    write_csv(ds, &mut w)?;
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
struct JsonColumn<'a> {
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
    records: JsonRecords<'a>,
}

/// The rows as JSON objects, serialized as they are written.
struct JsonRecords<'a> {
    ds: &'a Dataset<'a>,
    /// Column indexes in the order of their names: each object lists its
    /// keys sorted, as published since the first release.
    keys: Vec<usize>,
}

impl Serialize for JsonRecords<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.ds.rows.len()))?;
        self.ds
            .rows
            .each(|row| seq.serialize_element(&JsonRecord { row, records: self }))?;
        seq.end()
    }
}

struct JsonRecord<'a> {
    row: &'a [String],
    records: &'a JsonRecords<'a>,
}

impl Serialize for JsonRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let columns = &self.records.ds.columns;
        let mut map = s.serialize_map(Some(self.records.keys.len()))?;
        for &i in &self.records.keys {
            let (column, v) = (&columns[i], self.row.get(i).map_or("", String::as_str));
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

/// The same records as JSON objects; unknown values are `null`.
pub fn json(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let mut keys: Vec<usize> = (0..ds.columns.len()).collect();
    keys.sort_by_key(|&i| ds.columns[i].name);
    keys.dedup_by_key(|i| ds.columns[*i].name);
    let doc = JsonDataset {
        id: &ds.id,
        title: &ds.title,
        as_of: ds.as_of.map(|d| d.to_string()),
        sources: &ds.sources,
        columns: ds
            .columns
            .iter()
            .map(|c| JsonColumn {
                name: c.name,
                kind: c.kind,
            })
            .collect(),
        records: JsonRecords { ds, keys },
    };
    serde_json::to_writer_pretty(io::BufWriter::new(out), &doc).map_err(io::Error::from)
}

/// The three files of a dataset, encoded as they are written (a national
/// registry's are tens of MB each) and only when the rows changed.
pub fn files<'a>(ds: std::sync::Arc<Dataset<'a>>) -> Vec<LazyFile<'a>> {
    use std::hash::{Hash, Hasher};
    let memo = {
        let mut h = std::hash::DefaultHasher::new();
        ds.rows.hash().hash(&mut h);
        crate::render::debug_hash(&(&ds.id, &ds.title, &ds.columns, &ds.as_of, &ds.sources))
            .hash(&mut h);
        h.finish()
    };
    type Encode = fn(&Dataset, &mut dyn Write) -> io::Result<()>;
    let formats: [(&str, Encode); 3] = [("csv", csv_utf8), ("sjis.csv", csv_cp932), ("json", json)];
    formats
        .into_iter()
        .map(|(ext, encode)| {
            let ds = std::sync::Arc::clone(&ds);
            LazyFile {
                path: format!("{DIR}/{}.{ext}", ds.id),
                memo: crate::render::debug_hash(&(memo, ext)),
                make: Box::new(move |out| encode(&ds, out)),
            }
        })
        .collect()
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

#[derive(Serialize)]
struct ColumnCtx {
    name: &'static str,
    kind: ColumnKind,
    about: String,
}

#[derive(Serialize)]
struct DatasetCtx {
    id: String,
    title: String,
    records: usize,
    as_of: Option<String>,
    csv: String,
    sjis: String,
    json: String,
    columns: Vec<ColumnCtx>,
}

/// The page documenting every dataset, or nothing when there is none.
pub fn pages(site: &Site, lang: Lang, datasets: &[Dataset]) -> Vec<PageDef<'static>> {
    if datasets.is_empty() {
        return Vec::new();
    }
    let mut prov = Vec::new();
    let ctx: Vec<DatasetCtx> = datasets
        .iter()
        .map(|ds| {
            for s in &ds.sources {
                if let Some(as_of) = ds.as_of {
                    let p = crate::model::Provenance {
                        source: s.clone(),
                        as_of,
                        last_verified: None,
                    };
                    push_provenance(&mut prov, provenance(site, &p, lang));
                }
            }
            DatasetCtx {
                id: ds.id.clone(),
                title: ds.title.str(lang).to_string(),
                records: ds.rows.len(),
                as_of: ds.as_of.map(|d| d.display(lang)),
                csv: format!("{DIR}/{}.csv", ds.id),
                sjis: format!("{DIR}/{}.sjis.csv", ds.id),
                json: format!("{DIR}/{}.json", ds.id),
                columns: ds
                    .columns
                    .iter()
                    .map(|c| ColumnCtx {
                        name: c.name,
                        kind: c.kind,
                        about: c.about.str(lang).to_string(),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut body = Context::new();
    body.insert("datasets", &ctx);
    body.insert(
        "licence",
        &site
            .config
            .open_data_licence
            .as_ref()
            .map(|l| l.str(lang).to_string()),
    );
    body.insert("licence_url", &site.config.open_data_licence_url);
    vec![PageDef {
        key: PAGE_KEY.into(),
        lang,
        template: "open-data.html",
        title: ui(site, lang, "open_data_title"),
        description: None,
        crumbs: Vec::new(),
        provenance: prov,
        body,
        fill: None,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Dataset<'static> {
        Dataset {
            id: "sample".into(),
            title: Text {
                ja: "見本".into(),
                en: "Sample".into(),
            },
            columns: vec![
                Column {
                    name: "名称",
                    kind: ColumnKind::Text,
                    about: Text {
                        ja: String::new(),
                        en: String::new(),
                    },
                },
                Column {
                    name: "電話番号",
                    kind: ColumnKind::Phone,
                    about: Text {
                        ja: String::new(),
                        en: String::new(),
                    },
                },
            ],
            rows: Rows::Stored(vec![
                vec!["髙橋訪問看護, \"本店\"".into(), String::new()],
                vec!["港北区".into(), "045-000-0000".into()],
            ]),
            as_of: None,
            sources: Vec::new(),
        }
    }

    fn encoded(encode: fn(&Dataset, &mut dyn Write) -> io::Result<()>, ds: &Dataset) -> Vec<u8> {
        let mut out = Vec::new();
        encode(ds, &mut out).expect("writing to a Vec");
        out
    }

    #[test]
    fn rows_made_as_written_give_the_same_files_as_stored_rows() {
        let stored = sample();
        let Rows::Stored(rows) = &stored.rows else {
            unreachable!("sample() stores its rows")
        };
        let rows = rows.clone();
        let made = Dataset {
            rows: Rows::Made {
                len: rows.len(),
                row: Box::new(move |i| rows[i].clone()),
            },
            ..sample()
        };
        for encode in [csv_utf8, csv_cp932, json] {
            assert_eq!(encoded(encode, &made), encoded(encode, &stored));
        }
        assert_eq!(made.rows.hash(), stored.rows.hash());
    }

    #[test]
    fn utf8_csv_has_bom_crlf_and_quotes() {
        let csv = String::from_utf8(encoded(csv_utf8, &sample())).expect("utf-8");
        assert_eq!(
            csv,
            "\u{feff}名称,電話番号\r\n\"髙橋訪問看護, \"\"本店\"\"\",\r\n港北区,045-000-0000\r\n"
        );
    }

    #[test]
    fn cp932_copy_round_trips_and_marks_what_it_cannot_hold() {
        let bytes = encoded(csv_cp932, &sample());
        let (text, enc) = decode_csv(&bytes);
        assert_eq!(enc, "Shift_JIS (cp932)");
        // 髙 (a cp932 extension) survives; the text decodes back exactly.
        assert!(
            text.starts_with("名称,電話番号\r\n\"髙橋訪問看護"),
            "{text}"
        );
        assert_eq!(encode_cp932("𠮷野家"), encode_cp932("〓野家"));
    }

    #[test]
    fn cp932_lookup_agrees_with_encoding_rs() {
        let text = "ASCII 123, ｶﾅ かな カナ 漢字 髙﨑 ①Ⅱ ～ 〓\r\n\0";
        assert_eq!(
            encode_cp932(text),
            encoding_rs::SHIFT_JIS.encode(text).0.into_owned()
        );
    }

    #[test]
    fn json_uses_null_for_unknown() {
        let v: serde_json::Value = serde_json::from_slice(&encoded(json, &sample())).expect("json");
        assert_eq!(v["records"][0]["電話番号"], serde_json::Value::Null);
        assert_eq!(v["records"][1]["電話番号"], "045-000-0000");
    }
}
