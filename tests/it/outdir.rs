//! Where a build may write, and what a failed one leaves (issue 18,
//! "nothing lost"): an `--out` that is the project, inside it, a file or
//! a directory tsunagu did not make is refused before anything is written;
//! a build that fails while writing leaves the previous output byte for
//! byte, and no staging directory; a build that changes most files swaps
//! the whole tree in, with the bytes of a clean build.

use crate::common::{copy_dir, repo, tree};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// How a run of `tsunagu` ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `tsunagu --root <root> build <args>`, without flyers (no system fonts).
fn build(root: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tsunagu"))
        .arg("--root")
        .arg(root)
        .arg("build")
        .args(args)
        .env("TSUNAGU_SYSTEM_FONTS", "0")
        .env_remove("TSUNAGU_FONT_DIRS")
        .output()
        .expect("run tsunagu");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

/// The minimal fixture (with the repository's templates) at `<tmp>/p`,
/// built once into `<tmp>/p/site`; returns the temp dir and the project.
fn built_project() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("p");
    copy_dir(&repo().join("tests/fixtures/minimal"), &root);
    copy_dir(&repo().join("templates"), &root.join("templates"));
    let r = build(&root, &[]);
    assert_eq!(r.code, 0, "first build failed:\n{}", r.stderr);
    (dir, root)
}

/// Every entry below `dir`: a file's bytes, or `None` for a directory.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix").to_path_buf();
            let bytes = (!e.file_type().is_dir()).then(|| fs::read(e.path()).expect("read"));
            (rel, bytes)
        })
        .collect()
}

/// The names in `dir`.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Staging directories (`<name>.tmp-<pid>`) and set-aside trees
/// (`<name>.old-<pid>`) anywhere below `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.contains(".tmp-") || name.contains(".old-")
        })
        .map(|e| e.path().to_path_buf())
        .collect()
}

/// Builds into `out` (as given on the command line, relative to the
/// project) and checks it is refused with `why`, exit code 1, and that
/// nothing at all changed: not the project, not the previous output in
/// `site/`, not what is beside them.
fn assert_refused(out: &str, extra: &[&str], why: &str) {
    let (dir, root) = built_project();
    if out == "notes.txt" {
        fs::write(root.join(out), "my notes").expect("write");
    }
    let everything = snapshot(dir.path());
    let site = tree(&root.join("site"));
    let beside = listing(&root);
    let mut args = vec!["--out", out];
    args.extend_from_slice(extra);
    let r = build(&root, &args);
    assert_eq!(
        r.code, 1,
        "--out {out} was not refused:\n{}{}",
        r.stdout, r.stderr
    );
    for expected in [
        &format!("error: refusing to build into {}", root.join(out).display()),
        why,
        "= hint: ",
        "build refused; nothing was written: 1 error",
    ] {
        assert!(
            r.stderr.contains(expected),
            "--out {out}: no {expected:?} in:\n{}",
            r.stderr
        );
    }
    assert!(!r.stderr.contains("left as it was"), "{}", r.stderr);
    assert_eq!(
        tree(&root.join("site")),
        site,
        "--out {out} changed the previous output"
    );
    assert_eq!(
        listing(&root),
        beside,
        "--out {out} wrote beside the output"
    );
    assert_eq!(leftovers(dir.path()), Vec::<PathBuf>::new(), "--out {out}");
    assert!(
        snapshot(dir.path()) == everything,
        "--out {out} changed something"
    );
}

#[test]
fn the_project_root_is_refused() {
    assert_refused(".", &[], "it is the project root");
    assert_refused(".", &["--force"], "it is the project root");
}

#[test]
fn the_data_directory_is_refused() {
    assert_refused("data", &["--force"], "it is the project's data/");
}

#[test]
fn a_directory_inside_content_is_refused() {
    assert_refused("content/x", &[], "it is inside the project's content/");
}

#[test]
fn the_config_file_is_refused() {
    assert_refused(
        "tsunagu.toml",
        &["--force"],
        "it is the project's tsunagu.toml",
    );
}

#[test]
fn a_directory_holding_the_project_is_refused() {
    assert_refused("..", &["--force"], "it holds the project root");
}

#[test]
fn an_existing_regular_file_is_refused() {
    assert_refused(
        "notes.txt",
        &["--force"],
        "it exists and is not a directory",
    );
}

