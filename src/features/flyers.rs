//! Printable flyers (チラシ): one A4 page per hub and per area, in Japanese
//! and in English, built from the same model as the site so a changed phone
//! number changes the flyer too.
//!
//! For each flyer this module renders `templates/flyer.typ` (a tera template
//! of Typst source) with every data value passed as an escaped Typst string
//! literal, so data text can never become Typst markup. The QR code to the
//! flyer's page (absolute URL from `base_url`) is made here as SVG with the
//! `qrcode` crate. With the `pdf` cargo feature (on by default) the Typst
//! compiler, used as a library, turns each source into a PDF and an SVG
//! preview ([`typeset`]); flyers are compiled on all cores.
//!
//! Output (stable paths, documented in README "Flyers"):
//! `<lang>/flyers/hubs-<hub id>.pdf|svg` and `<lang>/flyers/areas-<code>.pdf|svg`,
//! next to the page `/<lang>/flyers/` that lists every flyer with both languages.
//!
//! Fonts are the one thing this feature reads from outside the project: the
//! system fonts (and `TSUNAGU_FONT_DIRS`), searched once per process. With no
//! Japanese font, or without the `pdf` feature, the site is built without
//! PDFs and the flyers page says so.

#[cfg(feature = "pdf")]
pub mod typeset;

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::model::{Area, AreaCode, AreaKind, Hub, Site};
use crate::render::links::{area_key, full_name, hub_key};
use crate::render::{Artifact, PageDef, ProvenanceCtx, page_path, provenance, push_provenance, ui};
use serde::Serialize;
use std::collections::BTreeMap;
use tera::{Context, Tera};

/// Key of the flyers page (`/<lang>/flyers/`).
pub const FLYERS_KEY: &str = "flyers";
/// The Typst source template below `templates/`.
pub const TEMPLATE: &str = "flyer.typ";
/// A4 in PostScript points.
pub const A4_PT: (f64, f64) = (595.276, 841.89);

/// UI strings this module uses besides the shared ones (help_1 …); validate
/// requires each in both languages.
pub const STRINGS: &[&str] = &[
    "flyers_title",
    "flyers_intro",
    "flyers_print",
    "flyers_unavailable",
    "flyers_hubs_heading",
    "flyers_areas_heading",
    "flyers_col_flyer",
    "flyers_col_preview",
    "flyers_col_pdf",
    "flyers_preview_alt",
    "flyers_index_note",
    "flyer_link",
    "flyer_title",
    "flyer_kind_hub",
    "flyer_for_label",
    "flyer_for_whom",
    "flyer_see_wards",
    "flyer_scan",
    "flyer_qr_alt",
    "flyer_sources",
    "flyer_footer",
];

/// What a flyer is about.
#[derive(Clone, Copy)]
pub enum Subject<'a> {
    Hub(&'a Hub),
    Area(&'a Area),
}

impl<'a> Subject<'a> {
    /// File stem of the flyer: `hubs-yokohama-tsurumi`, `areas-141097`.
    pub fn slug(&self) -> String {
        match self {
            Subject::Hub(h) => format!("hubs-{}", h.id),
            Subject::Area(a) => format!("areas-{}", a.code),
        }
    }

    /// Key of the site page the QR code opens.
    pub fn page_key(&self) -> String {
        match self {
            Subject::Hub(h) => hub_key(h),
            Subject::Area(a) => area_key(&a.code),
        }
    }

    pub fn name(&self, site: &Site, lang: Lang) -> String {
        match self {
            Subject::Hub(h) => h.name.str(lang).to_string(),
            Subject::Area(a) => full_name(site, a, lang),
        }
    }

    /// The hub whose contact the flyer shows.
    pub fn hub(&self, site: &'a Site) -> Option<&'a Hub> {
        match self {
            Subject::Hub(h) => Some(h),
            Subject::Area(a) => site.hub_for(&a.code),
        }
    }
}

/// Every flyer subject: hubs in data order, then areas in code order.
pub fn subjects(site: &Site) -> Vec<Subject<'_>> {
    site.hubs
        .iter()
        .map(Subject::Hub)
        .chain(site.areas.iter().map(Subject::Area))
        .collect()
}

/// Site-relative path of a flyer's PDF: `ja/flyers/areas-141097.pdf`, next
/// to the flyers page, so the page links to it as `areas-141097.pdf`.
pub fn pdf_path(lang: Lang, slug: &str) -> String {
    format!("{lang}/{FLYERS_KEY}/{slug}.pdf")
}

/// Site-relative path of a flyer's SVG preview.
pub fn svg_path(lang: Lang, slug: &str) -> String {
    format!("{lang}/{FLYERS_KEY}/{slug}.svg")
}

/// The absolute URL the flyer's QR code and printed address point to.
pub fn page_url(site: &Site, lang: Lang, key: &str) -> String {
    format!("{}{}", site.config.base_url, page_path(lang, key))
}

/// Whether this build writes PDFs, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    /// PDFs and previews are built with this font family.
    Pdf { family: String },
    /// Built without the `pdf` cargo feature.
    NoFeature,
    /// No Japanese font was found; the message says where we looked.
    NoFont(String),
    /// Turned off in `tsunagu.toml` (`pdf_flyers = false`).
    Disabled,
}

