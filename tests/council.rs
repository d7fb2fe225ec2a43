//! The 協議の場 council map (issue 7): the shipped tile map, the boundary
//! path with the N03 files in `../shared/geodata` (copied into temporary
//! projects, never into the repository), `check` findings, counts with
//! SYNTHETIC statuses, and the standalone SVG download.

mod common;

use common::{repo, shipped_project as project};

use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_tsunagu");
const PAGE: &str = "ja/councils/110001/index.html";
const KB60: usize = 60 * 1024;

/// The N03 sample file `name`, or `None` (with a note) when it is absent.
fn geodata(name: &str) -> Option<PathBuf> {
    let p = repo().join("../shared/geodata").join(name);
    if p.is_file() {
        Some(p)
    } else {
        println!(
            "note: {} not found; skipping the boundary-map check",
            p.display()
        );
        None
    }
}

fn run(root: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run tsunagu");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn build(root: &Path) -> PathBuf {
    let out = root.join("site");
    let (ok, log) = run(root, &["build", "--out", out.to_str().expect("utf-8 path")]);
    assert!(ok, "build failed:\n{log}");
    out
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

/// Latest status per municipality code of the Saitama council file, read
/// through the library.
fn saitama_codes(root: &Path) -> Vec<String> {
    let site = tsunagu::pipeline::load_site(root, None)
        .unwrap_or_else(|_| panic!("{} does not compile", root.display()));
    let c = site
        .councils
        .iter()
        .find(|c| c.prefecture.as_str() == "110001")
        .expect("Saitama council");
    c.latest().iter().map(|s| s.area.to_string()).collect()
}

/// The inline map's SVG markup of a built page.
fn inline_svg(html: &str) -> &str {
    let class = html.find("council-map-svg").expect("inline map");
    let start = html[..class].rfind("<svg").expect("inline map");
    let end = start + html[start..].find("</svg>").expect("end of map") + 6;
    &html[start..end]
}

fn add_boundaries(root: &Path, n03: &Path, prefecture: &str) {
    fs::create_dir_all(root.join("data/boundaries")).expect("mkdir");
    fs::copy(
        n03,
        root.join(format!("data/boundaries/{prefecture}.geojson")),
    )
    .expect("copy");
}

// ------------------------------------------------------------------ tests

#[test]
fn shipped_tile_map_has_a_linked_named_shape_per_municipality() {
    let dir = project();
    let site = build(dir.path());
    let html = fs::read_to_string(site.join(PAGE)).expect("page");
    let doc = Html::parse_document(&html);
    let shapes: Vec<_> = doc.select(&sel(".council-map svg a[data-code]")).collect();
    assert_eq!(shapes.len(), 63, "63 tiles");
    for a in &shapes {
        let code = a.value().attr("data-code").expect("code");
        let href = a.value().attr("href").expect("href");
        assert_eq!(href, format!("../../../ja/areas/{code}/"), "link of {code}");
        assert!(site.join(format!("ja/areas/{code}/index.html")).is_file());
        let label = a.value().attr("aria-label").expect("name");
        assert!(
            label.contains("不明"),
            "{code} is named with its status: {label}"
        );
        assert!(
            a.select(&sel("title")).next().is_some(),
            "{code} has a <title>"
        );
        assert!(a.select(&sel("path[fill^='url(#cm-']")).next().is_some());
    }
    // The shipped data: all 63 unknown, the published 35/19/9 beside them.
    let counts: Vec<String> = doc
        .select(&sel(".council-counts tr"))
        .map(|r| r.text().collect::<Vec<_>>().join("|"))
        .collect();
    let joined = counts.join("\n");
    assert!(joined.contains("公表されている合計"), "{joined}");
    for (status, data, published) in [
        ("単独で設置", "0", "35"),
        ("圏域で設置", "0", "19"),
        ("未設置", "0", "9"),
        ("不明", "63", "-"),
        ("合計", "63", "63"),
    ] {
        assert!(
            counts
                .iter()
                .any(|r| r.starts_with(status) && r.ends_with(&format!("|{data}|{published}"))),
            "counts row {status} {data} {published}:\n{joined}"
        );
    }
    assert_eq!(doc.select(&sel(".council-table tbody tr")).count(), 63);
    assert!(html.contains("おおよその位置"), "the tile note is shown");
    // Standalone downloads in both languages, with title, legend and note.
    for lang in ["ja", "en"] {
        let svg = fs::read_to_string(site.join(format!("{lang}/councils/110001/map.svg")))
            .expect("map.svg");
        assert!(svg.starts_with("<?xml") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title id=\"cm-title\">"));
        assert_eq!(svg.matches("data-code=").count(), 63);
        assert!(svg.contains("(63)"), "legend counts");
        assert!(svg.len() <= KB60, "{lang} map.svg is {} bytes", svg.len());
        println!("tile map.svg ({lang}): {} bytes", svg.len());
    }
    println!("tile map inline: {} bytes", inline_svg(&html).len());
    assert!(html.len() <= KB60, "council page is {} bytes", html.len());
    assert!(doc.select(&sel("a[href='map.svg']")).next().is_some());
}

