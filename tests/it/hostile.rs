//! Hostile and careless input (issue 18): each case edits a project that
//! has been built once, builds again, and checks what a user would notice —
//! the exit code, the file:line:col of the message, that the previous
//! output is byte-identical, that no staging directory is left, and that
//! nothing was written anywhere else (a snapshot of everything around the
//! project, the parse cache excepted: it lives beside the output by design).

use crate::common::{copy_dir, edit, repo, run, run_without_flyers, tree};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A minimal project three directories deep, so an id like `../../../../x`
/// would land inside the temp dir where the snapshot sees it.
struct Case {
    tmp: TempDir,
}

impl Case {
    fn minimal() -> Case {
        let case = Case {
            tmp: tempfile::tempdir().expect("temp dir"),
        };
        copy_dir(&repo().join("tests/fixtures/minimal"), &case.root());
        copy_dir(&repo().join("templates"), &case.root().join("templates"));
        case.built()
    }

    fn shipped() -> Case {
        let case = Case {
            tmp: tempfile::tempdir().expect("temp dir"),
        };
        for d in ["content", "data", "templates"] {
            copy_dir(&repo().join(d), &case.root().join(d));
        }
        fs::copy(
            repo().join("tsunagu.toml"),
            case.root().join("tsunagu.toml"),
        )
        .expect("config");
        case.built()
    }

    fn built(self) -> Case {
        let r = run_without_flyers(&self.root(), &["build"]);
        assert!(
            r.ok,
            "the project builds before the hostile edit:\n{}",
            r.stderr
        );
        self
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join("a/b/c/project")
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Everything in the temp dir but the output and the parse cache.
    fn around(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        tree(self.tmp.path())
            .into_iter()
            .filter(|(p, _)| {
                let s = p.to_string_lossy();
                !s.contains("project/site/") && !s.contains(".site.tsunagu-cache")
            })
            .collect()
    }

    /// Applies `change`, runs `args`, and checks that it failed with every
    /// `expected` text in its message and left everything as it was.
    fn fails(&self, args: &[&str], change: impl FnOnce(&Case), expected: &[&str]) -> String {
        let site = tree(&self.root().join("site"));
        change(self);
        let around = self.around();
        let r = run_without_flyers(&self.root(), args);
        assert_eq!(r.code, 1, "exit code 1 (not a crash):\n{}", r.log());
        for e in expected {
            assert!(r.stderr.contains(e), "message has {e:?}:\n{}", r.stderr);
        }
        assert!(
            tree(&self.root().join("site")) == site,
            "the previous output is byte-identical"
        );
        let staging: Vec<_> = fs::read_dir(self.root())
            .expect("project dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-") || n.contains("tmp-"))
            .collect();
        assert!(staging.is_empty(), "no staging directory left: {staging:?}");
        assert!(
            self.around() == around,
            "nothing written outside the output"
        );
        r.stderr
    }
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

/// `s` as a TOML basic string, control characters escaped as TOML has them.
fn toml_str(s: &str) -> String {
    let body: String = s
        .chars()
        .map(|c| match c {
            '"' | '\\' => format!("\\{c}"),
            c if c.is_control() => format!("\\u{:04X}", c as u32),
            c => c.to_string(),
        })
        .collect();
    format!("\"{body}\"")
}

const HUBS: &str = "data/hubs/test.toml";
const PAGE: &str = "content/about.ja.md";

#[test]
fn a_hub_id_that_is_a_path_is_refused_at_its_line() {
    let case = Case::minimal();
    for id in ["../../../../esc", "..", "a/b", "", "with space", "a\u{0}b"] {
        let case_id = id.to_string();
        case.fails(
            &["build"],
            |c| {
                let text = fs::read_to_string(repo().join("tests/fixtures/minimal").join(HUBS))
                    .expect("hubs");
                write(
                    &c.file(HUBS),
                    &text.replace("\"test-hub\"", &toml_str(&case_id)),
                );
            },
            &["data/hubs/test.toml:3:6", "hub id"],
        );
    }
}

#[test]
fn raw_html_and_code_running_links_in_markdown_are_refused() {
    let case = Case::minimal();
    let lines = fs::read_to_string(case.file(PAGE))
        .expect("page")
        .lines()
        .count();
    let stderr = case.fails(
        &["build"],
        |c| {
            let text = fs::read_to_string(c.file(PAGE)).expect("page");
            write(
                &c.file(PAGE),
                &format!("{text}\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](data:text/html,x)\n"),
            );
        },
        &["raw HTML is not published", "`javascript:` scheme", "`data:` scheme"],
    );
    let at = format!("content/about.ja.md:{}:1", lines + 2);
    assert!(stderr.contains(&at), "{at}: {stderr}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (what, deep) in [
        ("quotes", format!("{}x\n", "> ".repeat(1000))),
        // `+` (not `-` or `*`, whose runs are thematic breaks).
        ("lists", format!("{}x\n", "+ ".repeat(1000))),
        (
            "emphasis",
            format!("{}x{}\n", "*".repeat(5000), "*".repeat(5000)),
        ),
    ] {
        let case = Case::minimal();
        for args in [&["build"][..], &["check"][..]] {
            let deep = deep.clone();
            let stderr = case.fails(
                args,
                move |c| {
                    let text = fs::read_to_string(c.file(PAGE)).expect("page");
                    write(&c.file(PAGE), &format!("{text}\n{deep}"));
                },
                &["nested more than", "content/about.ja.md:"],
            );
            assert!(!stderr.contains("overflow"), "{what}: {stderr}");
        }
    }
}

#[test]
fn a_bilingual_field_must_be_a_table() {
    Case::minimal().fails(
        &["build"],
        |c| {
            edit(
                &c.file(HUBS),
                "name = { ja = \"試験拠点\", en = \"Test hub\" }",
                "name = [\"試験拠点\", \"Test hub\"]",
            )
        },
        &["data/hubs/test.toml:4:8", "expected a table { ja"],
    );
}

#[test]
fn dates_in_the_future_phone_numbers_and_mail_addresses_are_checked() {
    Case::minimal().fails(
        &["build"],
        |c| {
            edit(
                &c.file(HUBS),
                "last_verified = \"2026-11-01\"",
                "last_verified = \"2099-01-01\"",
            );
            edit(
                &c.file(HUBS),
                "phone = \"045-000-0000\"",
                "phone = \"0000000000\"\nemail = \"a@example.org?bcc=b@example.org&body=x\"",
            );
        },
        &[
            "data/hubs/test.toml:9:17",
            "is in the future",
            "data/hubs/test.toml:11:9",
            "`0000000000` is not a phone number",
            "data/hubs/test.toml:12:9",
        ],
    );
    // An as_of in the future may be a planned date: a warning from check.
    let case = Case::minimal();
    edit(
        &case.file(HUBS),
        "as_of = \"2020-04-01\"",
        "as_of = \"2099-04-01\"",
    );
    let r = run(&case.root(), &["check"]);
    assert!(r.ok, "{}", r.log());
    assert!(
        r.log().contains("as_of 2099-04-01 is in the future"),
        "{}",
        r.log()
    );
}

#[test]
fn a_data_path_that_is_a_directory_is_an_error() {
    Case::minimal().fails(
        &["build"],
        |c| fs::create_dir_all(c.file("data/hubs/more.toml")).expect("mkdir"),
        &["data/hubs/more.toml", "is a directory"],
    );
}

#[test]
fn an_unclosed_brace_is_reported_at_the_brace() {
    Case::minimal().fails(
        &["build"],
        |c| edit(&c.file(HUBS), "en = \"Test hub\" }", "en = \"Test hub\""),
        &["data/hubs/test.toml:4:8", "this `{` is not closed"],
    );
}

#[test]
fn control_characters_from_data_are_shown_escaped() {
    let stderr = Case::minimal().fails(
        &["build"],
        |c| {
            edit(
                &c.file(HUBS),
                "phone = \"045-000-0000\"",
                "phone = \"\u{1b}[2J\u{7}\"",
            )
        },
        &["\\u{1b}[2J\\u{7}"],
    );
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
}

#[test]
fn a_template_that_recurses_without_end_names_its_file_and_line() {
    Case::minimal().fails(
        &["build"],
        |c| {
            edit(
                &c.file("templates/page.html"),
                "{% block main %}",
                "{% component loop_me(n: integer) %}{{ <loop_me n={n} /> }}{% endcomponent loop_me %}\n{% block main %}{{ <loop_me n={1} /> }}",
            )
        },
        &["templates/page.html:2:1", "component `loop_me` renders itself without end"],
    );
}

#[test]
fn ten_thousand_errors_in_one_file_are_all_reported() {
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!(
            "[[hub]]\nid = \"h{i}\"\nname = {{ ja = \"拠点{i}\", en = \"Hub {i}\" }}\nareas = []\nsource = \"test-source\"\nas_of = \"2020-04-01\"\nlast_verified = \"2026-11-01\"\n[hub.contact]\nphone = \"12\"\n"
        ));
    }
    let stderr = Case::minimal().fails(
        &["check"],
        move |c| write(&c.file("data/hubs/many.toml"), &text),
        &["data/hubs/many.toml:90000:9"],
    );
    assert_eq!(stderr.matches("is not a phone number").count(), 10_000);
}

