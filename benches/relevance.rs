//! Relevance bench: imports the fictitious relevance set (`tests/fixtures/relevance_*.jsonl`)
//! into a fresh SQLite archive and prints each query's rank, hit@3 and MRR.
//!
//! `cargo bench --bench relevance`

use beraad::archive::import_file;
use beraad::config::DatabaseConfig;
use beraad::search::relevance::{evaluate, parse_cases};
use beraad::search::ArchiveSearch;
use beraad::store::{self, DynStore, SearchQuery};

const PRECEDENTS: &str = include_str!("../tests/fixtures/relevance_precedents.jsonl");
const QUERIES: &str = include_str!("../tests/fixtures/relevance_queries.jsonl");

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let database = DatabaseConfig::Sqlite { path: dir.path().join("relevance.db") };
        let store: DynStore = store::connect(&database).await.unwrap();
        store.migrate().await.unwrap();
        let report = import_file(&store, "GEM", PRECEDENTS, 1).await.unwrap();
        let cases = parse_cases(QUERIES).unwrap();
        let search = ArchiveSearch::new(store.clone());
        let result = evaluate(&search, &cases, &SearchQuery::default()).await.unwrap();
        for (query, rank) in &result.ranks {
            let rank = rank.map_or("-".to_string(), |r| r.to_string());
            println!("{rank:>3}  {query}");
        }
        println!(
            "relevance: {} precedents, {} queries: hit@3 {:.3}, MRR {:.3}",
            report.imported,
            cases.len(),
            result.hit_at_3,
            result.mrr
        );
        store.close().await;
    });
}
