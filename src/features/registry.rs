//! The registry (資源の台帳): providers that serve children and adults who need
//! medical care, the coordinator hubs, and coordinators.
//!
//! Pages (both languages): the registry index with a care-needs filter (static
//! links per need, enhanced by `assets/registry.js`), one page per provider,
//! lists by kind and by care need, and the providers of each area on the area
//! pages. Open data: `hubs`, `providers`, `coordinator-aggregates` (and
//! `coordinators` when someone consented to be listed). The column names are
//! shared with `tsunagu import` ([`crate::commands::import`]), so an exported CSV can be
//! edited in Excel and imported back.
//!
//! Private records and fields never get here: `validate` drops them.

use crate::lang::{Lang, Text, opt};
use crate::model::*;
use crate::render::dataset::{Column, ColumnKind, Dataset, RowMemo, Rows};
use crate::render::links::{ContactCtx, LinkCtx, area_key, area_link, full_name, sorted};
use crate::render::{
    Fill, PageDef, PageSet, ProvenanceCtx, debug_hash, page_path, provenance, push_provenance, ui,
};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use tera::Context;

/// Key of the registry index page.
pub const KEY: &str = "registry";

/// UI strings the registry uses; [`strings`] lists them for validate.
pub const STRINGS: &[&str] = &[
    "registry_title",
    "registry_intro",
    "registry_legend",
    "registry_by_care",
    "registry_by_kind",
    "registry_by_area",
    "registry_by_prefecture",
    "registry_by_prefecture_note",
    "registry_all",
    "registry_filter_legend",
    "registry_filter_unknown",
    "registry_filter_hint",
    "registry_filter_status",
    "registry_empty",
    "registry_care_yes_heading",
    "registry_care_unknown_heading",
    "registry_care_no_heading",
    "registry_care_none_yes",
    "registry_care_unknown_note",
    "registry_care_title",
    "registry_kind_title",
    "registry_ages",
    "registry_care_heading",
    "registry_kind",
    "registry_areas_served",
    "registry_role",
    "registry_note",
    "registry_kana",
    "registry_postcode",
    "registry_url",
    "registry_serves_all_of",
    "registry_coordinators",
    "registry_profession",
    "registry_affiliation",
    "registry_training_year",
    "registry_open_data",
    "registry_providers_link",
    "registry_contact_unknown_detail",
    "cap_yes",
    "cap_no",
    "cap_unknown",
];

/// Every UI string the registry needs (the kind, care and age labels too),
/// for validate to require in both languages.
pub fn strings() -> Vec<String> {
    let mut keys: Vec<String> = STRINGS.iter().map(|k| (*k).to_string()).collect();
    keys.extend(ProviderKind::ALL.iter().map(|k| kind_string(*k)));
    keys.extend(CareNeed::ALL.iter().map(|n| care_string(*n)));
    keys.extend(AgeGroup::ALL.iter().map(|g| format!("age_{}", g.key())));
    keys
}

/// The UI string naming a provider kind.
fn kind_string(kind: ProviderKind) -> String {
    format!("provider_kind_{}", kind.key())
}

/// The UI string naming a care need.
fn care_string(need: CareNeed) -> String {
    format!("care_{}", need.key())
}

// ------------------------------------------------------------------ columns

/// CSV column names shared by export and import.
pub mod col {
    pub const LG_CODE: &str = "全国地方公共団体コード";
    pub const ID: &str = "ID";
    pub const LG_NAME: &str = "地方公共団体名";
    pub const NAME: &str = "名称";
    pub const KANA: &str = "名称_カナ";
    pub const NAME_EN: &str = "名称_英字";
    pub const KIND: &str = "種別";
    pub const KIND_NAME: &str = "種別名";
    pub const AREAS: &str = "対象区域コード";
    pub const AREA_NAMES: &str = "対象区域名";
    pub const HUB_AREAS: &str = "担当区域コード";
    pub const HUB_AREA_NAMES: &str = "担当区域名";
    pub const OPERATOR: &str = "運営者";
    pub const OPERATOR_EN: &str = "運営者_英字";
    pub const ROLE: &str = "役割";
    pub const ROLE_EN: &str = "役割_英字";
    pub const POSTCODE: &str = "郵便番号";
    pub const ADDRESS: &str = "所在地_連結表記";
    pub const ADDRESS_EN: &str = "所在地_英字";
    pub const LAT: &str = "緯度";
    pub const LON: &str = "経度";
    pub const PHONE: &str = "電話番号";
    pub const FAX: &str = "FAX番号";
    pub const EMAIL: &str = "連絡先メールアドレス";
    pub const FORM: &str = "連絡先FormURL";
    pub const HOURS: &str = "利用可能日時特記事項";
    pub const HOURS_EN: &str = "利用可能日時特記事項_英字";
    pub const URL: &str = "URL";
    pub const STARTED: &str = "業務開始日";
    pub const SETTING: &str = "設置場所";
    pub const SETTING_EN: &str = "設置場所_英字";
    pub const STAFF: &str = "職員";
    pub const STAFF_EN: &str = "職員_英字";
    pub const ASK: &str = "代わりの相談先";
    pub const ASK_EN: &str = "代わりの相談先_英字";
    pub const NOTE: &str = "備考";
    pub const NOTE_EN: &str = "備考_英字";
    pub const SOURCE: &str = "出典";
    pub const AS_OF: &str = "時点";
    pub const VERIFIED: &str = "情報確認日";

    use crate::model::{AgeGroup, CareNeed};

    /// The yes/no/empty column of a care need.
    pub fn care(need: CareNeed) -> &'static str {
        match need {
            CareNeed::Ventilator => "医療的ケア_人工呼吸器",
            CareNeed::Tracheostomy => "医療的ケア_気管切開",
            CareNeed::Oxygen => "医療的ケア_酸素療法",
            CareNeed::Suction => "医療的ケア_吸引",
            CareNeed::Nebulizer => "医療的ケア_ネブライザー",
            CareNeed::TubeFeeding => "医療的ケア_経管栄養",
            CareNeed::CentralVenousCatheter => "医療的ケア_中心静脈カテーテル",
            CareNeed::Injection => "医療的ケア_注射",
            CareNeed::BloodGlucose => "医療的ケア_血糖測定",
            CareNeed::Dialysis => "医療的ケア_透析",
            CareNeed::UrinaryCatheter => "医療的ケア_導尿",
            CareNeed::BowelManagement => "医療的ケア_排便管理",
            CareNeed::Seizure => "医療的ケア_発作時の対応",
        }
    }

    /// The yes/no/empty column of an age group.
    pub fn age(group: AgeGroup) -> &'static str {
        match group {
            AgeGroup::Preschool => "対象_未就学児",
            AgeGroup::SchoolAge => "対象_就学児",
            AgeGroup::Adult => "対象_18歳以上",
        }
    }
}

/// How a capability is written in CSV: `yes`, `no`, or empty (unknown).
fn cap_cell(c: Capability) -> &'static str {
    match c {
        Capability::Yes => "yes",
        Capability::No => "no",
        Capability::Unknown => "",
    }
}

