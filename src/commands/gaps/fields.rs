//! What the gap workbook asks for: per sheet, the values a record may lack,
//! where each lives in the data file, and how a filled-in value is checked.

use crate::features::registry::col;
use crate::lang::Text;
use crate::model::{AgeGroup, AreaCode, Capability, CareNeed, CouncilStatus, Provenance, Site};
use std::path::PathBuf;

/// A sheet of the workbook: one kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    Hubs,
    Providers,
    Councils,
}

impl Sheet {
    pub const ALL: [Sheet; 3] = [Sheet::Hubs, Sheet::Providers, Sheet::Councils];

    pub fn name(self) -> &'static str {
        match self {
            Sheet::Hubs => "hubs",
            Sheet::Providers => "providers",
            Sheet::Councils => "councils",
        }
    }

    /// The read-only columns that say which record a row is: the key first.
    pub fn context(self) -> [&'static str; 3] {
        match self {
            Sheet::Hubs => [col::ID, col::NAME, col::HUB_AREA_NAMES],
            Sheet::Providers => [col::ID, col::NAME, col::AREA_NAMES],
            Sheet::Councils => [col::LG_CODE, col::LG_NAME, PREFECTURE],
        }
    }

    /// The values the sheet asks for.
    pub fn fields(self) -> Vec<Field> {
        let f = |column, path: &[&'static str], check| Field {
            column,
            path: path.to_vec(),
            check,
        };
        let contact = || {
            vec![
                f(col::PHONE, &["contact", "phone"], Check::Phone),
                f(col::FAX, &["contact", "fax"], Check::Phone),
                f(col::EMAIL, &["contact", "email"], Check::Email),
                f(col::FORM, &["contact", "form_url"], Check::Url),
                f(col::HOURS, &["contact", "hours", "ja"], Check::Text),
                f(col::HOURS_EN, &["contact", "hours", "en"], Check::Text),
            ]
        };
        match self {
            Sheet::Hubs => {
                let mut v = contact();
                v.extend([
                    f(col::OPERATOR, &["operator", "ja"], Check::Text),
                    f(col::OPERATOR_EN, &["operator", "en"], Check::Text),
                    f(col::ADDRESS, &["address", "ja"], Check::Text),
                    f(col::ADDRESS_EN, &["address", "en"], Check::Text),
                ]);
                v
            }
            Sheet::Providers => {
                let mut v = vec![f(col::KANA, &["kana"], Check::Katakana)];
                v.extend(contact());
                v.extend([
                    f(col::ADDRESS, &["address", "ja"], Check::Text),
                    f(col::ADDRESS_EN, &["address", "en"], Check::Text),
                ]);
                v.extend(AgeGroup::ALL.map(|g| f(col::age(g), &["ages", g.key()], Check::YesNo)));
                v.extend(CareNeed::ALL.map(|n| f(col::care(n), &["care", n.key()], Check::YesNo)));
                v
            }
            Sheet::Councils => vec![f(STATUS, &["status"], Check::Status)],
        }
    }
}

/// Column of a council's status (`alone`, `joint`, `not_set`).
pub const STATUS: &str = "設置状況";
/// Column of a council's prefecture (context).
pub const PREFECTURE: &str = "都道府県";
/// Columns every sheet ends with: the source of the filled-in values and
/// the date they hold.
pub const SOURCE: &str = col::SOURCE;
pub const AS_OF: &str = col::AS_OF;
/// The statuses a council may be given (unknown is what the gap is).
pub const STATUSES: [CouncilStatus; 3] = [
    CouncilStatus::Alone,
    CouncilStatus::Joint,
    CouncilStatus::NotSet,
];

/// One value a record may lack.
#[derive(Debug, Clone)]
pub struct Field {
    /// The column heading (the open-data column name).
    pub column: &'static str,
    /// Where it lives in the record: `["contact", "phone"]`; a bilingual
    /// text is two fields ending in `ja` and `en`.
    pub path: Vec<&'static str>,
    pub check: Check,
}

/// How a filled-in value is checked (the checks of validate and import).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Phone,
    Email,
    Url,
    Katakana,
    Text,
    YesNo,
    Status,
}

/// One record with a gap: its key, context cells, the current value of
/// each field (`None` = unknown) and the data file it lives in.
pub struct GapRow {
    pub context: [String; 3],
    pub values: Vec<Option<String>>,
    pub file: PathBuf,
    /// The record's source and as-of (a council status: the entry's).
    pub provenance: (String, String),
    /// A hub contact's own source and as-of, and whether the contact holds
    /// any value (from the record's source, when it has no own).
    pub contact: (Option<(String, String)>, bool),
}

