//! Lists of providers: where each provider is ([`Places`]), what a page
//! reads of each ([`ModelHashes`], for memos), and long lists split into
//! one page per prefecture.

use super::def;
use crate::lang::Lang;
use crate::model::*;
use crate::render::TemplateData;
use crate::render::{Fill, PageDef, ProvenanceCtx, page_path, provenance, push_provenance};
use rayon::prelude::*;
use serde::Serialize;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Lists longer than this are split by prefecture: the list page then links
/// one page per prefecture (a national registry has ≈ 20,000 providers).
pub const LIST_LIMIT: usize = 500;

#[derive(Serialize)]
struct PrefectureLink {
    name: String,
    path: String,
    count: usize,
}

/// Puts a list's members (indices into `site.providers`) into a page's
/// data; `compact` lists names and kinds only. Shared by the pages of a
/// list and run when each is rendered.
pub(super) type ListFill<'a> = Arc<dyn Fn(&mut TemplateData, &[usize], bool) + Send + Sync + 'a>;

/// A list of providers on a page.
pub(super) struct Listing<'a> {
    pub key: String,
    pub template: &'static str,
    pub title: String,
    pub crumbs: Vec<(String, String)>,
    /// Where the per-prefecture pages go: `<split_key>/<prefecture code>`.
    pub split_key: String,
    pub members: Vec<usize>,
    /// What only the list's own page shows (e.g. the registry's kind links).
    pub top: TemplateData,
    pub fill: ListFill<'a>,
    /// Whether `fill`, asked for a compact list, reads of each member only
    /// what [`ModelHashes::listed`] covers; then a changed phone number,
    /// say, does not re-render the list's prefecture pages.
    pub compact_reads_listed: bool,
}

/// The sources of the providers `members` (indices into `site.providers`).
pub(super) fn members_provenance(provs: &Provenances, members: &[usize]) -> Vec<ProvenanceCtx> {
    let mut seen = vec![false; provs.ctx.len()];
    let mut prov = Vec::new();
    for &i in members {
        let k = provs.of[i];
        if !seen[k] {
            seen[k] = true;
            push_provenance(&mut prov, provs.ctx[k].clone());
        }
    }
    prov
}

/// The providers' provenance records, each distinct one once and ready for
/// display: thousands of providers share a handful, and a list's footer
/// gathers them by index instead of comparing records (a national
/// registry's lists compared them ~20 million times).
pub(super) struct Provenances {
    /// Each distinct record, in order of first use.
    pub ctx: Vec<ProvenanceCtx>,
    /// Per provider, the index of its record in `ctx`.
    pub of: Vec<usize>,
}

impl Provenances {
    fn of(site: &Site, lang: Lang) -> Provenances {
        let mut index: std::collections::HashMap<&Provenance, usize> = Default::default();
        let mut ctx = Vec::new();
        let of = site
            .providers
            .iter()
            .map(|p| {
                *index.entry(&p.provenance).or_insert_with(|| {
                    ctx.push(provenance(site, &p.provenance, lang));
                    ctx.len() - 1
                })
            })
            .collect();
        Provenances { ctx, of }
    }
}

/// Where each provider is, and its sources ready for display: found once
/// per build for the registry and area pages of both languages.
pub struct Places<'a> {
    /// The prefectures, by code.
    prefectures: Vec<&'a Area>,
    /// Per provider, the prefectures it serves (indices into
    /// `prefectures`), each once: long lists are split by them.
    served: Vec<Vec<usize>>,
    /// The providers (indices into `site.providers`) serving each area.
    pub(super) by_area: Arc<std::collections::BTreeMap<&'a AreaCode, Vec<usize>>>,
    /// Per language.
    /// Per language (easy pages use the Japanese ones).
    pub(super) provenances: [Arc<Provenances>; 2],
}

