//! Moderators' own methods: every problem reported with a stable code and a JSON path.

use beraad_domain::method::*;
use serde_json::{json, Value};

fn round(key: &str) -> Value {
    json!({"key": key, "kind": "dialogue", "title": "Gesprek", "prompt": "Praat samen",
           "minutes": 10, "contributors": "everyone"})
}

fn method(rounds: Vec<Value>) -> Value {
    json!({"key": "mijn_methode", "name": {"nl": "Mijn methode", "en": "My method"},
           "description": "Een eigen werkvorm", "family": "intervision", "output": "advice",
           "rounds": rounds})
}

fn errors(value: &Value) -> Vec<(String, &'static str)> {
    validate_custom(&value.to_string())
        .expect_err("invalid")
        .iter()
        .map(|e| (e.path.clone(), e.code()))
        .collect()
}

fn has(value: &Value, path: &str, code: &str) {
    let errors = errors(value);
    assert!(errors.iter().any(|(p, c)| p == path && *c == code), "expected {code} at {path}, got {errors:?}");
}

#[test]
fn a_valid_method_with_defaults() {
    let mut v = method(vec![
        round("open"),
        json!({"key": "stil", "kind": "silent_write", "title": {"nl": "Stil"},
               "prompt": {"en": "Write"}, "minutes": 5, "contributors": "all_but_presenter"}),
        json!({"key": "beurt", "kind": "round_robin", "title": "Beurt", "prompt": "Om de beurt",
               "minutes": 5, "contributors": "everyone", "rule": "Kort houden"}),
    ]);
    v["min_participants"] = json!(3);
    let m = validate_custom(&v.to_string()).unwrap();
    assert_eq!(m.rounds.len(), 3);
    assert_eq!(m.min_participants, Some(3));
    assert_eq!(m.description, Localized::new("Een eigen werkvorm", "Een eigen werkvorm"));
    let stil = &m.rounds[1];
    assert_eq!(stil.title, Localized::new("Stil", "Stil"), "a missing language is copied");
    assert_eq!(stil.prompt, Localized::new("Write", "Write"));
    assert_eq!(stil.reveal, Reveal::WhenAllSubmitted, "silent_write defaults to hidden");
    assert_eq!(stil.presenter_view, PresenterView::All);
    assert_eq!(stil.anonymity, Anonymity::Named);
    assert_eq!(m.rounds[2].order, Order::RoundRobin);
    assert_eq!(m.rounds[0].reveal, Reveal::Immediate);
    assert_eq!(m.rounds[2].rule, Some(Localized::new("Kort houden", "Kort houden")));
}

#[test]
fn not_json() {
    let e = validate_custom("{\"key\": \"x\",\n  \"rounds\": [}").unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].code(), "invalid_json");
    assert!(matches!(e[0].problem, MethodProblem::InvalidJson { line: 2, .. }));
    assert!(e[0].to_string().starts_with("not valid JSON at line 2"));
    assert_eq!(errors(&json!([1, 2])), vec![(String::new(), "wrong_type")]);
}

#[test]
fn unknown_and_missing_fields() {
    let mut v = method(vec![round("ra"), round("rb")]);
    v["rounds"][1]["colour"] = json!("blue");
    v["tags"] = json!([]);
    v["rounds"][0].as_object_mut().unwrap().remove("minutes");
    v.as_object_mut().unwrap().remove("family");
    v["name"] = json!({"nl": "Naam", "fr": "Nom"});
    has(&v, "rounds[1].colour", "unknown_field");
    has(&v, "tags", "unknown_field");
    has(&v, "rounds[0]", "missing_field");
    has(&v, "", "missing_field");
    has(&v, "name.fr", "unknown_field");
    let all = validate_custom(&v.to_string()).unwrap_err();
    assert!(all.len() >= 5, "all problems at once: {all:?}");
    let missing = all.iter().find(|e| e.path == "rounds[0]").unwrap();
    assert_eq!(missing.to_string(), "rounds[0]: missing field `minutes`");
    assert_eq!(all.iter().find(|e| e.path.is_empty()).unwrap().to_string(), "missing field `family`");
}