#[test]
fn shipped_data_has_no_map_findings() {
    let (ok, log) = run(repo(), &["check"]);
    assert!(ok, "{log}");
    assert!(!log.contains("not on the map"), "{log}");
    assert!(!log.contains("has no council status"), "{log}");
    assert!(!log.contains("has no map"), "{log}");
}

#[test]
fn tile_findings_name_the_file_and_code() {
    let dir = project();
    let file = dir.path().join("data/councils/saitama.toml");
    let text = fs::read_to_string(&file).expect("read");
    // Drop 熊谷市's tile and 川越市's status.
    let text = text.replace(
        "[[tile]]\narea = \"112020\"  # 熊谷市\nrow = 3\ncol = 6\n\n",
        "",
    );
    let text = text.replace(
        "[[status]]\narea = \"112011\"  # 川越市\nas_of = \"2025-04-01\"\nstatus = \"unknown\"\nsource = \"saitama-coordinator-training\"\n\n",
        "",
    );
    fs::write(&file, text).expect("write");
    let (_, log) = run(dir.path(), &["check"]);
    assert!(
        log.contains("`112020`") && log.contains("not on the map"),
        "missing tile reported:\n{log}"
    );
    assert!(
        log.contains("tile `112011`") && log.contains("has no council status"),
        "tile without data reported:\n{log}"
    );
    assert!(log.contains("data/councils/saitama.toml"), "{log}");
}

#[test]
fn saitama_boundaries_draw_each_municipality_once() {
    let Some(n03) = geodata("N03-21_11_210101.json") else {
        return;
    };
    let dir = project();
    add_boundaries(dir.path(), &n03, "110001");
    let codes = saitama_codes(dir.path());
    assert_eq!(codes.len(), 63);
    let site = build(dir.path());
    let html = fs::read_to_string(site.join(PAGE)).expect("page");
    let doc = Html::parse_document(&html);
    for code in &codes {
        let in_svg = doc
            .select(&sel(&format!(".council-map svg a[data-code='{code}']")))
            .count();
        assert_eq!(in_svg, 1, "{code} in the SVG");
        let in_table = doc
            .select(&sel(&format!(".council-table tr#m-{code}")))
            .count();
        assert_eq!(in_table, 1, "{code} in the table");
    }
    assert_eq!(doc.select(&sel(".council-map svg a")).count(), 63);
    // さいたま市 is one shape made of its 10 wards (10 subpaths).
    let city = doc
        .select(&sel(".council-map svg a[data-code='111007'] path"))
        .next()
        .expect("city shape");
    assert_eq!(city.value().attr("d").expect("d").matches('M').count(), 10);
    assert!(html.contains("出典：国土交通省 国土数値情報（行政区域データ）を加工して作成"));
    let inline = inline_svg(&html).len();
    let file = fs::read(site.join("ja/councils/110001/map.svg")).expect("map.svg");
    println!(
        "Saitama boundary map: inline {inline} bytes, map.svg {} bytes, page {} bytes",
        file.len(),
        html.len()
    );
    assert!(inline <= KB60 && file.len() <= KB60);
    assert!(String::from_utf8_lossy(&file).contains("国土数値情報"));
    let (ok, log) = run(dir.path(), &["check"]);
    assert!(ok, "{log}");
    assert!(
        !log.contains("not on the map") && !log.contains("has no council status"),
        "{log}"
    );
}

