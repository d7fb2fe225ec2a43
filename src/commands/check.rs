//! `tsunagu check`: what the data does not say yet (gaps), records due for
//! re-verification (stale), and data that disagrees with a published total.
//! Gaps are findings, not errors: `check` exits 0 when they are all it finds.

use crate::diag::Diagnostic;
use crate::model::{Area, AreaKind, Date, Site};
use std::collections::BTreeMap;
use std::fmt;

/// The data check's findings.
pub struct Report {
    /// Unknown values, by kind ("hub contact phone") → record ids.
    pub gaps: BTreeMap<&'static str, Vec<String>>,
    /// Records whose `last_verified` is older than the configured age.
    pub stale: Vec<(String, Date)>,
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    pub records: usize,
    /// Example files below `data/` (`*.example.toml`): not read as data.
    pub examples: Vec<std::path::PathBuf>,
}

pub fn report(site: &Site, root: &std::path::Path, pages: usize, today: Date) -> Report {
    let mut gaps: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut gap = |kind: &'static str, missing: bool, id: &str| {
        if missing {
            gaps.entry(kind).or_default().push(id.to_string());
        }
    };
    for h in &site.hubs {
        let id = h.id.as_str();
        let c = &h.contact;
        gap("hub contact phone", c.phone.is_none(), id);
        gap("hub contact fax", c.fax.is_none(), id);
        gap("hub contact email", c.email.is_none(), id);
        gap("hub contact form URL", c.form_url.is_none(), id);
        gap("hub contact hours", c.hours.is_none(), id);
        gap("hub operator", h.operator.is_none(), id);
        gap("hub address", h.address.is_none(), id);
    }
    for c in &site.councils {
        for s in c.latest() {
            gap(
                "council status",
                s.status == crate::model::CouncilStatus::Unknown,
                s.area.as_str(),
            );
        }
    }
    // A municipality or ward no hub covers, itself or through its city or
    // prefecture: the family there has no hub to reach on the site yet.
    let has_wards = |a: &&Area| site.children(&a.code).next().is_some();
    for a in site.areas.iter().filter(|a| match a.kind {
        AreaKind::Prefecture => false,
        AreaKind::DesignatedCity => !has_wards(a),
        _ => true,
    }) {
        let covered = std::iter::once(a)
            .chain(site.ancestors(a))
            .any(|up| site.hub_for(&up.code).is_some());
        gap("area with no hub", !covered, a.code.as_str());
    }
    gap(
        "site address (base_url is still the placeholder `tsunagu init` wrote)",
        site.config.base_url == crate::config::PLACEHOLDER_BASE_URL,
        "tsunagu.toml",
    );
    for t in &site.glossary {
        gap("glossary definition", t.definition.is_none(), &t.id);
    }
    // A page without its easy version shows the Japanese text with furigana
    // and a note; not an error, but the next page to write.
    for p in site
        .pages
        .iter()
        .filter(|p| p.lang == crate::lang::Lang::Ja)
    {
        let missing = !site
            .pages
            .iter()
            .any(|e| e.lang == crate::lang::Lang::Easy && e.key == p.key);
        let file = format!(
            "content/{}.easy.md",
            if p.key.is_empty() { "_index" } else { &p.key }
        );
        gap(
            "easy Japanese page (やさしい日本語, not written yet)",
            missing,
            &file,
        );
    }
    for s in site.sources.values() {
        gap("source URL", s.url.is_none(), s.id.as_str());
    }
    let identity = &site.config.identity;
    gap(
        "site publisher ([identity] publisher in tsunagu.toml)",
        identity.publisher.is_none(),
        "tsunagu.toml",
    );
    gap(
        "how to report a mistake ([identity] contact_url, contact_email or contact_phone in tsunagu.toml)",
        !identity.has_contact(),
        "tsunagu.toml",
    );
    let mut stale = Vec::new();
    for h in &site.hubs {
        if let Some(v) = h.provenance.last_verified
            && v.months_until(&today)
                >= i32::try_from(site.config.stale_after_months).unwrap_or(i32::MAX)
        {
            stale.push((format!("hub {}", h.id), v));
        }
    }
    crate::features::registry::stale(site, today, &mut stale);
    crate::features::registry::gaps(site, &mut gap);
    let records = site.areas.len()
        + site.providers.len()
        + site.coordinators.len()
        + site.hubs.len()
        + site
            .councils
            .iter()
            .map(|c| c.statuses.len())
            .sum::<usize>()
        + site.aggregates.len()
        + site.glossary.len()
        + site.sources.len();
    Report {
        gaps,
        stale,
        warnings: site
            .warnings
            .iter()
            .cloned()
            .chain(crate::features::council::findings(site))
            .collect(),
        pages,
        records,
        examples: crate::load::example_files(root),
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for w in &self.warnings {
            write!(f, "{w}")?;
        }
        writeln!(
            f,
            "data gaps (unknown values, shown on the site as 未掲載 / not listed yet):"
        )?;
        if self.gaps.is_empty() {
            writeln!(f, "  none")?;
        }
        for (kind, ids) in &self.gaps {
            let shown: Vec<&str> = ids.iter().take(6).map(String::as_str).collect();
            let more = if ids.len() > 6 {
                format!(", … {} more", ids.len() - 6)
            } else {
                String::new()
            };
            writeln!(
                f,
                "  {kind}: {} unknown ({}{more})",
                ids.len(),
                shown.join(", ")
            )?;
        }
        if !self.examples.is_empty() {
            writeln!(
                f,
                "example files (not data; copy one to a new .toml file to add records):"
            )?;
            for e in &self.examples {
                writeln!(f, "  {}", e.display())?;
            }
        }
        writeln!(f, "stale records (last verified too long ago):")?;
        if self.stale.is_empty() {
            writeln!(f, "  none")?;
        }
        for (what, date) in &self.stale {
            writeln!(f, "  {what}: last verified {date}")?;
        }
        write!(
            f,
            "checked {} records and {} pages: 0 errors, {} warnings",
            self.records,
            self.pages,
            self.warnings.len()
        )
    }
}
