//! Finding your coordinator: the area list (works without JavaScript), one
//! page per area and per hub, and the static search index the finder script
//! filters as a family types; postcodes and town names in [`postcodes`].

pub mod postcodes;

use crate::lang::kana::to_romaji;
use crate::lang::{Lang, opt};
use crate::model::{Area, AreaCode, AreaKind, Hub, Site, StatusEntry};
use crate::render::TemplateData;
use crate::render::json_ld::{self, Node};
use crate::render::links::{
    AREAS_KEY, ContactCtx, HUBS_KEY, LinkCtx, area_key, area_link, council_key, full_name, hub_key,
    sorted,
};
use crate::render::{
    Artifact, Fill, PageDef, ProvenanceCtx, page_path, provenance, push_provenance, ui,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// Site-relative path of the search index.
pub const INDEX_PATH: &str = "finder.json";

fn contact(hub: &Hub, lang: Lang) -> ContactCtx {
    ContactCtx::new(&hub.contact, hub.ask_instead.as_ref(), lang)
}

/// What every hub view shows.
#[derive(Serialize)]
pub struct HubCtx {
    pub id: String,
    pub name: String,
    pub path: String,
    pub areas: Vec<LinkCtx>,
    pub started: Option<String>,
    pub setting: Option<String>,
    pub staff: Option<String>,
    pub operator: Option<String>,
    pub address: Option<String>,
    pub contact: ContactCtx,
    pub last_verified: Option<String>,
}

pub fn hub_ctx(site: &Site, hub: &Hub, lang: Lang) -> HubCtx {
    HubCtx {
        id: hub.id.to_string(),
        name: hub.name.str(lang).to_string(),
        path: page_path(lang, &hub_key(hub)),
        areas: hub
            .areas
            .iter()
            .filter_map(|c| site.area(c))
            .map(|a| area_link(site, a, lang))
            .collect(),
        started: hub.started.map(|d| d.display(lang)),
        setting: opt(&hub.setting, lang),
        staff: opt(&hub.staff, lang),
        operator: opt(&hub.operator, lang),
        address: opt(&hub.address, lang),
        contact: contact(hub, lang),
        last_verified: hub.provenance.last_verified.map(|d| d.display(lang)),
    }
}

/// A hub as a schema.org `GovernmentService` for `areas` (its own, on
/// its page; the one area, on an area page). Its `@id` is on the hub's
/// page, so both pages name the same service.
fn hub_service(site: &Site, hub: &Hub, areas: &[&Area], lang: Lang) -> serde_json::Value {
    let c = &hub.contact;
    let place = hub
        .address
        .as_ref()
        .map(|a| Node::new("Place").set("address", a.str(lang)).value());
    let channel = Node::new("ServiceChannel")
        .opt("servicePhone", json_ld::contact_point(c, lang))
        .opt("serviceUrl", c.form_url.clone())
        .opt("serviceLocation", place);
    let operator = hub
        .operator
        .as_ref()
        .map(|o| Node::new("Organization").set("name", o.str(lang)).value());
    Node::new("GovernmentService")
        .set(
            "@id",
            format!("{}#service", json_ld::url(site, lang, &hub_key(hub))),
        )
        .set("name", hub.name.str(lang))
        .set(
            "areaServed",
            areas
                .iter()
                .map(|a| json_ld::administrative_area(site, a, lang))
                .collect::<Vec<_>>(),
        )
        .opt("serviceOperator", operator)
        .opt(
            "availableChannel",
            (!channel.is_bare()).then(|| channel.value()),
        )
        .set(
            "audience",
            Node::new("Audience")
                .set("audienceType", ui(site, lang, "service_audience"))
                .value(),
        )
        .value()
}

/// An area page's main entity: the service of the hub covering it, or,
/// when no hub is listed, the area itself.
fn area_entity(site: &Site, area: &Area, hub: Option<&Hub>, lang: Lang) -> serde_json::Value {
    match hub {
        Some(h) => hub_service(site, h, &[area], lang),
        None => json_ld::administrative_area(site, area, lang),
    }
}

/// A 協議の場 status as shown on an area page.
#[derive(Serialize)]
struct CouncilCtx {
    status: &'static str,
    as_of: String,
    path: String,
}

#[derive(Serialize)]
struct ChildCtx {
    name: String,
    path: String,
    hub: Option<String>,
}

#[derive(Serialize)]
struct AreaCtx {
    code: String,
    name: String,
    kind: &'static str,
    hub: Option<HubCtx>,
    children: Vec<ChildCtx>,
    council: Option<CouncilCtx>,
    prefecture: String,
}

/// The 五十音 row (あ, か, さ, …) of a reading, or the initial letter in English.
fn group_label(area: &Area, lang: Lang) -> String {
    match lang {
        Lang::En => area
            .name
            .en
            .chars()
            .next()
            .map(|c| c.to_ascii_uppercase().to_string())
            .unwrap_or_default(),
        Lang::Ja | Lang::Easy => {
            const ROWS: [(&str, &str); 10] = [
                ("あ", "ぁあぃいぅうぇえぉおゔ"),
                ("か", "かがきぎくぐけげこご"),
                ("さ", "さざしじすずせぜそぞ"),
                ("た", "ただちぢっつづてでとど"),
                ("な", "なにぬねの"),
                ("は", "はばぱひびぴふぶぷへべぺほぼぽ"),
                ("ま", "まみむめも"),
                ("や", "ゃやゅゆょよ"),
                ("ら", "らりるれろ"),
                ("わ", "ゎわゐゑをん"),
            ];
            let first = area.kana.chars().next().unwrap_or('あ');
            ROWS.iter()
                .find(|(_, members)| members.contains(first))
                .map_or("あ", |(row, _)| row)
                .to_string()
        }
    }
}

#[derive(Serialize)]
struct ListEntry {
    name: String,
    path: String,
    hub: Option<String>,
    wards: Vec<ListEntry>,
}

#[derive(Serialize)]
struct ListGroup {
    label: String,
    id: String,
    entries: Vec<ListEntry>,
}

#[derive(Serialize)]
struct PrefectureList {
    name: String,
    path: String,
    id: String,
    groups: Vec<ListGroup>,
}

fn list_entry(site: &Site, area: &Area, lang: Lang) -> ListEntry {
    let wards = sorted(site.children(&area.code).collect(), lang)
        .into_iter()
        .map(|w| list_entry(site, w, lang))
        .collect();
    ListEntry {
        name: area.name.str(lang).to_string(),
        path: page_path(lang, &area_key(&area.code)),
        hub: site
            .hub_for(&area.code)
            .map(|h| h.name.str(lang).to_string()),
        wards,
    }
}

fn area_list(site: &Site, lang: Lang) -> Vec<PrefectureList> {
    let prefectures = sorted(
        site.areas
            .iter()
            .filter(|a| a.kind == AreaKind::Prefecture)
            .collect(),
        lang,
    );
    prefectures
        .into_iter()
        .map(|pref| {
            let mut groups: Vec<ListGroup> = Vec::new();
            for m in sorted(site.children(&pref.code).collect(), lang) {
                let label = group_label(m, lang);
                if groups.last().is_none_or(|g| g.label != label) {
                    groups.push(ListGroup {
                        id: format!("{}-{label}", pref.code),
                        label,
                        entries: Vec::new(),
                    });
                }
                if let Some(g) = groups.last_mut() {
                    g.entries.push(list_entry(site, m, lang));
                }
            }
            PrefectureList {
                name: pref.name.str(lang).to_string(),
                path: page_path(lang, &area_key(&pref.code)),
                id: format!("pref-{}", pref.code),
                groups,
            }
        })
        .collect()
}

/// The area list, every area page, the hub list and every hub page.
/// `model` is a hash of the model without its providers
/// (the registry's `ModelHashes::rest`, passed in by the pipeline).
pub fn pages(site: &Site, lang: Lang, model: u64) -> Vec<PageDef<'_>> {
    let mut defs = vec![areas_page(site, lang)];
    defs.extend(postcodes::pages(site, lang));
    let statuses = site.council_statuses();
    let mut towns = postcodes::towns_by_area(site, lang);
    for area in &site.areas {
        let towns = towns.remove(&area.code).unwrap_or_default();
        defs.push(area_page(site, lang, model, area, &statuses, towns));
    }
    defs.extend(hub_pages(site, lang));
    defs
}