/// Columns computed from other data; import accepts and ignores them.
pub const DERIVED: &[&str] = &[
    col::LG_CODE,
    col::LG_NAME,
    col::KIND_NAME,
    col::AREA_NAMES,
    col::HUB_AREA_NAMES,
];

fn c(name: &'static str, kind: ColumnKind, ja: &str, en: &str) -> Column {
    Column {
        name,
        kind,
        about: Text {
            ja: ja.into(),
            en: en.into(),
        },
    }
}

fn lg_columns() -> Vec<Column> {
    vec![
        c(
            col::LG_CODE,
            ColumnKind::AreaCode,
            "記録が属する地方公共団体（対象区域が1つの市区町村に収まるときはその市区町村、1つの都道府県に収まるときはその都道府県）。対象区域から計算します。",
            "The local government the record belongs to (the municipality when all areas served are in one, else the prefecture). Computed from the areas.",
        ),
        c(
            col::ID,
            ColumnKind::Text,
            "このサイトでの識別子（ページのURLにもなります）",
            "Identifier on this site (also the page URL)",
        ),
        c(
            col::LG_NAME,
            ColumnKind::Text,
            "全国地方公共団体コードの団体名",
            "Name of that local government",
        ),
    ]
}

fn contact_columns() -> Vec<Column> {
    vec![
        c(col::PHONE, ColumnKind::Phone, "電話番号", "Phone number"),
        c(col::FAX, ColumnKind::Phone, "FAX番号", "Fax number"),
        c(
            col::EMAIL,
            ColumnKind::Email,
            "メールアドレス",
            "E-mail address",
        ),
        c(
            col::FORM,
            ColumnKind::Url,
            "問い合わせフォームのURL",
            "URL of the contact form",
        ),
        c(
            col::HOURS,
            ColumnKind::Text,
            "受付時間など（日本語）",
            "Opening hours and similar (Japanese)",
        ),
        c(
            col::HOURS_EN,
            ColumnKind::Text,
            "受付時間など（英語）",
            "Opening hours and similar (English)",
        ),
    ]
}

fn provenance_columns() -> Vec<Column> {
    vec![
        c(
            col::SOURCE,
            ColumnKind::Text,
            "出典の資料のID（出典の一覧を参照）",
            "Id of the source document (see the sources page)",
        ),
        c(
            col::AS_OF,
            ColumnKind::Date,
            "資料が示す時点",
            "The date the source says the facts hold",
        ),
        c(
            col::VERIFIED,
            ColumnKind::Date,
            "情報確認日：最後に資料と照合した日",
            "Last verified: when the record was last checked against its source",
        ),
    ]
}

fn t(text: &Option<Text>, lang: Lang) -> String {
    text.as_ref()
        .map(|x| x.str(lang).to_string())
        .unwrap_or_default()
}

fn o(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// The local government a set of areas belongs to: their common
/// municipality (a ward counts as its city), else their common prefecture.
pub fn owning_area<'a>(site: &'a Site, codes: &[AreaCode]) -> Option<&'a Area> {
    let areas: Vec<&Area> = codes.iter().filter_map(|c| site.area(c)).collect();
    let municipality = |a: &'a Area| -> &'a Area {
        match a.kind {
            AreaKind::Ward => a.parent.as_ref().and_then(|p| site.area(p)).unwrap_or(a),
            _ => a,
        }
    };
    let first = municipality(areas.first()?);
    if areas.iter().all(|a| municipality(a).code == first.code) {
        return Some(first);
    }
    let pref = site.prefecture_of(first);
    areas
        .iter()
        .all(|a| site.prefecture_of(a).code == pref.code)
        .then_some(pref)
}

fn lg_cells(site: &Site, id: &str, codes: &[AreaCode]) -> Vec<String> {
    let lg = owning_area(site, codes);
    vec![
        lg.map(|a| a.code.to_string()).unwrap_or_default(),
        id.to_string(),
        lg.map(|a| a.name.ja.clone()).unwrap_or_default(),
    ]
}

fn contact_cells(c: &Contact) -> Vec<String> {
    vec![
        o(&c.phone),
        o(&c.fax),
        o(&c.email),
        o(&c.form_url),
        t(&c.hours, Lang::Ja),
        t(&c.hours, Lang::En),
    ]
}

