//! Incident method (Hendriksen): ten rounds. The presenter stops the story at the decision
//! point; the group asks, analyses and takes written positions before hearing what happened.

use super::{evaluation, questions_only, round, RoundExt};
use crate::method::{Contributors::*, Family, Localized, Method, Output, RoundKind::*};

pub(super) fn method() -> Method {
    Method {
        key: "incident".into(),
        variant: None,
        name: Localized::new("Incidentmethode", "Incident method"),
        description: Localized::new(
            "Intervisie in tien rondes (Hendriksen). De inbrenger vertelt een incident tot aan \
             het beslismoment; de groep vraagt, analyseert en neemt schriftelijk stelling \
             voordat de inbrenger vertelt wat er werkelijk gebeurde.",
            "Intervision in ten rounds (Hendriksen). The presenter tells an incident up to the \
             decision point; the group asks, analyses and takes written positions before the \
             presenter tells what actually happened.",
        ),
        family: Family::Intervision,
        output: Output::Advice,
        min_participants: None,
        rounds: vec![
            round(
                "choose_incident",
                Selection,
                10,
                Everyone,
                ("Incident kiezen", "Choose an incident"),
                (
                    "Draag een incident uit je eigen werk aan in een paar zinnen, en kies samen \
                     welk incident besproken wordt.",
                    "Put forward an incident from your own work in a few sentences, and choose \
                     together which one is discussed.",
                ),
            ),
            round(
                "sketch",
                Narrative,
                10,
                PresenterOnly,
                ("Schets van het incident", "Sketch of the incident"),
                (
                    "De inbrenger schetst het incident tot aan het moment waarop een beslissing \
                     moest worden genomen.",
                    "The presenter sketches the incident up to the moment a decision had to be \
                     taken.",
                ),
            )
            .rule(
                "Vertel nog niet wat je hebt gedaan of hoe het afliep.",
                "Do not tell yet what you did or how it ended.",
            ),
            round(
                "write_questions",
                SilentWrite,
                5,
                AllButPresenter,
                ("Informatievragen opschrijven", "Write information questions"),
                (
                    "Schrijf voor jezelf op welke informatie je nog nodig hebt om het incident te \
                     begrijpen.",
                    "Write down for yourself what information you still need to understand the \
                     incident.",
                ),
            ),
            round(
                "information_round",
                Questions,
                15,
                AllButPresenter,
                ("Informatieronde", "Information round"),
                (
                    "Stel je informatievragen; de inbrenger antwoordt.",
                    "Ask your information questions; the presenter answers.",
                ),
            )
            .rule(questions_only().0, questions_only().1),
            round(
                "analysis",
                Dialogue,
                10,
                Everyone,
                ("Analyse", "Analysis"),
                (
                    "Wat is hier eigenlijk aan de hand? Breng samen de kern van het probleem in \
                     beeld.",
                    "What is really going on here? Together, bring the core of the problem into \
                     view.",
                ),
            ),
            round(
                "positions",
                SilentWrite,
                5,
                AllButPresenter,
                ("Stellingname", "Positions"),
                (
                    "Schrijf op: wat zou ik doen op het beslismoment, en waarom? Alle standpunten \
                     worden tegelijk zichtbaar.",
                    "Write down: what would I do at the decision point, and why? All positions \
                     become visible at once.",
                ),
            )
            .one_each(),
            round(
                "discuss_positions",
                Dialogue,
                15,
                Everyone,
                ("Standpunten bespreken", "Discuss the positions"),
                (
                    "Bespreek de standpunten: waar lopen ze uiteen, en welke overwegingen liggen \
                     eronder?",
                    "Discuss the positions: where do they differ, and which considerations lie \
                     underneath?",
                ),
            ),
            round(
                "what_happened",
                Narrative,
                5,
                PresenterOnly,
                ("Wat er werkelijk gebeurde", "What actually happened"),
                (
                    "De inbrenger vertelt wat hij of zij werkelijk heeft gedaan en hoe het \
                     afliep.",
                    "The presenter tells what they actually did and how it ended.",
                ),
            ),
            round(
                "closing_discussion",
                Dialogue,
                10,
                Everyone,
                ("Slotbespreking", "Closing discussion"),
                (
                    "Wat leren we hiervan? Wat neemt ieder mee naar het eigen werk?",
                    "What do we learn from this? What does each take back to their own work?",
                ),
            ),
            evaluation(),
        ],
    }
}
