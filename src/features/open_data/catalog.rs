//! The data catalogue (データカタログ): `open-data/catalog.jsonld`, a DCAT
//! catalogue in the terms of DCAT-AP 3 (`dcat:Catalog`, `dcat:Dataset`,
//! `dcat:Distribution`), so a CKAN with ckanext-dcat (a prefecture's
//! open-data portal) can harvest every dataset. Each distribution states
//! its media type, byte size and SHA-256 (`spdx:checksum`) of the bytes
//! the build wrote, so it is made after them ([`DigestFile`]).

use super::tables::CSV_FILES;
use crate::lang::{Lang, Text};
use crate::model::{AreaKind, Date, Site};
use crate::render::dataset::{DIR, Dataset, PAGE_KEY};
use crate::render::{DigestFile, FileDigest, page_path};
use serde_json::{Value, json};

/// Path of the catalogue below the site root.
pub const PATH: &str = "open-data/catalog.jsonld";

/// What the catalogue says of a dataset, kept once the dataset has gone to
/// be written.
struct About {
    id: String,
    title: Text,
    records: usize,
    as_of: Option<Date>,
    sources: Vec<String>,
}

/// The media type of each file of a dataset, by extension.
const MEDIA: [(&str, &str, &str); 5] = [
    ("csv", "text/csv", "CSV"),
    ("sjis.csv", "text/csv", "CSV"),
    ("json", "application/json", "JSON"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX",
    ),
    ("csv-metadata.json", "application/csvm+json", "JSON"),
];

/// The catalogue of `datasets`, made once their files are written.
pub fn catalog(site: &Site, datasets: &[std::sync::Arc<Dataset>]) -> DigestFile<'static> {
    let about: Vec<About> = datasets
        .iter()
        .map(|ds| About {
            id: ds.id.clone(),
            title: ds.title.clone(),
            records: ds.rows.len(),
            as_of: ds.as_of,
            sources: ds
                .sources
                .iter()
                .filter_map(|s| site.sources.get(s)?.url.clone())
                .collect(),
        })
        .collect();
    let mut inputs = Vec::new();
    for ds in &about {
        inputs.extend(files(&ds.id).into_iter().map(|(path, _, _)| path));
    }
    let head = head(site, &about);
    let memo = crate::hash::of(&(&head, &inputs));
    DigestFile {
        path: PATH.into(),
        inputs,
        memo,
        make: Box::new(move |digests| {
            let mut doc = head.clone();
            let datasets: Vec<Value> = about
                .iter()
                .map(|ds| {
                    let mut d = dataset(&doc, ds);
                    d["dcat:distribution"] = files(&ds.id)
                        .into_iter()
                        .filter_map(|(path, media, format)| {
                            let digest = digests.iter().find(|g| g.path == path)?;
                            Some(distribution(&doc, digest, media, format))
                        })
                        .collect();
                    d
                })
                .collect();
            doc["dcat:dataset"] = Value::Array(datasets);
            let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
            bytes.push(b'\n');
            bytes
        }),
    }
}

/// A dataset's files: (path, media type, format name).
fn files(id: &str) -> Vec<(String, &'static str, &'static str)> {
    let mut files: Vec<_> = MEDIA
        .iter()
        .take(4)
        .map(|(ext, media, format)| (format!("{DIR}/{id}.{ext}"), *media, *format))
        .collect();
    for (ext, _, _) in CSV_FILES {
        let (_, media, format) = MEDIA[4];
        files.push((format!("{DIR}/{id}.{ext}-metadata.json"), media, format));
    }
    files
}

/// Text in both languages, as JSON-LD language-tagged strings.
fn both(ja: &str, en: &str) -> Value {
    json!([{ "@value": ja, "@language": "ja" }, { "@value": en, "@language": "en" }])
}

/// A date typed as what it is: a day or a month.
fn date(d: Date) -> Value {
    let ty = if d.day.is_some() {
        "xsd:date"
    } else {
        "xsd:gYearMonth"
    };
    json!({ "@value": d.to_string(), "@type": ty })
}

