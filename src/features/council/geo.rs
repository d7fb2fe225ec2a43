//! Municipal boundaries (read by `validate::boundaries`): projecting and
//! simplifying them into small SVG paths.
//!
//! Simplification keeps shared borders shared: a ring is cut at every vertex
//! where the set of features using it changes (a junction), and each piece is
//! simplified on its own with Douglas–Peucker. Two neighbours walk the same
//! pieces between the same junctions, so they keep the same border and no
//! gaps or overlaps appear. Coordinates are then rounded to whole units of a
//! 1000-unit-wide view and written as relative path commands.

use crate::model::BoundaryFeature;
use std::collections::HashMap;

/// Width of the map's view box, in units.
pub const WIDTH: f64 = 1000.0;
const PAD: f64 = 8.0;

/// Projected, simplified shapes: one SVG path `d` per group, in input order.
pub struct Projected {
    pub width: f64,
    pub height: f64,
    pub paths: Vec<String>,
}

type Key = (u64, u64);

fn key(p: [f64; 2]) -> Key {
    (p[0].to_bits(), p[1].to_bits())
}

/// Projects `groups` (each a list of features drawn as one shape) with an
/// equirectangular projection scaled by cos(mid-latitude), simplifies them
/// and returns paths whose total length is at most `budget` bytes when the
/// geometry allows it (the tolerance grows until it fits).
pub fn project(groups: &[Vec<&BoundaryFeature>], budget: usize) -> Projected {
    let all = || {
        groups
            .iter()
            .flatten()
            .flat_map(|f| f.polygons.iter().flatten().flatten())
    };
    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
    for p in all() {
        for i in 0..2 {
            lo[i] = lo[i].min(p[i]);
            hi[i] = hi[i].max(p[i]);
        }
    }
    if lo[0] > hi[0] {
        return Projected {
            width: WIDTH,
            height: WIDTH / 2.0,
            paths: vec![String::new(); groups.len()],
        };
    }
    let k = ((lo[1] + hi[1]) / 2.0).to_radians().cos();
    let span_x = ((hi[0] - lo[0]) * k).max(1e-9);
    let span_y = (hi[1] - lo[1]).max(1e-9);
    let scale = (WIDTH - 2.0 * PAD) / span_x.max(span_y);
    let height = (span_y * scale + 2.0 * PAD).ceil();
    let width = (span_x * scale + 2.0 * PAD).ceil();
    let proj = |p: [f64; 2]| {
        [
            PAD + (p[0] - lo[0]) * k * scale,
            PAD + (hi[1] - p[1]) * scale,
        ]
    };

    // Which features use each vertex.
    let mut owners: HashMap<Key, Vec<u32>> = HashMap::new();
    let mut fid = 0u32;
    for g in groups {
        for f in g {
            for p in f.polygons.iter().flatten().flatten() {
                let o = owners.entry(key(*p)).or_default();
                if o.last() != Some(&fid) {
                    o.push(fid);
                }
            }
            fid += 1;
        }
    }

    let mut tolerance = 0.6;
    loop {
        let paths: Vec<String> = groups
            .iter()
            .map(|g| {
                let mut d = String::new();
                for f in g {
                    let mut rings_out = 0;
                    for poly in &f.polygons {
                        for r in poly {
                            let pts = simplify_ring(r, &owners, &proj, tolerance);
                            if write_ring(&mut d, &pts) {
                                rings_out += 1;
                            }
                        }
                    }
                    if rings_out == 0 {
                        // Too small to survive simplification: a small
                        // diamond at its first point keeps it on the map.
                        if let Some(p) = f.polygons.iter().flatten().flatten().next() {
                            let c = proj(*p);
                            let (x, y) = (c[0].round() as i64, c[1].round() as i64);
                            write_ring(&mut d, &[(x, y - 3), (x + 3, y), (x, y + 3), (x - 3, y)]);
                        }
                    }
                }
                d
            })
            .collect();
        let size: usize = paths.iter().map(String::len).sum();
        if size <= budget || tolerance > 40.0 {
            return Projected {
                width,
                height,
                paths,
            };
        }
        tolerance *= 1.5;
    }
}

