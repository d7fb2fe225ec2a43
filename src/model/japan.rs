//! The national area table (全国の地方公共団体): every prefecture,
//! municipality (市町村・特別区) and designated-city ward (行政区) of Japan,
//! compiled in from `japan/areas.tsv`, which `scripts/area-table/generate.py`
//! regenerates from 総務省「全国地方公共団体コード」 and 日本郵便「郵便番号データ」.
//! The file's header names the sources; every record names its own and its
//! as-of date.
//!
//! It lets a project start for any area: look an area up by code or by
//! name ([`AreaTable::find`]), then take its prefecture and the areas under
//! it. `validate` also compares a project's `data/areas/` with it.

use super::{AreaKind, Date, area_check_digit};
use crate::lang::kana::{romaji_key, search_key, to_romaji};
use std::sync::OnceLock;

/// The table as generated: a header of `#` lines, then one tab-separated
/// record per line, sorted by code.
const TABLE_TSV: &str = include_str!("japan/areas.tsv");

/// A source of the table, from the file's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSource {
    /// The id records name in their `source` (`soumu-lg-codes`).
    pub id: &'static str,
    /// The document, its URL, and the package and version it was read from.
    pub description: &'static str,
}

/// A prefecture, municipality or designated-city ward of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalArea {
    /// The 6-digit local government code, check digit included.
    pub code: &'static str,
    pub kind: AreaKind,
    /// A ward's designated city, a municipality's prefecture; `None` for a prefecture.
    pub parent: Option<&'static str>,
    /// The name in Japanese; a ward's without its city (港北区).
    pub name: &'static str,
    /// The reading in hiragana (こうほくく).
    pub kana: &'static str,
    /// The English name, Hepburn from the reading (Kohoku Ward).
    pub en: &'static str,
    /// The source ids, `+`-joined: the first gives the code and name, the
    /// last the reading (`soumu-lg-codes+japanpost-postcodes` where the
    /// code list writes small kana large and the postcode data does not).
    pub source: &'static str,
    pub as_of: Date,
}

/// The whole table: [`table`] gives it.
#[derive(Debug)]
pub struct AreaTable {
    sources: Vec<TableSource>,
    areas: Vec<NationalArea>,
    keys: OnceLock<Vec<SearchKeys>>,
}

/// What a name look-up compares, per area, already folded: whole names
/// (name, reading, English name, their romaji, and the name under its city
/// and prefecture: 堺市堺区, 東京都府中市) and stems (the name without 市, 区,
/// 町, 村, 県, 府 or 都: 堺, さかい, sakai).
#[derive(Debug)]
struct SearchKeys {
    whole: Vec<String>,
    stems: Vec<String>,
}

/// The table compiled into the binary.
pub fn table() -> &'static AreaTable {
    static TABLE: OnceLock<AreaTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        AreaTable::parse(TABLE_TSV)
            .unwrap_or_else(|e| panic!("src/model/japan/areas.tsv is malformed: {e}"))
    })
}

