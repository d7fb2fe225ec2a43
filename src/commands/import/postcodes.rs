//! `tsunagu import postcodes KEN_ALL.CSV`: Japan Post's postcode file
//! (郵便番号データ, 読み仮名データの促音・拗音を小書きで表記するもの) as users
//! download it, in Shift_JIS (`KEN_ALL.CSV`) or UTF-8 (`utf_ken_all.csv`),
//! → `data/postcodes/<prefecture code>.csv` for the project's areas.
//!
//! Japan Post's quirks, undone here:
//! - a long town name is split over several rows with the same postcode,
//!   its opening `（` in the first and its closing `）` in the last: joined;
//! - a parenthesised note after the town (`新横浜（１丁目）`,
//!   `（次のビルを除く）`): kept apart in the `note` column;
//! - 「以下に掲載がない場合」 and 「…の次に番地がくる場合」 are not towns: the row is
//!   the postcode of the rest of the municipality (empty town);
//! - 「…一円」 (the whole of …): the town without 一円, except the town 一円;
//! - one postcode for several towns, one town under several postcodes:
//!   one row each, as in the file;
//! - readings in half-width katakana: hiragana.
//!
//! Rows of municipalities that are not areas of the project are skipped.
//! Every row is checked and every error reported (row = line of the file,
//! column = its number and Japanese name); nothing is written unless the
//! whole file is good and the project with the new files still validates.
//! Only the prefectures present in the file are replaced, so a prefecture's
//! own file (`14KANAGA.CSV`) updates that prefecture alone.

use crate::diag::Diagnostics;
use crate::load::SourceText;
use crate::model::{AreaKind, Date, Site, SourceId};
use crate::validate::postcodes::HEADER;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The folder the postcode files are written to.
pub const DIR: &str = "data/postcodes";

/// The source id used when `--source` is not given.
pub const DEFAULT_SOURCE: &str = "japan-post-postcodes";

/// KEN_ALL's 15 columns, by their names in Japan Post's readme.
const COLUMNS: [&str; 15] = [
    "全国地方公共団体コード",
    "旧郵便番号",
    "郵便番号",
    "都道府県名カナ",
    "市区町村名カナ",
    "町域名カナ",
    "都道府県名",
    "市区町村名",
    "町域名",
    "一町域が二以上の郵便番号で表される場合の表示",
    "小字毎に番地が起番されている町域の表示",
    "丁目を有する町域の場合の表示",
    "一つの郵便番号で二以上の町域を表す場合の表示",
    "更新の表示",
    "変更理由",
];

/// What a postcode import did (or, with `dry_run`, would do).
#[derive(Debug, Default)]
pub struct Outcome {
    pub encoding: &'static str,
    /// Rows of the file (a town split over rows counts each row).
    pub rows: usize,
    /// Rows skipped because their municipality is not an area of the project.
    pub outside: usize,
    /// Each file written and its number of postcode rows.
    pub files: Vec<(PathBuf, usize)>,
    pub written: bool,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "read as {}: {} rows, {} outside the project's areas (skipped)",
            self.encoding, self.rows, self.outside
        )?;
        for (path, n) in &self.files {
            writeln!(f, "  {}: {n} postcode rows", path.display())?;
        }
        write!(
            f,
            "{}",
            if self.written {
                "written"
            } else {
                "nothing written (dry run)"
            }
        )
    }
}

/// One postcode row, its quirks undone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    code: String,
    area: String,
    town: String,
    kana: String,
    note: String,
}