impl<'a> Places<'a> {
    pub fn of(site: &'a Site) -> Places<'a> {
        let prefectures: Vec<&Area> = site
            .areas
            .iter()
            .filter(|a| a.kind == AreaKind::Prefecture)
            .collect();
        // Each area's prefecture, looked up once, not once per provider (an
        // area outside any prefecture is in none of the lists).
        let prefecture: std::collections::HashMap<&AreaCode, usize> = site
            .areas
            .iter()
            .filter_map(|a| {
                let pref = &site.prefecture_of(a).code;
                let i = prefectures.binary_search_by(|p| p.code.cmp(pref));
                Some((&a.code, i.ok()?))
            })
            .collect();
        let served = site
            .providers
            .iter()
            .map(|p| {
                let mut prefs: Vec<usize> = p
                    .areas
                    .iter()
                    .filter_map(|c| prefecture.get(c).copied())
                    .collect();
                prefs.sort_unstable();
                prefs.dedup();
                prefs
            })
            .collect();
        let mut by_area: std::collections::BTreeMap<&AreaCode, Vec<usize>> = Default::default();
        for (i, p) in site.providers.iter().enumerate() {
            for c in &p.areas {
                by_area.entry(c).or_default().push(i);
            }
        }
        Places {
            prefectures,
            served,
            by_area: Arc::new(by_area),
            provenances: Lang::ALL.map(|lang| Arc::new(Provenances::of(site, lang))),
        }
    }
}

/// `page` with its list (`members`) filled in when it is rendered.
/// `per_provider` holds, per provider, a hash of what `fill` reads of it;
/// `shared` covers `base`, the data every registry page has (added when
/// the page is rendered, so it is not hashed again for every page).
fn with_list<'a>(
    page: PageDef<'static>,
    (fill, base): (&ListFill<'a>, &Arc<TemplateData>),
    (shared, per_provider): (u64, &[u64]),
    members: Vec<usize>,
    compact: bool,
) -> PageDef<'a> {
    let memo = {
        let mut h = crate::hash::hasher();
        (shared, &page.key, compact).hash(&mut h);
        for &i in &members {
            per_provider[i].hash(&mut h);
        }
        h.finish()
    };
    let (fill, base) = (Arc::clone(fill), Arc::clone(base));
    PageDef {
        fill: Some(Fill {
            run: Box::new(move |ctx: &mut TemplateData| {
                ctx.extend(TemplateData::clone(&base));
                fill(ctx, &members, compact);
                Ok(())
            }),
            memo: Some(memo),
        }),
        ..page
    }
}

/// What registry pages read from the model, hashed once per build (see
/// [`crate::render::Fill::memo`]).
pub struct ModelHashes {
    /// Everything but the providers (areas' names, sources, …).
    pub rest: u64,
    /// Per provider, in `site.providers` order.
    pub(super) providers: Vec<u64>,
    /// Per provider, what a compact list shows of it or picks it by: id,
    /// name, kind and care needs (not its contact, address or notes).
    pub(super) listed: Vec<u64>,
}

impl ModelHashes {
    pub fn of(site: &Site) -> ModelHashes {
        let rest = (
            &site.config,
            &site.sources,
            &site.areas,
            &site.hubs,
            &site.councils,
            &site.aggregates,
            &site.coordinators,
            &site.glossary,
        );
        let hash = |p: &Provider| {
            let mut h = crate::hash::hasher();
            p.hash(&mut h);
            h.finish()
        };
        let listed = |p: &Provider| {
            let mut h = crate::hash::hasher();
            (&p.id, &p.name, p.kind, &p.care).hash(&mut h);
            h.finish()
        };
        let (rest, (providers, listed)) = rayon::join(
            // The pages on both cores: a Markdown site's 20,000 took 7 ms
            // on one, before anything else could start.
            || {
                let pages: Vec<u64> = site.pages.par_iter().map(crate::hash::of).collect();
                crate::hash::of(&(rest, pages))
            },
            || {
                rayon::join(
                    || site.providers.par_iter().map(hash).collect(),
                    || site.providers.par_iter().map(listed).collect(),
                )
            },
        );
        ModelHashes {
            rest,
            providers,
            listed,
        }
    }
}

/// A page's memo combines `shared` with the hashes of the providers it shows.
pub(super) struct Memos<'h> {
    /// [`ModelHashes::rest`] and the shared registry data of one language
    /// (counts per care need).
    pub shared: u64,
    pub providers: &'h [u64],
    /// [`ModelHashes::listed`]: for pages that list providers compactly.
    pub listed: &'h [u64],
}

