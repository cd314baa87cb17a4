//! Archive search bench: imports generated fictitious precedents (100,000 by default), then
//! compares the two search engines side by side on that archive, interleaved (memory, tantivy,
//! memory, tantivy, …; `BERAAD_BENCH_ROUNDS` rounds, 3 by default) so the machine's load hits
//! both alike, and prints the median over the rounds of each figure. Each round of an engine is
//! a fresh process (this bench started again as a child), as a starting server is: start-up
//! (connect, open or build the index, first answer), p50/p95 of each query kind (20 runs; fewer,
//! at least 3, for a query slower than 15 s in all) and of 300 varied queries, and the
//! process's memory after them. tantivy builds its index once before the rounds (timed); each
//! round reopens it, as a restarted server does. On SQLite also: the index's size on disk and
//! a one-off `beraad archive search` (the release binary) per engine. On SQLite, and on
//! PostgreSQL when `BERAAD_BENCH_POSTGRES_URL` is set (a fresh schema each run).
//!
//! `cargo bench --bench archive` (`-- quick` for 10,000 precedents; `-- backup` to stop after the
//! import and `beraad backup` figures; `-- sqlite` to skip PostgreSQL, `-- postgres` to skip the
//! SQLite comparison). `BERAAD_BENCH_KEEP=DIR` imports into DIR (or reuses the archive already
//! there) and keeps it; on PostgreSQL it keeps the schema `beraad_bench_keep` the same way.
//! tantivy keeps its index in DIR too (beside the SQLite file; `DIR/pg-index` for PostgreSQL).
//! `BERAAD_BENCH_ONLY=TEXT` times only the query kinds whose label contains TEXT (for a
//! profile).

use std::time::Instant;

use beraad::archive::import_file;
use beraad::config::DatabaseConfig;
use beraad::domain::precedent::LawRef;
use beraad::search::{ArchiveSearch, EngineKind};
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

/// Memory of this process from `/proc/self/status`, in MiB: resident (`VmRSS`, which counts
/// the index files mapped and read) and private anonymous (`RssAnon`, heap: what the process
/// itself holds). Zero where there is none.
fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> f64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmRSS:"), field("RssAnon:"))
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn median(mut v: Vec<f64>) -> f64 {
    pct(&mut v, 0.5)
}

/// The timed query kinds.
fn query_kinds() -> Vec<(&'static str, SearchQuery)> {
    let law = || Some(LawRef::parse("art. 18").unwrap());
    let text = |t: &str| SearchQuery { text: t.into(), ..SearchQuery::default() };
    vec![
        ("rare word", text(RARE)),
        ("common word", text("verlaging")),
        ("two common words", text("verlaging gesprek")),
        // Ranked partial matching: most precedents hold only some of the words.
        ("partial: rare + 2 common words", text("zonnepanelen verlaging boete")),
        ("partial: natural question", text("klant weigert werk vanwege mantelzorg")),
        (
            "filtered: word + art. 18 + theme",
            SearchQuery {
                text: "gesprek".into(),
                law: law(),
                theme: Some("boete".into()),
                ..SearchQuery::default()
            },
        ),
        ("phrase \"dringende redenen\"", text("\"dringende redenen\"")),
        ("compound prefix (kostendeler)", text("kostendeler")),
        ("common word, page 50", SearchQuery { text: "gesprek".into(), page: 50, ..SearchQuery::default() }),
        (
            "filters only: art. 18 + theme",
            SearchQuery { law: law(), theme: Some("boete".into()), ..SearchQuery::default() },
        ),
    ]
}

/// One to three words drawn like the text, every other query with a law filter.
fn varied_queries() -> Vec<SearchQuery> {
    let mut qrng = StdRng::seed_from_u64(11);
    (0..300)
        .map(|i| {
            let n_words = qrng.random_range(1..=3);
            let mut query = SearchQuery { text: text(&mut qrng, n_words), ..SearchQuery::default() };
            if i % 2 == 1 {
                query.law = Some(LawRef::parse(LAWS[i % LAWS.len()]).unwrap());
            }
            query
        })
        .collect()
}

/// What one process of one engine measured.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Figures {
    /// Connect, open (or build) the index, first answer.
    startup_ms: f64,
    rss_mib: f64,
    anon_mib: f64,
    /// Per query kind (and "300 varied queries"): p50, p95 in ms and the matches found.
    kinds: Vec<(String, f64, f64, u64)>,
}

const VARIED: &str = "300 varied queries (1–3 words)";