/// Imports Japan Post's file `csv_path` into `data/postcodes/`.
pub fn run(
    root: &Path,
    csv_path: &Path,
    source: Option<&str>,
    as_of: Option<&str>,
    dry_run: bool,
) -> Result<Outcome, Vec<String>> {
    let mut errors = Vec::new();
    let source = SourceId(source.unwrap_or(DEFAULT_SOURCE).to_string());
    let as_of = match as_of.map(Date::parse) {
        Some(Ok(d)) => Some(d),
        Some(Err(msg)) => {
            errors.push(format!("--as-of: {msg}"));
            None
        }
        None => {
            errors.push("--as-of is required: the date of Japan Post's data (the month shown on its download page), e.g. --as-of 2026-10".to_string());
            None
        }
    };
    let bytes = std::fs::read(csv_path)
        .map_err(|e| vec![format!("{}: cannot read: {e}", csv_path.display())])?;
    let (text, encoding) = crate::features::open_data::decode_csv(&bytes);
    let site = crate::pipeline::load_site(root, None).map_err(super::project_errors)?;
    if !site.sources.contains_key(&source) {
        errors.push(format!(
            "--source {source}: no such source in data/sources.toml; add an entry for Japan Post's 郵便番号データ (publisher, URL, as-of) and name it here"
        ));
    }
    let (rows, total, outside) = parse(&site, &text, &mut errors);
    let Some(as_of) = as_of.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    let files = files(&site, &rows, &source, as_of, csv_path)?;
    check_project(root, &files)?;
    let outcome = Outcome {
        encoding,
        rows: total,
        outside,
        files: files
            .iter()
            .map(|(p, t)| {
                (
                    p.clone(),
                    t.lines().filter(|l| starts_with_digit(l)).count(),
                )
            })
            .collect(),
        written: !dry_run,
    };
    if !dry_run {
        write(root, &files)?;
    }
    Ok(outcome)
}

fn starts_with_digit(line: &str) -> bool {
    line.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// Reads every row of the file; returns the rows of the project's areas,
/// the number of rows read and the number outside the project.
fn parse(site: &Site, text: &str, errors: &mut Vec<String>) -> (Vec<Row>, usize, usize) {
    // 5-digit code (without check digit) → the area's 6-digit code.
    let areas: BTreeMap<&str, &str> = site
        .areas
        .iter()
        .filter(|a| !matches!(a.kind, AreaKind::Prefecture | AreaKind::DesignatedCity))
        .map(|a| {
            (
                &a.code.as_str()[..5.min(a.code.as_str().len())],
                a.code.as_str(),
            )
        })
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let (mut total, mut outside) = (0, 0);
    // A town begun on an earlier row whose closing `）` is still to come.
    let mut open: Option<(u64, Vec<String>)> = None;
    // Row = line: Japan Post's file has no header and no line breaks in cells.
    for (i, rec) in reader.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("cannot read the file as CSV: {e}"));
                break;
            }
        };
        let n = i as u64 + 1;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        total += 1;
        if rec.len() != COLUMNS.len() {
            errors.push(format!(
                "row {n}: {} columns; Japan Post's file has {} ({} … {})",
                rec.len(),
                COLUMNS.len(),
                COLUMNS[0],
                COLUMNS[14]
            ));
            continue;
        }
        let mut cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if let Some((first, mut prev)) = open.take() {
            if prev[2] == cells[2] && prev[0] == cells[0] {
                prev[5].push_str(&cells[5]);
                prev[8].push_str(&cells[8]);
                if unclosed(&prev[8]) {
                    open = Some((first, prev));
                    continue;
                }
                cells = prev;
            } else {
                errors.push(format!(
                    "row {first}, column 9 ({}): the town name begun here is not closed with `）` before row {n} (another postcode)",
                    COLUMNS[8]
                ));
            }
        } else if unclosed(&cells[8]) {
            open = Some((n, cells));
            continue;
        }
        if let Some(row) = check_row(n, &cells, errors) {
            match areas.get(row.area.as_str()) {
                Some(code) => rows.push(Row {
                    area: code.to_string(),
                    ..row
                }),
                None => outside += 1,
            }
        }
    }
    if let Some((first, _)) = open {
        errors.push(format!(
            "row {first}, column 9 ({}): the town name begun here is not closed with `）` before the end of the file",
            COLUMNS[8]
        ));
    }
    (rows, total, outside)
}

/// More `（` than `）`: the town name continues on the next row.
fn unclosed(town: &str) -> bool {
    town.matches('（').count() > town.matches('）').count()
}

