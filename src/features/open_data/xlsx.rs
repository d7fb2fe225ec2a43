//! A dataset as an Excel workbook (`open-data/<id>.xlsx`): the records on
//! the first sheet (named after the dataset), every column explained in
//! both languages on the second (`columns`), as on the open-data page.
//!
//! Excel's habits are headed off: every cell except an integer column's is
//! a text cell in a text-formatted column (`@`), so a code `011002`, a phone
//! `045-…` or a month `2024-03` stays what it is, also when someone types a
//! new one. A value is stored as it is, never as a formula: a string cell
//! cannot run, so `=HYPERLINK(…)` is shown as those characters (the CSV
//! needs its leading `'` for that, [`super::defuse_cell`]; the xlsx does not
//! and keeps the value unchanged). The header row is bold and frozen;
//! yes/no/unknown columns and columns with a closed list of values (the
//! provider kind) get a drop-down. The document's dates are fixed, so two
//! builds write the same bytes.

use crate::lang::{Lang, Text};
use crate::model::Site;
use crate::render::dataset::{ColumnKind, DIR, Dataset};
use crate::render::{LazyFile, ui};
use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
};
use std::io::{self, Write};

/// Name of the sheet explaining the columns.
pub const COLUMNS_SHEET: &str = "columns";
/// The last row a drop-down reaches: room for rows added in Excel.
pub const LAST_ROW: u32 = 65_535;
/// Width of a column, in characters, at most.
const MAX_WIDTH: usize = 60;

/// The words of the column sheet in both languages, from the UI strings
/// the open-data page shows.
#[derive(Debug, Hash)]
pub struct Labels {
    /// Per language: column heading, type heading, meaning heading.
    headings: [[String; 3]; 2],
    /// Per language, per [`ColumnKind`]: the type's name.
    types: [Vec<(ColumnKind, String)>; 2],
}

const KINDS: [ColumnKind; 8] = [
    ColumnKind::Text,
    ColumnKind::Integer,
    ColumnKind::Date,
    ColumnKind::AreaCode,
    ColumnKind::Phone,
    ColumnKind::Url,
    ColumnKind::Email,
    ColumnKind::YesNoUnknown,
];

impl Labels {
    pub fn of(site: &Site) -> Labels {
        let per = |lang: Lang| {
            let headings = [
                "open_data_column_name",
                "open_data_column_type",
                "open_data_column_about",
            ]
            .map(|k| ui(site, lang, k));
            let types = KINDS
                .iter()
                .map(|&k| {
                    let key = serde_json::to_value(k)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    (k, ui(site, lang, &format!("type_{key}")))
                })
                .collect();
            (headings, types)
        };
        let (ja, en) = (per(Lang::Ja), per(Lang::En));
        Labels {
            headings: [ja.0, en.0],
            types: [ja.1, en.1],
        }
    }

    fn type_name(&self, lang: Lang, kind: ColumnKind) -> &str {
        self.types[lang as usize]
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("", |(_, s)| s.as_str())
    }
}

/// Document properties with fixed dates: a build writes the same bytes
/// every time.
pub fn fixed_properties() -> Result<DocProperties, XlsxError> {
    Ok(DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?))
}

/// The header format: bold.
pub fn header_format() -> Format {
    Format::new().set_bold().set_num_format("@")
}

/// The format of a text column: Excel keeps what is typed as it is.
pub fn text_format() -> Format {
    Format::new().set_num_format("@")
}

/// Width of a text in Excel's character units: wide (CJK) characters count two.
pub fn text_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}

/// Sets each column's width from its widest cell (header included), within bounds.
pub fn set_widths(sheet: &mut Worksheet, widths: &[usize]) -> Result<(), XlsxError> {
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width(col(i), (*w + 2).clamp(6, MAX_WIDTH) as f64)?;
    }
    Ok(())
}

/// A column index as rust_xlsxwriter's.
pub fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// A drop-down of `yes` / `no` (empty = unknown) on rows 1.. of column `c`.
pub fn yes_no_dropdown(sheet: &mut Worksheet, c: u16) -> Result<(), XlsxError> {
    dropdown(sheet, c, &["yes", "no"])
}

/// A drop-down of `choices` (empty allowed) on rows 1.. of column `c`.
pub fn dropdown(sheet: &mut Worksheet, c: u16, choices: &[&str]) -> Result<(), XlsxError> {
    let dv = DataValidation::new()
        .allow_list_strings(choices)?
        .ignore_blank(true);
    sheet.add_data_validation(1, c, LAST_ROW, c, &dv)?;
    Ok(())
}

