//! Postcodes (issue 20): `tsunagu import postcodes` on small files in both
//! of Japan Post's encodings (tests/fixtures/postcodes/, real excerpts and
//! SYNTHETIC rows), bad files, the postcode pages, the area pages' town
//! lists and the finder's data files of the shipped site.

use crate::common::*;
use std::fs;
use std::path::Path;

fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures/postcodes")
        .join(name)
        .to_str()
        .expect("utf-8 path")
        .to_string()
}

fn import(root: &Path, file: &str) -> Run {
    run_without_flyers(
        root,
        &["import", "postcodes", &fixture(file), "--as-of", "2026-10"],
    )
}

/// The postcode rows (below the header) of a written file.
fn rows(root: &Path, pref: &str) -> Vec<String> {
    let text = fs::read_to_string(root.join(format!("data/postcodes/{pref}.csv"))).expect("read");
    text.lines()
        .filter(|l| l.bytes().next().is_some_and(|b| b.is_ascii_digit()))
        .map(String::from)
        .collect()
}

#[test]
fn both_encodings_import_the_same_rows_of_the_projects_areas() {
    let mut written = Vec::new();
    for file in ["excerpt.utf8.csv", "excerpt.sjis.csv"] {
        let project = shipped_project();
        let root = project.path();
        let r = import(root, file);
        assert!(r.ok, "{file}: import failed:\n{}", r.log());
        let encoding = if file.contains("sjis") {
            "Shift_JIS"
        } else {
            "UTF-8"
        };
        assert!(r.stdout.contains(encoding), "{file}: {}", r.stdout);
        // 札幌市中央区 and 大島町 are not areas of the project.
        assert!(
            r.stdout.contains("8 rows, 2 outside"),
            "{file}: {}",
            r.stdout
        );
        let kanagawa = rows(root, "140007");
        assert_eq!(
            kanagawa,
            [
                "2220000,141097,,,",
                "2220032,141097,大豆戸町,まめどちょう,",
                "2220033,141097,新横浜,しんよこはま,",
            ],
            "{file}"
        );
        assert_eq!(
            rows(root, "130001"),
            [
                "1000001,131016,千代田,ちよだ,",
                "1000004,131016,大手町,おおてまち,次のビルを除く"
            ],
            "{file}"
        );
        assert_eq!(rows(root, "110001"), ["3300061,111074,常盤,ときわ,"]);
        let text = fs::read_to_string(root.join("data/postcodes/140007.csv")).expect("read");
        assert!(text.contains("# source = \"japan-post-postcodes\"\n# as_of = \"2026-10\"\n"));
        written.push((kanagawa, text));
        // The project builds with them: 〒222's page lists 新横浜 under 港北区.
        let site = build_without_flyers(root, &["--out", "out"]);
        let doc = page(&site, "ja/postcodes/222");
        let groups = texts(&doc, "section.postcode-group");
        assert!(
            groups
                .iter()
                .any(|g| g.contains("横浜市港北区") && g.contains("222-0033 新横浜")),
            "{groups:?}"
        );
        assert!(!site.join("ja/postcodes/060").exists());
    }
    assert_eq!(
        written[0].0, written[1].0,
        "Shift_JIS and UTF-8 give the same rows"
    );
}

#[test]
fn a_town_over_several_rows_a_note_and_one_en_are_undone() {
    let project = shipped_project();
    let root = project.path();
    let saitama = fs::read(root.join("data/postcodes/110001.csv")).expect("read");
    let r = import(root, "synthetic.multirow.sjis.csv");
    assert!(r.ok, "import failed:\n{}", r.log());
    assert!(r.stdout.contains("7 rows, 1 outside"), "{}", r.stdout);
    assert_eq!(
        rows(root, "140007"),
        [
            // Two rows joined, the note apart, the reading joined and cut at its note.
            "2229991,141097,試験町,しけんちょう,第１地割、第２地割、第３地割",
            "2229992,141097,試験台,しけんだい,１丁目",
            // 「一円」 dropped from the name and the reading.
            "2229993,141097,試験原,しけんばら,",
            // One postcode, two towns; 試験町 is under two postcodes.
            "2229994,141097,試験町,しけんまち,",
            "2229994,141097,試験西,しけんにし,",
        ]
    );
    // Only the prefectures in the file are replaced.
    assert_eq!(
        fs::read(root.join("data/postcodes/110001.csv")).expect("read"),
        saitama
    );
}

