//! The validated, immutable domain model every feature reads.
//!
//! Only `validate` builds it; nothing here touches the disk or knows about
//! TOML. Records keep where they came from ([`Origin`]) so later checks can
//! still point at a file and line.

mod accessibility;
mod date;
pub mod japan;
mod postcode;
pub mod vocab;

pub use accessibility::{AccessibilityRun, Criterion, PageResult};
pub use date::{Date, TODAY_ENV, today};
pub use postcode::Postcode;
pub use vocab::*;

use crate::config::Config;
use crate::lang::furigana::Readings;
use crate::lang::{Lang, Text};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A data record's position in its file, for diagnostics after validation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    pub file: PathBuf,
    pub line: usize,
}

/// Where a fact comes from and when it held: shown as 出典 / 時点 on pages.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Provenance {
    pub source: SourceId,
    pub as_of: Date,
    /// 情報確認日: when someone last checked the record against its source.
    pub last_verified: Option<Date>,
}

impl Provenance {
    /// The later of the as-of and last-verified dates: when the record last
    /// changed, as far as anyone can tell (a page's `dateModified`, a feed's
    /// `updated`).
    pub fn latest(&self) -> Date {
        self.last_verified.map_or(self.as_of, |v| v.max(self.as_of))
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// Id of a source document in `data/sources.toml`.
    SourceId
);
id_type!(
    /// 6-digit 全国地方公共団体コード, check digit included.
    AreaCode
);
id_type!(
    /// Id of a coordinator hub.
    HubId
);

/// A public document facts come from (出典).
#[derive(Debug, Clone, Hash)]
pub struct Source {
    pub id: SourceId,
    pub title: Text,
    pub publisher: Text,
    pub published: Option<Date>,
    pub url: Option<String>,
    pub note: Option<Text>,
}

/// A prefecture, municipality or designated-city ward (地域).
#[derive(Debug, Clone, Hash)]
pub struct Area {
    pub code: AreaCode,
    pub kind: AreaKind,
    pub name: Text,
    /// Hiragana reading, for 五十音 order and search.
    pub kana: String,
    pub parent: Option<AreaCode>,
    pub provenance: Provenance,
}

/// Contact routes of a hub; `None` is unknown (未掲載), never "none".
#[derive(Debug, Clone, Default, Hash)]
pub struct Contact {
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub form_url: Option<String>,
    pub hours: Option<Text>,
    /// Where the routes come from when not from the record's own source
    /// (a hub's contact filled in later); `None`: the record's.
    pub provenance: Option<Provenance>,
}

impl Contact {
    pub fn is_unknown(&self) -> bool {
        self.phone.is_none()
            && self.fax.is_none()
            && self.email.is_none()
            && self.form_url.is_none()
    }
}

/// A coordinator hub (コーディネーター拠点) and the areas it covers.
#[derive(Debug, Clone, Hash)]
pub struct Hub {
    pub id: HubId,
    pub name: Text,
    pub areas: Vec<AreaCode>,
    pub started: Option<Date>,
    pub setting: Option<Text>,
    pub staff: Option<Text>,
    pub operator: Option<Text>,
    pub address: Option<Text>,
    pub ask_instead: Option<Text>,
    pub contact: Contact,
    pub provenance: Provenance,
    pub origin: Origin,
}

impl Hub {
    /// The record's provenance, then its contact's own, if any: what a
    /// page or flyer showing the hub cites.
    pub fn provenances(&self) -> impl Iterator<Item = &Provenance> {
        std::iter::once(&self.provenance).chain(self.contact.provenance.as_ref())
    }
}

/// One dated status of a municipality's 協議の場.
#[derive(Debug, Clone, Hash)]
pub struct StatusEntry {
    pub area: AreaCode,
    pub status: CouncilStatus,
    pub partners: Vec<AreaCode>,
    pub provenance: Provenance,
}

/// Totals per status as published by a source.
#[derive(Debug, Clone, Hash)]
pub struct PublishedTotal {
    pub alone: u32,
    pub joint: u32,
    pub not_set: u32,
    pub provenance: Provenance,
}

/// 協議の場 (support council) statuses of one prefecture's municipalities.
#[derive(Debug, Clone, Hash)]
pub struct Council {
    pub prefecture: AreaCode,
    /// All entries, sorted by area then date (history kept).
    pub statuses: Vec<StatusEntry>,
    pub published_totals: Vec<PublishedTotal>,
    /// Municipal boundaries from `data/boundaries/<prefecture>.geojson`, if present.
    pub boundaries: Option<Boundaries>,
    /// Tile-grid layout, used for the map when there are no boundaries.
    pub tiles: Vec<Tile>,
    pub origin: Origin,
}

/// A prefecture's municipal boundaries as read from an N03 GeoJSON file
/// (国土数値情報 行政区域), in longitude/latitude.
#[derive(Debug, Clone, Hash)]
pub struct Boundaries {
    pub file: PathBuf,
    pub features: Vec<BoundaryFeature>,
}

/// One N03 feature: a municipality, a designated-city ward or a part of one.
#[derive(Debug, Clone)]
pub struct BoundaryFeature {
    /// `N03_007`: the 5-digit code without check digit (empty when absent).
    pub code: String,
    /// `N03_003` + `N03_004`, for messages.
    pub name: String,
    /// Polygons → rings → (longitude, latitude); the first ring is the outer one.
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

impl std::hash::Hash for BoundaryFeature {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (&self.code, &self.name).hash(h);
        for polygon in &self.polygons {
            polygon.len().hash(h);
            for ring in polygon {
                ring.len().hash(h);
                for [lon, lat] in ring {
                    (lon.to_bits(), lat.to_bits()).hash(h);
                }
            }
        }
    }
}

/// A municipality's cell in a tile-grid map (1-based row and column).
#[derive(Debug, Clone, Hash)]
pub struct Tile {
    pub area: AreaCode,
    pub row: u32,
    pub col: u32,
    pub line: usize,
}

impl Council {
    /// The latest status of each municipality, in area-code order.
    pub fn latest(&self) -> Vec<&StatusEntry> {
        let mut latest: BTreeMap<&AreaCode, &StatusEntry> = BTreeMap::new();
        for s in &self.statuses {
            latest
                .entry(&s.area)
                .and_modify(|cur| {
                    if s.provenance.as_of >= cur.provenance.as_of {
                        *cur = s;
                    }
                })
                .or_insert(s);
        }
        latest.into_values().collect()
    }
}

/// One row of a coordinator breakdown.
#[derive(Debug, Clone, Hash)]
pub struct CountRow {
    pub label: Text,
    pub count: u32,
}

#[derive(Debug, Clone, Hash)]
pub struct Breakdown {
    pub dimension: Dimension,
    pub rows: Vec<CountRow>,
}

/// Published counts of trained coordinators: aggregates only, no names.
#[derive(Debug, Clone, Hash)]
pub struct CoordinatorAggregate {
    pub id: String,
    pub scope: AreaCode,
    pub title: Text,
    pub total: u32,
    pub note: Option<Text>,
    pub breakdowns: Vec<Breakdown>,
    pub provenance: Provenance,
}

id_type!(
    /// Id of a provider in `data/providers/`.
    ProviderId
);

/// An organisation serving children and adults who need medical care.
/// Private records and fields never reach the model: validation drops them.
#[derive(Debug, Clone, Hash)]
pub struct Provider {
    pub id: ProviderId,
    pub name: Text,
    /// Full-width katakana reading (名称_カナ).
    pub kana: Option<String>,
    pub kind: ProviderKind,
    pub areas: Vec<AreaCode>,
    /// Every care need in [`CareNeed::ALL`] order; absent in data = unknown.
    pub care: Vec<(CareNeed, Capability)>,
    /// Every age group in [`AgeGroup::ALL`] order; absent in data = unknown.
    pub ages: Vec<(AgeGroup, Capability)>,
    pub operator: Option<Text>,
    pub role: Option<Text>,
    pub address: Option<Text>,
    pub postcode: Option<String>,
    pub location: Option<LatLon>,
    pub url: Option<String>,
    pub contact: Contact,
    pub note: Option<Text>,
    pub provenance: Provenance,
    /// The data file it is in. Not its line, unlike [`Origin`]: a record
    /// edited to be a line longer would change every later record of the
    /// file, and so their pages in an incremental build.
    pub file: PathBuf,
}

/// Latitude and longitude in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon(pub f64, pub f64);

impl std::hash::Hash for LatLon {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.0.to_bits(), self.1.to_bits()).hash(h);
    }
}

