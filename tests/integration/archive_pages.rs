//! The archive in the browser's terms, on both backends: the search page (`/archief`) with
//! highlighted snippets, facets, paging and messages for bad input; the precedent page with
//! its Markdown and JSON downloads and a localised 404; the consistency hints endpoint. All
//! data is fictitious.

use beraad::archive::import_file;
use beraad::domain::precedent::{
    Action, CitationId, Dialogue, DilemmaOption, Dissent, LawRef, MethodUsed, OutcomeType, PerspectiveRow,
    Position, Precedent, RelatedPrecedent, Relation, Status, StatusChange, Theme,
};
use beraad::search::ArchiveSearch;
use beraad::store::{DynStore, NewOrganisation, NewPrecedent, PrecedentIndex, PrecedentStatus, SearchQuery};
use serde_json::{json, Value};

use crate::harness::{on_both_backends, TestApp};

const NOW: i64 = 1_764_000_000_000;

fn sample_file() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/precedents.jsonl");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the sample import file {} is missing: {e}", path.display()))
}

/// The three sample precedents (S1 terugvordering, S2 ontheffing, S3 reiskosten).
async fn with_samples(store: &DynStore) {
    let report = import_file(store, "GEM", &sample_file(), NOW).await.expect("samples import");
    assert_eq!(report.imported, 3);
}

/// `n` more precedents about travel costs, enough for several result pages.
async fn with_many(store: &DynStore, n: usize) {
    let lines: String = (1..=n)
        .map(|i| {
            format!(
                "{}\n",
                json!({
                    "ref": format!("R{i}"), "title": format!("Reiskosten casus {i}"),
                    "date": format!("2024-{:02}-10", (i % 12) + 1), "method": "incident",
                    "case": "Een cliënt maakt reiskosten naar een cursus.",
                    "law_articles": ["Participatiewet art. 35"], "tags": ["bijzondere bijstand"], "team": "Team Inkomen"
                })
            )
        })
        .collect();
    import_file(store, "GEM", &lines, NOW).await.expect("generated lines import");
}

async fn id_of(store: &DynStore, query: &str) -> i64 {
    let page = ArchiveSearch::new(store.clone())
        .search_precedents(&SearchQuery { text: query.into(), ..SearchQuery::default() })
        .await
        .unwrap();
    page.results.first().unwrap_or_else(|| panic!("nothing found for {query}")).id
}

/// Status and body of a page, with minijinja's escaped slashes (`&#x2f;`) read back as `/`.
async fn html(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.get(path).await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap().replace("&#x2f;", "/"))
}

