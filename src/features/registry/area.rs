//! The providers of each area on the area pages (`areas/<code>`).

use super::lists::{ModelHashes, Places, members_provenance};
use super::{KEY, kind_string, provider_key};
use crate::model::*;
use crate::render::TemplateData;
use crate::render::links::full_name;
use crate::render::{Fill, PageDef, page_path, push_provenance, ui};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

#[derive(Serialize)]
struct AreaProviderCtx {
    name: String,
    path: String,
    kind: String,
    /// The wider area through which the provider serves this one, if any.
    via: Option<String>,
    last_verified: Option<String>,
}

/// Adds the providers serving each area to the area pages (`areas/<code>`):
/// those listing the area itself, then those serving a containing area.
pub fn decorate_area_pages<'a>(
    site: &'a Site,
    defs: &mut [PageDef<'a>],
    hashes: &ModelHashes,
    places: &Places<'a>,
) {
    let area_pages = defs.par_iter_mut().filter(|d| d.template == "area.html");
    area_pages.for_each(|d| {
        let Some(code) = d.key.strip_prefix("areas/") else {
            return;
        };
        let Some(area) = site.area(&AreaCode(code.to_string())) else {
            return;
        };
        let lang = d.lang;
        let provs = &places.provenances[lang.text_lang() as usize];
        let chain: Vec<&Area> = std::iter::once(area).chain(site.ancestors(area)).collect();
        // Each provider once, with the wider area it serves this one
        // through (if any); the list itself is made when the page is rendered.
        let mut seen = BTreeSet::new();
        let mut members: Vec<(usize, Option<&Area>)> = Vec::new();
        for (i, a) in chain.iter().enumerate() {
            for &p in places.by_area.get(&a.code).into_iter().flatten() {
                if seen.insert(p) {
                    members.push((p, (i > 0).then_some(*a)));
                }
            }
        }
        let indices: Vec<usize> = members.iter().map(|&(p, _)| p).collect();
        for p in members_provenance(provs, &indices) {
            push_provenance(&mut d.provenance, p);
        }
        // A memo only if the area's own data has one (else both are hashed
        // as data when the page's input is hashed).
        let inner_memo = d.fill.as_ref().map(|f| f.memo);
        let memo = inner_memo.is_none_or(|m| m.is_some()).then(|| {
            let mut h = crate::hash::hasher();
            inner_memo.hash(&mut h);
            for (p, via) in &members {
                (hashes.providers[*p], via.map(|a| &a.code)).hash(&mut h);
            }
            h.finish()
        });
        let area_data = d.fill.take();
        let run = move |body: &mut TemplateData| {
            if let Some(f) = &area_data {
                (f.run)(body)?;
            }
            let list: Vec<AreaProviderCtx> = members
                .iter()
                .map(|&(i, via)| {
                    let p = &site.providers[i];
                    AreaProviderCtx {
                        name: p.name.str(lang).to_string(),
                        path: page_path(lang, &provider_key(p)),
                        kind: ui(site, lang, &kind_string(p.kind)),
                        via: via.map(|a| {
                            ui(site, lang, "registry_serves_all_of")
                                .replace("{area}", &full_name(site, a, lang))
                        }),
                        last_verified: p.provenance.last_verified.map(|x| x.display(lang)),
                    }
                })
                .collect();
            body.insert("providers", &list);
            body.insert("registry_path", &page_path(lang, KEY));
            Ok(())
        };
        d.fill = Some(Fill {
            run: Box::new(run),
            memo,
        });
    });
}