fn provenance_cells(p: &Provenance) -> Vec<String> {
    vec![
        p.source.to_string(),
        p.as_of.to_string(),
        p.last_verified.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

fn codes_cell(codes: &[AreaCode]) -> String {
    codes
        .iter()
        .map(AreaCode::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

fn names_cell(site: &Site, codes: &[AreaCode]) -> String {
    codes
        .iter()
        .filter_map(|c| site.area(c))
        .map(|a| full_name(site, a, Lang::Ja))
        .collect::<Vec<_>>()
        .join(";")
}

fn latest<'a>(dates: impl Iterator<Item = &'a Provenance>) -> (Option<Date>, Vec<SourceId>) {
    let mut as_of = None;
    let mut sources: Vec<SourceId> = Vec::new();
    for p in dates {
        as_of = as_of.max(Some(p.as_of));
        if !sources.contains(&p.source) {
            sources.push(p.source.clone());
        }
    }
    (as_of, sources)
}

/// Columns of the `hubs` dataset.
pub fn hub_columns() -> Vec<Column> {
    let mut cols = lg_columns();
    cols.extend([
        c(
            col::NAME,
            ColumnKind::Text,
            "名称（日本語）",
            "Name (Japanese)",
        ),
        c(
            col::NAME_EN,
            ColumnKind::Text,
            "名称（英語）",
            "Name (English)",
        ),
        c(
            col::HUB_AREAS,
            ColumnKind::Text,
            "担当区域の全国地方公共団体コード（6桁、複数は「;」区切り）",
            "Codes of the areas covered (6 digits, separated by “;”)",
        ),
        c(
            col::HUB_AREA_NAMES,
            ColumnKind::Text,
            "担当区域の名前（「;」区切り）",
            "Names of the areas covered (separated by “;”)",
        ),
        c(
            col::OPERATOR,
            ColumnKind::Text,
            "運営者（日本語）",
            "Operator (Japanese)",
        ),
        c(
            col::OPERATOR_EN,
            ColumnKind::Text,
            "運営者（英語）",
            "Operator (English)",
        ),
        c(
            col::ADDRESS,
            ColumnKind::Text,
            "所在地（日本語）",
            "Address (Japanese)",
        ),
        c(
            col::ADDRESS_EN,
            ColumnKind::Text,
            "所在地（英語）",
            "Address (English)",
        ),
    ]);
    cols.extend(contact_columns());
    cols.extend([
        c(
            col::STARTED,
            ColumnKind::Date,
            "業務開始日",
            "Date the hub started work",
        ),
        c(
            col::SETTING,
            ColumnKind::Text,
            "設置場所（資料の記述、日本語）",
            "Where the hub sits, as the source describes it (Japanese)",
        ),
        c(
            col::SETTING_EN,
            ColumnKind::Text,
            "設置場所（英語）",
            "Where the hub sits (English)",
        ),
        c(
            col::STAFF,
            ColumnKind::Text,
            "コーディネーター（資料の記述、日本語）",
            "Who the coordinators are, as the source describes them (Japanese)",
        ),
        c(
            col::STAFF_EN,
            ColumnKind::Text,
            "コーディネーター（英語）",
            "Who the coordinators are (English)",
        ),
        c(
            col::ASK,
            ColumnKind::Text,
            "連絡先が未掲載の間の相談先（日本語）",
            "Where to ask while the contact is not listed (Japanese)",
        ),
        c(
            col::ASK_EN,
            ColumnKind::Text,
            "代わりの相談先（英語）",
            "Where to ask instead (English)",
        ),
    ]);
    cols.extend(provenance_columns());
    cols
}

pub fn hub_row(site: &Site, h: &Hub) -> Vec<String> {
    let mut row = lg_cells(site, h.id.as_str(), &h.areas);
    row.extend([
        h.name.ja.clone(),
        h.name.en.clone(),
        codes_cell(&h.areas),
        names_cell(site, &h.areas),
        t(&h.operator, Lang::Ja),
        t(&h.operator, Lang::En),
        t(&h.address, Lang::Ja),
        t(&h.address, Lang::En),
    ]);
    row.extend(contact_cells(&h.contact));
    row.extend([
        h.started.map(|d| d.to_string()).unwrap_or_default(),
        t(&h.setting, Lang::Ja),
        t(&h.setting, Lang::En),
        t(&h.staff, Lang::Ja),
        t(&h.staff, Lang::En),
        t(&h.ask_instead, Lang::Ja),
        t(&h.ask_instead, Lang::En),
    ]);
    row.extend(provenance_cells(&h.provenance));
    row
}

/// Columns of the `providers` dataset.
pub fn provider_columns() -> Vec<Column> {
    let mut cols = lg_columns();
    cols.extend([
        c(col::NAME, ColumnKind::Text, "名称（日本語）", "Name (Japanese)"),
        c(col::KANA, ColumnKind::Text, "名称の読み（全角カタカナ）", "Reading of the Japanese name (full-width katakana)"),
        c(col::NAME_EN, ColumnKind::Text, "名称（英語）", "Name (English)"),
        c(
            col::KIND,
            ColumnKind::Text,
            "種別のコード（visiting_nursing, short_stay, child_development_support, after_school_day_service, nursery, hospital_clinic, consultation_support など）",
            "Kind code (visiting_nursing, short_stay, child_development_support, after_school_day_service, nursery, hospital_clinic, consultation_support, …)",
        ),
        c(col::KIND_NAME, ColumnKind::Text, "種別の名前", "Name of the kind"),
        c(col::AREAS, ColumnKind::Text, "対象区域の全国地方公共団体コード（6桁、複数は「;」区切り。都道府県・市のコードはその全域）", "Codes of the areas served (6 digits, separated by “;”; a prefecture or city code means all of it)"),
        c(col::AREA_NAMES, ColumnKind::Text, "対象区域の名前（「;」区切り）", "Names of the areas served (separated by “;”)"),
        c(col::OPERATOR, ColumnKind::Text, "運営者（日本語）", "Operator (Japanese)"),
        c(col::OPERATOR_EN, ColumnKind::Text, "運営者（英語）", "Operator (English)"),
        c(col::ROLE, ColumnKind::Text, "役割（資料の記述、日本語）", "Role, as the source describes it (Japanese)"),
        c(col::ROLE_EN, ColumnKind::Text, "役割（英語）", "Role (English)"),
        c(col::POSTCODE, ColumnKind::Text, "郵便番号（123-4567）", "Postcode (123-4567)"),
        c(col::ADDRESS, ColumnKind::Text, "所在地（日本語）", "Address (Japanese)"),
        c(col::ADDRESS_EN, ColumnKind::Text, "所在地（英語）", "Address (English)"),
        c(col::LAT, ColumnKind::Text, "緯度（世界測地系、10進数）", "Latitude (WGS 84, decimal degrees)"),
        c(col::LON, ColumnKind::Text, "経度（世界測地系、10進数）", "Longitude (WGS 84, decimal degrees)"),
    ]);
    cols.extend(contact_columns());
    cols.push(c(col::URL, ColumnKind::Url, "ウェブサイト", "Website"));
    for g in AgeGroup::ALL {
        cols.push(c(
            col::age(g),
            ColumnKind::YesNoUnknown,
            "この年齢の人を受け入れるか",
            "Whether it serves this age group",
        ));
    }
    for n in CareNeed::ALL {
        cols.push(c(
            col::care(n),
            ColumnKind::YesNoUnknown,
            "この医療的ケアに対応できるか（空欄は不明で、「できない」ではありません）",
            "Whether it can give this care (empty = unknown, which is not “no”)",
        ));
    }
    cols.extend([
        c(
            col::NOTE,
            ColumnKind::Text,
            "備考（日本語）",
            "Notes (Japanese)",
        ),
        c(
            col::NOTE_EN,
            ColumnKind::Text,
            "備考（英語）",
            "Notes (English)",
        ),
    ]);
    cols.extend(provenance_columns());
    cols
}

pub fn provider_row(site: &Site, p: &Provider) -> Vec<String> {
    let mut row = lg_cells(site, p.id.as_str(), &p.areas);
    row.extend([
        p.name.ja.clone(),
        o(&p.kana),
        p.name.en.clone(),
        p.kind.key().to_string(),
        ui(site, Lang::Ja, &kind_string(p.kind)),
        codes_cell(&p.areas),
        names_cell(site, &p.areas),
        t(&p.operator, Lang::Ja),
        t(&p.operator, Lang::En),
        t(&p.role, Lang::Ja),
        t(&p.role, Lang::En),
        o(&p.postcode),
        t(&p.address, Lang::Ja),
        t(&p.address, Lang::En),
        p.location.map(|l| l.0.to_string()).unwrap_or_default(),
        p.location.map(|l| l.1.to_string()).unwrap_or_default(),
    ]);
    row.extend(contact_cells(&p.contact));
    row.push(o(&p.url));
    for (_, cap) in &p.ages {
        row.push(cap_cell(*cap).into());
    }
    for (_, cap) in &p.care {
        row.push(cap_cell(*cap).into());
    }
    row.extend([t(&p.note, Lang::Ja), t(&p.note, Lang::En)]);
    row.extend(provenance_cells(&p.provenance));
    row
}

/// The registry's open-data datasets.
pub fn datasets<'a>(site: &'a Site, hashes: &ModelHashes) -> Vec<Dataset<'a>> {
    // What a provider's row reads besides the record: area names, sources
    // (in `rest`) and the UI strings naming its kind.
    let shared = debug_hash(&(hashes.rest, &site.strings));
    let row_memos: Vec<u64> = hashes
        .providers
        .iter()
        .map(|p| debug_hash(&(shared, p)))
        .collect();
    let mut out = Vec::new();
    if !site.hubs.is_empty() {
        let (as_of, sources) = latest(site.hubs.iter().map(|h| &h.provenance));
        out.push(Dataset {
            id: "hubs".into(),
            title: Text {
                ja: "医療的ケア児等コーディネーター拠点".into(),
                en: "Medical-care coordinator hubs".into(),
            },
            columns: hub_columns(),
            rows: Rows::Stored(site.hubs.iter().map(|h| hub_row(site, h)).collect()),
            as_of,
            sources,
        });
    }
    if !site.providers.is_empty() {
        let (as_of, sources) = latest(site.providers.iter().map(|p| &p.provenance));
        out.push(Dataset {
            id: "providers".into(),
            title: Text {
                ja: "医療的ケア児等の支援機関・事業所".into(),
                en: "Providers serving children who need medical care".into(),
            },
            columns: provider_columns(),
            rows: Rows::Made {
                len: site.providers.len(),
                row: Box::new(|i| provider_row(site, &site.providers[i])),
                memo: Box::new(move |i| RowMemo {
                    hash: row_memos[i],
                    starts_part: debug_hash(&site.providers[i].id).is_multiple_of(64),
                }),
            },
            as_of,
            sources,
        });
    }
    if !site.aggregates.is_empty() {
        let (as_of, sources) = latest(site.aggregates.iter().map(|a| &a.provenance));
        let mut rows = Vec::new();
        for a in &site.aggregates {
            let scope = site.area(&a.scope);
            for b in &a.breakdowns {
                for r in &b.rows {
                    rows.push(vec![
                        a.scope.to_string(),
                        a.id.clone(),
                        scope.map(|s| s.name.ja.clone()).unwrap_or_default(),
                        a.title.ja.clone(),
                        a.title.en.clone(),
                        b.dimension.key().to_string(),
                        r.label.ja.clone(),
                        r.label.en.clone(),
                        r.count.to_string(),
                        a.total.to_string(),
                        a.provenance.source.to_string(),
                        a.provenance.as_of.to_string(),
                    ]);
                }
            }
        }
        out.push(Dataset {
            id: "coordinator-aggregates".into(),
            title: Text { ja: "医療的ケア児等コーディネーター養成研修修了者数（集計）".into(), en: "People who completed medical-care coordinator training (aggregates)".into() },
            columns: vec![
                c(col::LG_CODE, ColumnKind::AreaCode, "集計の対象区域", "Area the counts cover"),
                c(col::ID, ColumnKind::Text, "集計のID", "Id of the aggregate"),
                c(col::LG_NAME, ColumnKind::Text, "対象区域の名前", "Name of that area"),
                c("集計名", ColumnKind::Text, "集計の名前（日本語）", "Title of the aggregate (Japanese)"),
                c("集計名_英字", ColumnKind::Text, "集計の名前（英語）", "Title of the aggregate (English)"),
                c("区分", ColumnKind::Text, "内訳の軸（profession 職種, affiliation 所属, area 地域, training_year 研修年度）", "Breakdown dimension (profession, affiliation, area, training_year)"),
                c("項目", ColumnKind::Text, "内訳の項目（日本語）", "Row label (Japanese)"),
                c("項目_英字", ColumnKind::Text, "内訳の項目（英語）", "Row label (English)"),
                c("人数", ColumnKind::Integer, "その項目の人数", "Number of people in that row"),
                c("合計", ColumnKind::Integer, "集計全体の人数", "Total of the aggregate"),
                c(col::SOURCE, ColumnKind::Text, "出典の資料のID", "Id of the source document"),
                c(col::AS_OF, ColumnKind::Date, "資料が示す時点", "The date the source says the counts hold"),
            ],
            rows: Rows::Stored(rows),
            as_of,
            sources,
        });
    }
    if !site.coordinators.is_empty() {
        let (as_of, sources) = latest(site.coordinators.iter().map(|c| &c.provenance));
        out.push(Dataset {
            id: "coordinators".into(),
            title: Text {
                ja: "医療的ケア児等コーディネーター（掲載に同意した方）".into(),
                en: "Medical-care coordinators (who agreed to be listed)".into(),
            },
            columns: vec![
                c(
                    col::LG_CODE,
                    ColumnKind::AreaCode,
                    "活動区域が属する地方公共団体",
                    "Local government of the areas worked in",
                ),
                c(
                    col::ID,
                    ColumnKind::Text,
                    "このサイトでの識別子",
                    "Identifier on this site",
                ),
                c(
                    col::LG_NAME,
                    ColumnKind::Text,
                    "地方公共団体名",
                    "Name of that local government",
                ),
                c(
                    "氏名",
                    ColumnKind::Text,
                    "氏名（日本語）",
                    "Name (Japanese)",
                ),
                c(
                    "氏名_英字",
                    ColumnKind::Text,
                    "氏名（英語表記）",
                    "Name (English)",
                ),
                c(
                    "職種",
                    ColumnKind::Text,
                    "職種（日本語）",
                    "Profession (Japanese)",
                ),
                c(
                    "職種_英字",
                    ColumnKind::Text,
                    "職種（英語）",
                    "Profession (English)",
                ),
                c(
                    "所属",
                    ColumnKind::Text,
                    "所属（日本語）",
                    "Affiliation (Japanese)",
                ),
                c(
                    "所属_英字",
                    ColumnKind::Text,
                    "所属（英語）",
                    "Affiliation (English)",
                ),
                c(
                    "所属事業所ID",
                    ColumnKind::Text,
                    "所属する事業所のID（providers）",
                    "Id of the provider worked at (providers)",
                ),
                c(
                    "活動区域コード",
                    ColumnKind::Text,
                    "活動区域（「;」区切り）",
                    "Areas worked in (separated by “;”)",
                ),
                c(
                    "研修修了年度",
                    ColumnKind::Integer,
                    "養成研修を修了した年度",
                    "Fiscal year the training was completed",
                ),
                c(
                    col::SOURCE,
                    ColumnKind::Text,
                    "出典の資料のID",
                    "Id of the source document",
                ),
                c(
                    col::AS_OF,
                    ColumnKind::Date,
                    "資料が示す時点",
                    "The date the source says the facts hold",
                ),
            ],
            rows: Rows::Stored(
                site.coordinators
                    .iter()
                    .map(|k| {
                        let mut row = lg_cells(site, &k.id, &k.areas);
                        row.extend([
                            k.name.ja.clone(),
                            k.name.en.clone(),
                            t(&k.profession, Lang::Ja),
                            t(&k.profession, Lang::En),
                            t(&k.affiliation, Lang::Ja),
                            t(&k.affiliation, Lang::En),
                            k.provider
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                            codes_cell(&k.areas),
                            k.training_year.map(|y| y.to_string()).unwrap_or_default(),
                            k.provenance.source.to_string(),
                            k.provenance.as_of.to_string(),
                        ]);
                        row
                    })
                    .collect(),
            ),
            as_of,
            sources,
        });
    }
    out
}

// -------------------------------------------------------------------- pages

pub fn provider_key(p: &Provider) -> String {
    format!("{KEY}/{}", p.id)
}

pub fn kind_page_key(kind: ProviderKind) -> String {
    format!("{KEY}/kinds/{}", kind.key().replace('_', "-"))
}

pub fn care_page_key(need: CareNeed) -> String {
    format!("{KEY}/care/{}", need.key().replace('_', "-"))
}

#[derive(Serialize)]
struct CapCtx {
    key: &'static str,
    label: String,
    state: &'static str,
}

#[derive(Serialize)]
struct ProviderCtx {
    id: String,
    name: String,
    path: String,
    kind: String,
    kind_path: String,
    kana: Option<String>,
    areas: Vec<LinkCtx>,
    care: Vec<CapCtx>,
    ages: Vec<CapCtx>,
    operator: Option<String>,
    role: Option<String>,
    address: Option<String>,
    postcode: Option<String>,
    url: Option<String>,
    note: Option<String>,
    contact: ContactCtx,
    last_verified: Option<String>,
    as_of: String,
}

fn provider_ctx(site: &Site, p: &Provider, lang: Lang) -> ProviderCtx {
    let care: Vec<CapCtx> = p
        .care
        .iter()
        .map(|(n, cap)| CapCtx {
            key: n.key(),
            label: ui(site, lang, &care_string(*n)),
            state: cap.key(),
        })
        .collect();
    let c = &p.contact;
    ProviderCtx {
        id: p.id.to_string(),
        name: p.name.str(lang).to_string(),
        path: page_path(lang, &provider_key(p)),
        kind: ui(site, lang, &kind_string(p.kind)),
        kind_path: page_path(lang, &kind_page_key(p.kind)),
        kana: p.kana.clone().filter(|_| lang == Lang::Ja),
        areas: p
            .areas
            .iter()
            .filter_map(|code| site.area(code))
            .map(|a| area_link(site, a, lang))
            .collect(),
        care,
        ages: p
            .ages
            .iter()
            .map(|(g, cap)| CapCtx {
                key: g.key(),
                label: ui(site, lang, &format!("age_{}", g.key())),
                state: cap.key(),
            })
            .collect(),
        operator: opt(&p.operator, lang),
        role: opt(&p.role, lang),
        address: opt(&p.address, lang),
        postcode: p.postcode.clone(),
        url: p.url.clone(),
        note: opt(&p.note, lang),
        contact: ContactCtx::new(c, None, lang),
        last_verified: p.provenance.last_verified.map(|d| d.display(lang)),
        as_of: p.provenance.as_of.display(lang),
    }
}

/// A provider as a card in a list (`partials/provider-card.html`): only
/// what the card shows, as a prefecture page of a national registry has
/// hundreds of cards (and each value is converted for tera).
#[derive(Serialize)]
struct CardCtx {
    name: String,
    path: String,
    kind: String,
    /// The names of the areas it serves.
    areas: Vec<String>,
    /// `need=y|n|u` pairs for the filter script.
    care_data: String,
    care_yes: Vec<String>,
    care_no: Vec<String>,
    has_unknown: bool,
    last_verified: Option<String>,
}

fn card_ctx(site: &Site, p: &Provider, lang: Lang) -> CardCtx {
    let with = |want: Capability| -> Vec<String> {
        p.care
            .iter()
            .filter(|(_, c)| *c == want)
            .map(|(n, _)| ui(site, lang, &care_string(*n)))
            .collect()
    };
    CardCtx {
        name: p.name.str(lang).to_string(),
        path: page_path(lang, &provider_key(p)),
        kind: ui(site, lang, &kind_string(p.kind)),
        areas: p
            .areas
            .iter()
            .filter_map(|code| site.area(code))
            .map(|a| full_name(site, a, lang))
            .collect(),
        care_data: p
            .care
            .iter()
            .map(|(n, cap)| format!("{}={}", n.key(), &cap.key()[..1]))
            .collect::<Vec<_>>()
            .join(" "),
        care_yes: with(Capability::Yes),
        care_no: with(Capability::No),
        has_unknown: p.care.iter().any(|(_, c)| *c == Capability::Unknown),
        last_verified: p.provenance.last_verified.map(|d| d.display(lang)),
    }
}

#[derive(Serialize)]
struct NavItem {
    key: String,
    label: String,
    path: String,
    count: usize,
}

#[derive(Serialize)]
struct AreaGroup {
    name: String,
    path: String,
    providers: Vec<LinkCtx>,
}

#[derive(Serialize)]
struct CoordinatorCtx {
    name: String,
    profession: Option<String>,
    affiliation: Option<String>,
    provider: Option<LinkCtx>,
    areas: Vec<LinkCtx>,
    training_year: Option<u16>,
}

fn def(
    lang: Lang,
    key: String,
    template: &'static str,
    title: String,
    crumbs: Vec<(String, String)>,
    prov: Vec<ProvenanceCtx>,
    body: Context,
) -> PageDef<'static> {
    PageDef {
        key,
        lang,
        template,
        title,
        description: None,
        crumbs,
        provenance: prov,
        body,
        fill: None,
    }
}