/// Looks for fonts once per process (with the `pdf` feature).
pub fn availability(site: &Site) -> Availability {
    if !site.config.pdf_flyers {
        return Availability::Disabled;
    }
    #[cfg(feature = "pdf")]
    {
        match typeset::fonts() {
            Ok(f) => Availability::Pdf {
                family: f.family.clone(),
            },
            Err(msg) => Availability::NoFont(msg.clone()),
        }
    }
    #[cfg(not(feature = "pdf"))]
    {
        Availability::NoFeature
    }
}

// ------------------------------------------------------------ flyers page

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
        let pdfs = if built {
            [lang, lang.other()]
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
            preview: built.then(|| format!("{slug}.svg")),
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
        push_provenance(&mut prov, provenance(site, &h.provenance, lang));
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
    let mut body = Context::new();
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

// ------------------------------------------------------------ Typst source

/// `s` as a Typst string literal: the only way data enters the Typst source.
/// In code mode a string literal is text, never markup, so `#`, `*`, `[`,
/// `$`, `<`, `@` and friends in data are printed as they are.
pub fn typst_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A label/value row of the contact block (values already literals).
#[derive(Serialize)]
struct LineTyp {
    label: String,
    value: String,
    big: bool,
}

#[derive(Serialize)]
struct HubTyp {
    name: String,
    areas: Vec<String>,
    known: bool,
    contact: Vec<LineTyp>,
    hours: Option<String>,
    ask_instead: Option<String>,
}

/// The tera context of `flyer.typ`; every string is a Typst literal.
#[derive(Serialize)]
struct FlyerTyp {
    lang: String,
    font: String,
    t: BTreeMap<String, String>,
    doc_title: String,
    is_hub: bool,
    name: String,
    kind: String,
    hub: Option<HubTyp>,
    /// A designated city whose hubs go ward by ward: its wards.
    wards: Vec<String>,
    url: String,
    sources: Vec<String>,
    site_title: String,
}

/// One flyer's Typst source and QR code, ready to compile.
pub struct FlyerSource {
    pub lang: Lang,
    pub slug: String,
    pub url: String,
    pub name: String,
    pub typ: String,
    pub qr_svg: String,
}

/// The QR code of `url` as SVG: error correction M, 4-module quiet zone,
/// one unit per module (the flyer scales it to 36 mm).
pub fn qr_svg(url: &str) -> Result<String, String> {
    use qrcode::{EcLevel, QrCode, render::svg};
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| format!("cannot make a QR code of {url}: {e}"))?;
    Ok(code
        .render::<svg::Color>()
        .quiet_zone(true)
        .module_dimensions(1, 1)
        .build())
}

fn source_line(p: &ProvenanceCtx, t: &BTreeMap<String, String>, lang: Lang) -> String {
    let get = |k: &str| t.get(k).cloned().unwrap_or_default();
    let mut line = match lang {
        Lang::Ja => format!(
            "{}：{}（{}）　{}：{}",
            get("source"),
            p.source,
            p.publisher,
            get("as_of"),
            p.as_of
        ),
        Lang::En => format!(
            "{}: {} ({}). {}: {}",
            get("source"),
            p.source,
            p.publisher,
            get("as_of"),
            p.as_of
        ),
    };
    if let Some(v) = &p.last_verified {
        let sep = if lang == Lang::Ja { "　" } else { ". " };
        line.push_str(
            &format!("{sep}{}: {v}", get("last_verified"))
                .replace(": ", if lang == Lang::Ja { "：" } else { ": " }),
        );
    }
    line
}

