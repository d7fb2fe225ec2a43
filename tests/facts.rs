//! Facts a reader of the site would notice, checked against the shipped data
//! (through the library's model) and against the built HTML.
//!
//! Expected values that come from the public sources (000: Yokohama hubs,
//! 002: Saitama coordinators and councils, MHLW national table) are written
//! literally here, so a change in data/ or content/ that contradicts a source
//! fails a test instead of silently changing the site.

mod common;

use scraper::{ElementRef, Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tempfile::TempDir;
use tsunagu::lang::Lang;
use tsunagu::model::{AreaKind, CouncilStatus, Dimension, Site};

// ---------------------------------------------------------------- helpers

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The validated model of the shipped project, compiled once.
fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| match tsunagu::pipeline::load_site(root(), None) {
        Ok(site) => site,
        Err(d) => panic!(
            "the shipped project does not compile:\n{}",
            d.sorted()
                .iter()
                .map(ToString::to_string)
                .collect::<String>()
        ),
    })
}

/// The shipped project built once into a temporary directory; returns the output dir.
fn out() -> &'static Path {
    static OUT: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    let (_, dir) = OUT.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("create a temporary directory");
        let dir = tmp.path().join("site");
        if let Err(d) = tsunagu::pipeline::build(root(), &dir, None) {
            panic!(
                "the shipped project does not build:\n{}",
                d.sorted()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<String>()
            );
        }
        (tmp, dir)
    });
    dir
}

/// Parses `<out>/<rel>/index.html` (`rel` like "ja/areas/141011").
fn page(rel: &str) -> Html {
    let path = out().join(rel).join("index.html");
    let html = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read built page {}: {e}", path.display()));
    Html::parse_document(&html)
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

/// Text of an element with whitespace collapsed.
fn text(el: ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of all elements matching `css`.
fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(text).collect()
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

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    }
}

/// A UI string of the shipped templates (templates/i18n/<lang>.toml).
fn ui(lang: Lang, key: &str) -> &'static str {
    site().strings[&lang]
        .get(key)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("no UI string {key} for {}", lang_code(lang)))
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
            Lang::Ja => format!("{}{name}", city.name.ja),
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