/// Checks one (joined) row; its area is still the 5-digit code.
fn check_row(n: u64, c: &[String], errors: &mut Vec<String>) -> Option<Row> {
    let before = errors.len();
    let mut bad = |col: usize, what: &str| {
        errors.push(format!(
            "row {n}, column {} ({}): '{}' {what}",
            col + 1,
            COLUMNS[col],
            crate::diag::escape_controls(&c[col])
        ));
    };
    let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(&c[0], 5) {
        bad(0, "is not a 5-digit local government code");
    }
    if !digits(&c[2], 7) {
        bad(2, "is not a 7-digit postcode");
    }
    for col in [6, 7] {
        if c[col].is_empty() {
            bad(col, "is empty");
        }
    }
    for (col, flag) in c.iter().enumerate().take(13).skip(9) {
        if flag != "0" && flag != "1" {
            bad(col, "is not 0 or 1");
        }
    }
    if !["0", "1", "2"].contains(&c[13].as_str()) {
        bad(13, "is not 0, 1 or 2");
    }
    if !digits(&c[14], 1) || c[14].as_str() > "6" {
        bad(14, "is not a change reason 0–6");
    }
    let (town, kana, note) = town_parts(&c[8], &c[5]);
    for (col, value) in [(8, &town), (5, &kana), (8, &note)] {
        if value.contains([',', '"', '\n', '\r']) {
            bad(
                col,
                "has a comma, quote or line break, which the postcode file cannot hold",
            );
        }
    }
    (errors.len() == before).then(|| Row {
        code: c[2].clone(),
        area: c[0].clone(),
        town,
        kana,
        note,
    })
}

/// A KEN_ALL town name and reading → (town, hiragana reading, note).
fn town_parts(town: &str, kana: &str) -> (String, String, String) {
    if town == "以下に掲載がない場合" || town.ends_with("の次に番地がくる場合")
    {
        return (String::new(), String::new(), String::new());
    }
    let (mut name, note) = match town.split_once('（') {
        Some((name, rest)) => (
            name.to_string(),
            rest.strip_suffix('）').unwrap_or(rest).to_string(),
        ),
        None => (town.to_string(), String::new()),
    };
    let mut reading = to_hiragana(kana.split('(').next().unwrap_or(""));
    if name != "一円"
        && let Some(stripped) = name.strip_suffix("一円")
    {
        name = stripped.to_string();
        reading = reading
            .strip_suffix("いちえん")
            .unwrap_or(&reading)
            .to_string();
    }
    (name, reading, note)
}

/// Half- or full-width katakana → hiragana; anything else kept.
pub fn to_hiragana(s: &str) -> String {
    const HALF: &str = "ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ";
    const FULL: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
    let mut out: Vec<char> = Vec::new();
    for ch in s.chars() {
        let voiced = |c: char, step: u32| char::from_u32(c as u32 + step);
        match ch {
            'ﾞ' | 'ﾟ' => {
                let step = if ch == 'ﾞ' { 1 } else { 2 };
                if let Some(last) = out.last_mut() {
                    *last = match *last {
                        'ウ' if step == 1 => 'ヴ',
                        c @ ('カ'..='ト' | 'ハ'..='ホ') if step == 1 => {
                            voiced(c, 1).unwrap_or(c)
                        }
                        c @ 'ハ'..='ホ' => voiced(c, 2).unwrap_or(c),
                        c => c,
                    };
                }
            }
            c => match HALF.chars().position(|h| h == c) {
                Some(i) => out.extend(FULL.chars().nth(i)),
                None => out.push(c),
            },
        }
    }
    out.into_iter()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// The postcode files' paths and texts, one per prefecture with rows.
fn files(
    site: &Site,
    rows: &[Row],
    source: &SourceId,
    as_of: Date,
    csv_path: &Path,
) -> Result<Vec<(PathBuf, String)>, Vec<String>> {
    let mut by_pref: BTreeMap<String, BTreeSet<(String, usize, Row)>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let Some(area) = site.area(&crate::model::AreaCode(row.area.clone())) else {
            continue;
        };
        let pref = site.prefecture_of(area);
        let set = by_pref.entry(pref.code.to_string()).or_default();
        // Sorted by postcode, then file order; an exact repeat is dropped.
        if !set.iter().any(|(c, _, r)| c == &row.code && r == row) {
            set.insert((row.code.clone(), i, row.clone()));
        }
    }
    let name = csv_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(by_pref
        .into_iter()
        .map(|(pref, set)| {
            let pref_name = site
                .area(&crate::model::AreaCode(pref.clone()))
                .map(|a| a.name.ja.clone())
                .unwrap_or_default();
            let mut text = format!(
                "# 郵便番号: postcodes of the project's areas in {pref_name}, from Japan Post's {name}.\n# Written by `tsunagu import postcodes`; import a newer file instead of editing (data/README.md).\n# source = \"{source}\"\n# as_of = \"{as_of}\"\n{HEADER}\n"
            );
            for (_, _, r) in set {
                text.push_str(&format!(
                    "{},{},{},{},{}\n",
                    r.code, r.area, r.town, r.kana, r.note
                ));
            }
            (PathBuf::from(DIR).join(format!("{pref}.csv")), text)
        })
        .collect())
}

