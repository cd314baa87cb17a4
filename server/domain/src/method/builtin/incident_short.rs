//! Short incident method (about 65 minutes): look back, submit and choose a case, questions,
//! an analysis without the presenter and an advice round the presenter only listens to.

use super::{questions_only, round, RoundExt};
use crate::method::{Contributors::*, Family, Localized, Method, Output, PresenterView, RoundKind::*};

pub(super) fn method() -> Method {
    Method {
        key: "incident_short".into(),
        variant: None,
        name: Localized::new("Korte incidentmethode", "Short incident method"),
        description: Localized::new(
            "Intervisie in ongeveer 65 minuten: terugblik op de vorige keer, casussen \
             inbrengen en kiezen, vragen zonder adviezen, een analyse zonder de inbrenger en een \
             adviesronde waarnaar de inbrenger alleen luistert.",
            "Intervision in about 65 minutes: a look back on last time, submitting and choosing \
             cases, questions without advice, an analysis without the presenter and an advice \
             round the presenter only listens to.",
        ),
        family: Family::Intervision,
        output: Output::Advice,
        min_participants: None,
        rounds: vec![
            round(
                "look_back",
                LookBack,
                5,
                Everyone,
                ("Terugblik", "Look back"),
                (
                    "Kijk terug op de vorige bijeenkomst: zijn de afspraken uitgevoerd, en wat \
                     leverde het op?",
                    "Look back on the last meeting: were the actions carried out, and what did \
                     they bring?",
                ),
            ),
            round(
                "submit_cases",
                Selection,
                10,
                Everyone,
                ("Casussen inbrengen", "Submit cases"),
                (
                    "Breng een casus uit je eigen werk in, in een paar zinnen.",
                    "Submit a case from your own work, in a few sentences.",
                ),
            ),
            round(
                "choose_case",
                Selection,
                5,
                Everyone,
                ("Casus kiezen", "Choose a case"),
                (
                    "Kies de casus die besproken wordt; de gespreksleider wijst de inbrenger aan.",
                    "Choose the case to discuss; the moderator sets its presenter.",
                ),
            ),
            round(
                "questions",
                Questions,
                15,
                AllButPresenter,
                ("Vragen", "Questions"),
                (
                    "Stel vragen om de casus te begrijpen; de inbrenger antwoordt.",
                    "Ask questions to understand the case; the presenter answers.",
                ),
            )
            .rule(questions_only().0, questions_only().1),
            round(
                "analysis",
                Dialogue,
                10,
                AllButPresenter,
                ("Analyse zonder inbrenger", "Analysis without the presenter"),
                (
                    "Analyseer samen de casus. De inbrenger is er even niet bij en ziet deze \
                     ronde pas als ze is afgelopen.",
                    "Analyse the case together. The presenter steps out and sees this round only \
                     once it has ended.",
                ),
            )
            .presenter(PresenterView::Absent),
            round(
                "advice",
                RoundRobin,
                10,
                AllButPresenter,
                ("Adviesronde", "Advice round"),
                (
                    "Geef om de beurt één advies aan de inbrenger.",
                    "In turn, each give the presenter one piece of advice.",
                ),
            )
            .listening(
                "De inbrenger luistert en reageert niet.",
                "The presenter listens and does not react.",
            ),
            round(
                "evaluation",
                Evaluation,
                10,
                Everyone,
                ("Evaluatie en vervolg", "Evaluation and next steps"),
                (
                    "De inbrenger begint: wat neem je mee, en wat ga je doen? Daarna de anderen: \
                     hoe verliep de bijeenkomst?",
                    "The presenter starts: what do you take away, and what will you do? Then the \
                     others: how did the meeting go?",
                ),
            ),
        ],
    }
}
