//! Validation of the records under `data/`.

use super::Validator;
use super::fields::{check_email, check_phone, check_url};
use crate::diag::Diagnostic;
use crate::load::{Inputs, RawCouncilFile, SourceText};
use crate::model::*;
use std::collections::BTreeMap;

impl Validator {
    pub(super) fn areas(&mut self, inputs: &Inputs) -> Vec<Area> {
        let mut seen = BTreeMap::new();
        let mut areas: Vec<(
            Area,
            &crate::load::InFile<crate::load::RawAreasFile>,
            std::ops::Range<usize>,
        )> = Vec::new();
        for f in &inputs.areas {
            for a in &f.value.area {
                let code = a.code.get_ref();
                let valid_code = code.len() == 6
                    && code.bytes().all(|b| b.is_ascii_digit())
                    && area_check_digit(&code[..5])
                        == code[5..].chars().next().and_then(|c| c.to_digit(10));
                if !valid_code {
                    let hint = match area_check_digit(code.get(..5).unwrap_or("")) {
                        Some(d) if code.len() == 6 => format!("the check digit of {} is {d}: write {}{d}", &code[..5], &code[..5]),
                        _ => "write the 6-digit 全国地方公共団体コード, check digit included (e.g. 141003)".into(),
                    };
                    self.error(
                        &f.file,
                        a.code.span(),
                        format!("`{code}` is not a valid local-government code"),
                        &hint,
                    );
                }
                if !self.unique(&mut seen, &f.file, "area code", &a.code) {
                    continue;
                }
                let kana = a.kana.get_ref();
                if kana.is_empty()
                    || !kana
                        .chars()
                        .all(|c| matches!(c, 'ぁ'..='ゖ' | 'ー' | 'ゝ' | 'ゞ'))
                {
                    self.error(
                        &f.file,
                        a.kana.span(),
                        format!("reading `{kana}` is not hiragana"),
                        "write the reading of the Japanese name in hiragana, e.g. kana = \"こうほくく\"",
                    );
                }
                if valid_code {
                    self.against_national_table(&f.file, a);
                }
                let area = Area {
                    code: AreaCode(code.clone()),
                    kind: *a.kind.get_ref(),
                    name: self.name(&f.file, "name", &a.name),
                    kana: kana.clone(),
                    parent: a.parent.as_ref().map(|p| AreaCode(p.get_ref().clone())),
                    provenance: self.provenance(&f.file, &a.source, &a.as_of, None),
                };
                areas.push((area, f, a.code.span()));
            }
        }
        // Parents: must exist and be of the right kind.
        let kinds: BTreeMap<AreaCode, AreaKind> = areas
            .iter()
            .map(|(a, _, _)| (a.code.clone(), a.kind))
            .collect();
        self.area_parents(inputs, &kinds);
        let mut areas: Vec<Area> = areas.into_iter().map(|(a, _, _)| a).collect();
        areas.sort_by(|a, b| a.code.cmp(&b.code));
        areas
    }

    /// Warns where an area's Japanese name, reading, kind or parent differs
    /// from the national area table's (a hand-typed reading, most often). An
    /// area the table lacks (new since, or synthetic) is not compared.
    fn against_national_table(&mut self, file: &SourceText, a: &crate::load::RawArea) {
        let Some(known) = japan::table().by_code(a.code.get_ref()) else {
            return;
        };
        let parent = a.parent.as_ref().map(|p| p.get_ref().as_str());
        let name = a.name.get_ref().ja.as_deref();
        let differences = [
            (
                "name",
                name.is_some_and(|n| n != known.name),
                a.name.span(),
                known.name,
            ),
            (
                "reading",
                a.kana.get_ref() != known.kana,
                a.kana.span(),
                known.kana,
            ),
            (
                "kind",
                *a.kind.get_ref() != known.kind,
                a.kind.span(),
                known.kind.key(),
            ),
            (
                "parent",
                parent != known.parent,
                a.parent.as_ref().map_or(a.code.span(), |p| p.span()),
                known.parent.unwrap_or("none"),
            ),
        ];
        for (what, differs, span, table_value) in differences {
            if !differs {
                continue;
            }
            let line = self.line(file, span.start);
            self.warnings.push(
                Diagnostic::at_line(
                    &file.path,
                    &file.text,
                    line,
                    span,
                    format!(
                        "area `{}`: the national area table has {what} `{table_value}` (source {}, as of {})",
                        known.code, known.source, known.as_of
                    ),
                )
                .hint("check the value against a public source and correct whichever is wrong")
                .warning(),
            );
        }
    }