#[test]
fn rounds_count_and_keys() {
    has(&method(vec![]), "rounds", "no_rounds");
    let many: Vec<Value> = (0..31).map(|i| round(&format!("r{i}"))).collect();
    has(&method(many), "rounds", "too_many_rounds");
    let v = method(vec![round("ra"), round("rb"), round("ra")]);
    let e = validate_custom(&v.to_string()).unwrap_err();
    assert_eq!(e[0].path, "rounds[2].key");
    assert_eq!(
        e[0].problem,
        MethodProblem::DuplicateRoundKey { key: "ra".into(), first: "rounds[0].key".into() }
    );
    has(&method(vec![round("1st")]), "rounds[0].key", "invalid_key");
    has(&method(vec![round("Open Ronde")]), "rounds[0].key", "invalid_key");
    let mut v = method(vec![round("ra")]);
    v["key"] = json!("Mijn Methode!");
    has(&v, "key", "invalid_key");
    v["key"] = json!("dilemma");
    has(&v, "key", "reserved_key");
    v["rounds"] = json!("geen lijst");
    has(&v, "rounds", "wrong_type");
}

#[test]
fn minutes() {
    for (value, code) in [
        (json!(0), "minutes_out_of_range"),
        (json!(241), "minutes_out_of_range"),
        (json!(-5), "minutes_out_of_range"),
        (json!(5_000_000_000_u64), "minutes_out_of_range"),
        (json!(7.5), "wrong_type"),
        (json!("tien"), "wrong_type"),
    ] {
        let mut v = method(vec![round("ra"), round("rb"), round("rc"), round("rd")]);
        v["rounds"][3]["minutes"] = value.clone();
        has(&v, "rounds[3].minutes", code);
    }
    let mut v = method(vec![round("ra")]);
    v["rounds"][0]["minutes"] = json!(0);
    let e = validate_custom(&v.to_string()).unwrap_err();
    assert_eq!(e[0].to_string(), "rounds[0].minutes: minutes must be between 1 and 240 (got 0)");
    let long: Vec<Value> = (0..3)
        .map(|i| {
            let mut r = round(&format!("r{i}"));
            r["minutes"] = json!(240);
            r
        })
        .collect();
    has(&method(long), "rounds", "total_minutes_too_long");
    let mut v = method(vec![round("ra")]);
    v["min_participants"] = json!(0);
    has(&v, "min_participants", "min_participants_out_of_range");
}

#[test]
fn texts() {
    let mut v = method(vec![round("ra")]);
    v["name"]["nl"] = json!("x".repeat(MAX_NAME_LEN + 1));
    v["rounds"][0]["prompt"] = json!("   ");
    v["rounds"][0]["rule"] = json!({"nl": "r".repeat(MAX_RULE_LEN + 1), "en": "ok"});
    v["rounds"][0]["title"] = json!(12);
    has(&v, "name.nl", "text_too_long");
    has(&v, "rounds[0].title", "wrong_type");
    // One unreadable round hides nothing else.
    let mut two = v.clone();
    two["rounds"] = json!([v["rounds"][0].clone(), round("rb"), round("rb")]);
    has(&two, "name.nl", "text_too_long");
    has(&two, "rounds[2].key", "duplicate_round_key");
    v["rounds"][0]["title"] = json!("Titel");
    has(&v, "rounds[0].prompt.nl", "empty_text");
    has(&v, "rounds[0].prompt.en", "empty_text");
    has(&v, "rounds[0].rule.nl", "text_too_long");
    let e = validate_custom(&v.to_string()).unwrap_err();
    let long = e.iter().find(|e| e.path == "name.nl").unwrap();
    assert_eq!(long.problem, MethodProblem::TextTooLong { max: MAX_NAME_LEN, len: MAX_NAME_LEN + 1 });
    let mut v = method(vec![round("ra")]);
    v["description"] = json!({});
    has(&v, "description", "missing_field");
}

