//! A SYNTHETIC national project for benchmarks and scale tests: every
//! municipality and ward of Japan, hubs, providers and council statuses.
//!
//! Municipal names and codes are real when MLIT N03 boundary data is given
//! (`../shared/geodata/N03-21_210101.json`); everything else — readings,
//! English names, hubs, providers, phone numbers, statuses — is made up from
//! a fixed seed, so the same options give the same bytes. Every record cites
//! the source `synthetic`, whose title says so, and every page shows it. The
//! project is written to a directory of its own, never into `content/` or
//! `data/`.

mod postcodes;

use crate::lang::kana;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What to generate.
pub struct Options {
    /// Number of providers (the national registry has ≈ 20,000).
    pub providers: usize,
    /// N03 GeoJSON of all of Japan; without it, municipalities are invented.
    pub geodata: Option<PathBuf>,
    /// The project's `templates/`, copied into the synthetic project when it exists.
    pub templates: PathBuf,
    /// Number of SYNTHETIC postcodes (all of Japan has ≈ 120,000); 0 for none.
    pub postcodes: usize,
}

/// What was generated.
#[derive(Debug)]
pub struct Summary {
    pub areas: usize,
    pub hubs: usize,
    pub providers: usize,
    pub councils: usize,
    /// Whether names and codes came from N03 data.
    pub real_names: bool,
}

/// A municipality or ward, as generated.
struct Muni {
    code5: String,
    name: String,
    kind: &'static str,
    /// 5-digit code of the designated city, for wards.
    city: Option<String>,
    centroid: (f64, f64),
}

/// splitmix64: a small, fixed PRNG, so output depends only on the options.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The 6-digit local-government code: the 5-digit code plus its check digit.
pub fn with_check_digit(code5: &str) -> String {
    let sum: u32 = code5
        .chars()
        .zip([6, 5, 4, 3, 2])
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    format!("{code5}{}", (11 - sum % 11) % 10)
}

/// A made-up hiragana reading, different for every code.
fn reading(code5: &str, suffix: &str) -> String {
    const SYLLABLES: [&str; 40] = [
        "あ", "い", "う", "え", "お", "か", "き", "く", "け", "こ", "さ", "し", "す", "せ", "そ",
        "た", "ち", "つ", "て", "と", "な", "に", "ぬ", "ね", "の", "は", "ひ", "ふ", "へ", "ほ",
        "ま", "み", "む", "め", "も", "や", "ゆ", "よ", "ら", "り",
    ];
    let n: usize = code5.parse().unwrap_or(0);
    let mut s = String::new();
    for i in 0..3 {
        s.push_str(SYLLABLES[(n / 40usize.pow(i)) % 40]);
    }
    s.push_str(suffix);
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn text(ja: &str, en: &str) -> String {
    format!("{{ ja = {}, en = {} }}", toml_str(ja), toml_str(en))
}

/// Municipalities and wards from N03, or invented (47 × 40) without it;
/// the prefectures' names by 2-digit code; whether the names are real.
fn municipalities(
    geodata: Option<&Path>,
) -> io::Result<(Vec<Muni>, BTreeMap<String, String>, bool)> {
    Ok(match geodata {
        Some(path) => {
            let (munis, prefs) = n03_municipalities(path)?;
            (munis, prefs, true)
        }
        None => {
            let (munis, prefs) = invented_municipalities();
            (munis, prefs, false)
        }
    })
}

/// Municipalities, wards and designated cities of an N03 file, by code.
fn n03_municipalities(path: &Path) -> io::Result<(Vec<Muni>, BTreeMap<String, String>)> {
    let mut prefs: BTreeMap<String, String> = BTreeMap::new();
    let mut munis = Vec::new();
    let json: Value = serde_json::from_slice(&fs::read(path)?).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    })?;
    let mut seen = std::collections::BTreeSet::new();
    for f in json["features"].as_array().into_iter().flatten() {
        let p = &f["properties"];
        let (Some(code5), Some(name)) = (p["N03_007"].as_str(), p["N03_004"].as_str()) else {
            continue;
        };
        if !seen.insert(code5.to_string()) {
            continue;
        }
        let county_or_city = p["N03_003"].as_str().unwrap_or("");
        prefs.insert(
            code5[..2].to_string(),
            p["N03_001"].as_str().unwrap_or("").to_string(),
        );
        let (kind, city) = if name.ends_with('区') && county_or_city.ends_with('市') {
            ("ward", Some(county_or_city.to_string()))
        } else if name.ends_with('区') {
            ("special_ward", None)
        } else if name.ends_with('町') {
            ("town", None)
        } else if name.ends_with('村') {
            ("village", None)
        } else {
            ("city", None)
        };
        munis.push(Muni {
            code5: code5.to_string(),
            name: name.to_string(),
            kind,
            city,
            centroid: centroid(&f["geometry"]),
        });
    }
    // Designated cities: not N03 features of their own. The city's code is
    // its lowest ward code rounded down to tens (14101 → 14100).
    let mut cities: BTreeMap<String, String> = BTreeMap::new();
    for m in munis.iter().filter(|m| m.kind == "ward") {
        let code = format!("{}0", &m.code5[..4]);
        let name = m.city.clone().unwrap_or_default();
        cities
            .entry(name)
            .and_modify(|c| {
                if code < *c {
                    *c = code.clone()
                }
            })
            .or_insert(code);
    }
    for m in munis.iter_mut().filter(|m| m.kind == "ward") {
        m.city = m.city.as_ref().map(|n| cities[n].clone());
    }
    for (name, code) in cities {
        let centroid = munis
            .iter()
            .find(|m| m.city.as_deref() == Some(code.as_str()))
            .map_or((35.0, 137.0), |m| m.centroid);
        munis.push(Muni {
            code5: code,
            name,
            kind: "designated_city",
            city: None,
            centroid,
        });
    }
    munis.sort_by(|a, b| a.code5.cmp(&b.code5));
    Ok((munis, prefs))
}

