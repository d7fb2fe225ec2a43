//! Validation of the site's identity, `[identity]` in `tsunagu.toml`: who
//! publishes the site, how to report a mistake, the logo and the accent
//! colour.

use super::{Validator, fields};
use crate::config::Identity;
use crate::load::{Inputs, Spanned};
use std::path::Path;

/// Image types a logo may be (they double as the favicon).
const LOGO_TYPES: [&str; 4] = ["svg", "png", "webp", "jpg"];

impl Validator {
    pub(super) fn identity(&mut self, inputs: &Inputs) -> Identity {
        let Some(raw) = &inputs.config.value.identity else {
            return Identity::default();
        };
        let file = &inputs.config.file;
        let mut checked =
            |value: &Option<Spanned<String>>, check: fn(&str) -> Result<(), String>, hint: &str| {
                let v = value.as_ref()?;
                match check(v.get_ref()) {
                    Ok(()) => Some(v.get_ref().clone()),
                    Err(msg) => {
                        self.error(file, v.span(), msg, hint);
                        None
                    }
                }
            };
        let contact_url = checked(
            &raw.contact_url,
            fields::check_url,
            "write an absolute https:// URL",
        );
        let contact_email = checked(
            &raw.contact_email,
            fields::check_email,
            "e.g. contact_email = \"info@city.example.lg.jp\"",
        );
        let contact_phone = checked(
            &raw.contact_phone,
            fields::check_phone,
            "write it with its area code, e.g. contact_phone = \"045-000-0000\"",
        );
        let logo = raw.logo.as_ref().and_then(|l| {
            let name = l.get_ref();
            let in_assets = Path::new("assets").join(name);
            let known_type = Path::new(name)
                .extension()
                .is_some_and(|e| LOGO_TYPES.iter().any(|t| e.eq_ignore_ascii_case(t)));
            if !known_type {
                self.error(file, l.span(), format!("logo `{name}` is not an SVG, PNG, WebP or JPEG file"), "use an .svg or .png file");
                None
            } else if !inputs.assets.iter().any(|(p, _)| *p == in_assets) {
                self.error(file, l.span(), format!("there is no file templates/assets/{name}"), "put the logo in templates/assets/ and write its file name, e.g. logo = \"logo.svg\"");
                None
            } else {
                Some(name.clone())
            }
        });
        let accent_color = raw.accent_color.as_ref().and_then(|c| {
            fields::check_text_color(c.get_ref())
                .map_err(|msg| {
                    self.error(file, c.span(), msg, "links and buttons use this colour on white: pick a darker one (https://www.w3.org/TR/WCAG22/#contrast-minimum)");
                })
                .ok()
        });
        Identity {
            publisher: self.opt_text(file, "publisher", &raw.publisher),
            contact_url,
            contact_email,
            contact_phone,
            logo,
            accent_color,
        }
    }
}
