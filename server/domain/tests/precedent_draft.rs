//! From session to precedent: the draft a concluded dilemma session yields.

mod session_support;

use beraad_domain::method::builtin;
use beraad_domain::precedent::{self, CalendarDate, DraftContext, DraftError, OutcomeType, Status};
use beraad_domain::session::*;
use session_support::*;

fn choice(option: &str, value: &str, harmed: &str) -> Content {
    Content::Choice {
        option: option.into(),
        supporting_value: value.into(),
        harmed_value: harmed.into(),
        damage_limitation: "uitleggen waarom".into(),
        needs: "steun".into(),
    }
}

fn ctx() -> DraftContext {
    DraftContext {
        organisation: "LOCAL".into(),
        team: String::new(),
        drafted_on: "2025-06-16".parse().unwrap(),
        by: "gespreksleider".into(),
        related: Vec::new(),
    }
}

fn conclude(h: &mut Harness) {
    h.run(
        "mod",
        Command::Conclude {
            conclusion: "Geen verlaging zonder eerst een gesprek.".into(),
            reasoning: "Bestaanszekerheid weegt zwaarder.".into(),
            dissent: "Twee deelnemers kiezen A.".into(),
            actions: vec![ActionItem {
                what: "Werkinstructie aanpassen".into(),
                who: "teamleider".into(),
                when: "2025-07-01".into(),
            }],
        },
    );
}

/// A dilemma session up to the individual judgement, with the picture formed.
fn up_to_judgement() -> Harness {
    let mut h = Harness::new(builtin("dilemma", Some("question_first")).unwrap(), false);
    full_group(&mut h);
    h.run("mod", Command::Start);
    h.next();
    h.say("pres", text("Maandag afspraak gemist, dinsdag ziek gemeld."));
    h.next();
    h.say("pres", text("Een notitie bij de opties."));
    h.run("pres", Command::SetMoralQuestion { text: "Moet ik de verlaging opleggen?".into() });
    h.say("pres", Content::Option { label: "A: verlagen".into(), damage: "geldnood".into() });
    h.say("pres", Content::Option { label: "B: niet verlagen".into(), damage: "ongelijkheid".into() });
    h.next();
    h.next();
    h.say("p3", matrix_row("cliënt"));
    h.next();
    h.say("p5", Content::Option { label: "Eerst een gesprek".into(), damage: "vertraging".into() });
    h.next();
    assert_eq!(h.current_key().as_deref(), Some("individual_judgement"));
    h
}

#[test]
fn a_concluded_dilemma_session_drafts_its_precedent() {
    let mut h = up_to_judgement();
    // p2 chooses first, then p1; p2 changes their mind before the reveal: the new choice
    // replaces the first one, which no longer counts (nor decides the numbering).
    h.say("p2", choice("B", "menselijkheid", "gelijkheid"));
    h.say("p1", choice("A", "gelijkheid", "bestaanszekerheid"));
    h.say("p2", choice("B", "bestaanszekerheid", "gelijkheid"));
    for who in ["pres", "p3", "p4", "p5", "p6"] {
        h.say(who, choice("B", "menselijkheid", "gelijkheid"));
    }
    h.go_to("conclusion");
    assert_eq!(precedent::draft(&h.state, &ctx()).unwrap_err(), DraftError::NotConcluded);
    conclude(&mut h);
    h.go_to("evaluation");
    h.run("mod", Command::PassTurn);
    h.say("p1", Content::Evaluation { text: "Goed getimed.".into() });
    h.next();
    assert_eq!(h.state.phase(), Phase::Concluding);
    assert!(precedent::can_draft(&h.state));
    h.run("mod", Command::End);

    let p = precedent::draft(&h.state, &ctx()).unwrap();
    assert_eq!(p.title, "Verlaging bij ziekte");
    assert_eq!(p.case_text, "Een cliënt meldt zich ziek op de dag van een verplichte afspraak.");
    assert_eq!(p.moral_question, "Moet ik de verlaging opleggen?");
    let options: Vec<(&str, &str)> =
        p.options.iter().map(|o| (o.label.as_str(), o.damage.as_str())).collect();
    assert_eq!(options, [("A: verlagen", "geldnood"), ("B: niet verlagen", "ongelijkheid")]);
    assert_eq!(p.alternatives, ["Eerst een gesprek (schade: vertraging)"]);
    assert_eq!(p.perspectives.len(), 1);
    assert_eq!(p.perspectives[0].value, "bestaanszekerheid");
    // Seven positions, numbered in order of the choices that count, never under a display name.
    assert_eq!(p.positions.len(), 7);
    assert_eq!(p.positions[0].pseudonym, "deelnemer 1");
    assert_eq!((p.positions[0].choice.as_str(), p.positions[0].value.as_str()), ("A", "gelijkheid"));
    assert_eq!(
        (p.positions[1].pseudonym.as_str(), p.positions[1].choice.as_str(), p.positions[1].value.as_str()),
        ("deelnemer 2", "B", "bestaanszekerheid")
    );
    assert_eq!(p.positions[6].pseudonym, "deelnemer 7");
    let json = serde_json::to_string(&p).unwrap();
    for (_, name) in everyone() {
        assert!(!json.contains(name), "{name} appears in the draft");
    }
    assert_eq!(p.conclusion, "Geen verlaging zonder eerst een gesprek.");
    assert_eq!(p.reasoning, "Bestaanszekerheid weegt zwaarder.");
    assert_eq!(p.dissent.len(), 1);
    assert_eq!(p.dissent[0].position, "Twee deelnemers kiezen A.");
    assert_eq!(p.actions.len(), 1);
    assert_eq!(p.actions[0].when, Some("2025-07-01".parse::<CalendarDate>().unwrap()));
    assert_eq!(p.evaluation.as_deref(), Some("Goed getimed."));
    assert!(p.values.contains(&"bestaanszekerheid".to_string()));
    // Supporting and harmed values are separate lists.
    assert!(p.values.contains(&"menselijkheid".to_string()));
    let mut harmed = p.harmed_values.clone();
    harmed.sort();
    assert_eq!(harmed, ["bestaanszekerheid", "gelijkheid"]);
    assert_eq!(p.method.method, "dilemma");
    assert_eq!(p.organisation.as_deref(), Some("LOCAL"));
    assert_eq!(p.session_date, Some("2025-06-15".parse().unwrap()));
    assert_eq!((p.status, p.version, p.citation.clone()), (Status::Draft, 1, None));
    assert_eq!(p.outcome, OutcomeType::Other);
    assert_eq!(p.status_history.len(), 1);
    // A draft passes the save check; adoption still wants a summary.
    assert!(precedent::validate(&p, false).is_ok());
    assert!(precedent::check_adoptable(&p).is_err());
}

#[test]
fn hidden_choices_that_were_never_revealed_stay_out() {
    let mut h = up_to_judgement();
    h.say("p1", choice("A", "GEHEIM", "x"));
    let index = h.state.current_round().unwrap();
    h.run("mod", Command::SkipRound { index });
    h.go_to("conclusion");
    conclude(&mut h);
    h.run("mod", Command::End);
    let p = precedent::draft(&h.state, &ctx()).unwrap();
    assert!(p.positions.is_empty());
    assert!(!serde_json::to_string(&p).unwrap().contains("GEHEIM"));
}

#[test]
fn a_running_session_has_no_draft_yet() {
    let h = up_to_judgement();
    assert!(!precedent::can_draft(&h.state));
    assert_eq!(precedent::draft(&h.state, &ctx()).unwrap_err(), DraftError::NotConcluded);
}
