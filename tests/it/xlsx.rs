//! Excel in and out (issue 21): the open-data workbooks, importing a
//! workbook, formula injection, and the gap workbook's loop
//! (`check --gaps` → fill in → `import gaps` → `build`). Every workbook fed
//! to an import is written here by the test (rust_xlsxwriter) from
//! SYNTHETIC values, or converted by LibreOffice from the shipped CSV.

use crate::common::{
    build_without_flyers, page, run, run_without_flyers, shipped_project as project, text, tree,
};
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use std::fs;
use std::path::Path;

/// A workbook's sheets as text cells (row by row), and its formulas.
type Cells = Vec<(String, Vec<Vec<String>>, usize)>;

fn read(path: &Path) -> Cells {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("open workbook");
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        let formulas = wb
            .worksheet_formula(&name)
            .expect("formulas")
            .used_cells()
            .filter(|(_, _, f)| !f.is_empty())
            .count();
        let rows = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::String(s) => s.clone(),
                        Data::Empty => String::new(),
                        other => panic!("{name}: a cell is not text: {other:?}"),
                    })
                    .collect()
            })
            .collect();
        out.push((name, rows, formulas));
    }
    out
}

fn errors(err: &str) -> Vec<&str> {
    err.lines().filter(|l| l.starts_with("error: ")).collect()
}

#[test]
fn exported_workbooks_import_back_to_the_same_toml_and_hold_only_text() {
    let dir = project();
    let root = dir.path();
    let site = build_without_flyers(root, &[]);
    for (kind, out) in [
        ("providers", "data/providers/chiyoda.toml"),
        ("hubs", "data/hubs/yokohama.toml"),
    ] {
        // What the CSV import makes of the CSV, and the xlsx import of the xlsx.
        let mut made = Vec::new();
        for ext in ["csv", "xlsx"] {
            let file = root.join(format!("export.{ext}"));
            fs::copy(site.join(format!("open-data/{kind}.{ext}")), &file).expect("copy");
            let r = run(
                root,
                &["import", kind, file.to_str().expect("path"), "--out", out],
            );
            assert!(
                r.ok && r.stdout.contains("0 added, 0 changed, 0 removed"),
                "{kind}.{ext}:\n{}",
                r.log()
            );
            let toml = fs::read_to_string(root.join(out)).expect("written");
            made.push(toml.replace(&format!("export.{ext}"), "export"));
        }
        assert_eq!(
            made[0], made[1],
            "{kind}: the xlsx import differs from the CSV import"
        );

        // Every cell is text (codes keep their zeros), none is a formula,
        // and the second sheet explains every column in both languages.
        let cells = read(&site.join(format!("open-data/{kind}.xlsx")));
        assert_eq!(
            cells.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            [kind, "columns"]
        );
        assert!(
            cells.iter().all(|c| c.2 == 0),
            "{kind}: a formula in the export"
        );
        let header = &cells[0].1[0];
        let explained: Vec<&String> = cells[1].1.iter().skip(1).map(|r| &r[0]).collect();
        assert_eq!(header.iter().collect::<Vec<_>>(), explained);
        let about = &cells[1].1[1];
        assert!(
            about.len() == 5 && about.iter().all(|c| !c.is_empty()),
            "{about:?}"
        );
    }
    // The page links every workbook.
    let links: Vec<String> =
        crate::common::attrs(&page(&site, "ja/open-data/"), "a[href$='.xlsx']", "href");
    assert_eq!(links.len(), 4, "{links:?}");
}

#[test]
fn a_workbook_saved_by_libreoffice_from_the_csv_imports() {
    if std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_err()
    {
        println!(
            "skipped: soffice (Debian libreoffice-calc) is not installed; scripts/test installs it"
        );
        return;
    }
    let dir = project();
    let root = dir.path();
    let site = build_without_flyers(root, &[]);
    let work = root.join("lo");
    fs::create_dir_all(&work).expect("mkdir");
    for (kind, out) in [
        ("providers", "data/providers/chiyoda.toml"),
        ("hubs", "data/hubs/yokohama.toml"),
    ] {
        let csv = work.join(format!("{kind}.csv"));
        fs::copy(site.join(format!("open-data/{kind}.csv")), &csv).expect("copy");
        let profile = format!(
            "-env:UserInstallation=file://{}",
            work.join("profile").display()
        );
        let converted = std::process::Command::new("soffice")
            .args([
                profile.as_str(),
                "--headless",
                "--infilter=CSV:44,34,76,1",
                "--convert-to",
                "xlsx",
                "--outdir",
            ])
            .arg(&work)
            .arg(&csv)
            .output()
            .expect("run soffice");
        let xlsx = work.join(format!("{kind}.xlsx"));
        assert!(
            xlsx.exists(),
            "soffice made no workbook: {}",
            String::from_utf8_lossy(&converted.stderr)
        );
        let r = run(
            root,
            &[
                "import",
                kind,
                xlsx.to_str().expect("path"),
                "--out",
                out,
                "--dry-run",
            ],
        );
        assert!(
            r.ok && r.stdout.contains("0 added, 0 changed, 0 removed"),
            "{kind} via LibreOffice:\n{}",
            r.log()
        );
    }
}

