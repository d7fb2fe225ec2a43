//! Helpers shared by the integration tests: running the binary, temp copies
//! of projects, the shipped project's model and build (each made once per
//! run of the suite), built pages, and snapshots of output trees.

use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;
use tempfile::TempDir;
use tsunagu::lang::Lang;
use tsunagu::model::Site;

/// The `tsunagu` binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_tsunagu");

/// The repository root (the shipped project).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------- the binary

/// How a run of the binary ended and what it printed.
#[derive(Debug)]
pub struct Run {
    /// Whether it exited with success.
    pub ok: bool,
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Standard output followed by standard error.
    pub fn log(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// `tsunagu --root <root>`, for arguments and environment to be added.
pub fn tsunagu(root: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--root").arg(root);
    cmd
}

/// Runs `cmd` to its end.
pub fn output(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run tsunagu");
    Run {
        ok: out.status.success(),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `tsunagu --root <root> <args>`.
pub fn run(root: &Path, args: &[&str]) -> Run {
    output(tsunagu(root).args(args))
}

/// Runs `tsunagu --root <root> <args>` without the system's fonts, so no
/// Japanese font is found and no PDF flyer is typeset: fast, for tests that
/// do not concern flyers.
pub fn run_without_flyers(root: &Path, args: &[&str]) -> Run {
    output(
        tsunagu(root)
            .args(args)
            .env("TSUNAGU_SYSTEM_FONTS", "0")
            .env_remove("TSUNAGU_FONT_DIRS"),
    )
}

/// `tsunagu build <args>`, which must succeed; returns the output directory
/// (`--out` if given, relative to `root`, else `root/site`).
pub fn build(root: &Path, args: &[&str]) -> PathBuf {
    build_with(run, root, args)
}

/// [`build`] without PDF flyers (see [`run_without_flyers`]).
pub fn build_without_flyers(root: &Path, args: &[&str]) -> PathBuf {
    build_with(run_without_flyers, root, args)
}

fn build_with(run: fn(&Path, &[&str]) -> Run, root: &Path, args: &[&str]) -> PathBuf {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let r = run(root, &all);
    assert!(r.ok, "build failed:\n{}", r.stderr);
    let out = args
        .iter()
        .position(|a| *a == "--out")
        .and_then(|i| args.get(i + 1))
        .map_or("site", |o| o);
    root.join(out)
}

// ---------------------------------------------------------------- projects

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let dest = to.join(e.path().strip_prefix(from).expect("prefix"));
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// A temp copy of the shipped project (config, content, data, templates).
pub fn shipped_project() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for d in ["content", "data", "templates"] {
        copy_dir(&repo().join(d), &dir.path().join(d));
    }
    fs::copy(repo().join("tsunagu.toml"), dir.path().join("tsunagu.toml")).expect("config");
    dir
}

/// A temp copy of the synthetic minimal fixture with the repository's templates.
pub fn minimal_fixture() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo().join("tests/fixtures/minimal"), dir.path());
    copy_dir(&repo().join("templates"), &dir.path().join("templates"));
    dir
}

/// Replaces the first `from` in `file` with `to`; `from` must be there.
pub fn edit(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(text.contains(from), "{} has no {from:?}", file.display());
    fs::write(file, text.replacen(from, to, 1)).expect("write");
}

// ---------------------------------------------------------------- the shipped project

/// The validated model of the shipped project, compiled once.
pub fn shipped_site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| match tsunagu::pipeline::load_site(repo(), None) {
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

/// The shipped project built once with the binary (flyers included when a
/// Japanese font is installed) into a temporary directory: the output
/// directory and what the build printed.
pub fn shipped_build() -> (&'static Path, &'static Run) {
    static OUT: OnceLock<(TempDir, PathBuf, Run)> = OnceLock::new();
    let (_, dir, run) = OUT.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("site");
        let started = Instant::now();
        let r = run(
            repo(),
            &["build", "--out", dir.to_str().expect("utf-8 path")],
        );
        assert!(r.ok, "the shipped project does not build:\n{}", r.stderr);
        eprintln!(
            "shipped build: {:.2} s ({})",
            started.elapsed().as_secs_f64(),
            r.stdout.trim()
        );
        (tmp, dir, r)
    });
    (dir, run)
}

/// A UI string of the shipped templates (templates/i18n/<lang>.toml).
pub fn ui(lang: Lang, key: &str) -> &'static str {
    shipped_site().strings[&lang]
        .get(key)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("no UI string {key} for {lang}"))
}

// ---------------------------------------------------------------- built pages

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

/// Parses `<site>/<rel>/index.html` (`rel` like "ja/areas/141011").
pub fn page(site: &Path, rel: &str) -> Html {
    let file = site.join(rel).join("index.html");
    Html::parse_document(
        &fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    )
}

/// Text of an element with whitespace collapsed, as read with the
/// furigana left out: text inside an `<rt>` below `el` is not counted.
pub fn text(el: ElementRef) -> String {
    el.descendants()
        .filter(|n| {
            !n.ancestors()
                .take_while(|a| a.id() != el.id())
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "rt"))
        })
        .filter_map(|n| n.value().as_text().map(|t| &**t))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of all elements matching `css`.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(text).collect()
}

/// The `attr` of every element matching `css` that has it.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.value().attr(attr))
        .map(String::from)
        .collect()
}

/// Every file below `dir` with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("prefix").to_path_buf(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

// ---------------------------------------------------------------- N03 boundary data

/// The committed N03 excerpt: ten real features of Saitama, Tokyo and
/// Kanagawa (see `tests/fixtures/n03/README.md`), for the boundary tests that
/// run on every clone.
pub fn n03_excerpt() -> PathBuf {
    let file = repo().join("tests/fixtures/n03/N03-21_210101_excerpt.json");
    assert!(file.is_file(), "{} is missing", file.display());
    file
}

/// The excerpt's features whose `N03_007` starts with `prefix` ("11" for
/// Saitama), as an N03 FeatureCollection.
pub fn n03_excerpt_of(prefix: &str) -> serde_json::Value {
    let file = n03_excerpt();
    let mut geo: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&file).expect("read")).expect("json");
    geo["features"]
        .as_array_mut()
        .expect("features")
        .retain(|f| {
            f["properties"]["N03_007"]
                .as_str()
                .is_some_and(|c| c.starts_with(prefix))
        });
    geo
}

/// Full N03 files, too large to commit, from `$TSUNAGU_TEST_GEODATA`
/// (default `../shared/geodata`). When one is absent this prints
/// `skipped: <test>: <why>` and returns `None`, and the test returns: the line
/// goes straight to stderr, past the test harness's capture, so it shows in
/// every run, not only with `--nocapture` or on failure.
pub fn shared_geodata(test: &str, names: &[&str]) -> Option<Vec<PathBuf>> {
    let dir = std::env::var_os("TSUNAGU_TEST_GEODATA")
        .map_or_else(|| repo().join("../shared/geodata"), PathBuf::from);
    let files: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    let missing: Vec<&str> = names
        .iter()
        .zip(&files)
        .filter(|(_, f)| !f.is_file())
        .map(|(n, _)| *n)
        .collect();
    if missing.is_empty() {
        return Some(files);
    }
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test}: needs the full N03 file(s) {} (not committed), not found in {}; set TSUNAGU_TEST_GEODATA to a directory holding them",
        missing.join(", "),
        dir.display()
    );
    None
}