fn hub_typ(site: &Site, hub: &Hub, lang: Lang) -> HubTyp {
    let t = &site.strings[&lang];
    let get = |k: &str| typst_str(t.get(k).map(String::as_str).unwrap_or(""));
    let c = &hub.contact;
    let mut contact = Vec::new();
    if let Some(p) = &c.phone {
        contact.push(LineTyp {
            label: get("phone"),
            value: typst_str(p),
            big: true,
        });
    }
    if let Some(f) = &c.fax {
        contact.push(LineTyp {
            label: get("fax"),
            value: typst_str(f),
            big: false,
        });
    }
    if let Some(e) = &c.email {
        contact.push(LineTyp {
            label: get("email"),
            value: typst_str(e),
            big: false,
        });
    }
    if let Some(u) = &c.form_url {
        contact.push(LineTyp {
            label: get("form"),
            value: typst_str(u),
            big: false,
        });
    }
    HubTyp {
        name: typst_str(hub.name.str(lang)),
        areas: hub
            .areas
            .iter()
            .filter_map(|code| site.area(code))
            .map(|a| typst_str(&full_name(site, a, lang)))
            .collect(),
        known: !c.is_unknown(),
        contact,
        hours: c.hours.as_ref().map(|h| typst_str(h.str(lang))),
        ask_instead: hub.ask_instead.as_ref().map(|a| typst_str(a.str(lang))),
    }
}

/// The provenance a flyer prints: the same records as its page, plus the
/// sources of the coordinator-role page the categories and actions come from.
fn flyer_provenance(site: &Site, sub: Subject, lang: Lang) -> Vec<ProvenanceCtx> {
    let mut prov = Vec::new();
    match sub {
        Subject::Hub(h) => push_provenance(&mut prov, provenance(site, &h.provenance, lang)),
        Subject::Area(a) => {
            push_provenance(&mut prov, provenance(site, &a.provenance, lang));
            if let Some(h) = site.hub_for(&a.code) {
                push_provenance(&mut prov, provenance(site, &h.provenance, lang));
            }
        }
    }
    if let Some(page) = site
        .pages
        .iter()
        .find(|p| p.lang == lang && p.key == "coordinator-role")
    {
        for id in &page.sources {
            if site.sources.contains_key(id) {
                let p = crate::model::Provenance {
                    source: id.clone(),
                    as_of: page.as_of,
                    last_verified: None,
                };
                if !prov.iter().any(|q| q.source_id == id.as_str()) {
                    push_provenance(&mut prov, provenance(site, &p, lang));
                }
            }
        }
    }
    prov
}

fn flyer_typ(site: &Site, sub: Subject, lang: Lang, font: &str) -> FlyerTyp {
    let strings = &site.strings[&lang];
    let t: BTreeMap<String, String> = strings
        .iter()
        .map(|(k, v)| (k.clone(), typst_str(v)))
        .collect();
    let name = sub.name(site, lang);
    let kind = match sub {
        Subject::Hub(_) => ui(site, lang, "flyer_kind_hub"),
        Subject::Area(a) => {
            let k = ui(site, lang, &format!("kind_{}", a.kind.key()));
            if a.kind == AreaKind::Prefecture {
                k
            } else {
                format!("{k} · {}", site.prefecture_of(a).name.str(lang))
            }
        }
    };
    let wards = match sub {
        Subject::Area(a)
            if a.kind == AreaKind::DesignatedCity && site.hub_for(&a.code).is_none() =>
        {
            site.children(&a.code)
                .map(|w| typst_str(w.name.str(lang)))
                .collect()
        }
        _ => Vec::new(),
    };
    let url = page_url(site, lang, &sub.page_key());
    let sources = flyer_provenance(site, sub, lang)
        .iter()
        .map(|p| typst_str(&source_line(p, strings, lang)))
        .collect();
    FlyerTyp {
        lang: typst_str(lang.code()),
        font: typst_str(font),
        doc_title: typst_str(&format!("{} — {}", ui(site, lang, "flyer_title"), name)),
        is_hub: matches!(sub, Subject::Hub(_)),
        name: typst_str(&name),
        kind: typst_str(&kind),
        hub: sub.hub(site).map(|h| hub_typ(site, h, lang)),
        wards,
        url: typst_str(&url),
        sources,
        site_title: typst_str(site.config.title.str(lang)),
        t,
    }
}

