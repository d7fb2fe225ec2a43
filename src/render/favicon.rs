//! The default favicon, drawn in the site's accent colour: two white dots
//! joined by a bar (つなぐ, "connect") on a rounded square. Written as
//! `favicon.svg` and as a 32 × 32 `favicon.ico` (which browsers ask for
//! whatever the page links), both at the site's root; the same bytes on
//! every build.

/// The theme's accent colour (`--accent` in `assets/site.css`), used when
/// `[identity] accent_color` is not set.
pub const DEFAULT_ACCENT: [u8; 3] = [0x0b, 0x53, 0x94];

/// Whether the point (x, y) of the 32 × 32 design is white (the dots and
/// the bar), accent (the rest of the rounded square) or outside.
fn shade(x: f64, y: f64) -> Option<bool> {
    let dot = |cx: f64| (x - cx).powi(2) + (y - 16.0).powi(2) <= 25.0;
    if dot(10.0) || dot(22.0) || ((10.0..=22.0).contains(&x) && (14.0..=18.0).contains(&y)) {
        return Some(true);
    }
    // Rounded corners, radius 6.
    let cx = x.clamp(6.0, 26.0);
    let cy = y.clamp(6.0, 26.0);
    ((x - cx).powi(2) + (y - cy).powi(2) <= 36.0).then_some(false)
}

/// The favicon as SVG.
pub fn svg(accent: [u8; 3]) -> Vec<u8> {
    let [r, g, b] = accent;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">\
<rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#{r:02x}{g:02x}{b:02x}\"/>\
<g fill=\"#fff\"><circle cx=\"10\" cy=\"16\" r=\"5\"/><circle cx=\"22\" cy=\"16\" r=\"5\"/>\
<rect x=\"10\" y=\"14\" width=\"12\" height=\"4\"/></g></svg>"
    )
    .into_bytes()
}

/// The favicon as a 32 × 32 ICO (one 32-bit BMP image, 4 × 4 samples per
/// pixel for smooth edges).
pub fn ico(accent: [u8; 3]) -> Vec<u8> {
    const SIZE: u32 = 32;
    const SAMPLES: u32 = 4;
    let pixels = SIZE * SIZE * 4;
    let mask = SIZE * SIZE / 8;
    let image = 40 + pixels + mask;
    let mut out = Vec::with_capacity(22 + image as usize);
    // ICONDIR: reserved, type 1 (icon), one image.
    for v in [0u16, 1, 1] {
        out.extend(v.to_le_bytes());
    }
    // ICONDIRENTRY: 32 × 32, no palette, 1 plane, 32 bits, size, offset 22.
    out.extend([32, 32, 0, 0]);
    out.extend(1u16.to_le_bytes());
    out.extend(32u16.to_le_bytes());
    out.extend(image.to_le_bytes());
    out.extend(22u32.to_le_bytes());
    // BITMAPINFOHEADER; the height counts the colour rows and the mask's.
    out.extend(40u32.to_le_bytes());
    out.extend(SIZE.to_le_bytes());
    out.extend((2 * SIZE).to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(32u16.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    out.extend((pixels + mask).to_le_bytes());
    out.extend([0u8; 16]);
    // Rows bottom-up, BGRA, straight (not premultiplied) alpha.
    for row in (0..SIZE).rev() {
        for col in 0..SIZE {
            let (mut white, mut colour) = (0u32, 0u32);
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let x = f64::from(col) + (f64::from(sx) + 0.5) / f64::from(SAMPLES);
                    let y = f64::from(row) + (f64::from(sy) + 0.5) / f64::from(SAMPLES);
                    match shade(x, y) {
                        Some(true) => white += 1,
                        Some(false) => colour += 1,
                        None => {}
                    }
                }
            }
            let covered = white + colour;
            let channel = |c: u8| {
                if covered == 0 {
                    return 0;
                }
                let sum = white * 255 + colour * u32::from(c);
                u8::try_from((sum + covered / 2) / covered).unwrap_or(u8::MAX)
            };
            let alpha = (covered * 255 + SAMPLES * SAMPLES / 2) / (SAMPLES * SAMPLES);
            out.extend([
                channel(accent[2]),
                channel(accent[1]),
                channel(accent[0]),
                u8::try_from(alpha).unwrap_or(u8::MAX),
            ]);
        }
    }
    // The AND mask: all zero, the alpha channel decides.
    out.extend(std::iter::repeat_n(0u8, mask as usize));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ico_is_one_32_pixel_image_with_its_corners_clear_and_its_middle_white() {
        let ico = ico(DEFAULT_ACCENT);
        let u16_at = |i: usize| u16::from_le_bytes([ico[i], ico[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([ico[i], ico[i + 1], ico[i + 2], ico[i + 3]]);
        assert_eq!((u16_at(0), u16_at(2), u16_at(4)), (0, 1, 1));
        assert_eq!((ico[6], ico[7]), (32, 32));
        assert_eq!(u32_at(14) as usize, ico.len() - 22, "image size");
        assert_eq!(u32_at(18), 22, "image offset");
        assert_eq!((u32_at(26), u32_at(30)), (32, 64), "BMP width, height × 2");
        // Pixel (col, row from the top) as BGRA.
        let px = |col: usize, row: usize| {
            let at = 22 + 40 + ((31 - row) * 32 + col) * 4;
            &ico[at..at + 4]
        };
        assert_eq!(px(0, 0)[3], 0, "corner outside the rounded square");
        assert_eq!(px(16, 16), &[255, 255, 255, 255], "the bar");
        assert_eq!(px(16, 4), &[0x94, 0x53, 0x0b, 255], "the accent colour");
        assert_eq!(ico, super::ico(DEFAULT_ACCENT), "the same bytes every time");
    }
}
