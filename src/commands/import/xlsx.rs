//! An Excel workbook → the [`Table`] the CSV import reads too, so both go
//! through the same record conversion and checks.
//!
//! The sheet read is the one named after the registry (`providers`,
//! `hubs`, as the open-data workbook names it), else the first. Each cell
//! is taken as the user means it, or refused with a hint; never silently
//! changed:
//! - text is taken as it is (the open-data workbook stores every value as
//!   text, so no `'` is removed, unlike the CSV import);
//! - a formula is an error: its result is not a fact from a source;
//! - a number in a code column is the code when it has its 6 digits, and
//!   an error when it has 5 (Excel dropped the leading zero); a phone,
//!   fax or postcode stored as a number is an error (its leading 0 is
//!   gone); a date column's date becomes `YYYY-MM-DD`, a plain number there
//!   is an error; elsewhere a number is written as Excel shows it
//!   (`35.4437`, `1` in a yes/no cell);
//! - TRUE/FALSE is yes/no in a yes/no column, an error elsewhere, as are
//!   error values such as `#N/A`.

use super::Kind;
use super::convert::{Place, Table, TableRow};
use crate::features::registry::{self, col};
use crate::render::dataset::ColumnKind;
use calamine::{Data, Reader, Xlsx};
use std::path::Path;

/// One cell's text as [`value`] takes it in column `header` (the gap
/// workbook's columns are open-data columns too).
pub fn cell(header: &str, d: &Data) -> Result<String, String> {
    value(header, None, d)
}

/// Whether the file is a workbook: named `.xlsx`, or a zip archive.
pub(super) fn is_workbook(path: &Path, bytes: &[u8]) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
        || bytes.starts_with(b"PK\x03\x04")
}

/// The registry's sheet of the workbook as a table.
pub(super) fn table(kind: Kind, bytes: Vec<u8>, path: &Path) -> Result<Table, Vec<String>> {
    let cannot = |e: &dyn std::fmt::Display| {
        vec![format!(
            "{}: not a readable .xlsx workbook: {e}",
            path.display()
        )]
    };
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| cannot(&e))?;
    let wanted = match kind {
        Kind::Providers => "providers",
        Kind::Hubs => "hubs",
    };
    let names = wb.sheet_names();
    let Some(sheet) = names
        .iter()
        .find(|n| n.as_str() == wanted)
        .or_else(|| names.first())
        .cloned()
    else {
        return Err(vec![format!(
            "{}: the workbook has no sheet",
            path.display()
        )]);
    };
    let values = wb.worksheet_range(&sheet).map_err(|e| cannot(&e))?;
    let formulas = wb.worksheet_formula(&sheet).map_err(|e| cannot(&e))?;
    let place = Place::Sheet(sheet.clone());
    let Some((last_row, last_col)) = values.end().or(formulas.end()) else {
        return Err(vec![format!("{}: sheet {sheet} is empty", path.display())]);
    };
    let last_col = last_col.max(formulas.end().map_or(0, |e| e.1));
    let last_row = last_row.max(formulas.end().map_or(0, |e| e.0));
    let cell = |r: u32, c: u32| values.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let formula = |r: u32, c: u32| {
        formulas
            .get_value((r, c))
            .filter(|f| !f.is_empty())
            .cloned()
    };
    let headers: Vec<String> = (0..=last_col)
        .map(|c| plain(&cell(0, c)).trim().to_string())
        .collect();
    let kinds = column_kinds(kind);
    let mut rows = Vec::new();
    for r in 1..=last_row {
        let mut row = TableRow {
            number: r as usize + 1,
            cells: Vec::new(),
            bad: Vec::new(),
        };
        for (c, header) in headers.iter().enumerate() {
            let c32 = u32::try_from(c).unwrap_or(u32::MAX);
            if let Some(f) = formula(r, c32) {
                row.bad.push((
                    c,
                    format!("'={f}' is a formula; type the value itself (a formula's result is not imported)"),
                ));
                row.cells.push(String::new());
                continue;
            }
            let kind = kinds.iter().find(|(n, _)| n == header).map(|(_, k)| *k);
            match value(header, kind, &cell(r, c32)) {
                Ok(v) => row.cells.push(v),
                Err(msg) => {
                    row.bad.push((c, msg));
                    row.cells.push(String::new());
                }
            }
        }
        rows.push(row);
    }
    Ok(Table {
        place,
        headers,
        rows,
        unreadable: Vec::new(),
    })
}

fn column_kinds(kind: Kind) -> Vec<(&'static str, ColumnKind)> {
    match kind {
        Kind::Providers => registry::provider_columns(),
        Kind::Hubs => registry::hub_columns(),
    }
    .into_iter()
    .map(|c| (c.name, c.kind))
    .collect()
}

