//! Saitama's councils (source 002): 63 unknown statuses beside the
//! published totals, and what the site and `check` say when data and totals disagree.

use super::{page, table_rows};
use crate::common::{
    Run, run_without_flyers as run, sel, shipped_project, shipped_site as site, text, texts, ui,
};
use scraper::{ElementRef, Html};
use std::collections::BTreeSet;
use tsunagu::lang::Lang;
use tsunagu::model::CouncilStatus;

// ---------------------------------------------------------------- Saitama councils

const SAITAMA: &str = "110001";

#[test]
fn saitama_council_statuses_are_63_unknown_with_published_totals_35_19_9() {
    let s = site();
    let council = s
        .councils
        .iter()
        .find(|c| c.prefecture.as_str() == SAITAMA)
        .expect("a Saitama council file");
    let latest = council.latest();
    assert_eq!(latest.len(), 63, "Saitama has 63 municipalities");
    for st in &latest {
        assert_eq!(
            st.status,
            CouncilStatus::Unknown,
            "{}: the source gives no per-municipality status",
            st.area
        );
        assert!(
            st.partners.is_empty(),
            "{}: no partners are listed in the source",
            st.area
        );
    }
    // The 63 are exactly Saitama's municipalities (not the prefecture, not Saitama City's wards).
    let municipalities: BTreeSet<&str> = s
        .areas
        .iter()
        .filter(|a| a.parent.as_ref().is_some_and(|p| p.as_str() == SAITAMA))
        .map(|a| a.code.as_str())
        .collect();
    let with_status: BTreeSet<&str> = latest.iter().map(|st| st.area.as_str()).collect();
    assert_eq!(
        with_status, municipalities,
        "the statuses must cover exactly Saitama's municipalities"
    );

    let p = council.published_totals.last().expect("a published total");
    assert_eq!(
        (p.alone, p.joint, p.not_set),
        (35, 19, 9),
        "published totals (source 002)"
    );
    assert_eq!(
        p.alone + p.joint + p.not_set,
        63,
        "published totals must sum to 63"
    );
    assert_eq!(p.provenance.as_of.to_string(), "2025-04-01");
}

#[test]
fn saitama_council_page_shows_63_unknown_rows_and_the_published_totals() {
    for lang in Lang::ALL {
        let rel = format!("{}/councils/{SAITAMA}", lang.url_segment());
        let doc = page(&rel);
        let unknown = ui(lang, "status_unknown");

        let rows: Vec<ElementRef> = doc.select(&sel("table.council-table tbody tr")).collect();
        assert_eq!(
            rows.len(),
            63,
            "{rel}: the municipality table must have 63 rows"
        );
        for r in &rows {
            let statuses: Vec<String> = r.select(&sel("span.status")).map(text).collect();
            assert_eq!(
                statuses,
                vec![unknown.to_string()],
                "{rel}: row {:?} must show the unknown label",
                text(*r)
            );
        }

        // The counts table is the first table of the counts section.
        let counts = sel("section[aria-labelledby=counts-heading] table");
        let table = doc
            .select(&counts)
            .next()
            .unwrap_or_else(|| panic!("{rel}: no counts table"));
        let headers: Vec<String> = table.select(&sel("thead th")).map(text).collect();
        let published_col = headers
            .iter()
            .position(|h| h.starts_with(ui(lang, "counts_published")))
            .unwrap_or_else(|| {
                panic!("{rel}: counts table has no column labelled as published: {headers:?}")
            });
        let body: Vec<Vec<String>> = table
            .select(&sel("tbody tr"))
            .map(|tr| tr.select(&sel("th, td")).map(text).collect())
            .collect();
        let value = |label: &str| -> (String, String) {
            let row = body
                .iter()
                .find(|r| r.first().is_some_and(|h| h == label))
                .unwrap_or_else(|| panic!("{rel}: counts table has no row {label}: {body:?}"));
            (row[1].clone(), row[published_col].clone())
        };
        assert_eq!(
            value(ui(lang, "status_alone")).1,
            "35",
            "{rel}: published 'alone'"
        );
        assert_eq!(
            value(ui(lang, "status_joint")).1,
            "19",
            "{rel}: published 'joint'"
        );
        assert_eq!(
            value(ui(lang, "status_not_set")).1,
            "9",
            "{rel}: published 'not set'"
        );
        assert_eq!(
            value(ui(lang, "counts_total")).1,
            "63",
            "{rel}: published total"
        );
        assert_eq!(
            value(ui(lang, "status_unknown")).0,
            "63",
            "{rel}: 63 municipalities counted as unknown"
        );
        assert_eq!(
            value(ui(lang, "counts_total")).0,
            "63",
            "{rel}: 63 municipalities counted from the data"
        );
    }
}

