//! Machine-readable tables: the checks of デジタル庁「公開するデータの作り方
//! 機械判読可能なデータの表記方法」 on every CSV row the build writes, and the
//! CSVW metadata (`<file>.csv-metadata.json`, W3C "CSV on the Web") that
//! states each file's columns, datatypes, code lists and encoding.
//!
//! The rules checked, on each cell as the CSV holds it: one record per
//! line (no line break inside a cell), as many cells as header columns,
//! header names present and distinct (the header is the first row),
//! dates in the western calendar (`YYYY-MM-DD` or `YYYY-MM`), local
//! government codes as 6 digits with their check digit, code-list cells
//! from their list, and a value in every required column. A violation
//! is a build error naming the dataset, row and column.

use super::defuse_cell;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::area_check_digit;
use crate::render::dataset::{Column, ColumnKind, DIR, Dataset};
use crate::render::json_ld::Node;
use rayon::prelude::*;
use serde_json::{Value, json};

/// Every violation of the rules in every dataset, or nothing.
pub fn check(datasets: &[std::sync::Arc<Dataset>]) -> Result<(), Diagnostics> {
    let mut all = Diagnostics::default();
    for ds in datasets {
        let path = format!("{DIR}/{}.csv", ds.id);
        let mut seen = Vec::new();
        for (i, c) in ds.columns.iter().enumerate() {
            if c.name.trim().is_empty() || seen.contains(&c.name) {
                all.push(
                    Diagnostic::file(&path, format!("dataset `{}`, header, column {}: the column name is empty or repeated", ds.id, i + 1))
                        .hint("this is a bug in tsunagu: every column needs a distinct name; please report it"),
                );
            }
            seen.push(c.name);
        }
        // One result per row, in row order (rows are checked in parallel:
        // a national registry has ~20,000).
        let rows: Vec<Vec<Diagnostic>> = (0..ds.rows.len())
            .into_par_iter()
            .map(|i| {
                let mut found = Vec::new();
                let _ = ds.rows.each(i..i + 1, |row| {
                    check_row(ds, &path, i, row, &mut found);
                    Ok::<(), ()>(())
                });
                found
            })
            .collect();
        for d in rows.into_iter().flatten() {
            all.push(d);
        }
    }
    if all.has_errors() { Err(all) } else { Ok(()) }
}

/// The violations in row `i` (0-based, after the header) of `ds`.
fn check_row(ds: &Dataset, path: &str, i: usize, row: &[String], found: &mut Vec<Diagnostic>) {
    // The CSV line of the row: the header is line 1.
    let line = i + 2;
    let id = ds
        .columns
        .iter()
        .position(|c| c.name == "ID")
        .and_then(|k| row.get(k))
        .filter(|id| !id.is_empty())
        .map(|id| format!(" (ID {id})"))
        .unwrap_or_default();
    let mut bad = |col: usize, what: String, hint: &str| {
        let name = ds.columns.get(col).map_or("?", |c| c.name);
        let mut d = Diagnostic::file(
            path,
            format!(
                "dataset `{}`, row {}{id}, column {} `{name}`: {what}",
                ds.id,
                i + 1,
                col + 1
            ),
        )
        .hint(hint.to_string());
        d.line = line;
        d.col = col + 1;
        found.push(d);
    };
    if row.len() != ds.columns.len() {
        bad(
            row.len().min(ds.columns.len()),
            format!("{} cells for {} columns", row.len(), ds.columns.len()),
            "this is a bug in tsunagu: a row must have one cell per column; please report it",
        );
        return;
    }
    for (k, (cell, c)) in row.iter().zip(&ds.columns).enumerate() {
        let cell = defuse_cell(cell);
        if cell.contains(['\n', '\r']) {
            bad(
                k,
                "a line break inside a cell (machine-readable tables keep one record per line)"
                    .into(),
                "remove the line break from this value in the data file (write it as one line; use 。 or a space between sentences)",
            );
            continue;
        }
        if let Some(problem) = cell_problem(c, &cell) {
            bad(
                k,
                problem,
                "fix this value in the data file the record comes from",
            );
        }
    }
}

/// What is wrong with a cell of column `c`, if anything.
fn cell_problem(c: &Column, cell: &str) -> Option<String> {
    if cell.is_empty() {
        return c
            .required
            .then(|| "empty, but every record must have a value here".to_string());
    }
    if !c.choices.is_empty() && !c.choices.contains(&cell) {
        return Some(format!("`{cell}` is not one of {}", c.choices.join(", ")));
    }
    let ok = match c.kind {
        ColumnKind::Date => is_western_date(cell),
        ColumnKind::AreaCode => is_area_code(cell),
        ColumnKind::YesNoUnknown => matches!(cell, "yes" | "no"),
        ColumnKind::Integer => cell.parse::<i64>().is_ok(),
        _ => true,
    };
    (!ok).then(|| match c.kind {
        ColumnKind::Date => {
            format!("`{cell}` is not a western-calendar date (YYYY-MM-DD or YYYY-MM)")
        }
        ColumnKind::AreaCode => {
            format!("`{cell}` is not a 6-digit local government code with its check digit")
        }
        ColumnKind::YesNoUnknown => format!("`{cell}` is not `yes`, `no` or empty"),
        _ => format!("`{cell}` is not a whole number"),
    })
}

