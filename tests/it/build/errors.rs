//! Bad input, as a user makes it: every error names the file, line and
//! column and carries a hint, and a failed build leaves the previous site alone.

use crate::common::{build, edit, minimal_fixture as project, run, tree};
use std::fs;
use std::path::Path;

/// Breaks the project with `edit`, builds, and checks the error names
/// `expect` (file:line:col) and that the previous site is untouched.
fn assert_bad_input(edit: impl FnOnce(&Path), expect: &[&str]) -> String {
    let p = project();
    let site = build(p.path(), &[]);
    let before = tree(&site);
    edit(p.path());
    let r = run(p.path(), &["build"]);
    assert!(!r.ok, "build should fail");
    let err = r.stderr;
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert!(err.contains("hint:"), "every error carries a hint:\n{err}");
    assert!(tree(&site) == before, "a failed build changed site/");
    let r = run(p.path(), &["check"]);
    assert!(!r.ok, "check should fail too");
    let check_err = r.stderr;
    assert!(
        check_err.contains(expect[0]),
        "check reports the same error:\n{check_err}"
    );
    err
}

#[test]
fn malformed_toml_is_reported_at_its_line_and_column() {
    let err = assert_bad_input(
        |r| {
            edit(
                &r.join("data/hubs/test.toml"),
                "started = \"2020-04-01\"",
                "started = 2020-04-01\"",
            )
        },
        &["data/hubs/test.toml:6:"],
    );
    assert!(err.contains("^"), "{err}");
}

#[test]
fn malformed_front_matter_is_reported_in_the_page() {
    assert_bad_input(
        |r| edit(&r.join("content/about.en.md"), "weight = 1", "weight = = 1"),
        &["content/about.en.md:6:10"],
    );
    assert_bad_input(
        |r| edit(&r.join("content/about.en.md"), "+++\n## Who", "## Who"),
        &["content/about.en.md", "front matter is not closed"],
    );
    // A front-matter value's own position, not shifted by the `+++` line.
    assert_bad_input(
        |r| {
            edit(
                &r.join("content/about.en.md"),
                "[\"test-source\"]",
                "[\"nope\"]",
            )
        },
        &["content/about.en.md:4:12", "source `nope` does not exist"],
    );
}

#[test]
fn unknown_field_names_the_key() {
    assert_bad_input(
        |r| edit(&r.join("content/about.ja.md"), "weight = 1", "wieght = 1"),
        &["content/about.ja.md:6:1", "unknown field `wieght`"],
    );
}

#[test]
fn wrong_type_column_counts_characters_not_bytes() {
    // `name = { ja = "港北区", en = 5 }`: the 5 is at character 27 (byte 33).
    assert_bad_input(
        |r| {
            edit(
                &r.join("data/areas/test.toml"),
                "name = { ja = \"港北区\", en = \"Kohoku Ward\" }",
                "name = { ja = \"港北区\", en = 5 }",
            )
        },
        &["data/areas/test.toml:22:27", "invalid type"],
    );
}

#[test]
fn missing_required_field_is_an_error() {
    assert_bad_input(
        |r| {
            edit(
                &r.join("data/hubs/test.toml"),
                "as_of = \"2020-04-01\"\n",
                "",
            )
        },
        &["data/hubs/test.toml:2:1", "missing field `as_of`"],
    );
}

#[test]
fn reference_to_a_missing_id_is_an_error() {
    assert_bad_input(
        |r| {
            edit(
                &r.join("data/hubs/test.toml"),
                "[\"141097\"]",
                "[\"141101\"]",
            )
        },
        &["data/hubs/test.toml:5:10", "area `141101` does not exist"],
    );
    assert_bad_input(
        |r| {
            edit(
                &r.join("data/hubs/test.toml"),
                "source = \"test-source\"",
                "source = \"nope\"",
            )
        },
        &["data/hubs/test.toml:7:10", "source `nope` does not exist"],
    );
}

