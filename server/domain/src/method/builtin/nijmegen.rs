//! Nijmegen method (Steinkamp & Gordijn, 2003): prospective and decision-oriented, four phases.
//! The moderator picks guiding questions from a bank of about fifty; the facts are gathered by
//! dimension, here the dimensions that matter under the Participatiewet.

use super::{round, RoundExt};
use crate::method::{Contributors::*, Family, Localized, Method, Output, RoundKind::*};

pub(super) fn method() -> Method {
    Method {
        key: "nijmegen".into(),
        variant: None,
        name: Localized::new("Nijmeegse methode", "Nijmegen method"),
        description: Localized::new(
            "Vooruitkijkend en gericht op een besluit: het morele probleem, de feiten per \
             dimensie, de morele afweging van waarden en normen, en een beargumenteerd besluit \
             met een plan om het uit te voeren (Steinkamp & Gordijn, 2003).",
            "Prospective and decision-oriented: the moral problem, the facts by dimension, the \
             moral evaluation of values and norms, and a decision with justified reasons and a \
             plan to carry it out (Steinkamp & Gordijn, 2003).",
        ),
        family: Family::MoralDeliberation,
        output: Output::Decision,
        min_participants: None,
        rounds: vec![
            round(
                "moral_problem",
                Dialogue,
                15,
                Everyone,
                ("Het morele probleem", "The moral problem"),
                (
                    "Wat is het morele probleem? Formuleer samen de vraag waarover besloten moet \
                     worden en waarom die moreel lastig is.",
                    "What is the moral problem? Together, phrase the question to be decided and \
                     why it is morally difficult.",
                ),
            ),
            round(
                "facts",
                Questions,
                25,
                AllButPresenter,
                ("Feiten per dimensie", "Facts by dimension"),
                (
                    "Verzamel de feiten per dimensie: juridisch, financieel, psychosociaal en \
                     levensbeschouwelijk, organisatorisch, en werk en participatie. Wat weten we, \
                     en wat weten we niet?",
                    "Gather the facts by dimension: legal, financial, psychosocial and life view, \
                     organisational, and work and participation. What do we know, and what don't \
                     we know?",
                ),
            )
            .rule(
                "Vraag naar feiten; bewaar oordelen voor de volgende fase.",
                "Ask for facts; keep judgements for the next phase.",
            ),
            round(
                "moral_evaluation",
                Matrix,
                25,
                Everyone,
                ("Morele afweging", "Moral evaluation"),
                (
                    "Welke waarden en normen staan op het spel, en voor wie? Noteer per \
                     betrokkene het perspectief, de waarde en de norm.",
                    "Which values and norms are at stake, and for whom? Note, for each \
                     stakeholder, the perspective, the value and the norm.",
                ),
            ),
            round(
                "decision",
                Conclusion,
                25,
                Everyone,
                ("Besluit", "Decision"),
                (
                    "Neem een besluit met beargumenteerde redenen. Leg een minderheidsstandpunt \
                     vast en maak een plan: wat gebeurt er, door wie en wanneer?",
                    "Take a decision with justified reasons. Record any dissent and make a plan: \
                     what happens, by whom and when?",
                ),
            ),
        ],
    }
}
