//! Charts of the team page, drawn on the server as SVG: no script, printable, and each one
//! labelled (`role="img"` with a title naming what it shows) and followed on the page by a
//! table with the same figures (the text alternative). Labels are escaped here; the SVG is put
//! in the page as is.

use std::fmt::Write;

/// One bar: its label and value.
pub struct Bar {
    pub label: String,
    pub value: u32,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Vertical bars (e.g. meetings per month). `title` is the chart's accessible name.
pub fn columns(id: &str, title: &str, bars: &[Bar]) -> String {
    let (w, h, top, bottom, left) = (480.0_f64, 200.0_f64, 16.0, 28.0, 28.0);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let slot = (w - left) / bars.len().max(1) as f64;
    let scale = (h - top - bottom) / f64::from(max);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title>"#,
        esc(title)
    );
    let _ = write!(svg, r#"<line x1="{left}" y1="{y}" x2="{w}" y2="{y}" class="axis"/>"#, y = h - bottom);
    let _ = write!(svg, r#"<text x="{}" y="{}" class="tick">{max}</text>"#, left - 4.0, top + 4.0);
    for (i, b) in bars.iter().enumerate() {
        let x = left + slot * i as f64 + slot * 0.15;
        let bh = f64::from(b.value) * scale;
        let y = h - bottom - bh;
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{bh:.1}" class="bar"/>"#,
            bw = slot * 0.7
        );
        if b.value > 0 {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" class="value">{}</text>"#,
                x + slot * 0.35,
                y - 3.0,
                b.value
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" class="label">{}</text>"#,
            x + slot * 0.35,
            h - bottom + 16.0,
            esc(&b.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars (e.g. methods used, action outcomes).
pub fn rows(id: &str, title: &str, bars: &[Bar]) -> String {
    let (w, row, label_w) = (480.0_f64, 26.0_f64, 180.0_f64);
    let h = row * bars.len().max(1) as f64 + 8.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let scale = (w - label_w - 40.0) / f64::from(max);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title>"#,
        esc(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let label: String = b.label.chars().take(28).collect();
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" class="row-label">{}</text>"#,
            label_w - 6.0,
            y + row * 0.62,
            esc(&label)
        );
        let bw = f64::from(b.value) * scale;
        let _ = write!(
            svg,
            r#"<rect x="{label_w}" y="{:.1}" width="{bw:.1}" height="{:.1}" class="bar"/>"#,
            y + 4.0,
            row - 8.0
        );
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" class="value-end">{}</text>"#,
            label_w + bw + 4.0,
            y + row * 0.62,
            b.value
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_labelled_and_escape_their_text() {
        let bars = vec![Bar { label: "<b>&".into(), value: 3 }, Bar { label: "x".into(), value: 0 }];
        for svg in [columns("c", "Per \"maand\"", &bars), rows("r", "Methoden", &bars)] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!(svg.contains(r#"role="img""#));
            assert!(svg.contains("&lt;b&gt;&amp;"), "{svg}");
            assert!(!svg.contains("<b>"));
        }
        assert!(columns("c", "Per \"maand\"", &bars).contains("Per &quot;maand&quot;"));
        // No bars: still a valid, empty chart.
        assert!(rows("e", "Leeg", &[]).ends_with("</svg>"));
    }
}
