//! JSON-LD (schema.org structured data, 構造化データ): one
//! `<script type="application/ld+json">` per page, made from the model.
//!
//! Every page gets a `WebPage` (language, the latest as-of / last-verified
//! date of its sources, the sources' URLs as `isBasedOn`) and, below the
//! home page, a `BreadcrumbList` with the visible breadcrumb. A feature
//! adds the page's main entity with [`put_entity`] (a hub's
//! `GovernmentService`, a provider's organisation), built with [`Node`],
//! which leaves every unknown value out. Private values never reach the
//! model, so they cannot reach this either.
//!
//! The script is added to the rendered page here, not written by a
//! template: a template inserting raw text would have to be minified page
//! by page (see [`crate::render::minify`]).

use super::{PageDef, TemplateData, page_href};
use crate::lang::Lang;
use crate::model::{Area, Contact, Site};
use serde_json::{Map, Value};
use tera::Context;

/// Where a feature puts a page's main entity in the page's data, and its id.
const ENTITY: &str = "json_ld_entity";
const ENTITY_ID: &str = "json_ld_entity_id";

/// Puts a page's main entity (a [`Node`]'s value) into its data; the layout
/// takes it out again and adds it to the page's JSON-LD.
pub fn put_entity(ctx: &mut TemplateData, entity: Value) {
    // As JSON text: tera's own values would not give serde_json's back
    // exactly (numbers, key order); the text goes into the page as it is.
    if let Some(id) = entity.get("@id") {
        ctx.insert(ENTITY_ID, &id.to_string());
    }
    ctx.insert(ENTITY, &entity.to_string());
}

/// A page's main entity as JSON text, and its `@id` as JSON text.
pub(super) struct Entity {
    text: String,
    id: Option<String>,
}

/// Takes a page's main entity out of its data.
pub(super) fn take_entity(ctx: &mut Context) -> Option<Entity> {
    let mut take = |key| ctx.remove(key).and_then(|v| v.as_str().map(str::to_string));
    let id = take(ENTITY_ID);
    Some(Entity {
        text: take(ENTITY)?,
        id,
    })
}

/// A schema.org node; properties whose value is unknown are left out.
pub struct Node(Map<String, Value>);

impl Node {
    /// A node of schema.org type `ty`.
    pub fn new(ty: &str) -> Node {
        let mut map = Map::new();
        map.insert("@type".into(), ty.into());
        Node(map)
    }

    /// Sets `key`; an empty text, list or object is unknown and left out.
    pub fn set(mut self, key: &str, value: impl Into<Value>) -> Node {
        let value = value.into();
        let empty = match &value {
            Value::Null => true,
            Value::String(s) => unknown(s),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        };
        if !empty {
            self.0.insert(key.into(), value);
        }
        self
    }