/// The child process: one engine's start-up and queries on the archive at `url`.
async fn run_engine(url: &str, only_startup: bool) -> Figures {
    let kind = EngineKind::from_env().expect("BERAAD_SEARCH_ENGINE names the engine");
    let index_dir = std::env::var_os("BERAAD_INDEX_DIR").map(std::path::PathBuf::from);
    let only = std::env::var("BERAAD_BENCH_ONLY").ok();
    let started = Instant::now();
    let store: DynStore = store::connect(&DatabaseConfig::parse(url).unwrap()).await.unwrap();
    let search = ArchiveSearch::with_engine(store.clone(), kind).with_index_dir(index_dir);
    search.refresh().await.unwrap();
    search
        .search_precedents(&SearchQuery { text: "verlaging".into(), ..SearchQuery::default() })
        .await
        .unwrap();
    let mut figures = Figures { startup_ms: started.elapsed().as_secs_f64() * 1000.0, ..Figures::default() };
    if only_startup {
        store.close().await;
        return figures;
    }
    for (label, query) in query_kinds() {
        if only.as_ref().is_some_and(|only| !label.contains(only.as_str())) {
            continue;
        }
        let mut times = Vec::new();
        let mut total = 0;
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
        figures.kinds.push((label.into(), pct(&mut times, 0.5), pct(&mut times, 0.95), total));
    }
    let mut times = Vec::new();
    let mut matches = 0u64;
    for query in varied_queries().into_iter().filter(|_| only.is_none()) {
        let t = Instant::now();
        let page = search.search_precedents(&query).await.unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        matches += page.total;
    }
    if !times.is_empty() {
        figures.kinds.push((VARIED.into(), pct(&mut times, 0.5), pct(&mut times, 0.95), matches / 300));
    }
    (figures.rss_mib, figures.anon_mib) = memory_mib();
    store.close().await;
    figures
}

/// Runs this bench again as a child process measuring `engine` on the archive at `url` (with
/// tantivy's index under `index_dir`, when given).
fn child(engine: &str, url: &str, index_dir: Option<&std::path::Path>, only_startup: bool) -> Figures {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    if let Some(dir) = index_dir {
        command.env("BERAAD_INDEX_DIR", dir);
    }
    let out = command
        .env("BERAAD_BENCH_RUN", url)
        .env("BERAAD_SEARCH_ENGINE", engine)
        .env("BERAAD_BENCH_ONLY_STARTUP", if only_startup { "1" } else { "" })
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("the bench runs itself");
    assert!(out.status.success(), "{engine} run failed");
    let line = String::from_utf8(out.stdout).unwrap();
    serde_json::from_str(line.trim()).expect("the child prints its figures")
}

const ENGINES: [&str; 2] = ["memory", "tantivy"];

