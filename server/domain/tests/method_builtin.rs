//! Each built-in method matches METHODS.md: round count, order, who contributes, what is
//! hidden, who only listens, and the key facts per method.

use beraad_domain::method::*;
use std::collections::HashSet;

fn kinds(m: &Method) -> Vec<RoundKind> {
    m.rounds.iter().map(|r| r.kind).collect()
}

fn minutes(m: &Method) -> Vec<u32> {
    m.rounds.iter().map(|r| r.minutes).collect()
}

fn get(key: &str) -> Method {
    builtin(key, None).unwrap_or_else(|| panic!("{key}"))
}

#[test]
fn the_catalogue() {
    let all = builtin_methods();
    assert_eq!(all.len(), 10, "nine methods, the dilemma method in two orders");
    let keys: HashSet<&str> = all.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, BUILTIN_KEYS.iter().copied().collect());
    let pairs: HashSet<(&str, Option<&str>)> =
        all.iter().map(|m| (m.key.as_str(), m.variant.as_deref())).collect();
    assert_eq!(pairs.len(), all.len());
    for m in &all {
        assert_eq!(check_method(m), vec![], "{} is sound", m.key);
        assert_eq!(builtin(&m.key, m.variant.as_deref()).as_ref(), Some(m));
        // Translated, not copied.
        for r in &m.rounds {
            assert_ne!(r.prompt.nl, r.prompt.en, "{}.{}", m.key, r.key);
            assert_ne!(r.title.nl, r.title.en, "{}.{}", m.key, r.key);
        }
        assert_ne!(m.description.nl, m.description.en);
    }
    assert_eq!(builtin("dilemma", None), builtin("dilemma", Some("question_first")));
    assert_eq!(builtin("dilemma", Some("later")), None);
    assert_eq!(builtin("nijmegen", Some("question_first")), None);
    assert_eq!(builtin("brainstorm", None), None);
    assert_eq!(DILEMMA_VARIANTS, &["question_first", "clarify_first"]);
}

#[test]
fn serde_round_trip_with_snake_case_tags() {
    for m in builtin_methods() {
        let json = serde_json::to_string(&m).unwrap();
        let back: Method = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
    }
    let json = serde_json::to_value(get("balint")).unwrap();
    assert_eq!(json["family"], "intervision");
    assert_eq!(json["output"], "advice");
    assert_eq!(json["min_participants"], 5);
    let associations = &json["rounds"][5];
    assert_eq!(associations["kind"], "silent_write");
    assert_eq!(associations["contributors"], "all_but_presenter");
    assert_eq!(associations["anonymity"], "pseudonymous");
    assert_eq!(associations["reveal"], "when_all_submitted");
    assert_eq!(json["rounds"][8]["presenter_view"], "listen_only");
}

#[test]
fn a_built_in_can_be_copied_and_adapted() {
    for m in builtin_methods() {
        let mut value = serde_json::to_value(&m).unwrap();
        value["key"] = format!("mijn_{}", m.key).into();
        let copy = validate_custom(&value.to_string()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(copy.rounds, m.rounds);
        assert_eq!(copy.key, format!("mijn_{}", m.key));
    }
}

#[test]
fn dilemma_method() {
    use Contributors::*;
    use RoundKind::*;
    let m = get("dilemma");
    assert_eq!((m.family, m.output), (Family::MoralDeliberation, Output::Decision));
    assert_eq!(m.rounds.len(), 10);
    assert_eq!(minutes(&m), [5, 10, 10, 10, 15, 5, 10, 15, 5, 5]);
    assert_eq!(m.total_minutes(), 90);
    assert_eq!(
        kinds(&m),
        [Narrative, Narrative, Options, Questions, Matrix, Options, Choice, Dialogue, Conclusion, Evaluation]
    );
    let who: Vec<Contributors> = m.rounds.iter().map(|r| r.contributors).collect();
    assert_eq!(
        who,
        [
            ModeratorOnly,
            PresenterOnly,
            PresenterOnly,
            AllButPresenter,
            Everyone,
            Everyone,
            Everyone,
            Everyone,
            Everyone,
            Everyone
        ]
    );
    assert!(m.rounds[1].prompt.nl.contains("hittepunt"));
    assert!(m.rounds[2].prompt.nl.contains("optie A en optie B"));
    assert!(m.rounds[3].rule.as_ref().unwrap().nl.starts_with("Alleen vragen, geen adviezen"));
    assert!(m.rounds[3].rule.as_ref().unwrap().en.starts_with("Questions only"));
    // Step 7: individual judgement, silent-write with the fill-in.
    let judgement = &m.rounds[6];
    assert_eq!(judgement.reveal, Reveal::WhenAllSubmitted);
    assert!(judgement.is_hidden());
    assert!(judgement.prompt.nl.contains("Ik zou kiezen voor … vanwege de waarde … ook al schaadt dit"));
    assert!(judgement.prompt.en.contains("I would choose … because of the value … even though this harms"));
    assert!(m.rounds[9].takes_turns(), "evaluation is round-robin");
    assert_eq!(m.rounds.iter().filter(|r| r.is_hidden()).count(), 1);

    let swapped = builtin("dilemma", Some("clarify_first")).unwrap();
    assert_eq!(swapped.rounds[2], m.rounds[3]);
    assert_eq!(swapped.rounds[3], m.rounds[2]);
    assert_eq!(swapped.rounds[4..], m.rounds[4..]);
    assert_eq!(swapped.variant.as_deref(), Some("clarify_first"));
    assert_ne!(swapped.name, m.name);
}

#[test]
fn nijmegen_method() {
    let m = get("nijmegen");
    assert_eq!((m.family, m.output), (Family::MoralDeliberation, Output::Decision));
    assert_eq!(m.rounds.len(), 4);
    assert_eq!(
        kinds(&m),
        [RoundKind::Dialogue, RoundKind::Questions, RoundKind::Matrix, RoundKind::Conclusion]
    );
    let facts = &m.rounds[1].prompt.nl;
    for dimension in [
        "juridisch",
        "financieel",
        "psychosociaal",
        "levensbeschouwelijk",
        "organisatorisch",
        "werk en participatie",
    ] {
        assert!(facts.contains(dimension), "{dimension}");
    }
    assert!(m.rounds[3].prompt.nl.contains("plan"));
}

#[test]
fn socratic_dialogue() {
    let m = get("socratic");
    assert_eq!(m.output, Output::Insight);
    assert_eq!(m.rounds.len(), 11);
    assert_eq!(m.rounds[2].kind, RoundKind::Selection, "examples, the group picks one");
    assert_eq!(m.rounds[3].kind, RoundKind::Questions, "clarify the example");
    assert!(m.rounds[4].prompt.nl.contains("„Toen … deed/dacht/voelde ik … omdat …”"));
    let own = &m.rounds[7];
    assert_eq!(own.kind, RoundKind::SilentWrite);
    assert_eq!(own.contributors, Contributors::Everyone);
    assert_eq!(m.rounds[10].kind, RoundKind::Evaluation);
    assert!(m.rounds.iter().any(|r| r.rule.as_ref().is_some_and(|rule| rule.nl.contains("Geen adviezen"))));
}

#[test]
fn cura() {
    let m = get("cura");
    assert_eq!(m.rounds.len(), 4);
    assert_eq!(m.total_minutes(), 25);
    let keys: Vec<&str> = m.rounds.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["concentrate", "unrush", "reflect", "act"]);
    assert!(m.rounds.iter().all(|r| r.contributors == Contributors::Everyone), "alone or in a small group");
}

