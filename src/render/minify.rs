//! Minify: smaller HTML, CSS and JavaScript, and HTML templates minified
//! once so that the pages rendered from them need no minifying at all.
//!
//! A national build renders ~47,000 pages; minifying each one after
//! rendering took about a third of its time. A template is mostly markup,
//! and the data tera puts into it is escaped text with nothing to minify,
//! so minifying the template once gives the same pages. [`template`] does
//! that where it can prove it safe, and declines otherwise: the pages of a
//! declined template are minified after rendering, as before.

/// Minifies HTML. The one-pass minifier comes first: it is several times
/// faster than minify-html, but it accepts only well-formed HTML. Whatever
/// it rejects (say, raw HTML in Markdown with a stray closing tag) goes
/// through minify-html, which accepts any HTML and keeps its closing tags
/// as written.
pub fn html(html: &str) -> Vec<u8> {
    if let Some(code) = one_pass(html) {
        return code;
    }
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html.as_bytes(), &cfg)
}

/// A minified HTML fragment (a page's Markdown, a chart): made once where
/// the fragment is made, so the pages inserting it with `| safe` can be
/// rendered from minified templates with no pass over the whole page.
pub fn fragment(html: &str) -> String {
    String::from_utf8(self::html(html)).unwrap_or_else(|_| html.to_string())
}

/// The one-pass minifier's output, if it accepts the HTML.
fn one_pass(html: &str) -> Option<Vec<u8>> {
    let mut code = html.as_bytes().to_vec();
    let cfg = minify_html_onepass::Cfg {
        minify_js: true,
        minify_css: true,
    };
    let len = minify_html_onepass::in_place(&mut code, &cfg).ok()?;
    code.truncate(len);
    Some(code)
}

/// Minifies a stylesheet or script by passing it through the HTML minifier
/// inside its element (`tag`: `style` or `script`), which runs the same
/// CSS/JS minifiers as inline code.
pub fn asset(bytes: &[u8], tag: &str) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let wrapped = format!("<{tag}>{text}</{tag}>");
    let out = html(&wrapped);
    let out = String::from_utf8_lossy(&out);
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    match (out.find(&open), out.rfind(&close)) {
        (Some(s), Some(e)) if e >= s + open.len() => out[s + open.len()..e].as_bytes().to_vec(),
        _ => bytes.to_vec(),
    }
}

/// A minified tera HTML template, or `None` where minifying the template
/// might not give what minifying its pages gives.
///
/// Each tera tag (`{{ … }}`, `{% … %}`, `{# … #}`) is swapped for a
/// placeholder the minifier keeps as it is: text in text, a quoted piece of
/// the value in an attribute value (so the value keeps its quotes, whatever
/// the data), an attribute of its own between attributes. The markup is
/// minified and the tags are put back. The template is declined when a tag
/// sits anywhere else (in a tag name, an unquoted value, a comment, inside
/// a script or a style), when its elements do not nest as written (an
/// element opened in one `{% if %}` branch and closed in another), or when
/// a placeholder does not come out of the minifier exactly once and in
/// order.
pub fn template(source: &str) -> Option<String> {
    let (marked, tags) = mark(source)?;
    // Text after the last tag keeps the minifier from dropping a closing
    // tag at the end of a fragment (a partial's `</p>` is not the end of
    // the page it is included in). Only the one-pass minifier: minify-html
    // may reorder attributes, placeholders among them.
    let marked = format!("{marked}{}", text_mark(END));
    let out = String::from_utf8(one_pass(&marked)?).ok()?;
    let out = out.strip_suffix(&text_mark(END))?;
    unmark(&spaced(out)?, &tags)
}

/// `html` with a space wherever an attribute follows a quoted value
/// directly. The minifier leaves it out, which browsers accept, but it is
/// a parse error; pages minified whole rarely have quoted values, pages of
/// minified templates have many (every value with a tera tag in it).
fn spaced(html: &str) -> Option<String> {
    let mut markup = Markup::default();
    markup.feed(html)?;
    let mut out = String::with_capacity(html.len() + markup.gaps.len());
    let mut from = 0;
    for gap in markup.gaps {
        out.push_str(&html[from..gap]);
        out.push(' ');
        from = gap;
    }
    out.push_str(&html[from..]);
    Some(out)
}

