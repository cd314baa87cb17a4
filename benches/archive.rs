//! Archive search bench: imports generated fictitious precedents (100,000 by default), reopens
//! the store as a starting server would (index load time and memory), then times rare-term,
//! common-term, phrase, compound and filtered queries (p50/p95 over 20 runs; fewer, at least 3,
//! for a query slower than 15 s in all) and 300 varied queries, on SQLite and — when
//! `BERAAD_BENCH_POSTGRES_URL` is set — on PostgreSQL (a fresh schema each run).
//!
//! `cargo bench --bench archive` (`-- quick` for 10,000 precedents; `-- backup` to stop after the
//! import and `beraad backup` figures).

use std::time::Instant;

use beraad::archive::import_file;
use beraad::config::DatabaseConfig;
use beraad::domain::precedent::LawRef;
use beraad::search::ArchiveSearch;
use beraad::store::{self, DynStore, SearchQuery};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

const WORDS: &[&str] = &[
    "uitkering",
    "verlaging",
    "gesprek",
    "afspraak",
    "werk",
    "reistijd",
    "zorg",
    "kinderen",
    "schulden",
    "inkomsten",
    "melding",
    "termijn",
    "maatregel",
    "ontheffing",
    "huur",
    "woning",
    "gezondheid",
    "dagbesteding",
    "vrijwilligerswerk",
    "taal",
    "cursus",
    "vervoer",
    "partner",
    "huishouden",
    "vermogen",
    "gift",
    "terugbetaling",
    "boete",
    "waarschuwing",
    "onderzoek",
    "bezwaar",
    "beslissing",
    "regeling",
    "kosten",
    "ziekte",
    "herstel",
    "begeleiding",
    "traject",
    "werkgever",
    "contract",
    "uren",
    "opleiding",
    "stage",
    "sollicitatie",
    "brief",
];
const THEMES: &[&str] =
    &["verlaging", "ontheffing", "boete", "bijzondere bijstand", "kostendelersnorm", "maatwerk (18 lid 1)"];
const LAWS: &[&str] =
    &["art. 18 lid 1", "art. 18 lid 2", "art. 18a", "art. 9 lid 2", "art. 35", "art. 22a", "art. 58"];
/// Appears in about one precedent in 10,000.
const RARE: &str = "zonnepanelen";

/// Size of the generated long-tail vocabulary besides `WORDS`.
const TAIL_WORDS: usize = 20_000;
const SYLLABLES: &[&str] = &[
    "be", "ver", "ont", "ge", "aan", "uit", "over", "wer", "lan", "ster", "hou", "ding", "ring", "heid",
    "baar", "kel", "tie", "sie", "toe", "na", "kos", "ten", "wo", "ning", "zorg", "plan", "stel", "ling",
    "mid", "del",
];

/// A pseudo-Dutch word of the long tail: `n` spelled in syllables.
fn tail_word(mut n: usize) -> String {
    let mut w = String::new();
    for _ in 0..3 {
        w.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
    }
    w.push_str(SYLLABLES[n % SYLLABLES.len()]);
    w
}