impl GapRow {
    pub fn key(&self) -> &str {
        &self.context[0]
    }
}

/// The records of a sheet that lack at least one value, limited to those
/// serving `area` (or an area inside it) when given.
pub fn rows(site: &Site, sheet: Sheet, area: Option<&AreaCode>) -> Vec<GapRow> {
    let mut out = records(site, sheet, area);
    out.retain(|r| r.values.iter().any(Option::is_none));
    out
}

/// Every record of a sheet, gaps or not (a workbook may come back after
/// someone else filled a value in).
pub fn all_rows(site: &Site, sheet: Sheet) -> Vec<GapRow> {
    records(site, sheet, None)
}

fn records(site: &Site, sheet: Sheet, area: Option<&AreaCode>) -> Vec<GapRow> {
    let in_area = |codes: &[AreaCode]| {
        area.is_none_or(|a| {
            codes
                .iter()
                .any(|c| c == a || site.area(c).and_then(|x| x.parent.as_ref()) == Some(a))
        })
    };
    let names = |codes: &[AreaCode]| {
        codes
            .iter()
            .map(|c| {
                site.area(c)
                    .map_or(c.as_str().to_string(), |a| a.name.ja.clone())
            })
            .collect::<Vec<_>>()
            .join(";")
    };
    let pair = |t: &Option<Text>| {
        [
            t.as_ref().map(|t| t.ja.clone()),
            t.as_ref().map(|t| t.en.clone()),
        ]
    };
    let prov = |p: &Provenance| (p.source.to_string(), p.as_of.to_string());
    let cap = |c: Capability| (c != Capability::Unknown).then(|| c.key().to_string());
    let mut out = Vec::new();
    match sheet {
        Sheet::Hubs => {
            for h in site.hubs.iter().filter(|h| in_area(&h.areas)) {
                let c = &h.contact;
                let mut values = vec![
                    c.phone.clone(),
                    c.fax.clone(),
                    c.email.clone(),
                    c.form_url.clone(),
                ];
                values.extend(pair(&c.hours));
                values.extend(pair(&h.operator));
                values.extend(pair(&h.address));
                out.push(GapRow {
                    context: [h.id.to_string(), h.name.ja.clone(), names(&h.areas)],
                    values,
                    file: h.origin.file.clone(),
                    provenance: prov(&h.provenance),
                    contact: (
                        c.provenance.as_ref().map(prov),
                        !c.is_unknown() || c.hours.is_some(),
                    ),
                });
            }
        }
        Sheet::Providers => {
            for p in site.providers.iter().filter(|p| in_area(&p.areas)) {
                let c = &p.contact;
                let mut values = vec![
                    p.kana.clone(),
                    c.phone.clone(),
                    c.fax.clone(),
                    c.email.clone(),
                    c.form_url.clone(),
                ];
                values.extend(pair(&c.hours));
                values.extend(pair(&p.address));
                values.extend(AgeGroup::ALL.map(|g| {
                    p.ages
                        .iter()
                        .find(|(a, _)| *a == g)
                        .and_then(|(_, c)| cap(*c))
                }));
                values.extend(CareNeed::ALL.map(|n| {
                    p.care
                        .iter()
                        .find(|(a, _)| *a == n)
                        .and_then(|(_, c)| cap(*c))
                }));
                out.push(GapRow {
                    context: [p.id.to_string(), p.name.ja.clone(), names(&p.areas)],
                    values,
                    file: p.file.clone(),
                    provenance: prov(&p.provenance),
                    contact: (None, true),
                });
            }
        }
        Sheet::Councils => {
            for council in &site.councils {
                let pref = site
                    .area(&council.prefecture)
                    .map_or(String::new(), |a| a.name.ja.clone());
                for s in council.latest() {
                    if !in_area(std::slice::from_ref(&s.area)) {
                        continue;
                    }
                    let known =
                        (s.status != CouncilStatus::Unknown).then(|| s.status.key().to_string());
                    out.push(GapRow {
                        context: [
                            s.area.to_string(),
                            site.area(&s.area)
                                .map_or(String::new(), |a| a.name.ja.clone()),
                            pref.clone(),
                        ],
                        values: vec![known],
                        file: council.origin.file.clone(),
                        provenance: prov(&s.provenance),
                        contact: (None, false),
                    });
                }
            }
        }
    }
    out
}
