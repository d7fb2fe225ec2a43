//! Markdown pages from `content/`: the home page text and prose pages.

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::load::read_page;
use crate::markdown::{MdProblem, StoredBody};
use crate::model::{ContentPage, Date, Provenance, Site, SourceId};
use crate::render::markdown::{self, Anchors, LinkTargets};
use crate::render::{
    Fill, PageDef, ProvenanceCtx, TemplateData, provenance, push_provenance, up_to_home,
};
use rayon::prelude::*;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

/// The provenance display of each (source, as-of date, language) pages cite.
type Provenances<'s> = HashMap<(&'s SourceId, Date, Lang), ProvenanceCtx>;

#[derive(Serialize)]
struct TocEntry {
    id: String,
    text: String,
}

/// Pages for every Markdown file, and an easy Japanese page for every
/// Japanese one: its `.easy.md` or, until that is written, the Japanese text
/// with a note saying so. `keys` are all page keys of the site, for checking
/// `@/` links.
pub fn pages<'a>(site: &'a Site, keys: &BTreeSet<&str>) -> Result<Vec<PageDef<'a>>, Diagnostics> {
    let has_easy: BTreeSet<&str> = site
        .pages
        .iter()
        .filter(|p| p.lang == Lang::Easy)
        .map(|p| p.key.as_str())
        .collect();
    // (page, the variant it is rendered as, whether it stands in for a
    // missing easy page)
    let mut variants: Vec<(&ContentPage, Lang, bool)> =
        site.pages.iter().map(|p| (p, p.lang, false)).collect();
    variants.extend(
        site.pages
            .iter()
            .filter(|p| p.lang == Lang::Ja && !has_easy.contains(p.key.as_str()))
            .map(|p| (p, Lang::Easy, true)),
    );
    let mut anchors = Anchors::default();
    for (p, lang, _) in &variants {
        anchors.add(&p.key, *lang, &p.outline.ids);
    }
    let targets = LinkTargets {
        keys,
        anchors: &anchors,
    };
    // Pages citing the same source as of the same date share its display
    // (a copy each was 7.5 MB of a 20,000-page site's heap peak).
    let mut shared = Provenances::new();
    for (p, lang, _) in &variants {
        for source in &p.sources {
            shared.entry((source, p.as_of, *lang)).or_insert_with(|| {
                let p = Provenance {
                    source: source.clone(),
                    as_of: p.as_of,
                    last_verified: None,
                };
                provenance(site, &p, *lang)
            });
        }
    }
    // Each page is checked on its own: in parallel.
    let (defs, problems): (Vec<PageDef>, Vec<Vec<Diagnostic>>) = variants
        .into_par_iter()
        .map(|(page, lang, easy_missing)| {
            page_def(site, page, lang, easy_missing, &targets, &shared)
        })
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
/// Markdown was parsed when loaded, its body made then; here its links are
/// checked, and the body is taken up only when the page is written: a
/// rebuild after one page changed writes that page alone. `lang` is the
/// variant it is rendered as: an easy page standing in for a missing
/// `.easy.md` (`easy_missing`) is the Japanese page's text.
fn page_def<'a>(
    site: &'a Site,
    page: &'a ContentPage,
    lang: Lang,
    easy_missing: bool,
    targets: &LinkTargets,
    shared: &Provenances,
) -> (PageDef<'a>, Vec<Diagnostic>) {
    let raw_html = site.config.allow_raw_html;
    // A stand-in's problems are its Japanese page's, reported there.
    let problems = match easy_missing {
        true => Vec::new(),
        false => {
            let mut problems = page.outline.problems.clone();
            problems.extend(markdown::check_links(&page.outline, lang, targets));
            problems
        }
    };
    let problems = diagnostics(site, page, problems);
    let mut prov: Vec<ProvenanceCtx> = Vec::new();
    for source in &page.sources {
        push_provenance(&mut prov, shared[&(source, page.as_of, lang)].clone());
    }
    let fill = move |data: &mut TemplateData| {
        let body = body(site, page, raw_html)?;
        data.insert_value("content", body.content);
        data.insert_value("toc", body.toc);
        data.insert("easy_missing", &easy_missing);
        Ok(())
    };
    let def = PageDef {
        key: page.key.clone(),
        lang,
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
            memo: Some(crate::hash::of(&(
                page.outline.hash,
                &page.title,
                raw_html,
                easy_missing,
            ))),
        }),
    };
    (def, problems)
}

