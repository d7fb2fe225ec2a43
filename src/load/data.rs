//! Data files under `data/` as written. Field docs are the data format's docs.

use super::RawText;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// `data/sources.toml`: the public documents facts come from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSourcesFile {
    #[serde(default)]
    pub source: Vec<RawSource>,
}

#[derive(Debug, Deserialize)]
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAreasFile {
    #[serde(default)]
    pub area: Vec<RawArea>,
}

#[derive(Debug, Deserialize)]
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

/// What kind of local government an area is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    Prefecture,
    DesignatedCity,
    City,
    /// 東京都の特別区 (e.g. 千代田区): a municipality of its own.
    SpecialWard,
    /// A ward of a designated city (e.g. 横浜市港北区).
    Ward,
    Town,
    Village,
}

/// `data/hubs/*.toml`: coordinator hubs (コーディネーター拠点).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHubsFile {
    #[serde(default)]
    pub hub: Vec<RawHub>,
}

#[derive(Debug, Deserialize)]
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
}

/// Contact routes; each absent key is unknown.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    pub phone: Option<Spanned<String>>,
    pub fax: Option<Spanned<String>>,
    pub email: Option<Spanned<String>>,
    pub form_url: Option<Spanned<String>>,
    pub hours: Option<Spanned<RawText>>,
}

/// `data/councils/*.toml`: 協議の場 status per municipality of one prefecture.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCouncilFile {
    /// The prefecture's area code.
    pub prefecture: Spanned<String>,
    #[serde(default)]
    pub published_total: Vec<RawPublishedTotal>,
    #[serde(default)]
    pub status: Vec<RawStatus>,
}

/// Totals per status as a source publishes them.
#[derive(Debug, Deserialize)]
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

#[derive(Debug, Deserialize)]
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

/// Where a municipality stands on its 協議の場.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CouncilStatus {
    Alone,
    Joint,
    NotSet,
    Unknown,
}

/// `data/coordinators/*.toml`: published aggregates of trained coordinators.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoordinatorsFile {
    #[serde(default)]
    pub aggregate: Vec<RawAggregate>,
}

#[derive(Debug, Deserialize)]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreakdown {
    pub dimension: Spanned<Dimension>,
    #[serde(default)]
    pub row: Vec<RawCountRow>,
}

/// What a breakdown of coordinators counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Profession,
    Affiliation,
    Area,
    TrainingYear,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCountRow {
    pub label: Spanned<RawText>,
    pub count: u32,
}

/// `data/glossary.toml`: terms of the field, ja ↔ en.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGlossaryFile {
    #[serde(default)]
    pub term: Vec<RawTerm>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub id: Spanned<String>,
    pub term: Spanned<RawText>,
    pub kana: Spanned<String>,
    pub definition: Option<Spanned<RawText>>,
    pub source: Spanned<String>,
    pub as_of: Spanned<String>,
}

/// `templates/i18n/<lang>.toml`: UI strings, one table per language.
pub type RawStrings = BTreeMap<Spanned<String>, Spanned<String>>;
