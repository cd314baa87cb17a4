//! The precedent archive on both backends: one relevance suite (Dutch word forms, title over
//! body, law filter semantics, facets, paging), the JSON Lines import (all or nothing, re-import
//! updates, BSN refused), the search API and the `beraad archive` commands. All data is
//! fictitious.

use std::process::{Command, Output, Stdio};

use beraad::archive::{import_file, ImportFailure};
use beraad::config::DatabaseConfig;
use beraad::domain::precedent::LawRef;
use beraad::search::ArchiveSearch;
use beraad::store::{DynStore, SearchPage, SearchQuery};
use serde_json::{json, Value};

use crate::harness::{fresh_postgres, fresh_sqlite, on_both_backends};

const NOW: i64 = 1_764_000_000_000;
const BIN: &str = env!("CARGO_BIN_EXE_beraad");

/// A small fictitious archive, one JSON object a line.
fn archive_lines() -> Vec<Value> {
    vec![
        json!({
            "ref": "A1", "title": "Verlaging na weigering van passend werk", "date": "2025-01-10",
            "method": "dilemma",
            "case": "Cliënte weigerde twee keer passend werk omdat de reistijd te lang was.",
            "question": "Verlagen we de uitkering, of zijn er dringende redenen?",
            "outcome": "Geen verlaging; eerst een gesprek over de reistijd.",
            "values": ["rechtvaardigheid"], "law_articles": ["Participatiewet art. 18 lid 2"],
            "tags": ["verlaging"], "team": "Team Werk"
        }),
        json!({
            "ref": "A2", "title": "Boete na te laat gemelde inkomsten", "date": "2025-02-10",
            "method": "incident",
            "case": "Een cliënt meldde bijverdiensten drie maanden te laat.",
            "outcome": "Een waarschuwing in plaats van een boete.",
            "values": ["vertrouwen"], "law_articles": ["art. 18a"],
            "tags": ["boete"], "team": "Team Handhaving"
        }),
        json!({
            "ref": "A3", "title": "Individualisering bij een volle woning", "date": "2025-03-10",
            "method": "dilemma",
            "case": "Door de kostendelersnorm daalde het inkomen van het hele huishouden sterk.",
            "reasoning": "De uitkering wordt afgestemd op de omstandigheden van de persoon.",
            "values": ["rechtvaardigheid", "zorg"],
            "law_articles": ["Participatiewet art. 18", "Participatiewet art. 22a"],
            "tags": ["maatwerk"], "team": "Team Werk"
        }),
        json!({
            "ref": "A4", "title": "Reiskosten naar de dagbesteding", "date": "2025-04-10",
            "method": "nijmegen",
            "case": "Een cliënt gaat vier dagen per week naar een dagbesteding buiten de stad.",
            "law_articles": ["Participatiewet art. 35"], "tags": ["bijzondere bijstand"], "team": "Team Inkomen"
        }),
        json!({
            "ref": "A5", "title": "Ontheffing voor een mantelzorger", "date": "2025-05-10",
            "method": "incident",
            "case": "Een vader zorgt voor zijn dochter en maakt daarvoor ook reiskosten.",
            "law_articles": ["Participatiewet art. 9 lid 2"], "tags": ["ontheffing"], "team": "Team Werk"
        }),
    ]
}

fn jsonl(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

async fn with_archive(store: &DynStore) {
    let report = import_file(store, "GEM", &jsonl(&archive_lines()), NOW).await.expect("archive imports");
    assert_eq!(report.imported, 5);
}

async fn search(store: &DynStore, text: &str) -> SearchPage {
    ArchiveSearch::new(store.clone())
        .search_precedents(&SearchQuery { text: text.into(), ..SearchQuery::default() })
        .await
        .unwrap()
}

fn refs(page: &SearchPage) -> Vec<&str> {
    page.results.iter().map(|h| h.import_ref.as_deref().unwrap_or("")).collect()
}

async fn with_law(store: &DynStore, law: &str) -> Vec<String> {
    let law = LawRef::parse(law).unwrap();
    let page = ArchiveSearch::new(store.clone())
        .search_precedents(&SearchQuery { law: Some(law), ..SearchQuery::default() })
        .await
        .unwrap();
    let mut refs: Vec<String> = refs(&page).into_iter().map(String::from).collect();
    refs.sort();
    refs
}

/// The sample file shipped with the shared material.
fn sample_file() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/precedents.jsonl");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the sample import file {} is missing: {e}", path.display()))
}