/// The catalogue without its datasets: context, titles, publisher,
/// licence and the areas it covers.
fn head(site: &Site, about: &[About]) -> Value {
    let base = &site.config.base_url;
    let title = &site.config.title;
    let publisher = match &site.config.identity.publisher {
        Some(p) => both(&p.ja, &p.en),
        None => both(&title.ja, &title.en),
    };
    let spatial: Vec<Value> = site
        .areas
        .iter()
        .filter(|a| a.kind == AreaKind::Prefecture)
        .map(|a| {
            json!({
                "@type": "dct:Location",
                "dct:identifier": a.code.as_str(),
                "skos:prefLabel": both(&a.name.ja, &a.name.en),
            })
        })
        .collect();
    let mut doc = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "spdx": "http://spdx.org/rdf/terms#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": format!("{base}{PATH}"),
        "@type": "dcat:Catalog",
        "dct:title": both(&title.ja, &title.en),
        "dct:description": both(&site.config.description.ja, &site.config.description.en),
        "dct:publisher": { "@type": "foaf:Agent", "foaf:name": publisher },
        "foaf:homepage": { "@id": base },
        "dct:language": [
            { "@id": "http://publications.europa.eu/resource/authority/language/JPN" },
            { "@id": "http://publications.europa.eu/resource/authority/language/ENG" },
        ],
        "dct:spatial": spatial,
    });
    if let Some(modified) = about.iter().filter_map(|d| d.as_of).max() {
        doc["dct:modified"] = date(modified);
    }
    let licence = site.config.open_data_licence_url.as_ref();
    if let Some(url) = licence {
        doc["dct:license"] = json!({ "@id": url });
    }
    doc
}

/// A dataset's entry, without its distributions.
fn dataset(head: &Value, ds: &About) -> Value {
    let landing = |lang: Lang| {
        let base = head["foaf:homepage"]["@id"].as_str().unwrap_or_default();
        format!("{base}{}#ds-{}", page_path(lang, PAGE_KEY), ds.id)
    };
    let as_of = ds.as_of.map(|d| d.to_string());
    let ja = match &as_of {
        Some(d) => format!("{}（{}件、{d}時点）", ds.title.ja, ds.records),
        None => format!("{}（{}件）", ds.title.ja, ds.records),
    };
    let en = match &as_of {
        Some(d) => format!("{} ({} records, as of {d})", ds.title.en, ds.records),
        None => format!("{} ({} records)", ds.title.en, ds.records),
    };
    let mut d = json!({
        "@id": landing(Lang::Ja),
        "@type": "dcat:Dataset",
        "dct:identifier": ds.id,
        "dct:title": both(&ds.title.ja, &ds.title.en),
        "dct:description": both(&ja, &en),
        "dct:publisher": head["dct:publisher"],
        "dct:spatial": head["dct:spatial"],
        "dcat:landingPage": [{ "@id": landing(Lang::Ja) }, { "@id": landing(Lang::En) }],
    });
    if let Some(modified) = ds.as_of {
        d["dct:modified"] = date(modified);
    }
    if !ds.sources.is_empty() {
        d["dct:source"] = ds.sources.iter().map(|u| json!({ "@id": u })).collect();
    }
    if let Some(l) = head.get("dct:license") {
        d["dct:license"] = l.clone();
    }
    d
}

/// One file of a dataset as a `dcat:Distribution`.
fn distribution(head: &Value, f: &FileDigest, media: &str, format: &str) -> Value {
    let base = head["foaf:homepage"]["@id"].as_str().unwrap_or_default();
    let url = format!("{base}{}", f.path);
    let mut d = json!({
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": f.path.rsplit('/').next().unwrap_or(&f.path),
        "dcat:accessURL": { "@id": url },
        "dcat:downloadURL": { "@id": url },
        "dcat:mediaType": { "@id": format!("http://www.iana.org/assignments/media-types/{media}") },
        "dct:format": { "@id": format!("http://publications.europa.eu/resource/authority/file-type/{format}") },
        "dcat:byteSize": { "@value": f.len.to_string(), "@type": "xsd:nonNegativeInteger" },
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": { "@id": "spdx:checksumAlgorithm_sha256" },
            "spdx:checksumValue": { "@value": f.sha256, "@type": "xsd:hexBinary" },
        },
    });
    if let Some(l) = head.get("dct:license") {
        d["dct:license"] = l.clone();
    }
    d
}
