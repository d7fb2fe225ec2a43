//! Machine-readable output (issue 23): the JSON-LD of every page against
//! what the page shows (here), and the files in [`files`]: the CSVW
//! metadata against the CSV files, the machine-readable table check, the
//! DCAT catalogue, the Atom change feeds and the sitemap's dates. All but
//! the planted-line-break test read the one shared build of the shipped site.

mod files;

use crate::common::{attrs, sel, shipped_build, shipped_site, text, texts, ui};
use scraper::Html;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use tsunagu::lang::Lang;

/// The schema.org types the site may use.
const TYPES: &[&str] = &[
    "WebPage",
    "WebSite",
    "BreadcrumbList",
    "ListItem",
    "GovernmentService",
    "ServiceChannel",
    "ContactPoint",
    "Place",
    "Audience",
    "AdministrativeArea",
    "PropertyValue",
    "Organization",
    "PostalAddress",
    "GeoCoordinates",
    "MedicalOrganization",
    "LocalBusiness",
    "ChildCare",
    "School",
    "GovernmentOffice",
];

/// Every HTML file of a built site, relative to it.
fn html_files(site: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.expect("walk").into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| p.strip_prefix(site).expect("inside").to_path_buf())
        .collect();
    files.sort();
    files
}

/// The page's JSON-LD scripts, parsed.
fn json_ld(doc: &Html) -> Vec<Value> {
    doc.select(&sel(r#"script[type="application/ld+json"]"#))
        .map(|s| {
            let raw = s.inner_html();
            serde_json::from_str(&raw).unwrap_or_else(|e| panic!("not JSON ({e}): {raw}"))
        })
        .collect()
}

/// The graph's node of type `ty`.
fn node<'v>(ld: &'v Value, ty: &str) -> Option<&'v Value> {
    ld["@graph"]
        .as_array()
        .expect("@graph")
        .iter()
        .find(|n| n["@type"] == ty)
}

/// Checks every object below `v`: its type is allowed and no value is
/// empty, null or the "unknown" placeholder.
fn check_values(v: &Value, at: &str, unknown: &[&str]) {
    match v {
        Value::Object(map) => {
            if let Some(t) = map.get("@type") {
                let t = t.as_str().unwrap_or_default();
                assert!(TYPES.contains(&t), "{at}: type {t} is not allowed");
            }
            for (k, v) in map {
                check_values(v, &format!("{at}.{k}"), unknown);
            }
        }
        Value::Array(items) => {
            assert!(!items.is_empty(), "{at}: an empty list");
            for (i, v) in items.iter().enumerate() {
                check_values(v, &format!("{at}[{i}]"), unknown);
            }
        }
        Value::String(s) => {
            assert!(!s.trim().is_empty(), "{at}: an empty value");
            assert!(
                !unknown.contains(&s.as_str()),
                "{at}: the unknown placeholder {s}"
            );
        }
        Value::Null => panic!("{at}: null"),
        _ => {}
    }
}

