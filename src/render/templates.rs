//! The site's tera templates, compiled twice: minified where
//! [`crate::render::minify::template`] can (what pages are rendered with), and as
//! written (what error messages point into, with the author's lines).

use crate::diag::Diagnostic;
use crate::model::{Site, Template};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use tera::{Context, Tera};

pub struct Templates {
    /// The templates in `final_html` minified, the others as written.
    minified: Tera,
    written: Tera,
    /// Templates whose pages come out of `minified` already minified: the
    /// template and all it extends, includes and imports were minified,
    /// and none turns autoescaping off. Raw HTML a template inserts with
    /// `| safe` is no reason to decline: every fragment tsunagu hands a
    /// template (Markdown, charts, maps) is minified where it is made
    /// ([`crate::render::minify::fragment`]; a Markdown body is written
    /// minified by `render::markdown`), so the page needs no second pass.
    final_html: HashSet<String>,
}

impl Templates {
    pub fn new(site: &Site) -> Result<Templates, Box<Diagnostic>> {
        use rayon::prelude::*;
        // Side by side: no page renders before both are done.
        let (written, minified) = rayon::join(
            || compile(site, site.templates.iter().map(|t| t.text.clone())),
            || -> Vec<Option<String>> {
                (site.templates.par_iter())
                    .map(|t| {
                        t.name
                            .ends_with(".html")
                            .then(|| crate::render::minify::template(&t.text))
                            .flatten()
                    })
                    .collect()
            },
        );
        let written = written?;
        let final_html = final_html(&site.templates, &minified);
        let texts = site.templates.iter().zip(minified).map(|(t, m)| match m {
            Some(m) if final_html.contains(&t.name) => m,
            _ => t.text.clone(),
        });
        // Minifying never breaks tera syntax; if it ever did, the pages
        // would still render from the templates as written.
        Ok(match compile(site, texts) {
            Ok(minified) => Templates {
                minified,
                written,
                final_html,
            },
            Err(_) => Templates {
                minified: written.clone(),
                written,
                final_html: HashSet::new(),
            },
        })
    }

    /// The minified HTML of template `name` with `ctx`: as rendered from a
    /// minified template, or rendered as written and then minified.
    pub fn render(
        &self,
        site: &Site,
        name: &str,
        ctx: &Context,
    ) -> Result<Vec<u8>, Box<Diagnostic>> {
        let rendered = if self.final_html.contains(name) {
            // As bytes: tera's `render` checks its own output is UTF-8
            // (3 % of a national build), and a page is written as bytes.
            let mut html = Vec::with_capacity(16 * 1024);
            (self.minified.render_to(name, ctx, &mut html)).map(|()| html)
        } else {
            self.written
                .render(name, ctx)
                .map(|html| crate::render::minify::html(&html))
        };
        match rendered {
            Ok(html) => Ok(html),
            Err(e) => {
                // Rendered again as written, so the error points at the
                // author's line and column.
                let written = self.written.render(name, ctx).err();
                Err(Box::new(diagnostic(site, written.as_ref().unwrap_or(&e))))
            }
        }
    }
}

fn compile(site: &Site, texts: impl Iterator<Item = String>) -> Result<Tera, Box<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    let named: Vec<(&str, String)> = site
        .templates
        .iter()
        .map(|t| t.name.as_str())
        .zip(texts)
        .collect();
    tera.add_raw_templates(named.iter().map(|(n, t)| (*n, t.as_str())))
        .map_err(|e| Box::new(diagnostic(site, &e)))?;
    Ok(tera)
}

/// The templates whose output is final HTML (see [`Templates::final_html`]).
fn final_html(templates: &[Template], minified: &[Option<String>]) -> HashSet<String> {
    // What each minified template uses; those that cannot be final are left out.
    let deps: HashMap<&str, Vec<String>> = templates
        .iter()
        .zip(minified)
        .filter(|(_, m)| m.is_some())
        .filter_map(|(t, _)| Some((t.name.as_str(), uses(&t.text)?)))
        .collect();
    // Drop every template that uses one not (or no longer) final, until
    // nothing more drops.
    let mut finals: HashSet<&str> = deps.keys().copied().collect();
    loop {
        let dropped: Vec<&str> = finals
            .iter()
            .copied()
            .filter(|name| !deps[name].iter().all(|d| finals.contains(d.as_str())))
            .collect();
        if dropped.is_empty() {
            return finals.into_iter().map(str::to_string).collect();
        }
        for name in dropped {
            finals.remove(name);
        }
    }
}