fn base_body(site: &Site, lang: Lang) -> Context {
    let mut body = Context::new();
    body.insert("registry_path", &page_path(lang, KEY));
    body.insert(
        "open_data_path",
        &page_path(lang, crate::render::dataset::PAGE_KEY),
    );
    let care_nav: Vec<NavItem> = CareNeed::ALL
        .iter()
        .map(|&n| NavItem {
            key: n.key().into(),
            label: ui(site, lang, &care_string(n)),
            path: page_path(lang, &care_page_key(n)),
            count: site
                .providers
                .iter()
                .filter(|p| p.care(n) == Capability::Yes)
                .count(),
        })
        .collect();
    body.insert("care_nav", &care_nav);
    body
}

/// Lists longer than this are split by prefecture: the list page then links
/// one page per prefecture (a national registry has ≈ 20,000 providers).
pub const LIST_LIMIT: usize = 500;

#[derive(Serialize)]
struct PrefectureLink {
    name: String,
    path: String,
    count: usize,
}

/// Puts a list's members (indices into `site.providers`) into a page's
/// data; `compact` lists names and kinds only. Shared by the pages of a
/// list and run when each is rendered.
type ListFill<'a> = Arc<dyn Fn(&mut Context, &[usize], bool) + Send + Sync + 'a>;

