//! Dilemma method (moreel beraad; Stolper, Widdershoven, Molewijk): ten steps, 90 minutes,
//! in three phases — forming the picture (2–6), forming a judgement (7), deciding (8–9).
//! Published versions differ on the order of steps 3 and 4, so a session chooses it.

use super::{questions_only, round, RoundExt};
use crate::method::{Contributors::*, Family, Localized, Method, Output, Reveal, RoundKind::*};

pub(super) const QUESTION_FIRST: &str = "question_first";
pub(super) const CLARIFY_FIRST: &str = "clarify_first";

/// The order of step 3 (moral question and dilemma) and step 4 (clarifying questions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Order34 {
    /// Moral question and dilemma first, then clarifying questions.
    QuestionFirst,
    /// Clarifying questions first, then moral question and dilemma.
    ClarifyFirst,
}

impl Order34 {
    pub(super) fn from_key(key: &str) -> Option<Self> {
        match key {
            QUESTION_FIRST => Some(Self::QuestionFirst),
            CLARIFY_FIRST => Some(Self::ClarifyFirst),
            _ => None,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::QuestionFirst => QUESTION_FIRST,
            Self::ClarifyFirst => CLARIFY_FIRST,
        }
    }
}

pub(super) fn method(order: Order34) -> Method {
    let introduction = round(
        "introduction",
        Narrative,
        5,
        ModeratorOnly,
        ("Introductie", "Introduction"),
        (
            "De gespreksleider licht het doel van het beraad toe, loopt de stappen langs en \
             spreekt de gespreksregels en de vertrouwelijkheid af.",
            "The moderator explains the aim of the deliberation, goes through the steps and \
             agrees the ground rules and confidentiality.",
        ),
    );
    let case = round(
        "case",
        Narrative,
        10,
        PresenterOnly,
        ("Casus", "The case"),
        (
            "De inbrenger vertelt de casus: de feiten op een tijdlijn, tot aan het hittepunt — \
             het moment waarop het dilemma het sterkst werd gevoeld.",
            "The presenter tells the case: the facts on a timeline, up to the moment of heat — \
             when the dilemma was felt most strongly.",
        ),
    );
    let moral_question = round(
        "moral_question",
        Options,
        10,
        PresenterOnly,
        ("Morele vraag en dilemma", "Moral question and dilemma"),
        (
            "Formuleer vanuit het hittepunt de morele vraag: wat is hier het goede om te doen? \
             Beschrijf optie A en optie B, elk met de schade die ontstaat als je ervoor kiest. \
             De gespreksleider helpt bij het formuleren.",
            "From the moment of heat, phrase the moral question: what is the right thing to do \
             here? Describe option A and option B, each with the harm done if you choose it. \
             The moderator helps with the wording.",
        ),
    );
    let clarifying = round(
        "clarifying_questions",
        Questions,
        10,
        AllButPresenter,
        ("Verhelderingsvragen", "Clarifying questions"),
        (
            "Stel vragen om de situatie van de inbrenger beter te begrijpen. Alleen de \
             inbrenger antwoordt.",
            "Ask questions to understand the presenter's situation better. Only the presenter \
             answers.",
        ),
    )
    .rule(questions_only().0, questions_only().1);
    let (step3, step4) = match order {
        Order34::QuestionFirst => (moral_question, clarifying),
        Order34::ClarifyFirst => (clarifying, moral_question),
    };
    let (name_nl, name_en) = match order {
        Order34::QuestionFirst => (
            "Dilemmamethode (morele vraag vóór verhelderingsvragen)",
            "Dilemma method (moral question before clarifying questions)",
        ),
        Order34::ClarifyFirst => (
            "Dilemmamethode (verhelderingsvragen vóór morele vraag)",
            "Dilemma method (clarifying questions before moral question)",
        ),
    };
    Method {
        key: "dilemma".into(),
        variant: Some(order.key().into()),
        name: Localized::new(name_nl, name_en),
        description: Localized::new(
            "Moreel beraad over een dilemma: een keuze tussen (meestal twee) opties die elkaar \
             uitsluiten en die elk morele schade veroorzaken. Tien stappen in drie fasen: \
             beeldvorming, oordeelsvorming en besluitvorming (Stolper, Widdershoven, Molewijk).",
            "Moral case deliberation on a dilemma: a choice between (usually two) mutually \
             exclusive options that each cause moral damage. Ten steps in three phases: forming \
             the picture, forming a judgement and deciding (Stolper, Widdershoven, Molewijk).",
        ),
        family: Family::MoralDeliberation,
        output: Output::Decision,
        min_participants: None,
        rounds: vec![
            introduction,
            case,
            step3,
            step4,
            round(
                "perspectives",
                Matrix,
                15,
                Everyone,
                ("Perspectieven, waarden en normen", "Perspectives, values and norms"),
                (
                    "Breng per betrokkene in kaart: wat is zijn of haar perspectief, welke waarde \
                     staat op het spel, en welke norm volgt daaruit — wat moet er dus gebeuren?",
                    "For each stakeholder: what is their perspective, which value is at stake, \
                     and which norm follows from it — so what should be done?",
                ),
            ),
            round(
                "alternatives",
                Options,
                5,
                Everyone,
                ("Alternatieven", "Alternatives"),
                (
                    "Zijn er mogelijkheden buiten optie A en optie B? Noem ze, elk met de schade \
                     die ze kunnen aanrichten.",
                    "Are there options beyond A and B? Name them, each with the harm they may do.",
                ),
            ),
            round(
                "individual_judgement",
                Choice,
                10,
                Everyone,
                ("Individuele afweging", "Individual judgement"),
                (
                    "Vul voor jezelf in, zonder de antwoorden van anderen te zien: „Ik zou kiezen \
                     voor … vanwege de waarde … ook al schaadt dit … ; ik beperk de schade door … ; \
                     daarvoor heb ik nodig …”. Alle afwegingen worden tegelijk zichtbaar zodra \
                     iedereen heeft ingeleverd of de gespreksleider ze vrijgeeft.",
                    "Fill in on your own, without seeing the others' answers: “I would choose … \
                     because of the value … even though this harms … ; I limit the damage by … ; \
                     to do this I need …”. All judgements become visible at once when everyone has \
                     submitted or the moderator reveals them.",
                ),
            )
            .one_each()
            .reveal(Reveal::WhenAllSubmitted)
            .rule(
                "Schrijf eerst alleen; bespreek pas na het vrijgeven.",
                "Write alone first; discuss only after the reveal.",
            ),
            round(
                "dialogue",
                Dialogue,
                15,
                Everyone,
                ("Dialoog", "Dialogue"),
                (
                    "Bespreek de overeenkomsten en verschillen tussen de afwegingen. Onderzoek \
                     elkaars argumenten en benoem waarover je het oneens blijft.",
                    "Discuss the similarities and differences between the judgements. Examine \
                     each other's arguments and name where you still disagree.",
                ),
            ),
            round(
                "conclusion",
                Conclusion,
                5,
                Everyone,
                ("Conclusie en acties", "Conclusion and actions"),
                (
                    "Wat is de conclusie, en wat is de onderbouwing? Leg een minderheidsstandpunt \
                     vast. Spreek acties af: wat, wie en wanneer. De inbrenger staat centraal.",
                    "What is the conclusion, and what is its reasoning? Record any dissent. Agree \
                     actions: what, who and when. The presenter is central.",
                ),
            ),
            round(
                "evaluation",
                Evaluation,
                5,
                Everyone,
                ("Evaluatie", "Evaluation"),
                (
                    "Ieder om de beurt: hoe ging het beraad, en wat doen we de volgende keer anders?",
                    "In turn: how did the deliberation go, and what do we do differently next time?",
                ),
            )
            .in_turns(),
        ],
    }
}