fn run_tsunagu(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .args(args)
        .output()
        .expect("run tsunagu");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ---------------------------------------------------------------- 1. Yokohama hubs

const HUB_SUFFIX: &str = "横浜型医療的ケア児・者等コーディネーター拠点";

/// Source 000, 担当区域: ward → hub (the hub's name without HUB_SUFFIX).
const YOKOHAMA_WARD_HUBS: [(&str, &str); 18] = [
    ("鶴見区", "鶴見区"),
    ("神奈川区", "鶴見区"),
    ("西区", "南区"),
    ("中区", "南区"),
    ("南区", "南区"),
    ("戸塚区", "南区"),
    ("保土ケ谷区", "旭区"),
    ("旭区", "旭区"),
    ("泉区", "旭区"),
    ("瀬谷区", "旭区"),
    ("港南区", "磯子区"),
    ("磯子区", "磯子区"),
    ("金沢区", "磯子区"),
    ("栄区", "磯子区"),
    ("緑区", "青葉区"),
    ("青葉区", "青葉区"),
    ("港北区", "都筑区"),
    ("都筑区", "都筑区"),
];

/// Source 000, 業務開始年月日.
const HUB_STARTS: [(&str, &str); 6] = [
    ("鶴見区", "2020-04-01"),
    ("南区", "2020-04-01"),
    ("旭区", "2020-04-01"),
    ("磯子区", "2019-04-01"),
    ("青葉区", "2020-04-01"),
    ("都筑区", "2020-04-01"),
];

const YOKOHAMA: &str = "141003";

/// The 18 Yokohama wards in data: Japanese name → code.
fn yokohama_wards() -> BTreeMap<String, String> {
    site()
        .areas
        .iter()
        .filter(|a| {
            a.parent.as_ref().is_some_and(|p| p.as_str() == YOKOHAMA) && a.kind == AreaKind::Ward
        })
        .map(|a| (a.name.ja.clone(), a.code.to_string()))
        .collect()
}

#[test]
fn yokohama_wards_map_to_hubs_as_in_source_000_in_the_model() {
    let s = site();
    let wards = yokohama_wards();
    assert_eq!(
        wards.len(),
        18,
        "data must have Yokohama's 18 wards, has {wards:?}"
    );
    let expected_names: BTreeSet<&str> = YOKOHAMA_WARD_HUBS.iter().map(|(w, _)| *w).collect();
    let data_names: BTreeSet<&str> = wards.keys().map(String::as_str).collect();
    assert_eq!(
        data_names, expected_names,
        "the wards in data differ from the wards in source 000"
    );
    assert_eq!(s.hubs.len(), 6, "source 000 lists six hubs");

    for (ward, hub) in YOKOHAMA_WARD_HUBS {
        let code = &wards[ward];
        let covering: Vec<&str> = s
            .hubs
            .iter()
            .filter(|h| h.areas.iter().any(|a| a.as_str() == code))
            .map(|h| h.name.ja.as_str())
            .collect();
        assert_eq!(
            covering.len(),
            1,
            "{ward} ({code}) must be covered by exactly one hub, is covered by {covering:?}"
        );
        assert_eq!(
            covering[0],
            format!("{hub}{HUB_SUFFIX}"),
            "{ward} ({code}) is covered by the wrong hub"
        );
    }
    // No hub covers anything the source does not list.
    let listed: usize = s.hubs.iter().map(|h| h.areas.len()).sum();
    assert_eq!(
        listed, 18,
        "the hubs together must cover exactly the 18 wards"
    );

    for (hub, date) in HUB_STARTS {
        let name = format!("{hub}{HUB_SUFFIX}");
        let h = s
            .hubs
            .iter()
            .find(|h| h.name.ja == name)
            .unwrap_or_else(|| panic!("no hub named {name}"));
        let started = h.started.map(|d| d.to_string());
        assert_eq!(started.as_deref(), Some(date), "start date of {name}");
    }
}

#[test]
fn yokohama_ward_pages_name_their_hub_in_both_languages() {
    let s = site();
    let wards = yokohama_wards();
    let link = sel("section.hub-block p.hub-name a");
    for (ward, hub) in YOKOHAMA_WARD_HUBS {
        let code = &wards[ward];
        let hub_ja = format!("{hub}{HUB_SUFFIX}");
        let model_hub = s
            .hubs
            .iter()
            .find(|h| h.name.ja == hub_ja)
            .expect("hub in data");
        for lang in Lang::ALL {
            let rel = format!("{}/areas/{code}", lang_code(lang));
            let doc = page(&rel);
            let links: Vec<ElementRef> = doc.select(&link).collect();
            assert_eq!(
                links.len(),
                1,
                "{rel} ({ward}) must link exactly one hub in its hub section"
            );
            let name = text(links[0]);
            let expected = match lang {
                Lang::Ja => hub_ja.clone(),
                Lang::En => model_hub.name.en.clone(),
            };
            assert_eq!(name, expected, "{rel} ({ward}) names the wrong hub");
            let href = links[0].value().attr("href").unwrap_or_default();
            assert!(
                href.ends_with(&format!("{}/hubs/{}/", lang_code(lang), model_hub.id)),
                "{rel} ({ward}): hub link {href} does not point at the hub page of {}",
                model_hub.id
            );
        }
    }
}

#[test]
fn yokohama_hub_pages_show_the_start_dates() {
    let s = site();
    let (dt, dd) = (sel("dl.facts dt"), sel("dl.facts dd"));
    for (hub, date) in HUB_STARTS {
        let name = format!("{hub}{HUB_SUFFIX}");
        let h = s
            .hubs
            .iter()
            .find(|h| h.name.ja == name)
            .expect("hub in data");
        let (y, m, d): (u32, u32, u32) = {
            let p: Vec<u32> = date.split('-').map(|x| x.parse().expect("date")).collect();
            (p[0], p[1], p[2])
        };
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        for lang in Lang::ALL {
            let rel = format!("{}/hubs/{}", lang_code(lang), h.id);
            let doc = page(&rel);
            let dts = texts(&doc, "dl.facts dt");
            let dds = texts(&doc, "dl.facts dd");
            assert_eq!(
                doc.select(&dt).count(),
                doc.select(&dd).count(),
                "{rel}: facts list must pair dt and dd"
            );
            let i = dts
                .iter()
                .position(|t| t == ui(lang, "started"))
                .unwrap_or_else(|| panic!("{rel}: no start date row"));
            let expected = match lang {
                Lang::Ja => format!("{y}年{m}月{d}日"),
                Lang::En => format!("{d} {} {y}", MONTHS[m as usize - 1]),
            };
            assert_eq!(dds[i], expected, "{rel}: start date of {name}");
            assert_eq!(
                texts(&doc, "h1"),
                vec![h.name.str(lang).to_string()],
                "{rel}: <h1> must be the hub's name"
            );
        }
    }
}

// ---------------------------------------------------------------- 2. area pages

#[test]
fn every_area_has_exactly_one_page_per_language_with_its_name() {
    let s = site();
    assert_eq!(
        s.areas.len(),
        62 + 74 + 2,
        "data/README.md: Kanagawa 62, Saitama 74, Tokyo 2 areas"
    );
    let codes: BTreeSet<String> = s.areas.iter().map(|a| a.code.to_string()).collect();
    assert_eq!(codes.len(), s.areas.len(), "area codes must be unique");
    let link = sel("section.hub-block p.hub-name a");

    for lang in Lang::ALL {
        let dir = out().join(lang_code(lang)).join("areas");
        let dirs: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.is_dir())
            .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            dirs,
            codes,
            "{}: the area page directories must be exactly the area codes in data",
            dir.display()
        );
        assert!(
            dir.join("index.html").is_file(),
            "{}: the area list page is missing",
            dir.display()
        );

        for area in &s.areas {
            let rel = format!("{}/areas/{}", lang_code(lang), area.code);
            assert!(
                out().join(&rel).join("index.html").is_file(),
                "{rel}/index.html is missing"
            );
            let doc = page(&rel);
            let html_lang = doc.root_element().value().attr("lang");
            assert_eq!(html_lang, Some(lang_code(lang)), "{rel}: wrong <html lang>");
            assert_eq!(
                texts(&doc, "h1"),
                vec![display_name(area.code.as_str(), lang)],
                "{rel}: <h1> must be the area's name"
            );

            let links: Vec<String> = doc.select(&link).map(text).collect();
            match s.hub_for(&area.code) {
                Some(hub) => assert_eq!(
                    links,
                    vec![hub.name.str(lang).to_string()],
                    "{rel}: must name its hub"
                ),
                None => assert!(
                    links.is_empty(),
                    "{rel}: names a hub {links:?} although no hub covers it"
                ),
            }
        }
    }
}

