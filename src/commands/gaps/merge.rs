//! `tsunagu import gaps FILE.xlsx`: the filled-in cells of a gap workbook
//! merged into the records in `data/`.
//!
//! Only cells that were empty (unknown) are taken; a known value that was
//! changed or cleared is an error. Each filled value is checked as
//! validate checks it, each row with a filled value needs 出典 (a source
//! id) and 時点 (a date), and the project with the edited files must still
//! validate. Nothing is written on any error. The data files are edited in
//! place (`toml_edit`), so their comments and layout stay as they were:
//! - a council's status becomes a new `[[status]]` entry with the row's
//!   source and as-of (or fills the unknown entry of that same date), so
//!   the site shows the status with its own source and date;
//! - a hub's contact route (phone, fax, e-mail, form, hours) is set in
//!   `[hub.contact]`, with the row's source and as-of as the contact's own
//!   `source` and `as_of` when they are not the record's; pages and flyers
//!   cite both. A contact that already holds values from another source
//!   cannot take values from a new one (edit the file by hand);
//! - any other value (a hub's operator or address, every provider value)
//!   is covered by the record's one source and as-of, so the row must give
//!   exactly those; a value from another document goes in by hand, with
//!   the record's provenance reviewed.

use super::fields::{AS_OF, Check, Field, GapRow, SOURCE, STATUSES, Sheet, all_rows};
use crate::commands::import::{project_errors, xlsx_cell};
use crate::diag::Diagnostics;
use crate::load::{InFile, Inputs, SourceText, parse_toml};
use crate::model::{Date, Site, SourceId};
use crate::validate::fields;
use calamine::{Data, Reader, Xlsx};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, InlineTable, Item, Table, value};

/// What `import gaps` filled in: one line per value.
#[derive(Debug, Default)]
pub struct Filled {
    pub values: Vec<String>,
    pub files: Vec<PathBuf>,
}

impl std::fmt::Display for Filled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for v in &self.values {
            writeln!(f, "  filled {v}")?;
        }
        write!(
            f,
            "{} value{} filled in {} file{}",
            self.values.len(),
            if self.values.len() == 1 { "" } else { "s" },
            self.files.len(),
            if self.files.len() == 1 { "" } else { "s" }
        )
    }
}

/// One record's filled-in values, with the row's source and as-of.
struct Fill {
    sheet: Sheet,
    key: String,
    file: PathBuf,
    values: Vec<(Field, String)>,
    source: String,
    as_of: String,
}

/// Reads the workbook, checks every filled cell and merges them into
/// `data/`. Returns every error found otherwise; nothing is written then.
pub fn import(root: &Path, path: &Path) -> Result<Filled, Vec<String>> {
    let site = crate::pipeline::load_site(root, None).map_err(project_errors)?;
    let bytes =
        std::fs::read(path).map_err(|e| vec![format!("{}: cannot read: {e}", path.display())])?;
    let cannot = |e: &dyn std::fmt::Display| {
        vec![format!(
            "{}: not a readable .xlsx workbook: {e}",
            path.display()
        )]
    };
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| cannot(&e))?;
    let mut errors = Vec::new();
    let mut fills = Vec::new();
    let names = wb.sheet_names();
    for sheet in Sheet::ALL {
        if !names.iter().any(|n| n == sheet.name()) {
            continue;
        }
        let values = wb.worksheet_range(sheet.name()).map_err(|e| cannot(&e))?;
        let formulas = wb.worksheet_formula(sheet.name()).map_err(|e| cannot(&e))?;
        read_sheet(&site, sheet, &values, &formulas, &mut fills, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut texts: BTreeMap<PathBuf, DocumentMut> = BTreeMap::new();
    let mut filled = Filled::default();
    for fill in &fills {
        let doc = match texts.get_mut(&fill.file) {
            Some(d) => d,
            None => {
                let text = std::fs::read_to_string(root.join(&fill.file))
                    .map_err(|e| vec![format!("{}: cannot read: {e}", fill.file.display())])?;
                let doc = text
                    .parse::<DocumentMut>()
                    .map_err(|e| vec![format!("{}: cannot edit: {e}", fill.file.display())])?;
                texts.entry(fill.file.clone()).or_insert(doc)
            }
        };
        apply(doc, fill).map_err(|e| vec![format!("{}: {e}", fill.file.display())])?;
        for (f, v) in &fill.values {
            filled.values.push(format!(
                "{} {}: {} = {v} (source {}, as of {}) in {}",
                fill.sheet.name(),
                fill.key,
                f.column,
                fill.source,
                fill.as_of,
                fill.file.display()
            ));
        }
    }
    let texts: Vec<(PathBuf, String)> =
        texts.into_iter().map(|(p, d)| (p, d.to_string())).collect();
    // The project with the edited files must still validate.
    let inputs = with_files(root, &texts)?;
    crate::pipeline::validate(inputs, None).map_err(|d| {
        d.sorted()
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string().trim_end().to_string())
            .collect::<Vec<_>>()
    })?;
    write_all(root, &texts)?;
    filled.files = texts.into_iter().map(|(p, _)| p).collect();
    Ok(filled)
}

