//! The flyers' typography (issue 24), read from where poppler places the
//! text (`pdftotext -bbox-layout`) in every flyer: no title line with one or
//! two characters alone, a title of at least 28 pt, body text of at least
//! 14 pt, the contact the largest thing after the title, and the page's
//! height used.

use super::{check_every_flyer, expected, par, pdf, shipped, squash};
use crate::common::{shipped_site as site, ui};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Height of a line's box in `pdftotext -bbox` per point of type: poppler
/// boxes a line by the font's ascent and descent, 1.0 em for Noto Sans CJK
/// (measured on these flyers; the other fonts of `JAPANESE_FAMILIES` are
/// within 0.2 of it, which the limits below allow for).
const EM: f64 = 1.0;

/// One line of text as poppler lays it out, in points from the page's top left.
#[derive(Debug)]
struct Line {
    top: f64,
    bottom: f64,
    text: String,
}

impl Line {
    /// The type size, from the height of the line's box.
    fn size_pt(&self) -> f64 {
        (self.bottom - self.top) / EM
    }
}

fn attr(tag: &str, name: &str) -> f64 {
    tag.split(&format!(" {name}=\""))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every line of the flyer's one page, top to bottom; every flyer is read
/// once, for both tests.
fn lines(file: &Path) -> &'static [Line] {
    static ALL: OnceLock<HashMap<PathBuf, Vec<Line>>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let dir = shipped();
        let files: Vec<PathBuf> = expected(site())
            .iter()
            .map(|(lang, sub)| pdf(dir, *lang, sub))
            .collect();
        let read = par(&files, |f| read_lines(f));
        files.into_iter().zip(read).collect()
    });
    &all[file]
}

fn read_lines(file: &Path) -> Vec<Line> {
    let o = Command::new("pdftotext")
        .arg("-bbox-layout")
        .arg(file)
        .arg("-")
        .output()
        .expect("run pdftotext (poppler-utils)");
    assert!(
        o.status.success(),
        "pdftotext -bbox-layout {}",
        file.display()
    );
    let xml = String::from_utf8_lossy(&o.stdout);
    let mut out: Vec<Line> = Vec::new();
    for chunk in xml.split("<line ").skip(1) {
        let tag = &chunk[..chunk.find('>').expect("tag end")];
        let body = &chunk[..chunk.find("</line>").expect("line end")];
        let text: String = body
            .split("<word ")
            .skip(1)
            .filter_map(|w| w.split_once('>').map(|(_, r)| r))
            .filter_map(|r| r.split("</word>").next())
            .map(unescape)
            .collect::<Vec<_>>()
            .join(" ");
        out.push(Line {
            top: attr(&format!(" {tag}"), "yMin"),
            bottom: attr(&format!(" {tag}"), "yMax"),
            text,
        });
    }
    out.sort_by(|a, b| a.top.total_cmp(&b.top));
    out
}

/// Lines from the top until they hold all of `title`: the title's lines.
fn title_lines<'a>(lines: &'a [Line], title: &str) -> &'a [Line] {
    let want = squash(title);
    let mut seen = String::new();
    for (i, l) in lines.iter().enumerate() {
        seen.push_str(&squash(&l.text));
        if seen.contains(&want) {
            return &lines[..=i];
        }
    }
    panic!("the title {title:?} is not at the top: {lines:?}")
}

#[test]
fn flyer_titles_are_28_pt_or_more_and_never_leave_two_characters_alone_on_a_line() {
    let site = site();
    let dir = shipped();
    check_every_flyer(|lang, sub| {
        let file = pdf(dir, lang, sub);
        let lines = lines(&file);
        let name = sub.name(site, lang);
        let title = format!("{}{name}", ui(lang, "flyer_title"));
        title_lines(lines, &title)
            .iter()
            .filter_map(|l| {
                let chars = squash(&l.text).chars().count();
                // A short name (蕨市) alone on its line is the whole name,
                // not two characters left over from a break.
                let left_over = chars <= 2 && squash(&l.text) != squash(&name);
                (left_over || l.size_pt() < 27.5).then(|| {
                    format!(
                        "{}: title line {:?} ({chars} characters, {:.1} pt)",
                        file.display(),
                        l.text,
                        l.size_pt()
                    )
                })
            })
            .collect::<Vec<_>>()
    });
}

#[test]
fn flyer_body_text_is_14_pt_or_more_the_contact_stands_out_and_the_page_is_used() {
    let site = site();
    let dir = shipped();
    check_every_flyer(|lang, sub| {
        let file = pdf(dir, lang, sub);
        let lines = lines(&file);
        let title = format!("{}{}", ui(lang, "flyer_title"), sub.name(site, lang));
        let n_title = title_lines(lines, &title).len();
        // The sources and dates at the foot are the only small print.
        let foot = squash(ui(lang, "flyer_sources"));
        let end = lines
            .iter()
            .position(|l| squash(&l.text).starts_with(&foot))
            .unwrap_or_else(|| panic!("{}: no sources block", file.display()));
        let body = &lines[n_title..end];
        let mut bad = Vec::new();
        for l in body.iter().filter(|l| l.size_pt() < 13.8) {
            bad.push(format!("{:?} is {:.1} pt", l.text, l.size_pt()));
        }
        // A known phone number is the largest thing after the title.
        if let Some(phone) = sub.hub(site).and_then(|h| h.contact.phone.as_deref()) {
            let of = |l: &Line| squash(&l.text).contains(&squash(phone));
            let size = body
                .iter()
                .filter(|l| of(l))
                .map(Line::size_pt)
                .fold(0.0, f64::max);
            if let Some(l) = body.iter().find(|l| !of(l) && l.size_pt() >= size) {
                bad.push(format!(
                    "{:?} ({:.1} pt) is as large as the phone number ({size:.1} pt)",
                    l.text,
                    l.size_pt()
                ));
            }
        }
        // The text runs from the top to the foot of the page, and no gap
        // between two lines is over a sixth of the page (no half-empty page).
        let (first, last) = (lines[0].top, lines[lines.len() - 1].bottom);
        if first > 60.0 || last < 780.0 {
            bad.push(format!(
                "the text runs from {first:.0} pt to {last:.0} pt of 842"
            ));
        }
        for w in lines.windows(2) {
            if w[1].top - w[0].bottom > 842.0 / 6.0 {
                bad.push(format!(
                    "{:.0} pt of empty page after {:?}",
                    w[1].top - w[0].bottom,
                    w[0].text
                ));
            }
        }
        bad.into_iter()
            .map(|b| format!("{}: {b}", file.display()))
            .collect::<Vec<_>>()
    });
}
