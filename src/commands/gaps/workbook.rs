//! `tsunagu check --gaps FILE.xlsx`: the workbook of every unknown value.

use super::fields::{AS_OF, Check, SOURCE, STATUSES, Sheet, rows};
use crate::features::open_data::xlsx::{
    col, dropdown, fixed_properties, header_format, set_widths, text_format, text_width,
    yes_no_dropdown,
};
use crate::model::{AreaCode, Site};
use rust_xlsxwriter::{Color, Format, Workbook, XlsxError};
use std::path::Path;

/// How many cells of each sheet are empty (unknown), to report.
pub struct Written {
    pub per_sheet: Vec<(&'static str, usize, usize)>,
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (sheet, rows, cells) in &self.per_sheet {
            writeln!(f, "  {sheet}: {rows} records, {cells} unknown values")?;
        }
        Ok(())
    }
}

/// Writes the gap workbook to `path` (through a temporary file, so a
/// failed write leaves nothing half-written).
pub fn write(site: &Site, area: Option<&AreaCode>, path: &Path) -> Result<Written, String> {
    if let Some(a) = area
        && site.area(a).is_none()
    {
        return Err(format!(
            "--area {a}: not an area code in data/areas (6 digits with check digit, e.g. 141097)"
        ));
    }
    let (bytes, written) =
        workbook(site, area).map_err(|e| format!("cannot make the workbook: {e}"))?;
    let tmp = path.with_extension("xlsx.tmp");
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("{}: cannot write: {e}", path.display())
        })?;
    Ok(written)
}

fn workbook(site: &Site, area: Option<&AreaCode>) -> Result<(Vec<u8>, Written), XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &fixed_properties()?.set_title("tsunagu: 未掲載の情報 / values not listed yet"),
    );
    let grey = Format::new()
        .set_num_format("@")
        .set_background_color(Color::RGB(0xE7_E6_E6))
        .set_font_color(Color::RGB(0x40_40_40));
    let open = text_format().set_unlocked();
    let bold = header_format();
    let sources: Vec<&str> = site.sources.keys().map(|s| s.as_str()).collect();
    let mut per_sheet = Vec::new();
    for sheet_kind in Sheet::ALL {
        let fields = sheet_kind.fields();
        let gap_rows = rows(site, sheet_kind, area);
        let sheet = wb.add_worksheet();
        sheet.set_name(sheet_kind.name())?;
        let heads: Vec<&str> = sheet_kind
            .context()
            .into_iter()
            .chain(fields.iter().map(|f| f.column))
            .chain([SOURCE, AS_OF])
            .collect();
        let mut widths: Vec<usize> = heads.iter().map(|h| text_width(h)).collect();
        for (i, h) in heads.iter().enumerate() {
            sheet.write_string_with_format(0, col(i), *h, &bold)?;
        }
        let first_field = 3;
        for (i, f) in fields.iter().enumerate() {
            let c = col(first_field + i);
            match f.check {
                Check::YesNo => yes_no_dropdown(sheet, c)?,
                Check::Status => dropdown(sheet, c, &STATUSES.map(|s| s.key()))?,
                _ => {}
            }
        }
        let source_col = first_field + fields.len();
        let joined: usize = sources.iter().map(|s| s.len() + 1).sum();
        if joined <= 255 {
            dropdown(sheet, col(source_col), &sources)?;
        }
        let mut unknown = 0;
        for (r, row) in gap_rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (i, v) in row.context.iter().enumerate() {
                widths[i] = widths[i].max(text_width(v));
                sheet.write_string_with_format(r, col(i), v, &grey)?;
            }
            for (i, v) in row.values.iter().enumerate() {
                let c = col(first_field + i);
                match v {
                    Some(v) => {
                        widths[first_field + i] = widths[first_field + i].max(text_width(v));
                        sheet.write_string_with_format(r, c, v, &grey)?;
                    }
                    None => {
                        unknown += 1;
                        sheet.write_blank(r, c, &open)?;
                    }
                }
            }
            sheet.write_blank(r, col(source_col), &open)?;
            sheet.write_blank(r, col(source_col + 1), &open)?;
        }
        set_widths(sheet, &widths)?;
        sheet.set_freeze_panes(1, 1)?;
        sheet.protect();
        per_sheet.push((sheet_kind.name(), gap_rows.len(), unknown));
    }
    Ok((wb.save_to_buffer()?, Written { per_sheet }))
}