impl AreaTable {
    fn parse(text: &'static str) -> Result<AreaTable, String> {
        let mut sources = Vec::new();
        let mut areas: Vec<NationalArea> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let at = |what: &str| format!("line {}: {what}", n + 1);
            if let Some(comment) = line.strip_prefix("# ") {
                // A source line is `# <id>\t<description>`.
                if let Some((id, description)) = comment.split_once('\t') {
                    sources.push(TableSource { id, description });
                }
                continue;
            }
            let fields: Vec<&'static str> = line.split('\t').collect();
            let [code, kind, parent, name, kana, en, source, as_of] = fields[..] else {
                return Err(at("expected 8 tab-separated fields"));
            };
            let kind = AreaKind::ALL
                .into_iter()
                .find(|k| k.key() == kind)
                .ok_or_else(|| at(&format!("unknown kind `{kind}`")))?;
            let as_of = Date::parse(as_of).map_err(|e| at(&e))?;
            if areas.last().is_some_and(|last| last.code >= code) {
                return Err(at("codes out of order"));
            }
            for id in source.split('+') {
                if !sources.iter().any(|s: &TableSource| s.id == id) {
                    return Err(at(&format!("source `{id}` is not in the header")));
                }
            }
            areas.push(NationalArea {
                code,
                kind,
                parent: (!parent.is_empty()).then_some(parent),
                name,
                kana,
                en,
                source,
                as_of,
            });
        }
        Ok(AreaTable {
            sources,
            areas,
            keys: OnceLock::new(),
        })
    }

    /// The sources named in the file's header.
    pub fn sources(&self) -> &[TableSource] {
        &self.sources
    }

    /// Every area, in code order.
    pub fn areas(&self) -> &[NationalArea] {
        &self.areas
    }

    /// The area with a 6-digit code (its check digit must be right) or a
    /// 5-digit code (without the check digit, as in N03).
    pub fn by_code(&self, code: &str) -> Option<&NationalArea> {
        let full = match code.len() {
            5 => format!("{code}{}", area_check_digit(code)?),
            6 if area_check_digit(&code[..5])? == code[5..].parse::<u32>().ok()? => {
                code.to_string()
            }
            _ => return None,
        };
        self.areas
            .binary_search_by(|a| a.code.cmp(&full))
            .ok()
            .map(|i| &self.areas[i])
    }

    /// The areas a user means by `query`, in code order: a 5- or 6-digit
    /// code, or a name in kanji, kana or romaji, folded as the finder folds
    /// it (case, width, spaces, macrons, Hepburn or kunrei spelling). Whole
    /// names win: `堺市`, `さかいし`, `sakai-shi`, `Sakai City` and
    /// `大阪府堺市` match whole names; only when nothing does are stems
    /// tried (`堺`, `sakai`). More than one area means the query is
    /// ambiguous (府中市 is in Tokyo and in Hiroshima); none, unknown.
    pub fn find(&self, query: &str) -> Vec<&NationalArea> {
        let folded = name_key(query);
        if matches!(folded.len(), 5 | 6) && folded.bytes().all(|b| b.is_ascii_digit()) {
            return self.by_code(&folded).into_iter().collect();
        }
        let key = if folded.is_ascii() {
            romaji_key(&folded)
        } else {
            folded
        };
        if key.is_empty() {
            return Vec::new();
        }
        let keys = self.keys.get_or_init(|| self.search_keys());
        let matching = |pick: fn(&SearchKeys) -> &Vec<String>| -> Vec<&NationalArea> {
            self.areas
                .iter()
                .zip(keys)
                .filter(|(_, k)| pick(k).contains(&key))
                .map(|(a, _)| a)
                .collect()
        };
        let whole = matching(|k| &k.whole);
        if whole.is_empty() {
            matching(|k| &k.stems)
        } else {
            whole
        }
    }

    /// A ward's designated city, a municipality's prefecture.
    pub fn parent(&self, area: &NationalArea) -> Option<&NationalArea> {
        area.parent.and_then(|p| self.by_code(p))
    }

    /// The prefecture an area is in (itself for a prefecture).
    pub fn prefecture_of<'a>(&'a self, area: &'a NationalArea) -> &'a NationalArea {
        std::iter::successors(Some(area), |a| self.parent(a))
            .last()
            .unwrap_or(area)
    }

    /// The areas directly under one: a prefecture's municipalities, a
    /// designated city's wards; in code order.
    pub fn children(&self, area: &NationalArea) -> Vec<&NationalArea> {
        self.areas
            .iter()
            .filter(|a| a.parent == Some(area.code))
            .collect()
    }

    /// Every area under one, in code order: a prefecture's municipalities
    /// and the wards of its designated cities; a designated city's wards.
    pub fn within(&self, area: &NationalArea) -> Vec<&NationalArea> {
        self.areas
            .iter()
            .filter(|a| {
                a.code != area.code
                    && std::iter::successors(Some(*a), |a| self.parent(a))
                        .any(|up| up.code == area.code)
            })
            .collect()
    }

    fn search_keys(&self) -> Vec<SearchKeys> {
        self.areas
            .iter()
            .map(|a| {
                // The area under its city and prefecture: 港北区, 横浜市港北区, 神奈川県横浜市港北区.
                let chain: Vec<&NationalArea> =
                    std::iter::successors(Some(a), |a| self.parent(a)).collect();
                let mut whole = Vec::new();
                for depth in 1..=chain.len() {
                    let names = &chain[..depth];
                    let name: String = names.iter().rev().map(|a| a.name).collect();
                    let kana: String = names.iter().rev().map(|a| a.kana).collect();
                    whole.push(name_key(&name));
                    whole.push(kana.clone());
                    whole.push(romaji_key(&to_romaji(&kana)));
                }
                whole.push(romaji_key(&search_key(a.en)));
                let mut stems = Vec::new();
                if let Some((name, kana)) = stem(a) {
                    stems.push(name_key(name));
                    stems.push(kana.to_string());
                    stems.push(romaji_key(&to_romaji(kana)));
                }
                SearchKeys { whole, stems }
            })
            .collect()
    }
}

