//! Measures the scanner on the shared annotated samples
//! (`shared/samples/anonymisation.jsonl`, resolved as
//! `$CARGO_MANIFEST_DIR/../../../shared`).
//!
//! Matching rule: a gold identifier is *found* when a finding of the same
//! kind overlaps it (at least one char in common); it is found *exactly*
//! when a finding of the same kind has the same start and end. A finding is
//! a *true positive* when it overlaps a gold identifier of its kind, else a
//! false positive. No finding may overlap a decoy.

use std::collections::BTreeMap;
use std::path::PathBuf;

use beraad_domain::anonymisation::{scan, Finding, Kind};
use serde::Deserialize;

#[derive(Deserialize)]
struct Sample {
    id: serde_json::Value,
    text: String,
    identifiers: Vec<Gold>,
    #[serde(default)]
    decoys: Vec<Gold>,
}

#[derive(Deserialize)]
struct Gold {
    kind: String,
    start: usize,
    end: usize,
    text: String,
}

#[derive(Default, Debug)]
struct Tally {
    gold: usize,
    found: usize,
    exact: usize,
    findings: usize,
    true_positives: usize,
}

fn samples_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples/anonymisation.jsonl")
}

fn load() -> Vec<Sample> {
    let path = samples_path();
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the shared anonymisation samples are missing: cannot read {} ({e}). \
             CI must place shared/ beside the repository.",
            path.display()
        )
    });
    let samples: Vec<Sample> = raw
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("line {}: {e}", i + 1)))
        .collect();
    assert!(!samples.is_empty(), "{} holds no samples", path.display());
    samples
}

fn overlaps(f: &Finding, g: &Gold) -> bool {
    f.start < g.end && g.start < f.end
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        100.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

#[test]
fn per_kind_recall_and_precision_on_shared_samples() {
    let samples = load();
    let mut tallies: BTreeMap<Kind, Tally> = Kind::ALL.into_iter().map(|k| (k, Tally::default())).collect();
    let mut problems = Vec::new();
    for s in &samples {
        let chars: Vec<char> = s.text.chars().collect();
        for g in s.identifiers.iter().chain(&s.decoys) {
            let span: String = chars[g.start..g.end].iter().collect();
            assert_eq!(span, g.text, "sample {}: gold offsets do not match its text", s.id);
        }
        let findings = scan(&s.text);
        for f in &findings {
            let span: String = chars[f.start..f.end].iter().collect();
            assert_eq!(span, f.text, "sample {}: finding offsets do not match its text", s.id);
        }
        for g in &s.identifiers {
            let kind: Kind = g.kind.parse().unwrap_or_else(|e| panic!("sample {}: {e}", s.id));
            let t = tallies.get_mut(&kind).expect("every kind");
            t.gold += 1;
            let same_kind = findings.iter().filter(|f| f.kind == kind);
            if same_kind.clone().any(|f| overlaps(f, g)) {
                t.found += 1;
            } else {
                problems.push(format!("sample {}: missed {} {:?}", s.id, g.kind, g.text));
            }
            if same_kind.clone().any(|f| f.start == g.start && f.end == g.end) {
                t.exact += 1;
            }
        }
        for f in &findings {
            let t = tallies.get_mut(&f.kind).expect("every kind");
            t.findings += 1;
            let hit = s.identifiers.iter().any(|g| g.kind == f.kind.as_str() && overlaps(f, g));
            if hit {
                t.true_positives += 1;
            } else {
                problems.push(format!("sample {}: false positive {} {:?}", s.id, f.kind, f.text));
            }
            for d in &s.decoys {
                assert!(
                    !overlaps(f, d),
                    "sample {}: finding {} {:?} overlaps decoy {:?}",
                    s.id,
                    f.kind,
                    f.text,
                    d.text
                );
            }
        }
    }

    println!("\n{} samples from {}", samples.len(), samples_path().display());
    println!("| kind | gold | found | recall % | exact % | findings | precision % |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let (mut all_tp, mut all_findings) = (0, 0);
    for (kind, t) in &tallies {
        all_tp += t.true_positives;
        all_findings += t.findings;
        println!(
            "| {kind} | {} | {} | {:.1} | {:.1} | {} | {:.1} |",
            t.gold,
            t.found,
            pct(t.found, t.gold),
            pct(t.exact, t.gold),
            t.findings,
            pct(t.true_positives, t.findings)
        );
    }
    for p in &problems {
        println!("  {p}");
    }

    for (kind, t) in &tallies {
        let required = match kind {
            Kind::Bsn | Kind::Iban | Kind::Email | Kind::Phone | Kind::Postcode => 100.0,
            Kind::Name | Kind::Address | Kind::Dob | Kind::Plate => 90.0,
        };
        let recall = pct(t.found, t.gold);
        assert!(recall >= required, "{kind}: recall {recall:.1}% is below {required}% ({problems:?})");
    }
    let precision = pct(all_tp, all_findings);
    assert!(precision >= 90.0, "overall precision {precision:.1}% is below 90% ({problems:?})");
}