/// 40 invented municipalities in each of 47 invented prefectures.
fn invented_municipalities() -> (Vec<Muni>, BTreeMap<String, String>) {
    let mut prefs: BTreeMap<String, String> = BTreeMap::new();
    let mut munis = Vec::new();
    let mut rng = Rng(7);
    for p in 1..=47u32 {
        let pc = format!("{p:02}");
        prefs.insert(pc.clone(), format!("合成{p}県"));
        for i in 0..40u32 {
            let code5 = format!("{pc}{:03}", 201 + i);
            let kind = *rng.pick(&["city", "town", "village"]);
            let suffix = match kind {
                "city" => "市",
                "town" => "町",
                _ => "村",
            };
            munis.push(Muni {
                name: format!("合成{}{suffix}", 201 + i),
                code5,
                kind,
                city: None,
                centroid: (31.0 + p as f64 * 0.3, 130.0 + p as f64 * 0.3),
            });
        }
    }
    (munis, prefs)
}

/// Mean of a Polygon's or MultiPolygon's outer-ring vertices, as (lat, lon).
fn centroid(geometry: &Value) -> (f64, f64) {
    let rings: Vec<&Value> = match geometry["type"].as_str() {
        Some("Polygon") => geometry["coordinates"]
            .as_array()
            .into_iter()
            .flatten()
            .take(1)
            .collect(),
        Some("MultiPolygon") => geometry["coordinates"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_array().and_then(|r| r.first()))
            .collect(),
        _ => Vec::new(),
    };
    let (mut lat, mut lon, mut n) = (0.0, 0.0, 0.0);
    for pt in rings.iter().filter_map(|r| r.as_array()).flatten() {
        if let (Some(x), Some(y)) = (pt[0].as_f64(), pt[1].as_f64()) {
            lon += x;
            lat += y;
            n += 1.0;
        }
    }
    if n == 0.0 {
        (35.0, 137.0)
    } else {
        (lat / n, lon / n)
    }
}

const SOURCE: &str = "synthetic";
const AS_OF: &str = "2026-04-01";

