//! The hard-identifier guard against ordinary writing: valid BSNs (11-proef) and IBANs (mod 97)
//! written in many styles and embedded in many contexts are all found, with offsets that point at
//! them in the original text; amounts, dates, case numbers that fail the 11-proef and phone
//! numbers whose digits pass it are not.

use beraad_domain::anonymisation::iban_with_check_digits as make_iban;
use beraad_domain::anonymisation::{hard_identifiers, is_valid_bsn, is_valid_iban, scan, Finding, Kind};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Generators of valid numbers

/// A valid BSN from an eight-digit stem, or None when no check digit works.
fn make_bsn(stem: u32) -> Option<String> {
    let s = format!("{stem:08}");
    let sum: u32 = s.bytes().enumerate().map(|(i, b)| (9 - i as u32) * u32::from(b - b'0')).sum();
    let check = sum % 11;
    (check < 10 && stem != 0).then(|| format!("{s}{check}"))
}

fn bsn() -> impl Strategy<Value = String> {
    (1u32..100_000_000).prop_filter_map("no check digit", make_bsn)
}

/// Nine digits that fail the 11-proef (a case number).
fn not_bsn() -> impl Strategy<Value = String> {
    (100_000_000u32..1_000_000_000).prop_map(|n| n.to_string()).prop_filter("passes", |s| !is_valid_bsn(s))
}

const BANKS: [&str; 8] = ["ABNA", "RABO", "INGB", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"];

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, n).prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

/// Valid IBANs: Dutch, and German, Belgian, British, French and Spanish.
fn iban() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0..BANKS.len(), digits(10)).prop_map(|(b, d)| make_iban("NL", &format!("{}{d}", BANKS[b]))),
        1 => digits(18).prop_map(|d| make_iban("DE", &d)),
        1 => digits(12).prop_map(|d| make_iban("BE", &d)),
        1 => digits(14).prop_map(|d| make_iban("GB", &format!("NWBK{d}"))),
        1 => digits(23).prop_map(|d| make_iban("FR", &d)),
        1 => digits(20).prop_map(|d| make_iban("ES", &d)),
    ]
}

// ---------------------------------------------------------------------------------------------
// Writing styles

fn groups(s: &str, sizes: &[usize]) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    for &n in sizes {
        out.push(chars[i..(i + n).min(chars.len())].iter().collect());
        i += n;
    }
    if i < chars.len() {
        out.push(chars[i..].iter().collect());
    }
    out
}

fn fours(s: &str) -> Vec<String> {
    groups(s, &vec![4; s.len() / 4])
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | 'A'..='Z' | 'a'..='z' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap(),
            c => c,
        })
        .collect()
}

fn math_bold_digits(s: &str) -> String {
    s.chars()
        .map(
            |c| {
                if c.is_ascii_digit() {
                    char::from_u32(0x1D7CE + (c as u32 - '0' as u32)).unwrap()
                } else {
                    c
                }
            },
        )
        .collect()
}

fn interleave(s: &str, sep: &str) -> String {
    let chars: Vec<String> = s.chars().map(String::from).collect();
    chars.join(sep)
}

/// A BSN in one of 28 writing styles.
fn bsn_style(d: &str, style: usize) -> String {
    let g333 = groups(d, &[3, 3]);
    match style {
        0 => d.to_owned(),
        1 => g333.join(" "),
        2 => groups(d, &[4, 2]).join("."),
        3 => g333.join("-"),
        4 => g333.join("/"),
        5 => g333.join("\u{a0}"),
        6 => g333.join("\u{202f}"),
        7 => g333.join("_"),
        8 => g333.join(" - "),
        9 => full_width(d),
        10 => full_width(&g333.join("\u{3000}")),
        11 => interleave(d, "\u{200b}"),
        12 => interleave(d, "\u{ad}"),
        13 => format!("{}\u{200d}{}\u{200c}{}", g333[0], g333[1], g333[2]),
        14 => math_bold_digits(d),
        15 => format!("x{d}y"),
        16 => format!("BSN{d}"),
        17 => format!("bsn:{d}"),
        18 => format!("_{d}_"),
        19 => format!("@{d}"),
        20 => format!("({d})"),
        21 => format!("“{d}”"),
        22 => format!("https://example.nl/dossier?bsn={d}&stap=2"),
        23 => format!("**{d}**"),
        24 => format!("`{}`", g333.join(" ")),
        25 => groups(d, &[2, 2, 2]).join(" "),
        26 => format!("{}.{}-{}", g333[0], g333[1], g333[2]),
        27 => format!("{}\u{2060}{}\u{feff}{}", g333[0], g333[1], g333[2]),
        28 => format!("{}@example.nl", d),
        _ => format!("'{}'", groups(d, &[4, 2]).join(".")),
    }
}
const BSN_STYLES: usize = 30;