/// Prose with a realistic spread: six words in ten from the 45 common ones, the rest from a
/// long tail where the k-th word is about 1/k as frequent as the first (Zipf).
fn text(rng: &mut StdRng, words: usize) -> String {
    (0..words)
        .map(|_| {
            if rng.random_bool(0.6) {
                WORDS[rng.random_range(0..WORDS.len())].to_string()
            } else {
                let u: f64 = rng.random();
                tail_word(((TAIL_WORDS as f64).powf(u) as usize).min(TAIL_WORDS - 1))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn line(rng: &mut StdRng, i: usize) -> serde_json::Value {
    let method = ["dilemma", "incident", "nijmegen"][i % 3];
    let mut case = text(rng, 60);
    if i % 10_000 == 7 {
        case.push(' ');
        case.push_str(RARE);
    }
    if i % 7 == 3 {
        case.push_str(" Er waren dringende redenen.");
    }
    json!({
        "ref": format!("B{i}"),
        "title": format!("Casus {}: {}", i, text(rng, 5)),
        "date": format!("20{:02}-{:02}-{:02}", 20 + i % 6, 1 + i % 12, 1 + i % 28),
        "method": method,
        "case": case,
        "outcome": text(rng, 20),
        "reasoning": text(rng, 30),
        "values": ["rechtvaardigheid"],
        "law_articles": [LAWS[i % LAWS.len()]],
        "tags": [THEMES[i % THEMES.len()]],
        "team": format!("Team {}", i % 8),
    })
}

/// This process's resident memory, from `/proc/self/status` (0 where there is none).
fn rss_kib() -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

async fn bench(name: &str, database: DatabaseConfig, n: usize) {
    let store: DynStore = store::connect(&database).await.unwrap();
    store.migrate().await.unwrap();
    let mut rng = StdRng::seed_from_u64(7);
    let started = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(5_000) {
        let jsonl: String = chunk.iter().map(|&i| format!("{}\n", line(&mut rng, i))).collect();
        import_file(&store, "GEM", &jsonl, 1).await.unwrap();
    }
    println!("{name}: imported {n} precedents in {:.1} s", started.elapsed().as_secs_f64());
    store.close().await;
    if let DatabaseConfig::Sqlite { path } = &database {
        backup_figures(path).await;
    }
    if std::env::args().any(|a| a == "backup") {
        return;
    }

    // A server process starting on this archive: connect, load the index, first answer.
    let rss_before = rss_kib();
    let started = Instant::now();
    let store: DynStore = store::connect(&database).await.unwrap();
    let search = ArchiveSearch::new(store.clone());
    search.refresh().await.unwrap();
    println!(
        "  index load on start-up: {:.2} s, resident memory +{:.0} MiB",
        started.elapsed().as_secs_f64(),
        (rss_kib() - rss_before) as f64 / 1024.0
    );
    let law = LawRef::parse("art. 18").unwrap();
    let queries: Vec<(&str, SearchQuery)> = vec![
        ("rare term", SearchQuery { text: RARE.into(), ..SearchQuery::default() }),
        ("common term", SearchQuery { text: "verlaging".into(), ..SearchQuery::default() }),
        ("two common terms", SearchQuery { text: "verlaging gesprek".into(), ..SearchQuery::default() }),
        (
            "filtered: term + art. 18 + theme",
            SearchQuery {
                text: "gesprek".into(),
                law: Some(law),
                theme: Some("boete".into()),
                ..SearchQuery::default()
            },
        ),
        (
            "phrase \"dringende redenen\"",
            SearchQuery { text: "\"dringende redenen\"".into(), ..SearchQuery::default() },
        ),
        (
            "compound prefix (kostendeler)",
            SearchQuery { text: "kostendeler".into(), ..SearchQuery::default() },
        ),
        ("common term, page 50", SearchQuery { text: "gesprek".into(), page: 50, ..SearchQuery::default() }),
        (
            "filters only: art. 18 + theme",
            SearchQuery {
                law: Some(LawRef::parse("art. 18").unwrap()),
                theme: Some("boete".into()),
                ..SearchQuery::default()
            },
        ),
    ];
    for (label, query) in queries {
        let mut times = Vec::new();
        let mut total = 0;
        // 20 runs, or fewer (at least 3) when the query is slow: the bench must end.
        let budget = Instant::now();
        for run in 0..20 {
            if run >= 3 && budget.elapsed().as_secs() >= 15 {
                break;
            }
            let t = Instant::now();
            let page = search.search_precedents(&query).await.unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            total = page.total;
        }
        println!(
            "  {label:<34} {total:>7} matches  {:>3} runs  p50 {:>8.2} ms  p95 {:>8.2} ms",
            times.len(),
            pct(&mut times, 0.5),
            pct(&mut times, 0.95)
        );
    }
    // Many different queries: one to three words drawn like the text, half with a filter.
    let mut qrng = StdRng::seed_from_u64(11);
    let mut times = Vec::new();
    let mut matches = 0u64;
    for i in 0..300 {
        let n_words = qrng.random_range(1..=3);
        let words = text(&mut qrng, n_words);
        let mut query = SearchQuery { text: words, ..SearchQuery::default() };
        if i % 2 == 1 {
            query.law = Some(LawRef::parse(LAWS[i % LAWS.len()]).unwrap());
        }
        let t = Instant::now();
        let page = search.search_precedents(&query).await.unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        matches += page.total;
    }
    println!(
        "  {:<34} {:>7} avg matches  {:>3} runs  p50 {:>8.2} ms  p95 {:>8.2} ms",
        "300 varied queries (1–3 words)",
        matches / 300,
        times.len(),
        pct(&mut times, 0.5),
        pct(&mut times, 0.95)
    );
    store.close().await;
}

/// `beraad backup` of the archive just imported: time and size (the database's own size beside).
async fn backup_figures(path: &std::path::Path) {
    use beraad::cli::{backup, DatabaseArgs};
    let file = path.with_file_name("backup.db");
    let started = Instant::now();
    backup::backup(backup::BackupArgs {
        file: file.clone(),
        database: DatabaseArgs { database_url: format!("sqlite://{}", path.display()) },
    })
    .await
    .unwrap();
    let took = started.elapsed().as_secs_f64();
    let mib = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;
    println!("  beraad backup: {took:.2} s, {:.0} MiB (database file {:.0} MiB)", mib(&file), mib(path));
    std::fs::remove_file(&file).unwrap();
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let n = if quick { 10_000 } else { 100_000 };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        println!("archive bench: {n} generated precedents, 20 runs per query, release build, 2 cores");
        let dir = tempfile::tempdir().unwrap();
        bench("SQLite", DatabaseConfig::Sqlite { path: dir.path().join("archive.db") }, n).await;
        if let Ok(url) = std::env::var("BERAAD_BENCH_POSTGRES_URL") {
            use sqlx::Connection;
            let schema = format!("beraad_bench_{}", std::process::id());
            let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut conn).await.unwrap();
            let sep = if url.contains('?') { '&' } else { '?' };
            let db =
                DatabaseConfig::Postgres { url: format!("{url}{sep}options=-c%20search_path%3D{schema}") };
            bench("PostgreSQL", db, n).await;
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut conn).await.unwrap();
        }
    });
}
