//! Search on the Dutch caseworkers write (issue 15), on both backends: the relevance set's
//! floor (hit@3, MRR), ranked partial matching with `+word` and phrases strict, what the API
//! and the archive page say about missing words, relaxations and spelling suggestions, and an
//! organisation's own synonyms set at `/beheer`. All data is fictitious.

use beraad::archive::import_file;
use beraad::search::relevance::{evaluate, parse_cases};
use beraad::search::{ArchiveSearch, EngineKind, SearchPage};
use beraad::store::SearchQuery;
use serde_json::Value;

use crate::harness::on_both_backends;

const PRECEDENTS: &str = include_str!("../fixtures/relevance_precedents.jsonl");
const QUERIES: &str = include_str!("../fixtures/relevance_queries.jsonl");
const NOW: i64 = 1_764_000_000_000;

/// Below the measured figures (hit@3 0.964, MRR 0.952; docs/benchmarks.md); before ranked
/// partial matching, compounds and synonyms they were 0.564 and 0.564.
const HIT_AT_3_FLOOR: f64 = 0.90;
const MRR_FLOOR: f64 = 0.88;

async fn with_relevance_set(store: &beraad::store::DynStore) {
    let report = import_file(store, "GEM", PRECEDENTS, NOW).await.expect("relevance set imports");
    assert!(report.imported >= 60);
}

fn refs(v: &Value) -> Vec<String> {
    v["results"].as_array().unwrap().iter().map(|r| r["ref"].as_str().unwrap().to_string()).collect()
}

