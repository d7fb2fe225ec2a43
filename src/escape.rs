//! Escaping text for markup: one escaper per output format.
//!
//! The two differ only in `'`. The council map's SVG (a file of its own
//! and inline in its page) and the sitemap are XML and escape it; text in
//! HTML pages (the figures' inline charts, Markdown table labels) never
//! has, and changing either would change published bytes. Every attribute
//! tsunagu writes is double-quoted, so both are safe wherever they are used.

/// Escapes `&`, `<`, `>`, `"` and `'` for text or an attribute value in an
/// XML file (SVG, sitemap).
pub fn xml(s: &str) -> String {
    escape(s, true)
}

/// Escapes `&`, `<`, `>` and `"` for text or a double-quoted attribute
/// value in an HTML page.
pub fn html(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, apostrophe: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if apostrophe => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_escapes_the_apostrophe_and_html_does_not() {
        let s = "a & b < c > d \"e\" f's";
        assert_eq!(
            super::xml(s),
            "a &amp; b &lt; c &gt; d &quot;e&quot; f&#39;s"
        );
        assert_eq!(super::html(s), "a &amp; b &lt; c &gt; d &quot;e&quot; f's");
    }
}
