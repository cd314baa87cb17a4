//! Reads one JSON string per line from standard input, scans each, and prints one JSON array of
//! findings per line; the time spent scanning (process start and I/O excluded) goes to standard
//! error as `scan_seconds <f64>`. Used by `benches/deduce_compare.py`.

use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use beraad_domain::anonymisation::scan;

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let mut spent = Duration::ZERO;
    for line in stdin.lock().lines() {
        let text: String = serde_json::from_str(&line.expect("stdin")).expect("one JSON string per line");
        let started = Instant::now();
        let findings = scan(&text);
        spent += started.elapsed();
        writeln!(out, "{}", serde_json::to_string(&findings).expect("findings serialise")).expect("stdout");
    }
    out.flush().expect("stdout");
    eprintln!("scan_seconds {}", spent.as_secs_f64());
}
