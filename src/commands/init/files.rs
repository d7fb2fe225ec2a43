//! The files of a new project, as text. The Markdown pages and example
//! files are in `skeleton/`, with `@NAME@` marks filled in here.

use crate::config::PLACEHOLDER_BASE_URL;
use crate::model::AreaKind;
use crate::model::japan::{AreaTable, NationalArea, TableSource};
use std::fmt::Write;
use std::path::PathBuf;

const SKELETON: [(&str, &str); 10] = [
    ("content/_index.ja.md", include_str!("skeleton/index.ja.md")),
    ("content/_index.en.md", include_str!("skeleton/index.en.md")),
    ("content/about.ja.md", include_str!("skeleton/about.ja.md")),
    ("content/about.en.md", include_str!("skeleton/about.en.md")),
    (
        "content/coordinator-role.ja.md",
        include_str!("skeleton/coordinator-role.ja.md"),
    ),
    (
        "content/coordinator-role.en.md",
        include_str!("skeleton/coordinator-role.en.md"),
    ),
    (
        "data/hubs/hubs.example.toml",
        include_str!("skeleton/hubs.example.toml"),
    ),
    (
        "data/providers/providers.example.toml",
        include_str!("skeleton/providers.example.toml"),
    ),
    (
        "data/councils/councils.example.toml",
        include_str!("skeleton/councils.example.toml"),
    ),
    (
        "data/coordinators/coordinators.example.toml",
        include_str!("skeleton/coordinators.example.toml"),
    ),
];

/// The national document the coordinator-role page quotes; its entry is
/// the shipped site's, word for word.
const NATIONAL_SOURCE: &str = r#"[[source]]
id = "mhlw-coordinator-placement"
title = { ja = "医療的ケア児等コーディネーターの配置について", en = "On the placement of medical-care coordinators" }
publisher = { ja = "厚生労働省", en = "Ministry of Health, Labour and Welfare" }
note = { ja = "配置状況の調査は厚生労働省障害福祉部障害福祉課が行ったもので、令和元年８月１日時点です。医療的ケア児等コーディネーター養成研修プログラムと、医療的ケア児等総合支援事業（令和２年予算要求）の概要も含みます。", en = "The placement survey was carried out by the Disability Welfare Division, Department of Health and Welfare for Persons with Disabilities, Ministry of Health, Labour and Welfare, as of August 1, 2019 (Reiwa 1). The document also includes the training program for medical-care coordinators and an outline of the Comprehensive Support Project for Children Who Need Medical Care and Others (budget request for 2020, Reiwa 2)." }
"#;

/// Every file of the project for `area`: path relative to the project, text.
pub fn project(table: &AreaTable, area: &NationalArea) -> Vec<(PathBuf, String)> {
    let prefecture = table.prefecture_of(area);
    let scope = scope(table, area);
    let codes_as_of = scope.iter().map(|a| a.as_of).max().unwrap_or(area.as_of);
    let code_sources: Vec<String> = used_sources(table, &scope)
        .map(|s| format!("\"{}\"", s.id))
        .collect();
    let fill = |text: &str| {
        text.replace("@AREA_JA@", area.name)
            .replace("@AREA_EN@", area.en)
            .replace("@AREA_CODE@", area.code)
            .replace("@PREF_CODE@", prefecture.code)
            .replace("@CODES_AS_OF@", &codes_as_of.to_string())
            .replace("@CODE_SOURCES@", &code_sources.join(", "))
    };
    let mut files = vec![
        (PathBuf::from("tsunagu.toml"), config(area)),
        (PathBuf::from(".gitignore"), GITIGNORE.to_string()),
        (PathBuf::from("data/sources.toml"), sources(table, &scope)),
        (
            PathBuf::from(format!("data/areas/{}.toml", file_stem(prefecture))),
            areas(table, &scope),
        ),
    ];
    files.extend(
        SKELETON
            .iter()
            .map(|(path, text)| (PathBuf::from(path), fill(text))),
    );
    files
}

/// The areas a site for `area` covers, in code order: a prefecture and
/// everything in it; a municipality with its prefecture (and city) above
/// it and its wards below it.
fn scope<'a>(table: &'a AreaTable, area: &'a NationalArea) -> Vec<&'a NationalArea> {
    let mut scope: Vec<&NationalArea> = std::iter::successors(Some(area), |a| table.parent(a))
        .chain(table.within(area))
        .collect();
    scope.sort_by_key(|a| a.code);
    scope
}

/// 大阪府堺市, 神奈川県横浜市港北区: the name under its city and prefecture.
pub fn full_name(table: &AreaTable, area: &NationalArea) -> String {
    let chain: Vec<&NationalArea> =
        std::iter::successors(Some(area), |a| table.parent(a)).collect();
    chain.iter().rev().map(|a| a.name).collect()
}

/// `osaka` for 大阪府: the prefecture's English name, first word, lower case.
fn file_stem(prefecture: &NationalArea) -> String {
    prefecture
        .en
        .split(' ')
        .next()
        .unwrap_or(prefecture.code)
        .to_ascii_lowercase()
}