/// One page for a short list; for a long one, a page linking one page per
/// prefecture, each holding that prefecture's members in a compact list
/// (a prefecture can still have thousands).
pub(super) fn emit<'a>(
    lang: Lang,
    base: &Arc<TemplateData>,
    memos: &Memos<'_>,
    places: &Places<'a>,
    l: Listing<'a>,
    defs: &mut Vec<PageDef<'a>>,
) {
    let provs = &places.provenances[lang.text_lang() as usize];
    let prov = members_provenance(provs, &l.members);
    if l.members.len() <= LIST_LIMIT {
        let page = def(lang, l.key, l.template, l.title, l.crumbs, prov, l.top);
        let memos = (memos.shared, memos.providers);
        defs.push(with_list(page, (&l.fill, base), memos, l.members, false));
        return;
    }
    let mut body = TemplateData::clone(base);
    body.extend(l.top);
    let mut members_in = vec![Vec::new(); places.prefectures.len()];
    for &i in &l.members {
        for &k in &places.served[i] {
            members_in[k].push(i);
        }
    }
    let by_pref: Vec<(&Area, Vec<usize>)> = places
        .prefectures
        .iter()
        .zip(members_in)
        .filter(|(_, members)| !members.is_empty())
        .map(|(pref, members)| (*pref, members))
        .collect();
    let links: Vec<PrefectureLink> = by_pref
        .iter()
        .map(|(pref, members)| PrefectureLink {
            name: pref.name.str(lang).to_string(),
            path: page_path(lang, &format!("{}/{}", l.split_key, pref.code)),
            count: members.len(),
        })
        .collect();
    body.insert("prefectures", &links);
    body.insert("total", &l.members.len());
    let mut crumbs = l.crumbs.clone();
    crumbs.push((l.title.clone(), l.key.clone()));
    for (pref, members) in by_pref {
        let mut pref_body = TemplateData::new();
        pref_body.insert("compact", &true);
        let page = def(
            lang,
            format!("{}/{}", l.split_key, pref.code),
            l.template,
            format!("{}: {}", l.title, pref.name.str(lang)),
            crumbs.clone(),
            members_provenance(provs, &members),
            pref_body,
        );
        let per_provider = if l.compact_reads_listed {
            memos.listed
        } else {
            memos.providers
        };
        defs.push(with_list(
            page,
            (&l.fill, base),
            (memos.shared, per_provider),
            members,
            true,
        ));
    }
    defs.push(def(lang, l.key, l.template, l.title, l.crumbs, prov, body));
}

#[cfg(test)]
mod tests {
    use super::super::test_site::{CHIYODA, KANAGAWA, KOHOKU, TOKYO, TestSite, provider};
    use super::super::{KEY, pages};
    use super::*;

    /// `n` providers of one kind, the first `in_tokyo` of them in 千代田区
    /// and the rest in 港北区; `extra` lines for provider `changed`.
    fn providers(n: usize, in_tokyo: usize, changed: Option<(usize, &str)>) -> String {
        (0..n)
            .map(|i| {
                let area = if i < in_tokyo { CHIYODA } else { KOHOKU };
                let extra = changed.filter(|(c, _)| *c == i).map_or("", |(_, e)| e);
                provider(&format!("p{i:04}"), "visiting_nursing", area, extra)
            })
            .collect()
    }

    /// The registry's pages in Japanese.
    fn registry_pages(site: &Site) -> (Vec<PageDef<'_>>, crate::render::PageSet<'_>) {
        pages(
            site,
            Lang::Ja,
            &ModelHashes::of(site),
            &Places::of(site),
            true,
        )
    }

