//! Five-step method (vijfstappenmethode): question, exploration, core problem, advice,
//! evaluation by the presenter.

use super::{questions_only, round, RoundExt};
use crate::method::{Contributors::*, Family, Localized, Method, Output, RoundKind::*};

pub(super) fn method() -> Method {
    Method {
        key: "five_step".into(),
        variant: None,
        name: Localized::new("Vijfstappenmethode", "Five-step method"),
        description: Localized::new(
            "Intervisie in vijf stappen: de inbrenger legt een vraag voor, de groep verkent \
             die met vragen, benoemt het kernprobleem en geeft adviezen, en de inbrenger \
             evalueert.",
            "Intervision in five steps: the presenter puts a question, the group explores it \
             with questions, names the core problem and gives advice, and the presenter \
             evaluates.",
        ),
        family: Family::Intervision,
        output: Output::Advice,
        min_participants: None,
        rounds: vec![
            round(
                "question",
                Narrative,
                10,
                PresenterOnly,
                ("Vraag inbrengen", "The question"),
                (
                    "De inbrenger legt zijn of haar vraag voor, met de situatie eromheen.",
                    "The presenter puts their question, with the situation around it.",
                ),
            ),
            round(
                "exploration",
                Questions,
                15,
                AllButPresenter,
                ("Verkenning", "Exploration"),
                (
                    "Verken de vraag met vragen en samenvattingen; de inbrenger antwoordt.",
                    "Explore the question with questions and summaries; the presenter answers.",
                ),
            )
            .rule(questions_only().0, questions_only().1),
            round(
                "core_problem",
                Dialogue,
                10,
                Everyone,
                ("Kernprobleem", "Core problem"),
                (
                    "Benoem samen het kernprobleem. Herkent de inbrenger het?",
                    "Name the core problem together. Does the presenter recognise it?",
                ),
            ),
            round(
                "advice",
                Dialogue,
                15,
                Everyone,
                ("Adviesronde", "Advice round"),
                (
                    "Geef adviezen aan de inbrenger. De inbrenger zegt welk advies hem of haar \
                     aanspreekt.",
                    "Give the presenter advice. The presenter says which advice appeals to them.",
                ),
            ),
            round(
                "evaluation",
                Evaluation,
                5,
                PresenterOnly,
                ("Evaluatie door de inbrenger", "Evaluation by the presenter"),
                (
                    "De inbrenger evalueert: wat heeft de bijeenkomst opgeleverd?",
                    "The presenter evaluates: what did the meeting bring?",
                ),
            ),
        ],
    }
}
