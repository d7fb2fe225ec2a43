//! Finding an area by postcode (郵便番号) or town name (町名): a list page
//! per 3-digit postcode prefix (`/<lang>/postcodes/222/`, works without
//! JavaScript), each area's towns for its page, and the finder script's
//! data, split so that a search loads only the small file it needs:
//!
//! - `finder-postcodes.json`: the prefixes there are files for, the number
//!   of town files, and the areas the site covers (the out-of-scope message);
//! - `postcodes/<prefix>.json`: `[postcode, town, town romaji, area code]`;
//! - `towns/<n>.json`: `[town, reading, romaji, area code]` of the towns
//!   whose name, reading or romaji (spelled as the script compares it,
//!   [`roma`]) starts with two characters (three letters of romaji) that
//!   hash to file n (新横 → n). A shorter query finds municipalities and
//!   wards only.
//!
//! Town names in Latin letters are the Hepburn romanisation of Japan
//! Post's reading ([`to_romaji`]): Japan Post publishes none we use.

use crate::lang::Lang;
use crate::lang::kana::{romaji_key, to_romaji};
use crate::model::{Area, AreaCode, AreaKind, Postcode, Site};
use crate::render::TemplateData;
use crate::render::links::{AREAS_KEY, area_key, full_name, sorted};
use crate::render::{Artifact, PageDef, ProvenanceCtx, page_path, provenance, push_provenance, ui};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Key of the postcode pages' folder.
pub const KEY: &str = "postcodes";

/// Site-relative path of the finder's postcode index.
pub const INDEX_PATH: &str = "finder-postcodes.json";

/// The UI strings the postcode pages and the finder use.
pub const STRINGS: &[&str] = &[
    "postcodes_title",
    "postcodes_intro",
    "postcodes_heading",
    "postcodes_rest",
    "postcodes_outside",
    "postcodes_all",
    "towns_heading",
    "search_outside",
];

