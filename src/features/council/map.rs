//! The council map: one shape per municipality, coloured **and** patterned
//! by status, each a link to the area page with an accessible name.
//!
//! Geometry comes from the prefecture's N03 boundary file when the project
//! has one (`data/boundaries/<prefecture>.geojson`), otherwise from the tile
//! layout in the council file (`[[tile]] area row col`). A designated city's
//! wards are drawn as one shape, the city's.

use super::geo;
use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::model::{
    AreaCode, AreaKind, Boundaries, BoundaryFeature, Council, CouncilStatus, Site, StatusEntry,
};
use crate::render::escape::xml;
use crate::render::links::area_key;
use crate::render::page_href;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

/// The credit MLIT requires wherever N03 boundaries are shown.
pub const N03_CREDIT: &str = "出典：国土交通省 国土数値情報（行政区域データ）を加工して作成";
/// Byte budget of all shape paths of a boundary map (the page budget is 60 KB).
pub const PATH_BUDGET: usize = 20_000;

/// Status colours (fills): each has at least 3:1 contrast against the white
/// page, the white borders between shapes and the white pattern marks.
pub const STATUS_STYLE: [(CouncilStatus, &str); 4] = [
    (CouncilStatus::Alone, "#1f4e8c"),
    (CouncilStatus::Joint, "#2d6a2f"),
    (CouncilStatus::NotSet, "#a8430f"),
    (CouncilStatus::Unknown, "#666666"),
];
/// Fill of a shape that has no data (drawn, not linked).
pub const NO_DATA_FILL: &str = "#f2f2f2";
/// Outline of a shape with no data: 3:1 against white.
pub const NO_DATA_STROKE: &str = "#767676";
/// Borders between shapes, pattern marks and the page background.
pub const BACKGROUND: &str = "#ffffff";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    Boundaries,
    Tiles,
}

/// A tile's name plate.
#[derive(Debug, Clone)]
pub struct Plate {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Debug, Clone)]
pub struct Shape {
    /// The municipality, or `None` for a feature/tile with no status in the data.
    pub area: Option<AreaCode>,
    /// Code and name of the geometry, for shapes without data.
    pub label: String,
    pub d: String,
    pub plate: Option<Plate>,
}

/// The map of one council, before styling.
#[derive(Debug, Clone)]
pub struct Map {
    pub kind: MapKind,
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
    /// Municipalities in the data with no shape.
    pub missing: Vec<AreaCode>,
    /// Geometry (5-digit N03 code + name, or tile area) with no data.
    pub extra: Vec<(String, String)>,
    /// The file the geometry comes from.
    pub file: PathBuf,
}

/// The municipality a 5-digit N03 code belongs to: the city for a ward.
fn municipality(site: &Site, code5: &str) -> Option<AreaCode> {
    let check = crate::model::area_check_digit(code5)?;
    let area = site.area(&AreaCode(format!("{code5}{check}")))?;
    match area.kind {
        AreaKind::Ward => area.parent.clone(),
        _ => Some(area.code.clone()),
    }
}

/// The council's map: from its N03 boundaries if it has them, otherwise
/// from its tiles; `None` with neither.
pub fn build(site: &Site, council: &Council) -> Option<Map> {
    match &council.boundaries {
        Some(b) => Some(boundary_map(site, council, b)),
        None => tile_map(site, council),
    }
}

/// One shape per municipality with a status, its wards' features merged;
/// features of no such municipality are drawn as shapes of their own.
fn boundary_map(site: &Site, council: &Council, b: &Boundaries) -> Map {
    let latest = council.latest();
    let has = |c: &AreaCode| latest.iter().any(|s| &s.area == c);
    let mut groups: BTreeMap<AreaCode, Vec<&BoundaryFeature>> = BTreeMap::new();
    let mut orphans: Vec<(String, Vec<&BoundaryFeature>)> = Vec::new();
    let mut extra = Vec::new();
    for f in &b.features {
        match municipality(site, &f.code).filter(|c| has(c)) {
            Some(c) => groups.entry(c).or_default().push(f),
            None => {
                let code = if f.code.is_empty() {
                    "-".to_string()
                } else {
                    f.code.clone()
                };
                let e = (code.clone(), f.name.clone());
                if !extra.contains(&e) {
                    extra.push(e);
                }
                match orphans.iter_mut().find(|(c, _)| c == &code) {
                    Some((_, fs)) => fs.push(f),
                    None => orphans.push((code, vec![f])),
                }
            }
        }
    }
    let mut all: Vec<Vec<&BoundaryFeature>> = groups.values().cloned().collect();
    all.extend(orphans.iter().map(|(_, fs)| fs.clone()));
    let p = geo::project(&all, PATH_BUDGET);
    let mut paths = p.paths.into_iter();
    let mut shapes: Vec<Shape> = Vec::new();
    for code in groups.keys() {
        shapes.push(Shape {
            area: Some(code.clone()),
            label: code.to_string(),
            d: paths.next().unwrap_or_default(),
            plate: None,
        });
    }
    for (code, fs) in &orphans {
        shapes.push(Shape {
            area: None,
            label: format!("{code} {}", fs[0].name),
            d: paths.next().unwrap_or_default(),
            plate: None,
        });
    }
    let missing = latest
        .iter()
        .filter(|s| !groups.contains_key(&s.area))
        .map(|s| s.area.clone())
        .collect();
    Map {
        kind: MapKind::Boundaries,
        width: p.width,
        height: p.height,
        shapes,
        missing,
        extra,
        file: b.file.clone(),
    }
}

