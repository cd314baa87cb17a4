//! The pruned ranking (`rank::top`: scores only what can reach the page) against the ranking
//! it replaced (`rank::top_scoring_all`: every match scored, then sorted), on a generated
//! archive, for many queries: the same total, the same page (documents, scores to the bit,
//! missing words), the same facets and the same report of what was relaxed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::execute::{execute_with, Ranked};
use super::index::{ArchiveIndex, IndexLabel, IndexSource};
use super::query::SearchQuery;
use super::rank::{top, top_scoring_all};
use crate::domain::precedent::LawRef;
use crate::domain::text::query_terms;

/// Words with synonyms, compounds and word forms of one another (so query words find
/// alternatives of lower weight), common and rare.
const WORDS: &[&str] = &[
    "verlaging",
    "verlaagd",
    "werk",
    "werken",
    "werkgever",
    "vrijwilligerswerk",
    "baan",
    "arbeid",
    "zorg",
    "mantelzorg",
    "mantelzorger",
    "zorgtaak",
    "klant",
    "cliënt",
    "weigert",
    "weigerde",
    "gesprek",
    "afspraak",
    "boete",
    "sanctie",
    "maatregel",
    "korting",
    "kind",
    "kinderen",
    "school",
    "schoolgaand",
    "ziek",
    "ziekte",
    "ontheffing",
    "vrijstelling",
    "kostendelersnorm",
    "dringende",
    "redenen",
    "terugvordering",
    "schulden",
    "huur",
    "woning",
    "situatie",
    "zonnepanelen",
];
const SYLLABLES: &[&str] =
    &["be", "ver", "ont", "ge", "aan", "uit", "lan", "ster", "hou", "ding", "kos", "ten"];
const LAWS: &[&str] = &["art. 18 lid 1", "art. 18 lid 2", "art. 18a", "art. 9 lid 2", "art. 35"];
const THEMES: &[&str] = &["verlaging", "ontheffing", "boete", "kostendelersnorm"];

/// A word of the generated text: mostly the list above (the first ones most often), else a
/// pseudo-word of a long tail.
fn word(rng: &mut StdRng) -> String {
    if rng.random_bool(0.7) {
        let u: f64 = rng.random();
        WORDS[((WORDS.len() as f64).powf(u) as usize).min(WORDS.len() - 1)].to_string()
    } else {
        (0..3).map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())]).collect()
    }
}

fn text(rng: &mut StdRng, words: usize) -> String {
    (0..words).map(|_| word(rng)).collect::<Vec<_>>().join(" ")
}

/// An archive of `n` precedents of two organisations and four teams, some drafts, with
/// repeated texts and few dates (so equal scores and equal dates happen, and the order
/// between them is tested too).
fn archive(n: i64) -> ArchiveIndex {
    let mut rng = StdRng::seed_from_u64(15);
    let mut sources = Vec::new();
    let mut labels = Vec::new();
    let mut previous: Option<(String, String)> = None;
    for id in 1..=n {
        let (title, mut body) = match &previous {
            Some(p) if rng.random_bool(0.1) => p.clone(),
            _ => {
                let (title_len, body_len) = (rng.random_range(1..6), rng.random_range(3..40));
                (text(&mut rng, title_len), text(&mut rng, body_len))
            }
        };
        if rng.random_bool(0.1) {
            body.push_str(" Er waren dringende redenen.");
        }
        previous = Some((title.clone(), body.clone()));
        sources.push(IndexSource {
            id,
            organisation_id: if id % 5 == 0 { 2 } else { 1 },
            status: if id % 17 == 0 { "draft".into() } else { "adopted".into() },
            title,
            body,
            decided_on: Some(format!("2025-0{}-0{}", 1 + id % 3, 1 + id % 2)),
            team_id: Some(id % 4),
            ..IndexSource::default()
        });
        let law = LawRef::parse(LAWS[rng.random_range(0..LAWS.len())]).unwrap().index_key();
        labels.push(IndexLabel { precedent_id: id, kind: "law".into(), label: law });
        let theme = THEMES[rng.random_range(0..THEMES.len())];
        labels.push(IndexLabel { precedent_id: id, kind: "theme".into(), label: theme.into() });
    }
    let mut index = ArchiveIndex::new();
    index.apply(sources, &labels, n);
    index
}

/// A query as people type them: one to six words (some misspelled or absent), now and then
/// a `+word` or a phrase, a minimum of terms, filters, the searcher's organisation or team,
/// and any page.
fn query(rng: &mut StdRng) -> SearchQuery {
    let n = rng.random_range(1..=6);
    let mut words: Vec<String> = (0..n).map(|_| word(rng)).collect();
    if rng.random_bool(0.1) {
        words[0] = format!("+{}", words[0]);
    }
    if rng.random_bool(0.1) {
        words.push("\"dringende redenen\"".into());
    }
    if rng.random_bool(0.1) {
        // Misspelled: a letter dropped.
        let w = words.last_mut().unwrap();
        if w.chars().count() > 5 && w.is_ascii() {
            w.remove(2);
        }
    }
    if rng.random_bool(0.05) {
        words.push("onbekendwoord".into());
    }
    let mut q = SearchQuery {
        text: words.join(" "),
        page: rng.random_range(1..=4),
        per_page: [1, 5, 20, 100][rng.random_range(0..4)],
        min_terms: if rng.random_bool(0.2) { rng.random_range(0..=3) } else { 0 },
        ..SearchQuery::default()
    };
    if rng.random_bool(0.2) {
        q.law = Some(LawRef::parse(LAWS[rng.random_range(0..LAWS.len())]).unwrap());
    }
    if rng.random_bool(0.1) {
        q.theme = Some(THEMES[rng.random_range(0..THEMES.len())].into());
    }
    if rng.random_bool(0.3) {
        q.organisation_id = Some(rng.random_range(1..=2));
    }
    if rng.random_bool(0.1) {
        q.team_id = Some(rng.random_range(0..4));
    }
    if rng.random_bool(0.03) {
        q.text.clear();
    }
    q
}

/// What a page says, scores to the bit.
fn summary(index: &ArchiveIndex, r: &Ranked) -> String {
    let hits: Vec<String> = r
        .hits
        .iter()
        .map(|h| format!("{}:{:x}:{:?}", index.docs[h.slot as usize].id, h.score.to_bits(), h.missing))
        .collect();
    format!("{} {:?} {:?} {:?}", r.total, hits, r.facets, r.report)
}

#[test]
fn the_pruned_ranking_gives_the_pages_of_the_full_ranking() {
    let index = archive(3_000);
    let mut rng = StdRng::seed_from_u64(5);
    let mut pruned_pages = 0;
    for _ in 0..600 {
        let q = query(&mut rng);
        let terms = query_terms(&q.text);
        let pruned = execute_with(&index, &q, &terms, top);
        let full = execute_with(&index, &q, &terms, top_scoring_all);
        assert_eq!(summary(&index, &pruned), summary(&index, &full), "query {q:?}");
        let wanted = (q.page() * q.per_page()) as u64;
        if pruned.total > wanted && pruned.hits.iter().any(|h| !h.missing.is_empty()) {
            pruned_pages += 1;
        }
    }
    // The case pruning is for: more partial matches than the page holds.
    assert!(pruned_pages >= 100, "only {pruned_pages} pages cut from a larger set of partial matches");
}