/// A precedent as the drafting flow stores it: a domain record with every field.
fn full_record(status: Status) -> Precedent {
    Precedent {
        citation: Some(CitationId::new("GEM", 2025, 4).unwrap()),
        import_ref: None,
        session_date: Some("2025-10-01".parse().unwrap()),
        adopted_on: Some("2025-10-08".parse().unwrap()),
        version: 2,
        method: MethodUsed { method: "dilemma".into(), variant: Some("question_first".into()) },
        team: "Team Werk".into(),
        organisation: Some("Gemeente Voorbeeld".into()),
        title: "Geen verlaging bij mantelzorg voor een ouder".into(),
        summary: "Dringende redenen: de zorg voor een ouder weegt zwaarder dan de sollicitatieplicht.".into(),
        case_text: "Cliënte verzorgt haar zieke moeder en miste twee afspraken.".into(),
        moral_question: "Verlagen we de uitkering <b>ondanks</b> de zorgtaak?".into(),
        options: vec![
            DilemmaOption { label: "A: verlagen".into(), damage: "Cliënte raakt in de schulden".into() },
            DilemmaOption { label: "B: niet verlagen".into(), damage: "Ongelijke behandeling".into() },
        ],
        perspectives: vec![PerspectiveRow {
            stakeholder: "Cliënte".into(),
            perspective: "Zorg gaat voor".into(),
            value: "zorg".into(),
            norm: "Je laat je moeder niet in de steek".into(),
        }],
        alternatives: vec!["Tijdelijke ontheffing".into()],
        positions: vec![Position {
            pseudonym: "deelnemer 3".into(),
            choice: "B".into(),
            value: "barmhartigheid".into(),
            damage: "precedentwerking".into(),
            damage_limitation: "evaluatie na drie maanden".into(),
            needs: "afstemming met de wijkteams".into(),
        }],
        dialogue: Dialogue {
            similarities: vec!["Iedereen weegt de zorg".into()],
            differences: vec!["De duur".into()],
        },
        conclusion: "Geen verlaging; wel een evaluatiegesprek over drie maanden.".into(),
        reasoning: "Art. 18 lid 1 vraagt afstemming op de omstandigheden.".into(),
        values: vec!["zorg".into(), "rechtvaardigheid".into()],
        harmed_values: vec!["gelijkheid".into()],
        dissent: vec![Dissent {
            position: "Eén collega wilde een waarschuwing.".into(),
            values: vec!["gelijkheid".into()],
        }],
        actions: vec![Action {
            what: "Evaluatiegesprek plannen".into(),
            who: "consulent".into(),
            when: Some("2026-01-08".parse().unwrap()),
            done: None,
        }],
        law_refs: vec![LawRef::parse("Participatiewet art. 18 lid 2").unwrap()],
        local_ordinances: vec!["CVDR123456".into()],
        related_precedents: vec![RelatedPrecedent {
            relation: Relation::Refines,
            citation: CitationId::new("GEM", 2025, 1).unwrap(),
        }],
        court_rulings: vec![],
        themes: vec![Theme::DringendeRedenen],
        tags: vec!["mantelzorg".into()],
        outcome: OutcomeType::SanctionWaived,
        evaluation: Some("Rustig gesprek.".into()),
        anonymisation_review: None,
        status,
        status_history: vec![StatusChange {
            status: Status::Adopted,
            on: "2025-10-08".parse().unwrap(),
            by: "gespreksleider".into(),
            reason: None,
        }],
    }
}

async fn store_full(store: &DynStore, status: PrecedentStatus) -> i64 {
    store_full_in(store, status, None, None, "GEM").await
}

/// As `store_full`, drafted from `session` of `team` (for the authorisation tests).
pub(crate) async fn store_full_in(
    store: &DynStore,
    status: PrecedentStatus,
    session: Option<&str>,
    team: Option<i64>,
    org_code: &str,
) -> i64 {
    let org = match store.organisation_by_code(org_code).await.unwrap() {
        Some(org) => org,
        None => store
            .create_organisation(
                &beraad::guard::screen(NewOrganisation {
                    code: org_code.into(),
                    name: "Gemeente".into(),
                    now_ms: NOW,
                })
                .unwrap(),
            )
            .await
            .unwrap(),
    };
    let record = full_record(match status {
        PrecedentStatus::Draft => Status::Draft,
        PrecedentStatus::Adopted => Status::Adopted,
        PrecedentStatus::Withdrawn => Status::Withdrawn,
    });
    let text = record.search_text();
    let row = store
        .upsert_precedent(
            &beraad::guard::screen(NewPrecedent {
                organisation_id: org.id,
                team_id: team,
                session_id: session.map(str::to_owned),
                import_ref: None,
                status,
                title: record.title.clone(),
                decided_on: Some("2025-10-01".into()),
                method_key: Some("dilemma".into()),
                record: serde_json::to_value(&record).unwrap(),
                index: PrecedentIndex {
                    body: text.body,
                    law_keys: record.law_keys(),
                    themes: vec!["dringende redenen".into()],
                    tags: record.tags.clone(),
                    values: record.values.clone(),
                },
                now_ms: NOW,
            })
            .unwrap(),
        )
        .await
        .unwrap();
    row.id
}