/// Both engines side by side on the archive at `url`, interleaved, medians over the rounds.
/// tantivy's index: under `index_dir` (`--index-dir`) when given, else beside the SQLite file;
/// `index` is the directory it ends up in (for its size), emptied first so it is built.
fn compare(name: &str, url: &str, index_dir: Option<&std::path::Path>, index: &std::path::Path) {
    let rounds: usize = std::env::var("BERAAD_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let _ = std::fs::remove_dir_all(index);
    let build = child("tantivy", url, index_dir, true);
    println!(
        "  {name}: tantivy index build at first start (empty index): {:.2} s",
        build.startup_ms / 1000.0
    );
    let mut runs: [Vec<Figures>; 2] = [Vec::new(), Vec::new()];
    for round in 0..rounds {
        for (e, engine) in ENGINES.iter().enumerate() {
            let f = child(engine, url, index_dir, false);
            eprintln!("  round {} {engine}: start-up {:.0} ms", round + 1, f.startup_ms);
            runs[e].push(f);
        }
    }
    let med = |e: usize, f: &dyn Fn(&Figures) -> f64| median(runs[e].iter().map(f).collect());
    println!("  {name}, {rounds} rounds interleaved, medians (memory | tantivy):");
    println!(
        "  {:<34} {:>9} {:>9} | {:>9} {:>9}  {:>7}",
        "query", "p50 ms", "p95 ms", "p50 ms", "p95 ms", "matches"
    );
    for (k, (label, _, _, matches)) in runs[0][0].kinds.iter().enumerate() {
        let p = |e: usize, i: usize| med(e, &|f| if i == 0 { f.kinds[k].1 } else { f.kinds[k].2 });
        let same = runs.iter().flatten().all(|f| f.kinds[k].3 == *matches);
        println!(
            "  {label:<34} {:>9.2} {:>9.2} | {:>9.2} {:>9.2}  {matches:>7}{}",
            p(0, 0),
            p(0, 1),
            p(1, 0),
            p(1, 1),
            if same { "" } else { "  (ENGINES DIFFER)" }
        );
    }
    println!(
        "  start-up to first answer          {:>9.0} ms          | {:>9.0} ms",
        med(0, &|f| f.startup_ms),
        med(1, &|f| f.startup_ms)
    );
    println!(
        "  memory after the queries (VmRSS)  {:>9.0} MiB         | {:>9.0} MiB",
        med(0, &|f| f.rss_mib),
        med(1, &|f| f.rss_mib)
    );
    println!(
        "  of which private (RssAnon)        {:>9.0} MiB         | {:>9.0} MiB",
        med(0, &|f| f.anon_mib),
        med(1, &|f| f.anon_mib)
    );
    println!("  tantivy index on disk: {:.0} MiB ({})", dir_bytes(index) as f64 / 1048576.0, index.display());
    let mut cli: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..rounds {
        for (e, engine) in ENGINES.iter().enumerate() {
            let t = Instant::now();
            let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_beraad"));
            if let Some(dir) = index_dir {
                command.env("BERAAD_INDEX_DIR", dir);
            }
            let out = command
                .args(["archive", "search", "verlaging", "--database-url", url])
                .env("BERAAD_SEARCH_ENGINE", engine)
                .output()
                .expect("beraad runs");
            cli[e].push(t.elapsed().as_secs_f64());
            assert!(out.status.success(), "beraad archive search: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
    println!(
        "  one-off `beraad archive search verlaging`: {:.2} s | {:.2} s (wall, median)",
        median(cli[0].clone()),
        median(cli[1].clone())
    );
}

/// Bytes of the files under `dir`.
fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

async fn import(name: &str, database: &DatabaseConfig, n: usize) {
    let store: DynStore = store::connect(database).await.unwrap();
    store.migrate().await.unwrap();
    let existing = store.archive_generation().await.unwrap();
    if existing as usize >= n {
        println!("{name}: the archive is already imported (generation {existing})");
        store.close().await;
        return;
    }
    let mut rng = StdRng::seed_from_u64(7);
    let started = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(5_000) {
        let jsonl: String = chunk.iter().map(|&i| format!("{}\n", line(&mut rng, i))).collect();
        import_file(&store, "GEM", &jsonl, 1).await.unwrap();
    }
    println!("{name}: imported {n} precedents in {:.1} s", started.elapsed().as_secs_f64());
    store.close().await;
    if let DatabaseConfig::Sqlite { path } = database {
        backup_figures(path).await;
    }
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
    if let Ok(url) = std::env::var("BERAAD_BENCH_RUN") {
        let only_startup = std::env::var("BERAAD_BENCH_ONLY_STARTUP").is_ok_and(|v| v == "1");
        let rt = tokio::runtime::Runtime::new().unwrap();
        let figures = rt.block_on(run_engine(&url, only_startup));
        println!("{}", serde_json::to_string(&figures).unwrap());
        return;
    }
    let quick = std::env::args().any(|a| a == "quick");
    let backup_only = std::env::args().any(|a| a == "backup");
    let n = if quick { 10_000 } else { 100_000 };
    let rt = tokio::runtime::Runtime::new().unwrap();
    println!("archive bench: {n} generated precedents, release build");
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var("BERAAD_BENCH_KEEP").map(std::path::PathBuf::from).unwrap_or(temp.path().into());
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("archive.db");
    rt.block_on(import("SQLite", &DatabaseConfig::Sqlite { path: path.clone() }, n));
    if backup_only {
        return;
    }
    let url = format!("sqlite://{}", path.display());
    if !std::env::args().any(|a| a == "postgres") {
        compare("SQLite", &url, None, &dir.join("archive.db.index").join("0"));
    }
    if std::env::args().any(|a| a == "sqlite") {
        return;
    }
    if let Ok(url) = std::env::var("BERAAD_BENCH_POSTGRES_URL") {
        use sqlx::Connection;
        let keep = std::env::var_os("BERAAD_BENCH_KEEP").is_some();
        let schema = if keep {
            "beraad_bench_keep".to_string()
        } else {
            format!("beraad_bench_{}", std::process::id())
        };
        let mut conn = rt.block_on(sqlx::PgConnection::connect(&url)).unwrap();
        rt.block_on(sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS {schema}")).execute(&mut conn))
            .unwrap();
        let sep = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{sep}options=-c%20search_path%3D{schema}");
        rt.block_on(import("PostgreSQL", &DatabaseConfig::Postgres { url: url.clone() }, n));
        let identity: String = rt
            .block_on(
                sqlx::query_scalar(&format!("SELECT identity FROM {schema}.database_identity"))
                    .fetch_one(&mut conn),
            )
            .unwrap();
        let index_dir = dir.join("pg-index");
        compare("PostgreSQL", &url, Some(&index_dir), &index_dir.join(identity).join("0"));
        if !keep {
            rt.block_on(sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut conn)).unwrap();
        }
    }
}
