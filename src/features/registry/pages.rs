//! The registry's own pages, in one language: the index (with the
//! providers by area and the coordinators who agreed to be listed), one
//! list per provider kind, one per care need, and one page per provider.

use super::lists::{ListFill, Listing, Memos, ModelHashes, Places, emit};
use super::provider::{CompactEntries, provider_ctx, provider_entity, put_list};
use super::{KEY, care_page_key, care_string, def, kind_page_key, kind_string, provider_key};
use crate::lang::{Lang, opt};
use crate::model::*;
use crate::render::TemplateData;
use crate::render::json_ld;
use crate::render::links::{LinkCtx, area_key, area_link, full_name, sorted};
use crate::render::{PageDef, PageSet, page_path, provenance, push_provenance, ui};
use serde::Serialize;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The registry index, kind pages and care-need pages; and the provider
/// pages, as a set defined when rendered. `open_data`: whether the site has
/// an open-data page to link (a new project has no dataset yet).
pub fn pages<'a>(
    site: &'a Site,
    lang: Lang,
    hashes: &ModelHashes,
    places: &Places<'a>,
    open_data: bool,
) -> (Vec<PageDef<'a>>, PageSet<'a>) {
    let title = ui(site, lang, "registry_title");
    // The same on every registry page; built once (it counts every provider).
    let base = Arc::new(base_body(site, lang, open_data));
    let registry = Registry {
        site,
        lang,
        crumbs: vec![(title.clone(), KEY.to_string())],
        memos: Memos {
            shared: crate::hash::of(&(hashes.rest, crate::hash::of_data(&*base))),
            providers: &hashes.providers,
            listed: &hashes.listed,
        },
        base,
        places,
        compact: Arc::new(CompactEntries::new(site, lang)),
    };
    let mut defs = Vec::new();
    registry.index(title, &mut defs);
    registry.kind_pages(&mut defs);
    registry.care_pages(&mut defs);
    let providers = registry.provider_pages();
    (defs, providers)
}

/// What every registry page of one language is made with.
struct Registry<'a, 'h> {
    site: &'a Site,
    lang: Lang,
    /// The index, the parent of every other registry page.
    crumbs: Vec<(String, String)>,
    /// The data every registry page has ([`base_body`]).
    base: Arc<TemplateData>,
    memos: Memos<'h>,
    places: &'h Places<'a>,
    compact: Arc<CompactEntries<'a>>,
}

#[derive(Serialize)]
struct NavItem {
    key: String,
    label: String,
    path: String,
    count: usize,
}

#[derive(Serialize)]
struct AreaGroup {
    name: String,
    path: String,
    providers: Vec<LinkCtx>,
}

#[derive(Serialize)]
struct CoordinatorCtx {
    name: String,
    profession: Option<String>,
    affiliation: Option<String>,
    provider: Option<LinkCtx>,
    areas: Vec<LinkCtx>,
    training_year: Option<u16>,
}

/// The data every registry page has: links to the index and the open data,
/// and the care-need navigation with its counts.
fn base_body(site: &Site, lang: Lang, open_data: bool) -> TemplateData {
    let mut body = TemplateData::new();
    body.insert("registry_path", &page_path(lang, KEY));
    if open_data {
        body.insert(
            "open_data_path",
            &page_path(lang, crate::render::dataset::PAGE_KEY),
        );
    }
    let care_nav: Vec<NavItem> = CareNeed::ALL
        .iter()
        .map(|&n| NavItem {
            key: n.key().into(),
            label: ui(site, lang, &care_string(n)),
            path: page_path(lang, &care_page_key(n)),
            count: site
                .providers
                .iter()
                .filter(|p| p.care(n) == Capability::Yes)
                .count(),
        })
        .collect();
    body.insert("care_nav", &care_nav);
    body
}