/// The templates a template extends, includes or imports; `None` if it
/// names one by a variable, or turns autoescaping off.
fn uses(source: &str) -> Option<Vec<String>> {
    let mut deps = Vec::new();
    for tag in crate::render::minify::tera_tags(source)? {
        let words: Vec<&str> = tag
            .trim_matches(|c| matches!(c, '{' | '}' | '%' | '-'))
            .split_whitespace()
            .collect();
        if words.contains(&"autoescape") {
            return None;
        }
        if tag.starts_with("{%")
            && let Some(&("extends" | "include" | "import")) = words.first()
        {
            let name = words.get(1)?;
            let name = name.strip_prefix('"').and_then(|n| n.strip_suffix('"'))?;
            deps.push(name.to_string());
        }
    }
    Some(deps)
}

/// A tera error as a diagnostic at the template's file, line and column.
fn diagnostic(site: &Site, e: &tera::Error) -> Diagnostic {
    use tera::ErrorKind;
    let (report, what) = match e.kind() {
        ErrorKind::SyntaxError(r) => (Some(r), "template syntax error"),
        ErrorKind::RenderingError(r) => (Some(r), "template error"),
        _ => (None, "template error"),
    };
    let Some(r) = report else {
        if let Some(d) = recursive_component(site, &e.to_string()) {
            return d;
        }
        return Diagnostic::file("templates", format!("{what}: {e}"))
            .hint("check the templates named in the message");
    };
    let template = site.templates.iter().find(|t| t.name == r.filename());
    let path = template.map_or_else(
        || PathBuf::from("templates").join(r.filename()),
        |t| t.path.clone(),
    );
    let message = format!("{what}: {}", r.message());
    let hint = if r.message().contains("not defined") || r.message().contains("not found") {
        "a variable or field the template uses is missing from its data: check the spelling, or guard it with `{% if x %}`"
    } else {
        "see the template syntax at https://keats.github.io/tera/docs/"
    };
    match template {
        Some(t) => Diagnostic::at(&path, &t.text, r.span().range.clone(), message).hint(hint),
        None => {
            let mut d = Diagnostic::file(path, message).hint(hint);
            d.line = r.span().start_line;
            d.col = r.span().start_col + 1;
            d
        }
    }
}

/// Tera reports a component that renders itself without end only as
/// "Maximum render recursion depth…", with no place: find the component
/// whose body calls itself and point at its definition.
fn recursive_component(site: &Site, message: &str) -> Option<Diagnostic> {
    if !message.contains("recursion depth") {
        return None;
    }
    site.templates.iter().find_map(|t| {
        let mut rest = t.text.as_str();
        while let Some(i) = rest.find("{% component ") {
            let def = &rest[i + "{% component ".len()..];
            let name: String = def
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body_end = def.find("{% endcomponent").unwrap_or(def.len());
            let calls_itself = !name.is_empty() && def[..body_end].contains(&format!("<{name}"));
            if calls_itself {
                let at = t.text.len() - rest.len() + i;
                return Some(
                    Diagnostic::at(&t.path, &t.text, at..at + "{% component ".len() + name.len(), format!("template error: component `{name}` renders itself without end"))
                        .hint("render the inner call only under a condition that ends (e.g. {% if children %}), or call another component"),
                );
            }
            rest = &def[body_end..];
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::final_html;
    use crate::model::Template;

    #[test]
    fn pages_are_final_only_when_every_template_they_use_was_minified_with_autoescaping_on() {
        let sources = [
            (
                "base.html",
                "<main>{% block main %}{% endblock main %}</main>",
            ),
            (
                "plain.html",
                "{% extends \"base.html\" %}{% block main %}<p>{{ x }}</p>{% endblock main %}",
            ),
            (
                "safe.html",
                "{% extends \"base.html\" %}{% block main %}{{ x | safe }}{% endblock main %}",
            ),
            (
                "raw.html",
                "{% extends \"base.html\" %}{% block main %}{% autoescape false %}{{ x }}{% endautoescape %}{% endblock main %}",
            ),
            ("part.html", "<p>{{ x }}</p>"),
            (
                "uses-part.html",
                "{% extends \"base.html\" %}{% block main %}{% include \"part.html\" %}{% endblock main %}",
            ),
            ("uses-raw.html", "{% include \"raw.html\" %}"),
            ("by-name.html", "{% include name %}"),
            ("declined.html", "<a href={{ x }}>x</a>"),
            ("uses-declined.html", "{% include \"declined.html\" %}"),
        ];
        let templates: Vec<Template> = sources
            .iter()
            .map(|(name, text)| Template {
                name: name.to_string(),
                path: format!("templates/{name}").into(),
                text: text.to_string(),
            })
            .collect();
        let minified: Vec<Option<String>> = templates
            .iter()
            .map(|t| crate::render::minify::template(&t.text))
            .collect();
        let mut finals: Vec<String> = final_html(&templates, &minified).into_iter().collect();
        finals.sort();
        assert_eq!(
            finals,
            [
                "base.html",
                "part.html",
                "plain.html",
                "safe.html",
                "uses-part.html"
            ]
        );
    }
}
