//! PDF/UA-1 (issue 24): a screen-reader user who gets a flyer by e-mail
//! gets its title, language, headings in reading order and the QR code's
//! address. Read with `qpdf --json` (Debian `qpdf`, installed by
//! `scripts/install-system-deps`) and `pdfinfo -meta`, for every flyer.

use super::{check_every_flyer, pdf, shipped, tool};
use crate::common::{shipped_site as site, ui};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use tsunagu::features::flyers;

/// Every object of a PDF by its `"obj:N 0 R"` key, streams as their
/// dictionary, the trailer as `"trailer"` (`qpdf --json`, version 2).
fn objects(file: &Path) -> BTreeMap<String, Value> {
    let o = Command::new("qpdf")
        .args(["--json=2", "--json-key=qpdf"])
        .arg(file)
        .output()
        .expect("run qpdf (install it with scripts/install-system-deps)");
    assert!(
        o.status.success(),
        "qpdf {}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    let json: Value = serde_json::from_slice(&o.stdout).expect("qpdf JSON");
    let objs = json["qpdf"][1].as_object().expect("qpdf objects");
    objs.iter()
        .map(|(k, v)| {
            let v = v.get("value").or_else(|| v["stream"].get("dict"));
            (k.clone(), v.cloned().unwrap_or(Value::Null))
        })
        .collect()
}

/// A text string of qpdf's JSON (`"u:…"`), decoded.
fn text(v: &Value) -> Option<&str> {
    v.as_str().and_then(|s| s.strip_prefix("u:"))
}

/// What is wrong with one flyer's PDF/UA structure.
fn problems(file: &Path, lang: &str, title: &str, url: &str) -> Vec<String> {
    let objs = objects(file);
    let get = |r: &Value| r.as_str().and_then(|k| objs.get(&format!("obj:{k}")));
    let mut bad = Vec::new();
    let trailer = &objs["trailer"];
    let catalog = get(&trailer["/Root"]).expect("catalog");
    if get(&catalog["/StructTreeRoot"]).is_none() {
        bad.push("no StructTreeRoot".to_string());
    }
    if catalog["/MarkInfo"]["/Marked"] != Value::Bool(true) {
        bad.push("not /Marked".into());
    }
    // `/Suspects false` is valid PDF; poppler 22 misreports it (below).
    if !matches!(
        catalog["/MarkInfo"].get("/Suspects"),
        None | Some(Value::Bool(false))
    ) {
        bad.push(format!("/Suspects {:?}", catalog["/MarkInfo"]["/Suspects"]));
    }
    if text(&catalog["/Lang"]) != Some(lang) {
        bad.push(format!("/Lang {:?}, want {lang}", catalog["/Lang"]));
    }
    if catalog["/ViewerPreferences"]["/DisplayDocTitle"] != Value::Bool(true) {
        bad.push("no /DisplayDocTitle true".into());
    }
    let info_title = get(&trailer["/Info"]).and_then(|i| text(&i["/Title"]));
    if info_title != Some(title) {
        bad.push(format!("/Title {info_title:?}, want {title:?}"));
    }
    // Structure elements by their type: every figure has alternative text,
    // the QR code's being its address; headings H1 and H2 are tagged.
    let mut kinds = BTreeMap::<String, usize>::new();
    let mut qr = false;
    for o in objs.values() {
        let Some(s) = o.get("/S").and_then(Value::as_str) else {
            continue;
        };
        if o.get("/P").is_none() {
            continue; // not a structure element
        }
        *kinds.entry(s.to_string()).or_default() += 1;
        if s == "/Figure" {
            match text(&o["/Alt"]) {
                Some(alt) if !alt.trim().is_empty() => qr |= alt.contains(url),
                _ => bad.push(format!("a Figure without /Alt: {o}")),
            }
        }
    }
    if !qr {
        bad.push(format!("no Figure whose /Alt holds {url}"));
    }
    for h in ["/H1", "/H2"] {
        if !kinds.contains_key(h) {
            bad.push(format!("no {h} heading; structure types: {kinds:?}"));
        }
    }
    let meta = tool("pdfinfo", &["-meta"], file);
    if !meta.contains("<pdfuaid:part>1</pdfuaid:part>") && !meta.contains("pdfuaid:part=\"1\"") {
        bad.push("the XMP metadata does not declare PDF/UA-1 (pdfuaid:part 1)".into());
    }
    bad.into_iter()
        .map(|b| format!("{}: {b}", file.display()))
        .collect()
}

#[test]
fn every_flyer_is_pdf_ua_1_with_title_language_headings_and_alt_text() {
    let site = site();
    let dir = shipped();
    check_every_flyer(|lang, sub| {
        let title = format!("{} — {}", ui(lang, "flyer_title"), sub.name(site, lang));
        let url = flyers::page_url(site, lang, &sub.page_key());
        problems(&pdf(dir, lang, sub), lang.code(), &title, &url)
    });
}

/// What poppler up to 25.11 prints for a valid `/MarkInfo << /Suspects
/// false >>` (its Catalog.cc warns on any Suspects that is not `true`;
/// fixed upstream later): not a fault of the file, checked above with qpdf.
const POPPLER_SUSPECTS: &str = "Syntax Error: Suspects object is wrong type (boolean)";

#[test]
fn pdfinfo_reads_every_flyer_without_a_warning() {
    let dir = shipped();
    check_every_flyer(|lang, sub| {
        let file = pdf(dir, lang, sub);
        let o = Command::new("pdfinfo")
            .arg(&file)
            .output()
            .expect("run pdfinfo (poppler-utils)");
        let err = String::from_utf8_lossy(&o.stderr);
        let err: Vec<&str> = err.lines().filter(|l| *l != POPPLER_SUSPECTS).collect();
        let err = err.join("\n");
        if o.status.success() && err.trim().is_empty() {
            Vec::new()
        } else {
            vec![format!("{}: {}", file.display(), err.trim())]
        }
    });
}