on_both_backends! {
    async fn the_search_page_finds_with_highlights_and_facets(app) {
        app.sign_in("admin").await;
        with_samples(&app.store()).await;
        let (status, page) = html(&app, "/archief?q=terugvorderen").await;
        assert_eq!(status, 200);
        assert!(page.contains("<html lang=\"nl\">"));
        assert!(page.contains("Afzien van terugvordering bij fout van de gemeente"), "{page}");
        assert!(page.contains("<mark>"), "a highlighted snippet: {page}");
        assert!(page.contains("1 resultaat."), "{page}");
        assert!(page.contains("S1"), "the reference: {page}");
        let id = id_of(&app.store(), "terugvorderen").await;
        assert!(page.contains(&format!("href=\"/precedenten/{id}\"")), "{page}");
        // Facets with counts, as links that add the filter to the query.
        assert!(page.contains("href=\"/archief?q=terugvorderen&amp;theme=terugvordering\""), "{page}");
        assert!(page.contains("href=\"/archief?q=terugvorderen&amp;law=art.+58\""), "{page}");
        assert!(page.contains("<span class=\"count\">1</span>"), "{page}");

        // Without a query: everything listed, with facet counts over all of it.
        let (_, all) = html(&app, "/archief").await;
        assert!(all.contains("3 resultaten"), "{all}");
        for facet in [
            "href=\"/archief?law=art.+35\">art. 35</a> <span class=\"count\">1</span>",
            "href=\"/archief?method=incident\">Incidentmethode</a> <span class=\"count\">1</span>",
            "href=\"/archief?theme=bijzondere+bijstand\">bijzondere bijstand</a> <span class=\"count\">1</span>",
        ] {
            assert!(all.contains(facet), "{facet} in {all}");
        }

        // A filter from a facet narrows; the active filter can be removed.
        let (_, narrowed) = html(&app, "/archief?law=art.+9").await;
        assert!(narrowed.contains("Ontheffing arbeidsplicht voor mantelzorgende vader"));
        assert!(!narrowed.contains("Afzien van terugvordering"));
        assert!(narrowed.contains("Wetsartikel: art. 9"), "{narrowed}");

        // Nothing found: a message with a hint.
        let (status, none) = html(&app, "/archief?q=zonnepanelen").await;
        assert_eq!(status, 200);
        assert!(none.contains("Niets gevonden."), "{none}");
        assert!(none.contains("Probeer minder of andere woorden"));
    }

    async fn the_search_page_pages(app) {
        app.sign_in("admin").await;
        with_many(&app.store(), 23).await;
        let (_, first) = html(&app, "/archief?q=reiskosten").await;
        assert!(first.contains("23 resultaten; 1–20 hieronder."), "{first}");
        assert_eq!(first.matches("class=\"hit\"").count(), 20);
        assert!(first.contains("href=\"/archief?q=reiskosten&amp;page=2\" rel=\"next\""), "{first}");
        assert!(first.contains("aria-current=\"page\">1<"), "{first}");
        let (_, second) = html(&app, "/archief?q=reiskosten&page=2").await;
        assert_eq!(second.matches("class=\"hit\"").count(), 3);
        assert!(second.contains("href=\"/archief?q=reiskosten\" rel=\"prev\""), "{second}");
        assert!(second.contains("23 resultaten; 21–23 hieronder."), "{second}");
    }

    async fn bad_input_keeps_what_was_typed_and_says_what_is_wrong(app) {
        app.sign_in("admin").await;
        with_samples(&app.store()).await;
        let (status, page) = html(&app, "/archief?q=boete&from=2025-02-30&law=lid+2").await;
        assert_eq!(status, 400);
        assert!(page.contains("value=\"2025-02-30\""), "the typed date stays: {page}");
        assert!(page.contains("value=\"lid 2\""), "the typed law stays");
        assert!(page.contains("value=\"boete\""));
        assert!(page.contains("Deze datum bestaat niet; schrijf hem als JJJJ-MM-DD."), "{page}");
        assert!(page.contains("Dit wetsartikel is niet te lezen"), "{page}");
        assert!(page.contains("aria-invalid=\"true\""));
        assert!(!page.contains("class=\"hit\""), "nothing searched");
        // In English on request.
        let (_, en) = html(&app, "/archief?to=yesterday&lang=en").await;
        assert!(en.contains("<html lang=\"en\">"));
        assert!(en.contains("value=\"yesterday\""));
        assert!(en.contains("YYYY-MM-DD"), "{en}");
        assert!(en.contains(">Archive<"), "the nav in English");
        // Switching language keeps the search.
        let (_, page) = html(&app, "/archief?q=boete&law=art.+18").await;
        assert!(page.contains("href=\"?q=boete&amp;law=art.+18&amp;lang=en\""), "{page}");
    }

    async fn the_precedent_page_shows_every_field_and_downloads(app) {
        app.sign_in("admin").await;
        with_samples(&app.store()).await;
        let id = id_of(&app.store(), "ziekenhuis").await;
        let (status, page) = html(&app, &format!("/precedenten/{id}")).await;
        assert_eq!(status, 200);
        for expected in [
            "Bijzondere bijstand voor reiskosten naar ziekenhuis",
            "<h2 id=\"h-case\">Casus</h2>",
            "drie keer per week naar een ziekenhuis",
            "<h2 id=\"h-moral_question\">Morele vraag</h2>",
            "<h2 id=\"h-conclusion\">Conclusie</h2>",
            "Toekenning van reiskosten op basis van openbaar vervoer.",
            "<h2 id=\"h-reasoning\">Onderbouwing</h2>",
            "gezondheid",
            "Participatiewet art. 35",
            "https://wetten.overheid.nl/jci1.3:c:BWBR0015703&amp;artikel=35",
            "Team Inkomen Oost",
            "Vastgesteld",
            "S3",
            "data-copy=\"citation-id\"",
            "/static/js/copy.js",
            "/static/css/print.css",
        ] {
            assert!(page.contains(expected), "{expected} missing in {page}");
        }
        assert!(page.find("h-case").unwrap() < page.find("h-conclusion").unwrap(), "PRECEDENTS.md order");
        assert!(!page.contains("banner-draft") && !page.contains("banner-withdrawn"));

        let md = app.get(&format!("/precedenten/{id}.md")).await;
        assert_eq!(md.status(), 200);
        assert_eq!(md.headers()["content-type"], "text/markdown; charset=utf-8");
        let disposition = md.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert_eq!(disposition, "attachment; filename=\"S3.md\"");
        let text = md.text().await.unwrap();
        assert!(text.starts_with("# Bijzondere bijstand voor reiskosten naar ziekenhuis\n"), "{text}");
        assert!(text.contains("## Conclusie\n\nToekenning van reiskosten"), "{text}");
        assert!(text.contains("- **Referentie:** S3"), "{text}");

        let js = app.get(&format!("/precedenten/{id}.json")).await;
        assert_eq!(js.status(), 200);
        assert_eq!(js.headers()["content-type"], "application/json");
        assert_eq!(js.headers()["content-disposition"], "attachment; filename=\"S3.json\"");
        let record: Value = js.json().await.unwrap();
        assert_eq!(record["ref"], "S3");
        assert_eq!(record["law_articles"][0], "Participatiewet art. 35");

        // English labels on request; the Markdown follows the language too.
        let (_, en) = html(&app, &format!("/precedenten/{id}?lang=en")).await;
        assert!(en.contains("<h2 id=\"h-conclusion\">Conclusion</h2>"), "{en}");
        let md_en = app.get(&format!("/precedenten/{id}.md?lang=en")).await.text().await.unwrap();
        assert!(md_en.contains("## Conclusion"), "{md_en}");
    }

    async fn a_full_record_renders_in_order_with_its_status(app) {
        app.sign_in("admin").await;
        let id = store_full(&app.store(), PrecedentStatus::Withdrawn).await;
        let (status, page) = html(&app, &format!("/precedenten/{id}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("banner-withdrawn"), "{page}");
        assert!(page.contains("<code class=\"citation-id\" id=\"citation-id\""), "{page}");
        assert!(page.contains(">MB:GEM:2025:4</code>"), "{page}");
        assert!(page.contains("&lt;b&gt;ondanks&lt;/b&gt;"), "record text is escaped");
        let order = [
            "h-summary", "h-case", "h-moral_question", "h-perspectives", "h-alternatives", "h-positions",
            "h-dialogue", "h-conclusion", "h-reasoning", "h-values", "h-harmed_values", "h-dissent", "h-actions",
            "h-legal_frame", "h-related", "h-themes", "h-outcome", "h-status_history",
        ];
        let at: Vec<usize> =
            order.iter().map(|h| page.find(&format!("id=\"{h}\"")).unwrap_or_else(|| panic!("{h} missing"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "sections in PRECEDENTS.md order: {order:?} at {at:?}");
        for expected in [
            "Cliënte raakt in de schulden",
            "deelnemer 3",
            "Evaluatiegesprek plannen",
            "2026-01-08",
            "Verfijnt",
            "MB:GEM:2025:1",
            "Afgezien van maatregel",
            "dringende redenen",
            "CVDR123456",
            "gespreksleider",
        ] {
            assert!(page.contains(expected), "{expected} missing");
        }
        // What is published (issue 13.11): the team's evaluation stays with the team; supporting
        // and harmed values are two lists; the method has its Dutch name.
        assert!(!page.contains("Rustig gesprek") && !page.contains("h-evaluation"), "no evaluation on the page");
        let harmed = page.split(r#"id="values-harmed""#).nth(1).unwrap().split("</ul>").next().unwrap();
        assert!(harmed.contains("gelijkheid") && !harmed.contains("zorg"), "{harmed}");
        let supporting = page.split(r#"id="values-supporting""#).nth(1).unwrap().split("</ul>").next().unwrap();
        assert!(supporting.contains("zorg") && !supporting.contains("gelijkheid"), "{supporting}");
        assert!(page.contains("Dilemmamethode (morele vraag vóór verhelderingsvragen)"), "the method's Dutch name");
        assert!(!page.contains("question_first"), "no variant key on the page");
        let json_text = app.get(&format!("/precedenten/{id}.json")).await.text().await.unwrap();
        assert!(!json_text.contains("Rustig gesprek"), "not in the JSON download");
        let md = app.get(&format!("/precedenten/{id}.md")).await;
        assert_eq!(md.headers()["content-disposition"], "attachment; filename=\"MB-GEM-2025-4.md\"");
        let text = md.text().await.unwrap();
        assert!(!text.contains("Rustig gesprek"), "not in the Markdown: {text}");
        assert!(text.contains("- **Methode:** Dilemmamethode (morele vraag vóór verhelderingsvragen)"), "{text}");
        assert!(text.contains("| A: verlagen | Cliënte raakt in de schulden |"), "{text}");
        assert!(text.contains("- **Status:** Ingetrokken"), "{text}");
        assert!(text.contains("- **Vindplaats:** MB:GEM:2025:4"), "{text}");

        // A draft has not passed the adoption review: it stays with its moderator (the
        // lifecycle API), not on the archive's pages.
        let draft = store_full(&app.store(), PrecedentStatus::Draft).await;
        let (status, _) = html(&app, &format!("/precedenten/{draft}")).await;
        assert_eq!(status, 404);
        assert_eq!(app.get(&format!("/precedenten/{draft}.json")).await.status(), 404);
    }

    async fn unknown_precedents_are_a_localised_404(app) {
        app.sign_in("admin").await;
        let (status, page) = html(&app, "/precedenten/424242").await;
        assert_eq!(status, 404);
        assert!(page.contains("Moresprudentie niet gevonden"), "{page}");
        let (status, page) = html(&app, "/precedenten/424242?lang=en").await;
        assert_eq!(status, 404);
        assert!(page.contains("Precedent not found"), "{page}");
        assert_eq!(app.get("/precedenten/424242.md").await.status(), 404);
        assert_eq!(app.get("/precedenten/abc").await.status(), 404);
        assert_eq!(app.get("/precedenten/12.txt").await.status(), 404);
    }

    async fn similar_precedents_beside_the_editor(app) {
        app.sign_in("admin").await;
        with_samples(&app.store()).await;
        let similar = |text: &str| {
            let req = app.http.post(app.url("/api/v1/precedents/similar")).json(&json!({ "text": text }));
            async move { req.send().await.unwrap() }
        };
        let res = similar(
            "Door een fout van de gemeente kreeg een cliënt maandenlang te veel bijstand. Hij heeft het \
             geld uitgegeven aan vaste lasten. Moeten we het bedrag terugvorderen?",
        )
        .await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        let results = body["results"].as_array().unwrap();
        assert_eq!(results[0]["ref"], "S1", "{body}");
        assert!(results[0]["conclusion"].as_str().unwrap().starts_with("Gedeeltelijke terugvordering"));
        assert!(results[0]["url"].as_str().unwrap().starts_with("/precedenten/"));
        assert!(results.len() <= 5);
        assert!(!results.iter().any(|r| r["ref"] == "S2"), "{body}");

        // One shared word (gemeente) is not similarity.
        let body: Value = similar("De kantine van de gemeente serveert op vrijdag vegetarische soep en verse broodjes.")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body["results"], json!([]), "unrelated text finds nothing");

        let res = similar("Cliënt met BSN 111222333 kreeg te veel bijstand door een fout van de gemeente.").await;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bsn_refused");
        assert!(!body.to_string().contains("111222333"));

        // Only adopted precedents are hints: of two with the same text, the draft is left out.
        let adopted = store_full(&app.store(), PrecedentStatus::Adopted).await;
        let draft = store_full(&app.store(), PrecedentStatus::Draft).await;
        let body: Value = similar("Cliënte verzorgt haar zieke moeder en miste afspraken; verlagen we de uitkering ondanks de zorgtaak?")
            .await
            .json()
            .await
            .unwrap();
        let ids: Vec<&Value> = body["results"].as_array().unwrap().iter().map(|r| &r["id"]).collect();
        // The adopted one ranks first; the samples about care duties may follow (synonyms and
        // compounds count as shared words), the draft never does.
        assert_eq!(ids.first(), Some(&&json!(adopted)), "{body}");
        assert_eq!(body["results"][0]["citation_id"], "MB:GEM:2025:4");
        assert!(!ids.contains(&&json!(draft)));
    }
}

#[tokio::test]
async fn the_editor_has_the_hints_panel_and_the_nav_links_the_archive() {
    let mut app = TestApp::sqlite().await;
    app.sign_in("admin").await;
    let (_, page) = html(&app, "/sessions/new").await;
    assert!(page.contains("id=\"similar\""), "{page}");
    assert!(page.contains("aria-live=\"polite\" data-source=\"title case_text\""), "{page}");
    assert!(page.contains("/static/js/similar.js"));
    assert!(page.contains("<a href=\"/archief\">Archief</a>"));
    for asset in
        ["/static/js/similar.js", "/static/js/copy.js", "/static/css/archive.css", "/static/css/print.css"]
    {
        assert_eq!(app.get(asset).await.status(), 200, "{asset}");
    }
    let print = app.get("/static/css/print.css").await.text().await.unwrap();
    assert!(print.contains("@media print") && print.contains("break-inside: avoid"));
    // `/archive` leads to the Dutch path, keeping the query.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = client.get(app.url("/archive?q=boete")).send().await.unwrap();
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/archief?q=boete");
}

// --- in a real browser ------------------------------------------------------------------

mod in_the_browser {
    use std::time::{Duration, Instant};

    use fantoccini::{Client, Locator};
    use serde_json::Value;

    use super::*;

    async fn wait_for(c: &Client, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let v: Value = c.execute(script, vec![]).await.unwrap();
            if !v.is_null() && v != Value::Bool(false) {
                return v;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "waited in vain for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether the page fits the window without sideways scrolling.
    async fn fits(c: &Client) -> bool {
        let v: Value = c
            .execute("return document.documentElement.scrollWidth <= window.innerWidth + 1", vec![])
            .await
            .unwrap();
        v == Value::Bool(true)
    }

    /// Saves a screenshot to `docs/screenshots/` when `BERAAD_SCREENSHOTS` is set.
    async fn screenshot(c: &Client, name: &str) {
        if std::env::var_os("BERAAD_SCREENSHOTS").is_none() {
            return;
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), c.screenshot().await.unwrap()).unwrap();
    }

    #[tokio::test]
    async fn hints_appear_while_typing_and_the_archive_leads_to_the_precedent() {
        let Some(browser) = crate::browser::browser().await else { return };
        let c = &browser.client;
        let app = TestApp::sqlite_same_origin().await;
        let reader = app.browser_user("moderator").await;
        crate::browser::sign_in(c, &app, &reader).await;
        with_samples(&app.store()).await;

        // The consistency hints follow the case text.
        c.goto(&app.url("/sessions/new")).await.unwrap();
        c.find(Locator::Id("case_text"))
            .await
            .unwrap()
            .send_keys(
                "Door een fout van de gemeente kreeg een cliënt maandenlang te veel bijstand. \
                 Hij heeft het geld uitgegeven aan vaste lasten.",
            )
            .await
            .unwrap();
        let first = wait_for(
            c,
            "a similar precedent",
            "const li = document.querySelector('#similar .similar-item'); return li ? li.textContent : null",
        )
        .await;
        let first = first.as_str().unwrap();
        assert!(first.contains("Afzien van terugvordering"), "{first}");
        assert!(first.contains("S1") && first.contains("Gedeeltelijke terugvordering"), "{first}");
        let status = c.find(Locator::Css("#similar .similar-status")).await.unwrap().text().await.unwrap();
        assert!(status.contains("gevonden"), "{status}");
        screenshot(c, "editor-similar-desktop.png").await;

        // The archive: highlighted hits, then the precedent page with its copy button.
        c.set_window_size(1280, 1500).await.unwrap();
        c.goto(&app.url("/archief?q=terugvorderen")).await.unwrap();
        assert!(!c.find_all(Locator::Css(".hit mark")).await.unwrap().is_empty());
        screenshot(c, "archive-desktop.png").await;
        c.set_window_size(1280, 1000).await.unwrap();
        c.find(Locator::Css(".hit h3 a")).await.unwrap().click().await.unwrap();
        wait_for(c, "the precedent page", "return document.querySelector('h1#precedent-title')").await;
        let h1 = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
        assert_eq!(h1, "Afzien van terugvordering bij fout van de gemeente");
        assert!(c.find(Locator::Css("button.copy")).await.unwrap().is_displayed().await.unwrap());
        screenshot(c, "precedent-desktop.png").await;

        // At phone width nothing scrolls sideways.
        c.set_window_size(375, 800).await.unwrap();
        let width: Value = c.execute("return window.innerWidth", vec![]).await.unwrap();
        assert!(width.as_u64().unwrap() <= 375, "the window is phone-wide: {width}");
        assert!(fits(c).await, "the precedent page fits 375px");
        c.goto(&app.url("/archief?q=terugvorderen")).await.unwrap();
        assert!(fits(c).await, "the archive fits 375px");
        screenshot(c, "archive-phone.png").await;
        c.goto(&app.url("/sessions/new")).await.unwrap();
        assert!(fits(c).await, "the editor fits 375px");
    }
}
