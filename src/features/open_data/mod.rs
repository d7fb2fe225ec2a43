//! Open data: datasets published as files under stable URLs, and the page
//! that documents them (columns, types, licence, as-of).
//!
//! For each dataset `<id>`:
//! - `open-data/<id>.csv`: UTF-8 with a BOM and CRLF line ends, which Excel
//!   on Japanese Windows opens without garbling;
//! - `open-data/<id>.sjis.csv`: the same in Shift_JIS (cp932) for older tools;
//!   a character cp932 cannot hold is written as 〓 (geta), the usual mark;
//! - `open-data/<id>.json`: the same records as objects keyed by column name;
//! - `open-data/<id>.xlsx`: the same as an Excel workbook ([`xlsx`]).
//!
//! Column names follow 自治体標準オープンデータセット where such a column
//! exists (全国地方公共団体コード, ID, 地方公共団体名, 名称, 電話番号, …).
//! Features build their [`Dataset`]s from the model; this module only writes
//! them, so every dataset follows the same conventions.

mod catalog;
mod encode;
mod tables;
pub mod xlsx;

pub use catalog::{PATH as CATALOG_PATH, catalog};
pub use encode::{decode_csv, defuse_cell, encode_cp932, restore_cell};
pub use tables::check;

use crate::lang::Lang;
use crate::model::Site;
use crate::render::TemplateData;
use crate::render::dataset::{ColumnKind, DIR, Dataset, PAGE_KEY};
use crate::render::{LazyFile, PageDef, Parts, provenance, push_provenance, ui};
use encode::Format;
use serde::Serialize;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::ops::Range;

/// The files of a dataset but its workbook ([`xlsx::file`]): the three
/// text files ([`text_files`]) and their CSVW metadata.
pub fn files<'a>(ds: std::sync::Arc<Dataset<'a>>) -> Vec<LazyFile<'a>> {
    let mut files = csvw_files(&ds);
    files.extend(text_files(ds));
    files
}

/// The CSVW metadata beside each CSV file of a dataset
/// (`<id>.csv-metadata.json`, where CSVW tools look for it).
fn csvw_files<'a>(ds: &Dataset) -> Vec<LazyFile<'a>> {
    tables::CSV_FILES
        .iter()
        .map(|&(ext, encoding, note)| {
            let file = format!("{}.{ext}", ds.id);
            let json = tables::metadata(ds, &file, encoding, note);
            let bytes = serde_json::to_vec_pretty(&json).unwrap_or_default();
            LazyFile {
                path: format!("{DIR}/{file}-metadata.json"),
                memo: crate::hash::of(&bytes),
                make: Box::new(move |out: &mut (dyn Write + Send)| out.write_all(&bytes)),
                parts: None,
            }
        })
        .collect()
}

/// The three text files of a dataset, encoded as they are written (a national
/// registry's are tens of MB each) and only when the rows changed. A
/// dataset of made rows is written in parts (head, runs of rows, tail),
/// so an incremental build makes only the parts whose rows changed.
pub fn text_files<'a>(ds: std::sync::Arc<Dataset<'a>>) -> Vec<LazyFile<'a>> {
    let about = crate::hash::of(&(&ds.id, &ds.title, &ds.columns, &ds.as_of, &ds.sources));
    let parts = ds.rows.parts();
    Format::ALL
        .into_iter()
        .map(|format| {
            let path = format!("{DIR}/{}.{}", ds.id, format.ext());
            let all = std::sync::Arc::clone(&ds);
            let make = Box::new(move |out: &mut (dyn Write + Send)| format.write(&all, out));
            let Some(parts) = &parts else {
                return LazyFile {
                    path,
                    memo: crate::hash::of(&(about, ds.rows.hash(), format.ext())),
                    make,
                    parts: None,
                };
            };
            // Part 0 is the head, the last the tail, the rest runs of rows.
            let memo = |what: (&str, u64)| {
                let mut h = crate::hash::hasher();
                (about, format.ext(), what).hash(&mut h);
                h.finish()
            };
            let mut memos = vec![memo(("head", 0))];
            // The first row is written without the separator the others have.
            memos.extend(
                parts.iter().map(|(rows, hash)| {
                    memo((if rows.start == 0 { "first" } else { "rows" }, *hash))
                }),
            );
            memos.push(memo(("tail", u64::from(ds.rows.is_empty()))));
            let ranges: Vec<Range<usize>> = parts.iter().map(|(r, _)| r.clone()).collect();
            let ds = std::sync::Arc::clone(&ds);
            let last = ranges.len() + 1;
            LazyFile {
                path,
                memo: crate::hash::of(&memos),
                make,
                parts: Some(Parts {
                    memos,
                    make: Box::new(move |i, out| match i {
                        0 => format.head(&ds, out),
                        i if i == last => format.tail(&ds, out),
                        i => format.rows(&ds, ranges[i - 1].clone(), out),
                    }),
                }),
            }
        })
        .collect()
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
    xlsx: String,
    /// The CSVW metadata of the UTF-8 CSV.
    csvw: String,
    columns: Vec<ColumnCtx>,
}

