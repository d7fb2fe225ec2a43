//! Facts a reader of the site would notice, checked against the shipped data
//! (through the library's model) and against the built HTML.
//!
//! Expected values that come from the public sources (000: Yokohama hubs,
//! 002: Saitama coordinators and councils, MHLW national table) are written
//! literally here, so a change in data/ or content/ that contradicts a source
//! fails a test instead of silently changing the site.

use crate::common::{page as page_in, sel, shipped_build, shipped_site as site};
use scraper::{ElementRef, Html};
use std::path::{Path, PathBuf};
use tsunagu::lang::Lang;
use tsunagu::model::AreaKind;

mod areas;
mod councils;
mod figures;
mod phones;
mod provenance;
mod yokohama;

// ---------------------------------------------------------------- helpers

/// The shipped project's build (made once for the whole suite).
fn out() -> &'static Path {
    shipped_build().0
}

/// Parses a page of the shipped build (`rel` like "ja/areas/141011").
fn page(rel: &str) -> Html {
    page_in(out(), rel)
}

/// Text of an element, leaving out footnote markers (`<sup>`).
fn text_without_sup(el: ElementRef) -> String {
    let mut s = String::new();
    for node in el.descendants() {
        if let Some(t) = node.value().as_text() {
            let in_sup = node
                .ancestors()
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "sup"));
            if !in_sup {
                s.push_str(t);
            }
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Rows of every table in `scope` (a selector), as cell texts without footnote markers.
fn table_rows(doc: &Html, scope: &str) -> Vec<Vec<String>> {
    let cell = sel("th, td");
    doc.select(&sel(&format!("{scope} tr")))
        .map(|tr| tr.select(&cell).map(text_without_sup).collect())
        .collect()
}

/// An area's display name: wards carry their city (横浜市鶴見区 / Tsurumi Ward, Yokohama City).
fn display_name(code: &str, lang: Lang) -> String {
    let s = site();
    let area = s
        .areas
        .iter()
        .find(|a| a.code.as_str() == code)
        .expect("area in data");
    let name = area.name.str(lang);
    match (area.kind, area.parent.as_ref().and_then(|p| s.area(p))) {
        (AreaKind::Ward, Some(city)) => match lang {
            Lang::Ja | Lang::Easy => format!("{}{name}", city.name.ja),
            Lang::En => format!("{name}, {}", city.name.en),
        },
        _ => name.to_string(),
    }
}

/// All built HTML files.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read output dir") {
            let p = entry.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "html") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}
