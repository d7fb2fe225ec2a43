//! One spreadsheet row → one TOML record, each cell checked with the same
//! field checks as validate ([`crate::validate::fields`]); problems name
//! the row and the column.

use super::Kind;
use super::convert::Place;
use crate::features::registry::col;
use crate::model::{AgeGroup, Capability, CareNeed, Date, ProviderKind, Site};
use crate::validate::fields;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A spreadsheet row being read: its cells by column, and where its
/// problems go as (row, column index, message), to be sorted.
pub(super) struct Row<'a> {
    pub number: usize,
    pub cells: BTreeMap<&'a str, String>,
    pub errors: &'a mut Vec<(usize, usize, String)>,
    /// The columns in dataset order, to sort a row's problems by.
    pub order: &'a [&'static str],
    /// Where the row is, for messages, and the header row (for cell names).
    pub place: &'a Place,
    pub headers: &'a [String],
    /// Columns whose cell was found wrong as it was read (a formula, a
    /// number that lost its zero): no further check reports them again.
    pub wrong: BTreeSet<String>,
}

impl Row<'_> {
    fn get(&self, col: &str) -> Option<&str> {
        self.cells
            .get(col)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    pub(super) fn error(&mut self, col: &str, msg: impl std::fmt::Display) {
        if self.wrong.contains(col) {
            return;
        }
        let idx = self
            .order
            .iter()
            .position(|c| *c == col)
            .unwrap_or(usize::MAX);
        let at = self
            .place
            .cell(self.number, self.headers.iter().position(|h| h == col), col);
        self.errors.push((self.number, idx, format!("{at}: {msg}")));
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

/// A TOML string.
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

/// One CSV row → one TOML record: its id and its text (the `[[table]]`
/// line excluded). Problems go to the row's errors.
pub(super) fn record(
    kind: Kind,
    site: &Site,
    row: &mut Row,
    seen: &mut BTreeSet<String>,
) -> (String, String) {
    let mut out = String::new();
    let mut tail = String::new();
    let id = id(kind, row, seen);
    let _ = writeln!(out, "id = {}", q(&id));
    let name = text_pair(row, col::NAME, col::NAME_EN, true);
    push_text(&mut out, "name", name);
    match kind {
        Kind::Providers => provider_fields(site, row, &mut out),
        Kind::Hubs => hub_fields(site, row, &mut out),
    }
    provenance(row, site, &mut out);
    contact(row, &mut tail, kind.table());
    (id, format!("{out}{tail}"))
}

/// The record's id: required, URL-safe, not reserved, once per file.
fn id(kind: Kind, row: &mut Row, seen: &mut BTreeSet<String>) -> String {
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
    id
}

/// A provider's fields after its name, in the order data files have them.
fn provider_fields(site: &Site, row: &mut Row, out: &mut String) {
    if let Some(k) = row.get(col::KANA).map(str::to_string) {
        if fields::check_katakana(&k).is_ok() {
            let _ = writeln!(out, "kana = {}", q(&k));
        } else {
            row.bad(col::KANA, "is not full-width katakana");
        }
    }
    provider_kind(site, row, out);
    let codes = areas(row, site, col::AREAS);
    push_areas(out, &codes);
    let op = text_pair(row, col::OPERATOR, col::OPERATOR_EN, false);
    push_text(out, "operator", op);
    let role = text_pair(row, col::ROLE, col::ROLE_EN, false);
    push_text(out, "role", role);
    let addr = text_pair(row, col::ADDRESS, col::ADDRESS_EN, false);
    push_text(out, "address", addr);
    if let Some(p) = row.get(col::POSTCODE).map(str::to_string) {
        if fields::check_postcode(&p).is_ok() {
            let _ = writeln!(out, "postcode = {}", q(&p));
        } else {
            row.bad(col::POSTCODE, "is not a postcode (write 123-4567)");
        }
    }
    location(row, out);
    if let Some(u) = row.get(col::URL).map(str::to_string) {
        if fields::check_url(&u).is_ok() {
            let _ = writeln!(out, "url = {}", q(&u));
        } else {
            row.bad(col::URL, "is not an absolute http(s) URL");
        }
    }
    let note = text_pair(row, col::NOTE, col::NOTE_EN, false);
    push_text(out, "note", note);
    let ages = AgeGroup::ALL.map(|g| (g.key(), col::age(g)));
    capabilities(row, out, "ages", &ages);
    let care = CareNeed::ALL.map(|n| (n.key(), col::care(n)));
    capabilities(row, out, "care", &care);
}

/// The kind, by its code or its Japanese name (as the site shows it).
fn provider_kind(site: &Site, row: &mut Row, out: &mut String) {
    let Some(k) = row.required(col::KIND, "the kind code, e.g. visiting_nursing") else {
        return;
    };
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

/// Latitude and longitude: both or neither.
fn location(row: &mut Row, out: &mut String) {
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
}

/// A table of yes/no columns (`ages`, `care`) as `table = { key = "yes" }`;
/// unknown values are left out, as in hand-written files.
fn capabilities(row: &mut Row, out: &mut String, table: &str, specs: &[(&str, &str)]) {
    let mut items = Vec::new();
    for &(key, column) in specs {
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

/// A hub's fields after its name.
fn hub_fields(site: &Site, row: &mut Row, out: &mut String) {
    let codes = areas(row, site, col::HUB_AREAS);
    push_areas(out, &codes);
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
        push_text(out, key, pair);
    }
}

fn push_areas(out: &mut String, codes: &[String]) {
    let _ = writeln!(
        out,
        "areas = [{}]",
        codes.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
    );
}
