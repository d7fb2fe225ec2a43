//! Checks of single field values (URLs, phone numbers, e-mail addresses,
//! postcodes, readings, locations, ids), shared by validation and
//! `tsunagu import`, so a value is accepted or refused the same way by both.

/// Provider ids that would collide with the registry's own pages
/// (`registry/kinds/`, `registry/care/`, …).
pub const RESERVED_PROVIDER_IDS: &[&str] =
    &["kinds", "care", "areas", "coordinators", "prefectures"];

/// What follows `https://` or `http://`, or `None` for any other URL.
fn after_scheme(url: &str) -> Option<&str> {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
}

/// Checks a URL from data: absolute http(s) with a host and nothing that
/// could break out of an attribute.
pub fn check_url(url: &str) -> Result<(), String> {
    let rest = after_scheme(url).ok_or_else(|| format!("`{url}` is not an http(s) URL"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') && host != "localhost" {
        return Err(format!("`{url}` has no host"));
    }
    if url.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
    }) {
        return Err(format!("`{url}` contains characters not allowed in a URL"));
    }
    Ok(())
}

/// Checks and normalises the site's base URL (`base_url`, `--base-url`):
/// absolute http(s), ending in `/`.
///
/// Looser than [`check_url`] where a site may be served: a host without a
/// dot (`http://intranet/`, `http://localhost:8080/`) is accepted. Stricter
/// in that every page URL is the base plus a path: no query or fragment.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = after_scheme(url)
        .ok_or_else(|| format!("base URL `{url}` must start with https:// or http://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("base URL `{url}` has no host"));
    }
    if url.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err(format!(
            "base URL `{url}` must not contain a query, fragment or spaces"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// Checks a Japanese phone or fax number as written in data.
pub fn check_phone(phone: &str) -> Result<(), String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')' | '+'));
    let ok_len = if phone.starts_with('+') {
        (11..=13).contains(&digits.len())
    } else {
        (10..=11).contains(&digits.len())
    };
    // `00…` is the international call prefix, not a number (tel:0000000000).
    if !allowed
        || !ok_len
        || !(phone.starts_with('0') || phone.starts_with('+'))
        || digits.starts_with("00")
    {
        return Err(format!("`{phone}` is not a phone number"));
    }
    Ok(())
}

/// Checks an e-mail address as written in data: one `@`, a domain of
/// letters, digits, hyphens and dots, and nothing a `mailto:` link would
/// read as more than the address (`?bcc=…&body=…`, a second address).
pub fn check_email(e: &str) -> Result<(), String> {
    let ok = e.split_once('@').is_some_and(|(u, d)| {
        !u.is_empty()
            && d.contains('.')
            && !d.starts_with('.')
            && !d.ends_with('.')
            && d.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    }) && !e.chars().any(|ch| {
        ch.is_whitespace()
            || ch.is_control()
            || matches!(
                ch,
                '"' | '<' | '>' | '\'' | '\\' | '?' | '&' | ',' | ';' | ':' | '/' | '%' | '#'
            )
    });
    if ok {
        Ok(())
    } else {
        Err(format!("`{e}` is not an e-mail address"))
    }
}

/// Checks a Japanese postcode: `100-0001` (or 7 digits).
pub fn check_postcode(p: &str) -> Result<(), String> {
    let b = p.as_bytes();
    let ok = (b.len() == 8
        && b[3] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 3 || c.is_ascii_digit()))
        || (b.len() == 7 && b.iter().all(u8::is_ascii_digit));
    if ok {
        Ok(())
    } else {
        Err(format!("`{p}` is not a postcode (write 123-4567)"))
    }
}

/// Checks a katakana reading (名称_カナ): full-width katakana, 長音, 中黒, spaces.
pub fn check_katakana(k: &str) -> Result<(), String> {
    let ok = !k.trim().is_empty()
        && k.chars()
            .all(|c| matches!(c, 'ァ'..='ヶ' | 'ー' | '・' | '　' | ' ' | 'ヽ' | 'ヾ'));
    if ok {
        Ok(())
    } else {
        Err(format!("reading `{k}` is not full-width katakana"))
    }
}

/// Checks latitude/longitude (WGS 84, decimal degrees, Japan's range loosely).
pub fn check_location(lat: f64, lon: f64) -> Result<(), String> {
    if (20.0..=46.0).contains(&lat) && (122.0..=154.0).contains(&lon) {
        Ok(())
    } else {
        Err(format!(
            "latitude {lat}, longitude {lon} is not in Japan (decimal degrees, WGS 84)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_base_url as base;
    use super::{check_email, check_phone};

    #[test]
    fn phone_numbers_are_real_numbers() {
        for good in [
            "045-000-0000",
            "03-1234-5678",
            "0120-000-000",
            "+81-45-000-0000",
        ] {
            assert!(check_phone(good).is_ok(), "{good}");
        }
        for bad in ["0000000000", "00-1234-5678", "12", "045-000-000a"] {
            assert!(check_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_email_address_is_only_an_address() {
        for good in ["info@example.org", "a.b+c@city.yokohama.lg.jp"] {
            assert!(check_email(good).is_ok(), "{good}");
        }
        for bad in [
            "info@example.org?bcc=x@example.org&body=hi",
            "a@example.org,b@example.org",
            "a@example.org;b@example.org",
            "no-at.example.org",
            "a@example",
            "a@.example.org",
            "a@exa mple.org",
            "a@example.org/x",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base_urls_end_in_a_slash_and_may_have_any_host() {
        assert_eq!(
            base(" https://example.org/x ").as_deref(),
            Ok("https://example.org/x/")
        );
        assert_eq!(
            base("http://localhost:8080/").as_deref(),
            Ok("http://localhost:8080/")
        );
        assert_eq!(base("http://intranet").as_deref(), Ok("http://intranet/"));
        assert!(base("ftp://example.org/").is_err());
        assert!(base("https:///x").is_err());
        assert!(base("https://example.org/?q").is_err());
        assert!(base("https://example.org/#top").is_err());
    }
}
