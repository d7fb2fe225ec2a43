//! Printable flyers (issue 8), checked with the tools a print shop or ward
//! office would use: `pdfinfo`, `pdffonts`, `pdftotext` (poppler-utils) and
//! `pdftoppm` + `zbarimg` (zbar-tools) for the QR code.
//!
//! The shipped project is built once with the real binary; every flyer of
//! every hub and area in both languages is checked for page count, A4 size,
//! fonts, text, PDF/UA structure (`qpdf`) and layout (`pdftotext -bbox`);
//! every QR code is decoded. Small fixture copies cover a
//! changed contact, determinism, Typst injection and the no-font fallback.

use crate::common::{
    build, minimal_fixture as fixture, output, repo, run, shipped_build,
    shipped_project as shipped_copy, shipped_site as site, tsunagu, ui,
};

mod layout;
mod pdfua;
mod previews;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tsunagu::features::flyers::{self, Subject};
use tsunagu::lang::Lang;
use tsunagu::model::{AreaKind, Site};
use tsunagu::render::links::full_name;

/// The shipped project built once (for the whole suite), which must have
/// found a Japanese font to typeset its flyers with.
pub(super) fn shipped() -> &'static Path {
    let (dir, run) = shipped_build();
    assert!(
        !run.stderr.contains("no Japanese font"),
        "no Japanese font on this machine: install fonts-noto-cjk (scripts/test does)\n{}",
        run.stderr
    );
    dir
}

pub(super) fn tool(name: &str, args: &[&str], file: &Path) -> String {
    let o = Command::new(name)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name} (install poppler-utils / zbar-tools): {e}"));
    assert!(
        o.status.success(),
        "{name} {} failed: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into()
}

/// The text of a PDF (`pdftotext FILE -`).
fn pdftotext(file: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg(file)
        .arg("-")
        .output()
        .expect("run pdftotext (poppler-utils)");
    assert!(o.status.success(), "pdftotext {}", file.display());
    String::from_utf8_lossy(&o.stdout).into()
}

/// Every flyer the model calls for: (language, subject).
pub(super) fn expected(site: &Site) -> Vec<(Lang, Subject<'_>)> {
    flyers::subjects(site)
        .into_iter()
        .flat_map(|s| Lang::ALL.into_iter().map(move |l| (l, s)))
        .collect()
}

pub(super) fn pdf(site_dir: &Path, lang: Lang, sub: &Subject) -> PathBuf {
    site_dir.join(flyers::pdf_path(lang, &sub.slug()))
}