/// Reads one sheet: its filled cells into `fills`, its problems into `errors`.
fn read_sheet(
    site: &Site,
    sheet: Sheet,
    values: &calamine::Range<Data>,
    formulas: &calamine::Range<String>,
    fills: &mut Vec<Fill>,
    errors: &mut Vec<String>,
) {
    let Some((last_row, last_col)) = values.end() else {
        return;
    };
    let name = sheet.name();
    let cell = |r: u32, c: usize| {
        let c = u32::try_from(c).unwrap_or(u32::MAX);
        values.get_value((r, c)).cloned().unwrap_or(Data::Empty)
    };
    let headers: Vec<String> = (0..=last_col as usize)
        .map(|c| match cell(0, c) {
            Data::String(s) => s.trim().to_string(),
            _ => String::new(),
        })
        .collect();
    let at = |r: u32, c: usize| {
        format!(
            "{name}!{}{} ({})",
            crate::commands::import::column_letters(c),
            r + 1,
            headers.get(c).map_or("", String::as_str)
        )
    };
    let find = |h: &str| headers.iter().position(|x| x == h);
    let key_col = sheet.context()[0];
    let (Some(key_at), Some(source_at), Some(as_of_at)) =
        (find(key_col), find(SOURCE), find(AS_OF))
    else {
        errors.push(format!(
            "{name}: the header row needs the columns {key_col}, {SOURCE} and {AS_OF} (write the workbook with tsunagu check --gaps)"
        ));
        return;
    };
    let fields = sheet.fields();
    let records: BTreeMap<String, GapRow> = all_rows(site, sheet)
        .into_iter()
        .map(|r| (r.key().to_string(), r))
        .collect();
    for r in 1..=last_row {
        // A cell's text, or its problem.
        let text = |c: usize, errors: &mut Vec<String>| -> Option<String> {
            let c32 = u32::try_from(c).unwrap_or(u32::MAX);
            if let Some(f) = formulas.get_value((r, c32)).filter(|f| !f.is_empty()) {
                errors.push(format!(
                    "{}: '={f}' is a formula; type the value itself",
                    at(r, c)
                ));
                return None;
            }
            match xlsx_cell(&headers[c], &cell(r, c)) {
                Ok(v) => Some(v.trim().to_string()),
                Err(msg) => {
                    errors.push(format!("{}: {msg}", at(r, c)));
                    None
                }
            }
        };
        let Some(key) = text(key_at, errors).filter(|k| !k.is_empty()) else {
            continue;
        };
        let Some(record) = records.get(&key) else {
            errors.push(format!(
                "{}: '{key}' is not a record in data/ (rows come from tsunagu check --gaps; do not add rows)",
                at(r, key_at)
            ));
            continue;
        };
        let mut new = Vec::new();
        let mut pair: BTreeMap<Vec<&str>, Vec<(usize, &Field, String)>> = BTreeMap::new();
        for (i, f) in fields.iter().enumerate() {
            let Some(c) = find(f.column) else { continue };
            let Some(v) = text(c, errors) else { continue };
            match (&record.values[i], v.is_empty()) {
                (Some(known), _) if *known != v => errors.push(format!(
                    "{}: the known value '{known}' was changed to '{v}'; the workbook fills in only empty cells (edit {} to change a known value)",
                    at(r, c),
                    record.file.display()
                )),
                (Some(_), _) | (None, true) => {}
                (None, false) => match check(f.check, &v) {
                    Ok(v) => {
                        if matches!(f.path.last(), Some(&"ja") | Some(&"en")) {
                            pair.entry(f.path[..f.path.len() - 1].to_vec())
                                .or_default()
                                .push((c, f, v.clone()));
                        }
                        new.push((f.clone(), v));
                    }
                    Err(why) => errors.push(format!("{}: '{v}' {why}", at(r, c))),
                },
            }
        }
        for (path, halves) in &pair {
            if halves.len() == 1 {
                let (c, f, _) = &halves[0];
                let other = if f.path.last() == Some(&"ja") {
                    "English"
                } else {
                    "Japanese"
                };
                errors.push(format!(
                    "{}: {} needs its {other} text too (the site shows no text in one language only)",
                    at(r, *c),
                    path.join(".")
                ));
            }
        }
        let source = text(source_at, errors).unwrap_or_default();
        let as_of = text(as_of_at, errors).unwrap_or_default();
        if new.is_empty() {
            continue;
        }
        if source.is_empty() {
            errors.push(format!(
                "{}: required: the id of the source of the filled-in values (data/sources.toml)",
                at(r, source_at)
            ));
        } else if !site.sources.contains_key(&SourceId(source.clone())) {
            errors.push(format!("{}: '{source}' is not a source id in data/sources.toml (add the document there first)", at(r, source_at)));
        }
        let as_of = as_of.replace('/', "-");
        if as_of.is_empty() {
            errors.push(format!(
                "{}: required: the date the filled-in values hold (YYYY-MM-DD or YYYY-MM)",
                at(r, as_of_at)
            ));
        } else if Date::parse(&as_of).is_err() {
            errors.push(format!(
                "{}: '{as_of}' is not a date (write YYYY-MM-DD, or YYYY-MM)",
                at(r, as_of_at)
            ));
        }
        let row_prov = (source.clone(), as_of.clone());
        for (f, _) in &new {
            let c = find(f.column).unwrap_or(0);
            let is_contact = sheet == Sheet::Hubs && f.path.first() == Some(&"contact");
            // A council status is a dated entry of its own; a hub contact
            // may name its own source; anything else is the record's.
            let (p, what) = match (sheet, is_contact, &record.contact) {
                (Sheet::Councils, ..) => continue,
                (_, true, (Some(p), _)) => (p, "the contact's values come"),
                (_, true, (None, false)) => continue,
                (_, true, (None, true)) => (&record.provenance, "the contact already holds values"),
                (_, false, _) => (&record.provenance, "the record's values come"),
            };
            let why = (*p != row_prov).then(|| format!(
                "{what} from {} as of {}; fill this in from that source and date, or edit {} by hand",
                p.0, p.1, record.file.display()
            ));
            if let Some(why) = why {
                errors.push(format!("{}: {why}", at(r, c)));
            }
        }
        fills.push(Fill {
            sheet,
            key,
            file: record.file.clone(),
            values: new,
            source,
            as_of,
        });
    }
}