/// One tile per municipality, laid out as the council file's grid.
fn tile_map(site: &Site, council: &Council) -> Option<Map> {
    if council.tiles.is_empty() {
        return None;
    }
    let latest = council.latest();
    let has = |c: &AreaCode| latest.iter().any(|s| &s.area == c);
    const W: f64 = 100.0;
    const H: f64 = 64.0;
    const GAP: f64 = 4.0;
    let (min_r, min_c) = council
        .tiles
        .iter()
        .fold((u32::MAX, u32::MAX), |(r, c), t| {
            (r.min(t.row), c.min(t.col))
        });
    let (max_r, max_c) = council
        .tiles
        .iter()
        .fold((0, 0), |(r, c), t| (r.max(t.row), c.max(t.col)));
    let mut shapes = Vec::new();
    let mut extra = Vec::new();
    let mut tiles: Vec<_> = council.tiles.iter().collect();
    tiles.sort_by_key(|t| (t.row, t.col));
    for t in tiles {
        let x = GAP + f64::from(t.col - min_c) * (W + GAP);
        let y = GAP + f64::from(t.row - min_r) * (H + GAP);
        let known = has(&t.area);
        if !known {
            let name = site
                .area(&t.area)
                .map(|a| a.name.ja.clone())
                .unwrap_or_default();
            extra.push((t.area.to_string(), name));
        }
        shapes.push(Shape {
            area: known.then(|| t.area.clone()),
            label: t.area.to_string(),
            d: format!("M{x} {y}h{W}v{H}h-{W}z"),
            plate: Some(Plate {
                x: x + 4.0,
                y: y + H / 2.0 - 15.0,
                w: W - 8.0,
                h: 30.0,
            }),
        });
    }
    let missing = latest
        .iter()
        .filter(|s| !council.tiles.iter().any(|t| t.area == s.area))
        .map(|s| s.area.clone())
        .collect();
    Some(Map {
        kind: MapKind::Tiles,
        width: GAP + f64::from(max_c - min_c + 1) * (W + GAP),
        height: GAP + f64::from(max_r - min_r + 1) * (H + GAP),
        shapes,
        missing,
        extra,
        file: council.origin.file.clone(),
    })
}

/// The pattern definitions: a distinct pattern per status (solid, diagonal
/// hatch, dots, cross-hatch), so the map reads without colour.
pub fn defs() -> String {
    let mut o = String::from("<defs>");
    for (status, colour) in STATUS_STYLE {
        let marks = match status {
            CouncilStatus::Alone => "",
            CouncilStatus::Joint => {
                r##"<path d="M-2 2l4-4M0 8l8-8M6 10l4-4" stroke="#fff" stroke-width="1.8"/>"##
            }
            CouncilStatus::NotSet => r##"<circle cx="4" cy="4" r="1.9" fill="#fff"/>"##,
            CouncilStatus::Unknown => {
                r##"<path d="M0 0l8 8M8 0l-8 8" stroke="#fff" stroke-width="1"/>"##
            }
        };
        let _ = write!(
            o,
            r#"<pattern id="cm-{}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{colour}"/>{marks}</pattern>"#,
            status.key()
        );
    }
    o.push_str("</defs>");
    o
}

/// The short name of a status ("不明"), for map labels.
fn status_text(site: &Site, lang: Lang, status: CouncilStatus) -> String {
    site.strings[&lang]
        .get(&format!("council_short_{}", status.key()))
        .cloned()
        .unwrap_or_else(|| status.key().to_string())
}

fn t<'a>(site: &'a Site, lang: Lang, key: &str) -> &'a str {
    site.strings[&lang].get(key).map_or("", String::as_str)
}

/// Width of a label in em, counting wide characters as 1 and others as 0.56.
fn text_em(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.56 } else { 1.0 })
        .sum()
}

