//! The flyers page (`/<lang>/flyers/`): every flyer with its preview and
//! both languages' PDFs, grouped by hub and by prefecture.

use super::{Availability, FLYERS_KEY, Subject, availability, page_url, pdf_path, preview_path};
use crate::lang::Lang;
use crate::model::{Area, AreaCode, AreaKind, Site};
use crate::render::TemplateData;
use crate::render::{PageDef, ProvenanceCtx, provenance, push_provenance, ui};
use serde::Serialize;

#[derive(Serialize)]
struct PdfLink {
    lang: &'static str,
    /// The language's own name: 日本語, English.
    label: &'static str,
    /// Relative to the flyers page.
    href: String,
}

#[derive(Serialize)]
struct EntryCtx {
    slug: String,
    name: String,
    /// The name in the other language (the index is bilingual).
    other_name: String,
    page: String,
    /// Both languages' PDFs, this page's language first; empty when PDFs
    /// are not built.
    pdfs: Vec<PdfLink>,
    preview: Option<String>,
}

#[derive(Serialize)]
struct GroupCtx {
    heading: String,
    id: String,
    entries: Vec<EntryCtx>,
}

/// The flyers page of one language: every flyer with its preview and both
/// languages' PDFs.
pub fn pages(site: &Site, lang: Lang) -> Vec<PageDef<'static>> {
    let available = availability(site);
    let built = matches!(available, Availability::Pdf { .. });
    let entry = |sub: Subject| {
        let slug = sub.slug();
        // Flyers are printed in Japanese and English only: the easy page
        // links the Japanese page's.
        let own = lang.text_lang();
        let pdfs = if built {
            [own, own.other()]
                .into_iter()
                .map(|l| PdfLink {
                    lang: l.code(),
                    label: l.native_name(),
                    href: if l == lang {
                        format!("{slug}.pdf")
                    } else {
                        format!("../../{}", pdf_path(l, &slug))
                    },
                })
                .collect()
        } else {
            Vec::new()
        };
        EntryCtx {
            name: sub.name(site, lang),
            other_name: sub.name(site, lang.other()),
            // relative to /<lang>/flyers/
            page: format!("../{}/", sub.page_key()),
            pdfs,
            preview: built.then(|| match lang == own {
                true => format!("{slug}.png"),
                false => format!("../../{}", preview_path(own, &slug)),
            }),
            slug,
        }
    };
    let mut groups = vec![GroupCtx {
        heading: ui(site, lang, "flyers_hubs_heading"),
        id: "hubs".into(),
        entries: site.hubs.iter().map(|h| entry(Subject::Hub(h))).collect(),
    }];
    let mut prov: Vec<ProvenanceCtx> = Vec::new();
    for h in &site.hubs {
        for p in h.provenances() {
            push_provenance(&mut prov, provenance(site, p, lang));
        }
    }
    // Each area's prefecture found once, not once per prefecture.
    let mut by_prefecture: std::collections::HashMap<&AreaCode, Vec<&Area>> = Default::default();
    for a in &site.areas {
        by_prefecture
            .entry(&site.prefecture_of(a).code)
            .or_default()
            .push(a);
    }
    for pref in site.areas.iter().filter(|a| a.kind == AreaKind::Prefecture) {
        let entries: Vec<EntryCtx> = by_prefecture
            .remove(&pref.code)
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                push_provenance(&mut prov, provenance(site, &a.provenance, lang));
                entry(Subject::Area(a))
            })
            .collect();
        groups.push(GroupCtx {
            heading: format!(
                "{}: {}",
                ui(site, lang, "flyers_areas_heading"),
                pref.name.str(lang)
            ),
            id: format!("pref-{}", pref.code),
            entries,
        });
    }
    let mut body = TemplateData::new();
    body.insert("groups", &groups);
    body.insert("built", &built);
    body.insert("index_url", &page_url(site, lang, FLYERS_KEY));
    vec![PageDef {
        key: FLYERS_KEY.into(),
        lang,
        template: "flyers.html",
        title: ui(site, lang, "flyers_title"),
        description: None,
        crumbs: Vec::new(),
        provenance: prov,
        body,
        fill: None,
    }]
}