/// A town name in Latin letters: the Hepburn reading, capitalised.
pub fn town_romaji(kana: &str) -> String {
    let r = to_romaji(kana);
    let mut c = r.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The postcodes, grouped by 3-digit prefix.
fn by_prefix(site: &Site) -> BTreeMap<&str, Vec<&Postcode>> {
    let mut map: BTreeMap<&str, Vec<&Postcode>> = BTreeMap::new();
    for p in &site.postcodes {
        map.entry(p.prefix()).or_default().push(p);
    }
    map
}

/// What the site covers, for "outside this site's areas": each prefecture
/// by name, or, where the data has only a few of its municipalities, those
/// municipalities (東京都千代田区).
pub fn coverage(site: &Site, lang: Lang) -> String {
    let mut parts = Vec::new();
    for pref in sorted(
        site.areas
            .iter()
            .filter(|a| a.kind == AreaKind::Prefecture)
            .collect(),
        Lang::Ja,
    ) {
        let munis: Vec<&Area> = site.children(&pref.code).collect();
        if (1..=3).contains(&munis.len()) {
            for m in munis {
                parts.push(match lang {
                    Lang::Ja | Lang::Easy => format!("{}{}", pref.name.ja, m.name.ja),
                    Lang::En => format!("{} ({})", m.name.en, pref.name.en),
                });
            }
        } else {
            parts.push(pref.name.str(lang).to_string());
        }
    }
    parts.join(match lang {
        Lang::Ja | Lang::Easy => "、",
        Lang::En => ", ",
    })
}

/// A prefix link on the area list.
#[derive(Serialize)]
pub struct PrefixLink {
    pub prefix: String,
    pub path: String,
}

/// Links to every prefix page, for the area list.
pub fn prefix_links(site: &Site, lang: Lang) -> Vec<PrefixLink> {
    by_prefix(site)
        .into_keys()
        .map(|p| PrefixLink {
            prefix: p.to_string(),
            path: page_path(lang, &format!("{KEY}/{p}")),
        })
        .collect()
}

/// A town and its postcodes: consecutive postcodes of one town (the floors
/// of a building: 100-6901 1階, 100-6902 2階, …) share one line.
#[derive(Serialize)]
struct RowCtx {
    town: String,
    /// The Japanese name beside the romaji on English pages.
    town_ja: Option<String>,
    /// Each postcode and its note (empty when none).
    codes: Vec<(String, String)>,
}

#[derive(Serialize)]
struct GroupCtx {
    name: String,
    path: String,
    hub: Option<String>,
    rows: Vec<RowCtx>,
}

/// One page per 3-digit prefix: its postcodes by area, each area linked.
pub fn pages(site: &Site, lang: Lang) -> Vec<PageDef<'static>> {
    let rest = ui(site, lang, "postcodes_rest");
    by_prefix(site)
        .into_iter()
        .map(|(prefix, codes)| {
            let mut prov: Vec<ProvenanceCtx> = Vec::new();
            let mut groups: Vec<(AreaCode, GroupCtx)> = Vec::new();
            for p in codes {
                push_provenance(&mut prov, provenance(site, &p.provenance, lang));
                let Some(area) = site.area(&p.area) else {
                    continue;
                };
                let i = match groups.iter().position(|(c, _)| *c == p.area) {
                    Some(i) => i,
                    None => {
                        groups.push((
                            p.area.clone(),
                            GroupCtx {
                                name: full_name(site, area, lang),
                                path: page_path(lang, &area_key(&area.code)),
                                hub: site
                                    .hub_for(&area.code)
                                    .map(|h| h.name.str(lang).to_string()),
                                rows: Vec::new(),
                            },
                        ));
                        groups.len() - 1
                    }
                };
                let (town, town_ja) = match (p.town.is_empty(), lang) {
                    (true, _) => (rest.clone(), None),
                    (false, Lang::Ja | Lang::Easy) => (p.town.clone(), None),
                    (false, Lang::En) => (town_romaji(&p.kana), Some(p.town.clone())),
                };
                let rows = &mut groups[i].1.rows;
                let code = (p.display(), p.note.clone());
                match rows.last_mut() {
                    Some(last) if last.town == town && !p.town.is_empty() => last.codes.push(code),
                    _ => rows.push(RowCtx {
                        town,
                        town_ja,
                        codes: vec![code],
                    }),
                }
            }
            let mut body = TemplateData::new();
            body.insert("prefix", prefix);
            body.insert(
                "groups",
                &groups.into_iter().map(|(_, g)| g).collect::<Vec<_>>(),
            );
            body.insert("coverage", &coverage(site, lang));
            PageDef {
                key: format!("{KEY}/{prefix}"),
                lang,
                template: "postcodes.html",
                title: ui(site, lang, "postcodes_title").replace("{prefix}", prefix),
                description: None,
                crumbs: vec![(ui(site, lang, "areas_title"), AREAS_KEY.to_string())],
                provenance: prov,
                body,
                fill: None,
            }
        })
        .collect()
}

/// An area's towns for its page: distinct names in reading order (English:
/// romaji, then the Japanese name).
#[derive(Serialize, Debug, Hash)]
pub struct TownCtx {
    pub name: String,
    pub ja: Option<String>,
}

/// Every area's towns, in one pass over the postcodes (120,000 nationally).
pub fn towns_by_area(site: &Site, lang: Lang) -> BTreeMap<AreaCode, Vec<TownCtx>> {
    let mut seen: BTreeMap<&AreaCode, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for p in site.postcodes.iter().filter(|p| !p.town.is_empty()) {
        seen.entry(&p.area).or_default().insert((&p.kana, &p.town));
    }
    seen.into_iter()
        .map(|(area, towns)| (area.clone(), towns_of(towns, lang)))
        .collect()
}