    /// Sets `key` when the value is known.
    pub fn opt<T: Into<Value>>(self, key: &str, value: Option<T>) -> Node {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    /// Whether the node has nothing but its type.
    pub fn is_bare(&self) -> bool {
        self.0.len() == 1
    }

    pub fn value(self) -> Value {
        Value::Object(self.0)
    }
}

/// Whether a text is unknown: empty or only spaces (left out of a node).
fn unknown(text: &str) -> bool {
    text.trim().is_empty()
}

/// The absolute URL of a page.
pub fn url(site: &Site, lang: Lang, key: &str) -> String {
    page_href(&site.config.base_url, lang, key)
}

/// An area as an `AdministrativeArea` with its 全国地方公共団体コード.
pub fn administrative_area(site: &Site, area: &Area, lang: Lang) -> Value {
    let code = Node::new("PropertyValue")
        .set("propertyID", "全国地方公共団体コード")
        .set("value", area.code.as_str());
    let page = url(site, lang, &super::links::area_key(&area.code));
    Node::new("AdministrativeArea")
        .set("@id", format!("{page}#area"))
        .set("name", super::links::full_name(site, area, lang))
        .set("identifier", code.value())
        .set("url", page)
        .value()
}

/// The known routes of a contact as a `ContactPoint`, or `None` when
/// none is known.
pub fn contact_point(c: &Contact, lang: Lang) -> Option<Value> {
    let node = Node::new("ContactPoint")
        .opt("telephone", c.phone.clone())
        .opt("faxNumber", c.fax.clone())
        .opt("email", c.email.clone())
        .opt("url", c.form_url.clone())
        .opt("hoursAvailable", c.hours.as_ref().map(|h| h.str(lang)));
    (!node.is_bare()).then(|| node.value())
}

/// The page's JSON-LD, ready to go inside its script element: the
/// `WebPage`, the breadcrumb (as the page shows it) and the main entity.
/// `home` is the home page's title, the breadcrumb's first item.
///
/// Written directly, as serde_json would write the same nodes (keys in
/// order, unknown values left out, see [`Node`]): building a `Value` for
/// every one of ~70,000 pages and serializing it was 4 % of a national
/// build. Easy titles and strings carry `{漢字|かんじ}`; JSON-LD has no ruby.
pub(super) fn page(site: &Site, def: &PageDef, home: &str, entity: Option<Entity>) -> String {
    let lang = def.lang;
    let easy = lang == Lang::Easy;
    let here = url(site, lang, &def.key);
    let modified = def.provenance.iter().map(|p| p.date.as_str()).max();
    let mut based_on: Vec<&str> = Vec::new();
    for u in def.provenance.iter().filter_map(|p| p.url.as_deref()) {
        if !based_on.contains(&u) {
            based_on.push(u);
        }
    }
    let entity = entity.map(|e| if easy { e.stripped() } else { e });
    let mut out: Vec<u8> = Vec::with_capacity(2048);
    out.extend_from_slice(br#"{"@context":"https://schema.org","@graph":["#);
    let mut page = Obj::new(&mut out, easy);
    page.str("@id", &here).str("@type", "WebPage");
    page.str("dateModified", modified.unwrap_or_default());
    page.str(
        "description",
        def.description.as_deref().unwrap_or_default(),
    );
    page.str("inLanguage", lang.code());
    if !based_on.is_empty() {
        page.key("isBasedOn");
        for (i, u) in based_on.iter().enumerate() {
            page.out.push(if i == 0 { b'[' } else { b',' });
            string(page.out, u, easy);
        }
        page.out.push(b']');
    }
    // The WebSite is described once, on the home page; other pages refer to
    // it by its id (~120 bytes less on each of ~800 pages).
    let home_url = url(site, lang, "");
    let website = format!("{home_url}#website");
    page.key("isPartOf");
    let mut part_of = Obj::new(page.out, easy);
    part_of.str("@id", &website);
    if def.key.is_empty() {
        part_of.str("@type", "WebSite");
        part_of.str("name", site.config.title.str(lang));
        part_of.str("url", &home_url);
    }
    part_of.end();
    if let Some(id) = entity.as_ref().and_then(|e| e.id.as_deref()) {
        page.key("mainEntity");
        page.out.extend_from_slice(br#"{"@id":"#);
        page.out.extend_from_slice(id.as_bytes());
        page.out.push(b'}');
    }
    page.str("name", &def.title).str("url", &here);
    page.end();
    if !def.key.is_empty() {
        out.extend_from_slice(br#",{"@type":"BreadcrumbList","itemListElement":["#);
        let items = std::iter::once((home, ""))
            .chain(def.crumbs.iter().map(|(t, k)| (t.as_str(), k.as_str())))
            .chain(std::iter::once((def.title.as_str(), def.key.as_str())));
        for (i, (name, key)) in items.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let mut item = Obj::new(&mut out, easy);
            item.str("@type", "ListItem");
            item.str("item", &url(site, lang, key));
            item.str("name", name);
            item.key("position");
            item.out.extend_from_slice((i + 1).to_string().as_bytes());
            item.end();
        }
        out.extend_from_slice(b"]}");
    }
    if let Some(e) = entity {
        out.push(b',');
        out.extend_from_slice(e.text.as_bytes());
    }
    out.extend_from_slice(b"]}");
    script_text(String::from_utf8(out).expect("JSON text made of str is UTF-8"))
}

impl Entity {
    /// The entity with the furigana notation reduced to its base.
    fn stripped(self) -> Entity {
        let Ok(mut value) = serde_json::from_str::<Value>(&self.text) else {
            return self;
        };
        strip_marks(&mut value);
        Entity {
            id: value.get("@id").map(Value::to_string),
            text: value.to_string(),
        }
    }
}

/// A JSON object being written: fields in the order given (the caller
/// gives them sorted, as serde_json's maps are), blank strings left out.
struct Obj<'o> {
    out: &'o mut Vec<u8>,
    easy: bool,
    first: bool,
}

impl<'o> Obj<'o> {
    fn new(out: &'o mut Vec<u8>, easy: bool) -> Obj<'o> {
        out.push(b'{');
        Obj {
            out,
            easy,
            first: true,
        }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        string(self.out, key, false);
        self.out.push(b':');
    }

    /// A text field; a blank text is unknown and left out (as [`Node::set`]).
    fn str(&mut self, key: &str, value: &str) -> &mut Self {
        if !unknown(value) {
            self.key(key);
            string(self.out, value, self.easy);
        }
        self
    }

    fn end(self) {
        self.out.push(b'}');
    }
}

/// `text` as a JSON string, written by serde_json; on an easy page with
/// the furigana notation reduced to its base.
fn string(out: &mut Vec<u8>, text: &str, easy: bool) {
    let stripped;
    let text = if easy && text.contains('{') {
        stripped = crate::lang::furigana::strip_marks(text);
        stripped.as_str()
    } else {
        text
    };
    // Most strings (URLs, names) have nothing to escape: they are copied
    // between quotes in one go (a check the compiler vectorises), not byte
    // by byte through serde_json's table.
    let plain = !(text.bytes()).fold(false, |any, b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        return;
    }
    serde_json::to_writer(out, text).expect("a string serializes into memory");
}

/// Every string of `value` with the furigana notation reduced to its base.
fn strip_marks(value: &mut Value) {
    match value {
        Value::String(s) => *s = crate::lang::furigana::strip_marks(s),
        Value::Array(a) => a.iter_mut().for_each(strip_marks),
        Value::Object(o) => o.values_mut().for_each(strip_marks),
        _ => {}
    }
}

/// The bilingual root page's JSON-LD: a `WebPage` in both languages.
pub(super) fn root(site: &Site) -> String {
    let base = &site.config.base_url;
    let page = Node::new("WebPage")
        .set("@id", base.as_str())
        .set("url", base.as_str())
        .set("name", site.config.title.str(Lang::Ja))
        .set("inLanguage", vec!["ja", "en"]);
    script(&serde_json::json!({ "@context": "https://schema.org", "@graph": [page.value()] }))
}

/// JSON text that can sit inside a script element: `<`, `>` and `&` are
/// written as `\u003c`, `\u003e`, `\u0026` (the same JSON), so no value
/// can close the element or start a comment.
fn script(value: &Value) -> String {
    script_text(value.to_string())
}

/// [`script`] of JSON text.
fn script_text(json: String) -> String {
    // A byte search: `contains` with a set of chars decodes every character.
    if memchr::memchr3(b'<', b'>', b'&', json.as_bytes()).is_none() {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// The page with its JSON-LD script added at the end of its head.
pub(super) fn insert(html: Vec<u8>, json: &str) -> Vec<u8> {
    use memchr::memmem;
    // Minified pages have no `</head>` (an optional tag); `<body` comes
    // first, so only the head is searched for `</head>`, not the whole page.
    let Some(body) = memmem::find(&html, b"<body") else {
        return html;
    };
    let at = memmem::find(&html[..body], b"</head>").unwrap_or(body);
    let open = b"<script type=\"application/ld+json\">";
    let close = b"</script>";
    let mut out = Vec::with_capacity(html.len() + json.len() + open.len() + close.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(open);
    out.extend_from_slice(json.as_bytes());
    out.extend_from_slice(close);
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_close_the_script_element() {
        let v = serde_json::json!({ "name": "</script><script>alert(1)</script> & <!--" });
        let text = script(&v);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back, v);
    }

    /// Strings written directly are escaped exactly as serde_json escapes
    /// them (the page's JSON-LD is otherwise the same bytes).
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let all: String = (0u8..0x80).map(char::from).collect();
        // Also each character alone: a control character with no quote or
        // backslash beside it is escaped too.
        let each = (0u8..0x80).map(|b| char::from(b).to_string());
        let texts = [
            all.as_str(),
            "医療的ケア \"引用\" \\ </script>",
            "",
            "改行\nと\tタブ",
        ];
        for text in texts.into_iter().map(String::from).chain(each) {
            let text = text.as_str();
            let mut out = Vec::new();
            string(&mut out, text, false);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                Value::from(text).to_string()
            );
        }
        let mut out = Vec::new();
        string(&mut out, "{漢字|かんじ}の本", true);
        assert_eq!(String::from_utf8(out).unwrap(), "\"漢字の本\"");
    }

    #[test]
    fn unknown_values_are_left_out() {
        let n = Node::new("Thing")
            .set("name", "")
            .opt("url", None::<String>)
            .set("sameAs", Vec::<String>::new())
            .set("alternateName", "x");
        assert_eq!(
            n.value(),
            serde_json::json!({ "@type": "Thing", "alternateName": "x" })
        );
    }

    #[test]
    fn the_script_goes_at_the_end_of_the_head() {
        let html = b"<!doctype html><html><head><title>t</title></head><body></body></html>";
        let out = String::from_utf8(insert(html.to_vec(), "{}")).expect("utf-8");
        assert_eq!(
            out,
            "<!doctype html><html><head><title>t</title><script type=\"application/ld+json\">{}</script></head><body></body></html>"
        );
    }
}