/// The Typst source of every flyer, rendered from `templates/flyer.typ`.
pub fn sources(site: &Site, font: &str) -> Result<Vec<FlyerSource>, Diagnostics> {
    let Some(template) = site.templates.iter().find(|t| t.name == TEMPLATE) else {
        let mut diags = Diagnostics::default();
        diags.push(
            Diagnostic::file(
                format!("templates/{TEMPLATE}"),
                "the flyer template is missing",
            )
            .hint("restore templates/flyer.typ (the Typst source of every flyer)"),
        );
        return Err(diags);
    };
    let mut diags = Diagnostics::default();
    let mut tera = Tera::new();
    // Typst is not HTML: escaping is done by `typst_str`, value by value.
    tera.autoescape_on(Vec::<&str>::new());
    if let Err(e) = tera.add_raw_template(TEMPLATE, &template.text) {
        diags.push(
            Diagnostic::file(&template.path, format!("template syntax error: {e:#}"))
                .hint("see the template syntax at https://keats.github.io/tera/docs/"),
        );
        return Err(diags);
    }
    let mut out = Vec::new();
    for sub in subjects(site) {
        for lang in Lang::ALL {
            let ctx = match Context::from_serialize(&flyer_typ(site, sub, lang, font)) {
                Ok(c) => c,
                Err(e) => {
                    diags.push(Diagnostic::file(&template.path, format!("{e}")));
                    continue;
                }
            };
            let typ = match tera.render(TEMPLATE, &ctx) {
                Ok(t) => t,
                Err(e) => {
                    diags.push(
                        Diagnostic::file(&template.path, format!("template error: {e:#}"))
                            .hint("a variable the flyer template uses is missing from its data"),
                    );
                    return Err(diags);
                }
            };
            let url = page_url(site, lang, &sub.page_key());
            let qr_svg = match qr_svg(&url) {
                Ok(q) => q,
                Err(e) => {
                    diags.push(Diagnostic::file("tsunagu.toml", e).hint("shorten base_url"));
                    continue;
                }
            };
            out.push(FlyerSource {
                lang,
                slug: sub.slug(),
                name: sub.name(site, lang),
                url,
                typ,
                qr_svg,
            });
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}

/// Every flyer's PDF and SVG preview (none when PDFs are not available).
pub fn files(site: &Site) -> Result<Vec<Artifact>, Diagnostics> {
    match availability(site) {
        #[cfg(feature = "pdf")]
        Availability::Pdf { family } => {
            let sources = sources(site, &family)?;
            let compiled = typeset::compile_all(&sources)?;
            let mut files = Vec::with_capacity(compiled.len() * 2);
            for (src, out) in sources.iter().zip(compiled) {
                files.push(Artifact {
                    path: pdf_path(src.lang, &src.slug),
                    bytes: out.pdf.clone(),
                });
                files.push(Artifact {
                    path: svg_path(src.lang, &src.slug),
                    bytes: out.svg.as_bytes().to_vec(),
                });
            }
            Ok(files)
        }
        Availability::Disabled => Ok(Vec::new()),
        _ => {
            // Still check the template and strings, so a broken flyer
            // template fails every build, not only builds with fonts.
            sources(site, "sans-serif")?;
            Ok(Vec::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::typst_str;

    #[test]
    fn data_cannot_inject_typst_markup() {
        assert_eq!(typst_str("a\"b"), r#""a\"b""#);
        assert_eq!(
            typst_str("\\\"); #panic(\"x\")"),
            r#""\\\"); #panic(\"x\")""#
        );
        assert_eq!(typst_str("行1\n行2"), r#""行1\n行2""#);
        assert_eq!(typst_str("\u{7}"), r#""\u{7}""#);
    }
}