/// A number as Excel shows it in a general cell: `11100`, `35.4437`.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A cell as text, without regard to its column (the header row).
fn plain(d: &Data) -> String {
    match d {
        Data::Int(n) => n.to_string(),
        Data::Float(f) => number(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => b.to_string().to_uppercase(),
        Data::DateTime(d) => number(d.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
        Data::Empty => String::new(),
    }
}

/// One cell's value as the user means it in column `header`, or why it
/// cannot be taken (the message after the cell's name).
fn value(header: &str, kind: Option<ColumnKind>, d: &Data) -> Result<String, String> {
    let is_code =
        kind == Some(ColumnKind::AreaCode) || [col::AREAS, col::HUB_AREAS].contains(&header);
    let is_date = kind == Some(ColumnKind::Date)
        || [col::AS_OF, col::VERIFIED, col::STARTED].contains(&header);
    let yes_no = kind == Some(ColumnKind::YesNoUnknown);
    let as_text =
        "format the cell as text (Home → Number → Text, or type a leading ') and type it again";
    match d {
        Data::Empty => Ok(String::new()),
        Data::String(s) => Ok(s.clone()),
        Data::Int(_) | Data::Float(_) => {
            let n = match d {
                Data::Int(i) => *i as f64,
                Data::Float(f) => *f,
                _ => unreachable!("matched a number"),
            };
            let shown = number(n);
            if is_code {
                match shown.len() {
                    6 if n.fract() == 0.0 && n > 0.0 => Ok(shown),
                    5 if n.fract() == 0.0 && n > 0.0 => Err(format!(
                        "{shown} is stored as a number and has lost the leading zero of its code; {as_text} as 0{shown}"
                    )),
                    _ => Err(format!(
                        "{shown} is stored as a number and is not a 6-digit area code; {as_text}"
                    )),
                }
            } else if [col::PHONE, col::FAX].contains(&header) {
                Err(format!(
                    "{shown} is stored as a number, so its leading 0 is lost; {as_text} with its area code, e.g. 045-123-4567"
                ))
            } else if header == col::POSTCODE {
                Err(format!(
                    "{shown} is stored as a number; {as_text} as 123-4567"
                ))
            } else if is_date {
                Err(format!(
                    "{shown} is a number, not a date; type the date as text YYYY-MM-DD (or YYYY-MM)"
                ))
            } else {
                Ok(shown)
            }
        }
        Data::Bool(b) if yes_no => Ok(if *b { "yes" } else { "no" }.to_string()),
        Data::Bool(b) => Err(format!(
            "{} is a TRUE/FALSE value; type the text itself",
            b.to_string().to_uppercase()
        )),
        Data::DateTime(dt) if is_date && dt.is_datetime() => {
            let serial = dt.as_f64();
            if serial.fract() != 0.0 {
                return Err(format!(
                    "Excel stored a date and time ({serial}); type the date as text YYYY-MM-DD"
                ));
            }
            date_from_serial(serial as i64).ok_or_else(|| {
                format!("Excel's date {serial} is out of range; type the date as text YYYY-MM-DD")
            })
        }
        Data::DateTimeIso(s) if is_date && s.len() >= 10 => Ok(s[..10].to_string()),
        Data::DateTime(dt) => Err(format!(
            "Excel turned this cell into a date or time ({}); {as_text}",
            number(dt.as_f64())
        )),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Err(format!(
            "Excel turned this cell into a date or time ({s}); {as_text}"
        )),
        Data::Error(e) => Err(format!("is an error value ({e}); type the value itself")),
    }
}

/// Excel's day number (1900 date system: day 1 is 1900-01-01, and Excel
/// counts a 29 February 1900 that did not exist) → `YYYY-MM-DD`.
fn date_from_serial(serial: i64) -> Option<String> {
    if !(61..=2_958_465).contains(&serial) {
        return None;
    }
    // Serial 25569 is 1970-01-01.
    Some(crate::model::Date::from_unix_days(serial - 25_569).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_day_numbers_are_dates() {
        assert_eq!(date_from_serial(45_383).as_deref(), Some("2024-04-01"));
        assert_eq!(date_from_serial(61).as_deref(), Some("1900-03-01"));
        assert_eq!(date_from_serial(25_569).as_deref(), Some("1970-01-01"));
        assert_eq!(date_from_serial(60), None);
    }

    #[test]
    fn column_letters_go_past_z() {
        use super::super::convert::column_letters;
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27 * 26), "AAA");
    }
}
