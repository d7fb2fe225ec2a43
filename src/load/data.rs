//! Data files under `data/` as written. Field docs are the data format's docs.

use super::RawText;
use super::Spanned;
use crate::model::vocab::{
    AgeGroup, AreaKind, Capability, CareNeed, CouncilStatus, Dimension, ProviderKind,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `data/sources.toml`: the public documents facts come from.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSourcesFile {
    #[serde(default)]
    pub source: Vec<RawSource>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Unique id, referenced by records' `source`.
    pub id: Spanned<String>,
    /// The document's own title.
    pub title: Spanned<RawText>,
    pub publisher: Spanned<RawText>,
    /// Publication date, only when the document states it.
    pub published: Option<Spanned<String>>,
    /// Where to read it, only when known.
    pub url: Option<Spanned<String>>,
    pub note: Option<Spanned<RawText>>,
}

/// `data/areas/*.toml`: prefectures, municipalities and wards.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAreasFile {
    #[serde(default)]
    pub area: Vec<RawArea>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawArea {
    /// 6-digit 全国地方公共団体コード including its check digit.
    pub code: Spanned<String>,
    pub kind: Spanned<AreaKind>,
    pub name: Spanned<RawText>,
    /// Hiragana reading of the Japanese name.
    pub kana: Spanned<String>,
    /// Code of the containing area; absent only for prefectures.
    pub parent: Option<Spanned<String>>,
    pub source: Spanned<String>,
    pub as_of: Spanned<String>,
}

/// `data/hubs/*.toml`: coordinator hubs (コーディネーター拠点).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHubsFile {
    #[serde(default)]
    pub hub: Vec<RawHub>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHub {
    pub id: Spanned<String>,
    pub name: Spanned<RawText>,
    /// Codes of the areas the hub covers.
    pub areas: Spanned<Vec<Spanned<String>>>,
    /// The date the hub started work.
    pub started: Option<Spanned<String>>,
    /// Where the hub sits, as the source describes it.
    pub setting: Option<Spanned<RawText>>,
    /// Who the coordinators are, as the source describes them.
    pub staff: Option<Spanned<RawText>>,
    pub operator: Option<Spanned<RawText>>,
    pub address: Option<Spanned<RawText>>,
    /// Where a family can ask while the contact is not listed.
    pub ask_instead: Option<Spanned<RawText>>,
    #[serde(default)]
    pub contact: RawContact,
    pub source: Spanned<String>,
    pub as_of: Spanned<String>,
    pub last_verified: Spanned<String>,
    /// The whole record is kept out of the site (validated, never published).
    #[serde(default)]
    pub private: bool,
    /// Fields kept out of the site, by key (e.g. `"contact.phone"`).
    #[serde(default)]
    pub private_fields: Vec<Spanned<String>>,
}

/// Contact routes; each absent key is unknown.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    pub phone: Option<Spanned<String>>,
    pub fax: Option<Spanned<String>>,
    pub email: Option<Spanned<String>>,
    pub form_url: Option<Spanned<String>>,
    pub hours: Option<Spanned<RawText>>,
    /// A hub contact's own source and as-of, when its routes come from a
    /// later document than the record (e.g. filled in by `import gaps`).
    pub source: Option<Spanned<String>>,
    pub as_of: Option<Spanned<String>>,
}

/// `data/councils/*.toml`: 協議の場 status per municipality of one prefecture.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCouncilFile {
    /// The prefecture's area code.
    pub prefecture: Spanned<String>,
    #[serde(default)]
    pub published_total: Vec<RawPublishedTotal>,
    #[serde(default)]
    pub status: Vec<RawStatus>,
    /// Tile-grid map layout: one cell per municipality.
    #[serde(default)]
    pub tile: Vec<RawTile>,
}

/// A municipality's cell in the tile-grid map (used when the prefecture has
/// no boundary file `data/boundaries/<prefecture>.geojson`).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTile {
    pub area: Spanned<String>,
    /// 1-based row, from the north.
    pub row: Spanned<u32>,
    /// 1-based column, from the west.
    pub col: Spanned<u32>,
}

/// Totals per status as a source publishes them.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPublishedTotal {
    pub as_of: Spanned<String>,
    /// 単独で設置: set up by the municipality alone.
    pub alone: u32,
    /// 圏域で設置: set up jointly across a 圏域.
    pub joint: u32,
    /// 未設置: not set up.
    pub not_set: u32,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatus {
    pub area: Spanned<String>,
    pub as_of: Spanned<String>,
    pub status: CouncilStatus,
    /// Partner municipalities of a joint council.
    #[serde(default)]
    pub partners: Vec<Spanned<String>>,
    pub source: Spanned<String>,
}