#[test]
fn incident_method() {
    use RoundKind::*;
    let m = get("incident");
    assert_eq!(m.family, Family::Intervision);
    assert_eq!(m.rounds.len(), 10);
    assert_eq!(
        kinds(&m),
        [
            Selection,
            Narrative,
            SilentWrite,
            Questions,
            Dialogue,
            SilentWrite,
            Dialogue,
            Narrative,
            Dialogue,
            Evaluation
        ]
    );
    assert!(m.rounds[1].rule.as_ref().unwrap().nl.contains("nog niet"), "no outcome yet");
    assert!(m.rounds[2].is_hidden() && m.rounds[5].is_hidden());
    assert_eq!(m.rounds[7].contributors, Contributors::PresenterOnly, "what they actually did");
}

#[test]
fn short_incident_method() {
    let m = get("incident_short");
    assert_eq!(m.rounds.len(), 7);
    assert_eq!(minutes(&m), [5, 10, 5, 15, 10, 10, 10]);
    assert_eq!(m.total_minutes(), 65);
    assert_eq!(m.rounds[0].kind, RoundKind::LookBack);
    assert_eq!(m.rounds[4].presenter_view, PresenterView::Absent, "analysis without the presenter");
    let advice = &m.rounds[5];
    assert_eq!(advice.presenter_view, PresenterView::ListenOnly);
    assert_eq!(advice.kind, RoundKind::RoundRobin);
    assert!(advice.takes_turns());
    assert!(m.rounds[6].prompt.nl.starts_with("De inbrenger begint"), "presenter first");
}

#[test]
fn balint_method() {
    use RoundKind::*;
    let m = get("balint");
    assert_eq!(m.rounds.len(), 11);
    assert_eq!(m.min_participants, Some(5));
    assert_eq!(
        kinds(&m),
        [
            Selection,
            Selection,
            Selection,
            Narrative,
            Narrative,
            SilentWrite,
            Questions,
            SilentWrite,
            Dialogue,
            Narrative,
            Evaluation
        ]
    );
    assert!(m.rounds[1].rule.as_ref().unwrap().nl.contains("drie zinnen"));
    assert!(m.rounds[4].rule.as_ref().unwrap().nl.contains("nog niet"));
    assert!(m.rounds[5].is_pseudonymous());
    assert!(m.rounds[7].is_hidden());
    assert_eq!(m.rounds[8].presenter_view, PresenterView::ListenOnly);
}

#[test]
fn gossip_method() {
    let m = get("gossip");
    assert_eq!(m.rounds.len(), 5);
    assert!(m.rounds[0].prompt.nl.contains("zonder de afloop"));
    assert!(m.rounds[0].prompt.nl.contains("leervraag"));
    let gossip = &m.rounds[2];
    assert_eq!(gossip.presenter_view, PresenterView::ListenOnly);
    assert_eq!(gossip.contributors, Contributors::AllButPresenter);
    assert_eq!(m.rounds[3].contributors, Contributors::PresenterOnly, "harvest");
}

#[test]
fn five_step_method() {
    let m = get("five_step");
    assert_eq!(m.rounds.len(), 5);
    assert_eq!(m.rounds[1].kind, RoundKind::Questions);
    assert!(m.rounds[3].prompt.nl.contains("welk advies"));
    assert_eq!(m.rounds[4].contributors, Contributors::PresenterOnly, "evaluation by the presenter");
}
