//! The 協議の場 council map (issue 7): the shipped tile map, `check`
//! findings, counts with SYNTHETIC statuses, the standalone SVG download, and
//! the boundary path. Boundary maps are drawn from the committed N03 excerpt
//! (`tests/fixtures/n03`, ten real features) in temporary projects whose
//! council files list the excerpt's municipalities, so they run on every
//! clone; the tests that need whole prefectures or the national file read
//! `../shared/geodata` (or `$TSUNAGU_TEST_GEODATA`) and print `skipped: …`
//! when it is not there.

// Without flyers: these tests are about councils, and typesetting 288 PDFs
// per build would be most of their time.
use crate::common::{
    build_without_flyers as build, n03_excerpt, n03_excerpt_of, repo, run_without_flyers as run,
    sel, shared_geodata, shipped_project as project,
};

use scraper::Html;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

const PAGE: &str = "ja/councils/110001/index.html";
const KANAGAWA_PAGE: &str = "ja/councils/140007/index.html";
const KB60: usize = 60 * 1024;

/// A municipality of the N03 excerpt: its 6-digit code and name in
/// data/areas, and the 5-digit `N03_007` codes of its features (a designated
/// city's are its wards').
type Municipality = (&'static str, &'static str, &'static [&'static str]);

/// Saitama in the excerpt: さいたま市 (its wards 西区 and 北区), 川越市, 上尾市.
const SAITAMA_EXCERPT: [Municipality; 3] = [
    ("111007", "さいたま市", &["11101", "11102"]),
    ("112011", "川越市", &["11201"]),
    ("112194", "上尾市", &["11219"]),
];

/// Kanagawa in the excerpt: 横浜市 (its wards 鶴見区, 神奈川区, 西区, 中区)
/// and 鎌倉市.
const KANAGAWA_EXCERPT: [Municipality; 2] = [
    ("141003", "横浜市", &["14101", "14102", "14103", "14104"]),
    ("142042", "鎌倉市", &["14204"]),
];

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

fn add_boundaries(root: &Path, file: &Path, prefecture: &str) {
    fs::create_dir_all(root.join("data/boundaries")).expect("mkdir");
    fs::copy(
        file,
        root.join(format!("data/boundaries/{prefecture}.geojson")),
    )
    .expect("copy");
}

fn write_boundaries(root: &Path, prefecture: &str, geo: &serde_json::Value) {
    fs::create_dir_all(root.join("data/boundaries")).expect("mkdir");
    fs::write(
        root.join(format!("data/boundaries/{prefecture}.geojson")),
        serde_json::to_string(geo).expect("json"),
    )
    .expect("write");
}

/// A SYNTHETIC council file for `prefecture`: an unknown status for each of
/// `areas`, no tiles and no published total.
fn council_toml(prefecture: &str, areas: &[&str]) -> String {
    let mut toml = format!(
        "# SYNTHETIC council file for a test: every status unknown.\nprefecture = \"{prefecture}\"\n"
    );
    for code in areas {
        toml.push_str(&format!(
            "\n[[status]]\narea = \"{code}\"\nas_of = \"2025-04-01\"\nstatus = \"unknown\"\nsource = \"saitama-coordinator-training\"\n"
        ));
    }
    toml
}

/// A temp copy of the shipped project whose Saitama and Kanagawa council
/// files list exactly the excerpt's municipalities, with the excerpt's
/// features of each prefecture as its boundary file.
fn excerpt_project() -> TempDir {
    let dir = project();
    for (file, prefecture, prefix, munis) in [
        ("saitama", "110001", "11", &SAITAMA_EXCERPT[..]),
        ("kanagawa", "140007", "14", &KANAGAWA_EXCERPT[..]),
    ] {
        let codes: Vec<&str> = munis.iter().map(|m| m.0).collect();
        fs::write(
            dir.path().join(format!("data/councils/{file}.toml")),
            council_toml(prefecture, &codes),
        )
        .expect("write");
        write_boundaries(dir.path(), prefecture, &n03_excerpt_of(prefix));
    }
    dir
}

/// `check` on `root` succeeds with no map finding.
fn assert_no_map_findings(root: &Path) {
    let r = run(root, &["check"]);
    let log = r.log();
    assert!(r.ok, "{log}");
    assert!(
        !log.contains("not on the map") && !log.contains("has no council status"),
        "{log}"
    );
}