/// The dataset's workbook, made whole when its rows or columns changed.
pub fn file<'a>(site: &Site, ds: std::sync::Arc<Dataset<'a>>) -> LazyFile<'a> {
    let labels = Labels::of(site);
    let about = crate::hash::of(&(&ds.id, &ds.title, &ds.columns, &labels));
    LazyFile {
        path: format!("{DIR}/{}.xlsx", ds.id),
        memo: crate::hash::of(&(about, ds.rows.hash())),
        make: Box::new(move |out: &mut (dyn Write + Send)| write(&ds, &labels, out)),
        parts: None,
    }
}

/// The whole workbook of a dataset, saved straight into `out`.
fn write(ds: &Dataset, labels: &Labels, out: &mut (dyn Write + Send)) -> io::Result<()> {
    workbook(ds, labels, out).map_err(io::Error::other)
}

fn workbook(ds: &Dataset, labels: &Labels, out: &mut (dyn Write + Send)) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    // Deflate level 3, as Excel 365 saves: rust_xlsxwriter measures ~30 %
    // less time to save than its default 6. The national providers
    // workbook, most of a one-record rebuild, saved 20 % faster and came
    // out 17 % larger (benches/README).
    wb.set_zip_compression_level(3);
    wb.set_properties(&fixed_properties()?.set_title(&ds.title.ja));
    let (bold, text) = (header_format(), text_format());
    // Rows go to a temporary file as written, not kept until the save (a
    // national sheet's cells were the largest part of a build's peak
    // memory), and the strings go in their cells (`inlineStr`), not in a
    // shared table: hashing each of a national sheet's 400,000 strings
    // into the table was a fifth of the workbook's time. The file comes
    // out larger (national providers: 4.9 → 5.7 MB); the rows lose only
    // their optional `spans` hint.
    let sheet = wb.add_worksheet_with_constant_memory()?;
    sheet.set_name(sheet_name(&ds.id))?;
    let mut widths: Vec<usize> = ds.columns.iter().map(|c| text_width(c.name)).collect();
    for (i, c) in ds.columns.iter().enumerate() {
        sheet.write_string_with_format(0, col(i), c.name, &bold)?;
        if c.kind != ColumnKind::Integer {
            sheet.set_column_format(col(i), &text)?;
        }
        if c.kind == ColumnKind::YesNoUnknown {
            yes_no_dropdown(sheet, col(i))?;
        } else if !c.choices.is_empty() {
            dropdown(sheet, col(i), &c.choices)?;
        }
    }
    let mut r = 1u32;
    ds.rows.each(0..ds.rows.len(), |row| {
        for (i, (c, v)) in ds.columns.iter().zip(row).enumerate() {
            if v.is_empty() {
                continue;
            }
            widths[i] = widths[i].max(text_width(v));
            match (c.kind, v.parse::<i64>()) {
                (ColumnKind::Integer, Ok(n)) => {
                    sheet.write_number(r, col(i), n as f64)?;
                }
                (ColumnKind::Integer, Err(_)) => {
                    sheet.write_string_with_format(r, col(i), v, &text)?;
                }
                // The column's text format, which an unformatted cell takes
                // (the same bytes): looking the format up for every cell
                // hashed it 400,000 times for a national workbook.
                _ => {
                    sheet.write_string(r, col(i), v)?;
                }
            }
        }
        r += 1;
        Ok::<(), XlsxError>(())
    })?;
    set_widths(sheet, &widths)?;
    sheet.set_freeze_panes(1, 0)?;

    let about = wb.add_worksheet();
    about.set_name(COLUMNS_SHEET)?;
    let [ja, en] = [Lang::Ja, Lang::En].map(|l| &labels.headings[l as usize]);
    let heads = [
        format!("{} / {}", ja[0], en[0]),
        ja[1].clone(),
        en[1].clone(),
        ja[2].clone(),
        en[2].clone(),
    ];
    let mut widths: Vec<usize> = heads.iter().map(|h| text_width(h)).collect();
    for (i, h) in heads.iter().enumerate() {
        about.write_string_with_format(0, col(i), h, &bold)?;
        about.set_column_format(col(i), &text)?;
    }
    for (r, c) in ds.columns.iter().enumerate() {
        let Text { ja, en, .. } = &c.about;
        let cells = [
            c.name,
            labels.type_name(Lang::Ja, c.kind),
            labels.type_name(Lang::En, c.kind),
            ja,
            en,
        ];
        for (i, v) in cells.iter().enumerate() {
            widths[i] = widths[i].max(text_width(v));
            about.write_string_with_format(r as u32 + 1, col(i), *v, &text)?;
        }
    }
    set_widths(about, &widths)?;
    about.set_freeze_panes(1, 0)?;
    wb.save_to_writer(out)
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(id: &str) -> String {
    id.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}