// ---------------------------------------------------------------- 3. Saitama councils

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
        let rel = format!("{}/councils/{SAITAMA}", lang_code(lang));
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

// ---------------------------------------------------------------- 4. coordinators

/// Source 002, ＜コーディネーターの実際（H29〜R6養成研修修了者374人の内訳＞.
const TRAINED_TOTAL: u32 = 374;
const PROFESSIONS: [(&str, u32); 6] = [
    ("相談支援専門員", 223),
    ("保健師", 70),
    ("看護師", 43),
    ("医療ソーシャルワーカー", 4),
    ("医師", 1),
    ("その他", 33),
];
const AFFILIATIONS: [(&str, u32); 9] = [
    ("相談支援事業所等", 167),
    ("行政福祉担当課", 53),
    ("障害児通所施設", 28),
    ("行政保健担当課、保健センター", 19),
    ("医療型障害児入所施設", 12),
    ("医療機関", 11),
    ("訪問看護事業所", 21),
    ("保育所", 8),
    ("その他", 55),
];
const AGGREGATE_ID: &str = "saitama-trained-h29-r6";

#[test]
fn coordinator_counts_match_source_002_and_add_up() {
    assert_eq!(PROFESSIONS.iter().map(|r| r.1).sum::<u32>(), TRAINED_TOTAL);
    assert_eq!(AFFILIATIONS.iter().map(|r| r.1).sum::<u32>(), TRAINED_TOTAL);
    let s = site();
    let a = s
        .aggregates
        .iter()
        .find(|a| a.id == AGGREGATE_ID)
        .expect("the Saitama aggregate");
    assert_eq!(a.total, TRAINED_TOTAL, "total trained");
    for (dim, expected) in [
        (Dimension::Profession, &PROFESSIONS[..]),
        (Dimension::Affiliation, &AFFILIATIONS[..]),
    ] {
        let b = a
            .breakdowns
            .iter()
            .find(|b| b.dimension == dim)
            .unwrap_or_else(|| panic!("no {dim:?} breakdown"));
        let rows: Vec<(&str, u32)> = b
            .rows
            .iter()
            .map(|r| (r.label.ja.as_str(), r.count))
            .collect();
        assert_eq!(rows, expected, "{dim:?} rows (in the source's order)");
        assert_eq!(
            b.rows.iter().map(|r| r.count).sum::<u32>(),
            a.total,
            "{dim:?} rows must sum to the total"
        );
    }
}