#[test]
fn enum_values() {
    let mut v = method(vec![round("ra")]);
    v["rounds"][0]["kind"] = json!("brainstorm");
    v["rounds"][0]["contributors"] = json!("iedereen");
    v["output"] = json!("besluit");
    has(&v, "rounds[0].kind", "unknown_value");
    has(&v, "rounds[0].contributors", "unknown_value");
    has(&v, "output", "unknown_value");
    let e = validate_custom(&v.to_string()).unwrap_err();
    let kind = e.iter().find(|e| e.path == "rounds[0].kind").unwrap();
    assert!(kind.to_string().contains("silent_write"), "{kind}");
}

#[test]
fn contradictory_round_settings() {
    let with = |extra: Value| {
        let mut r = round("ra");
        for (k, val) in extra.as_object().unwrap() {
            r[k] = val.clone();
        }
        method(vec![r])
    };
    has(
        &with(json!({"kind": "silent_write", "reveal": "immediate"})),
        "rounds[0]",
        "silent_write_not_hidden",
    );
    has(&with(json!({"kind": "questions", "reveal": "on_moderator"})), "rounds[0]", "cannot_be_hidden");
    has(&with(json!({"kind": "round_robin", "order": "free"})), "rounds[0]", "round_robin_needs_turns");
    has(
        &with(json!({"order": "round_robin", "reveal": "on_moderator"})),
        "rounds[0]",
        "hidden_round_takes_no_turns",
    );
    has(
        &with(json!({"contributors": "presenter_only", "anonymity": "pseudonymous"})),
        "rounds[0]",
        "pseudonymous_single_author",
    );
    has(
        &with(json!({"contributors": "presenter_only", "presenter_view": "absent"})),
        "rounds[0]",
        "presenter_cannot_contribute",
    );
    has(
        &with(json!({"kind": "questions", "contributors": "moderator_only"})),
        "rounds[0]",
        "questions_need_askers",
    );
}

#[test]
fn errors_serialise_with_their_code_and_path() {
    let mut v = method(vec![round("ra")]);
    v["rounds"][0]["minutes"] = json!(0);
    let e = validate_custom(&v.to_string()).unwrap_err();
    let json = serde_json::to_value(&e[0]).unwrap();
    assert_eq!(json["code"], "minutes_out_of_range");
    assert_eq!(json["path"], "rounds[0].minutes");
    assert_eq!(json["value"], 0);
    assert_eq!(json["max"], 240);
}

#[test]
fn too_many_rounds_is_refused_before_anything_else_is_read() {
    // 50,000 empty rounds: refused by their count alone, with that one problem.
    let v = method(vec![json!({}); 50_000]);
    let e = validate_custom(&v.to_string()).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].path, "rounds");
    assert_eq!(e[0].problem, MethodProblem::TooManyRounds { max: MAX_ROUNDS, count: 50_000 });
    assert_eq!(e[0].to_string(), format!("rounds: 50000 rounds, at most {MAX_ROUNDS} allowed"));
    // At the limit the rounds are read (and their problems reported).
    let e = validate_custom(&method(vec![json!({}); MAX_ROUNDS]).to_string()).unwrap_err();
    assert!(e.iter().all(|e| e.code() != "too_many_rounds"), "{e:?}");
}

#[test]
fn at_most_fifty_problems_are_listed_and_the_rest_counted() {
    // Every round has many unknown fields: thousands of distinct problems.
    let mut noisy = round("r");
    for f in 0..1000 {
        noisy[format!("x{f}")] = json!(1);
    }
    let rounds: Vec<Value> = (0..MAX_ROUNDS)
        .map(|i| {
            let mut r = noisy.clone();
            r["key"] = json!(format!("r{i}"));
            r
        })
        .collect();
    let e = validate_custom(&method(rounds).to_string()).unwrap_err();
    assert_eq!(e.len(), MAX_PROBLEMS_REPORTED + 1);
    let last = e.last().unwrap();
    assert_eq!(
        last.problem,
        MethodProblem::MoreProblems { count: MAX_ROUNDS * 1000 - MAX_PROBLEMS_REPORTED }
    );
    assert_eq!(last.code(), "more_problems");
    assert!(e[..MAX_PROBLEMS_REPORTED].iter().all(|e| e.code() == "unknown_field"));
}