/// The list of every area, by prefecture.
fn areas_page(site: &Site, lang: Lang) -> PageDef<'static> {
    let mut prov_all: Vec<ProvenanceCtx> = Vec::new();
    for a in &site.areas {
        push_provenance(&mut prov_all, provenance(site, &a.provenance, lang));
    }
    let mut body = TemplateData::new();
    body.insert("prefectures", &area_list(site, lang));
    body.insert("index_path", INDEX_PATH);
    body.insert("postcode_prefixes", &postcodes::prefix_links(site, lang));
    body.insert("coverage", &postcodes::coverage(site, lang));
    PageDef {
        key: AREAS_KEY.into(),
        lang,
        template: "areas.html",
        title: ui(site, lang, "areas_title"),
        description: None,
        crumbs: Vec::new(),
        provenance: prov_all,
        body,
        fill: None,
    }
}

/// An area's page: its hub, council status and child areas, its data
/// made when rendered (`model` hashes everything that data reads).
fn area_page<'a>(
    site: &'a Site,
    lang: Lang,
    model: u64,
    area: &'a Area,
    statuses: &BTreeMap<&AreaCode, &'a StatusEntry>,
    towns: Vec<postcodes::TownCtx>,
) -> PageDef<'a> {
    let mut prov = vec![provenance(site, &area.provenance, lang)];
    let hub = site.hub_for(&area.code);
    for p in hub.iter().flat_map(|h| h.provenances()) {
        push_provenance(&mut prov, provenance(site, p, lang));
    }
    let council_area = match area.kind {
        AreaKind::Ward => area.parent.clone(),
        _ => Some(area.code.clone()),
    };
    let status = council_area.as_ref().and_then(|c| statuses.get(c).copied());
    if let Some(s) = status {
        push_provenance(&mut prov, provenance(site, &s.provenance, lang));
    }
    let mut crumbs = vec![(ui(site, lang, "areas_title"), AREAS_KEY.to_string())];
    let chain: Vec<_> = site
        .ancestors(area)
        .map(|a| (a.name.str(lang).to_string(), area_key(&a.code)))
        .collect();
    crumbs.extend(chain.into_iter().rev());
    let towns_memo = crate::hash::of(&towns);
    // The page's data is made when it is rendered: 3,922 area pages
    // nationally. It reads areas, hubs and councils, all in `model`.
    let run = move |body: &mut TemplateData| {
        let council = status.map(|s| {
            let pref = site
                .area(&s.area)
                .map(|a| site.prefecture_of(a).code.clone())
                .unwrap_or_else(|| s.area.clone());
            CouncilCtx {
                status: s.status.key(),
                as_of: s.provenance.as_of.display(lang),
                path: page_path(lang, &council_key(&pref)),
            }
        });
        let children = sorted(site.children(&area.code).collect(), lang)
            .into_iter()
            .map(|c| ChildCtx {
                name: c.name.str(lang).to_string(),
                path: page_path(lang, &area_key(&c.code)),
                hub: site.hub_for(&c.code).map(|h| h.name.str(lang).to_string()),
            })
            .collect();
        body.insert(
            "area",
            &AreaCtx {
                code: area.code.to_string(),
                name: full_name(site, area, lang),
                kind: area.kind.key(),
                hub: hub.map(|h| hub_ctx(site, h, lang)),
                children,
                council,
                prefecture: site.prefecture_of(area).name.str(lang).to_string(),
            },
        );
        body.insert("coordinator_path", &page_path(lang, "coordinator-role"));
        body.insert("towns", &towns);
        json_ld::put_entity(body, area_entity(site, area, hub, lang));
        Ok(())
    };
    PageDef {
        key: area_key(&area.code),
        lang,
        template: "area.html",
        title: full_name(site, area, lang),
        description: None,
        crumbs,
        provenance: prov,
        body: TemplateData::new(),
        fill: Some(Fill {
            run: Box::new(run),
            // Postcodes are not in `model`: the towns shown are hashed here.
            memo: Some(crate::hash::of(&(model, lang, &area.code, towns_memo))),
        }),
    }
}

