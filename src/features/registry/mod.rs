//! The registry (資源の台帳): providers that serve children and adults who need
//! medical care, the coordinator hubs, and coordinators.
//!
//! Pages (both languages): the registry index with a care-needs filter (static
//! links per need, enhanced by `assets/registry.js`), one page per provider,
//! lists by kind and by care need, and the providers of each area on the area
//! pages. Open data: `hubs`, `providers`, `coordinator-aggregates` (and
//! `coordinators` when someone consented to be listed). The column names are
//! shared with `tsunagu import` ([`crate::commands::import`]), so an exported CSV can be
//! edited in Excel and imported back.
//!
//! Private records and fields never get here: `validate` drops them.
//!
//! - `columns`: the CSV columns and a hub's or provider's row;
//! - `datasets`: the open-data datasets;
//! - `lists`: where providers are ([`Places`]), what pages read of them
//!   ([`ModelHashes`]) and lists split by prefecture;
//! - `provider`: a provider's page, card and list entry;
//! - `pages`: the registry's own pages;
//! - `area`: the providers on each area page;
//! - `check`: gaps and stale records, for `tsunagu check`.

mod area;
mod check;
mod columns;
mod datasets;
mod lists;
mod pages;
mod provider;
#[cfg(test)]
mod test_site;

pub use area::decorate_area_pages;
pub use check::{gaps, stale};
pub use columns::{DERIVED, col, hub_columns, hub_row, provider_columns, provider_row};
pub use datasets::datasets;
pub use lists::{LIST_LIMIT, ModelHashes, Places};
pub use pages::pages;

use crate::lang::Lang;
use crate::model::{AgeGroup, CareNeed, Provider, ProviderKind};
use crate::render::TemplateData;
use crate::render::{PageDef, ProvenanceCtx};

/// Key of the registry index page.
pub const KEY: &str = "registry";

/// UI strings the registry uses; [`strings`] lists them for validate.
pub const STRINGS: &[&str] = &[
    "registry_title",
    "registry_intro",
    "registry_legend",
    "registry_by_care",
    "registry_by_kind",
    "registry_by_area",
    "registry_by_prefecture",
    "registry_by_prefecture_note",
    "registry_all",
    "registry_filter_legend",
    "registry_filter_unknown",
    "registry_filter_hint",
    "registry_filter_status",
    "registry_empty",
    "registry_care_yes_heading",
    "registry_care_unknown_heading",
    "registry_care_no_heading",
    "registry_care_none_yes",
    "registry_care_unknown_note",
    "registry_care_title",
    "registry_kind_title",
    "registry_ages",
    "registry_care_heading",
    "registry_kind",
    "registry_areas_served",
    "registry_role",
    "registry_note",
    "registry_kana",
    "registry_postcode",
    "registry_url",
    "registry_serves_all_of",
    "registry_coordinators",
    "registry_profession",
    "registry_affiliation",
    "registry_training_year",
    "registry_open_data",
    "registry_providers_link",
    "registry_contact_unknown_detail",
    "cap_yes",
    "cap_no",
    "cap_unknown",
];

/// Every UI string the registry needs (the kind, care and age labels too),
/// for validate to require in both languages.
pub fn strings() -> Vec<String> {
    let mut keys: Vec<String> = STRINGS.iter().map(|k| (*k).to_string()).collect();
    keys.extend(ProviderKind::ALL.iter().map(|k| kind_string(*k)));
    keys.extend(CareNeed::ALL.iter().map(|n| care_string(*n)));
    keys.extend(AgeGroup::ALL.iter().map(|g| format!("age_{}", g.key())));
    keys
}

/// The UI string naming a provider kind.
fn kind_string(kind: ProviderKind) -> String {
    format!("provider_kind_{}", kind.key())
}

/// The UI string naming a care need.
fn care_string(need: CareNeed) -> String {
    format!("care_{}", need.key())
}

/// Key of a provider's page.
fn provider_key(p: &Provider) -> String {
    crate::render::links::provider_key(&p.id)
}

/// Key of the list of one kind of provider.
fn kind_page_key(kind: ProviderKind) -> String {
    format!("{KEY}/kinds/{}", kind.key().replace('_', "-"))
}

/// Key of the list of providers by one care need.
fn care_page_key(need: CareNeed) -> String {
    format!("{KEY}/care/{}", need.key().replace('_', "-"))
}

/// A registry page with its data whole (a list's pages add a fill).
fn def(
    lang: Lang,
    key: String,
    template: &'static str,
    title: String,
    crumbs: Vec<(String, String)>,
    prov: Vec<ProvenanceCtx>,
    body: TemplateData,
) -> PageDef<'static> {
    PageDef {
        key,
        lang,
        template,
        title,
        description: None,
        crumbs,
        provenance: prov,
        body,
        fill: None,
    }
}