/// The map as SVG. `root` leads from the SVG's location to the site root.
/// A standalone file also carries its title, legend and credit as SVG text.
pub fn svg(
    site: &Site,
    council: &Council,
    map: &Map,
    lang: Lang,
    root: &str,
    standalone: bool,
) -> String {
    let pref = site
        .area(&council.prefecture)
        .map(|a| a.name.str(lang).to_string())
        .unwrap_or_default();
    let title = format!("{pref} {}", t(site, lang, "council_map_title"));
    let latest = council.latest();
    let legend_h = if standalone { 40.0 + 26.0 * 5.0 } else { 0.0 };
    let (w, h) = (map.width, map.height + legend_h);
    let mut o = String::new();
    if standalone {
        let _ = write!(
            o,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" lang="{}" role="group" aria-labelledby="cm-title" font-family="sans-serif"><title id="cm-title">{}</title><style>a:focus path,a:hover path,a:focus rect:first-of-type,a:hover rect:first-of-type{{fill:#ffd21f;stroke:#000}}</style>"#,
            lang.code(),
            xml(&title)
        );
    } else {
        let _ = write!(
            o,
            r#"<svg class="council-map-svg" viewBox="0 0 {w} {h}" role="group" aria-labelledby="cm-title"><title id="cm-title">{}</title>"#,
            xml(&title)
        );
    }
    o.push_str(&defs());
    // Boundaries: a 3-unit white border painted under the fill, so 1.5
    // units show between neighbours and the borders between a city's wards
    // are covered by the city's own fill. Tiles have gaps instead.
    let (stroke, order) = match map.kind {
        MapKind::Boundaries => ("3", "stroke"),
        MapKind::Tiles => ("0", "fill"),
    };
    let _ = write!(
        o,
        r#"<g stroke="{BACKGROUND}" stroke-width="{stroke}" stroke-linejoin="round" paint-order="{order}">"#
    );
    for s in &map.shapes {
        shape(&mut o, site, lang, root, &latest, s);
    }
    o.push_str("</g>");
    if standalone {
        legend(&mut o, site, council, map, lang);
    }
    o.push_str("</svg>");
    o
}

/// One municipality's shape: a link to its area page named by its status,
/// or a grey shape where there is no data; a tile also gets a name plate.
fn shape(o: &mut String, site: &Site, lang: Lang, root: &str, latest: &[&StatusEntry], s: &Shape) {
    let area = s.area.as_ref().and_then(|c| site.area(c));
    let status = s
        .area
        .as_ref()
        .and_then(|c| latest.iter().find(|x| &x.area == c))
        .map(|x| x.status);
    let plate = |o: &mut String, name: &str| {
        if let Some(p) = &s.plate {
            let size = (p.w - 6.0) / text_em(name).max(1.0);
            let size = size.clamp(9.0, 22.0);
            let _ = write!(
                o,
                r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#fff"/><text x="{}" y="{}" font-size="{size:.1}" text-anchor="middle" dominant-baseline="central" fill="#111">{}</text>"##,
                p.x,
                p.y,
                p.w,
                p.h,
                p.x + p.w / 2.0,
                p.y + p.h / 2.0,
                xml(name)
            );
        }
    };
    match (area, status) {
        (Some(a), Some(st)) => {
            let name = a.name.str(lang);
            let label = format!(
                "{name}{}{}",
                t(site, lang, "council_map_sep"),
                status_text(site, lang, st)
            );
            let href = page_href(root, lang, &area_key(&a.code));
            let _ = write!(
                o,
                r#"<a href="{}" aria-label="{}" data-code="{}" data-status="{}"><title>{}</title><path d="{}" fill="url(#cm-{})"/>"#,
                xml(&href),
                xml(&label),
                a.code,
                st.key(),
                xml(&label),
                s.d,
                st.key()
            );
            plate(o, name);
            o.push_str("</a>");
        }
        _ => {
            let name = area.map_or(s.label.clone(), |a| a.name.str(lang).to_string());
            let _ = write!(
                o,
                r#"<g class="cm-nodata"><title>{}{}{}</title><path d="{}" fill="{NO_DATA_FILL}" stroke="{NO_DATA_STROKE}" stroke-width="1"/>"#,
                xml(&name),
                t(site, lang, "council_map_sep"),
                xml(t(site, lang, "council_map_no_data")),
                s.d
            );
            plate(o, &name);
            o.push_str("</g>");
        }
    }
}

