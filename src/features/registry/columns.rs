//! The CSV columns of the `hubs` and `providers` datasets and a record's
//! row: shared by the open-data export and `tsunagu import`, so an exported
//! file imports back unchanged.

use super::kind_string;
use crate::lang::{Lang, Text};
use crate::model::*;
use crate::render::dataset::{Column, ColumnKind};
use crate::render::links::full_name;
use crate::render::ui;

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

pub(super) fn c(name: &'static str, kind: ColumnKind, ja: &str, en: &str) -> Column {
    Column {
        name,
        kind,
        about: Text {
            ja: ja.into(),
            en: en.into(),
            easy: None,
        },
        choices: Vec::new(),
        required: REQUIRED.contains(&name),
    }
}

/// The columns every record of a registry dataset has a value in.
const REQUIRED: &[&str] = &[
    col::LG_CODE,
    col::ID,
    col::NAME,
    col::NAME_EN,
    col::KIND,
    col::SOURCE,
    col::AS_OF,
];

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

pub(super) fn t(text: &Option<Text>, lang: Lang) -> String {
    text.as_ref()
        .map(|x| x.str(lang).to_string())
        .unwrap_or_default()
}

fn o(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// The local government a set of areas belongs to: their common
/// municipality (a ward counts as its city), else their common prefecture.
fn owning_area<'a>(site: &'a Site, codes: &[AreaCode]) -> Option<&'a Area> {
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

pub(super) fn lg_cells(site: &Site, id: &str, codes: &[AreaCode]) -> Vec<String> {
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

pub(super) fn codes_cell(codes: &[AreaCode]) -> String {
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
    cols.extend(hub_work_columns());
    cols.extend(provenance_columns());
    cols
}

/// When a hub started, where it sits, who works there, and where to ask
/// instead, as the source describes them.
fn hub_work_columns() -> [Column; 7] {
    [
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
    ]
}

/// A hub's row of the `hubs` dataset.
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
    for c in cols.iter_mut().filter(|c| c.name == col::KIND) {
        c.choices = ProviderKind::ALL.iter().map(|k| k.key()).collect();
    }
    cols
}

/// A provider's row of the `providers` dataset.
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

#[cfg(test)]
mod tests {
    use super::super::test_site::{CHIYODA, KOHOKU, TestSite, provider};
    use super::*;
    use std::collections::BTreeMap;

    /// A row by column name.
    fn cells(columns: Vec<Column>, row: Vec<String>) -> BTreeMap<&'static str, String> {
        assert_eq!(columns.len(), row.len(), "one cell per column");
        columns.iter().map(|c| c.name).zip(row).collect()
    }

    #[test]
    fn provider_row_has_codes_names_and_yes_no_empty_care() {
        let care = r#"care = { ventilator = "yes", suction = "no", oxygen = "unknown" }
ages = { preschool = "yes" }"#;
        let site = TestSite::new()
            .providers(&provider("nurse", "visiting_nursing", KOHOKU, care))
            .load();
        let p = &site.providers[0];
        let row = cells(provider_columns(), provider_row(&site, p));
        // A ward's provider belongs to its city.
        assert_eq!(row[col::LG_CODE], "141003");
        assert_eq!(row[col::LG_NAME], "横浜市");
        assert_eq!(row[col::ID], "nurse");
        assert_eq!(row[col::NAME], "事業所nurse");
        assert_eq!(row[col::NAME_EN], "Provider nurse");
        assert_eq!(row[col::KIND], "visiting_nursing");
        assert_eq!(row[col::KIND_NAME], "訪問看護ステーション");
        assert_eq!(row[col::AREAS], KOHOKU);
        assert_eq!(row[col::AREA_NAMES], "横浜市港北区");
        assert_eq!(row[col::care(CareNeed::Ventilator)], "yes");
        assert_eq!(row[col::care(CareNeed::Suction)], "no");
        // Unknown, written or not, is an empty cell (not "no").
        assert_eq!(row[col::care(CareNeed::Oxygen)], "");
        assert_eq!(row[col::care(CareNeed::Dialysis)], "");
        assert_eq!(row[col::age(AgeGroup::Preschool)], "yes");
        assert_eq!(row[col::age(AgeGroup::Adult)], "");
        assert_eq!(row[col::SOURCE], "test-source");
        assert_eq!(row[col::AS_OF], "2024-04-01");
        assert_eq!(row[col::VERIFIED], "2025-01-01");
    }

    #[test]
    fn a_provider_across_prefectures_belongs_to_no_local_government() {
        let records = provider("wide", "short_stay", KOHOKU, "").replace(
            &format!("areas = [\"{KOHOKU}\"]"),
            &format!("areas = [\"{KOHOKU}\", \"{CHIYODA}\"]"),
        );
        let site = TestSite::new().providers(&records).load();
        let row = cells(provider_columns(), provider_row(&site, &site.providers[0]));
        assert_eq!(row[col::LG_CODE], "");
        assert_eq!(row[col::LG_NAME], "");
        assert_eq!(row[col::AREAS], format!("{KOHOKU};{CHIYODA}"));
        assert_eq!(row[col::AREA_NAMES], "横浜市港北区;千代田区");
    }

    #[test]
    fn hub_row_has_codes_names_contact_and_dates() {
        let site = TestSite::new().load();
        let row = cells(hub_columns(), hub_row(&site, &site.hubs[0]));
        assert_eq!(row[col::LG_CODE], "141003");
        assert_eq!(row[col::LG_NAME], "横浜市");
        assert_eq!(row[col::ID], "test-hub");
        assert_eq!(row[col::NAME], "試験拠点");
        assert_eq!(row[col::NAME_EN], "Test hub");
        assert_eq!(row[col::HUB_AREAS], KOHOKU);
        assert_eq!(row[col::HUB_AREA_NAMES], "横浜市港北区");
        assert_eq!(row[col::PHONE], "045-000-0000");
        assert_eq!(row[col::FAX], "");
        assert_eq!(row[col::STARTED], "2020-04-01");
        assert_eq!(row[col::AS_OF], "2020-04-01");
        assert_eq!(row[col::VERIFIED], "2026-11-01");
    }
}