#[test]
fn every_page_has_one_json_ld_of_allowed_types_with_its_breadcrumb() {
    let (site, _) = shipped_build();
    let unknown = [
        ui(Lang::Ja, "unknown"),
        ui(Lang::En, "unknown"),
        "未掲載",
        "not listed yet",
    ];
    let mut pages = 0;
    for rel in html_files(site) {
        let file = site.join(&rel);
        let doc = Html::parse_document(&fs::read_to_string(&file).expect("read"));
        let lds = json_ld(&doc);
        if rel == Path::new("404.html") {
            assert!(lds.is_empty(), "the 404 page stands for no page");
            continue;
        }
        let at = rel.display().to_string();
        assert_eq!(lds.len(), 1, "{at}: one JSON-LD script");
        let ld = &lds[0];
        assert_eq!(ld["@context"], "https://schema.org", "{at}");
        check_values(ld, &at, &unknown);
        let page = node(ld, "WebPage").unwrap_or_else(|| panic!("{at}: no WebPage"));
        let canonical = attrs(&doc, r#"link[rel="canonical"]"#, "href");
        assert_eq!(page["url"], canonical[0].as_str(), "{at}");
        let lang = attrs(&doc, "html", "lang");
        if rel.starts_with("ja") || rel.starts_with("en") || rel.starts_with("easy") {
            // Easy pages are Japanese: lang and inLanguage `ja`.
            assert_eq!(page["inLanguage"], lang[0].as_str(), "{at}");
            // The footer's sources: their date and documents.
            if doc.select(&sel(".provenance li")).next().is_some() {
                let date = page["dateModified"].as_str().unwrap_or_default();
                assert!(
                    date.len() >= 7 && tsunagu::model::Date::parse(date).is_ok(),
                    "{at}: dateModified {date:?}"
                );
            }
        }
        // The breadcrumb as the page shows it, in order, with its links.
        let visible = texts(&doc, "nav.crumbs li");
        match node(ld, "BreadcrumbList") {
            None => assert!(
                visible.is_empty(),
                "{at}: a breadcrumb without BreadcrumbList"
            ),
            Some(list) => {
                let items = list["itemListElement"].as_array().expect("items");
                let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
                assert_eq!(names, visible, "{at}");
                let hrefs = attrs(&doc, "nav.crumbs li a", "href");
                for (item, href) in items.iter().zip(&hrefs) {
                    let url = item["item"].as_str().unwrap();
                    let target = resolve(site, &rel, href);
                    assert!(
                        url.ends_with(&target),
                        "{at}: crumb {url} is not the link {href}"
                    );
                }
                assert_eq!(items.last().unwrap()["item"], page["url"], "{at}");
            }
        }
        pages += 1;
    }
    assert!(pages > 500, "only {pages} pages checked");
}

/// A relative link of page `rel` as a path below the site root (`ja/areas/`).
fn resolve(site: &Path, rel: &Path, href: &str) -> String {
    let mut dir: Vec<&str> = rel
        .parent()
        .map(|p| {
            p.to_str()
                .unwrap()
                .split('/')
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let (path, _) = href.split_once('#').unwrap_or((href, ""));
    for seg in path.split('/') {
        match seg {
            ".." => {
                dir.pop();
            }
            "" | "." => {}
            s => dir.push(s),
        }
    }
    let joined = dir.join("/");
    let target = if path.ends_with('/') || path.is_empty() {
        format!("{joined}/")
    } else {
        joined
    };
    let on_disk = if target.ends_with('/') {
        site.join(&target).join("index.html")
    } else {
        site.join(&target)
    };
    assert!(
        on_disk.is_file(),
        "{href} from {} is no page",
        rel.display()
    );
    target
}

/// A page's main entity: the node its WebPage names.
fn entity(ld: &Value) -> &Value {
    let id = node(ld, "WebPage").expect("WebPage")["mainEntity"]["@id"]
        .as_str()
        .unwrap_or_else(|| panic!("no mainEntity in {ld}"));
    ld["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["@id"] == id)
        .unwrap_or_else(|| panic!("no main entity in {ld}"))
}

fn page_ld(site: &Path, rel: &str) -> (Html, Value) {
    let doc = crate::common::page(site, rel);
    let ld = json_ld(&doc).remove(0);
    (doc, ld)
}

fn area_codes(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .expect("areaServed")
        .iter()
        .map(|a| a["identifier"]["value"].as_str().unwrap().to_string())
        .collect()
}

/// The visible phone number of a page's contact block, if any.
fn visible_phone(doc: &Html, scope: &str) -> Option<String> {
    attrs(doc, &format!("{scope} a[href^=\"tel:\"]"), "href")
        .first()
        .map(|h| h.trim_start_matches("tel:").to_string())
}

fn digits(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

#[test]
fn hub_area_and_provider_json_ld_says_what_the_page_shows() {
    let (site, _) = shipped_build();
    let model = shipped_site();
    for lang in Lang::ALL {
        for hub in &model.hubs {
            let rel = format!("{lang}/hubs/{}", hub.id);
            let (doc, ld) = page_ld(site, &rel);
            let s = entity(&ld);
            assert_eq!(s["@type"], "GovernmentService", "{rel}");
            assert_eq!(s["name"], texts(&doc, "main h1")[0].as_str(), "{rel}");
            let shown: BTreeSet<String> = attrs(&doc, "dl.facts a", "href")
                .iter()
                .filter_map(|h| h.trim_end_matches('/').rsplit('/').next().map(String::from))
                .filter(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
                .collect();
            assert_eq!(area_codes(&s["areaServed"]), shown, "{rel}");
            let phone = s["availableChannel"]["servicePhone"]["telephone"].as_str();
            assert_eq!(
                phone.map(digits),
                visible_phone(&doc, ".contact"),
                "{rel}: the phone number"
            );
            match &hub.operator {
                Some(o) => assert_eq!(s["serviceOperator"]["name"], o.str(lang), "{rel}"),
                None => assert!(s.get("serviceOperator").is_none(), "{rel}"),
            }
        }
        // Areas with a hub, and areas without one.
        let (mut with, mut without) = (0, 0);
        for area in &model.areas {
            let rel = format!("{lang}/areas/{}", area.code);
            let (doc, ld) = page_ld(site, &rel);
            let e = entity(&ld);
            let hub_link = texts(&doc, ".hub-name a");
            if let Some(hub) = hub_link.first() {
                with += 1;
                assert_eq!(e["@type"], "GovernmentService", "{rel}");
                assert_eq!(e["name"], hub.as_str(), "{rel}");
                assert_eq!(
                    area_codes(&e["areaServed"]),
                    BTreeSet::from([area.code.to_string()]),
                    "{rel}"
                );
                let phone = e["availableChannel"]["servicePhone"]["telephone"].as_str();
                assert_eq!(
                    phone.map(digits),
                    visible_phone(&doc, ".hub-block"),
                    "{rel}"
                );
            } else {
                without += 1;
                assert_eq!(e["@type"], "AdministrativeArea", "{rel}");
                assert_eq!(e["identifier"]["value"], area.code.as_str(), "{rel}");
                assert_eq!(e["name"], texts(&doc, "main h1")[0].as_str(), "{rel}");
            }
        }
        assert!(
            with > 0 && without > 0,
            "{lang}: {with} with a hub, {without} without"
        );
        for p in &model.providers {
            let rel = format!("{lang}/registry/{}", p.id);
            let (doc, ld) = page_ld(site, &rel);
            let e = entity(&ld);
            assert_eq!(e["name"], texts(&doc, "main h1")[0].as_str(), "{rel}");
            let kind = text(doc.select(&sel("main p.kind")).next().expect("kind"));
            let expected = match p.kind.key() {
                "hospital_clinic" | "visiting_nursing" => "MedicalOrganization",
                "nursery" => "ChildCare",
                "school" => "School",
                "municipal_office" => "GovernmentOffice",
                "other" => "Organization",
                _ => "LocalBusiness",
            };
            assert_eq!(e["@type"], expected, "{rel} ({kind})");
            assert_eq!(
                e["telephone"].as_str().map(digits),
                visible_phone(&doc, ".contact"),
                "{rel}"
            );
            let facts = texts(&doc, "dl.facts dd").join(" | ");
            match e["address"]["streetAddress"].as_str() {
                Some(a) => assert!(facts.contains(a), "{rel}: {a} not in {facts}"),
                None => assert!(p.address.is_none(), "{rel}: the address is left out"),
            }
            let shown: BTreeSet<String> = p.areas.iter().map(|c| c.to_string()).collect();
            assert_eq!(area_codes(&e["areaServed"]), shown, "{rel}");
        }
    }
}