#[test]
fn csv_cells_never_start_a_formula_and_import_gives_them_back() {
    let case = Case::shipped();
    let file = case.file("data/providers/chiyoda.toml");
    edit(
        &file,
        "name = { ja = \"相談支援事業所千代田区子ども発達センター\"",
        "name = { ja = \"=HYPERLINK(\\\"https://x.example\\\",\\\"詳細\\\")\"",
    );
    let r = run_without_flyers(&case.root(), &["build"]);
    assert!(r.ok, "{}", r.log());
    let csv = fs::read_to_string(case.file("site/open-data/providers.csv")).expect("csv");
    assert!(csv.contains("'=HYPERLINK"), "defused in the CSV");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains("\"=HYPERLINK"),
        "never a formula"
    );
    let json = fs::read_to_string(case.file("site/open-data/providers.json")).expect("json");
    assert!(
        json.contains("\"=HYPERLINK"),
        "JSON carries the value as it is"
    );
    let out = case.file("data/providers/chiyoda.toml");
    let r = run(
        &case.root(),
        &[
            "import",
            "providers",
            case.file("site/open-data/providers.sjis.csv")
                .to_str()
                .expect("path"),
            "--out",
            out.to_str().expect("path"),
        ],
    );
    assert!(r.ok, "{}", r.log());
    let after = fs::read_to_string(&file).expect("providers");
    let doc: toml::Value = toml::from_str(&after).expect("imported TOML");
    let name = doc["provider"]
        .as_array()
        .and_then(|ps| {
            ps.iter()
                .find(|p| p["id"].as_str() == Some("chiyoda-kodomo-hattatsu-center"))
        })
        .map(|p| p["name"]["ja"].as_str().unwrap_or_default().to_string());
    assert_eq!(
        name.as_deref(),
        Some("=HYPERLINK(\"https://x.example\",\"詳細\")"),
        "import gives back the value without the '"
    );
}
