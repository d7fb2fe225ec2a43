//! The closed lists of the data (語彙): area kinds, council statuses,
//! provider kinds, care needs, age groups and capabilities, each with the
//! key it has in the data files. The same key names the UI string of its
//! label (e.g. `provider_kind_<key>`) and, with `_` as `-`, a URL segment.
//!
//! A leaf: it imports nothing from the crate, so load, validate, render and
//! every feature can use it.

use serde::{Deserialize, Serialize};

/// What kind of local government an area is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    Prefecture,
    DesignatedCity,
    City,
    /// 東京都の特別区 (e.g. 千代田区): a municipality of its own.
    SpecialWard,
    /// A ward of a designated city (e.g. 横浜市港北区).
    Ward,
    Town,
    Village,
}

impl AreaKind {
    /// Every kind, in declaration order.
    pub const ALL: [AreaKind; 7] = [
        AreaKind::Prefecture,
        AreaKind::DesignatedCity,
        AreaKind::City,
        AreaKind::SpecialWard,
        AreaKind::Ward,
        AreaKind::Town,
        AreaKind::Village,
    ];

    /// The key in the data files (`kind = "designated_city"`).
    pub fn key(self) -> &'static str {
        match self {
            AreaKind::Prefecture => "prefecture",
            AreaKind::DesignatedCity => "designated_city",
            AreaKind::City => "city",
            AreaKind::SpecialWard => "special_ward",
            AreaKind::Ward => "ward",
            AreaKind::Town => "town",
            AreaKind::Village => "village",
        }
    }
}

/// Where a municipality stands on its 協議の場 (council).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CouncilStatus {
    Alone,
    Joint,
    NotSet,
    Unknown,
}

impl CouncilStatus {
    /// The key in the data files (`status = "not_set"`).
    pub fn key(self) -> &'static str {
        match self {
            CouncilStatus::Alone => "alone",
            CouncilStatus::Joint => "joint",
            CouncilStatus::NotSet => "not_set",
            CouncilStatus::Unknown => "unknown",
        }
    }
}

/// What a breakdown of coordinators counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Profession,
    Affiliation,
    Area,
    TrainingYear,
}

impl Dimension {
    /// The key in the data files (`dimension = "training_year"`).
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Profession => "profession",
            Dimension::Affiliation => "affiliation",
            Dimension::Area => "area",
            Dimension::TrainingYear => "training_year",
        }
    }
}

/// What kind of organisation a provider is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// 訪問看護ステーション
    VisitingNursing,
    /// 居宅介護・重度訪問介護 (home help)
    HomeHelp,
    /// 短期入所 (short stay / respite)
    ShortStay,
    /// 児童発達支援
    ChildDevelopmentSupport,
    /// 放課後等デイサービス
    AfterSchoolDayService,
    /// 医療的ケア児を受け入れる保育所・幼稚園・認定こども園
    Nursery,
    /// 学校 (特別支援学校など)
    School,
    /// 生活介護 (daytime care for adults)
    DailyLifeCare,
    /// 病院・診療所
    HospitalClinic,
    /// 相談支援事業所
    ConsultationSupport,
    /// 基幹相談支援センター
    CoreConsultationCenter,
    /// 市区町村・都道府県の窓口
    MunicipalOffice,
    Other,
}

impl ProviderKind {
    /// Every kind, in the order pages list them.
    pub const ALL: [ProviderKind; 13] = [
        ProviderKind::VisitingNursing,
        ProviderKind::HomeHelp,
        ProviderKind::ShortStay,
        ProviderKind::ChildDevelopmentSupport,
        ProviderKind::AfterSchoolDayService,
        ProviderKind::Nursery,
        ProviderKind::School,
        ProviderKind::DailyLifeCare,
        ProviderKind::HospitalClinic,
        ProviderKind::ConsultationSupport,
        ProviderKind::CoreConsultationCenter,
        ProviderKind::MunicipalOffice,
        ProviderKind::Other,
    ];

    /// The key in the data files (`kind = "visiting_nursing"`).
    pub fn key(self) -> &'static str {
        match self {
            ProviderKind::VisitingNursing => "visiting_nursing",
            ProviderKind::HomeHelp => "home_help",
            ProviderKind::ShortStay => "short_stay",
            ProviderKind::ChildDevelopmentSupport => "child_development_support",
            ProviderKind::AfterSchoolDayService => "after_school_day_service",
            ProviderKind::Nursery => "nursery",
            ProviderKind::School => "school",
            ProviderKind::DailyLifeCare => "daily_life_care",
            ProviderKind::HospitalClinic => "hospital_clinic",
            ProviderKind::ConsultationSupport => "consultation_support",
            ProviderKind::CoreConsultationCenter => "core_consultation_center",
            ProviderKind::MunicipalOffice => "municipal_office",
            ProviderKind::Other => "other",
        }
    }
}