on_both_backends! {
    async fn dutch_word_forms_find_each_other(app) {
        app.sign_in("admin").await;
        let store = app.store();
        with_archive(&store).await;
        for (query, expected) in [
            ("verlagingen", "A1"),
            ("weigeren", "A1"),
            ("cliente", "A1"),
            ("kostendeler", "A3"),
        ] {
            let page = search(&store, query).await;
            assert!(refs(&page).contains(&expected), "{query:?} should find {expected}, got {:?}", refs(&page));
            let hit = page.results.iter().find(|h| h.import_ref.as_deref() == Some(expected)).unwrap();
            assert!(hit.score > 0.0);
        }
        // Snippets highlight the word forms the index found: the word's own, a synonym's
        // (klant → cliënte), a compound's; and nothing else.
        let marked = |page: &SearchPage, r: &str| -> Vec<String> {
            let hit = page.results.iter().find(|h| h.import_ref.as_deref() == Some(r)).unwrap();
            let chars: Vec<char> = hit.snippet.text.chars().collect();
            hit.snippet.highlights.iter().map(|[a, b]| chars[*a..*b].iter().collect()).collect()
        };
        assert_eq!(marked(&search(&store, "weigeren").await, "A1"), ["weigerde"]);
        assert_eq!(marked(&search(&store, "klant reistijd").await, "A1"), ["Cliënte", "reistijd", "reistijd"]);
        assert_eq!(marked(&search(&store, "norm").await, "A3"), ["kostendelersnorm"]);
        assert_eq!(search(&store, "onbekendwoord").await.total, 0);
    }

    async fn title_outranks_body(app) {
        app.sign_in("admin").await;
        let store = app.store();
        with_archive(&store).await;
        let page = search(&store, "reiskosten").await;
        assert_eq!(refs(&page), ["A4", "A5"], "the title match first");
        assert!(page.results[0].score > page.results[1].score);
    }

    async fn a_rare_term_weighs_more_than_a_common_one(app) {
        app.sign_in("admin").await;
        // Both precedents hold both words, as often; what differs is which word they repeat.
        // "uitstel" is in every precedent of the archive, "huurachterstand" in two: the one
        // that repeats the rare word ranks first, although the other is newer (the tie-breaker).
        let mut lines = vec![
            json!({"ref": "RARE", "title": "Casus over betaling", "date": "2025-01-01",
                   "case": "Huurachterstand en nog eens huurachterstand, en uitstel."}),
            json!({"ref": "COMMON", "title": "Casus over betaling", "date": "2025-06-01",
                   "case": "Uitstel en nog eens uitstel, en huurachterstand."}),
        ];
        for i in 0..6 {
            lines.push(json!({"ref": format!("F{i}"), "title": format!("Verzoek {i}"), "date": "2024-01-01",
                              "case": "De cliënt vroeg om uitstel van de betaling."}));
        }
        import_file(&app.store(), "GEM", &jsonl(&lines), NOW).await.unwrap();
        let page = search(&app.store(), "uitstel huurachterstand").await;
        // Both words first (ranked partial matching lists the precedents with one word after them).
        assert_eq!(refs(&page)[..2], ["RARE", "COMMON"], "{:?}", page.results.iter().map(|h| h.score).collect::<Vec<_>>());
        assert!(page.results[2..].iter().all(|h| !h.missing.is_empty()));
        assert!(page.results[0].score > page.results[1].score);
    }

    async fn law_filter_is_a_prefix_on_the_article(app) {
        app.sign_in("admin").await;
        let store = app.store();
        with_archive(&store).await;
        assert_eq!(with_law(&store, "art. 18").await, ["A1", "A3"], "18 matches 18 lid 2, not 18a");
        assert_eq!(with_law(&store, "art. 18 lid 2").await, ["A1"]);
        assert_eq!(with_law(&store, "18a").await, ["A2"]);
        assert_eq!(with_law(&store, "Participatiewet art. 9").await, ["A5"]);
        assert!(with_law(&store, "art. 58").await.is_empty());
    }

    async fn filters_facets_and_paging(app) {
        app.sign_in("admin").await;
        let store = app.store();
        with_archive(&store).await;
        let engine = ArchiveSearch::new(store.clone());
        let all = search(&store, "").await;
        assert_eq!(all.total, 5);
        assert_eq!(refs(&all), ["A5", "A4", "A3", "A2", "A1"], "without a query: newest first");
        let methods: Vec<(&str, u64)> = all.facets.methods.iter().map(|f| (f.value.as_str(), f.count)).collect();
        assert_eq!(methods, [("dilemma", 2), ("incident", 2), ("nijmegen", 1)]);
        let eighteen = all.facets.laws.iter().find(|f| f.value == "participatiewet/18/").unwrap();
        assert_eq!((eighteen.label.as_str(), eighteen.count), ("art. 18", 2));
        assert!(all.facets.themes.iter().any(|f| f.value == "boete" && f.count == 1));

        let theme = SearchQuery { theme: Some("Verlaging".into()), ..SearchQuery::default() };
        assert_eq!(refs(&engine.search_precedents(&theme).await.unwrap()), ["A1"]);
        let value = SearchQuery { value: Some("rechtvaardigheid".into()), ..SearchQuery::default() };
        assert_eq!(refs(&engine.search_precedents(&value).await.unwrap()), ["A3", "A1"]);
        let method = SearchQuery { method: Some("incident".into()), ..SearchQuery::default() };
        assert_eq!(refs(&engine.search_precedents(&method).await.unwrap()), ["A5", "A2"]);
        let dates = SearchQuery {
            from: Some("2025-02-01".parse().unwrap()),
            to: Some("2025-03-31".parse().unwrap()),
            ..SearchQuery::default()
        };
        assert_eq!(refs(&engine.search_precedents(&dates).await.unwrap()), ["A3", "A2"]);

        // Facets count the whole matching set, not the page.
        let rechtvaardig = SearchQuery { text: "cliënt".into(), per_page: 1, ..SearchQuery::default() };
        let first = engine.search_precedents(&rechtvaardig).await.unwrap();
        assert_eq!(first.results.len(), 1);
        let facet_total: u64 = first.facets.methods.iter().map(|f| f.count).sum();
        assert_eq!(facet_total, first.total);

        let page2 = SearchQuery { page: 2, per_page: 2, ..SearchQuery::default() };
        let page2 = engine.search_precedents(&page2).await.unwrap();
        assert_eq!((page2.total, page2.page, refs(&page2)), (5, 2, vec!["A3", "A2"]));
        let beyond = SearchQuery { page: 9, per_page: 2, ..SearchQuery::default() };
        assert!(engine.search_precedents(&beyond).await.unwrap().results.is_empty());
    }

    async fn sample_file_imports_and_reimport_updates(app) {
        app.sign_in("admin").await;
        let store = app.store();
        let text = sample_file();
        let first = import_file(&store, "GEM", &text, NOW).await.unwrap();
        assert_eq!((first.imported, first.created), (3, 3));
        let page = search(&store, "reiskosten ziekenhuis").await;
        assert_eq!(refs(&page), ["S3"]);
        let id = page.results[0].id;
        let again = import_file(&store, "GEM", &text.replace("reiskosten naar ziekenhuis", "vervoer naar ziekenhuis"), NOW + 1)
            .await
            .unwrap();
        assert_eq!((again.imported, again.created), (3, 0), "same refs update");
        let org = store.organisation_by_code("GEM").await.unwrap().unwrap();
        assert_eq!(store.count_precedents(org.id).await.unwrap(), 3);
        let page = search(&store, "vervoer").await;
        assert_eq!((refs(&page), page.results[0].id), (vec!["S3"], id), "the index follows the update");
        assert!(search(&store, "reiskosten").await.results.iter().all(|h| h.id != id || h.title.contains("vervoer")));
    }

    // Another server process on the same database keeps its own index: it catches up with
    // precedents imported and updated through this one before it answers.
    async fn a_second_process_sees_every_change(app) {
        app.sign_in("admin").await;
        let store = app.store();
        let other = crate::harness::store_on(&app.database).await;
        assert_eq!(search(&other, "boete").await.total, 0, "empty archive, index loaded");
        with_archive(&store).await;
        let before = search(&other, "boete").await;
        assert_eq!(refs(&before), refs(&search(&store, "boete").await));
        assert!(before.total > 0);
        let changed = before.results[0].import_ref.clone().unwrap();
        let lines: Vec<Value> = archive_lines()
            .into_iter()
            .map(|mut l| {
                if l["ref"] == changed.as_str() {
                    let text = serde_json::to_string(&l).unwrap().replace("boete", "zonnepanelen").replace("Boete", "Zonnepanelen");
                    l = serde_json::from_str(&text).unwrap();
                }
                l
            })
            .collect();
        import_file(&store, "GEM", &jsonl(&lines), NOW + 5).await.unwrap();
        let after = search(&other, "boete").await;
        assert_eq!(after.total, before.total - 1, "the updated text no longer holds the word");
        assert_eq!(refs(&search(&other, "zonnepanelen").await), [changed.as_str()]);
    }

    async fn a_bad_line_imports_nothing(app) {
        app.sign_in("admin").await;
        let store = app.store();
        let mut lines: Vec<String> = archive_lines().iter().map(Value::to_string).collect();
        lines[1] = r#"{"ref": "A2", "titel": "tikfout"}"#.into();
        lines[3] = "geen json".into();
        let Err(ImportFailure::Invalid(problems)) = import_file(&store, "GEM", &lines.join("\n"), NOW).await else {
            panic!("a bad file must be refused");
        };
        assert!(problems[0].starts_with("regel 2:"), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("regel 4:")), "{problems:?}");
        assert_eq!(search(&store, "").await.total, 0, "nothing was imported");
    }

    async fn an_import_line_with_a_bsn_is_refused(app) {
        app.sign_in("admin").await;
        let store = app.store();
        let mut lines = archive_lines();
        // A fictitious number that passes the eleven-test.
        lines[2]["case"] = json!("Het dossier vermeldt BSN 111222333 van de cliënt.");
        let Err(ImportFailure::Invalid(problems)) = import_file(&store, "GEM", &jsonl(&lines), NOW).await else {
            panic!("a line with a BSN must be refused");
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("regel 3:") && problems[0].contains("\"case\""), "{problems:?}");
        assert!(!problems[0].contains("111222333"), "the number is never repeated");
        assert_eq!(search(&store, "").await.total, 0);
    }

    async fn search_api_answers_results_facets_and_paging(app) {
        app.sign_in("admin").await;
        let store = app.store();
        with_archive(&store).await;
        let res = app.get("/api/v1/precedents?q=verlagingen&law=art.%2018").await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["results"][0]["ref"], "A1");
        assert!(body["results"][0]["snippet"]["text"].is_string());
        assert_eq!(body["paging"]["total"], 1);
        assert!(body["facets"]["laws"].is_array());

        let body: Value = app.get("/api/v1/precedents?theme=boete").await.json().await.unwrap();
        assert_eq!(body["results"][0]["ref"], "A2");

        let res = app.get("/api/v1/precedents?law=lid%202&lang=en").await;
        assert_eq!(res.status(), 400);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_law");
        assert!(body["error"]["message"].as_str().unwrap().contains("law article"));
        let res = app.get("/api/v1/precedents?from=2025-02-30").await;
        assert_eq!(res.status(), 400);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_date");
        assert!(body["error"]["message"].as_str().unwrap().contains("JJJJ-MM-DD"), "Dutch by default");
        assert_eq!(app.get("/api/v1/precedents?page=0").await.status(), 400);
    }
}