/// A list of providers on a page.
struct Listing<'a> {
    key: String,
    template: &'static str,
    title: String,
    crumbs: Vec<(String, String)>,
    /// Where the per-prefecture pages go: `<split_key>/<prefecture code>`.
    split_key: String,
    members: Vec<usize>,
    /// What only the list's own page shows (e.g. the registry's kind links).
    top: Context,
    fill: ListFill<'a>,
    /// Whether `fill`, asked for a compact list, reads of each member only
    /// what [`ModelHashes::listed`] covers; then a changed phone number,
    /// say, does not re-render the list's prefecture pages.
    compact_reads_listed: bool,
}

/// A provider in a compact list (a split list's prefecture page).
#[derive(Serialize)]
struct CompactCtx {
    name: String,
    path: String,
    kind: String,
}

/// The sources of the providers `members` (indices into `site.providers`).
fn members_provenance(provs: &Provenances, members: &[usize]) -> Vec<ProvenanceCtx> {
    let mut seen = vec![false; provs.ctx.len()];
    let mut prov = Vec::new();
    for &i in members {
        let k = provs.of[i];
        if !seen[k] {
            seen[k] = true;
            push_provenance(&mut prov, provs.ctx[k].clone());
        }
    }
    prov
}

/// The providers' provenance records, each distinct one once and ready for
/// display: thousands of providers share a handful, and a list's footer
/// gathers them by index instead of comparing records (a national
/// registry's lists compared them ~20 million times).
struct Provenances {
    /// Each distinct record, in order of first use.
    ctx: Vec<ProvenanceCtx>,
    /// Per provider, the index of its record in `ctx`.
    of: Vec<usize>,
}