/// The list of hubs and each hub's page.
fn hub_pages(site: &Site, lang: Lang) -> Vec<PageDef<'static>> {
    let mut defs = Vec::new();
    let mut hub_prov = Vec::new();
    let hubs: Vec<HubCtx> = site
        .hubs
        .iter()
        .map(|h| {
            for p in h.provenances() {
                push_provenance(&mut hub_prov, provenance(site, p, lang));
            }
            hub_ctx(site, h, lang)
        })
        .collect();
    let mut body = TemplateData::new();
    body.insert("hubs", &hubs);
    defs.push(PageDef {
        key: HUBS_KEY.into(),
        lang,
        template: "hubs.html",
        title: ui(site, lang, "hubs_title"),
        description: None,
        crumbs: Vec::new(),
        provenance: hub_prov,
        body,
        fill: None,
    });
    for (hub, ctx) in site.hubs.iter().zip(hubs) {
        let mut body = TemplateData::new();
        body.insert("hub", &ctx);
        let areas: Vec<&Area> = hub.areas.iter().filter_map(|c| site.area(c)).collect();
        json_ld::put_entity(&mut body, hub_service(site, hub, &areas, lang));
        defs.push(PageDef {
            key: hub_key(hub),
            lang,
            template: "hub.html",
            title: hub.name.str(lang).to_string(),
            description: None,
            crumbs: vec![(ui(site, lang, "hubs_title"), HUBS_KEY.into())],
            provenance: hub
                .provenances()
                .map(|p| provenance(site, p, lang))
                .collect(),
            body,
            fill: None,
        });
    }
    defs
}