/// A filled-in value checked, as the data file will hold it.
fn check(check: Check, v: &str) -> Result<String, String> {
    let ok =
        |r: Result<(), String>, why: &str| r.map(|()| v.to_string()).map_err(|_| why.to_string());
    match check {
        Check::Phone => ok(
            fields::check_phone(v),
            "is not a phone number (write it with its area code, e.g. 045-123-4567)",
        ),
        Check::Email => ok(fields::check_email(v), "is not an e-mail address"),
        Check::Url => ok(fields::check_url(v), "is not an absolute http(s) URL"),
        Check::Katakana => ok(fields::check_katakana(v), "is not full-width katakana"),
        Check::Text => Ok(v.to_string()),
        Check::YesNo => match v.to_lowercase().as_str() {
            "yes" | "no" => Ok(v.to_lowercase()),
            _ => Err("is not yes or no (leave the cell empty when it is not known)".into()),
        },
        Check::Status => STATUSES
            .iter()
            .find(|s| s.key() == v)
            .map(|s| s.key().to_string())
            .ok_or_else(|| {
                format!(
                    "is not a council status (use one of: {})",
                    STATUSES.map(|s| s.key()).join(", ")
                )
            }),
    }
}

/// Edits the record of `fill` in its data file.
fn apply(doc: &mut DocumentMut, fill: &Fill) -> Result<(), String> {
    if fill.sheet == Sheet::Councils {
        return apply_status(doc, fill);
    }
    let table = if fill.sheet == Sheet::Hubs {
        "hub"
    } else {
        "provider"
    };
    let records = doc
        .get_mut(table)
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| format!("no [[{table}]] records"))?;
    let record = records
        .iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(fill.key.as_str()))
        .ok_or_else(|| format!("no [[{table}]] with id {}", fill.key))?;
    for (f, v) in &fill.values {
        // Unknown on the site but present in the file: a private field.
        if get(record, &f.path).is_some() {
            return Err(format!(
                "{} {}: {} has a value in the file that the site does not show (a private field); edit the file by hand",
                fill.sheet.name(),
                fill.key,
                f.path.join(".")
            ));
        }
        set(record, &f.path, v);
    }
    // A contact filled from another document than the record names it.
    let own = record.get("source").and_then(Item::as_str) == Some(fill.source.as_str())
        && record.get("as_of").and_then(Item::as_str) == Some(fill.as_of.as_str());
    let contact_filled = fill
        .values
        .iter()
        .any(|(f, _)| f.path.first() == Some(&"contact"));
    if contact_filled && !own {
        set(record, &["contact", "source"], &fill.source);
        set(record, &["contact", "as_of"], &fill.as_of);
    }
    Ok(())
}

