//! The accessibility policy and test report, `/<lang>/accessibility/`
//! (issue 24): the shipped site shows the committed results of a real run;
//! a planted violation shows as failing, a page the run missed as not
//! tested, and a broken results file is an error at its line.

use crate::common::{
    build_without_flyers, minimal_fixture, page, repo, run_without_flyers, sel, shipped_build,
    text, ui,
};
use scraper::Html;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use tsunagu::lang::Lang;
use tsunagu::lang::furigana::strip_marks;

/// The report's rows: page path → result cell text.
fn rows(doc: &Html) -> BTreeMap<String, String> {
    doc.select(&sel("table.a11y-pages tbody tr"))
        .map(|tr| {
            let cells: Vec<String> = tr.select(&sel("td")).map(text).collect();
            (cells[0].clone(), cells.get(1).cloned().unwrap_or_default())
        })
        .collect()
}

/// Every page of a built site: `/`, `/404.html` and each `index.html` below
/// a language directory, as site paths.
fn site_pages(site: &Path) -> Vec<String> {
    let mut out = vec!["/".to_string(), "/404.html".to_string()];
    for lang in Lang::VARIANTS {
        for e in walkdir::WalkDir::new(site.join(lang.url_segment()))
            .into_iter()
            .flatten()
        {
            if e.file_name() == "index.html" {
                let rel = e
                    .path()
                    .parent()
                    .expect("dir")
                    .strip_prefix(site)
                    .expect("in site");
                out.push(format!("/{}/", rel.display()));
            }
        }
    }
    out
}

#[test]
fn the_shipped_report_lists_every_page_with_the_committed_results() {
    let (site, _) = shipped_build();
    let data = fs::read_to_string(repo().join("data/accessibility.toml"))
        .expect("the shipped site publishes its results (data/accessibility.toml)");
    let results: toml::Table = toml::from_str(&data).expect("results TOML");
    let tested: Vec<&str> = results["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    let failing: Vec<&str> = results
        .get("failure")
        .and_then(|f| f.as_array())
        .map(|f| f.iter().filter_map(|x| x["path"].as_str()).collect())
        .unwrap_or_default();
    // The axe version is the harness's pinned one.
    let lock = fs::read_to_string(repo().join("tests/e2e/package-lock.json")).expect("lock");
    let lock: serde_json::Value = serde_json::from_str(&lock).expect("lock JSON");
    let axe = lock["packages"]["node_modules/axe-core"]["version"]
        .as_str()
        .expect("axe version");
    assert_eq!(
        results["version"].as_str(),
        Some(axe),
        "results from the pinned axe-core"
    );
    let all = site_pages(site);
    for lang in Lang::VARIANTS {
        let doc = page(site, &format!("{}/accessibility", lang.url_segment()));
        let main = text(doc.select(&sel("main")).next().expect("main"));
        let date = results["date"].as_str().expect("date");
        let date = tsunagu::model::Date::parse(date)
            .expect("a date")
            .display(lang);
        for want in [format!("axe-core {axe}"), date] {
            assert!(main.contains(&want), "{lang}: the report shows {want}");
        }
        let rows = rows(&doc);
        for p in &all {
            let cell = rows
                .get(p)
                .unwrap_or_else(|| panic!("{lang}: no row for {p}"));
            let want = if failing.contains(&p.as_str()) {
                ui(lang, "a11y_fail")
            } else if tested.contains(&p.as_str()) {
                ui(lang, "a11y_pass")
            } else {
                ui(lang, "a11y_not_tested")
            };
            // An easy string's furigana notation is shown as ruby.
            let want = &strip_marks(want);
            assert!(
                cell.starts_with(want),
                "{lang}: {p} shows {cell:?}, want {want:?}"
            );
        }
        assert_eq!(
            rows.len(),
            all.len(),
            "{lang}: one row per page of the site"
        );
    }
}

#[test]
fn a_planted_violation_shows_as_failing_and_a_page_left_out_as_not_tested() {
    let project = minimal_fixture();
    let results = r#"
date = "2026-01-15"
tool = "axe-core"
version = "4.14.1"
browser = "Chromium 1.0"
widths = [375, 1280]
tags = ["wcag2a", "wcag2aa"]
criteria = [{ id = "1.1.1", level = "A" }, { id = "1.4.3", level = "AA" }]
pages = ["/", "/404.html", "/ja/", "/en/about/"]

# SYNTHETIC test results, not from a run
[[failure]]
path = "/ja/"
criteria = ["1.1.1"]
rules = ["image-alt"]
"#;
    fs::write(project.path().join("data/accessibility.toml"), results).expect("write");
    let site = build_without_flyers(project.path(), &[]);
    let doc = page(&site, "ja/accessibility");
    let rows = rows(&doc);
    let ja = &rows["/ja/"];
    assert!(
        ja.starts_with(ui(Lang::Ja, "a11y_fail"))
            && ja.contains("1.1.1")
            && ja.contains("image-alt"),
        "/ja/: {ja:?}"
    );
    assert!(rows["/en/about/"].starts_with(ui(Lang::Ja, "a11y_pass")));
    assert!(
        rows["/en/"].starts_with(ui(Lang::Ja, "a11y_not_tested")),
        "a page the run missed"
    );
    assert!(rows["/ja/accessibility/"].starts_with(ui(Lang::Ja, "a11y_not_tested")));
    let criteria: BTreeMap<String, String> = doc
        .select(&sel("main table:not(.a11y-pages) tbody tr"))
        .map(|tr| {
            let th = text(tr.select(&sel("th")).next().expect("th"));
            let tds: Vec<String> = tr.select(&sel("td")).map(text).collect();
            (th, tds.join(" "))
        })
        .collect();
    assert!(
        criteria["1.1.1"].contains(ui(Lang::Ja, "a11y_fail")),
        "{criteria:?}"
    );
    assert!(
        criteria["1.4.3"].contains(ui(Lang::Ja, "a11y_pass")),
        "{criteria:?}"
    );
    let main = text(doc.select(&sel("main")).next().expect("main"));
    assert!(main.contains("2026年1月15日"), "the run's date: {main}");
    assert!(main.contains("axe-core 4.14.1"));
}

#[test]
fn without_results_every_page_is_not_tested_and_a_bad_file_is_an_error_at_its_line() {
    let project = minimal_fixture();
    let site = build_without_flyers(project.path(), &[]);
    let doc = page(&site, "en/accessibility");
    let rows = rows(&doc);
    assert!(rows.len() >= 6, "{rows:?}");
    assert!(
        rows.values().all(|r| r == ui(Lang::En, "a11y_not_tested")),
        "{rows:?}"
    );

    let bad = "date = \"2026-01-15\"\ntool = \"axe-core\"\nversion = \"4.14.1\"\nbrowser = \"x\"\n\
               widths = [375]\ntags = []\ncriteria = [{ id = \"1.1.1\", level = \"AAA\" }]\n\
               pages = [\"/ja/\"]\n\n[[failure]]\npath = \"/en/\"\ncriteria = [\"1.1.1\"]\nrules = [\"x\"]\n";
    fs::write(project.path().join("data/accessibility.toml"), bad).expect("write");
    let r = run_without_flyers(project.path(), &["check"]);
    assert!(!r.ok, "a bad results file fails check");
    let log = r.log();
    assert!(log.contains("data/accessibility.toml:7:"), "{log}");
    assert!(log.contains("level `AAA` is not A or AA"), "{log}");
    assert!(
        log.contains("data/accessibility.toml:11:")
            && log.contains("page `/en/` is not in `pages`"),
        "{log}"
    );
}