/// A kind of medical care (医療的ケア), after the items of the 医療的ケア判定スコア.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CareNeed {
    /// 人工呼吸器の管理
    Ventilator,
    /// 気管切開の管理
    Tracheostomy,
    /// 酸素療法
    Oxygen,
    /// 吸引（口鼻腔・気管内）
    Suction,
    /// ネブライザーの管理
    Nebulizer,
    /// 経管栄養
    TubeFeeding,
    /// 中心静脈カテーテルの管理
    CentralVenousCatheter,
    /// 注射（皮下注射など）
    Injection,
    /// 血糖測定
    BloodGlucose,
    /// 透析
    Dialysis,
    /// 導尿
    UrinaryCatheter,
    /// 排便管理（人工肛門など）
    BowelManagement,
    /// 痙攣（てんかん発作）時の対応
    Seizure,
}

impl CareNeed {
    /// Every need, in the order pages and the CSV list them.
    pub const ALL: [CareNeed; 13] = [
        CareNeed::Ventilator,
        CareNeed::Tracheostomy,
        CareNeed::Oxygen,
        CareNeed::Suction,
        CareNeed::Nebulizer,
        CareNeed::TubeFeeding,
        CareNeed::CentralVenousCatheter,
        CareNeed::Injection,
        CareNeed::BloodGlucose,
        CareNeed::Dialysis,
        CareNeed::UrinaryCatheter,
        CareNeed::BowelManagement,
        CareNeed::Seizure,
    ];

    /// The key in the data files (`care = { tube_feeding = "yes" }`).
    pub fn key(self) -> &'static str {
        match self {
            CareNeed::Ventilator => "ventilator",
            CareNeed::Tracheostomy => "tracheostomy",
            CareNeed::Oxygen => "oxygen",
            CareNeed::Suction => "suction",
            CareNeed::Nebulizer => "nebulizer",
            CareNeed::TubeFeeding => "tube_feeding",
            CareNeed::CentralVenousCatheter => "central_venous_catheter",
            CareNeed::Injection => "injection",
            CareNeed::BloodGlucose => "blood_glucose",
            CareNeed::Dialysis => "dialysis",
            CareNeed::UrinaryCatheter => "urinary_catheter",
            CareNeed::BowelManagement => "bowel_management",
            CareNeed::Seizure => "seizure",
        }
    }
}

/// An age group a provider serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    /// 未就学児
    Preschool,
    /// 就学児（小学生〜高校生）
    SchoolAge,
    /// 18歳以上
    Adult,
}

impl AgeGroup {
    /// Every group, youngest first.
    pub const ALL: [AgeGroup; 3] = [AgeGroup::Preschool, AgeGroup::SchoolAge, AgeGroup::Adult];

    /// The key in the data files (`ages = { school_age = "yes" }`).
    pub fn key(self) -> &'static str {
        match self {
            AgeGroup::Preschool => "preschool",
            AgeGroup::SchoolAge => "school_age",
            AgeGroup::Adult => "adult",
        }
    }
}

/// Whether a provider can do something. `Unknown` is not `No`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    Yes,
    No,
    Unknown,
}

impl Capability {
    /// The key in the data files (`"yes"`, `"no"`, `"unknown"`).
    pub fn key(self) -> &'static str {
        match self {
            Capability::Yes => "yes",
            Capability::No => "no",
            Capability::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each key is what serde reads and writes, so the data files, the UI
    /// string names and the URLs agree.
    #[test]
    fn keys_are_the_serde_names() {
        fn same<T: Serialize>(v: T, key: &str) {
            assert_eq!(serde_json::to_value(v).unwrap(), key);
        }
        ProviderKind::ALL.iter().for_each(|k| same(k, k.key()));
        CareNeed::ALL.iter().for_each(|n| same(n, n.key()));
        AgeGroup::ALL.iter().for_each(|g| same(g, g.key()));
        for k in AreaKind::ALL {
            same(k, k.key());
        }
        for s in [
            CouncilStatus::Alone,
            CouncilStatus::Joint,
            CouncilStatus::NotSet,
            CouncilStatus::Unknown,
        ] {
            same(s, s.key());
        }
        for d in [
            Dimension::Profession,
            Dimension::Affiliation,
            Dimension::Area,
            Dimension::TrainingYear,
        ] {
            same(d, d.key());
        }
        for c in [Capability::Yes, Capability::No, Capability::Unknown] {
            same(c, c.key());
        }
    }
}