    /// Each area's parent must exist and be of the right kind: none for a
    /// prefecture, a designated city for a ward, a prefecture otherwise.
    fn area_parents(&mut self, inputs: &Inputs, kinds: &BTreeMap<AreaCode, AreaKind>) {
        for f in &inputs.areas {
            for a in &f.value.area {
                let kind = *a.kind.get_ref();
                let wanted = match kind {
                    AreaKind::Prefecture => None,
                    AreaKind::Ward => Some(AreaKind::DesignatedCity),
                    _ => Some(AreaKind::Prefecture),
                };
                match (&a.parent, wanted) {
                    (Some(p), None) => self.error(
                        &f.file,
                        p.span(),
                        "a prefecture has no parent",
                        "remove `parent`",
                    ),
                    (None, Some(w)) => self.error(
                        &f.file,
                        a.code.span(),
                        format!("area `{}` needs a `parent` ({w:?} code)", a.code.get_ref()),
                        "municipalities name their prefecture, wards their designated city",
                    ),
                    (Some(p), Some(w)) => match kinds.get(&AreaCode(p.get_ref().clone())) {
                        None => self.error(
                            &f.file,
                            p.span(),
                            format!("parent area `{}` does not exist", p.get_ref()),
                            "add the parent to data/areas/ or fix the code",
                        ),
                        Some(k) if *k != w => self.error(
                            &f.file,
                            p.span(),
                            format!(
                                "parent `{}` is a {k:?}, but a {kind:?} belongs to a {w:?}",
                                p.get_ref()
                            ),
                            "",
                        ),
                        Some(_) => {}
                    },
                    (None, None) => {}
                }
            }
        }
    }

    /// An area code that must exist in data/areas/.
    pub(super) fn area_ref(
        &mut self,
        file: &crate::load::SourceText,
        raw: &crate::load::Spanned<String>,
        areas: &[Area],
    ) -> AreaCode {
        let code = AreaCode(raw.get_ref().clone());
        if areas.binary_search_by(|a| a.code.cmp(&code)).is_err() {
            self.error(
                file,
                raw.span(),
                format!("area `{code}` does not exist"),
                "use a code from data/areas/ (6 digits with check digit), or add the area there",
            );
        }
        code
    }

    pub(super) fn hubs(&mut self, inputs: &Inputs, areas: &[Area]) -> Vec<Hub> {
        let mut seen = BTreeMap::new();
        let mut covered: BTreeMap<AreaCode, String> = BTreeMap::new();
        let mut hubs = Vec::new();
        for f in &inputs.hubs {
            for h in &f.value.hub {
                if let Err(msg) = super::ids::check_id(h.id.get_ref()) {
                    self.error(
                        &f.file,
                        h.id.span(),
                        format!("hub {msg}"),
                        "it becomes the page URL and the flyer's file name, e.g. id = \"yokohama-tsurumi\"",
                    );
                }
                if !self.unique(&mut seen, &f.file, "hub id", &h.id) {
                    continue;
                }
                let mut codes = Vec::new();
                for a in h.areas.get_ref() {
                    let code = self.area_ref(&f.file, a, areas);
                    if let Some(other) = covered.get(&code) {
                        self.error(
                            &f.file,
                            a.span(),
                            format!("area `{code}` is already covered by hub `{other}`"),
                            "each area is covered by at most one hub",
                        );
                    } else {
                        covered.insert(code.clone(), h.id.get_ref().clone());
                    }
                    codes.push(code);
                }
                let c = &h.contact;
                for phone in [&c.phone, &c.fax].into_iter().flatten() {
                    if let Err(msg) = check_phone(phone.get_ref()) {
                        self.error(
                            &f.file,
                            phone.span(),
                            msg,
                            "write it as in the source, e.g. 045-123-4567",
                        );
                    }
                }
                if let Some(email) = &c.email
                    && let Err(msg) = check_email(email.get_ref())
                {
                    self.error(
                        &f.file,
                        email.span(),
                        msg,
                        "write one address, e.g. info@example.org",
                    );
                }
                if let Some(url) = &c.form_url
                    && let Err(msg) = check_url(url.get_ref())
                {
                    self.error(&f.file, url.span(), msg, "write an absolute https:// URL");
                }
                hubs.push(Hub {
                    id: HubId(h.id.get_ref().clone()),
                    name: self.name(&f.file, "name", &h.name),
                    areas: codes,
                    started: h.started.as_ref().map(|d| self.date(&f.file, d)),
                    setting: self.opt_text(&f.file, "setting", &h.setting),
                    staff: self.opt_text(&f.file, "staff", &h.staff),
                    operator: self.opt_text(&f.file, "operator", &h.operator),
                    address: self.opt_text(&f.file, "address", &h.address),
                    ask_instead: self.opt_text(&f.file, "ask_instead", &h.ask_instead),
                    contact: Contact {
                        phone: c.phone.as_ref().map(|p| p.get_ref().clone()),
                        fax: c.fax.as_ref().map(|p| p.get_ref().clone()),
                        email: c.email.as_ref().map(|p| p.get_ref().clone()),
                        form_url: c.form_url.as_ref().map(|p| p.get_ref().clone()),
                        hours: self.opt_text(&f.file, "contact.hours", &c.hours),
                        provenance: self.contact_provenance(&f.file, c),
                    },
                    provenance: self.provenance(
                        &f.file,
                        &h.source,
                        &h.as_of,
                        Some(&h.last_verified),
                    ),
                    origin: self.origin(&f.file, h.id.span()),
                });
            }
        }
        hubs.sort_by(|a, b| a.id.cmp(&b.id));
        hubs
    }