/// Marks a placeholder in text and values: private-use characters around
/// its number. Between attributes it is an attribute, [`ATTRIBUTE`] and
/// its number (the minifier takes only ASCII names there).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';
const ATTRIBUTE: &str = "data-tsunagu-tag-";
/// The number of the placeholder that ends a template.
const END: usize = usize::MAX;

fn text_mark(n: usize) -> String {
    format!("{OPEN}{n}{CLOSE}")
}

/// The space inside keeps the attribute value quoted.
fn value_mark(n: usize) -> String {
    format!("{OPEN} {n}{CLOSE}")
}

fn attribute_mark(n: usize) -> String {
    format!(" {ATTRIBUTE}{n} ")
}

/// Where in the markup a tera tag sits.
#[derive(Clone, Copy, PartialEq)]
enum At {
    Text,
    /// Inside a start or end tag, between attributes.
    Tag,
    /// Inside a quoted attribute value.
    Value,
    /// Somewhere a placeholder could change the markup.
    Elsewhere,
}

/// The template with its tera tags replaced by placeholders, and the tags.
fn mark(source: &str) -> Option<(String, Vec<&str>)> {
    if source.contains(OPEN) || source.contains(CLOSE) || source.contains(ATTRIBUTE) {
        return None;
    }
    let mut markup = Markup {
        nested: true,
        ..Markup::default()
    };
    let mut marked = String::with_capacity(source.len());
    let mut tags = Vec::new();
    let mut rest = source;
    while let Some(start) = find_tag(rest) {
        let (before, from) = rest.split_at(start);
        markup.feed(before)?;
        marked.push_str(before);
        let len = tag_len(from)?;
        let (tag, after) = from.split_at(len);
        let n = tags.len();
        match markup.at() {
            At::Text if !markup.after_lt() => marked.push_str(&text_mark(n)),
            At::Tag if markup.between_attributes() && starts_attribute_gap(after) => {
                marked.push_str(&attribute_mark(n))
            }
            At::Value => marked.push_str(&value_mark(n)),
            At::Text | At::Tag | At::Elsewhere => return None,
        }
        tags.push(tag);
        rest = after;
    }
    markup.feed(rest)?;
    marked.push_str(rest);
    markup.finished().then_some((marked, tags))
}

/// After a tag between attributes comes the end of the tag, a space or
/// another tera tag; anything else would join the placeholder to a name.
fn starts_attribute_gap(after: &str) -> bool {
    after.is_empty()
        || after.starts_with(['>', '/', '{'])
        || after.starts_with(|c: char| c.is_ascii_whitespace())
}

/// The tera tags of a template, in order; `None` if one never ends or the
/// template has a `{% raw %}` block.
pub fn tera_tags(source: &str) -> Option<Vec<&str>> {
    let mut tags = Vec::new();
    let mut rest = source;
    while let Some(start) = find_tag(rest) {
        let len = tag_len(&rest[start..])?;
        tags.push(&rest[start..start + len]);
        rest = &rest[start + len..];
    }
    Some(tags)
}

/// Where the next tera tag starts.
fn find_tag(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    (0..bytes.len().saturating_sub(1))
        .find(|&i| bytes[i] == b'{' && matches!(bytes[i + 1], b'{' | b'%' | b'#'))
}

/// The length of the tera tag at the start of `s`, string literals inside
/// it included; `None` if it never ends, or for `{% raw %}`, whose body is
/// not tera.
fn tag_len(s: &str) -> Option<usize> {
    let close = match &s[..2] {
        "{{" => "}}",
        "{%" => "%}",
        _ => return s.find("#}").map(|e| e + 2),
    };
    let inner = s[2..].trim_start_matches('-').trim_start();
    if close == "%}" && (inner.starts_with("raw") || inner.starts_with("endraw")) {
        return None;
    }
    let bytes = s.as_bytes();
    let mut quote = None;
    let mut i = 2;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if matches!(b, b'"' | b'\'' | b'`') => quote = Some(b),
            None if s[i..].starts_with(close) => return Some(i + 2),
            None => {}
        }
        i += 1;
    }
    None
}