on_both_backends! {
    async fn the_relevance_set_stays_above_its_floor(app) {
        let store = app.store();
        with_relevance_set(&store).await;
        let cases = parse_cases(QUERIES).unwrap();
        assert!(cases.len() >= 40);
        let search = ArchiveSearch::new(store.clone());
        let report = evaluate(&search, &cases, &SearchQuery::default()).await.unwrap();
        let misses: Vec<_> = report.ranks.iter().filter(|(_, r)| r.is_none_or(|r| r > 3)).collect();
        assert!(report.hit_at_3 >= HIT_AT_3_FLOOR, "hit@3 {} below the floor; misses: {misses:?}", report.hit_at_3);
        assert!(report.mrr >= MRR_FLOOR, "MRR {} below the floor; misses: {misses:?}", report.mrr);
    }

    async fn natural_questions_find_precedents_and_say_what_is_missing(app) {
        app.sign_in("admin").await;
        with_relevance_set(&app.store()).await;
        // The questions of the issue: each found nothing when every word had to match.
        for (q, expected) in [
            ("klant weigert werk vanwege mantelzorg", "R01"),
            ("korting bijstand weigeren werk", "R01"),
            ("zorg voor ziek kind ontheffing", "R02"),
        ] {
            let v: Value = app.get(&format!("/api/v1/precedents?q={}", q.replace(' ', "+"))).await.json().await.unwrap();
            let found = refs(&v);
            assert!(found.iter().take(3).any(|r| r == expected), "{q}: {found:?}");
        }
        let v: Value = app.get("/api/v1/precedents?q=mantelzorg+zonnepanelen").await.json().await.unwrap();
        assert_eq!(v["unmatched"], serde_json::json!(["zonnepanelen"]));
        assert_eq!(v["results"][0]["missing"], serde_json::json!(["zonnepanelen"]));
        // `+word` and a phrase stay strict.
        let v: Value = app.get("/api/v1/precedents?q=mantelzorg+%2Bterugvordering").await.json().await.unwrap();
        assert!(!refs(&v).is_empty() && !refs(&v).contains(&"R01".to_string()), "{:?}", refs(&v));
        assert!(v["results"].as_array().unwrap().iter().all(|r| r["missing"] != serde_json::json!(["terugvordering"])));
        // The page says which words a result lacks.
        let page = app.get("/archief?q=mantelzorg+zonnepanelen").await.text().await.unwrap();
        assert!(page.contains("Bevat niet: zonnepanelen"), "{page}");
        assert!(page.contains("Geen enkel precedent bevat: zonnepanelen"));
    }

    async fn compounds_are_found_both_ways(app) {
        app.sign_in("admin").await;
        with_relevance_set(&app.store()).await;
        // "school" → "schoolgaand", "Schoolkosten"; "reis" → "schoolreis" (ending with it);
        // an unknown compound → its parts.
        let v: Value = app.get("/api/v1/precedents?q=school").await.json().await.unwrap();
        assert_eq!(refs(&v)[0], "R07");
        let v: Value = app.get("/api/v1/precedents?q=reis").await.json().await.unwrap();
        assert!(refs(&v).contains(&"R07".to_string()), "schoolreis: {:?}", refs(&v));
        let v: Value = app.get("/api/v1/precedents?q=mantelzorgsituatie").await.json().await.unwrap();
        assert!(v["paging"]["total"].as_u64().unwrap() > 0);
        assert_eq!(v["unmatched"], serde_json::json!([]), "found through its parts");
    }

    async fn a_dead_end_relaxes_and_suggests(app) {
        app.sign_in("admin").await;
        with_relevance_set(&app.store()).await;
        let v: Value = app.get("/api/v1/precedents?q=kostendelersnrom").await.json().await.unwrap();
        assert_eq!(v["suggestions"][0]["suggestion"], "kostendelersnorm");
        assert_eq!(v["relaxed"][0]["kind"], "spelling");
        assert!(refs(&v).contains(&"R05".to_string()));
        let v: Value = app.get("/api/v1/precedents?q=%22kapper+mantelzorg%22").await.json().await.unwrap();
        assert_eq!(v["relaxed"][0]["kind"], "strict");
        assert!(v["paging"]["total"].as_u64().unwrap() > 0);
        let v: Value = app.get("/api/v1/precedents?q=kapper&law=art.%2058").await.json().await.unwrap();
        assert_eq!(v["relaxed"][0]["kind"], "filters");
        assert_eq!(refs(&v), ["R19"]);
        let page = app.get("/archief?q=kostendelersnrom").await.text().await.unwrap();
        assert!(page.contains("gezocht op „kostendelersnorm”"), "{page}");
    }

    async fn an_organisation_adds_its_own_synonyms(app) {
        let admin = app.sign_in("admin").await;
        let store = app.store();
        with_relevance_set(&store).await;
        let post = |body: &'static str| {
            admin
                .http
                .post(app.url("/admin/synonyms"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
        };
        let hits = || async {
            let v: Value = app.get("/api/v1/precedents?q=coffeeshop").await.json().await.unwrap();
            refs(&v)
        };
        assert!(hits().await.is_empty());
        // Refused with the line and the text kept; nothing stored.
        let res = post("synonyms=coffeeshop%2C+gokverslaving%0Ade%2C+het").send().await.unwrap();
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        assert!(page.contains("Regel 2"), "{page}");
        assert!(page.contains("coffeeshop, gokverslaving\nde, het"), "the text as typed");
        assert!(hits().await.is_empty());
        // Stored, audited, shown and used.
        let res = post("synonyms=coffeeshop%2C+gokverslaving").send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(hits().await, ["R40"]);
        let page = admin.http.get(app.url("/beheer")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("coffeeshop, gokverslaving</textarea>"), "{page}");
        let log = store.audit_log().await.unwrap();
        assert!(log.iter().any(|e| e.fact.action == "settings_changed" && e.fact.subject.ends_with("synonyms=1 groups")));
        // Someone who may not manage settings cannot change them.
        let member = app.user("member").await;
        let res = member
            .http
            .post(app.url("/admin/synonyms"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("synonyms=a%2C+b")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(hits().await, ["R40"]);
    }

    async fn both_engines_answer_the_same(app) {
        let store = app.store();
        with_relevance_set(&store).await;
        let memory = ArchiveSearch::with_engine(store.clone(), EngineKind::Memory);
        let tantivy = ArchiveSearch::with_engine(store.clone(), EngineKind::Tantivy);
        let mut queries: Vec<SearchQuery> = parse_cases(QUERIES)
            .unwrap()
            .into_iter()
            .map(|c| SearchQuery { text: c.query, ..SearchQuery::default() })
            .collect();
        let law = beraad::domain::precedent::LawRef::parse("art. 18").ok();
        for text in ["\"dringende reden\"", "mantelzorg +terugvordering", "kostendelersnrom", "zorg", "reis", ""] {
            queries.push(SearchQuery { text: text.into(), ..SearchQuery::default() });
            queries.push(SearchQuery { text: text.into(), law: law.clone(), ..SearchQuery::default() });
            queries.push(SearchQuery { text: text.into(), theme: Some("mantelzorg".into()), per_page: 3, page: 2, ..SearchQuery::default() });
        }
        queries.push(SearchQuery { text: "verlaging zorg werk".into(), min_terms: 2, ..SearchQuery::default() });
        queries.push(SearchQuery { text: "verlaging".into(), from: "2025-03-01".parse().ok(), method: Some("dilemma".into()), ..SearchQuery::default() });
        // Scores agree to float precision (term frequencies are summed in another order);
        // everything else exactly.
        let scores_rounded = |mut p: SearchPage| {
            for r in &mut p.results {
                r.score = (r.score * 1e4).round() / 1e4;
            }
            serde_json::to_value(p).unwrap()
        };
        let mut found = 0;
        for q in &queries {
            let a = scores_rounded(memory.search_precedents(q).await.unwrap());
            let b = scores_rounded(tantivy.search_precedents(q).await.unwrap());
            assert_eq!(a, b, "{:?}", q.text);
            found += a["results"].as_array().unwrap().len();
        }
        assert!(found > 100, "the queries find something: {found}");
        // A change is seen by both.
        let changed = PRECEDENTS.lines().next().unwrap().replace("mantelzorg", "zonnepanelen");
        import_file(&store, "GEM", &changed, NOW).await.unwrap();
        let q = SearchQuery { text: "zonnepanelen".into(), ..SearchQuery::default() };
        let a = scores_rounded(memory.search_precedents(&q).await.unwrap());
        assert_eq!(a["results"][0]["ref"], "R01");
        assert_eq!(a, scores_rounded(tantivy.search_precedents(&q).await.unwrap()));
    }

    async fn similar_precedents_come_from_one_ranked_search(app) {
        app.sign_in("admin").await;
        with_relevance_set(&app.store()).await;
        let text = "Een klant zorgt elke dag voor haar moeder met dementie en weigerde daarom een baan in de thuiszorg. Volgt een verlaging?";
        let res = app
            .http
            .post(app.url("/api/v1/precedents/similar"))
            .json(&serde_json::json!({ "text": text }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["results"][0]["ref"], "R01", "{v}");
        assert!(v["results"][0]["shared"].as_array().unwrap().len() >= 2);
    }
}
