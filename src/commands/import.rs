//! `tsunagu import providers|hubs FILE.csv`: a CSV exported from Excel
//! (Shift_JIS/cp932, or UTF-8 with or without BOM) → a TOML file in `data/`.
//!
//! Columns are the open-data column names ([`crate::features::registry::col`]), so a
//! file downloaded from the site's open-data page can be edited and imported
//! back. Every row is validated; errors name the spreadsheet row (the header
//! is row 1) and the column, and all of them are reported together. Nothing
//! is written unless the whole file is valid, and the project with the new
//! file must still validate. `--dry-run` shows what would change.

use crate::diag::Diagnostic;
use crate::features::registry::{self, DERIVED, col};
use crate::load::{InFile, Inputs, RawHubsFile, RawProvidersFile, SourceText};
use crate::model::{AgeGroup, Capability, CareNeed, Date, ProviderKind, Site};
use crate::validate::fields;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Which registry dataset a CSV holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Providers,
    Hubs,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Providers => "data/providers",
            Kind::Hubs => "data/hubs",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Kind::Providers => "provider",
            Kind::Hubs => "hub",
        }
    }

    fn columns(self) -> Vec<&'static str> {
        match self {
            Kind::Providers => registry::provider_columns(),
            Kind::Hubs => registry::hub_columns(),
        }
        .into_iter()
        .map(|c| c.name)
        .collect()
    }

    fn required(self) -> &'static [&'static str] {
        match self {
            Kind::Providers => &[
                col::ID,
                col::NAME,
                col::NAME_EN,
                col::KIND,
                col::AREAS,
                col::SOURCE,
                col::AS_OF,
                col::VERIFIED,
            ],
            Kind::Hubs => &[
                col::ID,
                col::NAME,
                col::NAME_EN,
                col::HUB_AREAS,
                col::SOURCE,
                col::AS_OF,
                col::VERIFIED,
            ],
        }
    }
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Default)]
pub struct Outcome {
    /// The encoding the CSV was read as.
    pub encoding: &'static str,
    /// The TOML file written, relative to the project root.
    pub out: PathBuf,
    pub added: Vec<String>,
    /// Record id → "column: 'old' → 'new'" lines.
    pub changed: Vec<(String, Vec<String>)>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    pub written: bool,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "read as {}; target {}",
            self.encoding,
            self.out.display()
        )?;
        for id in &self.added {
            writeln!(f, "  added    {id}")?;
        }
        for (id, cols) in &self.changed {
            writeln!(f, "  changed  {id}")?;
            for c in cols {
                writeln!(f, "             {c}")?;
            }
        }
        for id in &self.removed {
            writeln!(f, "  removed  {id}")?;
        }
        write!(
            f,
            "{} added, {} changed, {} removed, {} unchanged; {}",
            self.added.len(),
            self.changed.len(),
            self.removed.len(),
            self.unchanged,
            if self.written {
                "written"
            } else {
                "nothing written (dry run)"
            }
        )
    }
}

