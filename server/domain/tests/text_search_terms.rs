//! Search terms: the issue's examples end to end (index side vs query side), and the safety
//! of the FTS5 and tsquery expressions against hostile input.

use beraad_domain::text::{
    fts5_match_expr, index_terms, index_words, pg_tsquery_expr, query_terms, stem, text_matches, Fts5Columns,
    QueryTerm,
};

/// Whether a document containing `doc` is found by the query `q`, judged from the index
/// terms exactly as a backend would (exact or prefix match on the stems column, phrase on
/// the words column).
fn finds(q: &str, doc: &str) -> bool {
    let terms = index_terms(doc);
    let words = index_words(doc);
    let query = query_terms(q);
    assert!(!query.is_empty(), "query {q:?} has no terms");
    query.iter().all(|t| match t {
        QueryTerm::Word { stems, .. } => stems.iter().any(|s| terms.iter().any(|i| s.matches(i))),
        QueryTerm::Phrase { words: p, .. } => words.windows(p.len()).any(|w| w == p.as_slice()),
    }) && query.iter().all(|t| text_matches(doc, t))
}

#[test]
fn issue_examples() {
    assert!(finds("verlagingen", "Een verlaging van de uitkering."));
    assert!(finds("verlaging", "Twee verlagingen in een jaar."));
    assert!(finds("weigeren", "De cliënt weigerde het aanbod."));
    assert!(finds("weigerde", "Cliënten weigeren soms."));
    assert!(finds("cliente", "Cliënte moet drie keer per week naar het ziekenhuis."));
    assert!(finds("cliënte", "cliente"));
    assert!(finds("kostendeler", "De kostendelersnorm is van toepassing."));
    assert_eq!(stem("weigeren"), stem("weigerde"));
}

#[test]
fn more_dutch_examples() {
    for (q, doc) in [
        ("weigeren", "hij weigert"),
        ("weigeren", "het werk is geweigerd"),
        ("verlagen", "de bijstand werd verlaagd"),
        ("terugvorderen", "terugvordering in termijnen"),
        ("ontheffing", "ontheffingen voor mantelzorgers"),
        ("gezin", "gezinnen met kinderen"),
        ("boetes", "een boete opgelegd"),
        ("huis", "de huizen"),
        ("kostendelersnorm", "de kostendelers-norm"),
        ("norm", "de kostendelers-norm"),
        ("e-mail", "per email"),
        ("\"dringende redenen\"", "Er zijn dringende redenen."),
        ("\"in de bijstand\"", "Hij zit in de bijstand."),
    ] {
        assert!(finds(q, doc), "{q:?} should find {doc:?}");
    }
}

#[test]
fn does_not_overmatch() {
    for (q, doc) in [
        ("boete", "een boek over regels"),
        ("wet", "de wethouder besliste"),
        ("gemeente", "dat is gemeen"),
        ("\"dringende redenen\"", "redenen die dringend zijn"),
        ("kostendelersnorm", "de kostendeler"),
        ("art", "artikel"),
    ] {
        assert!(!finds(q, doc), "{q:?} should not find {doc:?}");
    }
}

const HOSTILE: &[&str] = &[
    "\"",
    "\"\"\"",
    "*",
    "boete*",
    "NEAR(boete verlaging)",
    "boete OR verlaging",
    "NOT boete",
    "title:boete",
    "{title} : boete",
    "boete:*",
    "boete & verlaging",
    "!boete",
    "boete | x",
    "a\\b",
    "boete\\",
    "'boete'",
    "o'neill",
    "(boete",
    "boete)",
    "^boete",
    "boete -verlaging",
    "boete <-> verlaging",
    "\"boete\" AND \"x\"\")",
    "; DROP TABLE precedent; --",
    "\0boete",
];

fn cols() -> Fts5Columns {
    Fts5Columns::new(&["title_stems", "body_stems"], &["title_words", "body_words"]).unwrap()
}

/// Checks that an FTS5 expression only contains our own syntax: quoted strings made of
/// letters and digits, `*`, column specs, parentheses, `+`, `AND`, `OR`, `:`.
fn assert_safe_fts5(expr: &str) {
    let mut rest = expr;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').expect("closed string");
            let lit = &r[..end];
            assert!(!lit.is_empty() && lit.chars().all(char::is_alphanumeric), "literal {lit:?} in {expr}");
            rest = &r[end + 1..];
            continue;
        }
        let ok_prefixes = [
            " AND ",
            " OR ",
            " : ",
            " + ",
            "(",
            ")",
            "*",
            "{title_stems body_stems}",
            "{title_words body_words}",
        ];
        let p = ok_prefixes
            .iter()
            .find(|p| rest.starts_with(*p))
            .unwrap_or_else(|| panic!("unexpected syntax at {rest:?} in {expr}"));
        rest = &rest[p.len()..];
    }
}

fn assert_safe_tsquery(expr: &str) {
    let mut rest = expr;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('\'') {
            let end = r.find('\'').expect("closed lexeme");
            let lit = &r[..end];
            assert!(!lit.is_empty() && lit.chars().all(char::is_alphanumeric), "lexeme {lit:?} in {expr}");
            rest = &r[end + 1..];
            continue;
        }
        let ok_prefixes = [" & ", " | ", " <-> ", "(", ")", ":*"];
        let p = ok_prefixes
            .iter()
            .find(|p| rest.starts_with(*p))
            .unwrap_or_else(|| panic!("unexpected syntax at {rest:?} in {expr}"));
        rest = &rest[p.len()..];
    }
}

#[test]
fn hostile_input_never_becomes_query_syntax() {
    for q in HOSTILE {
        let terms = query_terms(q);
        if let Some(e) = fts5_match_expr(&terms, &cols()) {
            assert_safe_fts5(&e);
        }
        let pg = pg_tsquery_expr(&terms);
        for e in [pg.stems, pg.words].into_iter().flatten() {
            assert_safe_tsquery(&e);
        }
    }
}

#[test]
fn hostile_operators_are_plain_words_or_dropped() {
    let e = fts5_match_expr(&query_terms("NEAR(boete OR verlaging)"), &cols()).unwrap();
    assert_eq!(
        e,
        "({title_stems body_stems} : \"near\") AND ({title_stems body_stems} : \"boet\") \
         AND ({title_stems body_stems} : \"or\") AND ({title_stems body_stems} : \"verlag\"*)"
    );
    let pg = pg_tsquery_expr(&query_terms("boete & !verlaging:* | x"));
    assert_eq!(pg.stems.as_deref(), Some("('boet') & ('verlag':*) & ('x')"));
    assert_eq!(pg.words, None);
    assert_eq!(fts5_match_expr(&query_terms("* : & ! \\ \""), &cols()), None);
}

#[test]
fn the_checkers_reject_injected_syntax() {
    // Guard against a checker that accepts everything.
    let bad_fts = std::panic::catch_unwind(|| assert_safe_fts5("\"a\" NEAR(\"b\")"));
    assert!(bad_fts.is_err());
    let bad_pg = std::panic::catch_unwind(|| assert_safe_tsquery("'a' & !'b'"));
    assert!(bad_pg.is_err());
}
