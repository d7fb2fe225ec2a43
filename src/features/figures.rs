//! Coordinator figures: published aggregates of trained coordinators, as
//! tables and build-time SVG bar charts (no script, no chart library).

use crate::lang::Lang;
use crate::model::{Breakdown, Dimension, Site};
use crate::render::{PageDef, TemplateData, escape, minify, provenance, ui};
use serde::Serialize;
use std::fmt::Write;

pub const FIGURES_KEY: &str = "figures";

#[derive(Serialize)]
struct RowCtx {
    label: String,
    count: u32,
    percent: String,
}

#[derive(Serialize)]
struct BreakdownCtx {
    id: String,
    dimension: &'static str,
    rows: Vec<RowCtx>,
    chart: String,
}

#[derive(Serialize)]
struct AggregateCtx {
    id: String,
    title: String,
    total: u32,
    note: Option<String>,
    as_of: String,
    source: String,
    breakdowns: Vec<BreakdownCtx>,
}

fn dimension_key(d: Dimension) -> &'static str {
    match d {
        Dimension::Profession => "profession",
        Dimension::Affiliation => "affiliation",
        Dimension::Area => "area",
        Dimension::TrainingYear => "training_year",
    }
}

/// A horizontal bar chart with the label and the count written beside each
/// bar, so it reads in black and white and without colour vision.
fn bar_chart(id: &str, title: &str, b: &Breakdown, lang: Lang) -> String {
    const LABEL_W: u32 = 230;
    const BAR_W: u32 = 290;
    const ROW_H: u32 = 30;
    let max = b.rows.iter().map(|r| r.count).max().unwrap_or(1).max(1);
    let height = ROW_H * b.rows.len() as u32 + 10;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"bar-chart\" viewBox=\"0 0 {w} {height}\" role=\"img\" aria-labelledby=\"{id}-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{t}</title>",
        w = LABEL_W + BAR_W + 70,
        t = escape::html(title)
    );
    for (i, r) in b.rows.iter().enumerate() {
        let y = i as u32 * ROW_H + 5;
        let w = (r.count * BAR_W).div_ceil(max).max(1);
        let unit = if lang.text_lang() == Lang::Ja {
            "人"
        } else {
            ""
        };
        let _ = write!(
            svg,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text><rect x=\"{LABEL_W}\" y=\"{y}\" width=\"{w}\" height=\"20\"/><text x=\"{cx}\" y=\"{ty}\">{count}{unit}</text>",
            lx = LABEL_W - 8,
            ty = y + 15,
            label = escape::html(r.label.str(lang)),
            cx = LABEL_W + w + 6,
            count = r.count,
        );
    }
    svg.push_str("</svg>");
    svg
}

pub fn pages(site: &Site, lang: Lang) -> Vec<PageDef<'static>> {
    if site.aggregates.is_empty() {
        return Vec::new();
    }
    let mut prov = Vec::new();
    let aggregates: Vec<AggregateCtx> = site
        .aggregates
        .iter()
        .map(|a| {
            crate::render::push_provenance(&mut prov, provenance(site, &a.provenance, lang));
            let breakdowns = a
                .breakdowns
                .iter()
                .map(|b| {
                    let id = format!("{}-{}", a.id, dimension_key(b.dimension));
                    let label = ui(
                        site,
                        lang,
                        &format!("dimension_{}", dimension_key(b.dimension)),
                    );
                    let title = format!("{}: {label}", a.title.str(lang));
                    BreakdownCtx {
                        chart: minify::fragment(&bar_chart(&id, &title, b, lang)),
                        id,
                        dimension: dimension_key(b.dimension),
                        rows: b
                            .rows
                            .iter()
                            .map(|r| RowCtx {
                                label: r.label.str(lang).to_string(),
                                count: r.count,
                                percent: format!(
                                    "{:.1}",
                                    f64::from(r.count) * 100.0 / f64::from(a.total.max(1))
                                ),
                            })
                            .collect(),
                    }
                })
                .collect();
            AggregateCtx {
                id: a.id.clone(),
                title: a.title.str(lang).to_string(),
                total: a.total,
                note: a.note.as_ref().map(|n| n.str(lang).to_string()),
                as_of: a.provenance.as_of.display(lang),
                source: site.sources[&a.provenance.source]
                    .title
                    .str(lang)
                    .to_string(),
                breakdowns,
            }
        })
        .collect();
    let mut body = TemplateData::new();
    body.insert("aggregates", &aggregates);
    vec![PageDef {
        key: FIGURES_KEY.into(),
        lang,
        template: "figures.html",
        title: ui(site, lang, "figures_title"),
        description: None,
        crumbs: Vec::new(),
        provenance: prov,
        body,
        fill: None,
    }]
}