impl Provenances {
    fn of(site: &Site, lang: Lang) -> Provenances {
        let mut index: std::collections::HashMap<&Provenance, usize> = Default::default();
        let mut ctx = Vec::new();
        let of = site
            .providers
            .iter()
            .map(|p| {
                *index.entry(&p.provenance).or_insert_with(|| {
                    ctx.push(provenance(site, &p.provenance, lang));
                    ctx.len() - 1
                })
            })
            .collect();
        Provenances { ctx, of }
    }
}

/// Where each provider is, and its sources ready for display: found once
/// per build for the registry and area pages of both languages.
pub struct Places<'a> {
    /// The prefectures, by code.
    prefectures: Vec<&'a Area>,
    /// Per provider, the prefectures it serves (indices into
    /// `prefectures`), each once: long lists are split by them.
    served: Vec<Vec<usize>>,
    /// The providers (indices into `site.providers`) serving each area.
    by_area: Arc<std::collections::BTreeMap<&'a AreaCode, Vec<usize>>>,
    /// Per language.
    provenances: [Arc<Provenances>; 2],
}

impl<'a> Places<'a> {
    pub fn of(site: &'a Site) -> Places<'a> {
        let prefectures: Vec<&Area> = site
            .areas
            .iter()
            .filter(|a| a.kind == AreaKind::Prefecture)
            .collect();
        // Each area's prefecture, looked up once, not once per provider (an
        // area outside any prefecture is in none of the lists).
        let prefecture: std::collections::HashMap<&AreaCode, usize> = site
            .areas
            .iter()
            .filter_map(|a| {
                let pref = &site.prefecture_of(a).code;
                let i = prefectures.binary_search_by(|p| p.code.cmp(pref));
                Some((&a.code, i.ok()?))
            })
            .collect();
        let served = site
            .providers
            .iter()
            .map(|p| {
                let mut prefs: Vec<usize> = p
                    .areas
                    .iter()
                    .filter_map(|c| prefecture.get(c).copied())
                    .collect();
                prefs.sort_unstable();
                prefs.dedup();
                prefs
            })
            .collect();
        let mut by_area: std::collections::BTreeMap<&AreaCode, Vec<usize>> = Default::default();
        for (i, p) in site.providers.iter().enumerate() {
            for c in &p.areas {
                by_area.entry(c).or_default().push(i);
            }
        }
        Places {
            prefectures,
            served,
            by_area: Arc::new(by_area),
            provenances: Lang::ALL.map(|lang| Arc::new(Provenances::of(site, lang))),
        }
    }
}

/// `page` with its list (`members`) filled in when it is rendered.
/// `per_provider` holds, per provider, a hash of what `fill` reads of it;
/// `shared` covers `base`, the data every registry page has (added when
/// the page is rendered, so it is not hashed again for every page).
fn with_list<'a>(
    page: PageDef<'static>,
    (fill, base): (&ListFill<'a>, &Arc<Context>),
    (shared, per_provider): (u64, &[u64]),
    members: Vec<usize>,
    compact: bool,
) -> PageDef<'a> {
    let memo = {
        let mut h = std::hash::DefaultHasher::new();
        (shared, &page.key, compact).hash(&mut h);
        for &i in &members {
            per_provider[i].hash(&mut h);
        }
        h.finish()
    };
    let (fill, base) = (Arc::clone(fill), Arc::clone(base));
    PageDef {
        fill: Some(Fill {
            run: Box::new(move |ctx: &mut Context| {
                ctx.extend(Context::clone(&base));
                fill(ctx, &members, compact)
            }),
            memo: Some(memo),
        }),
        ..page
    }
}

/// What registry pages read from the model, hashed once per build (see
/// [`crate::render::Fill::memo`]).
pub struct ModelHashes {
    /// Everything but the providers (areas' names, sources, …).
    pub rest: u64,
    /// Per provider, in `site.providers` order.
    providers: Vec<u64>,
    /// Per provider, what a compact list shows of it or picks it by: id,
    /// name, kind and care needs (not its contact, address or notes).
    listed: Vec<u64>,
}

impl ModelHashes {
    pub fn of(site: &Site) -> ModelHashes {
        let rest = (
            &site.config,
            &site.sources,
            &site.areas,
            &site.hubs,
            &site.councils,
            &site.aggregates,
            &site.coordinators,
            &site.glossary,
            &site.pages,
        );
        let hash = |p: &Provider| {
            let mut h = std::hash::DefaultHasher::new();
            p.hash(&mut h);
            h.finish()
        };
        let listed = |p: &Provider| {
            let mut h = std::hash::DefaultHasher::new();
            (&p.id, &p.name, p.kind, &p.care).hash(&mut h);
            h.finish()
        };
        let (rest, (providers, listed)) = rayon::join(
            || debug_hash(&rest),
            || {
                rayon::join(
                    || site.providers.par_iter().map(hash).collect(),
                    || site.providers.par_iter().map(listed).collect(),
                )
            },
        );
        ModelHashes {
            rest,
            providers,
            listed,
        }
    }
}

/// A page's memo combines `shared` with the hashes of the providers it shows.
struct Memos<'h> {
    /// [`ModelHashes::rest`] and the shared registry data of one language
    /// (counts per care need).
    shared: u64,
    providers: &'h [u64],
    /// [`ModelHashes::listed`]: for pages that list providers compactly.
    listed: &'h [u64],
}