#[test]
fn boundary_findings_missing_code_and_feature_without_data() {
    let (Some(n03), Some(tokyo)) = (
        geodata("N03-21_11_210101.json"),
        geodata("N03-21_13_210101.json"),
    ) else {
        return;
    };
    let dir = project();
    let mut geo: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(n03).expect("read")).expect("json");
    let tokyo: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(tokyo).expect("read")).expect("json");
    let features = geo["features"].as_array_mut().expect("features");
    // 川越市 (11201) leaves the geometry; 千代田区 (13101) joins it with no data.
    features.retain(|f| f["properties"]["N03_007"] != "11201");
    let chiyoda = tokyo["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"]["N03_007"] == "13101")
        .expect("千代田区")
        .clone();
    features.push(chiyoda);
    fs::create_dir_all(dir.path().join("data/boundaries")).expect("mkdir");
    fs::write(
        dir.path().join("data/boundaries/110001.geojson"),
        serde_json::to_string(&geo).expect("json"),
    )
    .expect("write");
    let (_, log) = run(dir.path(), &["check"]);
    assert!(
        log.contains("data/boundaries/110001.geojson"),
        "names the file:\n{log}"
    );
    assert!(
        log.contains("`112011`") && log.contains("missing from the boundary file"),
        "code missing from the geometry:\n{log}"
    );
    assert!(
        log.contains("boundary feature `13101`") && log.contains("has no council status"),
        "feature without data:\n{log}"
    );
    // The page still builds; 川越市 is listed as not on the map.
    let site = build(dir.path());
    let html = fs::read_to_string(site.join(PAGE)).expect("page");
    assert!(html.contains("地図に載っていない市町村"));
}

