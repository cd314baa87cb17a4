//! Gossip method (roddelmethode): five steps. In the gossip round the presenter sits outside
//! the circle, listens, takes notes and does not react.

use super::{evaluation, questions_only, round, RoundExt};
use crate::method::{Contributors::*, Family, Localized, Method, Output, RoundKind::*};

pub(super) fn method() -> Method {
    Method {
        key: "gossip".into(),
        variant: None,
        name: Localized::new("Roddelmethode", "Gossip method"),
        description: Localized::new(
            "Intervisie in vijf stappen. De groep bespreekt de casus alsof de inbrenger er niet \
             bij is; de inbrenger zit buiten de kring, luistert, maakt aantekeningen en \
             reageert niet.",
            "Intervision in five steps. The group discusses the case as if the presenter were \
             not there; the presenter sits outside the circle, listens, takes notes and does not \
             react.",
        ),
        family: Family::Intervision,
        output: Output::Advice,
        min_participants: None,
        rounds: vec![
            round(
                "introduction",
                Narrative,
                10,
                PresenterOnly,
                ("Introductie", "Introduction"),
                (
                    "De inbrenger beschrijft de situatie zonder de afloop, en formuleert een \
                     leervraag.",
                    "The presenter describes the situation without its outcome, and phrases a \
                     learning question.",
                ),
            ),
            round(
                "questions",
                Questions,
                10,
                AllButPresenter,
                ("Vragen", "Questions"),
                (
                    "Stel vragen over de situatie; de inbrenger antwoordt.",
                    "Ask questions about the situation; the presenter answers.",
                ),
            )
            .rule(questions_only().0, questions_only().1),
            round(
                "gossip",
                Dialogue,
                20,
                AllButPresenter,
                ("Roddelen", "Gossip"),
                (
                    "Praat over de casus en de inbrenger alsof hij of zij er niet bij is. De \
                     inbrenger zit buiten de kring, luistert en maakt aantekeningen.",
                    "Talk about the case and the presenter as if they were not there. The \
                     presenter sits outside the circle, listens and takes notes.",
                ),
            )
            .listening("De inbrenger reageert niet.", "The presenter does not react."),
            round(
                "harvest",
                Narrative,
                10,
                PresenterOnly,
                ("Oogst", "Harvest"),
                (
                    "De inbrenger vertelt wat hem of haar trof en wat hij of zij ermee gaat doen.",
                    "The presenter says what struck them and what they will do with it.",
                ),
            ),
            evaluation(),
        ],
    }
}