/// One page for a short list; for a long one, a page linking one page per
/// prefecture, each holding that prefecture's members in a compact list
/// (a prefecture can still have thousands).
fn emit<'a>(
    lang: Lang,
    base: &Arc<Context>,
    memos: &Memos<'_>,
    places: &Places<'a>,
    l: Listing<'a>,
    defs: &mut Vec<PageDef<'a>>,
) {
    let provs = &places.provenances[lang as usize];
    let prov = members_provenance(provs, &l.members);
    if l.members.len() <= LIST_LIMIT {
        let page = def(lang, l.key, l.template, l.title, l.crumbs, prov, l.top);
        let memos = (memos.shared, memos.providers);
        defs.push(with_list(page, (&l.fill, base), memos, l.members, false));
        return;
    }
    let mut body = Context::clone(base);
    body.extend(l.top);
    let mut members_in = vec![Vec::new(); places.prefectures.len()];
    for &i in &l.members {
        for &k in &places.served[i] {
            members_in[k].push(i);
        }
    }
    let by_pref: Vec<(&Area, Vec<usize>)> = places
        .prefectures
        .iter()
        .zip(members_in)
        .filter(|(_, members)| !members.is_empty())
        .map(|(pref, members)| (*pref, members))
        .collect();
    let links: Vec<PrefectureLink> = by_pref
        .iter()
        .map(|(pref, members)| PrefectureLink {
            name: pref.name.str(lang).to_string(),
            path: page_path(lang, &format!("{}/{}", l.split_key, pref.code)),
            count: members.len(),
        })
        .collect();
    body.insert("prefectures", &links);
    body.insert("total", &l.members.len());
    let mut crumbs = l.crumbs.clone();
    crumbs.push((l.title.clone(), l.key.clone()));
    for (pref, members) in by_pref {
        let mut pref_body = Context::new();
        pref_body.insert("compact", &true);
        let page = def(
            lang,
            format!("{}/{}", l.split_key, pref.code),
            l.template,
            format!("{}: {}", l.title, pref.name.str(lang)),
            crumbs.clone(),
            members_provenance(provs, &members),
            pref_body,
        );
        let per_provider = if l.compact_reads_listed {
            memos.listed
        } else {
            memos.providers
        };
        defs.push(with_list(
            page,
            (&l.fill, base),
            (memos.shared, per_provider),
            members,
            true,
        ));
    }
    defs.push(def(lang, l.key, l.template, l.title, l.crumbs, prov, body));
}

/// The registry index, kind pages and care-need pages; and the provider
/// pages, as a set defined when rendered.
pub fn pages<'a>(
    site: &'a Site,
    lang: Lang,
    hashes: &ModelHashes,
    places: &Places<'a>,
) -> (Vec<PageDef<'a>>, PageSet<'a>) {
    let mut defs = Vec::new();
    let title = ui(site, lang, "registry_title");
    let crumbs = vec![(title.clone(), KEY.to_string())];
    // The same on every registry page; built once (it counts every provider).
    let base = Arc::new(base_body(site, lang));
    let memos = Memos {
        shared: debug_hash(&(hashes.rest, debug_hash(&base))),
        providers: &hashes.providers,
        listed: &hashes.listed,
    };
    let all: Vec<usize> = (0..site.providers.len()).collect();
    let provs = Arc::clone(&places.provenances[lang as usize]);
    let list = move |body: &mut Context, name: &'static str, members: &[usize], compact: bool| {
        if compact {
            let list: Vec<CompactCtx> = members
                .iter()
                .map(|&i| {
                    let p = &site.providers[i];
                    CompactCtx {
                        name: p.name.str(lang).to_string(),
                        path: page_path(lang, &provider_key(p)),
                        kind: ui(site, lang, &kind_string(p.kind)),
                    }
                })
                .collect();
            body.insert(name, &list);
        } else {
            // Whole cards, made in parallel: a prefecture page of a national
            // registry has hundreds (a rebuild waits for the largest).
            let list: Vec<tera::Value> = members
                .par_iter()
                .map(|&i| tera::Value::from_serializable(&card_ctx(site, &site.providers[i], lang)))
                .collect();
            body.insert_value(name, tera::Value::from(list));
        }
    };

    // Index.
    let kinds: Vec<NavItem> = ProviderKind::ALL
        .iter()
        .map(|&k| NavItem {
            key: k.key().into(),
            label: ui(site, lang, &kind_string(k)),
            path: page_path(lang, &kind_page_key(k)),
            count: site.providers.iter().filter(|p| p.kind == k).count(),
        })
        .filter(|n| n.count > 0)
        .collect();
    let coordinators: Vec<CoordinatorCtx> = site
        .coordinators
        .iter()
        .map(|k| CoordinatorCtx {
            name: k.name.str(lang).to_string(),
            profession: opt(&k.profession, lang),
            affiliation: opt(&k.affiliation, lang),
            provider: k
                .provider
                .as_ref()
                .and_then(|id| site.providers.iter().find(|p| &p.id == id))
                .map(|p| LinkCtx {
                    name: p.name.str(lang).to_string(),
                    path: page_path(lang, &provider_key(p)),
                }),
            areas: k
                .areas
                .iter()
                .filter_map(|c| site.area(c))
                .map(|a| area_link(site, a, lang))
                .collect(),
            training_year: k.training_year,
        })
        .collect();
    let mut index_top = Context::new();
    index_top.insert("kinds", &kinds);
    index_top.insert("coordinators", &coordinators);
    let index_fill: ListFill = {
        let by_area = Arc::clone(&places.by_area);
        Arc::new(
            move |body: &mut Context, members: &[usize], _compact: bool| {
                let set: BTreeSet<usize> = members.iter().copied().collect();
                let groups: Vec<AreaGroup> = sorted(
                    by_area
                        .iter()
                        .filter(|(_, ps)| ps.iter().any(|i| set.contains(i)))
                        .filter_map(|(c, _)| site.area(c))
                        .collect(),
                    lang,
                )
                .into_iter()
                .map(|a| AreaGroup {
                    name: full_name(site, a, lang),
                    // Prefecture pages have no providers section to jump to.
                    path: if a.kind == AreaKind::Prefecture {
                        page_path(lang, &area_key(&a.code))
                    } else {
                        format!("{}#providers-heading", page_path(lang, &area_key(&a.code)))
                    },
                    providers: by_area[&a.code]
                        .iter()
                        .filter(|i| set.contains(i))
                        .map(|&i| LinkCtx {
                            name: site.providers[i].name.str(lang).to_string(),
                            path: page_path(lang, &provider_key(&site.providers[i])),
                        })
                        .collect(),
                })
                .collect();
                // The registry's own list keeps its cards (the care filter works on them).
                list(body, "providers", members, false);
                body.insert("by_area", &groups);
            },
        )
    };
    emit(
        lang,
        &base,
        &memos,
        places,
        Listing {
            key: KEY.into(),
            split_key: format!("{KEY}/prefectures"),
            template: "registry.html",
            title: title.clone(),
            crumbs: Vec::new(),
            members: all.clone(),
            top: index_top,
            fill: index_fill,
            // The index's prefecture pages keep whole cards.
            compact_reads_listed: false,
        },
        &mut defs,
    );
    let mut index_prov = Vec::new();
    for c in &site.coordinators {
        push_provenance(&mut index_prov, provenance(site, &c.provenance, lang));
    }
    if let Some(index) = defs.iter_mut().rev().find(|d| d.key == KEY) {
        for p in index_prov {
            push_provenance(&mut index.provenance, p);
        }
    }

    // One page per kind that has providers.
    for kind in ProviderKind::ALL {
        let members: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| site.providers[i].kind == kind)
            .collect();
        if members.is_empty() {
            continue;
        }
        let label = ui(site, lang, &kind_string(kind));
        let mut top = Context::new();
        top.insert("heading", &label);
        let fill: ListFill = {
            let label = label.clone();
            Arc::new(
                move |body: &mut Context, members: &[usize], compact: bool| {
                    list(body, "providers", members, compact);
                    body.insert("heading", &label);
                },
            )
        };
        emit(
            lang,
            &base,
            &memos,
            places,
            Listing {
                key: kind_page_key(kind),
                split_key: kind_page_key(kind),
                template: "registry-kind.html",
                title: ui(site, lang, "registry_kind_title").replace("{kind}", &label),
                crumbs: crumbs.clone(),
                members,
                top,
                fill,
                compact_reads_listed: true,
            },
            &mut defs,
        );
    }

    // One page per care need: yes, unknown and no, each listed apart.
    for n in CareNeed::ALL {
        let label = ui(site, lang, &care_string(n));
        let mut top = Context::new();
        top.insert("need", n.key());
        top.insert("need_label", &label);
        let fill: ListFill = {
            let top = top.clone();
            Arc::new(
                move |body: &mut Context, members: &[usize], compact: bool| {
                    let pick = |want: Capability| -> Vec<usize> {
                        members
                            .iter()
                            .copied()
                            .filter(|&i| site.providers[i].care(n) == want)
                            .collect()
                    };
                    body.extend(top.clone());
                    list(body, "yes", &pick(Capability::Yes), compact);
                    list(body, "unknown", &pick(Capability::Unknown), compact);
                    list(body, "no", &pick(Capability::No), compact);
                },
            )
        };
        emit(
            lang,
            &base,
            &memos,
            places,
            Listing {
                key: care_page_key(n),
                split_key: care_page_key(n),
                template: "registry-care.html",
                title: ui(site, lang, "registry_care_title").replace("{need}", &label),
                crumbs: crumbs.clone(),
                members: all.clone(),
                top,
                fill,
                compact_reads_listed: true,
            },
            &mut defs,
        );
    }

    // One page per provider, defined when it is rendered.
    let memos = site
        .providers
        .iter()
        .zip(&hashes.providers)
        .map(|(_, provider)| {
            let mut h = std::hash::DefaultHasher::new();
            (memos.shared, provider).hash(&mut h);
            h.finish()
        })
        .collect();
    let providers = PageSet {
        lang,
        template: "provider.html",
        keys: site.providers.iter().map(provider_key).collect(),
        memos,
        define: Box::new(move |i| {
            let p = &site.providers[i];
            let mut body = Context::clone(&base);
            body.insert("p", &provider_ctx(site, p, lang));
            def(
                lang,
                provider_key(p),
                "provider.html",
                p.name.str(lang).to_string(),
                crumbs.clone(),
                vec![provs.ctx[provs.of[i]].clone()],
                body,
            )
        }),
    };
    (defs, providers)
}