#[test]
fn a_foreign_directory_is_refused_unless_forced() {
    let (dir, root) = built_project();
    let foreign = root.join("mine");
    fs::create_dir(&foreign).expect("mkdir");
    fs::write(foreign.join("notes.txt"), "my notes").expect("write");
    let everything = snapshot(dir.path());
    let r = build(&root, &["--out", "mine"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for expected in [
        "refusing to build into",
        "it is not empty and was not made by tsunagu (there is no",
        ".mine.tsunagu-manifest beside it)",
        "add --force",
        "build refused; nothing was written",
    ] {
        assert!(
            r.stderr.contains(expected),
            "no {expected:?} in:\n{}",
            r.stderr
        );
    }
    assert!(
        snapshot(dir.path()) == everything,
        "a refused build changed something"
    );

    // With --force its contents are replaced by the site, exactly what a
    // build into a new directory writes.
    let beside = listing(&root);
    let r = build(&root, &["--out", "mine", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("built "), "{}", r.stdout);
    assert_eq!(tree(&foreign), tree(&root.join("site")));
    assert!(!foreign.join("notes.txt").exists());
    let mut expected = beside;
    expected.extend([
        ".mine.tsunagu-cache".into(),
        ".mine.tsunagu-manifest".into(),
    ]);
    expected.sort();
    assert_eq!(listing(&root), expected);
    assert_eq!(leftovers(dir.path()), Vec::<PathBuf>::new());
    // Made by tsunagu now: no --force needed.
    assert_eq!(build(&root, &["--out", "mine"]).code, 0);
}

/// A second hub: two new pages (`<lang>/hubs/test-hub-2/`) and a few
/// changed ones, so the build moves its files in one by one.
fn add_hub(root: &Path) {
    let hubs = root.join("data/hubs/test.toml");
    let mut text = fs::read_to_string(&hubs).expect("read");
    text.push_str(
        r#"
[[hub]]
id = "test-hub-2"
name = { ja = "試験拠点二", en = "Test hub 2" }
areas = ["141003"]
started = "2020-04-01"
source = "test-source"
as_of = "2020-04-01"
last_verified = "2026-11-01"
"#,
    );
    fs::write(&hubs, text).expect("write");
}

#[test]
fn a_build_failing_while_writing_leaves_the_output_as_it_was() {
    let (dir, root) = built_project();
    add_hub(&root);
    // A file stands where the build needs the directory `ja/hubs/test-hub-2/`;
    // `en/hubs/test-hub-2/index.html` (and others) are moved in before it.
    let site = root.join("site");
    fs::write(site.join("ja/hubs/test-hub-2"), "mine").expect("write");
    let before = snapshot(&site);
    let manifest = fs::read(root.join(".site.tsunagu-manifest")).expect("manifest");
    let beside = listing(&root);
    let r = build(&root, &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    for expected in [
        "error: cannot write the site: ",
        "site/ja/hubs/test-hub-2: File exists",
        "= hint: ",
        "build failed; the output directory was left as it was: 1 error",
    ] {
        assert!(
            r.stderr.contains(expected),
            "no {expected:?} in:\n{}",
            r.stderr
        );
    }
    assert!(snapshot(&site) == before, "the failed build changed site/");
    assert_eq!(
        fs::read(root.join(".site.tsunagu-manifest")).expect("manifest"),
        manifest,
        "the failed build changed the manifest"
    );
    assert_eq!(
        listing(&root),
        beside,
        "the failed build left something beside site/"
    );
    assert_eq!(leftovers(dir.path()), Vec::<PathBuf>::new());

    // Out of the way, the same build succeeds, file by file, with the bytes
    // of a clean build.
    fs::remove_file(site.join("ja/hubs/test-hub-2")).expect("remove");
    let r = build(&root, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (files, written) = counts(&r.stdout);
    assert!(written * 2 < files, "{}", r.stdout);
    assert_same_as_clean(&root, &site);
    assert_eq!(leftovers(dir.path()), Vec::<PathBuf>::new());
}

/// The files made and written, from `built N pages (F files, … ; W written, …`.
fn counts(stdout: &str) -> (usize, usize) {
    let number_before = |word: &str| -> Option<usize> {
        let words: Vec<&str> = stdout.split([' ', '(']).collect();
        let at = words.iter().position(|w| w.starts_with(word))?;
        words.get(at.checked_sub(1)?)?.parse().ok()
    };
    match (number_before("files,"), number_before("written,")) {
        (Some(files), Some(written)) => (files, written),
        _ => panic!("no counts in {stdout:?}"),
    }
}

/// Builds `root` into a new directory and compares it with `out`.
fn assert_same_as_clean(root: &Path, out: &Path) {
    let clean = tempfile::tempdir().expect("temp dir");
    let r = build(
        root,
        &["--out", &clean.path().join("site").to_string_lossy()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        tree(out) == tree(&clean.path().join("site")),
        "not the bytes of a clean build"
    );
}

#[test]
fn a_build_changing_most_files_swaps_the_whole_tree_in() {
    let (dir, root) = built_project();
    let site = root.join("site");
    // A file tsunagu did not write: a whole-tree build writes exactly the
    // site.
    fs::write(site.join("mine.txt"), "mine").expect("write");
    // Every page shows the site's title.
    let config = root.join("tsunagu.toml");
    let text = fs::read_to_string(&config).expect("read");
    let text = text.replace("試験サイト", "試験サイト二");
    fs::write(&config, text.replace("Test site", "Test site 2")).expect("write");
    let beside = listing(&root);
    let r = build(&root, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !site.join("mine.txt").exists(),
        "the whole tree was not swapped in"
    );
    assert_same_as_clean(&root, &site);
    assert_eq!(listing(&root), beside);
    assert_eq!(leftovers(dir.path()), Vec::<PathBuf>::new());
}