/// The project with the new files in place must still validate.
fn check_project(root: &Path, files: &[(PathBuf, String)]) -> Result<(), Vec<String>> {
    let mut inputs = crate::load::load(root).map_err(super::project_errors)?;
    inputs
        .postcodes
        .retain(|f| !files.iter().any(|(p, _)| *p == f.path));
    inputs
        .postcodes
        .extend(files.iter().map(|(path, text)| SourceText {
            path: path.clone(),
            text: text.clone(),
        }));
    crate::pipeline::validate(inputs, None)
        .map(drop)
        .map_err(|d: Diagnostics| {
            d.sorted()
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.to_string().trim_end().to_string())
                .collect()
        })
}

/// Writes every file to a temporary one first, then renames them all: a
/// failed write leaves the old files whole.
fn write(root: &Path, files: &[(PathBuf, String)]) -> Result<(), Vec<String>> {
    let dir = root.join(DIR);
    let tmp = |p: &Path| root.join(p).with_extension("csv.tmp");
    let staged = std::fs::create_dir_all(&dir).and_then(|()| {
        files
            .iter()
            .try_for_each(|(p, text)| std::fs::write(tmp(p), text.as_bytes()))
    });
    let placed = staged.and_then(|()| {
        files
            .iter()
            .try_for_each(|(p, _)| std::fs::rename(tmp(p), root.join(p)))
    });
    if let Err(e) = placed {
        for (p, _) in files {
            let _ = std::fs::remove_file(tmp(p));
        }
        return Err(vec![format!("{}: cannot write: {e}", dir.display())]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{to_hiragana, town_parts};

    #[test]
    fn half_width_readings_become_hiragana() {
        assert_eq!(to_hiragana("ｼﾝﾖｺﾊﾏ"), "しんよこはま");
        assert_eq!(to_hiragana("ｺｳﾎｸｸ"), "こうほくく");
        assert_eq!(to_hiragana("ﾊﾟﾊﾞｳﾞ"), "ぱばゔ");
        assert_eq!(to_hiragana("ｷｮｳﾄｼ"), "きょうとし");
    }

    #[test]
    fn notes_and_non_towns_are_taken_apart() {
        let t = |a, b| town_parts(a, b);
        assert_eq!(
            t("新横浜（１丁目）", "ｼﾝﾖｺﾊﾏ(1ﾁｮｳﾒ)"),
            ("新横浜".into(), "しんよこはま".into(), "１丁目".into())
        );
        assert_eq!(
            t("以下に掲載がない場合", "ｲｶﾆｹｲｻｲｶﾞﾅｲﾊﾞｱｲ"),
            (String::new(), String::new(), String::new())
        );
        assert_eq!(
            t("箱根町一円", "ﾊｺﾈﾏﾁｲﾁｴﾝ"),
            ("箱根町".into(), "はこねまち".into(), String::new())
        );
        assert_eq!(t("一円", "ｲﾁｴﾝ").0, "一円");
    }
}