impl Provider {
    pub fn care(&self, need: CareNeed) -> Capability {
        self.care
            .iter()
            .find(|(n, _)| *n == need)
            .map_or(Capability::Unknown, |(_, c)| *c)
    }
}

/// A coordinator who consented to be listed (`publish = true`).
#[derive(Debug, Clone, Hash)]
pub struct Coordinator {
    pub id: String,
    pub name: Text,
    pub profession: Option<Text>,
    pub affiliation: Option<Text>,
    pub provider: Option<ProviderId>,
    pub areas: Vec<AreaCode>,
    pub training_year: Option<u16>,
    pub provenance: Provenance,
}

/// A glossary term (用語).
#[derive(Debug, Clone, Hash)]
pub struct Term {
    pub id: String,
    pub term: Text,
    pub kana: String,
    pub definition: Option<Text>,
    pub provenance: Provenance,
}

/// A Markdown page in one language.
#[derive(Debug, Clone, Hash)]
pub struct ContentPage {
    pub key: String,
    pub lang: Lang,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    pub sources: Vec<SourceId>,
    pub as_of: Date,
    /// Relative to [`Site::root`].
    pub file: PathBuf,
    /// Where the Markdown body starts in the file. The text itself is not
    /// kept: its HTML waits in [`Site::bodies`], or it is read again to be
    /// rendered ([`crate::load::read_page`]).
    pub body_offset: usize,
    pub outline: crate::markdown::Outline,
    /// Where the body's HTML is in [`Site::bodies`], if it is there.
    pub body: Option<crate::markdown::BodyRef>,
}