/// Each of `munis` is drawn once in the map and listed once in the table of
/// `doc`, linked to its area page (which exists in `site`) and named; the map
/// has no other shape.
fn assert_each_drawn_once(doc: &Html, site: &Path, munis: &[(&str, &str)]) {
    for (code, name) in munis {
        let shapes: Vec<_> = doc
            .select(&sel(&format!(".council-map svg a[data-code='{code}']")))
            .collect();
        assert_eq!(shapes.len(), 1, "{code} {name} in the SVG");
        let a = shapes[0].value();
        assert_eq!(
            a.attr("href"),
            Some(format!("../../../ja/areas/{code}/").as_str()),
            "link of {code}"
        );
        assert!(site.join(format!("ja/areas/{code}/index.html")).is_file());
        let label = a.attr("aria-label").expect("name");
        assert!(label.contains(name), "{code} is named {name}: {label}");
        let in_table = doc
            .select(&sel(&format!(".council-table tr#m-{code}")))
            .count();
        assert_eq!(in_table, 1, "{code} in the table");
    }
    assert_eq!(
        doc.select(&sel(".council-map svg a")).count(),
        munis.len(),
        "one linked shape per municipality"
    );
    assert_eq!(
        doc.select(&sel(".council-map svg .cm-nodata")).count(),
        0,
        "no shape without data"
    );
}

/// Rings of the excerpt's features with these `N03_007` codes: the subpaths
/// of a shape drawn from them.
fn excerpt_rings(codes: &[&str]) -> usize {
    let text = fs::read_to_string(n03_excerpt()).expect("read");
    let features = tsunagu::validate::boundaries::parse_n03(&text)
        .ok()
        .expect("parses");
    features
        .iter()
        .filter(|f| codes.contains(&f.code.as_str()))
        .map(|f| f.polygons.iter().map(Vec::len).sum::<usize>())
        .sum()
}

/// The points of a map path `d` (`M x y l dx dy … z` per ring, whole
/// units), as absolute coordinates.
fn path_points(d: &str) -> Vec<(f64, f64)> {
    let nums = |s: &str| -> Vec<f64> {
        s.replace('-', " -")
            .split_whitespace()
            .map(|n| n.parse().unwrap_or_else(|_| panic!("number {n} in {d}")))
            .collect()
    };
    let mut points = Vec::new();
    for ring in d.split('M').filter(|r| !r.is_empty()) {
        let (start, rest) = ring
            .trim_end_matches('z')
            .split_once('l')
            .expect("M x y l …");
        let start = nums(start);
        let mut at = (start[0], start[1]);
        points.push(at);
        for step in nums(rest).chunks(2) {
            at = (at.0 + step[0], at.1 + step[1]);
            points.push(at);
        }
    }
    points
}

