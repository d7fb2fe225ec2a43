//! Ids that name a page or a file — `hubs/<id>/`, `registry/<id>/`,
//! `flyers/hubs-<id>.pdf`, a content page's key — are names, never paths:
//! one rule for all of them, so no id can reach outside the output
//! directory (`../..`), overwrite another page (`..`) or fail late.

/// Longest id accepted: ids become URL segments and file names.
pub const MAX_ID_LEN: usize = 64;

/// Checks an id: 1–64 lowercase ASCII letters, digits and hyphens, starting
/// and ending with a letter or digit (`yokohama-tsurumi`, `chiyoda-1`).
pub fn check_id(id: &str) -> Result<(), String> {
    let shown = || id.chars().take(MAX_ID_LEN + 8).collect::<String>();
    if id.is_empty() {
        return Err("id is empty".into());
    }
    if id.len() > MAX_ID_LEN {
        return Err(format!(
            "id `{}…` is longer than {MAX_ID_LEN} characters",
            shown()
        ));
    }
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = id.as_bytes();
    if !bytes.iter().all(|&b| allowed(b) || b == b'-')
        || !allowed(bytes[0])
        || !allowed(bytes[bytes.len() - 1])
    {
        return Err(format!(
            "id `{}` must be lowercase letters, digits and hyphens, starting and ending with a letter or digit",
            shown()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_id;

    #[test]
    fn ids_are_names_not_paths() {
        for good in ["yokohama-tsurumi", "a", "0", "chiyoda-1", &"a".repeat(64)] {
            assert!(check_id(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../../../../esc",
            "a/b",
            "a\\b",
            "with space",
            "a\0b",
            "Upper",
            "-lead",
            "trail-",
            "名前",
            "a.b",
            &"a".repeat(65),
            "a\u{1b}b",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
    }
}