// --- the `beraad archive` commands ------------------------------------------------------

fn beraad(database_url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("BERAAD_DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn url_of(database: &DatabaseConfig) -> String {
    match database {
        DatabaseConfig::Sqlite { path } => format!("sqlite://{}", path.display()),
        DatabaseConfig::Postgres { url } => url.clone(),
    }
}

fn cli_import_search_export(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("precedents.jsonl");
    std::fs::write(&sample, sample_file()).unwrap();
    let out = beraad(url, &["archive", "import", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = beraad(url, &["archive", "search", "terugvorderen", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let hits: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(hits[0]["ref"], "S1");
    for key in ["id", "title", "score", "snippet"] {
        assert!(!hits[0][key].is_null(), "{key} in {hits}");
    }
    let out = beraad(url, &["archive", "search", "--law", "art. 9", "--limit", "5", "--json"]);
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 1);
    assert_eq!(hits[0]["ref"], "S2");

    let out = beraad(url, &["archive", "export"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(beraad::domain::precedent::parse_import(&text).is_ok(), "the export re-imports");
    let out = beraad(url, &["archive", "export", "--format", "markdown"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("## Bijzondere bijstand voor reiskosten"));

    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"ref\": \"N1\", \"title\": \"Nieuw\"}\n{\"ref\": \"N2\"}\n").unwrap();
    let out = beraad(url, &["archive", "import", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("regel 2") && stderr.contains("nothing imported"), "{stderr}");
    let out = beraad(url, &["archive", "search", "--json"]);
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 3, "N1 was not imported");
}

mod cli_archive {
    use super::*;

    /// Both exports are in the audit log, by the command line.
    async fn exports_audited(database: &beraad::config::DatabaseConfig) {
        let log = crate::harness::store_on(database).await.audit_log().await.unwrap();
        let exports: Vec<_> = log.iter().filter(|e| e.fact.action == "archive_exported").collect();
        assert_eq!(exports.len(), 2, "{log:?}");
        assert_eq!(
            (exports[0].fact.origin.as_str(), exports[0].fact.subject.as_str()),
            ("cli", "organisation:GEM")
        );
        // Imports are logged like other changes (issue 13.14): the one that worked and the one
        // that imported nothing.
        let imports: Vec<_> = log.iter().filter(|e| e.fact.action == "archive_imported").collect();
        assert_eq!(imports.len(), 2, "{log:?}");
        assert_eq!(
            (
                imports[0].fact.origin.as_str(),
                imports[0].fact.subject.as_str(),
                imports[0].fact.result.as_str()
            ),
            ("cli", "organisation:GEM imported=3 new=3", "ok")
        );
        assert_eq!(imports[1].fact.result, "failed");
    }

    #[tokio::test]
    async fn sqlite() {
        let (database, _dir) = fresh_sqlite();
        let url = url_of(&database);
        tokio::task::spawn_blocking(move || cli_import_search_export(&url)).await.unwrap();
        exports_audited(&database).await;
    }

    #[tokio::test]
    async fn postgres() {
        let Some((database, _schema)) = fresh_postgres().await else { return };
        let url = url_of(&database);
        tokio::task::spawn_blocking(move || cli_import_search_export(&url)).await.unwrap();
        exports_audited(&database).await;
    }
}

/// The tantivy index (the default engine) lives beside a SQLite database: a later process
/// reopens it as it was left (nothing rebuilt); a damaged or missing one is rebuilt from the
/// database, which stays the truth.
#[tokio::test]
async fn the_index_on_disk_is_reopened_and_a_damaged_one_rebuilt() {
    use beraad::search::engine::TantivyIndex;
    use beraad::search::EngineKind;

    let (database, _dir) = fresh_sqlite();
    let DatabaseConfig::Sqlite { path: db } = &database else { unreachable!() };
    let home = beraad::search::index_home_of(db);
    let store = crate::harness::store_on(&database).await;
    with_archive(&store).await;
    let query = SearchQuery { text: "reiskosten cliënt".into(), ..SearchQuery::default() };
    if std::env::var("BERAAD_SEARCH_ENGINE").is_err() {
        assert_eq!(EngineKind::chosen(), EngineKind::Tantivy, "the default");
    }
    let identity = store.database_identity().await.unwrap();
    let tantivy = || ArchiveSearch::with_engine(store.clone(), EngineKind::Tantivy);
    let first = tantivy();
    let expected = first.search_precedents(&query).await.unwrap();
    assert_eq!(refs(&expected)[..2], ["A4", "A5"], "both words, then one");
    assert_eq!(first.index_path(), Some(home.join("0")), "the index is kept beside the database");
    drop(first);

    // Reopened: it holds the archive at its generation before reading anything.
    let generation = store.archive_generation().await.unwrap();
    let reopened = TantivyIndex::open(Some(&home), &identity).unwrap();
    assert_eq!((reopened.generation(), reopened.len()), (generation, 5));
    drop(reopened);

    // Damaged (its metadata overwritten), then missing: rebuilt, the same answers.
    std::fs::write(home.join("0").join("meta.json"), b"{ not json").unwrap();
    let damaged = TantivyIndex::open(Some(&home), &identity).unwrap();
    assert_eq!((damaged.generation(), damaged.len()), (0, 0), "emptied, to be rebuilt");
    drop(damaged);
    std::fs::write(home.join("0").join("meta.json"), b"{ not json").unwrap();
    for _ in 0..2 {
        let again = tantivy();
        assert_eq!(again.search_precedents(&query).await.unwrap(), expected);
        assert_eq!(again.index_path(), Some(home.join("0")));
        drop(again);
        std::fs::remove_dir_all(&home).unwrap();
    }
    store.close().await;
}
