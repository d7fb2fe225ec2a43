//! Markdown pages from `content/`: the home page text and prose pages.

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::model::{ContentPage, Provenance, Site};
use crate::render::markdown::{self, LinkTargets};
use crate::render::{
    Fill, PageDef, ProvenanceCtx, TemplateData, minify, provenance, push_provenance, root_prefix,
};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Serialize)]
struct TocEntry {
    id: String,
    text: String,
}

/// Pages for every Markdown file. `keys` are all page keys of the site, for
/// checking `@/` links.
pub fn pages<'a>(site: &'a Site, keys: &BTreeSet<&str>) -> Result<Vec<PageDef<'a>>, Diagnostics> {
    let anchors: BTreeMap<(String, Lang), BTreeSet<String>> = site
        .pages
        .par_iter()
        .map(|p| {
            (
                (p.key.clone(), p.lang),
                markdown::heading_ids(&p.text[p.body_offset..]),
            )
        })
        .collect();
    let targets = LinkTargets {
        keys,
        anchors: &anchors,
    };
    // Each page is parsed and its HTML minified on its own: in parallel.
    let (defs, problems): (Vec<PageDef>, Vec<Vec<Diagnostic>>) = site
        .pages
        .par_iter()
        .map(|page| page_def(site, page, &targets))
        .unzip();
    let mut diags = Diagnostics::default();
    for d in problems.into_iter().flatten() {
        diags.push(d);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(defs)
    }
}

/// A Markdown page's definition, and the problems its Markdown has. The
/// Markdown is checked now and rendered (and minified) only when the page
/// is written: a rebuild after one page changed renders that page alone.
fn page_def<'a>(
    site: &'a Site,
    page: &'a ContentPage,
    targets: &LinkTargets,
) -> (PageDef<'a>, Vec<Diagnostic>) {
    let body = &page.text[page.body_offset..];
    let raw_html = site.config.allow_raw_html;
    let problems = markdown::check(body, page.lang, targets, raw_html)
        .into_iter()
        .map(|p| {
            let span = page.body_offset + p.span.start..page.body_offset + p.span.end;
            Diagnostic::at(&page.file, &page.text, span, p.message).hint(p.hint)
        })
        .collect();
    let mut prov: Vec<ProvenanceCtx> = Vec::new();
    for source in &page.sources {
        let p = Provenance {
            source: source.clone(),
            as_of: page.as_of,
            last_verified: None,
        };
        push_provenance(&mut prov, provenance(site, &p, page.lang));
    }
    let fill = move |data: &mut TemplateData| {
        let root = root_prefix(page.lang, &page.key);
        // Links were checked above (a build with a problem stops before
        // rendering), so they are resolved without looking them up.
        let rendered = markdown::render(body, page.lang, &root, None, &page.title, raw_html);
        let toc: Vec<TocEntry> = rendered
            .headings
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| TocEntry {
                id: h.id.clone(),
                text: h.text.clone(),
            })
            .collect();
        data.insert("content", &minify::fragment(&rendered.html));
        data.insert("toc", &toc);
    };
    let def = PageDef {
        key: page.key.clone(),
        lang: page.lang,
        template: if page.key.is_empty() {
            "home.html"
        } else {
            "page.html"
        },
        title: page.title.clone(),
        description: page.description.clone(),
        crumbs: Vec::new(),
        provenance: prov,
        body: TemplateData::new(),
        fill: Some(Fill {
            run: Box::new(fill),
            // What the fill reads (the key and language are in the page's
            // input hash already).
            memo: Some(crate::hash::of(&(body, &page.title, raw_html))),
        }),
    };
    (def, problems)
}
