//! The tantivy index on disk, on both backends (issue 15): a process keeps its index in a
//! directory of its own that records the database and the archive generation it holds, so a
//! later process reopens it without a rebuild and catches up with what another process
//! imported since; an index of another database, or a damaged one, is rebuilt. All data is
//! fictitious.

use std::process::{Command, Stdio};

use beraad::archive::import_file;
use beraad::config::DatabaseConfig;
use beraad::search::engine::TantivyIndex;
use beraad::search::ArchiveSearch;
use beraad::store::{DynStore, SearchPage, SearchQuery};

use crate::harness::{on_both_backends, temp_dir};

const NOW: i64 = 1_764_000_000_000;
const BIN: &str = env!("CARGO_BIN_EXE_beraad");

fn precedent(r: &str, title: &str, case: &str) -> String {
    format!(
        "{}\n",
        serde_json::json!({
            "ref": r, "title": title, "date": "2025-03-01", "method": "dilemma", "case": case,
            "law_articles": ["Participatiewet art. 18 lid 2"], "tags": ["verlaging"]
        })
    )
}

fn refs(page: &SearchPage) -> Vec<String> {
    page.results.iter().map(|h| h.import_ref.clone().unwrap_or_default()).collect()
}

fn url_of(database: &DatabaseConfig) -> String {
    match database {
        DatabaseConfig::Sqlite { path } => format!("sqlite://{}", path.display()),
        DatabaseConfig::Postgres { url } => url.clone(),
    }
}

async fn search(search: &ArchiveSearch, text: &str) -> SearchPage {
    search.search_precedents(&SearchQuery { text: text.into(), ..SearchQuery::default() }).await.unwrap()
}

on_both_backends! {
    async fn the_index_is_reopened_caught_up_and_rebuilt_when_not_this_databases(app) {
        let store: DynStore = app.store();
        let first_three = [
            precedent("D1", "Verlaging na weigering van werk", "De cliënt weigerde passend werk."),
            precedent("D2", "Ontheffing voor een mantelzorger", "Zij zorgt voor haar moeder."),
            precedent("D3", "Boete na te laat gemelde inkomsten", "Inkomsten drie maanden te laat gemeld."),
        ]
        .concat();
        import_file(&store, "GEM", &first_three, NOW).await.unwrap();
        let root = temp_dir();
        let identity = store.database_identity().await.unwrap();
        let home = root.path().join(&identity);
        let engine = || ArchiveSearch::new(store.clone()).with_index_dir(Some(root.path().to_path_buf()));

        let first = engine();
        assert_eq!(refs(&search(&first, "mantelzorg").await), ["D2"]);
        assert_eq!(first.index_path(), Some(home.join("0")), "<index dir>/<database identity>/<slot>");
        drop(first);

        // Reopened as it was left: it holds the archive at its generation before reading anything.
        let generation = store.archive_generation().await.unwrap();
        let reopened = TantivyIndex::open(Some(&home), &identity).unwrap();
        assert_eq!((reopened.generation(), reopened.len()), (generation, 3));
        drop(reopened);

        // Another process imports; a process opening the index reads only what changed since.
        let dir = temp_dir();
        let file = dir.path().join("more.jsonl");
        std::fs::write(&file, precedent("D4", "Verlaging bij mantelzorg", "Mantelzorg voor een kind.")).unwrap();
        let out = Command::new(BIN)
            .args(["archive", "import", file.to_str().unwrap()])
            .env("BERAAD_DATABASE_URL", url_of(&app.database))
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let later = store.archive_generation().await.unwrap();
        assert!(later > generation);
        let again = engine();
        assert_eq!(refs(&search(&again, "mantelzorg").await), ["D4", "D2"]);
        drop(again);
        let caught_up = TantivyIndex::open(Some(&home), &identity).unwrap();
        assert_eq!((caught_up.generation(), caught_up.len()), (later, 4), "caught up, not rebuilt");
        drop(caught_up);

        // The same directory opened for another database: emptied, to be rebuilt from it.
        let other = TantivyIndex::open(Some(&home), "0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!((other.generation(), other.len()), (0, 0), "another database's index is not caught up");
        drop(other);
        // ... and so it is rebuilt from this one at the next search.
        let rebuilt = engine();
        assert_eq!(refs(&search(&rebuilt, "mantelzorg").await), ["D4", "D2"]);
        drop(rebuilt);
        let reopened = TantivyIndex::open(Some(&home), &identity).unwrap();
        assert_eq!((reopened.generation(), reopened.len()), (later, 4));
        drop(reopened);

        // Damaged (its metadata overwritten): emptied and rebuilt, the same answers.
        std::fs::write(home.join("0").join("meta.json"), b"{ not json").unwrap();
        let damaged = TantivyIndex::open(Some(&home), &identity).unwrap();
        assert_eq!((damaged.generation(), damaged.len()), (0, 0));
        drop(damaged);
        std::fs::write(home.join("0").join("meta.json"), b"{ not json").unwrap();
        let repaired = engine();
        assert_eq!(refs(&search(&repaired, "mantelzorg").await), ["D4", "D2"]);
        assert_eq!(repaired.index_path(), Some(home.join("0")));
    }

    async fn tantivy_is_the_default_engine_and_its_index_stays_between_processes(app) {
        if std::env::var("BERAAD_SEARCH_ENGINE").is_ok() {
            return;
        }
        let store: DynStore = app.store();
        import_file(&store, "GEM", &precedent("E1", "Verlaging", "Werk geweigerd."), NOW).await.unwrap();
        let root = temp_dir();
        let engine = ArchiveSearch::new(store.clone()).with_index_dir(Some(root.path().to_path_buf()));
        assert_eq!(refs(&search(&engine, "verlaging").await), ["E1"]);
        let identity = store.database_identity().await.unwrap();
        assert_eq!(engine.index_path(), Some(root.path().join(identity).join("0")), "tantivy, on disk");
    }
}
