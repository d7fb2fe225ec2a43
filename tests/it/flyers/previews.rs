//! The flyers' web previews and the download budgets (issue 24): small
//! greyscale PNGs instead of typst-svg's outlines.

use super::{check_every_flyer, shipped};
use crate::common::{attrs, shipped_site as site};
use std::fs;
use std::path::Path;
use tsunagu::features::flyers;
use tsunagu::lang::Lang;

/// Width, height and colour type of a PNG, and its pixels as grey levels
/// 0–255 (decoded with the `png` crate the previews are encoded with).
fn decode_png(file: &Path) -> (u32, u32, png::ColorType, Vec<u8>) {
    let bytes = fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().expect("a PNG");
    let (w, h, color) = {
        let info = reader.info();
        (info.width, info.height, info.color_type)
    };
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut buf).expect("PNG data");
    buf.truncate(frame.buffer_size());
    (w, h, color, buf)
}

#[test]
fn previews_are_small_greyscale_pngs_of_the_whole_a4_page() {
    let dir = shipped();
    check_every_flyer(|lang, sub| {
        let file = dir.join(flyers::preview_path(lang, &sub.slug()));
        let (w, h, color, pixels) = decode_png(&file);
        let mut bad = Vec::new();
        let ratio = f64::from(h) / f64::from(w);
        let a4 = flyers::A4_PT.1 / flyers::A4_PT.0;
        if w != 140 || (ratio - a4).abs() > 0.01 {
            bad.push(format!(
                "{}: {w}×{h} px is not 140 px wide A4",
                file.display()
            ));
        }
        if color != png::ColorType::Grayscale {
            bad.push(format!("{}: {color:?}, not greyscale", file.display()));
        }
        // Text and rules cover part of the page, not none and not all of it.
        let ink = pixels.iter().filter(|&&p| p < 128).count() as f64 / pixels.len() as f64;
        if !(0.01..0.5).contains(&ink) {
            bad.push(format!(
                "{}: {:.1} % of the pixels are dark",
                file.display(),
                ink * 100.0
            ));
        }
        let kb = fs::metadata(&file).expect("size").len() as f64 / 1024.0;
        if kb > 12.0 {
            bad.push(format!("{}: {kb:.1} KB > 12 KB", file.display()));
        }
        bad
    });
}

/// Issue 24's budgets on the shipped build: the flyers page with every
/// image it loads (the previews are `loading="lazy"`, but a reader who
/// scrolls to the end loads them all, so all are counted) ≤ 2 MB, and the
/// previews of all flyers together ≤ 2 MB, and the whole site ≤ 20 MB
/// (1 MB = 1,000,000 bytes), printed with its biggest kinds of file.
#[test]
fn the_flyers_page_and_the_previews_fit_their_download_budgets() {
    let dir = shipped();
    for lang in Lang::ALL {
        let page_dir = dir.join(lang.code()).join(flyers::FLYERS_KEY);
        let html = fs::read_to_string(page_dir.join("index.html")).expect("flyers page");
        let doc = scraper::Html::parse_document(&html);
        let imgs = attrs(&doc, "img", "src");
        assert!(
            imgs.len() >= flyers::subjects(site()).len(),
            "{} previews",
            imgs.len()
        );
        let lazy = attrs(&doc, "main img", "loading");
        assert!(
            lazy.len() == imgs.len() && lazy.iter().all(|l| l == "lazy"),
            "every preview loads lazily"
        );
        let alts = attrs(&doc, "img", "alt");
        assert!(
            alts.len() == imgs.len() && alts.iter().all(|a| a.chars().count() > 4),
            "every preview has alt text"
        );
        let images: u64 = imgs
            .iter()
            .map(|src| {
                fs::metadata(page_dir.join(src))
                    .unwrap_or_else(|e| panic!("{src}: {e}"))
                    .len()
            })
            .sum();
        let total = html.len() as u64 + images;
        eprintln!(
            "/{lang}/flyers/: HTML {} B + {} images {images} B = {total} B",
            html.len(),
            imgs.len()
        );
        assert!(
            total <= 2_000_000,
            "/{lang}/flyers/ transfers {total} B > 2 MB"
        );
    }
    let mut by_kind: std::collections::BTreeMap<String, u64> = Default::default();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let ext = e
                .path()
                .extension()
                .map_or(String::new(), |x| x.to_string_lossy().into_owned());
            *by_kind.entry(ext).or_default() += e.metadata().expect("size").len();
        }
    }
    let total: u64 = by_kind.values().sum();
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let biggest: Vec<String> = kinds
        .iter()
        .take(6)
        .map(|(k, n)| format!(".{k} {n} B"))
        .collect();
    eprintln!("shipped site: {total} B; biggest: {}", biggest.join(", "));
    let previews = kinds
        .iter()
        .find(|(k, _)| k == "png")
        .map_or(0, |(_, n)| *n);
    assert!(
        previews <= 2_000_000,
        "the previews are {previews} B > 2 MB"
    );
    assert!(
        total <= 20_000_000,
        "the shipped site is {total} B > 20 MB ({})",
        biggest.join(", ")
    );
}