#[test]
fn duplicate_id_points_at_both_places() {
    let err = assert_bad_input(
        |r| {
            let path = r.join("data/hubs/test.toml");
            let text = fs::read_to_string(&path).expect("read");
            let copy = text
                .replace("areas = [\"141097\"]", "areas = []")
                .replace("[hub.contact]\nphone = \"045-000-0000\"\n", "");
            fs::write(&path, format!("{text}\n{copy}")).expect("write");
        },
        &[
            "duplicate hub id `test-hub`",
            "already used at data/hubs/test.toml:3",
        ],
    );
    assert!(
        err.contains("data/hubs/test.toml:15:6"),
        "second occurrence located:\n{err}"
    );
}

#[test]
fn unknown_template_variable_is_reported_in_the_template() {
    let err = assert_bad_input(
        |r| {
            edit(
                &r.join("templates/hub.html"),
                "{{ hub.name }}</h1>",
                "{{ hub.nmae }}</h1>",
            )
        },
        &["templates/hub.html:3:"],
    );
    assert!(err.contains("nmae"), "{err}");
}

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    assert_bad_input(
        |r| {
            let path = r.join("content/about.en.md");
            let mut bytes = fs::read(&path).expect("read");
            let at = bytes.windows(3).position(|w| w == b"See").expect("text");
            bytes.splice(at..at, [0xff, 0xfe]);
            fs::write(&path, bytes).expect("write");
        },
        &["content/about.en.md:10:1", "invalid UTF-8"],
    );
}

#[test]
fn missing_translations_are_each_listed() {
    assert_bad_input(
        |r| fs::remove_file(r.join("content/about.en.md")).expect("rm"),
        &[
            "content/about.ja.md",
            "missing English translation of this page",
        ],
    );
    assert_bad_input(
        |r| {
            edit(
                &r.join("data/areas/test.toml"),
                "name = { ja = \"港北区\", en = \"Kohoku Ward\" }",
                "name = { ja = \"港北区\" }",
            )
        },
        &[
            "data/areas/test.toml:22:8",
            "missing English translation of `name`",
        ],
    );
    assert_bad_input(
        |r| {
            edit(
                &r.join("templates/i18n/ja.toml"),
                "skip_link = \"本文へ移動\"\n",
                "skip_link = \"本文へ移動\"\nextra_note = \"追加\"\n",
            )
        },
        &[
            "templates/i18n/ja.toml:3:1",
            "UI string `extra_note` has no en translation",
        ],
    );
}

#[test]
fn broken_internal_link_is_reported_in_the_markdown() {
    assert_bad_input(
        |r| edit(&r.join("content/about.en.md"), "(@/areas)", "(@/arias)"),
        &["content/about.en.md:10:5", "there is no page `arias`"],
    );
}

#[test]
fn a_broken_link_and_a_broken_flyer_template_are_reported_together() {
    // Both are found while pages and files are made, after validation:
    // the flyers are made even when a page failed.
    assert_bad_input(
        |r| {
            edit(&r.join("content/about.en.md"), "(@/areas)", "(@/arias)");
            edit(
                &r.join("templates/flyer.typ"),
                "// One A4 flyer",
                "{{ oops\n// One A4 flyer",
            );
        },
        &[
            "content/about.en.md:10:5",
            "there is no page `arias`",
            "templates/flyer.typ",
            "template syntax error",
        ],
    );
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let err = assert_bad_input(
        |r| {
            edit(&r.join("content/about.ja.md"), "weight = 1", "wieght = 1");
            edit(
                &r.join("data/hubs/test.toml"),
                "started = \"2020-04-01\"",
                "started = 2020-04-01\"",
            );
        },
        &["content/about.ja.md:6:1", "data/hubs/test.toml:6:"],
    );
    assert!(err.contains("2 errors"), "{err}");
}

#[test]
fn a_missing_home_page_is_an_error() {
    assert_bad_input(
        |r| {
            fs::remove_file(r.join("content/_index.ja.md")).expect("rm");
            fs::remove_file(r.join("content/_index.en.md")).expect("rm");
        },
        &[
            "content/_index.en.md",
            "content/_index.ja.md",
            "the home page is missing",
        ],
    );
}
