//! Socratic dialogue (Nelson/Heckmann; in the Netherlands Kessels, Bolten): eleven rounds.
//! No decision and no advice: the output is insight into justifications and underlying values.
//! The moderator gives no content.

use super::{round, RoundExt};
use crate::method::{Contributors::*, Family, Localized, Method, Output, RoundKind::*};

const NO_ADVICE: (&str, &str) = (
    "Geen adviezen of oordelen: het gaat om inzicht in redenen en waarden.",
    "No advice or judgement: the aim is insight into reasons and values.",
);

pub(super) fn method() -> Method {
    Method {
        key: "socratic".into(),
        variant: None,
        name: Localized::new("Socratisch gesprek", "Socratic dialogue"),
        description: Localized::new(
            "Een gezamenlijk onderzoek naar een vraag aan de hand van één concreet voorbeeld. \
             Geen besluit en geen advies: het resultaat is inzicht in rechtvaardigingen en de \
             waarden eronder (Nelson, Heckmann; Kessels, Bolten).",
            "A joint inquiry into a question, through one concrete example. No decision and no \
             advice: the result is insight into justifications and their underlying values \
             (Nelson, Heckmann; Kessels, Bolten).",
        ),
        family: Family::MoralDeliberation,
        output: Output::Insight,
        min_participants: None,
        rounds: vec![
            round(
                "theme",
                Narrative,
                5,
                ModeratorOnly,
                ("Thema", "Theme"),
                (
                    "De gespreksleider introduceert het thema van het gesprek.",
                    "The moderator introduces the theme of the dialogue.",
                ),
            ),
            round(
                "starting_question",
                Narrative,
                5,
                ModeratorOnly,
                ("Startvraag", "Starting question"),
                (
                    "De gespreksleider legt de startvraag voor waarop het gesprek een antwoord \
                     zoekt.",
                    "The moderator puts the starting question the dialogue seeks to answer.",
                ),
            ),
            round(
                "examples",
                Selection,
                15,
                Everyone,
                ("Voorbeelden", "Examples"),
                (
                    "Geef elk een concreet voorbeeld uit je eigen praktijk waarin de startvraag \
                     speelde. Kies daarna samen één voorbeeld; wie het inbracht, wordt de \
                     voorbeeldgever.",
                    "Each offer a concrete example from your own practice in which the starting \
                     question arose. Then pick one example together; whoever offered it becomes \
                     the example giver.",
                ),
            ),
            round(
                "clarify_example",
                Questions,
                15,
                AllButPresenter,
                ("Voorbeeld verhelderen", "Clarify the example"),
                (
                    "Stel de voorbeeldgever vragen, zodat iedereen zich het voorbeeld kan \
                     voorstellen alsof hij of zij erbij was.",
                    "Ask the example giver questions, until everyone can picture the example as \
                     if they had been there.",
                ),
            )
            .rule(NO_ADVICE.0, NO_ADVICE.1),
            round(
                "core_statement",
                Narrative,
                10,
                PresenterOnly,
                ("Kernuitspraak", "Core statement"),
                (
                    "De voorbeeldgever benoemt het kantelpunt en formuleert de kernuitspraak: \
                     „Toen … deed/dacht/voelde ik … omdat …”.",
                    "The example giver names the turning point and phrases the core statement: \
                     “When … I did/thought/felt … because …”.",
                ),
            ),
            round(
                "justification",
                Dialogue,
                10,
                Everyone,
                ("Rechtvaardiging", "Justification"),
                (
                    "Waarom was dit goed of juist? Onderzoek samen met de voorbeeldgever de \
                     redenen achter de kernuitspraak.",
                    "Why was this good or right? Examine, with the example giver, the reasons \
                     behind the core statement.",
                ),
            )
            .rule(NO_ADVICE.0, NO_ADVICE.1),
            round(
                "statement_recorded",
                Narrative,
                5,
                PresenterOnly,
                ("Kernuitspraak en rechtvaardiging vastleggen", "Core statement and justification recorded"),
                (
                    "Leg de kernuitspraak en de rechtvaardiging vast in de woorden van de \
                     voorbeeldgever.",
                    "Write down the core statement and justification in the example giver's \
                     words.",
                ),
            ),
            round(
                "own_statements",
                SilentWrite,
                10,
                Everyone,
                ("Ieders eigen kernuitspraak", "Everyone's own core statement"),
                (
                    "Schrijf voor jezelf op: zou jij in die situatie hetzelfde hebben gedaan, \
                     gedacht of gevoeld, en waarom? Alle uitspraken worden tegelijk zichtbaar.",
                    "Write down for yourself: would you have done, thought or felt the same in \
                     that situation, and why? All statements become visible at once.",
                ),
            )
            .one_each(),
            round(
                "joint_inquiry",
                Dialogue,
                20,
                Everyone,
                ("Gezamenlijk onderzoek", "Joint inquiry"),
                (
                    "Onderzoek samen de verschillen en overeenkomsten tussen de uitspraken. De \
                     gespreksleider kan vragen iemands woorden in eigen woorden te herhalen.",
                    "Examine together the differences and similarities between the statements. \
                     The moderator may ask someone to restate another's words.",
                ),
            )
            .rule(NO_ADVICE.0, NO_ADVICE.1),
            round(
                "values_and_consensus",
                Conclusion,
                15,
                Everyone,
                ("Waarden en consensus", "Values and consensus"),
                (
                    "Welke waarden liggen eronder? Waarover zijn we het eens? Formuleer \
                     beargumenteerde antwoorden op de startvraag.",
                    "Which values lie underneath? On what do we agree? Phrase reasoned answers \
                     to the starting question.",
                ),
            ),
            round(
                "look_back_evaluation",
                Evaluation,
                10,
                Everyone,
                ("Terugblik en evaluatie", "Look back and evaluation"),
                (
                    "Kijk terug op het gesprek: wat heeft het opgeleverd, en hoe verliep het?",
                    "Look back on the dialogue: what did it yield, and how did it go?",
                ),
            ),
        ],
    }
}
