//! The accessibility policy and test report (アクセシビリティ方針と試験結果),
//! `/<lang>/accessibility/`: the site's target (JIS X 8341-3:2016 / WCAG 2.2
//! AA), its scope, and the latest automated test from
//! `data/accessibility.toml` (written by the e2e harness), per criterion and
//! per page, as public bodies publish their 試験結果. A page of the site the
//! run did not check is shown as not tested, never as passing.

use crate::lang::Lang;
use crate::model::{AccessibilityRun, Site};
use crate::render::TemplateData;
use crate::render::{PageDef, page_href, ui};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// Key of the page.
pub const KEY: &str = "accessibility";

/// The UI strings the page uses, for validate to require in both languages.
pub const STRINGS: &[&str] = &[
    "a11y_title",
    "a11y_target_heading",
    "a11y_target",
    "a11y_scope_heading",
    "a11y_scope",
    "a11y_method",
    "a11y_results_heading",
    "a11y_no_results",
    "a11y_date",
    "a11y_tool",
    "a11y_browser",
    "a11y_widths",
    "a11y_summary",
    "a11y_criteria_heading",
    "a11y_criterion",
    "a11y_level",
    "a11y_result",
    "a11y_pages_heading",
    "a11y_page",
    "a11y_pass",
    "a11y_fail",
    "a11y_not_tested",
    "a11y_failed_on",
    "a11y_not_tested_group",
];

/// Pages not tested are listed one by one up to this many; beyond it, by
/// section (`/ja/providers/…`, 20,000 pages), so the report of a national
/// site stays a page a person can read, not 70,000 rows.
const UNTESTED_LISTED: usize = 100;

#[derive(Serialize)]
struct CriterionCtx {
    id: String,
    level: String,
    /// "on 3 pages" when some page has a violation of this criterion.
    failed_on: Option<String>,
}

#[derive(Serialize)]
struct PageCtx {
    /// The page's site path, as text: a link on each of the ~800 rows
    /// (three variants of every page) would put the report over the 60 KB
    /// page budget.
    path: String,
    /// `pass`, `fail` or `not-tested`.
    result: &'static str,
    failed: Vec<String>,
    rules: Vec<String>,
    /// For a section of pages not tested: "Not tested (20,000 pages)".
    group: Option<String>,
}

#[derive(Serialize)]
struct RunCtx {
    date: String,
    tool: String,
    version: String,
    browser: String,
    widths: String,
    criteria: Vec<CriterionCtx>,
    /// How many pages passed, failed and were not tested.
    summary: String,
}

/// Every page of the site as a site path: the bilingual `/` and
/// `/404.html`, and each key in both languages and easy Japanese.
fn site_paths(keys: &BTreeSet<&str>) -> Vec<String> {
    let mut paths = vec!["/".to_string(), "/404.html".to_string()];
    for lang in Lang::VARIANTS {
        paths.extend(keys.iter().map(|k| page_href("/", lang, k)));
    }
    paths.sort();
    paths
}

fn run_ctx(site: &Site, run: &AccessibilityRun, lang: Lang, pages: &[PageCtx]) -> RunCtx {
    let count = |r: &str| pages.iter().filter(|p| p.result == r).count().to_string();
    RunCtx {
        date: run.date.display(lang),
        tool: run.tool.clone(),
        version: run.version.clone(),
        browser: run.browser.clone(),
        widths: run
            .widths
            .iter()
            .map(|w| format!("{w} px"))
            .collect::<Vec<_>>()
            .join(", "),
        criteria: run
            .criteria
            .iter()
            .map(|c| {
                let n = run
                    .pages
                    .values()
                    .filter(|p| p.failed.contains(&c.id))
                    .count();
                CriterionCtx {
                    id: c.id.clone(),
                    level: c.level.clone(),
                    failed_on: (n > 0)
                        .then(|| ui(site, lang, "a11y_failed_on").replace("{n}", &n.to_string())),
                }
            })
            .collect(),
        summary: ui(site, lang, "a11y_summary")
            .replace("{pass}", &count("pass"))
            .replace("{fail}", &count("fail"))
            .replace("{untested}", &count("not-tested")),
    }
}

/// Each page's row: its result from `run`, or not tested.
fn page_rows(run: Option<&AccessibilityRun>, paths: Vec<String>) -> Vec<PageCtx> {
    paths
        .into_iter()
        .map(|path| {
            let found = run.and_then(|r| r.pages.get(&path));
            let result = match found {
                None => "not-tested",
                Some(r) if r.passed() => "pass",
                Some(_) => "fail",
            };
            PageCtx {
                result,
                failed: found.map(|r| r.failed.clone()).unwrap_or_default(),
                rules: found.map(|r| r.rules.clone()).unwrap_or_default(),
                group: None,
                path,
            }
        })
        .collect()
}