#[test]
fn five_planted_errors_give_five_errors_naming_sheet_and_cell_and_change_nothing() {
    let dir = project();
    let root = dir.path();
    let header = [
        "ID",
        "名称",
        "名称_英字",
        "種別",
        "対象区域コード",
        "FAX番号",
        "医療的ケア_人工呼吸器",
        "出典",
        "時点",
        "情報確認日",
    ];
    // SYNTHETIC rows; each has one planted error.
    let rows: [[&str; 10]; 5] = [
        [
            "test-a",
            "テストA",
            "Test A",
            "visiting_nursing",
            "131016",
            "",
            "maybe",
            "chiyoda-coordinators",
            "2024-03",
            "2026-11-01",
        ],
        [
            "test-b",
            "テストB",
            "Test B",
            "visiting_nursing",
            "999999",
            "",
            "",
            "chiyoda-coordinators",
            "2024-03",
            "2026-11-01",
        ],
        [
            "test-c",
            "テストC",
            "Test C",
            "visiting_nursing",
            "#11100",
            "",
            "",
            "chiyoda-coordinators",
            "2024-03",
            "2026-11-01",
        ],
        [
            "test-d",
            "テストD",
            "Test D",
            "visiting_nursing",
            "131016",
            "=HYPERLINK(\"https://x.example\",\"x\")",
            "",
            "chiyoda-coordinators",
            "2024-03",
            "2026-11-01",
        ],
        [
            "test-e",
            "テストE",
            "",
            "visiting_nursing",
            "131016",
            "",
            "",
            "chiyoda-coordinators",
            "2024-03",
            "2026-11-01",
        ],
    ];
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("providers").expect("name");
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("cell");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            if let Some(n) = v.strip_prefix('#') {
                sheet
                    .write_number(r, c, n.parse::<f64>().expect("number"))
                    .expect("cell");
            } else if v.starts_with('=') {
                sheet.write_formula(r, c, *v).expect("cell");
            } else if !v.is_empty() {
                sheet.write_string(r, c, *v).expect("cell");
            }
        }
    }
    let file = root.join("planted.xlsx");
    wb.save(&file).expect("save");
    let before = tree(&root.join("data"));
    let r = run_without_flyers(root, &["import", "providers", file.to_str().expect("path")]);
    assert!(!r.ok, "the import must fail:\n{}", r.log());
    let errs = errors(&r.stderr);
    assert_eq!(errs.len(), 5, "exactly five errors expected:\n{}", r.stderr);
    for (e, start) in errs.iter().zip([
        "error: providers!G2 (医療的ケア_人工呼吸器): 'maybe' is not yes, no or empty",
        "error: providers!E3 (対象区域コード): '999999' is not an area code",
        "error: providers!E4 (対象区域コード): 11100 is stored as a number and has lost the leading zero",
        "error: providers!F5 (FAX番号): '=HYPERLINK(",
        "error: providers!C6 (名称_英字): missing English translation",
    ]) {
        assert!(e.starts_with(start), "expected {start:?}, got {e:?}");
    }
    assert!(
        r.stderr
            .contains("import failed: 5 errors; nothing was written"),
        "{}",
        r.stderr
    );
    assert_eq!(tree(&root.join("data")), before, "data/ changed");
}

#[test]
fn formula_like_values_are_text_in_the_workbook_and_defused_in_the_csv() {
    let dir = project();
    let root = dir.path();
    let planted = "=HYPERLINK(\"https://x.example\",\"x\")";
    // SYNTHETIC note on a copy of the shipped data.
    crate::common::edit(
        &root.join("data/providers/chiyoda.toml"),
        "source = \"chiyoda-coordinators\"",
        &format!(
            "operator = {{ ja = {:?}, en = \"@SUM(1+1)\" }}\nsource = \"chiyoda-coordinators\"",
            planted
        ),
    );
    let site = build_without_flyers(root, &[]);
    let cells = read(&site.join("open-data/providers.xlsx"));
    assert_eq!(cells[0].2, 0, "a formula in the workbook");
    let rows = &cells[0].1;
    let op = rows[0].iter().position(|h| h == "運営者").expect("運営者");
    let op_en = rows[0]
        .iter()
        .position(|h| h == "運営者_英字")
        .expect("運営者_英字");
    assert!(
        rows.iter()
            .any(|r| r[op] == planted && r[op_en] == "@SUM(1+1)"),
        "the values are stored as they are, as text"
    );
    let csv = fs::read_to_string(site.join("open-data/providers.csv")).expect("csv");
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"https://x.example\"\",\"\"x\"\")\""),
        "CSV not defused"
    );
    assert!(csv.contains(",'@SUM(1+1),"), "CSV not defused");
}