/// Just enough of an HTML tokenizer to know where a tera tag sits, whether
/// the template's elements nest, and where an attribute follows a quoted
/// value with no space between.
#[derive(Default)]
struct Markup {
    /// Whether closing tags must match the elements open (in a template as
    /// written; minified HTML omits some).
    nested: bool,
    at: AtState,
    /// Names of the elements open, innermost last.
    open: Vec<String>,
    /// The tag being read: its name, and whether it closes an element.
    tag: String,
    closing: bool,
    /// The last character fed.
    last: Option<char>,
    /// Before that one.
    before_last: Option<char>,
    /// The last character closed a quoted attribute value.
    quote_closed: bool,
    /// Bytes fed before the current piece.
    offset: usize,
    /// Where an attribute follows a quoted value with no space between.
    gaps: Vec<usize>,
}

#[derive(Default, Clone, Copy, PartialEq)]
enum AtState {
    #[default]
    Text,
    TagName,
    Tag,
    /// After `=`, before the value.
    Equals,
    Value(char),
    Unquoted,
    Comment,
    /// `<!DOCTYPE …>` and the like.
    Declaration,
    /// The content of a script or style, up to its end tag.
    Raw,
}

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

impl Markup {
    /// Reads markup; `None` where the template cannot be minified
    /// (a script, a style, a mis-nested element).
    fn feed(&mut self, s: &str) -> Option<()> {
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if std::mem::take(&mut self.quote_closed)
                && self.at == AtState::Tag
                && !(c.is_ascii_whitespace() || c == '>' || c == '/')
            {
                self.gaps.push(self.offset + i);
            }
            match self.at {
                AtState::Text if c == '<' => {
                    let next = s[i + 1..].chars().next();
                    if s[i..].starts_with("<!--") {
                        self.at = AtState::Comment;
                    } else if next == Some('!') || next == Some('?') {
                        self.at = AtState::Declaration;
                    } else if next == Some('/') || next.is_some_and(|n| n.is_ascii_alphabetic()) {
                        self.at = AtState::TagName;
                        self.tag.clear();
                        self.closing = next == Some('/');
                        if self.closing {
                            chars.next();
                        }
                    }
                }
                AtState::Text => {}
                AtState::TagName if c.is_ascii_alphanumeric() || c == '-' => {
                    self.tag.push(c.to_ascii_lowercase())
                }
                AtState::TagName | AtState::Tag => match c {
                    '>' => self.end_tag()?,
                    '=' => self.at = AtState::Equals,
                    _ => self.at = AtState::Tag,
                },
                AtState::Equals => match c {
                    '"' | '\'' => self.at = AtState::Value(c),
                    c if c.is_ascii_whitespace() => {}
                    '>' => self.end_tag()?,
                    _ => self.at = AtState::Unquoted,
                },
                AtState::Value(q) if c == q => {
                    self.at = AtState::Tag;
                    self.quote_closed = true;
                }
                AtState::Value(_) => {}
                AtState::Unquoted if c.is_ascii_whitespace() => self.at = AtState::Tag,
                AtState::Unquoted if c == '>' => self.end_tag()?,
                AtState::Unquoted => {}
                AtState::Comment if c == '>' && s[..i].ends_with("--") => self.at = AtState::Text,
                AtState::Comment => {}
                AtState::Declaration if c == '>' => self.at = AtState::Text,
                AtState::Declaration => {}
                AtState::Raw => {
                    let end = format!("</{}", self.open.last()?);
                    if s[i..].len() >= end.len()
                        && s.is_char_boundary(i + end.len())
                        && s[i..i + end.len()].eq_ignore_ascii_case(&end)
                    {
                        self.at = AtState::TagName;
                        self.tag.clear();
                        self.closing = true;
                        chars.next();
                    }
                }
            }
            self.before_last = self.last;
            self.last = Some(c);
        }
        self.offset += s.len();
        Some(())
    }

    /// At `>`: the element opens or closes; its content is text again
    /// (or, in a script or style, raw text).
    fn end_tag(&mut self) -> Option<()> {
        self.at = AtState::Text;
        let name = std::mem::take(&mut self.tag);
        if self.closing {
            if self.nested {
                return (self.open.pop()? == name).then_some(());
            }
            if let Some(at) = self.open.iter().rposition(|n| *n == name) {
                self.open.truncate(at);
            }
            return Some(());
        }
        if matches!(name.as_str(), "script" | "style") {
            self.at = AtState::Raw;
        }
        if !VOID.contains(&name.as_str()) && self.last != Some('/') {
            self.open.push(name);
        }
        Some(())
    }

    fn after_lt(&self) -> bool {
        self.last == Some('<') || (self.last == Some('/') && self.before_last == Some('<'))
    }

    /// Between attributes: after a space or a quoted value's closing quote.
    fn between_attributes(&self) -> bool {
        self.at == AtState::Tag
            && self
                .last
                .is_some_and(|c| c.is_ascii_whitespace() || c == '"' || c == '\'')
    }

    /// Every element opened was closed, and no tag was left open.
    fn finished(&self) -> bool {
        self.open.is_empty() && self.at == AtState::Text
    }
}

