//! The open-data files (CSVW metadata, table check, DCAT catalogue), the
//! change feeds and the sitemap's dates.

use crate::common::{
    attrs, build_without_flyers, minimal_fixture, run_without_flyers, shipped_build, shipped_site,
    ui,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use tsunagu::lang::Lang;

/// Reads a CSV file as the build wrote it: header and rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = fs::read(path).expect("csv");
    let text = String::from_utf8(bytes).expect("utf-8");
    let text = text.strip_prefix('\u{feff}').expect("a BOM");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|r| r.expect("row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn csvw_metadata_describes_every_column_of_every_csv() {
    let (site, _) = shipped_build();
    let dir = site.join("open-data");
    let mut checked = 0;
    for e in fs::read_dir(&dir).expect("open-data") {
        let path = e.expect("entry").path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".csv") || name.ends_with(".sjis.csv") {
            continue;
        }
        let meta_path = dir.join(format!("{name}-metadata.json"));
        let meta: Value =
            serde_json::from_slice(&fs::read(&meta_path).unwrap_or_else(|e| panic!("{name}: {e}")))
                .expect("JSON");
        assert_eq!(meta["url"], name.as_str());
        assert_eq!(meta["@context"][0], "http://www.w3.org/ns/csvw");
        assert_eq!(meta["dialect"]["encoding"], "utf-8");
        assert_eq!(meta["dialect"]["header"], true);
        let (header, rows) = read_csv(&path);
        let columns = meta["tableSchema"]["columns"].as_array().expect("columns");
        let titles: Vec<&str> = columns
            .iter()
            .map(|c| c["titles"]["ja"].as_str().expect("title"))
            .collect();
        assert_eq!(titles, header, "{name}");
        // Each column's datatype and `required` hold for every cell.
        for (k, c) in columns.iter().enumerate() {
            let format = c["datatype"]["format"].as_str().map(|f| regex_lite(f));
            for (i, row) in rows.iter().enumerate() {
                let cell = &row[k];
                if cell.is_empty() {
                    assert_ne!(
                        c["required"],
                        true,
                        "{name} row {} {}: required",
                        i + 1,
                        titles[k]
                    );
                    continue;
                }
                if let Some(allowed) = &format {
                    assert!(allowed(cell), "{name} row {} {}: {cell}", i + 1, titles[k]);
                }
            }
        }
        // The cp932 copy has its own metadata naming its encoding.
        let sjis = name.replace(".csv", ".sjis.csv");
        let meta: Value = serde_json::from_slice(
            &fs::read(dir.join(format!("{sjis}-metadata.json"))).expect("sjis metadata"),
        )
        .expect("JSON");
        assert_eq!(meta["url"], sjis.as_str());
        assert_eq!(meta["dialect"]["encoding"], "shift_jis");
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} CSV files");
}

/// The few patterns the metadata uses, as a predicate (no regex crate).
fn regex_lite(format: &str) -> Box<dyn Fn(&str) -> bool> {
    match format {
        "^[0-9]{6}$" => Box::new(|s| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())),
        "^(yes|no)$" => Box::new(|s| s == "yes" || s == "no"),
        r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$" => Box::new(|s| tsunagu::model::Date::parse(s).is_ok()),
        f if f.starts_with("^(") && f.ends_with(")$") => {
            let choices: Vec<String> = f[2..f.len() - 2].split('|').map(String::from).collect();
            Box::new(move |s| choices.iter().any(|c| c == s))
        }
        f => panic!("a pattern this test does not know: {f}"),
    }
}