/// Text with all white space removed: line breaks fall anywhere in a name.
pub(super) fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Runs `check` over every flyer of the shipped site on two threads and
/// fails with every problem it reports.
pub(super) fn check_every_flyer(check: impl Fn(Lang, &Subject) -> Vec<String> + Sync) {
    let all = expected(site());
    let problems: Vec<String> = par(&all, |(lang, sub)| check(*lang, sub))
        .into_iter()
        .flatten()
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Runs `f` over `items` on two threads (the poppler tools are single-threaded).
pub(super) fn par<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let half = items.len().div_ceil(2);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(half.max(1))
            .map(|c| s.spawn(|| c.iter().map(&f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    })
}

// ---------------------------------------------------------------- shipped site

#[test]
fn there_is_a_pdf_and_a_preview_for_every_hub_and_area_in_both_languages() {
    let site = site();
    let dir = shipped();
    let want: BTreeSet<String> = expected(site)
        .iter()
        .flat_map(|(l, s)| {
            [
                flyers::pdf_path(*l, &s.slug()),
                flyers::preview_path(*l, &s.slug()),
            ]
        })
        .collect();
    let mut have = BTreeSet::new();
    for lang in Lang::ALL {
        for e in fs::read_dir(dir.join(lang.code()).join(flyers::FLYERS_KEY)).expect("flyers dir") {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            if name.ends_with(".pdf") || name.ends_with(".png") || name.ends_with(".svg") {
                have.insert(format!("{}/{}/{name}", lang.code(), flyers::FLYERS_KEY));
            }
        }
    }
    assert_eq!(have, want);
    assert_eq!(
        want.len(),
        (site.hubs.len() + site.areas.len()) * 2 * 2,
        "one PDF and one PNG preview per hub and area and language"
    );
    eprintln!("{} flyer PDFs", want.len() / 2);
}

#[test]
fn every_flyer_is_one_a4_page_with_embedded_cid_fonts_and_no_type3() {
    let dir = shipped();
    check_every_flyer(|lang, sub| {
        let file = pdf(dir, lang, sub);
        let mut bad = Vec::new();
        let info = tool("pdfinfo", &[], &file);
        let pages = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .map(|v| v.trim().to_string());
        if pages.as_deref() != Some("1") {
            bad.push(format!("{}: pages {pages:?}", file.display()));
        }
        let size = info
            .lines()
            .find_map(|l| l.strip_prefix("Page size:"))
            .unwrap_or("");
        let nums: Vec<f64> = size
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        let a4 = nums.len() >= 2
            && (nums[0] - flyers::A4_PT.0).abs() <= 1.0
            && (nums[1] - flyers::A4_PT.1).abs() <= 1.0;
        if !a4 {
            bad.push(format!(
                "{}: page size {size:?} is not A4 portrait",
                file.display()
            ));
        }
        let fonts = tool("pdffonts", &[], &file);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        if rows.is_empty() {
            bad.push(format!("{}: no fonts", file.display()));
        }
        let mut cid = false;
        for row in &rows {
            if row.contains("Type 3") {
                bad.push(format!("{}: Type 3 font: {row}", file.display()));
            }
            // columns: name type encoding emb sub uni object ID
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            if n < 6 || cols[n - 5] != "yes" || cols[n - 4] != "yes" {
                bad.push(format!(
                    "{}: font not embedded as a subset: {row}",
                    file.display()
                ));
            }
            cid |= row.contains("CID");
        }
        if !cid {
            bad.push(format!("{}: no CID font:\n{fonts}", file.display()));
        }
        bad
    });
}

#[test]
fn every_flyer_text_names_the_hub_its_areas_the_page_url_and_the_source() {
    let site = site();
    let dir = shipped();
    check_every_flyer(|lang, sub| {
        let file = pdf(dir, lang, sub);
        let text = squash(&pdftotext(&file));
        let mut must: Vec<String> = vec![
            ui(lang, "flyer_title").to_string(),
            ui(lang, "flyer_for_whom").to_string(),
            ui(lang, "help_1").to_string(),
            ui(lang, "help_4").to_string(),
            sub.name(site, lang),
            flyers::page_url(site, lang, &sub.page_key()),
        ];
        let record = match sub {
            Subject::Hub(h) => &h.provenance,
            Subject::Area(a) => &a.provenance,
        };
        must.push(site.sources[&record.source].title.str(lang).to_string());
        must.push(record.as_of.display(lang));
        match sub.hub(site) {
            Some(hub) => {
                must.push(hub.name.str(lang).to_string());
                for code in &hub.areas {
                    let area = site.area(code).expect("covered area");
                    must.push(full_name(site, area, lang));
                }
                if hub.contact.is_unknown() {
                    must.push(ui(lang, "contact_unknown").to_string());
                }
                if let Some(p) = &hub.contact.phone {
                    must.push(p.clone());
                }
                if let Some(a) = &hub.ask_instead {
                    must.push(a.str(lang).to_string());
                }
            }
            None => {
                if let Subject::Area(a) = sub
                    && !(a.kind == AreaKind::DesignatedCity
                        && site.children(&a.code).next().is_some())
                {
                    must.push(ui(lang, "no_hub").to_string());
                }
            }
        }
        must.into_iter()
            .filter(|m| !text.contains(&squash(m)))
            .map(|m| format!("{}: missing {m:?}", file.display()))
            .collect::<Vec<_>>()
    });
}

/// Every flyer's QR code (all of them, issue 24): only the lower left of
/// the page, where the code is, is rasterised, at 100 dpi (≈ 3.3 pixels a
/// module, enough for zbar; 150 dpi took twice the time for the same result).
#[test]
fn qr_codes_decode_to_exactly_the_flyers_page_url() {
    let site = site();
    let dir = shipped();
    let all = expected(site);
    let tmp = tempfile::tempdir().expect("temp dir");
    // A4 at 100 dpi is 827 × 1169 px: the left 45 %, the lower 60 %.
    let crop = ["-x", "0", "-y", "467", "-W", "374", "-H", "703"];
    check_every_flyer(|lang, sub| {
        let file = pdf(dir, lang, sub);
        let png_base = tmp.path().join(format!("{}-{}", lang.code(), sub.slug()));
        let o = Command::new("pdftoppm")
            .args(["-r", "100", "-gray", "-png", "-singlefile"])
            .args(crop)
            .arg(&file)
            .arg(&png_base)
            .output()
            .expect("run pdftoppm (poppler-utils)");
        assert!(o.status.success(), "pdftoppm {}", file.display());
        let png = png_base.with_extension("png");
        let o = Command::new("zbarimg")
            .args(["--raw", "-q"])
            .arg(&png)
            .output()
            .expect("run zbarimg (zbar-tools)");
        let decoded = String::from_utf8_lossy(&o.stdout).into_owned();
        let want = flyers::page_url(site, lang, &sub.page_key());
        let codes: Vec<&str> = decoded.lines().collect();
        if codes != [want.as_str()] {
            vec![format!(
                "{}: QR decodes to {codes:?}, want [{want:?}]",
                file.display()
            )]
        } else {
            Vec::new()
        }
    });
    assert_eq!(all.len(), (site.hubs.len() + site.areas.len()) * 2);
    eprintln!("decoded {} QR codes", all.len());
}

#[test]
fn qr_codes_are_error_correction_m_with_a_4_module_quiet_zone_and_print_at_least_2_cm() {
    let url = "https://example.org/ja/areas/141097/";
    let svg = flyers::qr_svg(url).expect("qr");
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).expect("qr");
    let side = code.width() + 8;
    assert!(
        svg.contains(&format!(r#"viewBox="0 0 {side} {side}""#)),
        "QR SVG is not {side} modules wide (4-module quiet zone each side): {}",
        &svg[..200.min(svg.len())]
    );
    // The printed size is set in the template; 20 mm is the floor.
    let template = fs::read_to_string(repo().join("templates/flyer.typ")).expect("template");
    let width_mm: f64 = template
        .split("image(\"qr.svg\", width: ")
        .nth(1)
        .and_then(|rest| rest.split("mm").next())
        .and_then(|n| n.trim().parse().ok())
        .expect("templates/flyer.typ places qr.svg with a width in mm");
    assert!(width_mm >= 20.0, "QR code printed at {width_mm} mm < 20 mm");
}

#[test]
fn the_flyers_page_lists_every_flyer_with_preview_and_both_pdfs() {
    let site = site();
    let dir = shipped();
    for lang in Lang::ALL {
        let file = dir
            .join(lang.code())
            .join(flyers::FLYERS_KEY)
            .join("index.html");
        let html = fs::read_to_string(&file).expect("flyers page");
        for sub in flyers::subjects(site) {
            let slug = sub.slug();
            assert!(
                html.contains(&format!("id={slug}")) || html.contains(&format!("id=\"{slug}\"")),
                "{}: no entry {slug}",
                file.display()
            );
            assert!(
                html.contains(&format!("src={slug}.png"))
                    || html.contains(&format!("src=\"{slug}.png\"")),
                "{}: no preview of {slug}",
                file.display()
            );
            for l in Lang::ALL {
                let href = if l == lang {
                    format!("{slug}.pdf")
                } else {
                    format!("../../{}", flyers::pdf_path(l, &slug))
                };
                assert!(html.contains(&href), "{}: no link {href}", file.display());
            }
        }
        assert!(
            !html.contains("alt=\"\"") && !html.contains("alt=>"),
            "every preview has alt text"
        );
        let kb = html.len() as f64 / 1024.0;
        assert!(
            kb < 60.0,
            "{}: {kb:.1} KB is over the 60 KB page budget",
            file.display()
        );
    }
    // Area and hub pages link to their entry on the flyers page.
    let ward = dir.join("ja/areas/141097/index.html");
    let html = fs::read_to_string(&ward).expect("ward page");
    assert!(html.contains("flyers/#areas-141097"), "{}", ward.display());
}

// ---------------------------------------------------------------- fixture copies

fn text_of(site_dir: &Path, rel: &str) -> String {
    pdftotext(&site_dir.join(rel))
}

#[test]
fn changing_a_hubs_contact_in_data_typesets_just_its_flyers_again_on_the_next_build() {
    let site = site();
    let hub = site
        .hubs
        .iter()
        .find(|h| h.contact.phone.is_none())
        .expect("a hub without a phone number in the shipped data");
    let slug = Subject::Hub(hub).slug();
    let ward = site.area(&hub.areas[0]).expect("covered area");
    let ward_slug = Subject::Area(ward).slug();
    let before_hub = text_of(shipped(), &flyers::pdf_path(Lang::Ja, &slug));
    let before_ward = text_of(shipped(), &flyers::pdf_path(Lang::En, &ward_slug));
    const PHONE: &str = "045-000-0000";
    assert!(!before_hub.contains(PHONE) && !before_ward.contains(PHONE));

    let project = shipped_copy();
    // A first build, so the second one has a flyer cache to reuse.
    let first = build(project.path(), &[]);
    let pdfs_before = pdfs(&first);
    let cache = project.path().join(".site.tsunagu-cache/flyers");
    let cached_before = entries(&cache);
    let file = project.path().join(
        hub.origin
            .file
            .strip_prefix(repo())
            .unwrap_or(&hub.origin.file),
    );
    let file = if file.exists() {
        file
    } else {
        project
            .path()
            .join("data/hubs")
            .join(hub.origin.file.file_name().expect("name"))
    };
    let text = fs::read_to_string(&file).expect("hub file");
    let marker = format!("id = \"{}\"", hub.id);
    let at = text.find(&marker).expect("the hub's record");
    // Append the contact table at the end of this hub's record.
    let end = text[at..].find("\n[[hub]]").map_or(text.len(), |i| at + i);
    let mut edited = text.clone();
    edited.insert_str(
        end,
        &format!(
            "\n# SYNTHETIC test value, not from any source\n[hub.contact]\nphone = \"{PHONE}\"\n"
        ),
    );
    fs::write(&file, edited).expect("write hub file");

    let out = build(project.path(), &[]);
    let after_hub = text_of(&out, &flyers::pdf_path(Lang::Ja, &slug));
    let after_ward = text_of(&out, &flyers::pdf_path(Lang::En, &ward_slug));
    assert!(
        after_hub.contains(PHONE),
        "hub flyer after the change:\n{after_hub}"
    );
    assert!(
        after_ward.contains(PHONE),
        "ward flyer after the change:\n{after_ward}"
    );
    assert!(
        !squash(&after_hub).contains(&squash(ui(Lang::Ja, "contact_unknown"))),
        "the 'not listed yet' block must go once a phone number is known"
    );
    // Only the flyers whose PDF changed were typeset again; the others came
    // from the cache (each typeset flyer is a new cache entry).
    let pdfs_after = pdfs(&out);
    let changed = pdfs_after
        .iter()
        .filter(|(k, v)| pdfs_before.get(*k) != Some(*v))
        .count();
    let typeset = entries(&cache).difference(&cached_before).count();
    assert!(changed >= 4, "{changed} flyers changed");
    assert_eq!(
        typeset,
        changed,
        "{typeset} flyers typeset for {changed} changed PDFs (of {})",
        pdfs_after.len()
    );
}

/// The PDFs below `out`, by path.
fn pdfs(out: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).expect("pdf")))
        .collect()
}

