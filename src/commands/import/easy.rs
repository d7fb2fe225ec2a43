//! Easy texts (`easy = "…"` beside `ja` and `en`, shown on the /easy/
//! pages) through an import. The published CSV and workbook have no easy
//! column, so each easy text of the file being replaced is carried onto
//! the same record and field of the new file when the import leaves its
//! Japanese text as it was. When the import changes that Japanese text,
//! the easy text (which restates the old one) would be wrong or lost:
//! that is an error naming the record and field, and nothing is written.

use std::path::Path;
use toml_edit::{DocumentMut, Item};

/// One easy text of the old file: record id, key path in the record
/// (`["ask_instead"]`, `["contact", "note"]`), its Japanese and easy text.
struct Easy {
    id: String,
    path: Vec<String>,
    ja: String,
    easy: String,
}

/// `new` (the import's TOML) with the easy texts of `old` (the file it
/// replaces, if any) carried over; records are `[[table]]` with an `id`.
pub(super) fn carry(
    old: Option<&str>,
    new: &str,
    table: &str,
    out: &Path,
) -> Result<String, Vec<String>> {
    let found = old.map(|t| easy_texts(t, table)).unwrap_or_default();
    if found.is_empty() {
        return Ok(new.to_string());
    }
    let mut doc: DocumentMut = new.parse().map_err(|e| {
        vec![format!(
            "{}: the imported TOML does not parse: {e}",
            out.display()
        )]
    })?;
    let mut errors = Vec::new();
    for e in &found {
        let Some(record) = doc
            .get_mut(table)
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|a| {
                a.iter_mut()
                    .find(|r| r.get("id").and_then(Item::as_str) == Some(e.id.as_str()))
            })
        else {
            continue; // The import removes the record, and its texts with it.
        };
        let mut item = record.get_mut(&e.path[0]);
        for key in &e.path[1..] {
            item = item.and_then(|i| i.as_table_like_mut()?.get_mut(key));
        }
        let text = item.and_then(Item::as_table_like_mut);
        match text {
            Some(t) if t.get("ja").and_then(Item::as_str) == Some(e.ja.as_str()) => {
                t.insert("easy", toml_edit::value(e.easy.as_str()));
            }
            _ => errors.push(format!(
                "{}: {table} `{}`, {}: the import changes this Japanese text, and its easy text (easy = \"…\") restates the old one; remove the easy text from {} (or change both texts there by hand), then import again",
                out.display(),
                e.id,
                e.path.join("."),
                out.display(),
            )),
        }
    }
    if errors.is_empty() {
        Ok(doc.to_string())
    } else {
        Err(errors)
    }
}

/// Every easy text in the records of `text`.
fn easy_texts(text: &str, table: &str) -> Vec<Easy> {
    fn walk(v: &toml::Value, id: &str, path: &mut Vec<String>, out: &mut Vec<Easy>) {
        let toml::Value::Table(t) = v else { return };
        if let (Some(ja), Some(easy)) = (
            t.get("ja").and_then(toml::Value::as_str),
            t.get("easy").and_then(toml::Value::as_str),
        ) {
            out.push(Easy {
                id: id.to_string(),
                path: path.clone(),
                ja: ja.to_string(),
                easy: easy.to_string(),
            });
            return;
        }
        for (key, value) in t {
            path.push(key.clone());
            walk(value, id, path, out);
            path.pop();
        }
    }
    let Ok(doc) = toml::from_str::<toml::Table>(text) else {
        return Vec::new(); // Validation has reported it already.
    };
    let mut out = Vec::new();
    for record in doc
        .get(table)
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = record.get("id").and_then(toml::Value::as_str) {
            walk(record, id, &mut Vec::new(), &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = r#"[[hub]]
id = "a"
ask_instead = { ja = "区役所", en = "Ward office", easy = "{区役所|くやくしょ}" }

[[hub]]
id = "b"
ask_instead = { ja = "市役所", en = "City office", easy = "{市役所|しやくしょ}" }
"#;

    #[test]
    fn an_easy_text_goes_onto_the_same_field_when_its_japanese_is_unchanged() {
        let new =
            "[[hub]]\nid = \"a\"\nask_instead = { ja = \"区役所\", en = \"Ward office (new)\" }\n";
        let out = carry(Some(OLD), new, "hub", Path::new("data/hubs/x.toml")).expect("carried");
        let doc: toml::Table = toml::from_str(&out).expect("toml");
        let hub = &doc["hub"].as_array().expect("hubs")[0];
        assert_eq!(
            hub["ask_instead"]["easy"].as_str(),
            Some("{区役所|くやくしょ}")
        );
        assert_eq!(hub["ask_instead"]["en"].as_str(), Some("Ward office (new)"));
    }

    #[test]
    fn a_changed_japanese_text_under_an_easy_text_is_an_error_naming_record_and_field() {
        let new = "[[hub]]\nid = \"a\"\nask_instead = { ja = \"区役所の窓口\", en = \"Ward office\" }\n\n[[hub]]\nid = \"b\"\n";
        let errors =
            carry(Some(OLD), new, "hub", Path::new("data/hubs/x.toml")).expect_err("refused");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("hub `a`, ask_instead"), "{errors:?}");
        assert!(errors[1].contains("hub `b`, ask_instead"), "{errors:?}");
    }

    #[test]
    fn a_file_without_easy_texts_is_written_as_the_import_made_it() {
        let new = "[[hub]]\nid = \"a\"  # kept as made\n";
        assert_eq!(
            carry(Some("[[hub]]\nid = \"a\"\n"), new, "hub", Path::new("x")).as_deref(),
            Ok(new)
        );
    }
}