/// Imports `csv_path` into `out` (default `data/<kind>/imported.toml`),
/// replacing that file's records. Returns every error found otherwise.
pub fn run(
    root: &Path,
    kind: Kind,
    csv_path: &Path,
    out: Option<&Path>,
    dry_run: bool,
) -> Result<Outcome, Vec<String>> {
    let out_rel = match out {
        None => PathBuf::from(kind.dir()).join("imported.toml"),
        Some(p) => {
            let abs = if p.is_relative() {
                root.join(p)
            } else {
                p.to_path_buf()
            };
            let rel = abs
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or(abs.clone());
            let ok = rel.parent() == Some(Path::new(kind.dir()))
                && rel.extension().is_some_and(|e| e == "toml");
            if !ok {
                return Err(vec![format!(
                    "--out {}: the file must be a .toml file directly in {}/ (e.g. {}/imported.toml)",
                    p.display(),
                    kind.dir(),
                    kind.dir()
                )]);
            }
            rel
        }
    };
    let bytes = std::fs::read(csv_path)
        .map_err(|e| vec![format!("{}: cannot read: {e}", csv_path.display())])?;
    let (text, encoding) = crate::features::open_data::decode_csv(&bytes);

    let project_errors = |d: crate::diag::Diagnostics| -> Vec<String> {
        let mut v = vec!["the project has errors; fix them first (tsunagu check):".to_string()];
        v.extend(
            d.sorted()
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.to_string()),
        );
        v
    };
    let inputs = crate::load::load(root).map_err(project_errors)?;
    if let Some(msg) = holds_private(&inputs, kind, &out_rel) {
        return Err(vec![msg]);
    }
    let site = crate::pipeline::validate(inputs, None).map_err(project_errors)?;

    let (toml_text, ids) = convert(&site, kind, &text, csv_path)?;

    // The project with the new file in place must still validate.
    let mut inputs = crate::load::load(root).map_err(project_errors)?;
    let file = SourceText {
        path: out_rel.clone(),
        text: toml_text.clone(),
    };
    let mut diags = crate::diag::Diagnostics::default();
    match kind {
        Kind::Providers => {
            let value: Option<RawProvidersFile> =
                crate::load::parse_toml(&file, 0, &file.text, &mut diags);
            inputs.providers.retain(|f| f.file.path != out_rel);
            inputs.providers.extend(value.map(|value| InFile {
                file: file.clone(),
                value,
            }));
        }
        Kind::Hubs => {
            let value: Option<RawHubsFile> =
                crate::load::parse_toml(&file, 0, &file.text, &mut diags);
            inputs.hubs.retain(|f| f.file.path != out_rel);
            inputs.hubs.extend(value.map(|value| InFile {
                file: file.clone(),
                value,
            }));
        }
    }
    if diags.has_errors() {
        return Err(diags.sorted().iter().map(|d| d.to_string()).collect());
    }
    let new_site = crate::pipeline::validate(inputs, None).map_err(|d| {
        d.sorted()
            .iter()
            .filter(|d| d.is_error())
            .map(|d| row_message(d, &out_rel, &toml_text, &ids))
            .collect::<Vec<_>>()
    })?;

    let mut outcome = diff(&site, &new_site, kind, &out_rel);
    outcome.encoding = encoding;
    outcome.out = out_rel.clone();
    if !dry_run {
        let path = root.join(&out_rel);
        let tmp = path.with_extension("toml.tmp");
        let write = std::fs::create_dir_all(root.join(kind.dir()))
            .and_then(|()| std::fs::write(&tmp, toml_text.as_bytes()))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = write {
            let _ = std::fs::remove_file(&tmp);
            return Err(vec![format!("{}: cannot write: {e}", path.display())]);
        }
        outcome.written = true;
    }
    Ok(outcome)
}

/// The CSV cannot carry private records or fields: refuse to overwrite a file
/// that holds some rather than silently drop them.
fn holds_private(inputs: &Inputs, kind: Kind, out: &Path) -> Option<String> {
    let private = match kind {
        Kind::Providers => inputs
            .providers
            .iter()
            .filter(|f| f.file.path == out)
            .any(|f| {
                f.value
                    .provider
                    .iter()
                    .any(|p| p.private || !p.private_fields.is_empty())
            }),
        Kind::Hubs => inputs.hubs.iter().filter(|f| f.file.path == out).any(|f| {
            f.value
                .hub
                .iter()
                .any(|h| h.private || !h.private_fields.is_empty())
        }),
    };
    private.then(|| {
        format!(
            "{} holds private records or fields, which the published CSV does not contain; importing would drop them. Keep private records in a separate file and import into another file with --out",
            out.display()
        )
    })
}

/// Maps a validation error in the generated file back to its CSV row.
fn row_message(d: &Diagnostic, out: &Path, toml_text: &str, ids: &[(String, usize)]) -> String {
    if d.file != out {
        return d.to_string().trim_end().to_string();
    }
    // Record k starts at the k-th `[[table]]` line.
    let starts: Vec<usize> = toml_text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("[["))
        .map(|(i, _)| i + 1)
        .collect();
    let k = starts.iter().rposition(|s| *s <= d.line);
    let mut msg = match k.and_then(|k| ids.get(k)) {
        Some((id, row)) => format!("row {row} (ID {id}): {}", d.message),
        None => d.message.clone(),
    };
    if let Some(h) = &d.hint {
        let _ = write!(msg, " ({h})");
    }
    if d.message.starts_with("duplicate") {
        msg.push_str("; to update records kept in another file, import into that file with --out");
    }
    msg
}

