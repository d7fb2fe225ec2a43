//! Incremental builds: an unchanged project is not rebuilt, and after a
//! change only the files that depend on it are rewritten — with exactly the
//! bytes a clean build writes.

use crate::common::{edit, minimal_fixture, repo, run, shipped_project, tree};
use std::fs;
use std::path::Path;
use tsunagu::pipeline::{Built, build};

/// What a build wrote (`tsunagu::pipeline::build`'s `Built::Written`);
/// panics if it failed or found the output up to date.
macro_rules! written {
    ($build:expr) => {
        match $build {
            Ok(Built::Written(w)) => w,
            Ok(Built::UpToDate) => panic!("expected a build, got 'up to date'"),
            Err(d) => panic!("build failed: {:?}", d.sorted()),
        }
    };
}

/// Builds `project` from scratch into a new directory and compares it, file
/// by file, with `incremental`.
fn assert_same_as_clean(project: &Path, incremental: &Path) {
    let clean = tempfile::tempdir().expect("temp dir");
    let clean_out = clean.path().join("site");
    written!(build(project, &clean_out, None));
    let (a, b) = (tree(incremental), tree(&clean_out));
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "file sets differ: only in the incremental build {only_a:?}, only in the clean build {only_b:?}"
    );
    let differ: Vec<_> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert!(
        differ.is_empty(),
        "files differ from a clean build: {differ:?}"
    );
}

#[test]
fn unchanged_project_is_not_rebuilt_and_one_record_rewrites_only_its_pages() {
    let project = shipped_project();
    let root = project.path();
    let out = root.join("site");
    let first = written!(build(root, &out, None));
    assert_eq!(
        first.changed, first.files,
        "a first build writes every file"
    );
    let before = tree(&out);

    assert_eq!(build(root, &out, None).ok(), Some(Built::UpToDate));
    assert_eq!(tree(&out), before, "an up-to-date build touched the output");

    // One provider record: its note.
    edit(
        &root.join("data/providers/chiyoda.toml"),
        "資料によると、医療的ケア児等コーディネーターを配置する予定です。",
        "資料によると、医療的ケア児等コーディネーターを配置する予定です（試験用の変更）。",
    );
    let second = written!(build(root, &out, None));
    assert!(
        second.changed > 0 && second.changed < 20,
        "one provider's note changed {} of {} files",
        second.changed,
        second.files
    );
    let after = tree(&out);
    let changed: Vec<_> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(
        changed
            .iter()
            .any(|p| p.ends_with("ja/registry/chiyoda-yorozu-soudan-light/index.html")),
        "the provider's own page was not rewritten: {changed:?}"
    );
    assert!(
        !changed.iter().any(|p| p.ends_with("ja/hubs/index.html")),
        "a page that does not show providers was rewritten: {changed:?}"
    );
    assert_same_as_clean(root, &out);

    // A Markdown page's text (rendered only when its memo changes): its
    // page is rewritten with the new text, the other Markdown pages are not.
    edit(
        &root.join("content/what-is-a-coordinator.en.md"),
        "This page explains only what public documents say.",
        "This page explains only what public documents say (edited for a test).",
    );
    let before = tree(&out);
    written!(build(root, &out, None));
    let after = tree(&out);
    let page = fs::read_to_string(out.join("en/what-is-a-coordinator/index.html")).expect("page");
    assert!(
        page.contains("(edited for a test)"),
        "the page kept its old text"
    );
    let changed: Vec<_> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(
        !changed
            .iter()
            .any(|p| p.ends_with("en/coordinator-role/index.html")),
        "an unchanged Markdown page was rewritten: {changed:?}"
    );
    assert_same_as_clean(root, &out);

    // An area's name, which provider pages show: they must follow.
    edit(
        &root.join("data/areas/tokyo.toml"),
        "en = \"Chiyoda City\"",
        "en = \"Chiyoda City (renamed for a test)\"",
    );
    written!(build(root, &out, None));
    let page = fs::read_to_string(out.join("en/registry/chiyoda-yorozu-soudan-light/index.html"))
        .expect("provider page");
    assert!(
        page.contains("Chiyoda City (renamed for a test)"),
        "the provider page kept the old area name"
    );
    assert_same_as_clean(root, &out);

    // What every page's layout shows: the site's title and the home page's
    // (in the navigation and breadcrumbs).
    edit(
        &root.join("tsunagu.toml"),
        "en = \"Tsunagu: Medical-Care Coordinator Guide\"",
        "en = \"Tsunagu (renamed for a test)\"",
    );
    edit(
        &root.join("content/_index.en.md"),
        "title = \"Find a medical-care coordinator\"",
        "title = \"Home (renamed for a test)\"",
    );
    written!(build(root, &out, None));
    let page = fs::read_to_string(out.join("en/registry/chiyoda-yorozu-soudan-light/index.html"))
        .expect("provider page");
    assert!(
        page.contains("Tsunagu (renamed for a test)") && page.contains("Home (renamed for a test)"),
        "a page kept the old site or home title"
    );
    assert_same_as_clean(root, &out);
}