#[test]
fn a_line_break_inside_a_cell_fails_the_build_and_the_feed_orders_dates() {
    let dir = minimal_fixture();
    let root = dir.path();
    let providers = root.join("data/providers");
    fs::create_dir_all(&providers).expect("providers dir");
    let area = shipped_like_area(root);
    fs::write(
        providers.join("zz-synthetic.toml"),
        format!(
            r#"# SYNTHETIC test record
[[provider]]
id = "zz-synthetic-line-break"
name = {{ ja = "合成テスト事業所", en = "Synthetic Test Provider" }}
kind = "visiting_nursing"
areas = ["{area}"]
note = {{ ja = """一行目
二行目""", en = "one line" }}
source = "{source}"
as_of = "2024-03"
last_verified = "2024-03-01"

[[provider]]
id = "zz-synthetic-newer"
name = {{ ja = "合成テスト事業所２", en = "Synthetic Test Provider 2" }}
kind = "short_stay"
areas = ["{area}"]
source = "{source}"
as_of = "2024-03"
last_verified = "2025-06-01"
"#,
            source = first_source(root),
        ),
    )
    .expect("write");
    let run = run_without_flyers(root, &["build"]);
    assert!(!run.ok, "the build succeeded:\n{}", run.stdout);
    assert!(
        run.stderr.contains("open-data/providers.csv")
            && run
                .stderr
                .contains("dataset `providers`, row 1 (ID zz-synthetic-line-break)")
            && run.stderr.contains("`備考`: a line break inside a cell"),
        "{}",
        run.stderr
    );
    assert!(!root.join("site").exists(), "a failed build wrote the site");
    // The same record on one line builds.
    crate::common::edit(
        &providers.join("zz-synthetic.toml"),
        "一行目\n二行目",
        "一行目。二行目",
    );
    let site = build_without_flyers(root, &[]);
    assert!(site.join("open-data/providers.csv").is_file());
    // Records of different dates: the feed has the newest first.
    let feed = fs::read_to_string(site.join("en/changes.xml")).expect("feed");
    let doc = roxmltree::Document::parse(&feed).expect("Atom");
    let updated: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "entry")
        .filter_map(|e| e.children().find(|c| c.tag_name().name() == "updated"))
        .filter_map(|u| u.text())
        .collect();
    assert!(
        updated.iter().collect::<BTreeSet<_>>().len() > 1,
        "the dates differ: {updated:?}"
    );
    assert!(updated.is_sorted_by(|a, b| a >= b), "{updated:?}");
    assert!(feed.contains("Synthetic Test Provider 2"), "{feed}");
}

/// An area code of the fixture.
fn shipped_like_area(root: &Path) -> String {
    let site = tsunagu::pipeline::load_site(root, None).expect("fixture");
    site.areas
        .iter()
        .find(|a| a.kind != tsunagu::model::AreaKind::Prefecture)
        .unwrap_or(&site.areas[0])
        .code
        .to_string()
}

fn first_source(root: &Path) -> String {
    let site = tsunagu::pipeline::load_site(root, None).expect("fixture");
    site.sources.keys().next().expect("a source").to_string()
}

#[test]
fn change_feeds_are_atom_newest_first_linking_built_pages() {
    let (site, _) = shipped_build();
    let model = shipped_site();
    let prefectures: Vec<String> = model
        .areas
        .iter()
        .filter(|a| a.kind == tsunagu::model::AreaKind::Prefecture)
        .map(|a| a.code.to_string())
        .collect();
    let base = &model.config.base_url;
    for lang in Lang::ALL {
        let mut feeds = vec![format!("{lang}/changes.xml")];
        feeds.extend(
            prefectures
                .iter()
                .map(|c| format!("{lang}/areas/{c}/changes.xml")),
        );
        let mut in_prefectures = 0;
        for (n, rel) in feeds.iter().enumerate() {
            let text = fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let feed = doc.root_element();
            let atom = "http://www.w3.org/2005/Atom";
            assert_eq!(feed.tag_name().name(), "feed");
            assert_eq!(feed.tag_name().namespace(), Some(atom));
            let child = |el: roxmltree::Node<'_, '_>, name: &str| {
                el.children()
                    .find(|c| c.tag_name().name() == name)
                    .and_then(|c| c.text())
                    .map(String::from)
            };
            assert_eq!(
                child(feed, "id").as_deref(),
                Some(format!("{base}{rel}").as_str())
            );
            assert!(child(feed, "title").is_some_and(|t| !t.is_empty()));
            let updated = child(feed, "updated").expect("updated");
            assert!(is_rfc3339(&updated), "{rel}: {updated}");
            let entries: Vec<_> = feed
                .children()
                .filter(|c| c.tag_name().name() == "entry")
                .collect();
            if n == 0 {
                assert_eq!(
                    entries.len(),
                    model.hubs.len() + model.providers.len(),
                    "{rel}"
                );
            } else {
                in_prefectures += entries.len();
            }
            let mut ids = BTreeSet::new();
            let mut last: Option<String> = None;
            for e in &entries {
                let id = child(*e, "id").expect("entry id");
                assert!(ids.insert(id.clone()), "{rel}: {id} twice");
                let updated = child(*e, "updated").expect("entry updated");
                assert!(is_rfc3339(&updated), "{rel}: {updated}");
                if let Some(prev) = &last {
                    assert!(prev >= &updated, "{rel}: {updated} after {prev}");
                }
                last = Some(updated);
                let href = e
                    .children()
                    .find(|c| {
                        c.tag_name().name() == "link" && c.attribute("rel") == Some("alternate")
                    })
                    .and_then(|l| l.attribute("href"))
                    .expect("a link to the page");
                assert_eq!(href, id, "{rel}: the id is the page's URL");
                let page = href.strip_prefix(base.as_str()).expect("on this site");
                assert!(
                    site.join(page).join("index.html").is_file(),
                    "{rel}: {href} is not built"
                );
                let summary = child(*e, "summary").expect("summary");
                assert!(summary.contains(ui(lang, "source")), "{rel}: {summary}");
            }
        }
        assert!(
            in_prefectures > 0,
            "{lang}: the prefecture feeds are all empty"
        );
        // Every page links its language's feed.
        let home = crate::common::page(site, &format!("{lang}"));
        let linked = attrs(
            &home,
            r#"link[rel="alternate"][type="application/atom+xml"]"#,
            "href",
        );
        assert_eq!(linked, [format!("../{lang}/changes.xml")], "{lang}");
    }
}

