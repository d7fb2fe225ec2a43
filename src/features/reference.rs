//! Reference pages: the glossary (用語集) and the list of sources (出典).

use crate::lang::Lang;
use crate::model::Site;
use crate::render::TemplateData;
use crate::render::{PageDef, provenance, push_provenance, ui};
use serde::Serialize;

/// Key of the glossary page.
pub const GLOSSARY_KEY: &str = "glossary";
/// Key of the list of sources.
pub const SOURCES_KEY: &str = "sources";

#[derive(Serialize)]
struct TermCtx {
    id: String,
    term: String,
    other: String,
    kana: String,
    definition: Option<String>,
}

#[derive(Serialize)]
struct SourceCtx {
    id: String,
    title: String,
    publisher: String,
    published: Option<String>,
    url: Option<String>,
    note: Option<String>,
}

pub fn pages(site: &Site, lang: Lang) -> Vec<PageDef<'static>> {
    let mut prov = Vec::new();
    let mut terms: Vec<TermCtx> = site
        .glossary
        .iter()
        .map(|t| {
            push_provenance(&mut prov, provenance(site, &t.provenance, lang));
            TermCtx {
                id: t.id.clone(),
                term: t.term.str(lang).to_string(),
                other: t.term.str(lang.other()).to_string(),
                kana: t.kana.clone(),
                definition: t.definition.as_ref().map(|d| d.str(lang).to_string()),
            }
        })
        .collect();
    if lang == Lang::En {
        terms.sort_by_key(|t| t.term.to_lowercase());
    }
    let mut glossary = TemplateData::new();
    glossary.insert("terms", &terms);

    let sources: Vec<SourceCtx> = site
        .sources
        .values()
        .map(|s| SourceCtx {
            id: s.id.to_string(),
            title: s.title.str(lang).to_string(),
            publisher: s.publisher.str(lang).to_string(),
            published: s.published.map(|d| d.display(lang)),
            url: s.url.clone(),
            note: s.note.as_ref().map(|n| n.str(lang).to_string()),
        })
        .collect();
    let mut src = TemplateData::new();
    src.insert("sources", &sources);

    vec![
        PageDef {
            key: GLOSSARY_KEY.into(),
            lang,
            template: "glossary.html",
            title: ui(site, lang, "glossary_title"),
            description: None,
            crumbs: Vec::new(),
            provenance: prov,
            body: glossary,
            fill: None,
        },
        PageDef {
            key: SOURCES_KEY.into(),
            lang,
            template: "sources.html",
            title: ui(site, lang, "sources_title"),
            description: None,
            crumbs: Vec::new(),
            provenance: Vec::new(),
            body: src,
            fill: None,
        },
    ]
}