/// A Markdown page's body as template values: its HTML and its table of
/// contents.
#[derive(Clone)]
struct Body {
    content: tera::Value,
    toc: tera::Value,
}

thread_local! {
    /// The Japanese body this thread rendered last, by what it was
    /// rendered from. A page's text renders to the same body in Japanese
    /// and in easy Japanese (its links stay within the language), and an
    /// easy page standing in for a missing `.easy.md` is rendered just
    /// after its Japanese and English pages (`Output::render_order`): it
    /// takes this body instead of reading and rendering the page again (a
    /// third of a Markdown site's pages).
    static LAST_BODY: RefCell<Option<(u64, Body)>> = const { RefCell::new(None) };
}

/// The body of `page`: as this thread last rendered it, as it was made
/// when the page was loaded, or read again and rendered.
fn body(site: &Site, page: &ContentPage, raw_html: bool) -> Result<Body, Box<Diagnostic>> {
    // Everything the body is made from: the text (by its hash), its depth
    // and its title (a table's fallback label).
    let made_from = crate::hash::of(&(
        page.outline.hash,
        page.outline.len,
        &page.key,
        &page.title,
        raw_html,
    ));
    let last = LAST_BODY.with_borrow(|last| match last {
        Some((from, body)) if *from == made_from => Some(body.clone()),
        _ => None,
    });
    if let Some(body) = last {
        return Ok(body);
    }
    let kept = site.bodies.as_ref().zip(page.body);
    let StoredBody { html, toc } = match kept.map(|(bodies, at)| bodies.get(at)) {
        Some(Ok(kept)) => kept,
        _ => rendered(site, page, raw_html)?,
    };
    let toc: Vec<TocEntry> = toc
        .into_iter()
        .map(|(id, text)| TocEntry { id, text })
        .collect();
    let html = match raw_html {
        // Raw HTML may be anything: the whole body goes through the minifier.
        true => crate::render::minify::fragment(&html),
        false => html,
    };
    let body = Body {
        content: tera::Value::from(html),
        toc: tera::Value::from_serializable(&toc),
    };
    // Only Japanese text stands in for another page: the English page,
    // rendered between a Japanese page and its stand-in, keeps this body.
    if page.lang == Lang::Ja {
        LAST_BODY.set(Some((made_from, body.clone())));
    }
    Ok(body)
}

/// The body of `page` read again and made as when it was loaded (see
/// [`crate::markdown::read`]): its HTML and its table of contents.
fn rendered(
    site: &Site,
    page: &ContentPage,
    raw_html: bool,
) -> Result<StoredBody, Box<Diagnostic>> {
    let mut buf = Vec::new();
    let text = read_page(
        &site.root,
        &page.file,
        page.body_offset,
        &page.outline,
        &mut buf,
    )?;
    let md = &text[page.body_offset..];
    // Links were checked before any page is rendered (a build with a
    // problem stops first); nesting too deep, too.
    let up = up_to_home(&page.key);
    let Some(body) = crate::markdown::read(md, &up, &page.title, raw_html).1 else {
        return Ok(StoredBody {
            html: String::new(),
            toc: Vec::new(),
        });
    };
    let toc = body.toc().map(|h| (h.id.clone(), h.text.clone())).collect();
    Ok(StoredBody {
        html: body.html,
        toc,
    })
}

/// The problems of a page at their lines and columns in its file, read
/// again for them (only when there are any).
fn diagnostics(site: &Site, page: &ContentPage, problems: Vec<MdProblem>) -> Vec<Diagnostic> {
    if problems.is_empty() {
        return Vec::new();
    }
    let mut buf = Vec::new();
    let text = match read_page(
        &site.root,
        &page.file,
        page.body_offset,
        &page.outline,
        &mut buf,
    ) {
        Ok(text) => text,
        Err(d) => return vec![*d],
    };
    problems
        .into_iter()
        .map(|p| {
            let span = page.body_offset + p.span.start..page.body_offset + p.span.end;
            Diagnostic::at(&page.file, text, span, p.message).hint(p.hint)
        })
        .collect()
}