/// Writes the synthetic project into `out` (which must not exist or be empty).
pub fn generate(out: &Path, opts: &Options) -> io::Result<Summary> {
    if out.exists() && fs::read_dir(out)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not empty: give a new directory", out.display()),
        ));
    }
    let (munis, prefs, real_names) = municipalities(opts.geodata.as_deref())?;
    let mut rng = Rng(0x0074_7375_6e61_6775);
    for dir in [
        "content",
        "data/areas",
        "data/hubs",
        "data/providers",
        "data/councils",
    ] {
        fs::create_dir_all(out.join(dir))?;
    }
    write_site(out, opts)?;
    let areas = write_areas(out, &munis, &prefs)?;
    // Hubs and providers serve municipalities and wards, not the cities
    // wards belong to.
    let leaves: Vec<&Muni> = munis
        .iter()
        .filter(|m| m.kind != "designated_city")
        .collect();
    let hubs = write_hubs(out, &leaves, &prefs)?;
    // Providers draw from the generator first, then councils.
    write_providers(out, &leaves, opts.providers, &mut rng)?;
    write_councils(out, &munis, &prefs, &mut rng)?;
    postcodes::write(out, &leaves, opts.postcodes, &mut rng)?;
    Ok(Summary {
        areas,
        hubs,
        providers: opts.providers,
        councils: prefs.len(),
        real_names,
    })
}

/// The templates, configuration, home page and the one source.
fn write_site(out: &Path, opts: &Options) -> io::Result<()> {
    // A project without templates/ builds with the embedded default theme.
    if opts.templates.is_dir() {
        copy_dir(&opts.templates, &out.join("templates"))?;
    }
    fs::write(
        out.join("tsunagu.toml"),
        "# SYNTHETIC benchmark project written by `tsunagu bench-data`.\n\
         base_url = \"https://bench.example.org/\"\n\
         languages = [\"ja\", \"en\"]\n\
         # Flyers (≈ 7 ms each, 8,000 here) are measured apart; see benches/README.md.\n\
         pdf_flyers = false\n\
         title = { ja = \"合成データによる全国版（ベンチマーク用）\", en = \"National site from synthetic data (benchmark)\" }\n\
         description = { ja = \"ベンチマーク用の合成データです。実在の情報ではありません。\", en = \"Synthetic data for benchmarks; not real information.\" }\n",
    )?;
    for (lang, title, body) in [
        (
            "ja",
            "合成データ",
            "このサイトは**ベンチマーク用の合成データ**です。市区町村名とコード以外は実在しません。",
        ),
        (
            "en",
            "Synthetic data",
            "This site is **synthetic data for benchmarks**. Apart from municipal names and codes, nothing in it is real.",
        ),
    ] {
        fs::write(
            out.join(format!("content/_index.{lang}.md")),
            format!(
                "+++\ntitle = \"{title}\"\nsources = [\"{SOURCE}\"]\nas_of = \"{AS_OF}\"\n+++\n{body}\n"
            ),
        )?;
    }
    fs::write(
        out.join("data/sources.toml"),
        format!(
            "[[source]]\nid = \"{SOURCE}\"\ntitle = {}\npublisher = {}\n",
            text(
                "合成データ（ベンチマーク用・実在しない）",
                "Synthetic data (benchmark; not real)"
            ),
            text("tsunagu bench-data", "tsunagu bench-data"),
        ),
    )?;
    Ok(())
}