/// A template file's name and text.
#[derive(Debug, Clone, Hash)]
pub struct Template {
    pub name: String,
    pub path: PathBuf,
    pub text: String,
}

/// The whole validated site.
#[derive(Debug, Clone)]
pub struct Site {
    /// The project directory.
    pub root: PathBuf,
    pub config: Config,
    pub sources: BTreeMap<SourceId, Source>,
    /// Sorted by code.
    pub areas: Vec<Area>,
    pub hubs: Vec<Hub>,
    pub councils: Vec<Council>,
    pub aggregates: Vec<CoordinatorAggregate>,
    /// Registry of providers, sorted by id. Private records are not here.
    pub providers: Vec<Provider>,
    /// Individual coordinators who consented (`publish = true`), sorted by id.
    pub coordinators: Vec<Coordinator>,
    pub glossary: Vec<Term>,
    /// The latest accessibility test (`data/accessibility.toml`), if any.
    pub accessibility: Option<AccessibilityRun>,
    /// Postcodes of the site's areas (`data/postcodes/`), sorted by code.
    pub postcodes: Vec<Postcode>,
    pub pages: Vec<ContentPage>,
    /// The pages' bodies, made when they were loaded.
    pub bodies: Option<std::sync::Arc<crate::markdown::Bodies>>,
    /// UI strings per language.
    pub strings: BTreeMap<Lang, BTreeMap<String, String>>,
    pub templates: Vec<Template>,
    pub assets: Vec<(PathBuf, Vec<u8>)>,
    /// The data's readings, for furigana on easy pages (see [`readings`]).
    pub readings: Readings,
    /// Built on first use from `areas` and `hubs`.
    pub(crate) index: std::sync::OnceLock<AreaIndex>,
    /// What validation found that is not an error (an `as_of` date in the
    /// future: a source may state a planned date), reported by `check`.
    pub warnings: Vec<crate::diag::Diagnostic>,
}

/// The areas directly inside each area, and the hub covering each area, as
/// indexes into `Site::areas` and `Site::hubs`: asked for every area page
/// of a national site (1,961 areas, 393 hubs), so not found by scanning.
#[derive(Debug, Clone, Default)]
pub(crate) struct AreaIndex {
    children: std::collections::HashMap<AreaCode, Vec<usize>>,
    hubs: std::collections::HashMap<AreaCode, usize>,
}

