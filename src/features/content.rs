//! Markdown pages from `content/`: the home page text and prose pages.

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::model::Provenance;
use crate::model::Site;
use crate::render::markdown::{self, LinkTargets};
use crate::render::{PageDef, ProvenanceCtx, provenance, push_provenance, root_prefix};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tera::Context;

#[derive(Serialize)]
struct TocEntry {
    id: String,
    text: String,
}

/// Pages for every Markdown file. `keys` are all page keys of the site, for
/// checking `@/` links.
pub fn pages(site: &Site, keys: &BTreeSet<&str>) -> Result<Vec<PageDef<'static>>, Diagnostics> {
    let anchors: BTreeMap<(String, Lang), BTreeSet<String>> = site
        .pages
        .iter()
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
    let mut diags = Diagnostics::default();
    let mut defs = Vec::new();
    for page in &site.pages {
        let root = root_prefix(page.lang, &page.key);
        let body = &page.text[page.body_offset..];
        let rendered = markdown::render(
            body,
            page.lang,
            &root,
            &targets,
            &page.title,
            site.config.allow_raw_html,
        );
        for p in rendered.problems {
            let span = page.body_offset + p.span.start..page.body_offset + p.span.end;
            diags.push(Diagnostic::at(&page.file, &page.text, span, p.message).hint(p.hint));
        }
        let mut prov: Vec<ProvenanceCtx> = Vec::new();
        for source in &page.sources {
            let p = Provenance {
                source: source.clone(),
                as_of: page.as_of,
                last_verified: None,
            };
            push_provenance(&mut prov, provenance(site, &p, page.lang));
        }
        let toc: Vec<TocEntry> = rendered
            .headings
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| TocEntry {
                id: h.id.clone(),
                text: h.text.clone(),
            })
            .collect();
        let mut body_ctx = Context::new();
        body_ctx.insert("content", &rendered.html);
        body_ctx.insert("toc", &toc);
        defs.push(PageDef {
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
            body: body_ctx,
            fill: None,
        });
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(defs)
    }
}