/// Copies the gap workbook `from` to `to` with `fills` (sheet, key,
/// column, value) typed into the empty cells, as a person would.
fn fill_in(from: &Path, to: &Path, fills: &[(&str, &str, &str, &str)]) {
    let mut wb = Workbook::new();
    let text = Format::new().set_num_format("@");
    for (name, rows, _) in read(from) {
        let sheet = wb.add_worksheet();
        sheet.set_name(&name).expect("name");
        let header = rows[0].clone();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let fill = fills
                    .iter()
                    .find(|f| f.0 == name && f.1 == row[0] && f.2 == header[c]);
                let v = fill.map_or(v.as_str(), |f| f.3);
                if !v.is_empty() {
                    sheet
                        .write_string_with_format(r as u32, c as u16, v, &text)
                        .expect("cell");
                }
            }
        }
    }
    wb.save(to).expect("save");
}

fn gap_count(root: &Path, kind: &str) -> usize {
    let r = run_without_flyers(root, &["check"]);
    assert!(r.ok, "{}", r.log());
    r.stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{kind}: ")))
        .and_then(|l| l.split(' ').next())
        .map_or(0, |n| n.parse().expect("a count"))
}

#[test]
fn the_gap_loop_fills_a_hub_phone_and_a_council_status_with_their_source() {
    let dir = project();
    let root = dir.path();
    let gaps = root.join("gaps.xlsx");
    let r = run_without_flyers(root, &["check", "--gaps", gaps.to_str().expect("path")]);
    assert!(r.ok, "{}", r.log());
    assert!(
        r.stdout.contains("hubs: 6 records") && r.stdout.contains("councils: 63 records"),
        "{}",
        r.stdout
    );
    let cells = read(&gaps);
    assert_eq!(
        cells.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        ["hubs", "providers", "councils"]
    );
    let (phones, statuses) = (
        gap_count(root, "hub contact phone"),
        gap_count(root, "council status"),
    );
    assert_eq!((phones, statuses), (6, 63));

    // One municipality's own workbook.
    let one = root.join("kawagoe.xlsx");
    let r = run_without_flyers(
        root,
        &[
            "check",
            "--gaps",
            one.to_str().expect("path"),
            "--area",
            "112011",
        ],
    );
    assert!(r.ok, "{}", r.log());
    let cells = read(&one);
    assert_eq!(
        cells.iter().map(|c| c.1.len()).collect::<Vec<_>>(),
        [1, 1, 2],
        "header rows, and Kawagoe's council row"
    );

    // SYNTHETIC values, as a ward office would send them back.
    let filled = root.join("filled.xlsx");
    fill_in(
        &gaps,
        &filled,
        &[
            ("hubs", "yokohama-tsurumi", "電話番号", "045-000-0000"),
            (
                "hubs",
                "yokohama-tsurumi",
                "出典",
                "mhlw-coordinator-placement",
            ),
            ("hubs", "yokohama-tsurumi", "時点", "2026-10-01"),
            ("councils", "112011", "設置状況", "alone"),
            ("councils", "112011", "出典", "mhlw-coordinator-placement"),
            ("councils", "112011", "時点", "2026-10-01"),
        ],
    );
    let r = run_without_flyers(root, &["import", "gaps", filled.to_str().expect("path")]);
    assert!(r.ok, "{}", r.log());
    assert!(
        r.stdout.contains("2 values filled in 2 files"),
        "{}",
        r.stdout
    );
    let hubs = fs::read_to_string(root.join("data/hubs/yokohama.toml")).expect("hubs");
    assert!(
        hubs.starts_with("# The six"),
        "the file's comments are kept"
    );
    assert!(hubs.contains("phone = \"045-000-0000\"\nsource = \"mhlw-coordinator-placement\"\nas_of = \"2026-10-01\""), "{hubs}");
    assert_eq!(
        (
            gap_count(root, "hub contact phone"),
            gap_count(root, "council status")
        ),
        (phones - 1, statuses - 1)
    );

    let site = build_without_flyers(root, &[]);
    let source = "On the placement of medical-care coordinators";
    for (path, value) in [
        ("en/areas/141011/", "045-000-0000"),
        ("en/areas/112011/", "alone"),
    ] {
        let body = text(page(&site, path).root_element());
        assert!(
            body.contains(source) && body.contains("2026"),
            "{path}: no source or as-of:\n{body}"
        );
        if value != "alone" {
            assert!(body.contains(value), "{path}: no {value}");
        }
    }
    let hubs_json: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("open-data/hubs.json")).expect("json"))
            .expect("json");
    assert!(
        hubs_json["sources"]
            .as_array()
            .expect("sources")
            .iter()
            .any(|s| s == "mhlw-coordinator-placement"),
        "{}",
        hubs_json["sources"]
    );
    assert_eq!(hubs_json["as_of"], "2026-10-01");
    assert!(
        fs::read_to_string(site.join("open-data/hubs.csv"))
            .expect("csv")
            .contains("045-000-0000")
    );
    let council_csv = fs::read_to_string(site.join("open-data/councils-110001.csv")).expect("csv");
    assert!(
        council_csv.contains("mhlw-coordinator-placement,2026-10-01"),
        "{council_csv}"
    );

    #[cfg(feature = "pdf")]
    {
        let site = crate::common::build(root, &[]);
        let pdf = site.join("en/flyers/areas-141011.pdf");
        if pdf.exists() {
            let out = std::process::Command::new("pdftotext")
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext");
            let t = String::from_utf8_lossy(&out.stdout).replace('\n', " ");
            assert!(
                t.contains("045-000-0000") && t.contains("placement of medical-care"),
                "{t}"
            );
        } else {
            println!("skipped: no Japanese font, so no flyer to check");
        }
    }

    // Back again: a changed known value and a fill without its source and
    // date are errors, and nothing is written.
    fs::remove_file(&gaps).expect("rm");
    let r = run_without_flyers(root, &["check", "--gaps", gaps.to_str().expect("path")]);
    assert!(r.ok, "{}", r.log());
    let before = tree(&root.join("data"));
    let bad = root.join("bad.xlsx");
    fill_in(
        &gaps,
        &bad,
        &[
            ("hubs", "yokohama-tsurumi", "電話番号", "045-999-9999"),
            ("hubs", "yokohama-minami", "電話番号", "045-000-0001"),
        ],
    );
    let r = run_without_flyers(root, &["import", "gaps", bad.to_str().expect("path")]);
    assert!(!r.ok, "{}", r.log());
    let errs = errors(&r.stderr);
    assert_eq!(errs.len(), 3, "{}", r.stderr);
    assert!(
        errs.iter()
            .any(|e| e.contains("(電話番号): the known value '045-000-0000' was changed")),
        "{}",
        r.stderr
    );
    assert!(
        errs.iter().any(|e| e.contains("(出典): required")),
        "{}",
        r.stderr
    );
    assert!(
        errs.iter().any(|e| e.contains("(時点): required")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    assert_eq!(tree(&root.join("data")), before, "data/ changed");
}

#[test]
fn a_private_value_is_never_overwritten_by_the_gap_workbook() {
    let dir = project();
    let root = dir.path();
    // SYNTHETIC private phone: unknown on the site, present in the file.
    crate::common::edit(
        &root.join("data/hubs/yokohama.toml"),
        "last_verified = \"2026-11-21\"",
        "last_verified = \"2026-11-21\"\nprivate_fields = [\"contact.phone\"]\n\n[hub.contact]\nphone = \"045-000-0009\"",
    );
    let gaps = root.join("gaps.xlsx");
    let r = run_without_flyers(root, &["check", "--gaps", gaps.to_str().expect("path")]);
    assert!(r.ok, "{}", r.log());
    let filled = root.join("filled.xlsx");
    fill_in(
        &gaps,
        &filled,
        &[
            ("hubs", "yokohama-tsurumi", "電話番号", "045-000-0000"),
            (
                "hubs",
                "yokohama-tsurumi",
                "出典",
                "mhlw-coordinator-placement",
            ),
            ("hubs", "yokohama-tsurumi", "時点", "2026-10-01"),
        ],
    );
    let before = tree(&root.join("data"));
    let r = run_without_flyers(root, &["import", "gaps", filled.to_str().expect("path")]);
    assert!(!r.ok, "{}", r.log());
    assert!(
        r.stderr
            .contains("contact.phone has a value in the file that the site does not show"),
        "{}",
        r.stderr
    );
    assert_eq!(tree(&root.join("data")), before, "data/ changed");
}