/// Areas, one file per prefecture; returns how many.
fn write_areas(out: &Path, munis: &[Muni], prefs: &BTreeMap<String, String>) -> io::Result<usize> {
    let mut areas = 0;
    for (pc, pname) in prefs {
        let pcode = with_check_digit(&format!("{pc}000"));
        let romaji = capitalise(&kana::to_romaji(&reading(&format!("{pc}000"), "")));
        let mut f = String::from(
            "# SYNTHETIC: names and codes from N03; readings and English names are made up.\n",
        );
        writeln!(
            f,
            "[[area]]\ncode = \"{pcode}\"\nkind = \"prefecture\"\nname = {}\nkana = \"{}\"\nsource = \"{SOURCE}\"\nas_of = \"{AS_OF}\"\n",
            text(pname, &format!("{romaji} Prefecture")),
            reading(&format!("{pc}000"), "けん"),
        )
        .ok();
        areas += 1;
        for m in munis.iter().filter(|m| &m.code5[..2] == pc) {
            let (kana_suffix, en_suffix) = match m.kind {
                "ward" | "special_ward" => ("く", "Ward"),
                "town" => ("まち", "Town"),
                "village" => ("むら", "Village"),
                _ => ("し", "City"),
            };
            let parent = match &m.city {
                Some(c) => with_check_digit(c),
                None => pcode.clone(),
            };
            let romaji = capitalise(&kana::to_romaji(&reading(&m.code5, "")));
            writeln!(
                f,
                "[[area]]\ncode = \"{}\"\nkind = \"{}\"\nname = {}\nkana = \"{}\"\nparent = \"{parent}\"\nsource = \"{SOURCE}\"\nas_of = \"{AS_OF}\"\n",
                with_check_digit(&m.code5),
                m.kind,
                text(&m.name, &format!("{romaji} {en_suffix}")),
                reading(&m.code5, kana_suffix),
            )
            .ok();
            areas += 1;
        }
        fs::write(out.join(format!("data/areas/{pc}.toml")), f)?;
    }
    Ok(areas)
}

/// Hubs: one per five municipalities or wards, within a prefecture;
/// returns how many.
fn write_hubs(out: &Path, leaves: &[&Muni], prefs: &BTreeMap<String, String>) -> io::Result<usize> {
    let mut hubs = 0;
    for pc in prefs.keys() {
        let mine: Vec<&&Muni> = leaves.iter().filter(|m| &m.code5[..2] == pc).collect();
        let mut f = String::from("# SYNTHETIC hubs: names, contacts and dates are made up.\n");
        for group in mine.chunks(5) {
            hubs += 1;
            let first = group[0];
            let codes: Vec<String> = group
                .iter()
                .map(|m| format!("\"{}\"", with_check_digit(&m.code5)))
                .collect();
            writeln!(
                f,
                "[[hub]]\nid = \"syn-hub-{hubs}\"\nname = {}\nareas = [{}]\nstarted = \"2020-04-01\"\n\
                 operator = {}\naddress = {}\nsource = \"{SOURCE}\"\nas_of = \"{AS_OF}\"\nlast_verified = \"2026-10-01\"\n\
                 [hub.contact]\nphone = \"0{}-000-{:04}\"\nhours = {}\n",
                text(
                    &format!("{}ほか 合成コーディネーター拠点 {hubs}", first.name),
                    &format!("Synthetic coordinator hub {hubs}"),
                ),
                codes.join(", "),
                text("合成法人", "Synthetic corporation"),
                text(&format!("{}一丁目1番1号（合成）", first.name), "1-1-1 (synthetic)"),
                10 + hubs % 89,
                hubs % 10_000,
                text("平日 9時〜17時", "Weekdays 9:00–17:00"),
            )
            .ok();
        }
        fs::write(out.join(format!("data/hubs/{pc}.toml")), f)?;
    }
    Ok(hubs)
}