#[test]
fn a_bad_file_gives_every_row_and_column_error_and_writes_nothing() {
    let project = shipped_project();
    let root = project.path();
    let before = tree(&root.join("data"));
    let r = import(root, "synthetic.bad.utf8.csv");
    assert!(!r.ok && r.code == 1, "the import must fail:\n{}", r.log());
    for want in [
        "row 2, column 3 (郵便番号): '22200' is not a 7-digit postcode",
        "row 3: 14 columns; Japan Post's file has 15",
        "row 4, column 10 (一町域が二以上の郵便番号で表される場合の表示): '2' is not 0 or 1",
        "row 6, column 9 (町域名): the town name begun here is not closed",
        "import failed: 4 errors; nothing was written",
    ] {
        assert!(
            r.stderr.contains(want),
            "missing {want:?} in:\n{}",
            r.stderr
        );
    }
    assert_eq!(tree(&root.join("data")), before, "data/ changed");
    // Without --as-of nothing is written either.
    let r = run_without_flyers(root, &["import", "postcodes", &fixture("excerpt.utf8.csv")]);
    assert!(
        !r.ok && r.stderr.contains("--as-of is required"),
        "{}",
        r.log()
    );
    assert_eq!(tree(&root.join("data")), before, "data/ changed");
}

#[test]
fn a_hand_edited_postcode_file_with_an_unknown_area_is_an_error_at_its_line() {
    let project = shipped_project();
    let root = project.path();
    let file = root.join("data/postcodes/140007.csv");
    edit(&file, "2220033,141097,", "2220033,149999,");
    let r = run_without_flyers(root, &["check"]);
    assert!(!r.ok, "check must fail:\n{}", r.log());
    let text = fs::read_to_string(&file).expect("read");
    let line = text
        .lines()
        .position(|l| l.starts_with("2220033,"))
        .expect("row")
        + 1;
    assert!(
        r.stderr
            .contains(&format!("data/postcodes/140007.csv:{line}:9"))
            && r.stderr.contains("area `149999` does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_shipped_site_finds_areas_by_postcode_and_town() {
    let (site, _) = shipped_build();
    // The finder's small index: prefixes of the shipped areas only, and the coverage.
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("finder-postcodes.json")).expect("index"))
            .expect("json");
    let prefixes: Vec<&str> = index["p"].as_str().expect("p").split(' ').collect();
    for p in ["100", "222", "330"] {
        assert!(prefixes.contains(&p), "{prefixes:?}");
    }
    assert!(!prefixes.contains(&"060"));
    assert_eq!(index["c"][0], "神奈川県、埼玉県、東京都千代田区");
    // 〒222's file has 新横浜 in 港北区.
    let rows: Vec<Vec<String>> =
        serde_json::from_slice(&fs::read(site.join("postcodes/222.json")).expect("222"))
            .expect("json");
    assert!(rows.contains(&vec![
        "2220033".to_string(),
        "新横浜".into(),
        "Shinyokohama".into(),
        "141097".into()
    ]));
    // The town file of 新横 (its first two characters hashed as the script does).
    let buckets = index["b"].as_u64().expect("b") as u32;
    let file = "新横"
        .encode_utf16()
        .fold(0u32, |h, u| h.wrapping_mul(31).wrapping_add(u32::from(u)))
        % buckets;
    let towns: Vec<Vec<String>> =
        serde_json::from_slice(&fs::read(site.join(format!("towns/{file}.json"))).expect("新横"))
            .expect("json");
    assert!(towns.iter().any(|t| t[0] == "新横浜" && t[3] == "141097"));
    // No-JS: the area list links to each prefix page, which links the area.
    for (lang, town, area) in [
        ("ja", "222-0033 新横浜", "横浜市港北区"),
        (
            "en",
            "222-0033 Shinyokohama 新横浜",
            "Kohoku Ward, Yokohama City",
        ),
    ] {
        let list = page(site, &format!("{lang}/areas"));
        assert!(
            attrs(&list, "main a", "href")
                .iter()
                .any(|h| h.ends_with("postcodes/222/"))
        );
        let doc = page(site, &format!("{lang}/postcodes/222"));
        let group = doc
            .select(&sel("section.postcode-group"))
            .find(|g| text(*g).contains(town))
            .unwrap_or_else(|| panic!("{lang}: no {town}"));
        let link = group.select(&sel("h2 a")).next().expect("area link");
        assert_eq!(text(link), area);
        assert_eq!(
            link.value().attr("href"),
            Some(format!("../../../{lang}/areas/141097/").as_str())
        );
        // The area page lists its towns, collapsed.
        let area_page = page(site, &format!("{lang}/areas/141097"));
        let details = area_page
            .select(&sel("details.towns"))
            .next()
            .expect("towns");
        assert!(details.value().attr("open").is_none());
        assert!(text(details).contains("新横浜"));
    }
}
