//! Prints the guard's refusal figures: how many valid BSNs and IBANs written in ordinary styles
//! are refused (should be all), and how many look-alikes are refused (false refusals: phone
//! numbers whose digits pass the 11-proef, amounts, dates with times, case numbers failing the
//! 11-proef). `cargo run -p beraad-domain --release --example guard_figures`

use beraad_domain::anonymisation::{hard_identifiers, iban_with_check_digits};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn check_digit(stem: &str) -> Option<u32> {
    let sum: u32 = stem.bytes().enumerate().map(|(i, b)| (9 - i as u32) * u32::from(b - b'0')).sum();
    Some(sum % 11).filter(|&c| c < 10)
}

/// A valid BSN whose first digit is `first` (1-9), or any of 1-`-first` when negative.
fn bsn(rng: &mut Rng, first: i64) -> String {
    loop {
        let first = if first > 0 { first as u64 } else { 1 + rng.below((-first) as u64) };
        let stem = format!("{first}{:07}", rng.below(10_000_000));
        if let Some(c) = check_digit(&stem) {
            return format!("{stem}{c}");
        }
    }
}

fn not_bsn(rng: &mut Rng) -> String {
    loop {
        let stem = format!("{}{:07}", 1 + rng.below(9), rng.below(10_000_000));
        let c = rng.below(10) as u32;
        if check_digit(&stem) != Some(c) {
            return format!("{stem}{c}");
        }
    }
}

fn iban(rng: &mut Rng) -> String {
    const BANKS: [&str; 4] = ["ABNA", "RABO", "INGB", "SNSB"];
    let bban = format!("{}{:010}", BANKS[rng.below(4) as usize], rng.below(10_000_000_000));
    iban_with_check_digits("NL", &bban)
}

fn fw(s: &str) -> String {
    s.chars()
        .map(
            |c| if c.is_ascii_alphanumeric() { char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap() } else { c },
        )
        .collect()
}

fn g(s: &str, sep: &str, size: usize) -> String {
    s.as_bytes().chunks(size).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(sep)
}

fn rate(label: &str, n: usize, mut make: impl FnMut(usize) -> String, expect_refused: bool) {
    let refused = (0..n)
        .filter(|&i| !hard_identifiers(&format!("Cliënt: {} (zie dossier).", make(i))).is_empty())
        .count();
    let what = if expect_refused { "refused (want all)" } else { "refused (false refusals)" };
    println!("{label:<52} {refused:>5} / {n:<5} {what}");
}

fn main() {
    let mut rng = Rng(42);
    let n = 2000;
    let bsn_styles: [fn(&str) -> String; 12] = [
        |d| d.to_owned(),
        |d| g(d, " ", 3),
        |d| format!("{}.{}.{}", &d[..4], &d[4..6], &d[6..]),
        |d| g(d, "/", 3),
        |d| g(d, "\u{a0}", 3),
        |d| format!("BSN{d}"),
        |d| format!("x{d}y"),
        |d| format!("_{d}_"),
        |d| fw(d),
        |d| g(d, "\u{200b}", 1),
        |d| g(d, " - ", 3),
        |d| format!("{d}@example.nl"),
    ];
    for (k, style) in bsn_styles.iter().enumerate() {
        rate(
            &format!("BSN style {k:>2} e.g. {:?}", style("123456782")),
            n,
            |_| style(&bsn(&mut rng, -9)),
            true,
        );
    }
    let iban_styles: [fn(&str) -> String; 8] = [
        |i| i.to_owned(),
        |i| g(i, " ", 4),
        |i| g(i, "-", 4),
        |i| g(i, ".", 4),
        |i| g(i, "\u{a0}", 4),
        |i| format!("x{i}y"),
        |i| i.to_lowercase(),
        |i| fw(i),
    ];
    for (k, style) in iban_styles.iter().enumerate() {
        rate(
            &format!("IBAN style {k} e.g. {:?}", style("NL91ABNA0417164300")),
            n,
            |_| style(&iban(&mut rng)),
            true,
        );
    }
    // Look-alikes.
    let mut r2 = Rng(7);
    let phones: [fn(&str, &str) -> String; 8] = [
        |d, _| format!("+31 (0){} {} {}", &d[..2], &d[2..5], &d[5..]),
        |d, _| format!("0{}-{}", &d[..2], &d[2..]),
        |_, m| format!("06 {} {}", &m[1..5], &m[5..]),
        |_, m| format!("06-{}", &m[1..]),
        |_, m| format!("+31 6 {}", &m[1..]),
        |_, m| format!("0031 6 {}", &m[1..]),
        |d, _| format!("+31 {} {} {}", &d[..2], &d[2..5], &d[5..]),
        |d, _| format!("(0{}) {} {} {}", &d[..2], &d[2..5], &d[5..7], &d[7..]),
    ];
    for (k, phone) in phones.iter().enumerate() {
        rate(
            &format!("phone (digits pass 11-proef) e.g. {:?}", phone("201234567", "612345671")),
            n,
            |_| {
                let d = bsn(&mut r2, -5);
                let m = bsn(&mut r2, 6);
                phone(&d, &m)
            },
            false,
        );
        let _ = k;
    }
    rate(
        "amount € 123.456.782 (digits pass 11-proef)",
        n,
        |_| {
            let d = bsn(&mut r2, -9);
            format!("€ {}.{}.{}", &d[..3], &d[3..6], &d[6..])
        },
        false,
    );
    rate(
        "amount € 1.234,56",
        n,
        |_| format!("€ {}.{:03},{:02}", 1 + r2.below(99), r2.below(1000), r2.below(100)),
        false,
    );
    rate(
        "date and time 12-03-2024 9:30",
        n,
        |_| {
            format!(
                "{}-{}-{} {}:{:02}",
                1 + r2.below(28),
                1 + r2.below(12),
                1990 + r2.below(40),
                r2.below(24),
                r2.below(60)
            )
        },
        false,
    );
    let case_styles: [fn(&str) -> String; 5] =
        [|d| d.to_owned(), |d| g(d, " ", 3), |d| format!("ZK{d}"), |d| format!("2024-{d}"), |d| g(d, "/", 3)];
    for style in case_styles {
        rate(
            &format!("case number failing 11-proef e.g. {:?}", style("123456789")),
            n,
            |_| style(&not_bsn(&mut r2)),
            false,
        );
    }
    rate(
        "case number passing 11-proef, year-prefixed 2024-…",
        n,
        |_| format!("2024-{}", bsn(&mut r2, -9)),
        false,
    );
}