    fn page<'d, 'a>(defs: &'d [PageDef<'a>], key: &str) -> &'d PageDef<'a> {
        let found = defs.iter().find(|d| d.key == key);
        found.unwrap_or_else(|| panic!("no page {key}"))
    }

    /// How many providers a page lists under `name`, its fill run.
    fn listed(def: &PageDef, name: &str) -> usize {
        let mut body = TemplateData::new();
        (def.fill.as_ref().expect("a list page has a fill").run)(&mut body).expect("filled");
        body.get(name).and_then(|v| v.len()).expect("a list")
    }

    fn memo(defs: &[PageDef], key: &str) -> Option<u64> {
        page(defs, key).fill.as_ref().and_then(|f| f.memo)
    }

    const KIND_PAGE: &str = "registry/kinds/visiting-nursing";

    #[test]
    fn a_list_over_the_limit_is_split_by_prefecture() {
        let site = TestSite::new()
            .providers(&providers(LIST_LIMIT + 1, 20, None))
            .load();
        let (defs, _) = registry_pages(&site);
        // The list's own page links one page per prefecture, with counts.
        let top = page(&defs, KIND_PAGE);
        assert!(top.fill.is_none(), "the list itself is not on the page");
        let links = serde_json::to_value(top.body.get("prefectures").expect("links")).unwrap();
        let counts: Vec<(&str, u64)> = links
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["name"].as_str().unwrap(), l["count"].as_u64().unwrap()))
            .collect();
        assert_eq!(
            counts,
            [("東京都", 20), ("神奈川県", LIST_LIMIT as u64 - 19)]
        );
        let tokyo = page(&defs, &format!("{KIND_PAGE}/{TOKYO}"));
        assert_eq!(listed(tokyo, "providers"), 20);
        let kanagawa = page(&defs, &format!("{KIND_PAGE}/{KANAGAWA}"));
        assert_eq!(listed(kanagawa, "providers"), LIST_LIMIT - 19);
        // The index is split the same way.
        page(&defs, &format!("{KEY}/prefectures/{TOKYO}"));
        assert!(page(&defs, KEY).fill.is_none());
    }

    #[test]
    fn a_list_at_the_limit_is_one_page() {
        let site = TestSite::new()
            .providers(&providers(LIST_LIMIT, 20, None))
            .load();
        let (defs, _) = registry_pages(&site);
        assert_eq!(listed(page(&defs, KIND_PAGE), "providers"), LIST_LIMIT);
        assert_eq!(listed(page(&defs, KEY), "providers"), LIST_LIMIT);
        let split = |d: &&PageDef| d.key.starts_with(&format!("{KIND_PAGE}/"));
        assert_eq!(defs.iter().filter(split).count(), 0);
        assert!(
            !defs
                .iter()
                .any(|d| d.key.starts_with("registry/prefectures"))
        );
    }

    /// Loads the project with provider `changed` given `extra` lines.
    fn load_with(project: &TestSite, n: usize, changed: (usize, &str)) -> Site {
        project.providers(&providers(n, 20, Some(changed))).load()
    }

    #[test]
    fn model_hashes_change_only_for_the_changed_provider() {
        let project = TestSite::new();
        let phone = r#"contact = { phone = "045-000-0001" }"#;
        let care = r#"care = { ventilator = "yes" }"#;
        let before = ModelHashes::of(&load_with(&project, 30, (7, "")));
        let new_phone = ModelHashes::of(&load_with(&project, 30, (7, phone)));
        let new_care = ModelHashes::of(&load_with(&project, 30, (7, care)));
        let differing = |a: &[u64], b: &[u64]| -> Vec<usize> {
            (0..a.len()).filter(|&i| a[i] != b[i]).collect()
        };
        assert_eq!(before.rest, new_phone.rest);
        assert_eq!(differing(&before.providers, &new_phone.providers), [7]);
        // A compact list shows no phone number, but picks by care need.
        assert!(differing(&before.listed, &new_phone.listed).is_empty());
        assert_eq!(differing(&before.listed, &new_care.listed), [7]);
    }

    #[test]
    fn page_memos_change_only_for_pages_showing_the_changed_provider() {
        let project = TestSite::new();
        let n = LIST_LIMIT + 1;
        let phone = r#"contact = { phone = "045-000-0001" }"#;
        // Provider 100 is in 港北区 (Kanagawa).
        let before = load_with(&project, n, (100, ""));
        let after = load_with(&project, n, (100, phone));
        let (old, old_set) = registry_pages(&before);
        let (new, new_set) = registry_pages(&after);
        let changed = |key: &str| memo(&old, key) != memo(&new, key);
        // The index's prefecture pages (whole cards) follow all of a
        // provider; compact lists only what they show or pick by.
        assert!(changed(&format!("{KEY}/prefectures/{KANAGAWA}")));
        assert!(!changed(&format!("{KEY}/prefectures/{TOKYO}")));
        assert!(!changed(&format!("{KIND_PAGE}/{KANAGAWA}")));
        assert!(!changed(&format!("{KIND_PAGE}/{TOKYO}")));
        assert!(!changed("registry/care/ventilator/140007"));
        // Of the provider pages, only its own.
        let differing: Vec<usize> = (0..n)
            .filter(|&i| old_set.memos[i] != new_set.memos[i])
            .collect();
        assert_eq!(differing, [100]);
    }
}