    pub(super) fn councils(&mut self, inputs: &Inputs, areas: &[Area]) -> Vec<Council> {
        let mut councils = Vec::new();
        let find = |code: &AreaCode| areas.iter().find(|a| &a.code == code);
        for f in &inputs.councils {
            let raw = &f.value;
            let prefecture = self.area_ref(&f.file, &raw.prefecture, areas);
            if find(&prefecture).is_some_and(|a| a.kind != AreaKind::Prefecture) {
                self.error(
                    &f.file,
                    raw.prefecture.span(),
                    format!("`{prefecture}` is not a prefecture"),
                    "",
                );
            }
            let statuses = self.council_statuses(&f.file, raw, &prefecture, areas);
            let mut published_totals: Vec<PublishedTotal> = raw
                .published_total
                .iter()
                .map(|t| PublishedTotal {
                    alone: t.alone,
                    joint: t.joint,
                    not_set: t.not_set,
                    provenance: self.provenance(&f.file, &t.source, &t.as_of, None),
                })
                .collect();
            published_totals.sort_by_key(|t| t.provenance.as_of);
            let tiles = self.council_tiles(&f.file, raw, &prefecture, areas);
            let boundaries = self.council_boundaries(inputs, &prefecture);
            councils.push(Council {
                prefecture,
                statuses,
                published_totals,
                boundaries,
                tiles,
                origin: self.origin(&f.file, raw.prefecture.span()),
            });
        }
        for b in &inputs.boundaries {
            let stem = b.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if !councils.iter().any(|c| c.prefecture.as_str() == stem) {
                self.error(
                    b,
                    0..0,
                    format!("no council file (data/councils/*.toml) has prefecture `{stem}`"),
                    "name boundary files data/boundaries/<6-digit prefecture code>.geojson, e.g. 110001.geojson",
                );
            }
        }
        councils.sort_by(|a, b| a.prefecture.cmp(&b.prefecture));
        councils
    }

    /// A council file's statuses, each of a municipality of `prefecture`
    /// and at most one per area and date; sorted by area and date.
    fn council_statuses(
        &mut self,
        file: &SourceText,
        raw: &RawCouncilFile,
        prefecture: &AreaCode,
        areas: &[Area],
    ) -> Vec<StatusEntry> {
        let find = |code: &AreaCode| areas.iter().find(|a| &a.code == code);
        let mut statuses = Vec::new();
        let mut seen_dates = BTreeMap::new();
        for s in &raw.status {
            let area = self.area_ref(file, &s.area, areas);
            if let Some(a) = find(&area) {
                let in_pref = a.parent.as_ref() == Some(prefecture);
                if !in_pref || a.kind == AreaKind::Ward {
                    self.error(
                        file,
                        s.area.span(),
                        format!("`{area}` is not a municipality of prefecture `{prefecture}`"),
                        "list the prefecture's cities, towns and villages (not wards)",
                    );
                }
            }
            let key = format!("{}@{}", s.area.get_ref(), s.as_of.get_ref());
            if seen_dates.insert(key, ()).is_some() {
                self.error(
                    file,
                    s.area.span(),
                    format!("`{area}` has two statuses as of {}", s.as_of.get_ref()),
                    "keep one entry per area and date",
                );
            }
            let partners = s
                .partners
                .iter()
                .map(|p| self.area_ref(file, p, areas))
                .collect();
            statuses.push(StatusEntry {
                area,
                status: s.status,
                partners,
                provenance: self.provenance(file, &s.source, &s.as_of, None),
            });
        }
        statuses.sort_by(|a, b| (&a.area, a.provenance.as_of).cmp(&(&b.area, b.provenance.as_of)));
        statuses
    }