/// [min x, min y, max x, max y] of `points`.
fn bbox(points: &[(f64, f64)]) -> [f64; 4] {
    points.iter().fold(
        [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
        |[a, b, c, d], (x, y)| [a.min(*x), b.min(*y), c.max(*x), d.max(*y)],
    )
}

/// The path `d` of the shape of `code`.
fn shape_d(doc: &Html, code: &str) -> String {
    doc.select(&sel(&format!(
        ".council-map svg a[data-code='{code}'] path"
    )))
    .next()
    .unwrap_or_else(|| panic!("{code} is one shape"))
    .value()
    .attr("d")
    .expect("d")
    .to_string()
}

// ------------------------------------------------------------------ tests

#[test]
fn shipped_tile_map_has_a_linked_named_shape_per_municipality() {
    let dir = project();
    let site = build(dir.path(), &[]);
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
    let r = run(repo(), &["check"]);
    let log = r.log();
    assert!(r.ok, "{log}");
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
    let log = run(dir.path(), &["check"]).log();
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
    let dir = excerpt_project();
    let mut codes = saitama_codes(dir.path());
    codes.sort();
    assert_eq!(codes, SAITAMA_EXCERPT.map(|m| m.0));
    let site = build(dir.path(), &[]);
    let html = fs::read_to_string(site.join(PAGE)).expect("page");
    let doc = Html::parse_document(&html);
    assert_each_drawn_once(&doc, &site, &SAITAMA_EXCERPT.map(|m| (m.0, m.1)));
    // さいたま市 is one shape made of its two wards' features (one ring
    // each); the wards have no shape of their own.
    assert_eq!(excerpt_rings(SAITAMA_EXCERPT[0].2), 2);
    assert_eq!(shape_d(&doc, "111007").matches('M').count(), 2);
    for ward in ["111015", "111023"] {
        assert!(!html.contains(&format!("data-code=\"{ward}\"")), "{ward}");
    }
    assert!(html.contains("出典：国土交通省 国土数値情報（行政区域データ）を加工して作成"));
    let inline = inline_svg(&html).len();
    let file = fs::read(site.join("ja/councils/110001/map.svg")).expect("map.svg");
    println!(
        "Saitama excerpt boundary map: inline {inline} bytes, map.svg {} bytes, page {} bytes",
        file.len(),
        html.len()
    );
    assert!(inline <= KB60 && file.len() <= KB60);
    let file = String::from_utf8_lossy(&file);
    assert!(file.contains("国土数値情報"));
    assert_eq!(file.matches("data-code=").count(), 3);
    assert_no_map_findings(dir.path());
}

#[test]
fn boundary_findings_missing_code_and_feature_without_data() {
    let dir = excerpt_project();
    let mut geo = n03_excerpt_of("11");
    let tokyo = n03_excerpt_of("13");
    let features = geo["features"].as_array_mut().expect("features");
    // 川越市 (11201) leaves the geometry; 千代田区 (13101) joins it with no data.
    let before = features.len();
    features.retain(|f| f["properties"]["N03_007"] != "11201");
    assert_eq!(features.len(), before - 1, "川越市 was in the excerpt");
    let chiyoda = tokyo["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"]["N03_007"] == "13101")
        .expect("千代田区")
        .clone();
    features.push(chiyoda);
    write_boundaries(dir.path(), "110001", &geo);
    let log = run(dir.path(), &["check"]).log();
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
    // Nothing else: one finding of each kind, none for Kanagawa.
    assert_eq!(log.matches("not on the map").count(), 1, "{log}");
    assert_eq!(log.matches("has no council status").count(), 1, "{log}");
    // The page still builds: 川越市 is listed as not on the map, 千代田区 is
    // drawn without a link.
    let site = build(dir.path(), &[]);
    let html = fs::read_to_string(site.join(PAGE)).expect("page");
    assert!(html.contains("地図に載っていない市町村"));
    let doc = Html::parse_document(&html);
    assert!(
        doc.select(&sel(".council-map svg a[data-code='112011']"))
            .next()
            .is_none()
    );
    let nodata: Vec<String> = doc
        .select(&sel(".council-map svg .cm-nodata title"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(nodata.len(), 1, "{nodata:?}");
    assert!(nodata[0].contains("千代田区"), "{nodata:?}");
}

#[test]
fn excerpt_parses_and_projects_one_path_per_shape() {
    use tsunagu::features::council::{geo, map::PATH_BUDGET};
    let text = fs::read_to_string(n03_excerpt()).expect("read");
    let features = tsunagu::validate::boundaries::parse_n03(&text)
        .ok()
        .expect("parses");
    let names: Vec<(&str, &str)> = features
        .iter()
        .map(|f| (f.code.as_str(), f.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("11101", "さいたま市西区"),
            ("11102", "さいたま市北区"),
            ("11201", "川越市"),
            ("11219", "上尾市"),
            ("13101", "千代田区"),
            ("14101", "横浜市鶴見区"),
            ("14102", "横浜市神奈川区"),
            ("14103", "横浜市西区"),
            ("14104", "横浜市中区"),
            ("14204", "鎌倉市"),
        ]
    );
    for f in &features {
        assert!(!f.polygons.is_empty(), "{}: has polygons", f.code);
        for p in f.polygons.iter().flatten().flatten() {
            assert!(
                (138.9..140.0).contains(&p[0]) && (35.2..36.1).contains(&p[1]),
                "{}: {p:?} is not (longitude, latitude) near Tokyo",
                f.code
            );
        }
    }
    // Saitama's features grouped as its map groups them: one shape per
    // municipality, さいたま市 of its two wards.
    let groups: Vec<Vec<_>> = SAITAMA_EXCERPT
        .iter()
        .map(|(_, _, codes)| {
            features
                .iter()
                .filter(|f| codes.contains(&f.code.as_str()))
                .collect()
        })
        .collect();
    let p = geo::project(&groups, PATH_BUDGET);
    assert_eq!(p.paths.len(), 3);
    let long_side = p.width.max(p.height);
    assert!(
        (geo::WIDTH..=geo::WIDTH + 1.0).contains(&long_side),
        "the longer side spans the view: {} × {}",
        p.width,
        p.height
    );
    for (d, (code, name, wards)) in p.paths.iter().zip(SAITAMA_EXCERPT) {
        assert!(d.starts_with('M'), "{code} {name}: {d}");
        assert_eq!(
            d.matches('M').count(),
            excerpt_rings(wards),
            "{code} {name}"
        );
    }
    // All ten features, each its own shape, in one projection.
    let each: Vec<Vec<_>> = features.iter().map(|f| vec![f]).collect();
    let p = geo::project(&each, PATH_BUDGET);
    let size: usize = p.paths.iter().map(String::len).sum();
    println!(
        "N03 excerpt: {} features → {size} bytes of paths",
        features.len()
    );
    assert_eq!(p.paths.len(), features.len());
    assert!(
        p.paths.iter().all(|d| d.starts_with('M')),
        "every feature drawn"
    );
    assert!(size <= PATH_BUDGET, "{size}");
    // The drawing fills the view box inside its 8-unit padding, keeps the
    // east–west/north–south proportions (longitude scaled by the cosine of
    // the middle latitude), and has north up and east right.
    let boxes: Vec<[f64; 4]> = p.paths.iter().map(|d| bbox(&path_points(d))).collect();
    let [x0, y0, x1, y1] = boxes.iter().fold(
        [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
        |[a, b, c, d], [e, f, g, h]| [a.min(*e), b.min(*f), c.max(*g), d.max(*h)],
    );
    let view = [p.width, p.height];
    for (lo, hi, size) in [(x0, x1, view[0]), (y0, y1, view[1])] {
        assert!(
            (7.0..=9.0).contains(&lo) && (size - 9.0..=size - 7.0).contains(&hi),
            "drawing {x0},{y0}–{x1},{y1} in a view of {view:?}"
        );
    }
    let geo_box = bbox(
        &features
            .iter()
            .flat_map(|f| f.polygons.iter().flatten().flatten())
            .map(|p| (p[0], p[1]))
            .collect::<Vec<_>>(),
    );
    let k = ((geo_box[1] + geo_box[3]) / 2.0).to_radians().cos();
    let geo_ratio = (geo_box[2] - geo_box[0]) * k / (geo_box[3] - geo_box[1]);
    let ratio = (x1 - x0) / (y1 - y0);
    assert!(
        (ratio / geo_ratio - 1.0).abs() < 0.02,
        "width/height {ratio:.3}, expected {geo_ratio:.3}"
    );
    let centre = |code: &str| {
        let i = features.iter().position(|f| f.code == code).expect(code);
        let [a, b, c, d] = boxes[i];
        ((a + c) / 2.0, (b + d) / 2.0)
    };
    assert!(
        centre("11219").1 < centre("14204").1,
        "上尾市 is north of (above) 鎌倉市"
    );
    assert!(
        centre("11201").0 < centre("13101").0,
        "川越市 is west of (left of) 千代田区"
    );
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
    let site = build(dir.path(), &[]);
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
    let log = run(dir.path(), &["check"]).log();
    assert!(log.contains("disagree with the published total"), "{log}");
}

#[test]
fn kanagawa_wards_merge_into_their_cities() {
    let dir = excerpt_project();
    let out = build(dir.path(), &[]);
    let html = fs::read_to_string(out.join(KANAGAWA_PAGE)).expect("page");
    let doc = Html::parse_document(&html);
    assert_each_drawn_once(&doc, &out, &KANAGAWA_EXCERPT.map(|m| (m.0, m.1)));
    // 横浜市 is one shape holding its four wards' features (8 rings: three
    // of them have islands); no ward has a shape of its own.
    let rings = excerpt_rings(KANAGAWA_EXCERPT[0].2);
    assert_eq!(rings, 8);
    let yokohama = shape_d(&doc, "141003");
    assert_eq!(yokohama.matches('M').count(), rings, "{yokohama}");
    for ward in ["141011", "141020", "141038", "141046"] {
        assert!(!html.contains(&format!("data-code=\"{ward}\"")), "{ward}");
    }
    println!(
        "Kanagawa excerpt boundary map: inline {} bytes",
        inline_svg(&html).len()
    );
    assert!(inline_svg(&html).len() <= KB60);
    assert_no_map_findings(dir.path());
}

#[test]
fn whole_prefecture_boundary_maps_fit_the_page() {
    // The page budget needs every municipality of a prefecture on the map:
    // the full N03 files, not the excerpt.
    let Some(files) = shared_geodata(
        "council::whole_prefecture_boundary_maps_fit_the_page",
        &["N03-21_11_210101.json", "N03-21_14_210101.json"],
    ) else {
        return;
    };
    let dir = project();
    // Saitama: the shipped council file (63 municipalities).
    add_boundaries(dir.path(), &files[0], "110001");
    let codes = saitama_codes(dir.path());
    assert_eq!(codes.len(), 63);
    // Kanagawa: a SYNTHETIC council file with every city, town and village.
    let site = tsunagu::pipeline::load_site(dir.path(), None).expect("compiles");
    use tsunagu::model::{AreaCode, AreaKind};
    let kanagawa: Vec<String> = site
        .children(&AreaCode("140007".into()))
        .filter(|a| a.kind != AreaKind::Ward)
        .map(|a| a.code.to_string())
        .collect();
    let refs: Vec<&str> = kanagawa.iter().map(String::as_str).collect();
    fs::write(
        dir.path().join("data/councils/kanagawa.toml"),
        council_toml("140007", &refs),
    )
    .expect("write");
    add_boundaries(dir.path(), &files[1], "140007");
    let out = build(dir.path(), &[]);
    for (page, codes, city, wards) in [
        (PAGE, &codes, "111007", 10),
        (KANAGAWA_PAGE, &kanagawa, "141003", 18),
    ] {
        let html = fs::read_to_string(out.join(page)).expect("page");
        let doc = Html::parse_document(&html);
        for code in codes {
            let n = doc
                .select(&sel(&format!(".council-map svg a[data-code='{code}']")))
                .count();
            assert_eq!(n, 1, "{page}: {code} in the SVG");
        }
        assert_eq!(doc.select(&sel(".council-map svg a")).count(), codes.len());
        // さいたま市's 10 wards, 横浜市's 18 (a few with islands).
        assert!(shape_d(&doc, city).matches('M').count() >= wards, "{city}");
        let inline = inline_svg(&html).len();
        let svg = page.replace("index.html", "map.svg");
        let file = fs::read(out.join(&svg)).expect("map.svg").len();
        println!(
            "whole-prefecture boundary map {page}: inline {inline} bytes, map.svg {file} bytes, page {} bytes",
            html.len()
        );
        assert!(inline <= KB60 && file <= KB60, "{page}: {inline}, {file}");
    }
    assert_no_map_findings(dir.path());
}

#[test]
fn simplification_fits_the_budget_for_large_files() {
    use tsunagu::features::council::{geo, map::PATH_BUDGET};
    // Draws every feature of `file` as its own shape; returns the bytes of paths.
    let draw = |file: &Path| {
        let name = file.file_name().expect("name").to_string_lossy();
        let features =
            tsunagu::validate::boundaries::parse_n03(&fs::read_to_string(file).expect("read"))
                .ok()
                .expect("parses");
        let groups: Vec<Vec<_>> = features.iter().map(|f| vec![f]).collect();
        let projected = geo::project(&groups, PATH_BUDGET);
        let size: usize = projected.paths.iter().map(String::len).sum();
        println!(
            "{name}: {} features → {size} bytes of paths",
            features.len()
        );
        assert!(
            projected.paths.iter().all(|d| d.starts_with('M')),
            "{name}: every feature drawn"
        );
        size
    };
    // A whole prefecture fits the budget: Tokyo, whose far islands stretch
    // the map, is the hardest. The national file (1,909 features, not a use
    // case of the site) is only checked to finish and draw all.
    let Some(files) = shared_geodata(
        "council::simplification_fits_the_budget_for_large_files",
        &["N03-21_13_210101.json", "N03-21_210101.json"],
    ) else {
        return;
    };
    let size = draw(&files[0]);
    assert!(size <= PATH_BUDGET, "Tokyo: {size}");
    draw(&files[1]);
}