#[test]
fn figures_page_shows_374_and_every_row() {
    for lang in Lang::ALL {
        let rel = format!("{}/figures", lang_code(lang));
        let doc = page(&rel);
        let section = format!("section[aria-labelledby={AGGREGATE_ID}]");
        let total = texts(&doc, &format!("{section} p.total"));
        assert_eq!(total.len(), 1, "{rel}: one total line");
        assert!(
            total[0].contains("374"),
            "{rel}: total line must show 374: {}",
            total[0]
        );

        let tables: Vec<ElementRef> = doc.select(&sel(&format!("{section} table"))).collect();
        assert_eq!(
            tables.len(),
            2,
            "{rel}: one table per breakdown (profession, affiliation)"
        );
        for (table, expected) in tables.iter().zip([&PROFESSIONS[..], &AFFILIATIONS[..]]) {
            let rows: Vec<Vec<String>> = table
                .select(&sel("tbody tr"))
                .map(|tr| tr.select(&sel("th, td")).map(text).collect())
                .collect();
            assert_eq!(
                rows.len(),
                expected.len() + 1,
                "{rel}: rows plus a total row"
            );
            for (row, (label, count)) in rows.iter().zip(expected) {
                if lang == Lang::Ja {
                    assert_eq!(row[0], *label, "{rel}: row label");
                }
                assert_eq!(row[1], count.to_string(), "{rel}: count of {label}");
            }
            let last = rows.last().expect("total row");
            assert_eq!(
                (last[0].as_str(), last[1].as_str()),
                (ui(lang, "total"), "374"),
                "{rel}: total row"
            );
        }
    }
}

// ---------------------------------------------------------------- 5. national table

#[test]
fn national_page_shows_the_mhlw_placement_table() {
    let expected: [(Lang, [[&str; 7]; 3]); 2] = [
        (
            Lang::Ja,
            [
                ["都道府県", "12", "47", "26％", "156", "3.3", "2.5"],
                ["指定都市", "11", "20", "55％", "68", "6.2", "2.0"],
                ["市区町村", "369", "1,741", "21％", "783", "2.1", "1.0"],
            ],
        ),
        (
            Lang::En,
            [
                ["Prefectures", "12", "47", "26%", "156", "3.3", "2.5"],
                ["Designated cities", "11", "20", "55%", "68", "6.2", "2.0"],
                ["Municipalities", "369", "1,741", "21%", "783", "2.1", "1.0"],
            ],
        ),
    ];
    for (lang, rows) in expected {
        let rel = format!("{}/national", lang_code(lang));
        let doc = page(&rel);
        let all = table_rows(&doc, "main table");
        for row in rows {
            assert!(
                all.iter()
                    .any(|r| r.iter().map(String::as_str).eq(row.iter().copied())),
                "{rel}: no table row {row:?}; rows are {all:?}"
            );
        }
    }
}

// ---------------------------------------------------------------- 6. no invented phones

/// ASCII digits and hyphens for the many ways Japanese text writes them.
fn normalize_phone_chars(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
            '－' | '‐' | '‑' | '–' | '—' | '−' | '(' | ')' | '（' | '）' => '-',
            _ => c,
        })
        .collect()
}

/// Phone-like strings in a text: 0\d{1,4}-\d{1,4}-\d{3,4} (not inside a longer
/// number), or 10–11 digits starting with 0. Returned as digits only.
fn phone_like(s: &str) -> Vec<String> {
    let s = normalize_phone_chars(s);
    let mut found = Vec::new();
    let runs = s.split(|c: char| !(c.is_ascii_digit() || c == '-'));
    for run in runs {
        let groups: Vec<&str> = run.split('-').filter(|g| !g.is_empty()).collect();
        if groups.len() == 1 {
            let g = groups[0];
            if g.starts_with('0') && (10..=11).contains(&g.len()) {
                found.push(g.to_string());
            }
            continue;
        }
        for w in groups.windows(3) {
            if w[0].starts_with('0')
                && (2..=5).contains(&w[0].len())
                && (1..=4).contains(&w[1].len())
                && (3..=4).contains(&w[2].len())
            {
                found.push(w.concat());
            }
        }
    }
    found
}