/// Added, changed and removed records of `out`, compared column by column
/// through the open-data rows (which carry every published field).
fn diff(old: &Site, new: &Site, kind: Kind, out: &Path) -> Outcome {
    let rows = |site: &Site| -> BTreeMap<String, Vec<String>> {
        match kind {
            Kind::Providers => site
                .providers
                .iter()
                .filter(|p| p.file == out)
                .map(|p| (p.id.to_string(), registry::provider_row(site, p)))
                .collect(),
            Kind::Hubs => site
                .hubs
                .iter()
                .filter(|h| h.origin.file == out)
                .map(|h| (h.id.to_string(), registry::hub_row(site, h)))
                .collect(),
        }
    };
    let names = kind.columns();
    let (before, after) = (rows(old), rows(new));
    let mut o = Outcome::default();
    for (id, row) in &after {
        match before.get(id) {
            None => o.added.push(id.clone()),
            Some(prev) if prev == row => o.unchanged += 1,
            Some(prev) => {
                let cols = names
                    .iter()
                    .zip(prev.iter().zip(row))
                    .filter(|(_, (a, b))| a != b)
                    .map(|(n, (a, b))| format!("{n}: '{a}' → '{b}'"))
                    .collect();
                o.changed.push((id.clone(), cols));
            }
        }
    }
    o.removed = before
        .keys()
        .filter(|id| !after.contains_key(*id))
        .cloned()
        .collect();
    o
}

// ------------------------------------------------------------- conversion

struct Row<'a> {
    number: usize,
    cells: BTreeMap<&'a str, String>,
    errors: &'a mut Vec<(usize, usize, String)>,
    order: &'a [&'static str],
}

impl Row<'_> {
    fn get(&self, col: &str) -> Option<&str> {
        self.cells
            .get(col)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    fn error(&mut self, col: &str, msg: impl std::fmt::Display) {
        let idx = self
            .order
            .iter()
            .position(|c| *c == col)
            .unwrap_or(usize::MAX);
        self.errors.push((
            self.number,
            idx,
            format!("row {}, {col}: {msg}", self.number),
        ));
    }

    fn bad(&mut self, col: &str, why: &str) {
        let v = self.get(col).unwrap_or("").to_string();
        self.error(col, format!("'{v}' {why}"));
    }

    fn required(&mut self, col: &str, what: &str) -> Option<String> {
        let v = self.get(col).map(str::to_string);
        if v.is_none() {
            self.error(col, format!("required: {what}"));
        }
        v
    }
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn text_pair(
    row: &mut Row,
    ja_col: &str,
    en_col: &str,
    required: bool,
) -> Option<(String, String)> {
    match (
        row.get(ja_col).map(str::to_string),
        row.get(en_col).map(str::to_string),
    ) {
        (Some(ja), Some(en)) => Some((ja, en)),
        (None, None) => {
            if required {
                row.error(ja_col, "required: the Japanese name");
                row.error(
                    en_col,
                    "required: the English name (the site shows no text in one language only)",
                );
            }
            None
        }
        (Some(ja), None) => {
            row.error(en_col, format!("missing English translation of {ja_col} '{ja}' (the site has no silent fallback)"));
            None
        }
        (None, Some(en)) => {
            row.error(ja_col, format!("missing Japanese text for {en_col} '{en}'"));
            None
        }
    }
}

fn push_text(out: &mut String, key: &str, pair: Option<(String, String)>) {
    if let Some((ja, en)) = pair {
        let _ = writeln!(out, "{key} = {{ ja = {}, en = {} }}", q(&ja), q(&en));
    }
}

/// `2024/3/1` (Excel's way of saving dates) → `2024-03-01`; `2024/3` → `2024-03`.
fn normalize_date(s: &str) -> String {
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() >= 2
        && parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        let mut out = parts[0].to_string();
        for p in &parts[1..] {
            let _ = write!(out, "-{:0>2}", p);
        }
        return out;
    }
    s.to_string()
}

fn date(row: &mut Row, col: &str, required: bool) -> Option<String> {
    let v = if required {
        row.required(col, "a date YYYY-MM-DD (or YYYY-MM)")?
    } else {
        row.get(col)?.to_string()
    };
    let norm = normalize_date(&v);
    match Date::parse(&norm) {
        Ok(_) => Some(norm),
        Err(_) => {
            row.bad(
                col,
                "is not a date (write YYYY-MM-DD, or YYYY-MM when the source gives only a month)",
            );
            None
        }
    }
}

fn capability(v: Option<&str>) -> Result<Capability, ()> {
    let Some(v) = v else {
        return Ok(Capability::Unknown);
    };
    match v.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "○" | "◯" | "〇" | "可" | "はい" | "対応可" => {
            Ok(Capability::Yes)
        }
        "no" | "n" | "false" | "0" | "×" | "✕" | "不可" | "いいえ" | "対応不可" => {
            Ok(Capability::No)
        }
        "" | "unknown" | "不明" | "?" | "？" | "-" => Ok(Capability::Unknown),
        _ => Err(()),
    }
}

