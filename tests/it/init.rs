//! `tsunagu init DIR --area …` (issue 19): a new project for a prefecture,
//! a designated city and a small town, built with no `templates/`, and
//! `check` on it; names that match nothing or several areas.

use crate::common::{BIN, output, page, run_without_flyers, texts, tree};
use std::fs;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

fn init(dir: &Path, area: &str) -> crate::common::Run {
    output(
        Command::new(BIN)
            .arg("init")
            .arg(dir)
            .args(["--area", area]),
    )
}

/// A fresh project for `area` in a new temp dir.
fn project(area: &str) -> (TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("site-project");
    let r = init(&dir, area);
    assert!(r.ok, "init {area} failed:\n{}", r.log());
    (tmp, dir)
}

/// `(code, name)` of every `[[area]]` in the project's data/areas/ files.
fn areas(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir.join("data/areas")).expect("data/areas") {
        let text = fs::read_to_string(e.expect("entry").path()).expect("read");
        let value: toml::Value = toml::from_str(&text).expect("areas file parses");
        for a in value["area"].as_array().expect("[[area]]") {
            out.push((
                a["code"].as_str().expect("code").to_string(),
                a["name"]["ja"].as_str().expect("name").to_string(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn a_designated_city_gets_itself_its_prefecture_and_its_seven_wards() {
    let (_tmp, dir) = project("堺市");
    let names: Vec<String> = areas(&dir).into_iter().map(|(_, n)| n).collect();
    assert_eq!(
        names,
        [
            "大阪府",
            "堺市",
            "堺区",
            "中区",
            "東区",
            "西区",
            "南区",
            "北区",
            "美原区"
        ],
        "areas in scope"
    );
    assert!(!dir.join("templates").exists(), "init writes no templates/");
    for example in [
        "data/hubs/hubs.example.toml",
        "data/providers/providers.example.toml",
        "data/councils/councils.example.toml",
        "data/coordinators/coordinators.example.toml",
    ] {
        assert!(dir.join(example).is_file(), "{example} written");
    }
}

#[test]
fn a_fresh_project_builds_and_says_what_is_unknown() {
    let (_tmp, dir) = project("堺市");
    let r = run_without_flyers(&dir, &["build"]);
    assert!(r.ok, "build of a fresh init failed:\n{}", r.log());
    let site = dir.join("site");
    let home = page(&site, "ja/index.html");
    assert!(
        texts(&home, "h1").iter().any(|t| t.contains("堺市")),
        "home page title names the area"
    );
    assert!(
        texts(&home, "main p")
            .iter()
            .any(|t| t.contains("まだ掲載していません")),
        "home page says the hubs are not listed yet"
    );
    let en = page(&site, "en/index.html");
    assert!(
        texts(&en, "main p")
            .iter()
            .any(|t| t.contains("not listed yet")),
        "English home page says the hubs are not listed yet"
    );
    let kita = page(&site, "ja/areas/271471/index.html");
    assert!(
        texts(&kita, "h1").iter().any(|t| t.contains("北区")),
        "a ward of Sakai has its area page"
    );

    let check = run_without_flyers(&dir, &["check"]);
    assert!(check.ok, "check failed:\n{}", check.log());
    assert!(check.stdout.contains("0 errors"), "{}", check.stdout);
    assert!(
        check.stdout.contains("area with no hub: 7 unknown"),
        "check lists Sakai's 7 wards as having no hub:\n{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("base_url is still the placeholder"),
        "check flags the placeholder base_url:\n{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("data/hubs/hubs.example.toml"),
        "check lists the example files:\n{}",
        check.stdout
    );
}

#[test]
fn a_town_is_found_by_kanji_kana_and_romaji_alike() {
    let projects: Vec<_> = ["北海道ニセコ町", "にせこちょう", "Niseko"]
        .iter()
        .map(|q| project(q))
        .collect();
    let first = tree(&projects[0].1);
    assert!(
        areas(&projects[0].1)
            .iter()
            .any(|(code, name)| code == "013951" && name == "ニセコ町"),
        "{:?}",
        areas(&projects[0].1)
    );
    for (_, dir) in &projects[1..] {
        assert_eq!(tree(dir), first, "the same project whatever the spelling");
    }
}

#[test]
fn an_ambiguous_or_unknown_name_writes_nothing_and_says_why() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("p");
    let r = init(&dir, "府中市");
    assert_eq!(r.code, 1, "{}", r.log());
    assert!(
        r.stderr.contains("132063") && r.stderr.contains("342084"),
        "both 府中市 listed with their codes:\n{}",
        r.stderr
    );
    let r = init(&dir, "どこにもない市");
    assert_eq!(r.code, 1, "{}", r.log());
    assert!(
        r.stderr.contains("no prefecture, municipality or ward"),
        "{}",
        r.stderr
    );
    assert_eq!(
        fs::read_dir(tmp.path()).expect("tmp").count(),
        0,
        "nothing written"
    );
}

#[test]
fn init_never_writes_into_a_directory_that_holds_something() {
    let tmp = tempfile::tempdir().expect("temp dir");
    fs::write(tmp.path().join("notes.txt"), "mine").expect("write");
    let r = init(tmp.path(), "堺市");
    assert_eq!(r.code, 1, "{}", r.log());
    assert!(r.stderr.contains("not empty"), "{}", r.stderr);
    let left: Vec<_> = fs::read_dir(tmp.path()).expect("tmp").collect();
    assert_eq!(left.len(), 1, "only the user's file is there");
}