/// A build records which files were recent (compared by their bytes) with
/// its fingerprint; once they are no longer recent, an unchanged project
/// must still be "up to date", not rebuilt.
#[test]
fn an_unchanged_project_is_up_to_date_however_much_later_it_is_built() {
    let project = minimal_fixture();
    let root = project.path();
    let out = root.join("site");
    written!(build(root, &out, None));
    // Every input was copied just now: all were recent at the first build.
    std::thread::sleep(std::time::Duration::from_secs(4));
    assert_eq!(build(root, &out, None).ok(), Some(Built::UpToDate));
}

#[test]
fn removed_record_removes_its_pages_like_a_clean_build() {
    let project = tempfile::tempdir().expect("temp dir");
    let root = project.path().join("national");
    // Over the registry's list limit, so lists are split by prefecture.
    let providers = (tsunagu::features::registry::LIST_LIMIT + 100).to_string();
    let r = run(
        repo(),
        &[
            "bench-data",
            root.to_str().expect("utf-8 path"),
            "--providers",
            &providers,
        ],
    );
    assert!(r.ok, "generate the synthetic project:\n{}", r.stderr);
    let out = project.path().join("site");
    written!(build(&root, &out, None));
    assert!(
        out.join("ja/registry/prefectures").is_dir(),
        "the registry was not split"
    );

    // Remove one provider (the first record of a file) and change another's phone.
    let file = root.join("data/providers/01.toml");
    let text = fs::read_to_string(&file).expect("read");
    let first_start = text.find("[[provider]]").expect("a record");
    let second = text[first_start + 1..]
        .find("[[provider]]")
        .map(|i| i + first_start + 1)
        .expect("two records");
    let removed_id = text[first_start..]
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("an id")
        .to_string();
    fs::write(
        &file,
        format!("{}{}", &text[..first_start], &text[second..]),
    )
    .expect("write");
    let phone_file = root.join("data/providers/13.toml");
    let phone_text = fs::read_to_string(&phone_file).expect("read");
    let phone = phone_text
        .lines()
        .find_map(|l| l.strip_prefix("phone = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("a phone")
        .to_string();
    edit(&phone_file, &phone, "03-1234-5678");
    // And a care need (which of a care page's lists a provider is in).
    let care_line = fs::read_to_string(&phone_file)
        .expect("read")
        .lines()
        .find(|l| l.starts_with("care = {") && l.contains("\"yes\""))
        .expect("a provider with a care need it meets")
        .to_string();
    edit(
        &phone_file,
        &care_line,
        &care_line.replacen("\"yes\"", "\"no\"", 1),
    );

    let w = written!(build(&root, &out, None));
    assert!(
        w.removed >= 2,
        "the removed provider's two pages are gone: {w:?}"
    );
    assert!(!out.join(format!("ja/registry/{removed_id}")).exists());
    assert!(w.changed < w.files / 10, "too much rewritten: {w:?}");
    assert_same_as_clean(&root, &out);

    // A name alone (the care change above also changed the registry's
    // counts, so every list was rendered again): split lists show it.
    edit(
        &root.join("data/providers/27.toml"),
        "name = { ja = \"合成事業所",
        "name = { ja = \"改名した合成事業所",
    );
    written!(build(&root, &out, None));
    assert_same_as_clean(&root, &out);
}

#[test]
fn records_from_the_parse_cache_keep_their_positions_in_errors() {
    let project = shipped_project();
    let root = project.path();
    let out = root.join("site");
    written!(build(root, &out, None));
    let cache = root.join(".site.tsunagu-cache");
    let entry = |name: &str| fs::read(cache.join(name)).unwrap_or_default();
    let providers = entry("data%providers%chiyoda.toml");
    assert!(
        !providers.is_empty(),
        "the build cached no parsed data file"
    );

    // A change to one file is re-parsed; the others come from the cache.
    edit(
        &root.join("data/areas/tokyo.toml"),
        "en = \"Chiyoda City\"",
        "en = \"Chiyoda City (renamed for a test)\"",
    );
    let areas = entry("data%areas%tokyo.toml");
    written!(build(root, &out, None));
    assert_ne!(
        entry("data%areas%tokyo.toml"),
        areas,
        "the changed file's entry was not renewed"
    );
    assert_eq!(entry("data%providers%chiyoda.toml"), providers);

    // Renaming a source breaks records in files that did not change (read
    // from the cache): the errors must be exactly those of a fresh parse,
    // lines and columns included, and the output left as it was.
    let before = tree(&out);
    edit(
        &root.join("data/sources.toml"),
        "id = \"chiyoda-coordinators\"",
        "id = \"chiyoda-coordinators-renamed\"",
    );
    let cached = match build(root, &out, None) {
        Err(d) => d.sorted(),
        Ok(_) => panic!("a build with a dangling source reference succeeded"),
    };
    let fresh = match tsunagu::pipeline::load_site(root, None) {
        Err(d) => d.sorted(),
        Ok(_) => panic!("the project with a dangling source reference loaded"),
    };
    assert!(
        cached
            .iter()
            .any(|d| d.file.ends_with("data/providers/chiyoda.toml") && d.line > 0),
        "no positioned error in the cached provider file: {cached:?}"
    );
    assert_eq!(cached, fresh);
    assert_eq!(tree(&out), before, "a failed build changed the output");
}
