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
#[derive(Debug, Clone)]
pub struct Dataset {
    /// File stem, e.g. `providers`, `councils-110001`.
    pub id: String,
    pub title: Text,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// Latest as-of date among the records.
    pub as_of: Option<Date>,
    pub sources: Vec<SourceId>,
}

/// The CSV text (no BOM): every field quoted when needed, CRLF line ends.
fn csv_text(ds: &Dataset) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header: Vec<&str> = ds.columns.iter().map(|c| c.name).collect();
    // Writing to a Vec cannot fail; a row with the wrong width is a bug in a
    // feature, caught by the open-data tests.
    let _ = w.write_record(&header);
    for row in &ds.rows {
        let _ = w.write_record(row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// UTF-8 with BOM, CRLF.
pub fn csv_utf8(ds: &Dataset) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend_from_slice(csv_text(ds).as_bytes());
    out
}

/// Shift_JIS (cp932), CRLF; characters cp932 cannot hold become 〓.
pub fn csv_cp932(ds: &Dataset) -> Vec<u8> {
    encode_cp932(&csv_text(ds))
}

/// Encodes text as cp932, writing 〓 for characters it cannot hold.
pub fn encode_cp932(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(text);
    if !had_errors {
        return bytes.into_owned();
    }
    let mut buf = [0u8; 4];
    let safe: String = text
        .chars()
        .map(|c| {
            if encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf)).2 {
                '〓'
            } else {
                c
            }
        })
        .collect();
    encoding_rs::SHIFT_JIS.encode(&safe).0.into_owned()
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
    records: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// The same records as JSON objects; unknown values are `null`.
pub fn json(ds: &Dataset) -> Vec<u8> {
    let records = ds
        .rows
        .iter()
        .map(|row| {
            ds.columns
                .iter()
                .zip(row)
                .map(|(c, v)| {
                    let value = if v.is_empty() {
                        serde_json::Value::Null
                    } else if c.kind == ColumnKind::Integer {
                        v.parse::<i64>()
                            .map_or_else(|_| v.clone().into(), Into::into)
                    } else {
                        v.clone().into()
                    };
                    (c.name.to_string(), value)
                })
                .collect()
        })
        .collect();
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
        records,
    };
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

/// The three files of a dataset, encoded when written (a national
/// registry's are tens of MB each) and only when the rows changed.
pub fn files(ds: std::sync::Arc<Dataset>) -> Vec<LazyFile<'static>> {
    use std::hash::{Hash, Hasher};
    let memo = {
        let mut h = std::hash::DefaultHasher::new();
        ds.rows.hash(&mut h);
        crate::render::debug_hash(&(&ds.id, &ds.title, &ds.columns, &ds.as_of, &ds.sources))
            .hash(&mut h);
        h.finish()
    };
    type Encode = fn(&Dataset) -> Vec<u8>;
    let formats: [(&str, Encode); 3] = [("csv", csv_utf8), ("sjis.csv", csv_cp932), ("json", json)];
    formats
        .into_iter()
        .map(|(ext, encode)| {
            let ds = std::sync::Arc::clone(&ds);
            LazyFile {
                path: format!("{DIR}/{}.{ext}", ds.id),
                memo: crate::render::debug_hash(&(memo, ext)),
                make: Box::new(move || encode(&ds)),
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

    fn sample() -> Dataset {
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
            rows: vec![
                vec!["髙橋訪問看護, \"本店\"".into(), String::new()],
                vec!["港北区".into(), "045-000-0000".into()],
            ],
            as_of: None,
            sources: Vec::new(),
        }
    }

    #[test]
    fn utf8_csv_has_bom_crlf_and_quotes() {
        let csv = String::from_utf8(csv_utf8(&sample())).expect("utf-8");
        assert_eq!(
            csv,
            "\u{feff}名称,電話番号\r\n\"髙橋訪問看護, \"\"本店\"\"\",\r\n港北区,045-000-0000\r\n"
        );
    }

    #[test]
    fn cp932_copy_round_trips_and_marks_what_it_cannot_hold() {
        let bytes = csv_cp932(&sample());
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
    fn json_uses_null_for_unknown() {
        let v: serde_json::Value = serde_json::from_slice(&json(&sample())).expect("json");
        assert_eq!(v["records"][0]["電話番号"], serde_json::Value::Null);
        assert_eq!(v["records"][1]["電話番号"], "045-000-0000");
    }
}