/// Simplifies a closed ring, keeping junction vertices, in projected units.
fn simplify_ring(
    ring: &[[f64; 2]],
    owners: &HashMap<Key, Vec<u32>>,
    proj: &impl Fn([f64; 2]) -> [f64; 2],
    tolerance: f64,
) -> Vec<(i64, i64)> {
    let mut r: &[[f64; 2]] = ring;
    if r.len() > 1 && key(r[0]) == key(r[r.len() - 1]) {
        r = &r[..r.len() - 1];
    }
    let n = r.len();
    if n < 3 {
        return Vec::new();
    }
    let empty = Vec::new();
    let own = |i: usize| owners.get(&key(r[i % n])).unwrap_or(&empty);
    let mut fixed: Vec<usize> = (0..n)
        .filter(|&i| {
            let o = own(i);
            o.len() >= 3 || o != own(i + n - 1) || o != own(i + 1)
        })
        .collect();
    if fixed.is_empty() {
        // No junction: start at the smallest vertex (the same for every ring
        // through these points) and also keep the vertex farthest from it.
        let first = (0..n).min_by_key(|&i| key(r[i])).unwrap_or(0);
        let far = (0..n)
            .max_by(|&a, &b| {
                dist2(r[a], r[first])
                    .partial_cmp(&dist2(r[b], r[first]))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .unwrap_or(0);
        fixed = vec![first.min(far), first.max(far)];
        fixed.dedup();
    }
    let pts: Vec<[f64; 2]> = r.iter().map(|p| proj(*p)).collect();
    let mut keep = vec![false; n];
    for (j, &a) in fixed.iter().enumerate() {
        let b = fixed[(j + 1) % fixed.len()];
        let len = (b + n - a) % n;
        let len = if len == 0 { n } else { len };
        let chain: Vec<usize> = (0..=len).map(|t| (a + t) % n).collect();
        keep[a] = true;
        douglas_peucker(&pts, &chain, tolerance, &mut keep);
    }
    let mut out: Vec<(i64, i64)> = Vec::new();
    for i in 0..n {
        if keep[i] {
            let q = (pts[i][0].round() as i64, pts[i][1].round() as i64);
            if out.last() != Some(&q) {
                out.push(q);
            }
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    if out.len() < 3 { Vec::new() } else { out }
}

fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

/// Marks the vertices of `chain` (indices into `pts`) that Douglas–Peucker keeps.
fn douglas_peucker(pts: &[[f64; 2]], chain: &[usize], tolerance: f64, keep: &mut [bool]) {
    let mut stack = vec![(0usize, chain.len() - 1)];
    while let Some((s, e)) = stack.pop() {
        keep[chain[s]] = true;
        keep[chain[e]] = true;
        if e <= s + 1 {
            continue;
        }
        let (a, b) = (pts[chain[s]], pts[chain[e]]);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = dx * dx + dy * dy;
        let mut best = (0.0, s);
        for (t, &i) in chain.iter().enumerate().take(e).skip(s + 1) {
            let p = pts[i];
            let d2 = if len2 == 0.0 {
                dist2(p, a)
            } else {
                let cross = dx * (p[1] - a[1]) - dy * (p[0] - a[0]);
                cross * cross / len2
            };
            if d2 > best.0 {
                best = (d2, t);
            }
        }
        if best.0 > tolerance * tolerance {
            stack.push((s, best.1));
            stack.push((best.1, e));
        }
    }
}

/// Appends `M x y l dx dy … z`; returns false (writing nothing) for fewer than 3 points.
fn write_ring(d: &mut String, pts: &[(i64, i64)]) -> bool {
    use std::fmt::Write;
    if pts.len() < 3 {
        return false;
    }
    let _ = write!(d, "M{} {}l", pts[0].0, pts[0].1);
    let mut prev = pts[0];
    let mut first = true;
    for &p in &pts[1..] {
        for v in [p.0 - prev.0, p.1 - prev.1] {
            if !first && v >= 0 {
                d.push(' ');
            }
            let _ = write!(d, "{v}");
            first = false;
        }
        prev = p;
    }
    d.push('z');
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(code: &str, x: f64, y: f64) -> BoundaryFeature {
        BoundaryFeature {
            code: code.into(),
            name: code.into(),
            polygons: vec![vec![vec![
                [x, y],
                [x + 0.1, y],
                [x + 0.1, y + 0.1],
                [x, y + 0.1],
                [x, y],
            ]]],
        }
    }

    #[test]
    fn relative_paths_and_shared_borders() {
        let a = square("1", 139.0, 36.0);
        let b = square("2", 139.1, 36.0);
        let p = project(&[vec![&a], vec![&b]], 10_000);
        assert_eq!(p.paths.len(), 2);
        assert!(p.paths[0].starts_with('M') && p.paths[0].ends_with('z'));
        // Both squares share the border x = 139.1: the same projected x.
        assert!((p.width - WIDTH).abs() < 1.0);
    }

    #[test]
    fn ring_encoding_is_compact() {
        let mut d = String::new();
        assert!(write_ring(&mut d, &[(10, 10), (20, 10), (20, 5)]));
        assert_eq!(d, "M10 10l10 0 0-5z");
        assert!(!write_ring(&mut d, &[(1, 1), (2, 2)]));
    }
}