/// An IBAN in one of 22 writing styles.
fn iban_style(iban: &str, style: usize) -> String {
    let g = fours(iban);
    match style {
        0 => iban.to_owned(),
        1 => g.join(" "),
        2 => g.join("\u{a0}"),
        3 => g.join("-"),
        4 => g.join("."),
        5 => g.join("/"),
        6 => g.join(" - "),
        7 => iban.to_lowercase(),
        8 => g.join(" ").to_lowercase(),
        9 => full_width(iban),
        10 => interleave(iban, "\u{200b}"),
        11 => format!("x{iban}y"),
        12 => format!("IBAN:{iban}"),
        13 => format!("({})", g.join(" ")),
        14 => format!("https://bank.example/betaal?iban={iban}&bedrag=10"),
        15 => format!("**{}**", g.join(" ")),
        16 => format!("rekening{iban}"),
        17 => format!("{} {}", &iban[..2], g.join(" ")[2..].trim_start()),
        18 => g.join("\u{202f}"),
        19 => format!("“{iban}”"),
        20 => g.join("_"),
        _ => format!("`{}`", g.join(" ")),
    }
}
const IBAN_STYLES: usize = 22;

/// Sentences a number is embedded in (`{}` is the number).
const EMBEDDINGS: [&str; 8] = [
    "{}",
    "Cliënt gaf {} op.",
    "Zie {}, daarna verder.",
    "- nummer: {}\n- status: open",
    "Mevrouw Jansen (zie {}) belde gisteren over haar aanvraag bijzondere bijstand.",
    "Regel 1\nRegel 2 {}\nRegel 3",
    "Het dossier van 3 mei: {}; de uitkering is € 1.234,56.",
    "> {}",
];

/// The text and the char range of the number in it.
fn embed(template: &str, number: &str) -> (String, usize, usize) {
    let (before, after) = template.split_once("{}").unwrap();
    let start = before.chars().count();
    let end = start + number.chars().count();
    (format!("{before}{number}{after}"), start, end)
}