/// The readings the data gives, for furigana on easy pages: area names,
/// glossary terms and provider names with a `kana` (never a guessed one).
pub fn readings(areas: &[Area], glossary: &[Term], providers: &[Provider]) -> Readings {
    let areas = areas.iter().map(|a| (a.name.ja.as_str(), a.kana.as_str()));
    let terms = glossary
        .iter()
        .map(|t| (t.term.ja.as_str(), t.kana.as_str()));
    let providers = providers
        .iter()
        .filter_map(|p| Some((p.name.ja.as_str(), p.kana.as_deref()?)));
    Readings::new(areas.chain(terms).chain(providers))
}

impl Site {
    /// The title of the Markdown page `key` in `lang`; an easy page without
    /// its own file takes the Japanese title.
    pub fn page_title(&self, key: &str, lang: Lang) -> Option<String> {
        let find = |l: Lang| self.pages.iter().find(|p| p.key == key && p.lang == l);
        find(lang)
            .or_else(|| find(lang.text_lang()))
            .map(|p| p.title.clone())
    }

    fn index(&self) -> &AreaIndex {
        self.index.get_or_init(|| {
            let mut index = AreaIndex::default();
            for (i, a) in self.areas.iter().enumerate() {
                if let Some(parent) = &a.parent {
                    index.children.entry(parent.clone()).or_default().push(i);
                }
            }
            for (i, h) in self.hubs.iter().enumerate() {
                for code in &h.areas {
                    // The first hub listing an area covers it.
                    index.hubs.entry(code.clone()).or_insert(i);
                }
            }
            index
        })
    }

    pub fn area(&self, code: &AreaCode) -> Option<&Area> {
        self.areas
            .binary_search_by(|a| a.code.cmp(code))
            .ok()
            .map(|i| &self.areas[i])
    }

    /// Areas directly inside `code`.
    pub fn children<'a>(&'a self, code: &'a AreaCode) -> impl Iterator<Item = &'a Area> + 'a {
        let children = self.index().children.get(code);
        children.into_iter().flatten().map(|&i| &self.areas[i])
    }

    /// The hub covering an area, or its city's hub for a ward's city.
    pub fn hub_for(&self, code: &AreaCode) -> Option<&Hub> {
        self.index().hubs.get(code).map(|&i| &self.hubs[i])
    }

    /// An area's parents, nearest first: a ward's city, then its prefecture.
    pub fn ancestors<'a>(&'a self, area: &'a Area) -> impl Iterator<Item = &'a Area> + 'a {
        std::iter::successors(area.parent.as_ref().and_then(|p| self.area(p)), |a| {
            a.parent.as_ref().and_then(|p| self.area(p))
        })
    }

    /// The prefecture an area belongs to (itself for a prefecture).
    pub fn prefecture_of<'a>(&'a self, area: &'a Area) -> &'a Area {
        self.ancestors(area).last().unwrap_or(area)
    }

    /// The latest 協議の場 status of every municipality a council file has
    /// (the first council that has it), built once for all area pages.
    pub fn council_statuses(&self) -> BTreeMap<&AreaCode, &StatusEntry> {
        let mut statuses = BTreeMap::new();
        for s in self.councils.iter().flat_map(|c| c.latest()) {
            statuses.entry(&s.area).or_insert(s);
        }
        statuses
    }
}

/// Check digit of a 5-digit local-government code: digits × (6,5,4,3,2),
/// sum mod 11, check = last digit of (11 − remainder).
pub fn area_check_digit(first5: &str) -> Option<u32> {
    if first5.len() != 5 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first5.chars().zip([6, 5, 4, 3, 2]) {
        sum += c.to_digit(10)? * w;
    }
    Some((11 - sum % 11) % 10)
}

#[cfg(test)]
mod tests {
    use super::area_check_digit;

    #[test]
    fn check_digits_of_known_codes() {
        assert_eq!(area_check_digit("14100"), Some(3)); // 横浜市 141003
        assert_eq!(area_check_digit("01100"), Some(2)); // 札幌市 011002
        assert_eq!(area_check_digit("14204"), Some(2)); // 鎌倉市 142042
        assert_eq!(area_check_digit("14000"), Some(7)); // 神奈川県 140007
        assert_eq!(area_check_digit("1410a"), None);
    }
}