impl<'a> Registry<'a, '_> {
    /// Every provider, as indices into `site.providers`.
    fn all(&self) -> Vec<usize> {
        (0..self.site.providers.len()).collect()
    }

    fn emit(&self, listing: Listing<'a>, defs: &mut Vec<PageDef<'a>>) {
        emit(
            self.lang,
            &self.base,
            &self.memos,
            self.places,
            listing,
            defs,
        );
    }

    /// The index: links to the kind pages, the coordinators, and every
    /// provider as a card, grouped by area too.
    fn index(&self, title: String, defs: &mut Vec<PageDef<'a>>) {
        let (site, lang) = (self.site, self.lang);
        let mut top = TemplateData::new();
        top.insert("kinds", &self.kind_nav());
        top.insert("coordinators", &self.coordinators());
        self.emit(
            Listing {
                key: KEY.into(),
                split_key: format!("{KEY}/prefectures"),
                template: "registry.html",
                title,
                crumbs: Vec::new(),
                members: self.all(),
                top,
                fill: self.index_fill(),
                // The index's prefecture pages keep whole cards.
                compact_reads_listed: false,
            },
            defs,
        );
        // The coordinators' sources, on the index itself (not its
        // prefecture pages).
        let mut coordinator_prov = Vec::new();
        for c in &site.coordinators {
            push_provenance(&mut coordinator_prov, provenance(site, &c.provenance, lang));
        }
        if let Some(index) = defs.iter_mut().rev().find(|d| d.key == KEY) {
            for p in coordinator_prov {
                push_provenance(&mut index.provenance, p);
            }
        }
    }

    /// Links to the kind pages, for the kinds that have providers.
    fn kind_nav(&self) -> Vec<NavItem> {
        let (site, lang) = (self.site, self.lang);
        ProviderKind::ALL
            .iter()
            .map(|&k| NavItem {
                key: k.key().into(),
                label: ui(site, lang, &kind_string(k)),
                path: page_path(lang, &kind_page_key(k)),
                count: site.providers.iter().filter(|p| p.kind == k).count(),
            })
            .filter(|n| n.count > 0)
            .collect()
    }

    /// The coordinators who agreed to be listed.
    fn coordinators(&self) -> Vec<CoordinatorCtx> {
        let (site, lang) = (self.site, self.lang);
        site.coordinators
            .iter()
            .map(|k| CoordinatorCtx {
                name: k.name.str(lang).to_string(),
                profession: opt(&k.profession, lang),
                affiliation: opt(&k.affiliation, lang),
                provider: k
                    .provider
                    .as_ref()
                    .and_then(|id| site.providers.iter().find(|p| &p.id == id))
                    .map(|p| LinkCtx {
                        name: p.name.str(lang).to_string(),
                        path: page_path(lang, &provider_key(p)),
                    }),
                areas: k
                    .areas
                    .iter()
                    .filter_map(|c| site.area(c))
                    .map(|a| area_link(site, a, lang))
                    .collect(),
                training_year: k.training_year,
            })
            .collect()
    }

    /// The index's list: cards (the care filter works on them), and the
    /// same providers grouped by the areas they serve.
    fn index_fill(&self) -> ListFill<'a> {
        let (site, lang) = (self.site, self.lang);
        let by_area = Arc::clone(&self.places.by_area);
        let entries = Arc::clone(&self.compact);
        Arc::new(
            move |body: &mut TemplateData, members: &[usize], _compact: bool| {
                let set: BTreeSet<usize> = members.iter().copied().collect();
                let groups: Vec<AreaGroup> = sorted(
                    by_area
                        .iter()
                        .filter(|(_, ps)| ps.iter().any(|i| set.contains(i)))
                        .filter_map(|(c, _)| site.area(c))
                        .collect(),
                    lang,
                )
                .into_iter()
                .map(|a| AreaGroup {
                    name: full_name(site, a, lang),
                    // Prefecture pages have no providers section to jump to.
                    path: if a.kind == AreaKind::Prefecture {
                        page_path(lang, &area_key(&a.code))
                    } else {
                        format!("{}#providers-heading", page_path(lang, &area_key(&a.code)))
                    },
                    providers: by_area[&a.code]
                        .iter()
                        .filter(|i| set.contains(i))
                        .map(|&i| LinkCtx {
                            name: site.providers[i].name.str(lang).to_string(),
                            path: page_path(lang, &provider_key(&site.providers[i])),
                        })
                        .collect(),
                })
                .collect();
                put_list(&entries, body, "providers", members, false);
                body.insert("by_area", &groups);
            },
        )
    }

    /// One page per kind that has providers.
    fn kind_pages(&self, defs: &mut Vec<PageDef<'a>>) {
        let (site, lang) = (self.site, self.lang);
        for kind in ProviderKind::ALL {
            let members: Vec<usize> = (0..site.providers.len())
                .filter(|&i| site.providers[i].kind == kind)
                .collect();
            if members.is_empty() {
                continue;
            }
            let label = ui(site, lang, &kind_string(kind));
            let mut top = TemplateData::new();
            top.insert("heading", &label);
            let fill: ListFill = {
                let label = label.clone();
                let entries = Arc::clone(&self.compact);
                Arc::new(
                    move |body: &mut TemplateData, members: &[usize], compact: bool| {
                        put_list(&entries, body, "providers", members, compact);
                        body.insert("heading", &label);
                    },
                )
            };
            self.emit(
                Listing {
                    key: kind_page_key(kind),
                    split_key: kind_page_key(kind),
                    template: "registry-kind.html",
                    title: ui(site, lang, "registry_kind_title").replace("{kind}", &label),
                    crumbs: self.crumbs.clone(),
                    members,
                    top,
                    fill,
                    compact_reads_listed: true,
                },
                defs,
            );
        }
    }

    /// One page per care need: yes, unknown and no, each listed apart.
    fn care_pages(&self, defs: &mut Vec<PageDef<'a>>) {
        let (site, lang) = (self.site, self.lang);
        for n in CareNeed::ALL {
            let label = ui(site, lang, &care_string(n));
            let mut top = TemplateData::new();
            top.insert("need", n.key());
            top.insert("need_label", &label);
            let fill: ListFill = {
                let top = top.clone();
                let entries = Arc::clone(&self.compact);
                Arc::new(
                    move |body: &mut TemplateData, members: &[usize], compact: bool| {
                        let pick = |want: Capability| -> Vec<usize> {
                            members
                                .iter()
                                .copied()
                                .filter(|&i| site.providers[i].care(n) == want)
                                .collect()
                        };
                        body.extend(top.clone());
                        for (name, want) in [
                            ("yes", Capability::Yes),
                            ("unknown", Capability::Unknown),
                            ("no", Capability::No),
                        ] {
                            put_list(&entries, body, name, &pick(want), compact);
                        }
                    },
                )
            };
            self.emit(
                Listing {
                    key: care_page_key(n),
                    split_key: care_page_key(n),
                    template: "registry-care.html",
                    title: ui(site, lang, "registry_care_title").replace("{need}", &label),
                    crumbs: self.crumbs.clone(),
                    members: self.all(),
                    top,
                    fill,
                    compact_reads_listed: true,
                },
                defs,
            );
        }
    }

    /// One page per provider, defined when it is rendered.
    fn provider_pages(self) -> PageSet<'a> {
        let Registry {
            site,
            lang,
            crumbs,
            base,
            memos,
            places,
            ..
        } = self;
        let memos = memos
            .providers
            .iter()
            .map(|provider| {
                let mut h = crate::hash::hasher();
                (memos.shared, provider).hash(&mut h);
                h.finish()
            })
            .collect();
        let provs = Arc::clone(&places.provenances[lang.text_lang() as usize]);
        PageSet {
            lang,
            template: "provider.html",
            keys: site.providers.iter().map(provider_key).collect(),
            memos,
            dates: (0..site.providers.len())
                .map(|i| provs.ctx[provs.of[i]].date.clone())
                .collect(),
            define: Box::new(move |i| {
                let p = &site.providers[i];
                let mut body = TemplateData::clone(&base);
                body.insert("p", &provider_ctx(site, p, lang));
                json_ld::put_entity(&mut body, provider_entity(site, p, lang));
                def(
                    lang,
                    provider_key(p),
                    "provider.html",
                    p.name.str(lang).to_string(),
                    crumbs.clone(),
                    vec![provs.ctx[provs.of[i]].clone()],
                    body,
                )
            }),
        }
    }
}