const GITIGNORE: &str = "# The built site and tsunagu's own records of it.\n/site/\n/.site.tsunagu-manifest\n/.site.tsunagu-cache/\n";

fn config(area: &NationalArea) -> String {
    let (ja, en) = (area.name, area.en);
    format!(
        r##"# tsunagu site configuration (made by `tsunagu init`). `tsunagu check` lists what is still to set.

# The address the site will be published under (a sub-path works: https://example.org/iryo-care/).
# This placeholder must be replaced before publishing; `tsunagu build --base-url URL` overrides it.
base_url = "{PLACEHOLDER_BASE_URL}"
languages = ["ja", "en"]
title = {{ ja = "{ja}の医療的ケア児等コーディネーター案内", en = "Medical-Care Coordinator Guide: {en}" }}
description = {{ ja = "{ja}で医療的ケアが必要なお子さんとご家族が、コーディネーターにつながるための案内です。公開資料に書かれていることだけを載せています。", en = "A guide that helps children in {en} who need medical care, and their families, reach a coordinator. It states only what public documents say." }}
# `tsunagu check` lists records whose last_verified is older than this many months.
stale_after_months = 12

# Who publishes this site and how a reader reports a mistake, shown on every page. A public site
# must say both; `tsunagu check` lists them until they are set. Remove the "# " and fill in:
# [identity]
# publisher = {{ ja = "（運営する課の名前）", en = "(the publishing division, in English)" }}
# contact_url = "https://…"          # and/or contact_email, contact_phone
# logo = "logo.svg"                  # optional: a file in templates/assets/; also the favicon
# accent_color = "#0b5394"           # optional: links and buttons; at least 4.5:1 against white
"##
    )
}

fn sources(table: &AreaTable, scope: &[&NationalArea]) -> String {
    let mut out = String::from(
        "# Public source documents. Every record in data/ and every page cites one of these ids.\n\
         # Add a [[source]] for each document you take facts from: its own title, publisher, and\n\
         # `published`/`url` only where the document states them.\n\n",
    );
    for source in used_sources(table, scope) {
        let (title, publisher) = match source.id {
            "soumu-lg-codes" => (
                ("全国地方公共団体コード", "Local government codes"),
                ("総務省", "Ministry of Internal Affairs and Communications"),
            ),
            "japanpost-postcodes" => (
                ("郵便番号データ", "Postcode data"),
                ("日本郵便", "Japan Post"),
            ),
            _ => ((source.description, source.description), ("", "")),
        };
        let _ = writeln!(out, "[[source]]\nid = \"{}\"", source.id);
        let _ = writeln!(
            out,
            "title = {{ ja = \"{}\", en = \"{}\" }}",
            title.0, title.1
        );
        if !publisher.0.is_empty() {
            let _ = writeln!(
                out,
                "publisher = {{ ja = \"{}\", en = \"{}\" }}",
                publisher.0, publisher.1
            );
        }
        if let Some(url) = source
            .description
            .split(' ')
            .find(|w| w.starts_with("https://"))
        {
            let _ = writeln!(out, "url = \"{url}\"");
        }
        let _ = writeln!(
            out,
            "note = {{ ja = \"地域の名前、読みがな、コードに使っています。出典：{d}\", en = \"Used for area names, readings and codes. From: {d}\" }}\n",
            d = source.description.replace('"', "'")
        );
    }
    out.push_str(NATIONAL_SOURCE);
    out
}

/// The table's sources the areas in scope name, in the table's order.
fn used_sources<'a>(
    table: &'a AreaTable,
    scope: &[&NationalArea],
) -> impl Iterator<Item = &'a TableSource> {
    let used: Vec<&str> = scope.iter().flat_map(|a| a.source.split('+')).collect();
    table.sources().iter().filter(move |s| used.contains(&s.id))
}

fn areas(table: &AreaTable, scope: &[&NationalArea]) -> String {
    let mut out = String::from(
        "# Areas: the prefecture, municipalities and designated-city wards this site covers, from the\n\
         # national area table compiled into tsunagu (sources in data/sources.toml).\n",
    );
    for a in scope {
        let (source, reading_from) = match a.source.split_once('+') {
            Some((first, rest)) => (first, Some(rest)),
            None => (a.source, None),
        };
        let _ = write!(
            out,
            "\n[[area]]\ncode = \"{}\"\nkind = \"{}\"\nname = {{ ja = \"{}\", en = \"{}\" }}\nkana = \"{}\"",
            a.code,
            a.kind.key(),
            a.name,
            a.en,
            a.kana
        );
        if let Some(from) = reading_from {
            let _ = write!(out, "  # reading from {from}");
        }
        if let Some(parent) = a.parent {
            let _ = write!(out, "\nparent = \"{parent}\"");
            if a.kind == AreaKind::Ward {
                let _ = write!(
                    out,
                    "  # {}",
                    full_name(table, table.parent(a).unwrap_or(a))
                );
            }
        }
        let _ = writeln!(out, "\nsource = \"{source}\"\nas_of = \"{}\"", a.as_of);
    }
    out
}