/// A standalone map's legend (each status's pattern and count) and credit.
fn legend(o: &mut String, site: &Site, council: &Council, map: &Map, lang: Lang) {
    let tally = super::Tally::of(council);
    let mut y = map.height + 24.0;
    for (status, _) in STATUS_STYLE {
        let n = match status {
            CouncilStatus::Alone => tally.alone,
            CouncilStatus::Joint => tally.joint,
            CouncilStatus::NotSet => tally.not_set,
            CouncilStatus::Unknown => tally.unknown,
        };
        let _ = write!(
            o,
            r##"<rect x="12" y="{}" width="36" height="20" fill="url(#cm-{})" stroke="#000"/><text x="58" y="{}" font-size="16" dominant-baseline="central" fill="#111">{} ({n})</text>"##,
            y - 10.0,
            status.key(),
            y,
            xml(t(site, lang, &format!("status_{}", status.key())))
        );
        y += 26.0;
    }
    let credit = match map.kind {
        MapKind::Boundaries => N03_CREDIT.to_string(),
        MapKind::Tiles => t(site, lang, "council_map_tiles_note").to_string(),
    };
    let _ = write!(
        o,
        r##"<text x="12" y="{}" font-size="14" dominant-baseline="central" fill="#111">{}</text>"##,
        y + 4.0,
        xml(&credit)
    );
}

/// `check` findings: municipalities in the data with no shape, and geometry
/// (N03 features or tiles) with no data.
pub fn findings(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in &site.councils {
        let Some(map) = build(site, c) else {
            let mut d = Diagnostic::file(
                &c.origin.file,
                format!(
                    "prefecture `{}` has no map: no data/boundaries/{}.geojson and no [[tile]] layout",
                    c.prefecture, c.prefecture
                ),
            )
            .hint("add a [[tile]] area/row/col per municipality, or the prefecture's N03 GeoJSON boundary file")
            .warning();
            d.line = c.origin.line;
            out.push(d);
            continue;
        };
        let what = match map.kind {
            MapKind::Boundaries => "the boundary file",
            MapKind::Tiles => "the tile layout",
        };
        for code in &map.missing {
            out.push(
                Diagnostic::file(
                    &map.file,
                    format!("municipality `{code}` has a council status but is not on the map: it is missing from {what}"),
                )
                .hint(match map.kind {
                    MapKind::Boundaries => "use the N03 file of the same prefecture and date as data/areas (N03_007 is the code without its check digit)",
                    MapKind::Tiles => "add a [[tile]] with this area, row and col",
                })
                .warning(),
            );
        }
        for (code, name) in &map.extra {
            let mut d = Diagnostic::file(
                &map.file,
                format!("{} `{code}` ({name}) has no council status in {}", match map.kind {
                    MapKind::Boundaries => "boundary feature",
                    MapKind::Tiles => "tile",
                }, c.origin.file.display()),
            )
            .hint("add a [[status]] for this municipality (status = \"unknown\" when the source is silent), or remove the feature")
            .warning();
            if map.kind == MapKind::Tiles
                && let Some(t) = c.tiles.iter().find(|t| t.area.as_str() == code)
            {
                d.line = t.line;
            }
            out.push(d);
        }
    }
    out
}

/// Relative luminance of `#rrggbb` (WCAG 2).
pub fn luminance(hex: &str) -> f64 {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    let ch = |s: u32| {
        let c = f64::from((v >> s) & 0xff) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(16) + 0.7152 * ch(8) + 0.0722 * ch(0)
}

/// WCAG contrast ratio of two `#rrggbb` colours.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_colours_meet_non_text_contrast() {
        for (status, colour) in STATUS_STYLE {
            // Against the page, the white borders between neighbours and the
            // white pattern marks.
            let c = contrast(colour, BACKGROUND);
            assert!(c >= 3.0, "{status:?} {colour}: {c:.2}:1 against white");
            // The yellow focus/hover highlight stands out from every status.
            let f = contrast(colour, "#ffd21f");
            assert!(
                f >= 3.0,
                "{status:?} {colour}: {f:.2}:1 against the focus fill"
            );
        }
        assert!(contrast(NO_DATA_STROKE, BACKGROUND) >= 3.0);
        assert!(contrast("#111111", "#ffffff") >= 4.5);
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 0.01);
        assert!((contrast("#767676", "#ffffff") - 4.54).abs() < 0.01);
    }

    #[test]
    fn statuses_have_distinct_patterns() {
        let d = defs();
        for (status, _) in STATUS_STYLE {
            assert_eq!(d.matches(&format!("id=\"cm-{}\"", status.key())).count(), 1);
        }
        // Solid, hatch, dots, cross-hatch: four different mark shapes.
        assert_eq!(d.matches("<circle").count(), 1);
        assert_eq!(d.matches("<path").count(), 2);
    }
}
