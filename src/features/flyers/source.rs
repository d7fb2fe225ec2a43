//! Each flyer's Typst source: `templates/flyer.typ` rendered with every
//! data value as an escaped Typst string literal, and the QR code to the
//! flyer's page.

use super::{Subject, TEMPLATE, page_url, subjects};
use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::model::{AreaKind, Hub, Site};
use crate::render::links::full_name;
use crate::render::{ProvenanceCtx, provenance, push_provenance, ui};
use serde::Serialize;
use std::collections::BTreeMap;
use tera::{Context, Tera};

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
    /// The QR code's alternative text: what it is and the address it holds.
    qr_alt: String,
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
        Lang::Ja | Lang::Easy => format!(
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
        Subject::Hub(h) => {
            for p in h.provenances() {
                push_provenance(&mut prov, provenance(site, p, lang));
            }
        }
        Subject::Area(a) => {
            push_provenance(&mut prov, provenance(site, &a.provenance, lang));
            for p in site.hub_for(&a.code).iter().flat_map(|h| h.provenances()) {
                push_provenance(&mut prov, provenance(site, p, lang));
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
        qr_alt: typst_str(&format!("{}: {url}", ui(site, lang, "flyer_qr_alt"))),
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