/// The files in `dir`, by name and inode: an entry written again (under a
/// temporary name, then renamed) has a new inode.
fn entries(dir: &Path) -> BTreeSet<(std::ffi::OsString, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.expect("entry");
            (e.file_name(), e.metadata().expect("metadata").ino())
        })
        .collect()
}

#[test]
fn two_builds_give_byte_identical_flyers() {
    let project = fixture();
    let a = build(project.path(), &["--out", "a"]);
    let b = build(project.path(), &["--out", "b"]);
    let mut n = 0;
    for lang in ["ja", "en"] {
        for e in fs::read_dir(a.join(lang).join("flyers")).expect("flyers dir") {
            let e = e.expect("entry");
            let rel = Path::new(lang).join("flyers").join(e.file_name());
            let x = fs::read(a.join(&rel)).expect("a");
            let y = fs::read(b.join(&rel)).expect("b");
            assert!(x == y, "{} differs between two builds", rel.display());
            n += 1;
        }
    }
    assert!(n >= 2 * 2 * 4, "only {n} flyer files");
}

#[test]
fn typst_markup_in_data_is_printed_as_text() {
    let project = fixture();
    let hubs = project.path().join("data/hubs/test.toml");
    let evil = r##"#panic("x") *太字* $x^2$ <lbl> @ref [link] \ // "quote" = 試験"##;
    let text = fs::read_to_string(&hubs).expect("hubs");
    let escaped = evil.replace('\\', "\\\\").replace('"', "\\\"");
    let text = text.replacen(
        r#"name = { ja = "試験拠点", en = "Test hub" }"#,
        &format!(r#"name = {{ ja = "{escaped}", en = "Test hub" }}"#),
        1,
    );
    assert!(text.contains("#panic"), "fixture changed; update this test");
    fs::write(&hubs, text).expect("write");
    let out = project.path().join("site");
    let r = run(project.path(), &["build"]);
    assert!(
        r.ok,
        "a hub name with Typst markup must not break the build:\n{}",
        r.stderr
    );
    let pdf_text = text_of(&out, "ja/flyers/hubs-test-hub.pdf");
    assert!(
        squash(&pdf_text).contains(&squash(evil)),
        "the name is printed literally:\n{pdf_text}"
    );
}

#[test]
fn without_a_japanese_font_the_site_is_built_without_pdfs() {
    let project = fixture();
    let empty = tempfile::tempdir().expect("temp dir");
    let out = project.path().join("site");
    let r = output(
        tsunagu(project.path())
            .arg("build")
            .env("TSUNAGU_SYSTEM_FONTS", "0")
            .env("TSUNAGU_FONT_DIRS", empty.path()),
    );
    assert!(r.ok, "no font is not an error:\n{}", r.stderr);
    let err = r.stderr;
    assert!(
        err.contains("no Japanese font found"),
        "a clear message: {err}"
    );
    assert!(
        err.contains("fonts-noto-cjk"),
        "the message says what to install: {err}"
    );
    let flyers_dir = out.join("ja/flyers");
    let pdfs = fs::read_dir(&flyers_dir)
        .expect("flyers page still built")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
        })
        .count();
    assert_eq!(pdfs, 0);
    let html = fs::read_to_string(flyers_dir.join("index.html")).expect("flyers page");
    assert!(html.contains(ui(Lang::Ja, "flyers_unavailable")));
    assert!(
        out.join("ja/areas/141097/index.html").exists(),
        "the HTML site is built"
    );
}
