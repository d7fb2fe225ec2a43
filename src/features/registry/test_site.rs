//! A tiny project for the registry's unit tests, loaded with the real
//! loader: the SYNTHETIC minimal fixture (`tests/fixtures/minimal`: 神奈川県 ›
//! 横浜市 › 港北区, one hub), the repository's templates, 東京都 › 千代田区
//! (so lists can span two prefectures), and the providers a test writes.

use crate::model::Site;
use std::fs;
use std::path::Path;

/// 港北区 (Kanagawa) and 千代田区 (Tokyo).
pub const KOHOKU: &str = "141097";
pub const CHIYODA: &str = "131016";
pub const KANAGAWA: &str = "140007";
pub const TOKYO: &str = "130001";

const TOKYO_AREAS: &str = r#"
[[area]]
code = "130001"
kind = "prefecture"
name = { ja = "東京都", en = "Tokyo" }
kana = "とうきょうと"
source = "test-source"
as_of = "2021-01-01"

[[area]]
code = "131016"
kind = "special_ward"
name = { ja = "千代田区", en = "Chiyoda City" }
kana = "ちよだく"
parent = "130001"
source = "test-source"
as_of = "2021-01-01"
"#;

pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    pub fn new() -> TestSite {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&repo.join("tests/fixtures/minimal"), dir.path());
        copy_dir(&repo.join("templates"), &dir.path().join("templates"));
        fs::write(dir.path().join("data/areas/tokyo.toml"), TOKYO_AREAS).expect("areas");
        fs::create_dir_all(dir.path().join("data/providers")).expect("mkdir");
        TestSite { dir }
    }

    /// Replaces the project's providers with `records` (TOML).
    pub fn providers(&self, records: &str) -> &TestSite {
        let path = self.dir.path().join("data/providers/test.toml");
        fs::write(path, records).expect("providers");
        self
    }

    pub fn load(&self) -> Site {
        match crate::pipeline::load_site(self.dir.path(), None) {
            Ok(site) => site,
            Err(d) => {
                let errors: Vec<String> = d.sorted().iter().map(|e| e.to_string()).collect();
                panic!("the test project does not validate: {errors:#?}")
            }
        }
    }
}

/// A provider record: `id`, kind key, one area code, then `extra` lines
/// (e.g. `care = { ventilator = "yes" }`; tables inline, as the source
/// lines follow).
pub fn provider(id: &str, kind: &str, area: &str, extra: &str) -> String {
    format!(
        r#"
[[provider]]
id = "{id}"
name = {{ ja = "事業所{id}", en = "Provider {id}" }}
kind = "{kind}"
areas = ["{area}"]
{extra}
source = "test-source"
as_of = "2024-04-01"
last_verified = "2025-01-01"
"#
    )
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let dest = to.join(e.path().strip_prefix(from).expect("prefix"));
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
}