/// `YYYY-MM-DDTHH:MM:SS+09:00`, as the feeds write dates.
fn is_rfc3339(s: &str) -> bool {
    s.len() == 25 && tsunagu::model::Date::parse(&s[..10]).is_ok() && &s[10..] == "T00:00:00+09:00"
}

#[test]
fn the_catalogue_lists_every_open_data_file_with_its_size_and_sha256() {
    use sha2::Digest;
    let (site, _) = shipped_build();
    let base = &shipped_site().config.base_url;
    let text = fs::read_to_string(site.join("open-data/catalog.jsonld")).expect("catalogue");
    let cat: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(cat["@type"], "dcat:Catalog");
    assert_eq!(cat["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    let mut listed = BTreeSet::new();
    for ds in cat["dcat:dataset"].as_array().expect("datasets") {
        assert_eq!(ds["@type"], "dcat:Dataset");
        let titles: Vec<&str> = ds["dct:title"]
            .as_array()
            .expect("titles")
            .iter()
            .map(|t| t["@language"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["ja", "en"], "{}", ds["dct:identifier"]);
        assert!(ds["dct:publisher"].is_object() && ds["dct:spatial"].is_array());
        for d in ds["dcat:distribution"].as_array().expect("distributions") {
            assert_eq!(d["@type"], "dcat:Distribution");
            let url = d["dcat:downloadURL"]["@id"].as_str().expect("URL");
            let rel = url.strip_prefix(base.as_str()).expect("on this site");
            let bytes = fs::read(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert_eq!(
                d["dcat:byteSize"]["@value"],
                bytes.len().to_string().as_str(),
                "{rel}"
            );
            let sha: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(
                d["spdx:checksum"]["spdx:checksumValue"]["@value"],
                sha.as_str(),
                "{rel}"
            );
            assert!(
                d["dcat:mediaType"]["@id"]
                    .as_str()
                    .is_some_and(|m| m.contains("media-types/"))
            );
            listed.insert(rel.to_string());
        }
    }
    // Every open-data file but the catalogue itself is listed.
    let on_disk: BTreeSet<String> = fs::read_dir(site.join("open-data"))
        .expect("open-data")
        .map(|e| {
            format!(
                "open-data/{}",
                e.expect("entry").file_name().to_string_lossy()
            )
        })
        .filter(|p| p != "open-data/catalog.jsonld")
        .collect();
    assert_eq!(listed, on_disk);
    // The open-data page links it.
    let page = crate::common::page(site, "ja/open-data");
    let links = attrs(&page, "main a", "href");
    assert!(
        links
            .iter()
            .any(|h| h.ends_with("open-data/catalog.jsonld")),
        "{links:?}"
    );
}

#[test]
fn the_sitemap_gives_each_page_its_sources_latest_date() {
    let (site, _) = shipped_build();
    let model = shipped_site();
    let sitemap = fs::read_to_string(site.join("sitemap.xml")).expect("sitemap");
    let doc = roxmltree::Document::parse(&sitemap).expect("XML");
    let lastmod = |url: &str| -> Option<String> {
        let u = doc
            .descendants()
            .find(|n| n.tag_name().name() == "loc" && n.text() == Some(url))?
            .parent()?;
        u.children()
            .find(|c| c.tag_name().name() == "lastmod")
            .and_then(|c| c.text())
            .map(String::from)
    };
    let base = &model.config.base_url;
    for hub in &model.hubs {
        let p = hub
            .provenances()
            .map(|p| p.last_verified.map_or(p.as_of, |v| v.max(p.as_of)))
            .max();
        for lang in Lang::ALL {
            let url = format!("{base}{lang}/hubs/{}/", hub.id);
            assert_eq!(lastmod(&url), p.map(|d| d.to_string()), "{url}");
        }
    }
    for pr in &model.providers {
        let p = &pr.provenance;
        let date = p.last_verified.map_or(p.as_of, |v| v.max(p.as_of));
        let url = format!("{base}ja/registry/{}/", pr.id);
        assert_eq!(lastmod(&url), Some(date.to_string()), "{url}");
    }
}