/// `count` providers, spread over municipalities; one file per prefecture.
fn write_providers(out: &Path, leaves: &[&Muni], count: usize, rng: &mut Rng) -> io::Result<()> {
    const KINDS: [&str; 10] = [
        "visiting_nursing",
        "home_help",
        "short_stay",
        "child_development_support",
        "after_school_day_service",
        "nursery",
        "daily_life_care",
        "hospital_clinic",
        "consultation_support",
        "other",
    ];
    const NEEDS: [&str; 13] = [
        "ventilator",
        "tracheostomy",
        "oxygen",
        "suction",
        "nebulizer",
        "tube_feeding",
        "central_venous_catheter",
        "injection",
        "blood_glucose",
        "dialysis",
        "urinary_catheter",
        "bowel_management",
        "seizure",
    ];
    const CAP: [&str; 3] = ["yes", "no", "unknown"];
    let mut by_pref: BTreeMap<&str, String> = BTreeMap::new();
    for i in 0..count {
        let m = leaves[rng.below(leaves.len())];
        let f = by_pref
            .entry(&m.code5[..2])
            .or_insert_with(|| String::from("# SYNTHETIC providers: every field is made up.\n"));
        let mut care = Vec::new();
        for n in NEEDS {
            if rng.below(4) != 0 {
                care.push(format!("{n} = \"{}\"", rng.pick(&CAP)));
            }
        }
        let kind = rng.pick(&KINDS);
        let (lat, lon) = (
            (m.centroid.0 + (rng.below(200) as f64 - 100.0) / 5000.0).clamp(20.5, 45.5),
            (m.centroid.1 + (rng.below(200) as f64 - 100.0) / 5000.0).clamp(122.9, 153.9),
        );
        writeln!(
            f,
            "[[provider]]\nid = \"syn-{i}\"\nname = {}\nkana = \"ゴウセイジギョウショ\"\nkind = \"{kind}\"\nareas = [\"{}\"]\n\
             care = {{ {} }}\nages = {{ preschool = \"{}\", school_age = \"{}\", adult = \"{}\" }}\n\
             operator = {}\nrole = {}\naddress = {}\npostcode = \"{:03}-{:04}\"\nlatitude = {lat:.5}\nlongitude = {lon:.5}\n\
             url = \"https://provider-{i}.example.org/\"\nnote = {}\nsource = \"{SOURCE}\"\nas_of = \"{AS_OF}\"\nlast_verified = \"2026-{:02}-01\"\n\
             [provider.contact]\nphone = \"0{}-{:03}-{:04}\"\nfax = \"0{}-{:03}-{:04}\"\nemail = \"info@provider-{i}.example.org\"\nhours = {}\n",
            text(
                &format!("合成事業所{i}（{}）", m.name),
                &format!("Synthetic provider {i}"),
            ),
            with_check_digit(&m.code5),
            care.join(", "),
            rng.pick(&CAP),
            rng.pick(&CAP),
            rng.pick(&CAP),
            text(&format!("合成法人{}", i % 997), &format!("Synthetic corporation {}", i % 997)),
            text(
                "医療的ケアが必要な子どもと家族の在宅生活を支える合成の事業所です。訪問、相談、短期の預かりなどを行います。",
                "A synthetic provider supporting children who need medical care, and their families, at home: visits, consultation and short stays.",
            ),
            text(
                &format!("{}{}丁目{}番{}号 合成ビル{}階", m.name, 1 + i % 9, 1 + i % 30, 1 + i % 20, 1 + i % 8),
                &format!("{}-{}-{} Synthetic Building {}F", 1 + i % 9, 1 + i % 30, 1 + i % 20, 1 + i % 8),
            ),
            100 + i % 900,
            i % 10_000,
            text(
                "受け入れの可否は時期によって変わります。事前にお問い合わせください。（合成データ）",
                "Whether a place is available changes over time; please ask first. (Synthetic data.)",
            ),
            1 + i % 10,
            10 + i % 89,
            i % 1000,
            i % 10_000,
            10 + i % 89,
            (i + 1) % 1000,
            i % 10_000,
            text("月〜金 9時〜18時", "Mon–Fri 9:00–18:00"),
        )
        .ok();
    }
    for (pc, f) in &by_pref {
        fs::write(out.join(format!("data/providers/{pc}.toml")), f)?;
    }
    Ok(())
}

/// Councils: a status for every municipality (not ward) of every prefecture.
fn write_councils(
    out: &Path,
    munis: &[Muni],
    prefs: &BTreeMap<String, String>,
    rng: &mut Rng,
) -> io::Result<()> {
    const STATUS: [&str; 4] = ["alone", "joint", "not_set", "unknown"];
    for pc in prefs.keys() {
        let mut f = format!(
            "# SYNTHETIC council statuses.\nprefecture = \"{}\"\n\n",
            with_check_digit(&format!("{pc}000"))
        );
        for m in munis
            .iter()
            .filter(|m| &m.code5[..2] == pc && m.kind != "ward")
        {
            writeln!(
                f,
                "[[status]]\narea = \"{}\"\nas_of = \"{AS_OF}\"\nstatus = \"{}\"\nsource = \"{SOURCE}\"\n",
                with_check_digit(&m.code5),
                rng.pick(&STATUS),
            )
            .ok();
        }
        fs::write(out.join(format!("data/councils/{pc}.toml")), f)?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(from).map_err(io::Error::other)?;
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest)?;
        } else {
            fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}