#[test]
fn synthetic_statuses_counts_equal_the_data() {
    let dir = project();
    let file = dir.path().join("data/councils/saitama.toml");
    let text = fs::read_to_string(&file).expect("read");
    // SYNTHETIC statuses (test only, temp dir): cycle through the four.
    let cycle = ["alone", "joint", "not_set", "unknown"];
    let mut i = 0;
    let mut expected: BTreeMap<&str, usize> = BTreeMap::new();
    let text: String = text
        .lines()
        .map(|l| {
            if l == "status = \"unknown\"" {
                let s = cycle[i % 4];
                i += 1;
                *expected.entry(s).or_default() += 1;
                format!("status = \"{s}\"  # SYNTHETIC\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert_eq!(i, 63);
    fs::write(&file, text).expect("write");
    let site = build(dir.path());
    let html = fs::read_to_string(site.join(PAGE)).expect("page");
    let doc = Html::parse_document(&html);
    for (status, label) in [
        ("alone", "単独で設置"),
        ("joint", "圏域で設置"),
        ("not_set", "未設置"),
        ("unknown", "不明"),
    ] {
        let n = expected[status];
        let shapes = doc
            .select(&sel(&format!(".council-map svg a[data-status='{status}']")))
            .count();
        assert_eq!(shapes, n, "{status} shapes");
        let rows = doc
            .select(&sel(&format!(".council-table tr[data-status='{status}']")))
            .count();
        assert_eq!(rows, n, "{status} rows");
        let row = doc
            .select(&sel(".council-counts tbody tr"))
            .find(|r| r.text().collect::<String>().starts_with(label))
            .expect("counts row");
        let cells: Vec<String> = row.select(&sel("td")).map(|c| c.text().collect()).collect();
        assert_eq!(cells[0], n.to_string(), "{status} count from data");
        let legend: String = doc
            .select(&sel(&format!(".council-legend li[data-status='{status}']")))
            .next()
            .expect("legend")
            .text()
            .collect();
        assert!(legend.contains(&format!("({n})")), "legend {legend}");
    }
    // 16/16/16/15 cannot be 35/19/9: flagged on the page and by check.
    assert!(doc.select(&sel(".warning")).next().is_some());
    let (_, log) = run(dir.path(), &["check"]);
    assert!(log.contains("disagree with the published total"), "{log}");
}

#[test]
fn kanagawa_wards_merge_into_their_cities() {
    let Some(n03) = geodata("N03-21_14_210101.json") else {
        return;
    };
    let dir = project();
    let site = tsunagu::pipeline::load_site(dir.path(), None).expect("compiles");
    use tsunagu::model::{AreaCode, AreaKind};
    let pref = AreaCode("140007".into());
    let mut toml = String::from(
        "# SYNTHETIC council file for a test: every status unknown.\nprefecture = \"140007\"\n",
    );
    let munis: Vec<_> = site
        .children(&pref)
        .filter(|a| a.kind != AreaKind::Ward)
        .map(|a| a.code.to_string())
        .collect();
    for code in &munis {
        toml.push_str(&format!(
            "\n[[status]]\narea = \"{code}\"\nas_of = \"2025-04-01\"\nstatus = \"unknown\"\nsource = \"saitama-coordinator-training\"\n"
        ));
    }
    fs::write(dir.path().join("data/councils/kanagawa.toml"), toml).expect("write");
    add_boundaries(dir.path(), &n03, "140007");
    let out = build(dir.path());
    let html = fs::read_to_string(out.join("ja/councils/140007/index.html")).expect("page");
    let doc = Html::parse_document(&html);
    assert_eq!(doc.select(&sel(".council-map svg a")).count(), munis.len());
    let yokohama = doc
        .select(&sel(".council-map svg a[data-code='141003'] path"))
        .next()
        .expect("横浜市 is one shape");
    assert!(yokohama.value().attr("d").expect("d").matches('M').count() >= 18);
    println!(
        "Kanagawa boundary map: inline {} bytes",
        inline_svg(&html).len()
    );
    assert!(inline_svg(&html).len() <= KB60);
    let (_, log) = run(dir.path(), &["check"]);
    assert!(
        !log.contains("not on the map") && !log.contains("has no council status"),
        "{log}"
    );
}

#[test]
fn simplification_fits_the_budget_for_large_files() {
    use tsunagu::features::council::{geo, map::PATH_BUDGET};
    for name in ["N03-21_13_210101.json", "N03-21_210101.json"] {
        let Some(p) = geodata(name) else {
            return;
        };
        let features =
            tsunagu::validate::boundaries::parse_n03(&fs::read_to_string(p).expect("read"))
                .ok()
                .expect("parses");
        let groups: Vec<Vec<_>> = features.iter().map(|f| vec![f]).collect();
        let projected = geo::project(&groups, PATH_BUDGET);
        let size: usize = projected.paths.iter().map(String::len).sum();
        println!(
            "{name}: {} features → {size} bytes of paths",
            features.len()
        );
        // A prefecture fits the budget; the national file (1,909 features,
        // not a use case of the site) is only checked to finish and draw all.
        if name != "N03-21_210101.json" {
            assert!(size <= PATH_BUDGET, "{name}: {size}");
        }
        assert!(
            projected.paths.iter().all(|d| d.starts_with('M')),
            "{name}: every feature drawn"
        );
    }
}
