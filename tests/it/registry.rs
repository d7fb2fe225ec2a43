//! The registry (issue 6): open data out, Excel CSV in, privacy, staleness.
//! Each test works on a temp copy of the shipped project and runs the real
//! binary, as a ward office would.

use crate::common::{
    Run, build, build_without_flyers, run_without_flyers, shipped_project as project, tree,
};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn registry_files(site: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    tree(&site.join("open-data"))
        .into_iter()
        .filter(|(p, _)| {
            let n = p.to_string_lossy();
            n.starts_with("providers.") || n.starts_with("hubs.")
        })
        .collect()
}

/// The registry records of a project as the model holds them, minus where
/// in a file each one sits.
fn model(root: &Path) -> (String, String) {
    let site =
        tsunagu::pipeline::load_site(root, None).unwrap_or_else(|d| panic!("{:?}", d.sorted()));
    let providers: Vec<String> = site.providers.iter().map(|p| format!("{p:?}")).collect();
    let hubs: Vec<String> = site
        .hubs
        .iter()
        .map(|h| {
            let mut h = h.clone();
            h.origin.line = 0;
            format!("{h:?}")
        })
        .collect();
    (providers.join("\n"), hubs.join("\n"))
}

#[test]
fn export_then_import_gives_the_same_data_utf8_and_cp932() {
    let dir = project();
    let root = dir.path();
    let site = build_without_flyers(root, &[]);
    let before = registry_files(&site);
    let model_before = model(root);
    assert!(
        before.contains_key(Path::new("providers.csv"))
            && before.contains_key(Path::new("hubs.sjis.csv"))
    );
    assert!(
        model_before
            .0
            .contains("相談支援事業所千代田区子ども発達センター"),
        "the shipped providers are in the model"
    );

    // The CSV has no easy texts (`easy = "…"`): the import carries them
    // over from the files it replaces.
    let easy_before = easy_texts(root);
    assert!(
        easy_before.len() >= 7,
        "the shipped files hold easy texts: {easy_before:?}"
    );

    for suffix in ["csv", "sjis.csv"] {
        // Keep the exported files outside site/, which the next build replaces.
        let export = root.join(format!("export.{suffix}"));
        for (kind, out) in [
            ("providers", "data/providers/chiyoda.toml"),
            ("hubs", "data/hubs/yokohama.toml"),
        ] {
            fs::copy(site.join(format!("open-data/{kind}.{suffix}")), &export)
                .expect("copy export");
            let export_s = export.to_str().expect("utf-8 path");
            let Run {
                ok,
                stdout,
                stderr: err,
                ..
            } = run_without_flyers(root, &["import", kind, export_s, "--out", out, "--dry-run"]);
            assert!(ok, "dry run of {kind}.{suffix} failed:\n{err}");
            assert!(
                stdout.contains("0 added, 0 changed, 0 removed"),
                "{kind}.{suffix}: the dry run reports changes:\n{stdout}"
            );
            let expected = if suffix == "csv" {
                "UTF-8 (BOM)"
            } else {
                "Shift_JIS (cp932)"
            };
            assert!(
                stdout.contains(expected),
                "{kind}.{suffix} was not read as {expected}:\n{stdout}"
            );
            let Run {
                ok,
                stdout,
                stderr: err,
                ..
            } = run_without_flyers(root, &["import", kind, export_s, "--out", out]);
            assert!(
                ok && stdout.contains("written"),
                "import of {kind}.{suffix} failed:\n{stdout}{err}"
            );
            assert!(
                fs::read_to_string(root.join(out))
                    .expect("written file")
                    .contains("Imported by `tsunagu import")
            );
        }
        let site = build_without_flyers(root, &[]);
        let after = registry_files(&site);
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &before {
            assert!(
                after[path] == *bytes,
                "{} differs after the {suffix} round trip",
                path.display()
            );
        }
        assert_eq!(
            model(root),
            model_before,
            "the model differs after the {suffix} round trip"
        );
        assert_eq!(
            easy_texts(root),
            easy_before,
            "easy texts lost in the {suffix} round trip"
        );
    }
}