fn areas(row: &mut Row, site: &Site, col: &str) -> Vec<String> {
    let Some(v) = row.required(col, "the 6-digit codes of the areas, separated by ';'") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for code in v
        .split([';', '；', ',', '、', ' ', '　', '/'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        // Excel drops the leading zero of codes such as 011002.
        let padded = if code.len() == 5 {
            format!("0{code}")
        } else {
            code.to_string()
        };
        if site.area(&crate::model::AreaCode(padded.clone())).is_some() {
            out.push(padded);
        } else {
            row.error(col, format!("'{code}' is not an area code in data/areas (6 digits with check digit, e.g. 131016)"));
        }
    }
    out
}

fn contact(row: &mut Row, out: &mut String, table: &str) {
    let mut lines = String::new();
    for c in [col::PHONE, col::FAX] {
        if let Some(v) = row.get(c).map(str::to_string) {
            if fields::check_phone(&v).is_ok() {
                let key = if c == col::PHONE { "phone" } else { "fax" };
                let _ = writeln!(lines, "{key} = {}", q(&v));
            } else {
                row.bad(
                    c,
                    "is not a phone number (write it with its area code, e.g. 03-1234-5678)",
                );
            }
        }
    }
    if let Some(v) = row.get(col::EMAIL).map(str::to_string) {
        if fields::check_email(&v).is_ok() {
            let _ = writeln!(lines, "email = {}", q(&v));
        } else {
            row.bad(col::EMAIL, "is not an e-mail address");
        }
    }
    if let Some(v) = row.get(col::FORM).map(str::to_string) {
        if fields::check_url(&v).is_ok() {
            let _ = writeln!(lines, "form_url = {}", q(&v));
        } else {
            row.bad(col::FORM, "is not an absolute http(s) URL");
        }
    }
    let hours = text_pair(row, col::HOURS, col::HOURS_EN, false);
    push_text(&mut lines, "hours", hours);
    if !lines.is_empty() {
        let _ = write!(out, "\n[{table}.contact]\n{lines}");
    }
}

fn provenance(row: &mut Row, site: &Site, out: &mut String) {
    if let Some(s) = row.required(
        col::SOURCE,
        "the id of the source document (see data/sources.toml)",
    ) {
        if site
            .sources
            .contains_key(&crate::model::SourceId(s.clone()))
        {
            let _ = writeln!(out, "source = {}", q(&s));
        } else {
            row.bad(col::SOURCE, "is not a source id in data/sources.toml");
        }
    }
    if let Some(d) = date(row, col::AS_OF, true) {
        let _ = writeln!(out, "as_of = {}", q(&d));
    }
    if let Some(d) = date(row, col::VERIFIED, true) {
        let _ = writeln!(out, "last_verified = {}", q(&d));
    }
}

fn record(kind: Kind, site: &Site, row: &mut Row, seen: &mut BTreeSet<String>) -> (String, String) {
    let mut out = String::new();
    let mut tail = String::new();
    let id = row
        .required(
            col::ID,
            "an id of lowercase letters, digits and hyphens (it becomes the page URL)",
        )
        .unwrap_or_default();
    if !id.is_empty() {
        if !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            row.bad(col::ID, "must be lowercase letters, digits and hyphens");
        } else if kind == Kind::Providers && fields::RESERVED_PROVIDER_IDS.contains(&id.as_str()) {
            row.bad(col::ID, "is reserved for the registry's own pages");
        } else if !seen.insert(id.clone()) {
            row.bad(col::ID, "appears twice in the file");
        }
    }
    let _ = writeln!(out, "id = {}", q(&id));
    let name = text_pair(row, col::NAME, col::NAME_EN, true);
    push_text(&mut out, "name", name);
    match kind {
        Kind::Providers => {
            if let Some(k) = row.get(col::KANA).map(str::to_string) {
                if fields::check_katakana(&k).is_ok() {
                    let _ = writeln!(out, "kana = {}", q(&k));
                } else {
                    row.bad(col::KANA, "is not full-width katakana");
                }
            }
            if let Some(k) = row.required(col::KIND, "the kind code, e.g. visiting_nursing") {
                let ja_label = |key: &str| {
                    site.strings
                        .get(&crate::lang::Lang::Ja)
                        .and_then(|m| m.get(&format!("provider_kind_{key}")))
                        .cloned()
                };
                let found = ProviderKind::ALL
                    .iter()
                    .map(|k| k.key())
                    .find(|key| *key == k || ja_label(key).as_deref() == Some(k.as_str()));
                match found {
                    Some(key) => {
                        let _ = writeln!(out, "kind = {}", q(key));
                    }
                    None => {
                        let known: Vec<&str> = ProviderKind::ALL.iter().map(|k| k.key()).collect();
                        row.bad(
                            col::KIND,
                            &format!("is not a provider kind (use one of: {})", known.join(", ")),
                        );
                    }
                }
            }
            let codes = areas(row, site, col::AREAS);
            let _ = writeln!(
                out,
                "areas = [{}]",
                codes.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
            );
            let op = text_pair(row, col::OPERATOR, col::OPERATOR_EN, false);
            push_text(&mut out, "operator", op);
            let role = text_pair(row, col::ROLE, col::ROLE_EN, false);
            push_text(&mut out, "role", role);
            let addr = text_pair(row, col::ADDRESS, col::ADDRESS_EN, false);
            push_text(&mut out, "address", addr);
            if let Some(p) = row.get(col::POSTCODE).map(str::to_string) {
                if fields::check_postcode(&p).is_ok() {
                    let _ = writeln!(out, "postcode = {}", q(&p));
                } else {
                    row.bad(col::POSTCODE, "is not a postcode (write 123-4567)");
                }
            }
            match (
                row.get(col::LAT).map(str::to_string),
                row.get(col::LON).map(str::to_string),
            ) {
                (None, None) => {}
                (Some(la), Some(lo)) => match (la.parse::<f64>(), lo.parse::<f64>()) {
                    (Ok(a), Ok(b)) if fields::check_location(a, b).is_ok() => {
                        let _ = writeln!(out, "latitude = {a:?}\nlongitude = {b:?}");
                    }
                    _ => row.error(
                        col::LAT,
                        format!(
                            "'{la}', {}: '{lo}' is not a position in Japan (decimal degrees)",
                            col::LON
                        ),
                    ),
                },
                (Some(_), None) => row.error(col::LON, "required when 緯度 is given"),
                (None, Some(_)) => row.error(col::LAT, "required when 経度 is given"),
            }
            if let Some(u) = row.get(col::URL).map(str::to_string) {
                if fields::check_url(&u).is_ok() {
                    let _ = writeln!(out, "url = {}", q(&u));
                } else {
                    row.bad(col::URL, "is not an absolute http(s) URL");
                }
            }
            let note = text_pair(row, col::NOTE, col::NOTE_EN, false);
            push_text(&mut out, "note", note);
            for (table, specs) in [
                (
                    "ages",
                    AgeGroup::ALL
                        .iter()
                        .map(|&g| (g.key(), col::age(g)))
                        .collect::<Vec<_>>(),
                ),
                (
                    "care",
                    CareNeed::ALL
                        .iter()
                        .map(|&n| (n.key(), col::care(n)))
                        .collect::<Vec<_>>(),
                ),
            ] {
                let mut items = Vec::new();
                for (key, column) in specs {
                    match capability(row.get(column)) {
                        Ok(Capability::Unknown) => {}
                        Ok(c) => items.push(format!("{key} = {}", q(c.key()))),
                        Err(()) => row.bad(column, "is not yes, no or empty (empty = unknown)"),
                    }
                }
                if !items.is_empty() {
                    let _ = writeln!(out, "{table} = {{ {} }}", items.join(", "));
                }
            }
        }
        Kind::Hubs => {
            let codes = areas(row, site, col::HUB_AREAS);
            let _ = writeln!(
                out,
                "areas = [{}]",
                codes.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
            );
            if let Some(d) = date(row, col::STARTED, false) {
                let _ = writeln!(out, "started = {}", q(&d));
            }
            for (key, ja, en) in [
                ("setting", col::SETTING, col::SETTING_EN),
                ("staff", col::STAFF, col::STAFF_EN),
                ("operator", col::OPERATOR, col::OPERATOR_EN),
                ("address", col::ADDRESS, col::ADDRESS_EN),
                ("ask_instead", col::ASK, col::ASK_EN),
            ] {
                let pair = text_pair(row, ja, en, false);
                push_text(&mut out, key, pair);
            }
        }
    }
    provenance(row, site, &mut out);
    contact(row, &mut tail, kind.table());
    (id, format!("{out}{tail}"))
}

/// Each imported record's id and the spreadsheet row it came from.
type RecordRows = Vec<(String, usize)>;

/// CSV text → TOML text and, per record, its id and spreadsheet row.
fn convert(
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
    let mut errors = Vec::new();
    let mut seen_headers = BTreeSet::new();
    for h in &headers {
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
            .map(|(h, v)| (h.as_str(), v.trim().to_string()))
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