/// `data/coordinators/*.toml`: published aggregates of trained coordinators.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoordinatorsFile {
    #[serde(default)]
    pub aggregate: Vec<RawAggregate>,
    /// Individual coordinators; published only with `publish = true`.
    #[serde(default)]
    pub coordinator: Vec<RawCoordinator>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAggregate {
    pub id: Spanned<String>,
    /// Code of the area the counts cover.
    pub scope: Spanned<String>,
    pub title: Spanned<RawText>,
    pub total: Spanned<u32>,
    pub source: Spanned<String>,
    pub as_of: Spanned<String>,
    pub note: Option<Spanned<RawText>>,
    #[serde(default)]
    pub breakdown: Vec<RawBreakdown>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreakdown {
    pub dimension: Spanned<Dimension>,
    #[serde(default)]
    pub row: Vec<RawCountRow>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCountRow {
    pub label: Spanned<RawText>,
    pub count: u32,
}

/// `data/glossary.toml`: terms of the field, ja ↔ en.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawGlossaryFile {
    #[serde(default)]
    pub term: Vec<RawTerm>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub id: Spanned<String>,
    pub term: Spanned<RawText>,
    pub kana: Spanned<String>,
    pub definition: Option<Spanned<RawText>>,
    pub source: Spanned<String>,
    pub as_of: Spanned<String>,
}

/// `data/accessibility.toml`: the latest accessibility test of the site,
/// written by the e2e harness (`tests/e2e/check.mjs --results`), shown on
/// the accessibility page (アクセシビリティ方針と試験結果).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccessibility {
    /// The run's date, YYYY-MM-DD.
    pub date: Spanned<String>,
    pub tool: Spanned<String>,
    pub version: Spanned<String>,
    pub browser: Spanned<String>,
    /// Window widths axe ran at, in CSS pixels.
    pub widths: Vec<u32>,
    /// The axe tags run (`wcag2a`, `wcag22aa`, …).
    pub tags: Vec<String>,
    /// The WCAG success criteria the run's rules test.
    pub criteria: Vec<RawCriterion>,
    /// Every page checked, as a site path (`/ja/areas/`).
    pub pages: Vec<Spanned<String>>,
    /// The pages with a violation.
    #[serde(default)]
    pub failure: Vec<RawA11yFailure>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCriterion {
    /// A WCAG success criterion's number, `1.4.3`.
    pub id: Spanned<String>,
    /// `A` or `AA`.
    pub level: Spanned<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawA11yFailure {
    pub path: Spanned<String>,
    /// The criteria with a violation on this page.
    pub criteria: Vec<Spanned<String>>,
    /// The axe rules that found them.
    pub rules: Vec<Spanned<String>>,
}

/// `templates/i18n/<lang>.toml`: UI strings, one table per language.
pub type RawStrings = BTreeMap<Spanned<String>, Spanned<String>>;

/// An individual coordinator. Published only when `publish = true` (the
/// person's consent); otherwise validated and kept out of the site.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoordinator {
    pub id: Spanned<String>,
    pub name: Spanned<RawText>,
    /// Consent to publish this entry. Absent = not published.
    #[serde(default)]
    pub publish: bool,
    pub profession: Option<Spanned<RawText>>,
    pub affiliation: Option<Spanned<RawText>>,
    /// Id of the provider (data/providers) the coordinator works at.
    pub provider: Option<Spanned<String>>,
    /// Codes of the areas the coordinator works in.
    #[serde(default)]
    pub areas: Vec<Spanned<String>>,
    /// Fiscal year the training was completed.
    pub training_year: Option<Spanned<u16>>,
    pub source: Spanned<String>,
    pub as_of: Spanned<String>,
    pub last_verified: Option<Spanned<String>>,
    /// Fields kept out of the site even when published.
    #[serde(default)]
    pub private_fields: Vec<Spanned<String>>,
}

/// `data/providers/*.toml`: organisations that serve children and adults who
/// need medical care (訪問看護, 短期入所, 相談支援, …).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvidersFile {
    #[serde(default)]
    pub provider: Vec<RawProvider>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub id: Spanned<String>,
    pub name: Spanned<RawText>,
    /// Reading of the Japanese name in full-width katakana (名称_カナ).
    pub kana: Option<Spanned<String>>,
    pub kind: Spanned<ProviderKind>,
    /// Codes of the areas served (a prefecture or city code covers all of it).
    pub areas: Spanned<Vec<Spanned<String>>>,
    /// Care the provider can give: each need `yes`, `no` or `unknown`;
    /// an absent need is unknown.
    #[serde(default)]
    pub care: BTreeMap<CareNeed, Capability>,
    /// Ages served: each group `yes`, `no` or `unknown`; absent = unknown.
    #[serde(default)]
    pub ages: BTreeMap<AgeGroup, Capability>,
    pub operator: Option<Spanned<RawText>>,
    /// What the organisation does, as the source describes it.
    pub role: Option<Spanned<RawText>>,
    pub address: Option<Spanned<RawText>>,
    pub postcode: Option<Spanned<String>>,
    pub latitude: Option<Spanned<f64>>,
    pub longitude: Option<Spanned<f64>>,
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub contact: RawContact,
    pub note: Option<Spanned<RawText>>,
    pub source: Spanned<String>,
    pub as_of: Spanned<String>,
    pub last_verified: Spanned<String>,
    #[serde(default)]
    pub private: bool,
    #[serde(default)]
    pub private_fields: Vec<Spanned<String>>,
}