/// Every `easy = "…"` text in the two shipped files the round trip imports into.
fn easy_texts(root: &Path) -> Vec<String> {
    ["data/hubs/yokohama.toml", "data/providers/chiyoda.toml"]
        .iter()
        .flat_map(|f| {
            let text = fs::read_to_string(root.join(f)).expect("read");
            text.match_indices("easy = \"")
                .map(|(i, _)| text[i..].lines().next().unwrap_or("").to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn an_import_that_changes_the_japanese_under_an_easy_text_names_it_and_writes_nothing() {
    let dir = project();
    let root = dir.path();
    let site = build_without_flyers(root, &[]);
    let csv = fs::read_to_string(site.join("open-data/hubs.csv")).expect("hubs.csv");
    let changed = csv.replacen(
        "お住まいの区の区役所（こども家庭支援課、高齢・障害支援課）",
        "お住まいの区の区役所",
        1,
    );
    assert_ne!(changed, csv, "the export has the shipped ask_instead");
    let file = root.join("changed.csv");
    fs::write(&file, changed).expect("write");
    let data_before = tree(&root.join("data"));
    let r = run_without_flyers(
        root,
        &[
            "import",
            "hubs",
            file.to_str().expect("path"),
            "--out",
            "data/hubs/yokohama.toml",
        ],
    );
    assert!(!r.ok, "the import fails");
    let log = r.log();
    assert!(
        log.contains("hub `yokohama-aoba`, ask_instead: the import changes this Japanese text"),
        "{log}"
    );
    assert_eq!(
        log.matches("the import changes this Japanese text").count(),
        1,
        "{log}"
    );
    assert_eq!(tree(&root.join("data")), data_before, "nothing written");
}

/// A provider CSV as a ward office might save it from Excel on Windows.
fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "the test CSV must be representable in cp932");
    bytes.into_owned()
}

#[test]
fn a_bad_cp932_csv_reports_every_row_and_column_and_writes_nothing() {
    let dir = project();
    let root = dir.path();
    let csv = "ID,名称,名称_英字,種別,対象区域コード,電話番号,医療的ケア_人工呼吸器,出典,時点,情報確認日\r\n\
        test-a,テスト訪問看護ステーション,Test Visiting Nursing Station,visiting_nursing,131016,03-12,yes,chiyoda-coordinators,2024-03,2026-11-01\r\n\
        test-b,テスト短期入所,Test Short Stay,short_stay,999999,03-1234-5678,,chiyoda-coordinators,2024-03,2026-11-01\r\n\
        test-c,,Test Clinic,hospital_clinic,131016,,no,chiyoda-coordinators,2024-03,2026-11-01\r\n";
    let bytes = cp932(csv);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file is really Shift_JIS, not UTF-8"
    );
    let file = root.join("bad.csv");
    fs::write(&file, &bytes).expect("write csv");
    let data_before = tree(&root.join("data"));

    let Run {
        ok,
        stdout,
        stderr: err,
        ..
    } = run_without_flyers(root, &["import", "providers", file.to_str().expect("path")]);
    assert!(!ok, "the import must fail:\n{stdout}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 3, "exactly three errors expected:\n{err}");
    assert_eq!(
        errors[0],
        "error: row 2, 電話番号: '03-12' is not a phone number (write it with its area code, e.g. 03-1234-5678)"
    );
    assert!(
        errors[1].starts_with("error: row 3, 対象区域コード: '999999' is not an area code"),
        "{}",
        errors[1]
    );
    assert!(
        errors[2].starts_with("error: row 4, 名称: missing Japanese"),
        "{}",
        errors[2]
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(
        tree(&root.join("data")),
        data_before,
        "data/ changed although the file had errors"
    );
    assert!(!root.join("data/providers/imported.toml").exists());

    // The same rows fixed import cleanly, and a dry run lists what would be added.
    let fixed = csv
        .replace("03-12,", "03-1234-0000,")
        .replace("999999", "131016")
        .replace("test-c,,", "test-c,テスト診療所,");
    fs::write(&file, cp932(&fixed)).expect("write csv");
    let Run {
        ok,
        stdout,
        stderr: err,
        ..
    } = run_without_flyers(
        root,
        &[
            "import",
            "providers",
            file.to_str().expect("path"),
            "--dry-run",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        stdout.contains("3 added, 0 changed, 0 removed") && stdout.contains("added    test-b"),
        "{stdout}"
    );
    assert_eq!(
        tree(&root.join("data")),
        data_before,
        "a dry run wrote to data/"
    );
    let Run {
        ok, stderr: err, ..
    } = run_without_flyers(root, &["import", "providers", file.to_str().expect("path")]);
    assert!(ok, "{err}");
    let written =
        fs::read_to_string(root.join("data/providers/imported.toml")).expect("imported.toml");
    assert!(
        written.contains("care = { ventilator = \"no\" }")
            && written.contains("phone = \"03-1234-0000\""),
        "{written}"
    );
    // Unknown stays unknown: test-b's empty care cell wrote nothing.
    let b = written
        .split("[[provider]]")
        .find(|r| r.contains("test-b"))
        .expect("test-b");
    assert!(!b.contains("care"), "{b}");
    // A changed cell shows as a change.
    fs::write(&file, cp932(&fixed.replace("03-1234-0000", "03-1234-0001"))).expect("write csv");
    let Run { ok, stdout, .. } = run_without_flyers(
        root,
        &[
            "import",
            "providers",
            file.to_str().expect("path"),
            "--dry-run",
        ],
    );
    assert!(
        ok && stdout.contains("0 added, 1 changed, 0 removed")
            && stdout.contains("電話番号: '03-1234-0000' → '03-1234-0001'"),
        "{stdout}"
    );
}

#[test]
fn import_requires_the_english_name_and_known_columns() {
    let dir = project();
    let root = dir.path();
    let file = root.join("noen.csv");
    fs::write(
        &file,
        "ID,名称,名称_英字,種別,対象区域コード,出典,時点,情報確認日,医療的ケア_人工呼吸器\n\
         test-a,テスト事業所,,other,131016,chiyoda-coordinators,2024-03,2026-11-01,maybe\n",
    )
    .expect("write");
    let Run {
        ok, stderr: err, ..
    } = run_without_flyers(root, &["import", "providers", file.to_str().expect("path")]);
    assert!(!ok);
    assert!(
        err.contains("row 2, 名称_英字: missing English translation of 名称 'テスト事業所'"),
        "{err}"
    );
    assert!(
        err.contains("row 2, 医療的ケア_人工呼吸器: 'maybe' is not yes, no or empty"),
        "{err}"
    );
    fs::write(&file, "ID,名前\nx,y\n").expect("write");
    let Run {
        ok, stderr: err, ..
    } = run_without_flyers(root, &["import", "providers", file.to_str().expect("path")]);
    assert!(
        !ok && err.contains("row 1, 名前: unknown column")
            && err.contains("row 1, 名称: required column is missing"),
        "{err}"
    );
}

/// Synthetic private data planted in a copy of the project. Every marker is
/// a value that must never appear in the built site.
const PRIVATE_PROVIDERS: &str = r#"
[[provider]]
id = "zz-private-record"
name = { ja = "非公開テスト事業所ＱＸＪ", en = "Private Test Provider QXJ7731" }
kind = "short_stay"
areas = ["131016"]
care = { ventilator = "yes" }
source = "chiyoda-coordinators"
as_of = "2024-03"
last_verified = "2026-11-01"
private = true

[[provider]]
id = "zz-public-with-private-fields"
name = { ja = "公開テスト事業所", en = "Public Test Provider" }
kind = "visiting_nursing"
areas = ["131016"]
address = { ja = "千代田区秘密町９９ＱＸＫ", en = "99 Himitsu-cho QXK7732" }
note = { ja = "内部メモＱＸＬ", en = "Internal memo QXL7733" }
source = "chiyoda-coordinators"
as_of = "2024-03"
last_verified = "2026-11-01"
private_fields = ["contact.phone", "address", "note", "contact.email"]

[provider.contact]
phone = "099-555-0199"
fax = "03-3333-4444"
email = "qxm7734-private@example.org"
"#;

const PRIVATE_HUBS: &str = r#"
[[hub]]
id = "zz-private-hub"
name = { ja = "非公開テスト拠点ＱＸＨ", en = "Private Test Hub QXH7735" }
areas = ["111007"]
source = "chiyoda-coordinators"
as_of = "2024-03"
last_verified = "2026-11-01"
private = true

[[hub]]
id = "zz-hub-private-phone"
name = { ja = "公開テスト拠点", en = "Public Test Hub" }
areas = ["111015"]
source = "chiyoda-coordinators"
as_of = "2024-03"
last_verified = "2026-11-01"
private_fields = ["contact.phone"]

[hub.contact]
phone = "048-555-0142"
"#;

const PRIVATE_COORDINATORS: &str = r#"
[[coordinator]]
id = "zz-no-consent"
name = { ja = "同意なし太郎ＱＸＣ", en = "Taro QXC7736 No-Consent" }
profession = { ja = "看護師", en = "Nurse" }
source = "chiyoda-coordinators"
as_of = "2024-03"

[[coordinator]]
id = "zz-consented"
name = { ja = "同意あり花子", en = "Hanako Consented" }
publish = true
affiliation = { ja = "非公開所属ＱＸＡ", en = "Private affiliation QXA7737" }
provider = "zz-private-record"
areas = ["131016"]
source = "chiyoda-coordinators"
as_of = "2024-03"
private_fields = ["affiliation"]
"#;

const MARKERS: &[&str] = &[
    "ＱＸＪ",
    "QXJ7731",
    "zz-private-record",
    "ＱＸＫ",
    "QXK7732",
    "ＱＸＬ",
    "QXL7733",
    "099-555-0199",
    "0995550199",
    "qxm7734-private",
    "ＱＸＨ",
    "QXH7735",
    "zz-private-hub",
    "048-555-0142",
    "0485550142",
    "ＱＸＣ",
    "QXC7736",
    "zz-no-consent",
    "ＱＸＡ",
    "QXA7737",
];

#[test]
fn planted_private_values_appear_nowhere_in_the_site() {
    let dir = project();
    let root = dir.path();
    fs::write(
        root.join("data/providers/zz-private-test.toml"),
        PRIVATE_PROVIDERS,
    )
    .expect("write");
    fs::write(root.join("data/hubs/zz-private-test.toml"), PRIVATE_HUBS).expect("write");
    let coordinators = root.join("data/coordinators/saitama.toml");
    let mut text = fs::read_to_string(&coordinators).expect("coordinators");
    text.push_str(PRIVATE_COORDINATORS);
    fs::write(&coordinators, text).expect("write");

    // Flyers are built too (when a Japanese font is installed).
    let site = build(root, &[]);
    let files = tree(&site);
    let mut texts = 0;
    for (path, bytes) in &files {
        let name = path.to_string_lossy();
        for m in MARKERS {
            assert!(
                !name.contains(m),
                "{name}: the file name carries the private value {m}"
            );
        }
        let text = if name.ends_with(".sjis.csv") {
            encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned()
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        };
        for m in MARKERS {
            assert!(!text.contains(m), "{name} contains the private value {m}");
        }
        texts += 1;
    }
    for must in [
        "finder.json",
        "sitemap.xml",
        "open-data/providers.csv",
        "open-data/providers.sjis.csv",
        "open-data/providers.json",
        "open-data/hubs.json",
        "open-data/coordinators.csv",
    ] {
        assert!(
            files.contains_key(Path::new(must)),
            "{must} was not built, so it was not checked"
        );
    }
    assert!(texts > 300, "only {texts} files checked");
    // The public parts of the same records are published.
    let providers =
        String::from_utf8_lossy(&files[Path::new("open-data/providers.csv")]).into_owned();
    assert!(
        providers.contains("Public Test Provider") && providers.contains("03-3333-4444"),
        "{providers}"
    );
    let hub_page =
        String::from_utf8_lossy(&files[Path::new("ja/hubs/zz-hub-private-phone/index.html")])
            .into_owned();
    assert!(hub_page.contains("公開テスト拠点"));
    // The structured data of the provider with private fields has the
    // public ones only (the markers above cover every file, JSON-LD too).
    let page = String::from_utf8_lossy(
        &files[Path::new("en/registry/zz-public-with-private-fields/index.html")],
    )
    .into_owned();
    let json = page
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("JSON-LD");
    let ld: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let org = ld["@graph"]
        .as_array()
        .expect("graph")
        .iter()
        .find(|n| n["@type"] == "MedicalOrganization")
        .expect("the provider");
    assert_eq!(org["faxNumber"], "03-3333-4444", "{org}");
    for private in ["telephone", "email", "address"] {
        assert!(org.get(private).is_none(), "{private} in {org}");
    }
    let coordinators =
        String::from_utf8_lossy(&files[Path::new("open-data/coordinators.csv")]).into_owned();
    assert!(coordinators.contains("同意あり花子"), "{coordinators}");
}

#[test]
fn check_lists_providers_not_verified_for_too_long() {
    let dir = project();
    let root = dir.path();
    let file = root.join("data/providers/chiyoda.toml");
    let text = fs::read_to_string(&file).expect("providers");
    let last = text.rfind("last_verified = ").expect("last_verified");
    let end = last + text[last..].find('\n').expect("newline");
    let edited = format!(
        "{}last_verified = \"2000-01-01\"{}",
        &text[..last],
        &text[end..]
    );
    fs::write(&file, edited).expect("write");
    let Run {
        ok,
        stdout,
        stderr: err,
        ..
    } = run_without_flyers(root, &["check"]);
    assert!(ok, "{err}");
    let stale = stdout.split("stale records").nth(1).expect("stale section");
    assert!(
        stale.contains("provider chiyoda-yorozu-soudan-light")
            && stale.contains("last verified 2000-01-01"),
        "{stdout}"
    );
    assert!(
        !stale.contains("provider chiyoda-kodomo-hattatsu-center"),
        "{stdout}"
    );
}

#[test]
fn private_markers_and_reserved_ids_are_checked() {
    let dir = project();
    let root = dir.path();
    fs::write(
        root.join("data/providers/zz.toml"),
        r#"
[[provider]]
id = "care"
name = { ja = "テスト", en = "Test" }
kind = "other"
areas = ["131016"]
care = { ventilator = "perhaps" }
source = "chiyoda-coordinators"
as_of = "2024-03"
last_verified = "2026-11-01"
"#,
    )
    .expect("write");
    let Run {
        ok, stderr: err, ..
    } = run_without_flyers(root, &["check"]);
    assert!(!ok && err.contains("unknown variant `perhaps`"), "{err}");
    fs::write(
        root.join("data/providers/zz.toml"),
        r#"
[[provider]]
id = "care"
name = { ja = "テスト", en = "Test" }
kind = "other"
areas = ["131016"]
source = "chiyoda-coordinators"
as_of = "2024-03"
last_verified = "2026-11-01"
private_fields = ["name"]
"#,
    )
    .expect("write");
    let Run {
        ok, stderr: err, ..
    } = run_without_flyers(root, &["check"]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("provider id `care` is reserved")
            && err.contains("`name` cannot be marked private here"),
        "{err}"
    );
    assert!(
        err.contains("data/providers/zz.toml:3:"),
        "errors point at the file and line:\n{err}"
    );
}