/// A name as the look-up compares it: the finder's folding, and ヶ read as ケ
/// (鶴ヶ島市 is also written 鶴ケ島市).
fn name_key(s: &str) -> String {
    search_key(s).replace('ゖ', "け")
}

/// The name and reading without the kind's suffix (堺市 さかいし → 堺 さかい).
/// 北海道 keeps its 道, which is part of the name.
fn stem(a: &NationalArea) -> Option<(&'static str, &'static str)> {
    let (kanji, readings): (char, &[&str]) = match a.kind {
        AreaKind::Prefecture if a.name.ends_with('県') => ('県', &["けん"]),
        AreaKind::Prefecture if a.name.ends_with('府') => ('府', &["ふ"]),
        AreaKind::Prefecture if a.name.ends_with('都') => ('都', &["と"]),
        AreaKind::Prefecture => return None,
        AreaKind::City | AreaKind::DesignatedCity => ('市', &["し"]),
        AreaKind::SpecialWard | AreaKind::Ward => ('区', &["く"]),
        AreaKind::Town => ('町', &["まち", "ちょう"]),
        AreaKind::Village => ('村', &["むら", "そん"]),
    };
    let name = a.name.strip_suffix(kanji)?;
    let kana = readings.iter().find_map(|r| a.kana.strip_suffix(r))?;
    Some((name, kana))
}

#[cfg(test)]
mod tests {
    use super::{AreaTable, table};

    #[test]
    fn parses_the_compiled_table_and_its_sources() {
        let t = table();
        assert!(t.areas().len() > 1900);
        let ids: Vec<&str> = t.sources().iter().map(|s| s.id).collect();
        assert_eq!(ids, ["soumu-lg-codes", "japanpost-postcodes"]);
    }

    #[test]
    fn rejects_a_malformed_table() {
        let head = "# a\tsource a\n";
        for (text, error) in [
            (
                "141003\tcity\t\t横浜市\tよこはまし\tYokohama City\ta",
                "8 tab-separated",
            ),
            (
                "141003\ttown_ship\t\t横浜市\tよこはまし\tYokohama City\ta\t2020-01-01",
                "unknown kind",
            ),
            (
                "141003\tcity\t\t横浜市\tよこはまし\tYokohama City\tb\t2020-01-01",
                "source `b`",
            ),
            (
                "141003\tcity\t\t横浜市\tよこはまし\tYokohama City\ta\t2020-13-01",
                "line 2",
            ),
            (
                "141003\tcity\t\tx\tx\tX\ta\t2020-01-01\n140007\tprefecture\t\tx\tx\tX\ta\t2020-01-01",
                "out of order",
            ),
        ] {
            let text: &'static str = format!("{head}{text}\n").leak();
            let err = AreaTable::parse(text).expect_err(text);
            assert!(err.contains(error), "{err}");
        }
    }
}
