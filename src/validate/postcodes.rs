//! Postcode files, `data/postcodes/<prefecture code>.csv`, as written by
//! `tsunagu import postcodes`: two metadata lines, a header, one postcode
//! row per line. Checked here like any data file, since it may be edited
//! by hand.
//!
//! ```text
//! # source = "japan-post-postcodes"
//! # as_of = "2026-10"
//! postcode,area,town,kana,note
//! 2220033,141097,新横浜,しんよこはま,
//! ```

use super::Validator;
use crate::load::{Inputs, SourceText};
use crate::model::{Area, AreaCode, AreaKind, Date, Postcode, Provenance, SourceId};

/// The header row of a postcode file.
pub const HEADER: &str = "postcode,area,town,kana,note";

impl Validator {
    pub(super) fn postcodes(&mut self, inputs: &Inputs, areas: &[Area]) -> Vec<Postcode> {
        let mut all = Vec::new();
        for file in &inputs.postcodes {
            self.postcode_file(file, areas, &mut all);
        }
        // One postcode may sit in two prefecture files (a town on a border);
        // the stable sort keeps each file's order within a postcode.
        all.sort_by(|a, b| a.code.cmp(&b.code));
        all
    }

    fn postcode_file(&mut self, file: &SourceText, areas: &[Area], out: &mut Vec<Postcode>) {
        let find = |code: &str| {
            areas
                .binary_search_by(|a| a.code.as_str().cmp(code))
                .ok()
                .map(|i| &areas[i])
        };
        let stem = file.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let prefecture = find(stem).filter(|a| a.kind == AreaKind::Prefecture);
        if prefecture.is_none() {
            self.error(
                file,
                0..0,
                format!("`{stem}` is not the code of a prefecture in data/areas/"),
                "name postcode files data/postcodes/<6-digit prefecture code>.csv, e.g. 140007.csv (tsunagu import postcodes writes them)",
            );
            return;
        }
        let mut source: Option<(SourceId, std::ops::Range<usize>)> = None;
        let mut as_of: Option<Date> = None;
        let mut header_seen = false;
        let mut rows = Vec::new();
        let mut offset = 0;
        for line in file.text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let line = line.trim_end_matches(['\n', '\r']);
            if let Some(meta) = line.strip_prefix('#') {
                if let Some((key, value)) = meta.split_once('=') {
                    let value = value.trim().trim_matches('"');
                    let from = start + line.rfind(value).unwrap_or(0);
                    let at = from..from + value.len();
                    match key.trim() {
                        "source" => source = Some((SourceId(value.to_string()), at)),
                        "as_of" => match Date::parse(value) {
                            Ok(d) => as_of = Some(d),
                            Err(msg) => self.error(file, at, msg, ""),
                        },
                        _ => {}
                    }
                }
                continue;
            }
            if line.is_empty() {
                continue;
            }
            if !header_seen {
                header_seen = true;
                if line != HEADER {
                    self.error(
                        file,
                        start..start + line.len(),
                        format!("the header row must be `{HEADER}`"),
                        "write the file with tsunagu import postcodes",
                    );
                    return;
                }
                continue;
            }
            rows.push((start, line));
        }
        let Some((source, at)) = source else {
            self.error(
                file,
                0..0,
                "missing `# source = \"…\"` line",
                "name the source of the postcodes, an id from data/sources.toml",
            );
            return;
        };
        if !self.known_sources.contains(&source) {
            self.error(
                file,
                at,
                format!("source `{source}` does not exist"),
                "add it to data/sources.toml",
            );
        }
        let Some(as_of) = as_of else {
            self.error(
                file,
                0..0,
                "missing `# as_of = \"YYYY-MM-DD\"` line",
                "write the date of Japan Post's data",
            );
            return;
        };
        let provenance = Provenance {
            source,
            as_of,
            last_verified: None,
        };
        let pref_code = prefecture.map(|p| p.code.clone());
        for (start, line) in rows {
            let mut cells = Vec::new();
            let mut at = start;
            for cell in line.split(',') {
                cells.push((at..at + cell.len(), cell));
                at += cell.len() + 1;
            }
            if cells.len() != 5 {
                self.error(
                    file,
                    start..start + line.len(),
                    format!("{} cells; a postcode row has 5 ({HEADER})", cells.len()),
                    "town, kana and note may not contain a comma",
                );
                continue;
            }
            let (code_at, code) = cells[0].clone();
            if code.len() != 7 || !code.bytes().all(|b| b.is_ascii_digit()) {
                self.error(
                    file,
                    code_at,
                    format!("`{code}` is not a postcode"),
                    "write the 7 digits without a hyphen, e.g. 2220033",
                );
            }
            let (area_at, area) = cells[1].clone();
            match find(area) {
                Some(a)
                    if a.kind != AreaKind::Prefecture
                        && a.kind != AreaKind::DesignatedCity
                        && self.in_prefecture(a, areas, pref_code.as_ref()) => {}
                Some(_) => self.error(
                    file,
                    area_at,
                    format!("area `{area}` is not a municipality or ward of prefecture {stem}"),
                    "postcodes belong to a municipality, or to a ward of a designated city",
                ),
                None => self.error(
                    file,
                    area_at,
                    format!("area `{area}` does not exist"),
                    "use a code from data/areas/ (6 digits with check digit)",
                ),
            }
            out.push(Postcode {
                code: code.to_string(),
                area: AreaCode(area.to_string()),
                town: cells[2].1.to_string(),
                kana: cells[3].1.to_string(),
                note: cells[4].1.to_string(),
                provenance: provenance.clone(),
            });
        }
    }

    /// Whether `area` lies in `prefecture` (a ward through its city).
    fn in_prefecture(&self, area: &Area, areas: &[Area], prefecture: Option<&AreaCode>) -> bool {
        let mut parent = area.parent.as_ref();
        while let Some(p) = parent {
            if Some(p) == prefecture {
                return true;
            }
            parent = areas
                .binary_search_by(|a| a.code.cmp(p))
                .ok()
                .and_then(|i| areas[i].parent.as_ref());
        }
        false
    }
}