impl Markup {
    /// Where a tera tag found now would sit.
    fn at(&self) -> At {
        match self.at {
            AtState::Text => At::Text,
            AtState::Tag | AtState::TagName => At::Tag,
            AtState::Value(_) => At::Value,
            _ => At::Elsewhere,
        }
    }
}

/// The minified markup with the tera tags back in place of their
/// placeholders; `None` unless each placeholder is there once, in order.
fn unmark(minified: &str, tags: &[&str]) -> Option<String> {
    let mut out =
        String::with_capacity(minified.len() + tags.iter().map(|t| t.len()).sum::<usize>());
    let mut rest = minified;
    let mut next = 0;
    while let Some((start, len, n)) = next_mark(rest) {
        let before = &rest[..start];
        if n != Some(next) || next >= tags.len() || before.ends_with('&') {
            return None;
        }
        out.push_str(before);
        out.push_str(tags[next]);
        next += 1;
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    (next == tags.len()).then_some(out)
}

/// The first placeholder in `s`: where it starts, its length and number.
fn next_mark(s: &str) -> Option<(usize, usize, Option<usize>)> {
    let text = s.find(OPEN);
    let attribute = s.find(ATTRIBUTE);
    if let Some(start) = text.filter(|&t| attribute.is_none_or(|a| t < a)) {
        let body = &s[start + OPEN.len_utf8()..];
        let Some(end) = body.find(CLOSE) else {
            return Some((start, s.len() - start, None));
        };
        let len = OPEN.len_utf8() + end + CLOSE.len_utf8();
        return Some((start, len, body[..end].trim_start().parse().ok()));
    }
    let start = attribute?;
    let digits = s[start + ATTRIBUTE.len()..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let number = &s[start + ATTRIBUTE.len()..start + ATTRIBUTE.len() + digits];
    Some((start, ATTRIBUTE.len() + digits, number.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::{html, template};

    fn minified(source: &str) -> String {
        String::from_utf8(html(source)).unwrap()
    }

    #[test]
    fn well_formed_html_loses_its_indentation_not_its_words() {
        let source = "<!doctype html>\n<html lang=\"ja\">\n  <body>\n    <ul>\n      <li><a href=\"a/\">一</a> <a href=\"b/\">二</a></li>\n    </ul>\n    <pre>  keep\n  this</pre>\n  </body>\n</html>\n";
        let out = minified(source);
        assert!(!out.contains("\n    <"), "{out}");
        assert!(out.contains("<a href=a/>一</a> <a href=b/>二</a>"), "{out}");
        assert!(out.contains("<pre>  keep\n  this</pre>"), "{out}");
    }

    #[test]
    fn html_the_fast_minifier_rejects_is_still_minified() {
        let mut code = b"<div>\n  <p>text</span>\n</div>".to_vec();
        assert!(minify_html_onepass::in_place(&mut code, &Default::default()).is_err());
        let out = minified("<div>\n  <p>text</span>\n</div>");
        assert!(out.contains("text"), "{out}");
        assert!(!out.contains("\n  "), "{out}");
    }

    #[test]
    fn script_and_style_are_minified_too() {
        let out = minified(
            "<style>\n  p  {  color : red ; }\n</style><script>\n  let  answer = 40 + 2 ;\n</script>",
        );
        assert!(out.contains("p{color:red}"), "{out}");
        assert!(!out.contains("let  answer"), "{out}");
    }

    /// Renders `source` (as a template minified by `template`, and as
    /// written) with data full of spaces, quotes and markup.
    fn both_ways(source: &str) -> (String, String) {
        let min = template(source).expect("template minified");
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates([("min.html", min.as_str()), ("orig.html", source)])
            .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("title", "A <b>\"quoted\"</b> & 'odd' title");
        ctx.insert("url", "a b/c?d=\"e\"&f=<g>");
        ctx.insert("items", &["one", "two  three"]);
        ctx.insert("current", &true);
        ctx.insert("lang", "ja");
        let render = |name: &str| tera.render(name, &ctx).unwrap();
        (render("min.html"), render("orig.html"))
    }

    #[test]
    fn a_minified_template_renders_what_minifying_its_page_gives() {
        let source = "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>{{ title }}</title>\n<meta name=\"description\" content=\"{{ title }}\">\n<link rel=\"alternate\" hreflang=\"{{ lang }}\" href=\"{{ url }}\">\n</head>\n<body>\n  <nav>\n    <ul class=\"site-nav\">\n    {% for i in items %}\n      <li><a href=\"{{ url }}#{{ loop.index }}\"{% if current %} aria-current=\"page\"{% endif %}>{{ i }}</a></li>\n    {% endfor %}\n    </ul>\n  </nav>\n  <p>{{ title }}  and  {{ url }}</p>\n</body>\n</html>\n";
        let (min, orig) = both_ways(source);
        assert_eq!(minified(&min), minified(&orig));
        // Already minified: no indentation left, and values with spaces quoted.
        assert!(!min.contains("\n  "), "{min}");
        assert!(min.len() <= orig.len() * 9 / 10, "{min}");
        assert!(min.contains("content=\"A &lt;b&gt;"), "{min}");
        assert!(min.contains("href=\"a b/c?d=&quot;e&quot;"), "{min}");
        // A space between attributes, though the minifier leaves it out.
        assert!(min.contains("hreflang=\"ja\" href="), "{min}");
    }

    #[test]
    fn a_partial_keeps_its_last_closing_tag() {
        let min = template("<p class=\"legend\">{{ title }}</p>\n").unwrap();
        assert!(min.trim_end().ends_with("</p>"), "{min}");
    }

    #[test]
    fn templates_it_cannot_prove_safe_are_declined() {
        for source in [
            "<a href={{ url }}>x</a>",
            "<h{{ level }}>x</h{{ level }}>",
            "<a{% if current %} class=\"x\"{% endif %}>x</a>",
            "<script>let x = {{ n }};</script>",
            "<!-- {{ title }} -->",
            "{% if a %}<ul>{% else %}<ol>{% endif %}<li>x</li>{% if a %}</ul>{% else %}</ol>{% endif %}",
            "<p>unclosed",
            "{% raw %}{{ x }}{% endraw %}",
            "<p>\u{E000}0\u{E001}</p>",
        ] {
            assert_eq!(template(source), None, "{source}");
        }
    }
}