/// The page documenting every dataset, or nothing when there is none.
pub fn pages(
    site: &Site,
    lang: Lang,
    datasets: &[std::sync::Arc<Dataset>],
) -> Vec<PageDef<'static>> {
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
                xlsx: format!("{DIR}/{}.xlsx", ds.id),
                csvw: format!("{DIR}/{}.csv-metadata.json", ds.id),
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
    let mut body = TemplateData::new();
    body.insert("datasets", &ctx);
    body.insert("catalog", CATALOG_PATH);
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
    use super::encode::{Format, JsonColumn, json_columns};
    use super::*;
    use crate::lang::Text;
    use crate::model::SourceId;
    use crate::render::dataset::{Column, ColumnKind};
    use crate::render::dataset::{RowMemo, Rows};
    use serde::Serialize;

    fn sample() -> Dataset<'static> {
        Dataset {
            id: "sample".into(),
            title: Text {
                ja: "見本".into(),
                en: "Sample".into(),
                easy: None,
            },
            columns: vec![
                Column {
                    name: "名称",
                    kind: ColumnKind::Text,
                    about: Text {
                        ja: String::new(),
                        en: String::new(),
                        easy: None,
                    },
                    choices: Vec::new(),
                    required: false,
                },
                Column {
                    name: "電話番号",
                    kind: ColumnKind::Phone,
                    about: Text {
                        ja: String::new(),
                        en: String::new(),
                        easy: None,
                    },
                    choices: Vec::new(),
                    required: false,
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

    fn encoded(format: Format, ds: &Dataset) -> Vec<u8> {
        let mut out = Vec::new();
        format.write(ds, &mut out).expect("writing to a Vec");
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
                memo: Box::new(|i| RowMemo {
                    hash: i as u64,
                    starts_part: true,
                }),
            },
            ..sample()
        };
        for format in Format::ALL {
            assert_eq!(encoded(format, &made), encoded(format, &stored));
        }
    }

    /// `len` made rows, a part starting at each row in `starts`.
    fn made(len: usize, starts: &'static [usize]) -> Dataset<'static> {
        let rows: Vec<Vec<String>> = (0..len)
            .map(|i| {
                vec![
                    format!("事業所{i}, \"支店\"\n改行"),
                    format!("045-000-{i:04}"),
                ]
            })
            .collect();
        let memos: Vec<u64> = (0..len as u64).collect();
        Dataset {
            rows: Rows::Made {
                len,
                row: Box::new(move |i| rows[i].clone()),
                memo: Box::new(move |i| RowMemo {
                    hash: memos[i],
                    starts_part: starts.contains(&i),
                }),
            },
            ..sample()
        }
    }

    #[test]
    fn a_file_in_parts_is_the_whole_file() {
        for (len, starts) in [(0, &[][..]), (1, &[0][..]), (5, &[2, 3][..]), (7, &[][..])] {
            let ds = std::sync::Arc::new(made(len, starts));
            for f in text_files(std::sync::Arc::clone(&ds)) {
                let parts = f.parts.as_ref().expect("made rows are written in parts");
                // head, one part per run of rows, tail
                let runs = if len == 0 {
                    0
                } else {
                    1 + starts.iter().filter(|&&s| s > 0).count()
                };
                assert_eq!(parts.memos.len(), runs + 2, "{}", f.path);
                let mut joined = Vec::new();
                for i in 0..parts.memos.len() {
                    (parts.make)(i, &mut joined).expect("writing to a Vec");
                }
                let mut whole = Vec::new();
                (f.make)(&mut whole).expect("writing to a Vec");
                assert_eq!(joined, whole, "{}", f.path);
            }
            // The JSON is what serde_json's pretty printer writes for the
            // whole document, records and all.
            #[derive(Serialize)]
            struct Whole<'a> {
                id: &'a str,
                title: &'a Text,
                as_of: Option<String>,
                sources: &'a [SourceId],
                columns: Vec<JsonColumn<'a>>,
                records: Vec<serde_json::Map<String, serde_json::Value>>,
            }
            let records = (0..len)
                .map(|i| {
                    let mut r = serde_json::Map::new();
                    r.insert("名称".into(), format!("事業所{i}, \"支店\"\n改行").into());
                    r.insert("電話番号".into(), format!("045-000-{i:04}").into());
                    r
                })
                .collect();
            let whole = Whole {
                id: &ds.id,
                title: &ds.title,
                as_of: None,
                sources: &[],
                columns: json_columns(&ds),
                records,
            };
            assert_eq!(
                String::from_utf8(encoded(Format::Json, &ds)).expect("utf-8"),
                serde_json::to_string_pretty(&whole).expect("json")
            );
        }
    }

    #[test]
    fn a_changed_row_changes_only_its_part() {
        let memos = |ds: Dataset<'static>| -> Vec<Vec<u64>> {
            text_files(std::sync::Arc::new(ds))
                .iter()
                .map(|f| f.parts.as_ref().expect("parts").memos.clone())
                .collect()
        };
        let before = memos(made(6, &[2, 4]));
        let mut changed = made(6, &[2, 4]);
        if let Rows::Made { memo, .. } = &mut changed.rows {
            let old = std::mem::replace(memo, Box::new(|_| unreachable!()));
            *memo = Box::new(move |i| RowMemo {
                hash: if i == 3 { 99 } else { old(i).hash },
                starts_part: old(i).starts_part,
            });
        }
        for (b, a) in before.iter().zip(memos(changed)) {
            let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            // parts: head, rows 0-1, rows 2-3, rows 4-5, tail
            assert_eq!(differ, [2]);
        }
    }

    #[test]
    fn utf8_csv_has_bom_crlf_and_quotes() {
        let csv = String::from_utf8(encoded(Format::Csv, &sample())).expect("utf-8");
        assert_eq!(
            csv,
            "\u{feff}名称,電話番号\r\n\"髙橋訪問看護, \"\"本店\"\"\",\r\n港北区,045-000-0000\r\n"
        );
    }

    #[test]
    fn cp932_copy_round_trips_and_marks_what_it_cannot_hold() {
        let bytes = encoded(Format::Cp932, &sample());
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
        let v: serde_json::Value =
            serde_json::from_slice(&encoded(Format::Json, &sample())).expect("json");
        assert_eq!(v["records"][0]["電話番号"], serde_json::Value::Null);
        assert_eq!(v["records"][1]["電話番号"], "045-000-0000");
    }
}
