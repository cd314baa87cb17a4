//! Times the work one pathological request asks of the domain: method bodies of many empty
//! rounds or many unknown fields, and 64k free tags. `cargo run --release -p beraad-domain
//! --example limits_bench [rounds...]`.

use std::time::Instant;

use beraad_domain::method::validate_custom;
use beraad_domain::precedent::normalise_tags;
use serde_json::{json, Value};

fn method(rounds: Vec<Value>) -> String {
    json!({"key": "lang", "name": "Lang", "description": "Lang", "family": "intervision",
           "output": "advice", "rounds": rounds})
    .to_string()
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let counts = if args.is_empty() { vec![1_000, 10_000, 340_000] } else { args };
    for n in counts {
        let body = method(vec![json!({}); n]);
        let t = Instant::now();
        let problems = validate_custom(&body).unwrap_err();
        println!(
            "{n} empty rounds ({} bytes): {:.3} s, {} problems listed",
            body.len(),
            t.elapsed().as_secs_f64(),
            problems.len()
        );
    }
    let mut round = serde_json::Map::new();
    for f in 0..2200 {
        round.insert(format!("veld{f:05}"), json!(0));
    }
    let body = method(vec![Value::Object(round); 30]);
    let t = Instant::now();
    let problems = validate_custom(&body).unwrap_err();
    println!(
        "30 rounds x 2200 unknown fields ({} bytes): {:.3} s, {} problems listed",
        body.len(),
        t.elapsed().as_secs_f64(),
        problems.len()
    );
    let tags: Vec<String> = (0..65_536).map(|i| format!("t{i:010}")).collect();
    let t = Instant::now();
    let kept = normalise_tags(&tags);
    println!("65536 tags normalised: {:.3} s ({} kept)", t.elapsed().as_secs_f64(), kept.len());
}
