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

/// The lowest contrast ratio against white that normal text may have
/// (WCAG 2.2, 1.4.3 Contrast (Minimum), level AA).
pub const MIN_TEXT_CONTRAST: f64 = 4.5;

/// Checks a text colour written `#rrggbb` (or `#rgb`): readable as link
/// text on white, i.e. a contrast ratio of at least [`MIN_TEXT_CONTRAST`].
pub fn check_text_color(hex: &str) -> Result<[u8; 3], String> {
    let digits = hex
        .strip_prefix('#')
        .filter(|d| matches!(d.len(), 3 | 6) && d.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| format!("`{hex}` is not a colour (write #rrggbb, e.g. #0b5394)"))?;
    let digits: String = if digits.len() == 3 {
        digits.chars().flat_map(|c| [c, c]).collect()
    } else {
        digits.to_string()
    };
    let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).unwrap_or(0);
    let rgb = [channel(0), channel(2), channel(4)];
    let ratio = contrast_with_white(rgb);
    if ratio < MIN_TEXT_CONTRAST {
        return Err(format!(
            "`{hex}` has a contrast of {:.2}:1 against white, below the 4.5:1 text needs",
            (ratio * 100.0).floor() / 100.0
        ));
    }
    Ok(rgb)
}

/// The WCAG contrast ratio of an sRGB colour against white, 1 to 21.
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
    1.05 / (l + 0.05)
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
    use super::{check_email, check_phone, check_text_color, contrast_with_white};

    #[test]
    fn text_colours_need_4_5_to_1_against_white() {
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 1e-9);
        assert!((contrast_with_white([255, 255, 255]) - 1.0).abs() < 1e-9);
        // #767676 is the lightest grey that passes; #777777 fails.
        assert_eq!(check_text_color("#767676"), Ok([0x76, 0x76, 0x76]));
        let err = check_text_color("#777777").expect_err("too light");
        assert!(err.contains("4.47:1"), "{err}");
        assert_eq!(check_text_color("#05a"), Ok([0, 0x55, 0xaa]));
        for bad in ["0b5394", "#0b539", "#0b539g", "blue", "#0b5394 "] {
            assert!(check_text_color(bad).is_err(), "{bad}");
        }
    }

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