#[derive(Serialize)]
struct AreaProviderCtx {
    name: String,
    path: String,
    kind: String,
    /// The wider area through which the provider serves this one, if any.
    via: Option<String>,
    last_verified: Option<String>,
}

/// Adds the providers serving each area to the area pages (`areas/<code>`):
/// those listing the area itself, then those serving a containing area.
pub fn decorate_area_pages<'a>(
    site: &'a Site,
    defs: &mut [PageDef<'a>],
    hashes: &ModelHashes,
    places: &Places<'a>,
) {
    let area_pages = defs.par_iter_mut().filter(|d| d.template == "area.html");
    area_pages.for_each(|d| {
        let Some(code) = d.key.strip_prefix("areas/") else {
            return;
        };
        let Some(area) = site.area(&AreaCode(code.to_string())) else {
            return;
        };
        let lang = d.lang;
        let provs = &places.provenances[lang as usize];
        let chain: Vec<&Area> = std::iter::once(area).chain(site.ancestors(area)).collect();
        // Each provider once, with the wider area it serves this one
        // through (if any); the list itself is made when the page is rendered.
        let mut seen = BTreeSet::new();
        let mut members: Vec<(usize, Option<&Area>)> = Vec::new();
        for (i, a) in chain.iter().enumerate() {
            for &p in places.by_area.get(&a.code).into_iter().flatten() {
                if seen.insert(p) {
                    members.push((p, (i > 0).then_some(*a)));
                }
            }
        }
        let indices: Vec<usize> = members.iter().map(|&(p, _)| p).collect();
        for p in members_provenance(provs, &indices) {
            push_provenance(&mut d.provenance, p);
        }
        // A memo only if the area's own data has one (else both are hashed
        // as data when the page's input is hashed).
        let inner_memo = d.fill.as_ref().map(|f| f.memo);
        let memo = inner_memo.is_none_or(|m| m.is_some()).then(|| {
            let mut h = std::hash::DefaultHasher::new();
            inner_memo.hash(&mut h);
            for (p, via) in &members {
                (hashes.providers[*p], via.map(|a| &a.code)).hash(&mut h);
            }
            h.finish()
        });
        let area_data = d.fill.take();
        let run = move |body: &mut Context| {
            if let Some(f) = &area_data {
                (f.run)(body);
            }
            let list: Vec<AreaProviderCtx> = members
                .iter()
                .map(|&(i, via)| {
                    let p = &site.providers[i];
                    AreaProviderCtx {
                        name: p.name.str(lang).to_string(),
                        path: page_path(lang, &provider_key(p)),
                        kind: ui(site, lang, &kind_string(p.kind)),
                        via: via.map(|a| {
                            ui(site, lang, "registry_serves_all_of")
                                .replace("{area}", &full_name(site, a, lang))
                        }),
                        last_verified: p.provenance.last_verified.map(|x| x.display(lang)),
                    }
                })
                .collect();
            body.insert("providers", &list);
            body.insert("registry_path", &page_path(lang, KEY));
        };
        d.fill = Some(Fill {
            run: Box::new(run),
            memo,
        });
    });
}

/// Gaps (unknown values) of the registry, for `tsunagu check`.
/// `gap(kind, missing, id)` notes record `id` under `kind` when `missing`.
pub fn gaps(site: &Site, gap: &mut impl FnMut(&'static str, bool, &str)) {
    for p in &site.providers {
        let id = p.id.as_str();
        let c = &p.contact;
        gap("provider contact phone", c.phone.is_none(), id);
        gap("provider contact (any route)", c.is_unknown(), id);
        gap("provider address", p.address.is_none(), id);
        gap("provider name reading (kana)", p.kana.is_none(), id);
        gap(
            "provider care needs (all unknown)",
            p.care.iter().all(|(_, c)| *c == Capability::Unknown),
            id,
        );
        gap(
            "provider ages served (all unknown)",
            p.ages.iter().all(|(_, c)| *c == Capability::Unknown),
            id,
        );
    }
}

/// Providers and coordinators whose `last_verified` is older than the
/// configured age, for `tsunagu check`.
pub fn stale(site: &Site, today: Date, out: &mut Vec<(String, Date)>) {
    let max = i32::try_from(site.config.stale_after_months).unwrap_or(i32::MAX);
    for p in &site.providers {
        if let Some(v) = p.provenance.last_verified
            && v.months_until(&today) >= max
        {
            out.push((format!("provider {} ({})", p.id, p.file.display()), v));
        }
    }
    for k in &site.coordinators {
        if let Some(v) = k.provenance.last_verified
            && v.months_until(&today) >= max
        {
            out.push((format!("coordinator {}", k.id), v));
        }
    }
}