/// One area in the search index. Short keys keep the file small.
#[derive(Serialize)]
struct IndexEntry<'a> {
    /// Page path below the language directory.
    u: String,
    /// Names [ja, en], with the city for wards.
    n: [String; 2],
    /// Hiragana reading.
    k: &'a str,
    /// Hepburn romaji of the reading.
    r: String,
    /// Hub names [ja, en], or null.
    h: Option<[&'a str; 2]>,
}

/// The search index: every area with its names, reading, romaji and hub.
pub fn files(site: &Site) -> Vec<Artifact> {
    let entries: Vec<IndexEntry> = sorted(site.areas.iter().collect(), Lang::Ja)
        .into_iter()
        .map(|a| {
            let city_kana = match a.kind {
                AreaKind::Ward => a
                    .parent
                    .as_ref()
                    .and_then(|p| site.area(p))
                    .map(|c| c.kana.as_str())
                    .unwrap_or(""),
                _ => "",
            };
            IndexEntry {
                u: format!("{}/", area_key(&a.code)),
                n: [full_name(site, a, Lang::Ja), full_name(site, a, Lang::En)],
                k: &a.kana,
                r: to_romaji(&format!("{city_kana} {}", a.kana))
                    .trim()
                    .to_string(),
                h: site
                    .hub_for(&a.code)
                    .map(|h| [h.name.ja.as_str(), h.name.en.as_str()]),
            }
        })
        .collect();
    let json = serde_json::to_vec(&entries).unwrap_or_default();
    let mut files = vec![Artifact {
        path: INDEX_PATH.into(),
        bytes: json,
    }];
    files.extend(postcodes::files(site));
    files
}