fn is_western_date(s: &str) -> bool {
    crate::model::Date::parse(s).is_ok()
}

fn is_area_code(s: &str) -> bool {
    s.len() == 6
        && s.bytes().all(|b| b.is_ascii_digit())
        && area_check_digit(&s[..5]).is_some_and(|d| s.ends_with(char::from(b'0' + d as u8)))
}

/// The two CSV files of a dataset and how each is encoded: (extension,
/// CSVW encoding, what the bytes start with).
pub const CSV_FILES: [(&str, &str, &str); 2] = [
    (
        "csv",
        "utf-8",
        "UTF-8 with a byte-order mark, CRLF line ends",
    ),
    (
        "sjis.csv",
        "shift_jis",
        "Shift_JIS (cp932), no byte-order mark, CRLF line ends",
    ),
];

/// The CSVW metadata of the CSV file `file` (e.g. `providers.csv`).
pub fn metadata(ds: &Dataset, file: &str, encoding: &str, note: &str) -> Value {
    let text = |t: &crate::lang::Text| json!([{ "@value": t.ja, "@language": "ja" }, { "@value": t.en, "@language": "en" }]);
    let columns: Vec<Value> = ds
        .columns
        .iter()
        .map(|c| {
            json!({
                "name": column_var(c.name),
                "titles": { "ja": c.name },
                "dc:description": text(&c.about),
                "datatype": datatype(c),
                "required": c.required,
            })
        })
        .collect();
    let table = Node::new("Table")
        .set("url", file)
        .set("dc:title", text(&ds.title))
        .opt("dc:modified", ds.as_of.map(|d| d.to_string()))
        .set(
            "dc:source",
            ds.sources.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
        .set(
            "dialect",
            json!({
                "encoding": encoding,
                "header": true,
                "headerRowCount": 1,
                "delimiter": ",",
                "doubleQuote": true,
                "lineTerminators": ["\r\n"],
                "skipBlankRows": false,
                "trim": false,
            }),
        )
        .set("rdfs:comment", note)
        .set("tableSchema", json!({ "columns": columns }))
        .value();
    let mut doc = json!({ "@context": ["http://www.w3.org/ns/csvw", { "@language": "ja" }] });
    if let (Value::Object(d), Value::Object(t)) = (&mut doc, table) {
        d.extend(t);
    }
    doc
}

/// A column's CSVW `name`: its header as a URI-template variable (the
/// Japanese percent-encoded, as CSVW requires).
fn column_var(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A column's CSVW datatype; an empty cell is null (unknown) in every one.
fn datatype(c: &Column) -> Value {
    let pattern = |base: &str, format: &str| json!({ "base": base, "format": format });
    match c.kind {
        ColumnKind::Integer => json!("integer"),
        ColumnKind::Url => json!("anyURI"),
        ColumnKind::Date => pattern("string", r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"),
        ColumnKind::AreaCode => pattern("string", "^[0-9]{6}$"),
        ColumnKind::YesNoUnknown => pattern("string", "^(yes|no)$"),
        _ if !c.choices.is_empty() => pattern("string", &format!("^({})$", c.choices.join("|"))),
        _ => json!("string"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Text;
    use crate::render::dataset::Rows;

    fn column(name: &'static str, kind: ColumnKind, required: bool) -> Column {
        Column {
            name,
            kind,
            about: Text {
                ja: String::new(),
                en: String::new(),
                easy: None,
            },
            choices: Vec::new(),
            required,
        }
    }

    fn dataset(rows: Vec<Vec<String>>) -> Dataset<'static> {
        Dataset {
            id: "t".into(),
            title: Text {
                ja: "t".into(),
                en: "t".into(),
                easy: None,
            },
            columns: vec![
                column("ID", ColumnKind::Text, true),
                column("全国地方公共団体コード", ColumnKind::AreaCode, false),
                column("時点", ColumnKind::Date, false),
                column("備考", ColumnKind::Text, false),
            ],
            rows: Rows::Stored(rows),
            as_of: None,
            sources: Vec::new(),
        }
    }

    fn row(cells: [&str; 4]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn good_rows_pass() {
        let ds = dataset(vec![
            row(["a", "141097", "2024-03", "x"]),
            row(["b", "", "", ""]),
        ]);
        assert!(check(&[ds.into()]).is_ok());
    }

    #[test]
    fn each_violation_names_dataset_row_and_column() {
        let ds = dataset(vec![
            row(["a", "141097", "2024-03", "one\r\ntwo"]),
            row(["", "141098", "令和6年3月", ""]),
        ]);
        let found: Vec<String> = check(&[ds.into()])
            .expect_err("violations")
            .0
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].starts_with("dataset `t`, row 1 (ID a), column 4 `備考`: a line break"));
        assert!(found[1].contains("row 2, column 1 `ID`: empty"));
        assert!(found[2].contains("column 2 `全国地方公共団体コード`: `141098`"));
        assert!(found[3].contains("column 3 `時点`: `令和6年3月` is not a western-calendar date"));
    }
}