#[test]
fn phone_detector_finds_phone_like_strings() {
    assert_eq!(phone_like("電話 045-671-2401 まで"), vec!["0456712401"]);
    assert_eq!(
        phone_like("ＴＥＬ：０４８－８３０－３３１１"),
        vec!["0488303311"]
    );
    assert_eq!(phone_like("03(1234)5678"), vec!["0312345678"]);
    assert_eq!(phone_like("0312345678"), vec!["0312345678"]);
    assert!(phone_like("2019-04-01 1,741 374人 198,543千円").is_empty());
}

#[test]
fn no_page_shows_a_phone_number_that_is_not_in_the_data() {
    let s = site();
    let digits = |p: &str| {
        normalize_phone_chars(p)
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    let data_phones: BTreeSet<String> = s
        .hubs
        .iter()
        .flat_map(|h| [h.contact.phone.as_deref(), h.contact.fax.as_deref()])
        .flatten()
        .map(digits)
        .collect();

    let all = sel("*");
    let tel = sel("a[href^='tel:']");
    let files = html_files(out());
    assert!(
        files.len() > 2 * 138,
        "expected every area page to be built, found {} HTML files",
        files.len()
    );
    let mut invented: Vec<String> = Vec::new();
    for file in &files {
        let doc = Html::parse_document(&std::fs::read_to_string(file).expect("read page"));
        let mut haystack: String = doc.root_element().text().collect::<Vec<_>>().join(" ");
        for el in doc.select(&all) {
            for (_, v) in el.value().attrs() {
                haystack.push(' ');
                haystack.push_str(v);
            }
        }
        for p in phone_like(&haystack) {
            if !data_phones.contains(&p) {
                invented.push(format!(
                    "{}: {p}",
                    file.strip_prefix(out()).unwrap_or(file).display()
                ));
            }
        }
        for a in doc.select(&tel) {
            let href = a.value().attr("href").unwrap_or_default();
            let number = digits(href.trim_start_matches("tel:"));
            if !data_phones.contains(&number) {
                invented.push(format!(
                    "{}: link {href}",
                    file.strip_prefix(out()).unwrap_or(file).display()
                ));
            }
        }
    }
    assert!(
        invented.is_empty(),
        "phone numbers on the site that are not a hub phone/fax in data:\n{}",
        invented.join("\n")
    );
}

// ---------------------------------------------------------------- 7. tsunagu check

#[test]
fn check_on_the_shipped_project_reports_the_gaps() {
    let root = root().to_str().expect("utf-8 path");
    let (code, stdout, stderr) = run_tsunagu(&["--root", root, "check"]);
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

// ---------------------------------------------------------------- 8. provenance

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
        let l = lang_code(lang);
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
    let tmp = common::shipped_project();
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

    let (code, stdout, stderr) =
        run_tsunagu(&["--root", proj.to_str().expect("utf-8 path"), "check"]);
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

// ---------------------------------------------------------------- 9. municipal codes

/// 全国地方公共団体コード check digit: digits × 6,5,4,3,2; 11 − (sum mod 11), last digit.
fn check_digit(first5: &str) -> u32 {
    let sum: u32 = first5
        .chars()
        .zip([6, 5, 4, 3, 2])
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    (11 - sum % 11) % 10
}

#[test]
fn every_area_code_has_a_valid_check_digit() {
    // Known codes: 横浜市, 千代田区, 埼玉県, 神奈川県.
    for known in ["141003", "131016", "110001", "140007"] {
        assert_eq!(
            check_digit(&known[..5]),
            known[5..].parse::<u32>().expect("digit"),
            "check digit of {known}"
        );
    }
    for area in &site().areas {
        let code = area.code.as_str();
        assert!(
            code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()),
            "{code} ({}) is not 6 digits",
            area.name.ja
        );
        let last = code[5..].parse::<u32>().expect("digit");
        assert_eq!(
            check_digit(&code[..5]),
            last,
            "{code} ({}): wrong check digit",
            area.name.ja
        );
    }
}

#[test]
fn saitama_and_kanagawa_codes_and_names_match_n03() {
    let files = ["N03-21_11_210101.json", "N03-21_14_210101.json"].map(|f| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/geodata")
            .join(f)
    });
    if let Some(missing) = files.iter().find(|f| !f.is_file()) {
        println!(
            "note: {} is absent; skipping the N03 cross-check",
            missing.display()
        );
        return;
    }
    // N03_007 → (N03_001 prefecture, N03_003 county/city, N03_004 town/ward)
    let mut features: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for f in &files {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f).expect("read GeoJSON"))
                .expect("parse GeoJSON");
        for feat in json["features"].as_array().expect("features") {
            let p = &feat["properties"];
            let get = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            let prev = features.insert(
                get("N03_007"),
                (get("N03_001"), get("N03_003"), get("N03_004")),
            );
            assert!(
                prev.is_none(),
                "{}: duplicate N03_007 {}",
                f.display(),
                get("N03_007")
            );
        }
    }
    let s = site();
    let in_scope: Vec<_> = s
        .areas
        .iter()
        .filter(|a| a.code.as_str().starts_with("11") || a.code.as_str().starts_with("14"))
        .collect();
    let mut matched = BTreeSet::new();
    for a in &in_scope {
        let code5 = &a.code.as_str()[..5];
        let name = a.name.ja.as_str();
        match a.kind {
            AreaKind::Prefecture => {
                assert!(
                    features.values().any(|(pref, _, _)| pref == name),
                    "{} {name}: no N03 feature in this prefecture",
                    a.code
                );
            }
            AreaKind::DesignatedCity => {
                let wards: Vec<_> = s.children(&a.code).collect();
                assert!(
                    !wards.is_empty(),
                    "{} {name}: a designated city must have its wards in data",
                    a.code
                );
                for w in wards {
                    let f = features.get(&w.code.as_str()[..5]);
                    assert_eq!(
                        f.map(|f| f.1.as_str()),
                        Some(name),
                        "{} {name}: N03 feature of its ward {} must carry the city name (N03_003)",
                        a.code,
                        w.code
                    );
                }
            }
            _ => {
                let f = features.get(code5).unwrap_or_else(|| {
                    panic!("{} {name}: code {code5} is not an N03_007 value", a.code)
                });
                assert_eq!(
                    f.2, name,
                    "{} : N03_004 of {code5} differs from the name in data",
                    a.code
                );
                let pref = s.prefecture_of(a);
                assert_eq!(
                    f.0, pref.name.ja,
                    "{} {name}: N03 puts it in another prefecture",
                    a.code
                );
                if a.kind == AreaKind::Ward {
                    let city = a
                        .parent
                        .as_ref()
                        .and_then(|p| s.area(p))
                        .expect("a ward's city");
                    assert_eq!(
                        f.1, city.name.ja,
                        "{} {name}: N03_003 (city) differs from its parent in data",
                        a.code
                    );
                }
                matched.insert(code5.to_string());
            }
        }
    }
    let unmatched: Vec<String> = features
        .iter()
        .filter(|(c, _)| !matched.contains(*c))
        .map(|(c, f)| format!("{c} {}{}", f.1, f.2))
        .collect();
    assert!(
        unmatched.is_empty(),
        "N03 municipalities/wards missing from data: {unmatched:?}"
    );
}

// ---------------------------------------------------------------- 10. council counts vs the published total

/// A copy of the shipped project whose Saitama statuses are rewritten in
/// order: the first `alone` become "alone", the next `joint` "joint", the
/// next `not_set` "not_set" (SYNTHETIC statuses, only in a temp dir).
fn project_with_statuses(alone: usize, joint: usize, not_set: usize) -> tempfile::TempDir {
    let tmp = common::shipped_project();
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
    let root = tmp.path().to_str().expect("utf-8 path");
    let (code, stdout, stderr) = run_tsunagu(&["--root", root, "check"]);
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
    let (code, _, stderr) = run_tsunagu(&["--root", root, "build", "--out", "site"]);
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
    let root = tmp.path().to_str().expect("utf-8 path");
    let (code, stdout, stderr) = run_tsunagu(&["--root", root, "check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("0 warnings") && !stdout.contains("council status:"),
        "{stdout}"
    );
    let (code, _, stderr) = run_tsunagu(&["--root", root, "build", "--out", "site"]);
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