// ---------------------------------------------------------------- council counts vs the published total

/// A copy of the shipped project whose Saitama statuses are rewritten in
/// order: the first `alone` become "alone", the next `joint` "joint", the
/// next `not_set` "not_set" (SYNTHETIC statuses, only in a temp dir).
fn project_with_statuses(alone: usize, joint: usize, not_set: usize) -> tempfile::TempDir {
    let tmp = shipped_project();
    let file = tmp.path().join("data/councils/saitama.toml");
    let mut text = std::fs::read_to_string(&file).expect("read councils");
    for (status, n) in [("alone", alone), ("joint", joint), ("not_set", not_set)] {
        for _ in 0..n {
            assert!(
                text.contains("status = \"unknown\""),
                "fewer unknown statuses than asked for"
            );
            text = text.replacen("status = \"unknown\"", &format!("status = \"{status}\""), 1);
        }
    }
    std::fs::write(&file, text).expect("write councils");
    tmp
}

#[test]
fn check_reports_council_data_that_disagrees_with_the_published_total() {
    let tmp = project_with_statuses(36, 0, 0);
    let root = tmp.path();
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = run(root, &["check"]);
    assert_eq!(
        code, 0,
        "a disagreement is a warning, not an error:\n{stderr}"
    );
    assert!(
        stdout.contains("warning:")
            && stdout.contains("disagree with the published total")
            && stdout.contains("alone 36"),
        "check must report the disagreement:\n{stdout}"
    );
    let Run { code, stderr, .. } = run(root, &["build", "--out", "site"]);
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(tmp.path().join("site/ja/councils/110001/index.html"))
        .expect("council page");
    let doc = Html::parse_document(&html);
    assert_eq!(
        texts(&doc, "main .warning").len(),
        1,
        "the page flags the disagreement"
    );
}

#[test]
fn synthetic_statuses_are_counted_and_agree_with_the_published_total() {
    let tmp = project_with_statuses(35, 19, 9);
    let root = tmp.path();
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = run(root, &["check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("0 warnings") && !stdout.contains("council status:"),
        "{stdout}"
    );
    let Run { code, stderr, .. } = run(root, &["build", "--out", "site"]);
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(tmp.path().join("site/en/councils/110001/index.html"))
        .expect("council page");
    let doc = Html::parse_document(&html);
    assert!(
        texts(&doc, "main .warning").is_empty(),
        "no warning when the data agrees"
    );
    let rows = table_rows(&doc, "main section:first-of-type");
    let count = |label: &str| {
        rows.iter()
            .find(|r| r.first().is_some_and(|c| c.starts_with(label)))
            .map(|r| (r[1].clone(), r[2].clone()))
            .unwrap_or_else(|| panic!("no row {label} in {rows:?}"))
    };
    assert_eq!(
        count("Set up by the municipality alone"),
        ("35".into(), "35".into())
    );
    assert_eq!(count("Set up jointly"), ("19".into(), "19".into()));
    assert_eq!(count("Not set up"), ("9".into(), "9".into()));
}