/// The rows as listed: every tested page, and the pages not tested one by
/// one or, past [`UNTESTED_LISTED`], one row per section (a path's first
/// two segments, `/ja/providers/`) with its count, labelled by `label` ("{n}").
fn listed(rows: Vec<PageCtx>, label: &str) -> Vec<PageCtx> {
    let untested = rows.iter().filter(|p| p.result == "not-tested").count();
    if untested <= UNTESTED_LISTED {
        return rows;
    }
    // Each section's row stands where its first page would have been.
    let mut out: Vec<PageCtx> = Vec::new();
    let mut sections: HashMap<String, (usize, usize)> = HashMap::new(); // section → (row, pages)
    for row in rows {
        let section = section(&row.path);
        // A top-level page (`/`, `/ja/`) is a section of its own: listed.
        if row.result != "not-tested" || section == row.path {
            out.push(row);
            continue;
        }
        // Looked up by the borrowed section: a string is made per section,
        // not per page (a national site lists ~70,000 pages).
        if let Some((_, pages)) = sections.get_mut(section) {
            *pages += 1;
            continue;
        }
        out.push(PageCtx {
            path: format!("{section}…"),
            result: row.result,
            failed: Vec::new(),
            rules: Vec::new(),
            group: None,
        });
        sections.insert(section.to_string(), (out.len() - 1, 1));
    }
    for (row, pages) in sections.into_values() {
        out[row].group = Some(label.replace("{n}", &pages.to_string()));
    }
    out
}

/// A page's section: its path up to the third `/` (`/ja/providers/`), or
/// the whole path when it has no more.
fn section(path: &str) -> &str {
    let end = path
        .match_indices('/')
        .nth(2)
        .map_or(path.len(), |(i, _)| i + 1);
    &path[..end]
}

/// The page in one language; `keys` are every page key of the site (this
/// page's own included), so pages the run missed show as not tested.
pub fn pages(site: &Site, lang: Lang, keys: &BTreeSet<&str>) -> Vec<PageDef<'static>> {
    let run = site.accessibility.as_ref();
    let pages = page_rows(run, site_paths(keys));
    let mut body = TemplateData::new();
    body.insert("run", &run.map(|r| run_ctx(site, r, lang, &pages)));
    body.insert(
        "scope",
        &ui(site, lang, "a11y_scope").replace("{n}", &pages.len().to_string()),
    );
    body.insert(
        "pages",
        &listed(pages, &ui(site, lang, "a11y_not_tested_group")),
    );
    vec![PageDef {
        key: KEY.into(),
        lang,
        template: "accessibility.html",
        title: ui(site, lang, "a11y_title"),
        description: None,
        crumbs: Vec::new(),
        provenance: Vec::new(),
        body,
        fill: None,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PageResult;

    /// `n` SYNTHETIC provider pages in Japanese, and the home page.
    fn paths(n: usize) -> Vec<String> {
        let mut paths: Vec<String> = (0..n).map(|i| format!("/ja/providers/{i:05}/")).collect();
        paths.push("/ja/".into());
        paths.sort();
        paths
    }

    fn shown(rows: &[PageCtx]) -> Vec<(String, &str, Option<String>)> {
        rows.iter()
            .map(|p| (p.path.clone(), p.result, p.group.clone()))
            .collect()
    }

    #[test]
    fn up_to_the_limit_every_page_not_tested_has_its_own_row() {
        let rows = listed(page_rows(None, paths(UNTESTED_LISTED - 1)), "{n} pages");
        assert_eq!(rows.len(), UNTESTED_LISTED);
        assert!(
            rows.iter()
                .all(|p| p.group.is_none() && p.result == "not-tested")
        );
    }

    #[test]
    fn past_the_limit_pages_not_tested_are_counted_by_section_and_tested_ones_keep_their_rows() {
        let run = AccessibilityRun {
            date: crate::model::Date::parse("2026-01-15").expect("date"),
            tool: "axe-core".into(),
            version: "4".into(),
            browser: "SYNTHETIC".into(),
            widths: vec![375],
            criteria: Vec::new(),
            pages: [("/ja/providers/00007/".to_string(), PageResult::default())].into(),
        };
        let rows = listed(page_rows(Some(&run), paths(150)), "{n} pages");
        assert_eq!(
            shown(&rows),
            [
                ("/ja/".to_string(), "not-tested", None),
                (
                    "/ja/providers/…".to_string(),
                    "not-tested",
                    Some("149 pages".to_string())
                ),
                ("/ja/providers/00007/".to_string(), "pass", None),
            ]
        );
    }
}
