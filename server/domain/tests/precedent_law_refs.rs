//! Law references: every accepted form, the matches table, index keys, Juriconnect, errors.

use beraad_domain::precedent::{LawRef, LawRefError};

fn r(s: &str) -> LawRef {
    LawRef::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn parts(l: &LawRef) -> (&str, &str, Option<u32>, Option<&str>) {
    (l.law.as_str(), l.article.as_str(), l.lid, l.sub.as_deref())
}

#[test]
fn accepted_forms() {
    let pw = "Participatiewet";
    for (input, expected) in [
        ("Participatiewet art. 18 lid 2", (pw, "18", Some(2), None)),
        ("art. 18 lid 2", (pw, "18", Some(2), None)),
        ("artikel 18, tweede lid", (pw, "18", Some(2), None)),
        ("Artikel 18, Tweede lid", (pw, "18", Some(2), None)),
        ("art. 18 lid 2 sub a", (pw, "18", Some(2), Some("a"))),
        ("art. 18, tweede lid, onder a", (pw, "18", Some(2), Some("a"))),
        ("art. 18 lid 2 onderdeel b.", (pw, "18", Some(2), Some("b"))),
        ("18a", (pw, "18a", None, None)),
        ("18A", (pw, "18a", None, None)),
        ("Pw 18 lid 2", (pw, "18", Some(2), None)),
        ("PW art. 22a", (pw, "22a", None, None)),
        ("participatiewet artikel 35", (pw, "35", None, None)),
        ("art.18 lid 1", (pw, "18", Some(1), None)),
        ("art 41 vierde lid", (pw, "41", Some(4), None)),
        ("art. 9 2e lid", (pw, "9", Some(2), None)),
        ("art. 18 tiende lid", (pw, "18", Some(10), None)),
        ("art. 18 eerste lid", (pw, "18", Some(1), None)),
        ("Participatiewet art. 58", (pw, "58", None, None)),
        ("Gemeentewet art. 160", ("Gemeentewet", "160", None, None)),
        // The law name after the reference, as people often write it.
        ("art 18 lid 4 PW", (pw, "18", Some(4), None)),
        ("art. 18 lid 2 sub a Participatiewet", (pw, "18", Some(2), Some("a"))),
        ("18 lid 2 pw", (pw, "18", Some(2), None)),
    ] {
        assert_eq!(parts(&r(input)), expected, "{input}");
    }
}

#[test]
fn every_dutch_ordinal_lid() {
    for (i, word) in
        ["eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende", "tiende"]
            .iter()
            .enumerate()
    {
        assert_eq!(r(&format!("artikel 18, {word} lid")).lid, Some(i as u32 + 1), "{word}");
    }
}

#[test]
fn date_in_force() {
    let l = r("art. 18 lid 2 geldend op 2026-01-01");
    assert_eq!(l.in_force_on.unwrap().to_string(), "2026-01-01");
    assert_eq!(r("art. 18 per 2027-01-01").in_force_on.unwrap().to_string(), "2027-01-01");
    assert_eq!(LawRef::parse("art. 18 per 2026-02-30"), Err(LawRefError::InvalidDate("2026-02-30".into())));
}

#[test]
fn display_is_canonical_and_round_trips() {
    for input in
        ["artikel 18, tweede lid, onder a", "Pw 18a", "art. 22a per 2026-01-01", "Gemeentewet art. 160 lid 1"]
    {
        let l = r(input);
        assert_eq!(r(&l.to_string()), l, "{input} → {l}");
    }
    assert_eq!(r("artikel 18, tweede lid, onder a").to_string(), "Participatiewet art. 18 lid 2 sub a");
    let json = serde_json::to_string(&r("Pw 18 lid 2")).unwrap();
    assert_eq!(json, "\"Participatiewet art. 18 lid 2\"");
    assert_eq!(serde_json::from_str::<LawRef>(&json).unwrap(), r("Pw 18 lid 2"));
}

#[test]
fn matches_table() {
    for (filter, candidate, expected) in [
        ("art. 18", "art. 18 lid 2", true),
        ("art. 18", "art. 18", true),
        ("art. 18", "art. 18 lid 2 sub a", true),
        ("art. 18", "art. 18a", false),
        ("art. 18a", "art. 18", false),
        ("art. 18a", "18a", true),
        ("art. 18 lid 2", "art. 18 lid 2", true),
        ("art. 18 lid 2", "art. 18 lid 2 sub a", true),
        ("art. 18 lid 2", "art. 18 lid 1", false),
        ("art. 18 lid 2", "art. 18", false),
        ("art. 18 lid 2 sub a", "art. 18 lid 2 sub b", false),
        ("art. 18 lid 2 sub a", "art. 18 lid 2", false),
        ("Pw 18", "Participatiewet art. 18 lid 2", true),
        ("PARTICIPATIEWET art. 18", "pw 18", true),
        ("art. 1", "art. 18", false),
        ("art. 18", "art. 180", false),
        ("Gemeentewet art. 18", "art. 18", false),
        ("gemeentewet art. 18", "Gemeentewet art. 18 lid 1", true),
        ("art. 18 per 2026-01-01", "art. 18 lid 2 per 2025-01-01", true),
    ] {
        assert_eq!(LawRef::matches(&r(filter), &r(candidate)), expected, "{filter} ~ {candidate}");
    }
}

#[test]
fn index_key_prefixes_agree_with_matches() {
    assert_eq!(r("art. 18").index_key(), "participatiewet/18/");
    assert_eq!(r("art. 18 lid 2").index_key(), "participatiewet/18/2/");
    assert_eq!(r("art. 18 lid 2 sub a").index_key(), "participatiewet/18/2/a/");
    assert_eq!(r("art. 18a").index_key(), "participatiewet/18a/");
    assert_eq!(r("Gemeentewet art. 160").index_key(), "gemeentewet/160/");
    let all = [
        "art. 18",
        "art. 18 lid 2",
        "art. 18 lid 2 sub a",
        "art. 18 lid 1",
        "art. 18a",
        "art. 180",
        "art. 1",
        "Gemeentewet art. 18",
        "art. 18 lid 12",
    ];
    for f in all {
        for c in all {
            let by_prefix = r(c).index_key().starts_with(&r(f).index_key());
            assert_eq!(by_prefix, LawRef::matches(&r(f), &r(c)), "{f} ~ {c}");
        }
    }
}

#[test]
fn juriconnect() {
    assert_eq!(
        r("art. 18 lid 2 geldend op 2026-01-01").to_juriconnect().unwrap(),
        "jci1.3:c:BWBR0015703&artikel=18&lid=2&g=2026-01-01"
    );
    assert_eq!(r("18a").to_juriconnect().unwrap(), "jci1.3:c:BWBR0015703&artikel=18a");
    assert_eq!(
        r("art. 18 lid 2 sub a").to_juriconnect().unwrap(),
        "jci1.3:c:BWBR0015703&artikel=18&lid=2&onderdeel=a"
    );
    assert_eq!(r("Gemeentewet art. 160").to_juriconnect(), None);
}

#[test]
fn errors() {
    use LawRefError::*;
    for (input, expected) in [
        ("", Empty),
        ("   ", Empty),
        ("art.", MissingArticle("art.".into())),
        ("Participatiewet", MissingArticle("Participatiewet".into())),
        ("lid 2", MissingArticle("lid 2".into())),
        ("tweede lid", MissingArticle("tweede lid".into())),
        ("art. achttien", InvalidArticle("achttien".into())),
        ("art. 2.3.5", InvalidArticle("2.3.5".into())),
        ("art. 018", InvalidArticle("018".into())),
        ("art. 18abc", InvalidArticle("18abc".into())),
        ("art. 18 lid", InvalidLid("lid".into())),
        ("art. 18 lid 0", InvalidLid("0".into())),
        ("art. 18 lid twee", InvalidLid("twee".into())),
        ("art. 18 elfde lid", InvalidLid("elfde".into())),
        ("art. 18 lid 2 sub", InvalidSub("sub".into())),
        ("art. 18 lid 2 sub !", InvalidSub("!".into())),
        ("art. 18 lid 2 lid 3", Unexpected("lid".into())),
        ("art. 18 blabla", Unexpected("blabla".into())),
        ("art. 18 per gisteren", InvalidDate("gisteren".into())),
    ] {
        assert_eq!(LawRef::parse(input), Err(expected), "{input:?}");
    }
    let e = LawRef::parse("art. achttien").unwrap_err();
    assert_eq!(e.code(), "law_ref_invalid_article");
    assert!(e.to_string().contains("achttien"));
}