    /// A council file's map tiles: one per municipality of `prefecture`,
    /// each in a cell of its own.
    fn council_tiles(
        &mut self,
        file: &SourceText,
        raw: &RawCouncilFile,
        prefecture: &AreaCode,
        areas: &[Area],
    ) -> Vec<Tile> {
        let find = |code: &AreaCode| areas.iter().find(|a| &a.code == code);
        let mut tiles: Vec<Tile> = Vec::new();
        for t in &raw.tile {
            let area = self.area_ref(file, &t.area, areas);
            if find(&area)
                .is_some_and(|a| a.parent.as_ref() != Some(prefecture) || a.kind == AreaKind::Ward)
            {
                self.error(
                    file,
                    t.area.span(),
                    format!("tile `{area}` is not a municipality of prefecture `{prefecture}`"),
                    "give one tile per city, town and village (not per ward)",
                );
            }
            let (row, col) = (*t.row.get_ref(), *t.col.get_ref());
            if row == 0 || col == 0 {
                self.error(file, t.row.span(), "tile rows and columns start at 1", "");
            }
            if tiles.iter().any(|o| o.area == area) {
                self.error(
                    file,
                    t.area.span(),
                    format!("`{area}` has two tiles"),
                    "keep one tile per municipality",
                );
            } else if let Some(o) = tiles.iter().find(|o| (o.row, o.col) == (row, col)) {
                self.error(
                    file,
                    t.row.span(),
                    format!("`{area}` and `{}` are both at row {row}, col {col}", o.area),
                    "move one of the tiles to a free cell",
                );
            }
            tiles.push(Tile {
                area,
                row,
                col,
                line: self.origin(file, t.area.span()).line,
            });
        }
        tiles
    }

    /// The prefecture's N03 boundaries, when the project has a file of
    /// them and it parses.
    fn council_boundaries(&mut self, inputs: &Inputs, prefecture: &AreaCode) -> Option<Boundaries> {
        let boundary_path = format!("data/boundaries/{prefecture}.geojson");
        inputs
        .boundaries
        .iter()
        .find(|b| b.path == std::path::Path::new(&boundary_path))
        .and_then(|b| match super::boundaries::parse_n03(&b.text) {
            Ok(features) => Some(Boundaries {
                file: b.path.clone(),
                features,
            }),
            Err(e) => {
                let at: usize = b
                    .text
                    .split_inclusive('\n')
                    .take(e.line.saturating_sub(1))
                    .map(str::len)
                    .sum::<usize>()
                    + e.col.saturating_sub(1);
                let at = at.min(b.text.len());
                self.error(
                    b,
                    at..at,
                    e.message,
                    "use the N03 GeoJSON of 国土数値情報（行政区域）: a FeatureCollection of Polygon/MultiPolygon features with N03_007 codes",
                );
                None
            }
        })
    }

    pub(super) fn aggregates(
        &mut self,
        inputs: &Inputs,
        areas: &[Area],
    ) -> Vec<CoordinatorAggregate> {
        let mut seen = BTreeMap::new();
        let mut out = Vec::new();
        for f in &inputs.coordinators {
            for a in &f.value.aggregate {
                if !self.unique(&mut seen, &f.file, "aggregate id", &a.id) {
                    continue;
                }
                let mut breakdowns = Vec::new();
                for b in &a.breakdown {
                    let sum: u32 = b.row.iter().map(|r| r.count).sum();
                    if sum != *a.total.get_ref() {
                        self.error(
                            &f.file,
                            b.dimension.span(),
                            format!(
                                "the {:?} rows add up to {sum}, but total is {}",
                                b.dimension.get_ref(),
                                a.total.get_ref()
                            ),
                            "check each count against the source",
                        );
                    }
                    let rows = b
                        .row
                        .iter()
                        .map(|r| CountRow {
                            label: self.text(&f.file, "label", &r.label),
                            count: r.count,
                        })
                        .collect();
                    breakdowns.push(Breakdown {
                        dimension: *b.dimension.get_ref(),
                        rows,
                    });
                }
                out.push(CoordinatorAggregate {
                    id: a.id.get_ref().clone(),
                    scope: self.area_ref(&f.file, &a.scope, areas),
                    title: self.text(&f.file, "title", &a.title),
                    total: *a.total.get_ref(),
                    note: self.opt_text(&f.file, "note", &a.note),
                    breakdowns,
                    provenance: self.provenance(&f.file, &a.source, &a.as_of, None),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    pub(super) fn glossary(&mut self, inputs: &Inputs) -> Vec<Term> {
        let mut seen = BTreeMap::new();
        let mut out = Vec::new();
        for f in &inputs.glossary {
            for t in &f.value.term {
                if !self.unique(&mut seen, &f.file, "term id", &t.id) {
                    continue;
                }
                out.push(Term {
                    id: t.id.get_ref().clone(),
                    term: self.name(&f.file, "term", &t.term),
                    kana: t.kana.get_ref().clone(),
                    definition: self.opt_text(&f.file, "definition", &t.definition),
                    provenance: self.provenance(&f.file, &t.source, &t.as_of, None),
                });
            }
        }
        out.sort_by(|a, b| a.kana.cmp(&b.kana));
        out
    }
}