/// The item at `path` in a record, if the file has one.
fn get<'t>(record: &'t Table, path: &[&str]) -> Option<&'t Item> {
    let (first, rest) = path.split_first()?;
    let item = record.get(first)?;
    rest.iter()
        .try_fold(item, |item, key| item.as_table_like()?.get(key))
}

/// Sets `path` (e.g. `contact.phone`, `operator.ja`, `care.ventilator`) in
/// a record: a sub-table as `[x.contact]`, a bilingual text or a yes/no
/// set as an inline table, as hand-written files have them.
fn set(record: &mut Table, path: &[&str], v: &str) {
    match path {
        [key] => {
            record.insert(key, value(v));
        }
        ["contact", rest @ ..] => {
            let contact = record
                .entry("contact")
                .or_insert_with(|| Item::Table(Table::new()));
            if let Some(t) = contact.as_table_mut() {
                set(t, rest, v);
            }
        }
        [outer, key] => {
            let item = record
                .entry(outer)
                .or_insert_with(|| value(InlineTable::new()));
            if let Some(t) = item.as_table_like_mut() {
                t.insert(key, value(v));
            }
        }
        _ => {}
    }
}

/// A council status: the unknown entry of the same date filled in, else a
/// new `[[status]]` with the row's source and date.
fn apply_status(doc: &mut DocumentMut, fill: &Fill) -> Result<(), String> {
    let Some((_, status)) = fill.values.first() else {
        return Ok(());
    };
    let statuses = doc
        .get_mut("status")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or("no [[status]] entries")?;
    let same = statuses.iter_mut().find(|t| {
        t.get("area").and_then(Item::as_str) == Some(fill.key.as_str())
            && t.get("as_of").and_then(Item::as_str) == Some(fill.as_of.as_str())
    });
    match same {
        Some(t) => {
            t.insert("status", value(status.as_str()));
            t.insert("source", value(fill.source.as_str()));
        }
        None => {
            let mut t = Table::new();
            t.insert("area", value(fill.key.as_str()));
            t.insert("as_of", value(fill.as_of.as_str()));
            t.insert("status", value(status.as_str()));
            t.insert("source", value(fill.source.as_str()));
            t.decor_mut()
                .set_prefix("\n# Filled in with tsunagu import gaps.\n");
            statuses.push(t);
        }
    }
    Ok(())
}

/// The project's inputs with the edited files in place of their old text.
fn with_files(root: &Path, texts: &[(PathBuf, String)]) -> Result<Inputs, Vec<String>> {
    let mut inputs = crate::load::load(root).map_err(project_errors)?;
    let mut diags = Diagnostics::default();
    for (path, text) in texts {
        let file = SourceText {
            path: path.clone(),
            text: text.clone(),
        };
        if let Some(f) = inputs.hubs.iter_mut().find(|f| &f.file.path == path) {
            if let Some(v) = parse_toml(&file, 0, &file.text, &mut diags) {
                *f = InFile { file, value: v };
            }
        } else if let Some(f) = inputs.providers.iter_mut().find(|f| &f.file.path == path) {
            if let Some(v) = parse_toml(&file, 0, &file.text, &mut diags) {
                *f = InFile { file, value: v };
            }
        } else if let Some(f) = inputs.councils.iter_mut().find(|f| &f.file.path == path)
            && let Some(v) = parse_toml(&file, 0, &file.text, &mut diags)
        {
            *f = InFile { file, value: v };
        }
    }
    if diags.has_errors() {
        return Err(diags.sorted().iter().map(|d| d.to_string()).collect());
    }
    Ok(inputs)
}

/// Writes every edited file through a temporary one, then puts them all in
/// place; a failure before the renames leaves every file as it was.
fn write_all(root: &Path, texts: &[(PathBuf, String)]) -> Result<(), Vec<String>> {
    let tmp = |p: &Path| root.join(p).with_extension("toml.tmp");
    for (p, text) in texts {
        if let Err(e) = std::fs::write(tmp(p), text) {
            for (q, _) in texts {
                let _ = std::fs::remove_file(tmp(q));
            }
            return Err(vec![format!("{}: cannot write: {e}", p.display())]);
        }
    }
    for (p, _) in texts {
        std::fs::rename(tmp(p), root.join(p))
            .map_err(|e| vec![format!("{}: cannot write: {e}", p.display())])?;
    }
    Ok(())
}
