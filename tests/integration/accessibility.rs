//! WCAG AA contrast, checked on the stylesheets themselves: every rule that sets a text colour
//! is measured against its own background (when it sets one) or against every page background
//! (paper, card, white). Normal text needs 4.5:1. A colour change that breaks this fails here.

use std::collections::HashMap;

fn css(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/static/css").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn hex(value: &str) -> Option<[f64; 3]> {
    let v = value.trim().strip_prefix('#')?;
    let v: String = match v.len() {
        3 => v.chars().flat_map(|c| [c, c]).collect(),
        6 => v.to_string(),
        _ => return None,
    };
    let channel = |i: usize| u8::from_str_radix(&v[i..i + 2], 16).ok().map(|c| f64::from(c) / 255.0);
    Some([channel(0)?, channel(2)?, channel(4)?])
}

fn luminance([r, g, b]: [f64; 3]) -> f64 {
    let lin = |c: f64| if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `(selector, declarations)` of every rule (nested `@media` blocks flattened).
fn rules(source: &str) -> Vec<(String, HashMap<String, String>)> {
    let mut out = Vec::new();
    let source = regex_lite::Regex::new(r"(?s)/\*.*?\*/").unwrap().replace_all(source, "");
    let re = regex_lite::Regex::new(r"([^{}]+)\{([^{}]*)\}").unwrap();
    for cap in re.captures_iter(&source) {
        let mut decls = HashMap::new();
        for d in cap[2].split(';') {
            if let Some((k, v)) = d.split_once(':') {
                decls.insert(k.trim().to_string(), v.trim().to_string());
            }
        }
        out.push((cap[1].trim().to_string(), decls));
    }
    out
}

#[test]
fn every_text_colour_meets_aa_contrast_on_its_background() {
    let base = css("beraad.css");
    let vars: HashMap<String, String> = rules(&base)
        .into_iter()
        .filter(|(sel, _)| sel == ":root")
        .flat_map(|(_, d)| d.into_iter().filter(|(k, _)| k.starts_with("--")))
        .collect();
    let resolve = |v: &str| -> Option<[f64; 3]> {
        let v = v.split_whitespace().next()?;
        match v.strip_prefix("var(").and_then(|x| x.strip_suffix(')')) {
            Some(name) => hex(vars.get(name)?),
            None => hex(v),
        }
    };
    let pages = [
        ("paper", resolve("var(--paper)").unwrap()),
        ("card", resolve("var(--card)").unwrap()),
        ("white", [1.0; 3]),
    ];
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in ["beraad.css", "archive.css", "room.css"] {
        for (selector, decls) in rules(&css(file)) {
            let Some(fg) = decls.get("color").and_then(|c| resolve(c)) else { continue };
            let bg =
                decls.get("background").or_else(|| decls.get("background-color")).and_then(|b| resolve(b));
            let backgrounds: Vec<(&str, [f64; 3])> = match bg {
                Some(bg) => vec![("its own", bg)],
                None => pages.to_vec(),
            };
            for (name, bg) in backgrounds {
                let ratio = contrast(fg, bg);
                checked += 1;
                if ratio < 4.5 {
                    failures.push(format!("{file} {selector}: {ratio:.2}:1 on {name} background"));
                }
            }
        }
    }
    assert!(checked > 20, "expected many colour rules, checked {checked}");
    assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
}

#[test]
fn the_contrast_formula_matches_known_values() {
    assert!((contrast([0.0; 3], [1.0; 3]) - 21.0).abs() < 1e-9);
    assert!((contrast(hex("#777").unwrap(), [1.0; 3]) - 4.48).abs() < 0.01);
}
