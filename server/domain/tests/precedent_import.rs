//! The JSON Lines import: the shared sample, and whole-file validation with line numbers.

use std::path::PathBuf;

use beraad_domain::precedent::{parse_import, ImportErrorKind, Theme};

fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples/precedents.jsonl")
}

#[test]
fn the_shared_sample_parses() {
    let path = sample_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the shared sample {} is missing or unreadable ({e}); it is the reference for the import format",
            path.display()
        )
    });
    let lines = parse_import(&text).unwrap_or_else(|errs| {
        panic!("sample does not parse: {}", errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))
    });
    assert!(lines.len() >= 3, "sample has {} lines", lines.len());
    let s1 = &lines[0];
    assert_eq!(s1.line, 1);
    assert_eq!(s1.reference, "S1");
    assert_eq!(s1.title, "Afzien van terugvordering bij fout van de gemeente");
    assert_eq!(s1.date.unwrap().to_string(), "2025-04-22");
    assert_eq!(s1.law_articles[0].to_string(), "Participatiewet art. 58");
    assert_eq!(s1.tags, ["terugvordering", "fout gemeente"]);
    assert_eq!(s1.values, ["rechtvaardigheid", "vertrouwen"]);
    let s2 = lines.iter().find(|l| l.reference == "S2").unwrap();
    assert_eq!(s2.law_articles[0].lid, Some(2));
    assert_eq!(s2.dissent, "");
    for l in &lines {
        assert!(!l.reference.is_empty() && !l.title.is_empty());
    }
    // Tags that name a controlled theme become themes.
    let (themes, free) = beraad_domain::precedent::split_themes(&s1.tags);
    assert_eq!(themes, [Theme::Terugvordering]);
    assert_eq!(free, ["fout gemeente"]);
}

#[test]
fn minimal_line_and_blank_lines() {
    let text = "\n{\"ref\": \"A\", \"title\": \"Titel\"}\n\n{\"ref\": \"B\", \"title\": \"T\", \"date\": null, \"tags\": null}\n";
    let lines = parse_import(text).unwrap();
    assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), [2, 4]);
    assert_eq!(lines[0].date, None);
    assert!(lines[0].law_articles.is_empty());
    assert_eq!(parse_import("").unwrap(), []);
}

fn errors_of(text: &str) -> Vec<(usize, ImportErrorKind)> {
    parse_import(text).unwrap_err().into_iter().map(|e| (e.line, e.kind)).collect()
}

#[test]
fn unknown_key_is_an_error_with_its_line() {
    let text = "{\"ref\": \"A\", \"title\": \"T\"}\n{\"ref\": \"B\", \"titel\": \"T\", \"title\": \"T\"}\n";
    assert_eq!(errors_of(text), [(2, ImportErrorKind::UnknownKey("titel".into()))]);
    let e = &parse_import(text).unwrap_err()[0];
    assert_eq!(e.code(), "unknown_key");
    assert!(e.to_string().starts_with("regel 2: "), "{e}");
}

#[test]
fn bad_dates() {
    for bad in ["2025-02-30", "2025-13-01", "22-04-2025", "2025-4-2", "morgen"] {
        let text = format!("{{\"ref\": \"A\", \"title\": \"T\", \"date\": \"{bad}\"}}");
        assert_eq!(errors_of(&text), [(1, ImportErrorKind::InvalidDate(bad.into()))], "{bad}");
    }
    assert!(parse_import("{\"ref\": \"A\", \"title\": \"T\", \"date\": \"2024-02-29\"}").is_ok());
}

#[test]
fn the_whole_file_is_validated_and_every_error_reported() {
    let text = [
        r#"{"ref": "S1", "title": "Goed"}"#,
        r#"{"ref": "S2", "title": "", "date": "2025-02-29", "law_articles": ["art. 18", "lid 2"]}"#,
        r#"niet eens json"#,
        r#"["een", "lijst"]"#,
        r#"{"title": "Geen ref", "values": "zorg", "team": 7, "extra": 1}"#,
        r#"{"ref": "S1", "title": "Dubbel"}"#,
        r#"{"ref": "S7", "title": "Goed ook", "tags": ["a", 3]}"#,
    ]
    .join("\n");
    let errs = parse_import(&text).unwrap_err();
    let got: Vec<(usize, &str)> = errs.iter().map(|e| (e.line, e.code())).collect();
    assert_eq!(
        got,
        [
            (2, "blank"),
            (2, "invalid_date"),
            (2, "invalid_law_article"),
            (3, "invalid_json"),
            (4, "not_an_object"),
            (5, "unknown_key"),
            (5, "missing_key"),
            (5, "wrong_type"),
            (5, "wrong_type"),
            (6, "duplicate_ref"),
            (7, "wrong_type"),
        ]
    );
    assert!(
        matches!(&errs[2].kind, ImportErrorKind::InvalidLawArticle { article, .. } if article == "lid 2")
    );
    assert_eq!(errs[9].kind, ImportErrorKind::DuplicateRef { reference: "S1".into(), first_line: 1 });
    assert_eq!(errs[9].to_string(), "regel 6: ref \"S1\" staat ook al op regel 1");
}

#[test]
fn windows_line_endings_and_bom_are_accepted() {
    let text = "\u{feff}{\"ref\": \"A\", \"title\": \"T\"}\r\n{\"ref\": \"B\", \"title\": \"U\"}\r\n";
    let lines = parse_import(text).unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].title, "U");
}

#[test]
fn a_list_over_the_limit_is_refused_by_its_count() {
    let tags: Vec<String> = (0..65_536).map(|i| format!("t{i}")).collect();
    let line = serde_json::json!({"ref": "A-1", "title": "Casus", "tags": tags}).to_string();
    let errors = parse_import(&line).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, ImportErrorKind::TooManyItems { key: "tags", max: 100, count: 65_536 });
    assert_eq!(
        errors[0].to_string(),
        "regel 1: veld \"tags\" heeft te veel onderdelen (65536, hoogstens 100)"
    );
}
