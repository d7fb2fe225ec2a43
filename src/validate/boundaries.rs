//! Municipal boundaries as published: 国土数値情報 N03 GeoJSON
//! (`data/boundaries/<prefecture code>.geojson`) read into the model's
//! [`BoundaryFeature`]s.

use crate::model::BoundaryFeature;
use serde::Deserialize;

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Option<Geometry>,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct Properties {
    N03_003: Option<String>,
    N03_004: Option<String>,
    N03_007: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum Geometry {
    Polygon {
        coordinates: Vec<Vec<Vec<f64>>>,
    },
    MultiPolygon {
        coordinates: Vec<Vec<Vec<Vec<f64>>>>,
    },
}

/// A parse error with its 1-based line and column.
pub struct ParseError {
    pub message: String,
    pub line: usize,
    pub col: usize,
}

fn ring(points: Vec<Vec<f64>>) -> Vec<[f64; 2]> {
    points
        .into_iter()
        .filter(|p| p.len() >= 2 && p[0].is_finite() && p[1].is_finite())
        .map(|p| [p[0], p[1]])
        .collect()
}

/// Reads an N03 GeoJSON FeatureCollection (Polygon and MultiPolygon features).
pub fn parse_n03(text: &str) -> Result<Vec<BoundaryFeature>, ParseError> {
    let c: Collection = serde_json::from_str(text).map_err(|e| ParseError {
        message: format!("not N03 GeoJSON: {e}"),
        line: e.line(),
        col: e.column(),
    })?;
    Ok(c.features
        .into_iter()
        .map(|f| {
            let polygons = match f.geometry {
                Some(Geometry::Polygon { coordinates }) => {
                    vec![coordinates.into_iter().map(ring).collect()]
                }
                Some(Geometry::MultiPolygon { coordinates }) => coordinates
                    .into_iter()
                    .map(|p| p.into_iter().map(ring).collect())
                    .collect(),
                None => Vec::new(),
            };
            let p = f.properties;
            BoundaryFeature {
                code: p.N03_007.unwrap_or_default(),
                name: format!(
                    "{}{}",
                    p.N03_003.unwrap_or_default(),
                    p.N03_004.unwrap_or_default()
                ),
                polygons,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_polygons_and_multipolygons() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"N03_001":"埼玉県","N03_002":null,"N03_003":"さいたま市","N03_004":"西区","N03_007":"11101"},
           "geometry":{"type":"Polygon","coordinates":[[[139.5,35.9],[139.6,35.9],[139.6,36.0],[139.5,35.9]]]}},
          {"type":"Feature","properties":{"N03_001":"埼玉県","N03_002":null,"N03_003":null,"N03_004":"川越市","N03_007":"11201"},
           "geometry":{"type":"MultiPolygon","coordinates":[[[[139.5,35.9],[139.6,35.9],[139.6,36.0],[139.5,35.9]]],[[[139.7,35.9],[139.8,35.9],[139.8,36.0],[139.7,35.9]]]]}}]}"#;
        let f = parse_n03(text).ok().expect("parses");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].code, "11101");
        assert_eq!(f[0].name, "さいたま市西区");
        assert_eq!(f[1].polygons.len(), 2);
        let bad = parse_n03("{\"features\": [1]}");
        assert!(bad.is_err_and(|e| e.line == 1));
    }
}
