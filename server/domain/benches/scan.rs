//! Scan throughput on a ~10,000-word fictitious Dutch case text with
//! identifiers sprinkled in. Prints p50 / p95 / max per scan and throughput.
//!
//! Run with `cargo bench -p beraad-domain --bench scan`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use beraad_domain::anonymisation::{hard_identifiers, iban_with_check_digits, scan};

/// Fictitious paragraphs; every identifier is made up (the BSNs and IBANs
/// are computed to pass their checks, so the scanner does real work).
const PARAGRAPHS: &[&str] = &[
    "Mevrouw Jansen (geboren 12 maart 1985) woont op Stationsweg 8, 6811 KG Arnhem. Zij ontvangt sinds twee jaar een bijstandsuitkering op grond van de Participatiewet en heeft een verlaging van 20 procent gekregen wegens het niet nakomen van de arbeidsverplichting (artikel 18 lid 2).",
    "Haar partner Ahmed El Amrani is 44 jaar en werkt drie dagen per week bij een schoonmaakbedrijf. De consulent besprak met hem de inkomstenverrekening; het bedrag van € 1.234,56 werd in mindering gebracht op de uitkering van de maand maart.",
    "In het moreel beraad bleef de vraag open of de kostendelersnorm hier redelijk is. Een collega wees op de ruimte die artikel 22a biedt, een ander vond dat het college van B&W eerst beleid moet maken voordat individueel maatwerk mogelijk is.",
    "Zoon Tim (16 jaar) gaat naar het voortgezet onderwijs en heeft een bijbaan. Mw. Jansen belde op 06-24681357 en mailde vanaf s.jansen85@example.nl met de vraag of zijn inkomsten meetellen. De auto met kenteken 74-KLM-2 staat op naam van de partner.",
    "De terugvordering betreft een periode van zes maanden. Het zaaknummer 186252760 staat in het dossier; de betalingen liepen via rekening {IBAN}. Het gesprek vond plaats op 3 april 2024 om 10:30 uur in het stadskantoor.",
    "Dhr. Yildiz, de buurman, verklaarde dat hij de familie al jaren kent. Hij is bereikbaar op +31 10 765 4321. Volgens de handhaver is er geen sprake van een gezamenlijke huishouding, maar de twijfel blijft bestaan bij het team.",
    "De inbrenger legde uit dat zij zich klem voelde tussen de regels en de menselijke maat. Na afweging van de waarden rechtvaardigheid, zorg en vertrouwen koos de groep voor een tijdelijke ontheffing met een evaluatie na drie maanden.",
    "Het BSN van de cliënte ({BSN}) mag niet in de casus staan. Zij verblijft tijdelijk bij haar moeder Fatima op Molenstraat 41-B, 5211AA 's-Hertogenbosch; haar vaste telefoonnummer is 073 612 3456.",
];

fn fictitious_iban(i: u64) -> String {
    let bban = format!("ABNA{:010}", 1_000_000 + i * 7_919);
    iban_with_check_digits("NL", &bban)
}

fn fictitious_bsn(i: u64) -> String {
    let mut stem = 10_000_000 + i * 104_729;
    loop {
        let s = format!("{:08}", stem % 100_000_000);
        let sum: u32 = s.bytes().enumerate().map(|(k, b)| (9 - k as u32) * u32::from(b - b'0')).sum();
        if sum % 11 < 10 {
            return format!("{s}{}", sum % 11);
        }
        stem += 1;
    }
}

fn build_case(target_words: usize) -> String {
    let mut text = String::new();
    let mut words = 0;
    let mut i = 0u64;
    while words < target_words {
        let p = PARAGRAPHS[(i as usize) % PARAGRAPHS.len()]
            .replace("{IBAN}", &fictitious_iban(i))
            .replace("{BSN}", &fictitious_bsn(i));
        words += p.split_whitespace().count();
        text.push_str(&p);
        text.push_str("\n\n");
        i += 1;
    }
    text
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(label: &str, text: &str, runs: usize, f: impl Fn(&str) -> usize) {
    let found = f(text);
    for _ in 0..5 {
        black_box(f(black_box(text)));
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        black_box(f(black_box(text)));
        times.push(t.elapsed());
    }
    times.sort();
    let total: Duration = times.iter().sum();
    let mb_per_s = (text.len() * runs) as f64 / total.as_secs_f64() / 1e6;
    println!(
        "{label:<18} findings {found:>5}  p50 {:.3} ms  p95 {:.3} ms  max {:.3} ms  throughput {mb_per_s:.1} MB/s",
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.95)),
        ms(*times.last().expect("runs > 0")),
    );
}

fn main() {
    let text = build_case(10_000);
    let words = text.split_whitespace().count();
    println!(
        "case: {words} words, {} bytes, {} chars; {} cores available",
        text.len(),
        text.chars().count(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    // Warm the lazily compiled regexes and word lists once.
    black_box(scan("Mevrouw Jansen"));
    report("scan", &text, 200, |t| scan(t).len());
    report("hard_identifiers", &text, 200, |t| hard_identifiers(t).len());
}