fn towns_of(seen: BTreeSet<(&str, &str)>, lang: Lang) -> Vec<TownCtx> {
    let mut towns: Vec<TownCtx> = seen
        .into_iter()
        .map(|(kana, town)| match lang {
            Lang::Ja | Lang::Easy => TownCtx {
                name: town.to_string(),
                ja: None,
            },
            Lang::En => TownCtx {
                name: town_romaji(kana),
                ja: Some(town.to_string()),
            },
        })
        .collect();
    // Japanese in reading order already; English alphabetically.
    if lang == Lang::En {
        towns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    towns
}

/// How the finder script folds a typed string before comparing: full-width
/// Latin letters and digits to ASCII, lower case, katakana to hiragana (the
/// script does this with NFKC). Used for the first two characters only.
fn fold(c: char) -> char {
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        c => c,
    };
    c.to_ascii_lowercase()
}

/// two-letter starts are too few to spread Japan's towns).
fn key(folded: impl Iterator<Item = char>, n: usize) -> Option<String> {
    let k: String = folded
        .filter(|c| !matches!(c, ' ' | '\u{3000}' | '・'))
        .take(n)
        .collect();
    (k.chars().count() == n).then_some(k)
}

/// The town file of a key: a hash of its UTF-16 code units, as the script
/// computes it (`Math.imul(h, 31) + unit`), modulo the number of files.
fn bucket(key: &str, buckets: u32) -> u32 {
    key.encode_utf16()
        .fold(0u32, |h, u| h.wrapping_mul(31).wrapping_add(u32::from(u)))
        % buckets
}

#[derive(Serialize)]
struct Index {
    /// Every 3-digit prefix with a file, space-separated.
    p: String,
    /// The number of town files, `towns/<n>.json`.
    b: u32,
    /// What the site covers, [ja, en].
    c: [String; 2],
}

/// The finder's postcode and town files.
pub fn files(site: &Site) -> Vec<Artifact> {
    let mut out = Vec::new();
    let prefixes = by_prefix(site);
    for (prefix, codes) in &prefixes {
        let rows: Vec<(&str, &str, String, &str)> = codes
            .iter()
            .map(|p| {
                (
                    p.code.as_str(),
                    p.town.as_str(),
                    town_romaji(&p.kana),
                    p.area.as_str(),
                )
            })
            .collect();
        out.push(Artifact {
            path: format!("{KEY}/{prefix}.json"),
            bytes: serde_json::to_vec(&rows).unwrap_or_default(),
        });
    }
    // Each (town, area) once, in each file one of its keys hashes to. About
    // 64 towns a file: 2 KB–10 KB, whether 4,000 towns or Japan's 120,000.
    let mut towns: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
    for p in &site.postcodes {
        if !p.town.is_empty() {
            towns.insert((&p.kana, &p.town, p.area.as_str()));
        }
    }
    let buckets = (towns.len() as u32 / 64).next_power_of_two().max(16);
    let mut files: Vec<Vec<(&str, &str, String, &str)>> = vec![Vec::new(); buckets as usize];
    for (kana, town, area) in towns {
        let romaji = town_romaji(kana);
        let keys: BTreeSet<u32> = [
            key(town.chars().map(fold), 2),
            key(kana.chars().map(fold), 2),
            key(romaji_key(&romaji.to_ascii_lowercase()).chars(), 3),
        ]
        .into_iter()
        .flatten()
        .map(|k| bucket(&k, buckets))
        .collect();
        for b in keys {
            files[b as usize].push((town, kana, romaji.clone(), area));
        }
    }
    for (b, rows) in files.iter().enumerate() {
        out.push(Artifact {
            path: format!("towns/{b}.json"),
            bytes: serde_json::to_vec(rows).unwrap_or_default(),
        });
    }
    let index = Index {
        p: prefixes.keys().copied().collect::<Vec<_>>().join(" "),
        b: buckets,
        c: [coverage(site, Lang::Ja), coverage(site, Lang::En)],
    };
    out.push(Artifact {
        path: INDEX_PATH.into(),
        bytes: serde_json::to_vec(&index).unwrap_or_default(),
    });
    out
}
