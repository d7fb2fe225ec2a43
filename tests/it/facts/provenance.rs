//! `check`'s gap report, and the source and as-of date every record's page shows.

use super::page;
use crate::common::{
    Run, repo, run_without_flyers as run, sel, shipped_project, shipped_site as site, text, ui,
};
use scraper::ElementRef;
use std::collections::BTreeSet;
use tsunagu::lang::Lang;

// ---------------------------------------------------------------- tsunagu check

#[test]
fn check_on_the_shipped_project_reports_the_gaps() {
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = run(repo(), &["check"]);
    assert_eq!(
        code, 0,
        "tsunagu check must succeed on the shipped project\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    for line in [
        "hub contact phone: 6 unknown",
        "hub contact fax: 6 unknown",
        "hub address: 6 unknown",
        "council status: 63 unknown",
    ] {
        assert!(
            stdout.contains(line),
            "check output lacks {line:?}:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("0 errors, 0 warnings"),
        "check output must say 0 errors, 0 warnings (published totals agree):\n{stdout}"
    );
}

// ---------------------------------------------------------------- provenance

/// Checks the footer provenance list of a built page; returns its entries' source titles.
fn footer_sources(rel: &str, lang: Lang) -> Vec<String> {
    let s = site();
    let titles: BTreeSet<&str> = s.sources.values().map(|src| src.title.str(lang)).collect();
    let doc = page(rel);
    let items: Vec<ElementRef> = doc.select(&sel("footer section.provenance li")).collect();
    assert!(
        !items.is_empty(),
        "{rel}: no 出典 / Source line in the footer"
    );
    let (source_label, as_of_label) = (
        format!("{}:", ui(lang, "source")),
        format!("{}:", ui(lang, "as_of")),
    );
    let mut found = Vec::new();
    for li in items {
        let t = text(li);
        assert!(
            t.starts_with(&source_label),
            "{rel}: footer line {t:?} does not start with {source_label:?}"
        );
        let title = li.select(&sel("a")).next().map(text).unwrap_or_default();
        assert!(
            titles.contains(title.as_str()),
            "{rel}: footer names {title:?}, which is not a source title in data/sources.toml"
        );
        let after = t
            .split(&as_of_label)
            .nth(1)
            .unwrap_or_else(|| panic!("{rel}: footer line {t:?} has no {as_of_label:?}"));
        // "2020年4月1日", "1 April 2020" or, at month precision, "March 2024".
        let date = after.trim();
        let has_year = date
            .split(|c: char| !c.is_ascii_digit())
            .any(|n| n.len() == 4 && (n.starts_with("19") || n.starts_with("20")));
        assert!(
            has_year,
            "{rel}: footer line {t:?} has no date after {as_of_label:?}"
        );
        found.push(title);
    }
    found
}

#[test]
fn area_hub_and_council_pages_show_source_and_as_of() {
    let s = site();
    for lang in Lang::ALL {
        let l = lang.url_segment();
        for area in &s.areas {
            let rel = format!("{l}/areas/{}", area.code);
            let titles = footer_sources(&rel, lang);
            let own = s.sources[&area.provenance.source].title.str(lang);
            assert!(
                titles.iter().any(|t| t == own),
                "{rel}: footer must cite the area's source {own:?}"
            );
            if let Some(h) = s.hub_for(&area.code) {
                let hub_src = s.sources[&h.provenance.source].title.str(lang);
                assert!(
                    titles.iter().any(|t| t == hub_src),
                    "{rel}: footer must cite the hub's source {hub_src:?}"
                );
            }
        }
        for hub in &s.hubs {
            let rel = format!("{l}/hubs/{}", hub.id);
            let titles = footer_sources(&rel, lang);
            let src = s.sources[&hub.provenance.source].title.str(lang);
            assert_eq!(
                titles,
                vec![src.to_string()],
                "{rel}: footer must cite the hub's source"
            );
        }
        for c in &s.councils {
            let rel = format!("{l}/councils/{}", c.prefecture);
            let titles = footer_sources(&rel, lang);
            let src = s.sources[&c.statuses[0].provenance.source].title.str(lang);
            assert!(
                titles.iter().any(|t| t == src),
                "{rel}: footer must cite the council's source {src:?}"
            );
        }
    }
}

/// Copies the project, removes the first `<field> =` line of hub `hub_id` in
/// data/hubs/yokohama.toml and runs `check`; asserts that it fails naming the
/// file, a line inside that hub's block, and the field.
fn check_fails_without_hub_field(hub_id: &str, field: &str) {
    let tmp = shipped_project();
    let proj = tmp.path();
    let file = proj.join("data/hubs/yokohama.toml");
    let text = std::fs::read_to_string(&file).expect("read hubs");
    let mut lines: Vec<&str> = text.lines().collect();
    let id_line = lines
        .iter()
        .position(|l| l.trim() == format!("id = \"{hub_id}\""))
        .unwrap_or_else(|| panic!("no hub {hub_id} in data/hubs/yokohama.toml"));
    let start = lines[..id_line]
        .iter()
        .rposition(|l| l.trim() == "[[hub]]")
        .expect("[[hub]] before the id");
    let prefix = format!("{field} =");
    let remove = id_line
        + lines[id_line..]
            .iter()
            .position(|l| l.trim_start().starts_with(&prefix))
            .expect("field line");
    let next = lines[id_line..]
        .iter()
        .position(|l| l.trim() == "[[hub]]")
        .map_or(lines.len(), |i| id_line + i);
    assert!(
        remove < next,
        "the {field} line must belong to hub {hub_id}"
    );
    lines.remove(remove);
    std::fs::write(&file, lines.join("\n") + "\n").expect("write hubs");
    // 1-based line numbers of the hub's block in the edited file.
    let (first, last) = (start + 1, next - 1);

    let Run {
        code,
        stdout,
        stderr,
        ..
    } = run(proj, &["check"]);
    assert_eq!(
        code, 1,
        "check must fail without {field} on hub {hub_id}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    let marker = "data/hubs/yokohama.toml:";
    let lines_named: Vec<usize> = stderr
        .match_indices(marker)
        .filter_map(|(i, _)| {
            let rest = &stderr[i + marker.len()..];
            rest[..rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len())]
                .parse()
                .ok()
        })
        .collect();
    assert!(
        lines_named.iter().any(|l| (first..=last).contains(l)),
        "stderr must name data/hubs/yokohama.toml with a line in {first}..={last} (hub {hub_id}); named lines {lines_named:?}\n{stderr}"
    );
    assert!(
        stderr.contains(field),
        "stderr must name the missing field {field}:\n{stderr}"
    );
}

#[test]
fn check_fails_on_a_hub_without_as_of() {
    check_fails_without_hub_field("yokohama-minami", "as_of");
}

#[test]
fn check_fails_on_a_hub_without_source() {
    check_fails_without_hub_field("yokohama-asahi", "source");
}