fn check_found(text: &str, start: usize, end: usize, kinds: &[Kind]) -> Result<(), TestCaseError> {
    let hard = hard_identifiers(text);
    let hit = hard.iter().find(|f| f.start < end && start < f.end && kinds.contains(&f.kind));
    prop_assert!(hit.is_some(), "not refused: {text:?}; found {hard:?}");
    for f in &hard {
        let chars: String = text.chars().skip(f.start).take(f.end - f.start).collect();
        prop_assert_eq!(&chars, &f.text, "offsets do not point at the finding in {:?}", text);
    }
    // scan agrees with the guard.
    let scanned: Vec<Finding> = scan(text).into_iter().filter(|f| f.kind.is_hard()).collect();
    prop_assert_eq!(scanned.len(), hard.len(), "scan and hard_identifiers disagree on {:?}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn valid_bsns_are_refused_in_every_style(d in bsn(), style in 0..BSN_STYLES, e in 0..EMBEDDINGS.len()) {
        let (text, start, end) = embed(EMBEDDINGS[e], &bsn_style(&d, style));
        check_found(&text, start, end, &[Kind::Bsn])?;
    }

    #[test]
    fn valid_ibans_are_refused_in_every_style(i in iban(), style in 0..IBAN_STYLES, e in 0..EMBEDDINGS.len()) {
        prop_assume!(is_valid_iban(&i));
        let (text, start, end) = embed(EMBEDDINGS[e], &iban_style(&i, style));
        check_found(&text, start, end, &[Kind::Iban])?;
    }

    #[test]
    fn case_numbers_failing_the_eleven_proef_pass(d in not_bsn(), style in 0..10usize, e in 0..EMBEDDINGS.len()) {
        let written = match style {
            0 => d.clone(),
            1 => groups(&d, &[3, 3]).join(" "),
            2 => groups(&d, &[4, 2]).join("."),
            3 => format!("ZK{d}"),
            4 => format!("zaak-{d}"),
            5 => groups(&d, &[3, 3]).join("/"),
            6 => full_width(&d),
            7 => format!("2024-{d}"),
            8 => interleave(&d, "\u{200b}"),
            _ => format!("({d})"),
        };
        let (text, _, _) = embed(EMBEDDINGS[e], &written);
        let hard = hard_identifiers(&text);
        prop_assert!(hard.is_empty(), "refused {:?}: {:?}", text, hard);
    }

    /// Phone numbers whose national nine digits pass the 11-proef are phone numbers.
    #[test]
    fn phone_numbers_passing_the_eleven_proef_are_phones(d in bsn(), m in (60_000_000u32..70_000_000).prop_filter_map("check", make_bsn), style in 0..12usize, e in 0..EMBEDDINGS.len()) {
        prop_assume!(!d.starts_with('0') && !d.starts_with('6'));
        let written = match style {
            0 => format!("+31 (0){} {} {}", &d[..2], &d[2..5], &d[5..]),
            1 => format!("0{}-{}", &d[..2], &d[2..]),
            2 => format!("06 {} {}", &m[1..5], &m[5..]),
            3 => format!("06-{}", &m[1..]),
            4 => format!("+31 6 {}", &m[1..]),
            5 => format!("0031 6 {}", &m[1..]),
            6 => format!("+31 {} {} {}", &d[..2], &d[2..5], &d[5..]),
            7 => format!("(0{}) {} {} {}", &d[..2], &d[2..5], &d[5..7], &d[7..]),
            8 => format!("0{} {} {}", &d[..2], &d[2..5], &d[5..]),
            9 => format!("+31{}", &m),
            10 => format!("+31\u{a0}6\u{a0}{}", &m[1..]),
            _ => format!("0031 (0)6 {} {}", &m[1..5], &m[5..]),
        };
        let (text, start, end) = embed(EMBEDDINGS[e], &written);
        let hard = hard_identifiers(&text);
        prop_assert!(hard.is_empty(), "refused {:?}: {:?}", text, hard);
        let phone = scan(&text).into_iter().find(|f| f.start < end && start < f.end);
        prop_assert!(phone.as_ref().is_some_and(|f| f.kind == Kind::Phone), "{:?}: {:?}", text, phone);
    }

    /// Amounts and dates, even when their digits would pass the 11-proef.
    #[test]
    fn amounts_and_dates_pass(d in bsn(), day in 1u32..29, month in 1u32..13, year in 1940u32..2030, h in 0u32..24, min in 0u32..60, cents in 0u32..100, e in 0..EMBEDDINGS.len(), style in 0..7usize) {
        let written = match style {
            0 => format!("€ {}.{}.{}", &d[..3], &d[3..6], &d[6..]),
            1 => format!("€ {}.{}.{},{cents:02}", &d[..3], &d[3..6], &d[6..]),
            2 => format!("€\u{a0}{},{cents:02}", &d[..4]),
            3 => format!("{day}-{month}-{year} om {h}:{min:02} uur"),
            4 => format!("{day:02}-{month:02}-{year} {h}:{min:02}"),
            5 => format!("{year}-{month:02}-{day:02}"),
            _ => format!("{day} maart {year}"),
        };
        let (text, _, _) = embed(EMBEDDINGS[e], &written);
        let hard = hard_identifiers(&text);
        prop_assert!(hard.is_empty(), "refused {:?}: {:?}", text, hard);
    }
}

/// The examples, one by one.
#[test]
fn the_reported_bypasses_are_refused() {
    for text in [
        "BSN123456782",
        "nummer x123456782y",
        "id_123456782",
        "mail 123456782@example.nl",
        "123/456/782",
        "1\u{200b}2\u{200b}3\u{200b}4\u{200b}5\u{200b}6\u{200b}7\u{200b}8\u{200b}2",
        "１２３４５６７８２",
        "NL91-ABNA-0417-1643-00",
        "NL91.ABNA.0417.1643.00",
        "NL91\u{a0}ABNA\u{a0}0417\u{a0}1643\u{a0}00",
        "xNL91ABNA0417164300y",
    ] {
        let hard = hard_identifiers(text);
        assert_eq!(hard.len(), 1, "{text:?}: {hard:?}");
    }
}

/// Issue 15, guard point 1: a phone number in international or Dutch form is a phone finding.
#[test]
fn phone_forms_are_phones_not_bsns() {
    // 201234567 passes the 11-proef, and so does 612345671.
    assert!(is_valid_bsn("201234567") && is_valid_bsn("612345671"));
    for phone in ["+31 (0)20 123 4567", "020-1234567", "06 1234 5671", "06-12345671", "+31 6 12345671"] {
        let text = format!("Bereikbaar via {phone}.");
        assert!(hard_identifiers(&text).is_empty(), "{text}");
        let kinds: Vec<Kind> = scan(&text).iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [Kind::Phone], "{text}");
    }
    // What the writer calls a BSN stays one.
    assert_eq!(hard_identifiers("BSN: 0 201234567").len(), 1);
}
