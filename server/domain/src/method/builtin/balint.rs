//! Balint method (Movisie): eleven steps, at least five experienced participants. The group
//! associates and advises in writing before speaking; the presenter listens to the group advice.

use super::{evaluation, questions_only, round, RoundExt};
use crate::method::{Contributors::*, Family, Localized, Method, Output, PresenterView, RoundKind::*};

pub(super) fn method() -> Method {
    Method {
        key: "balint".into(),
        variant: None,
        name: Localized::new("Balintmethode", "Balint method"),
        description: Localized::new(
            "Intervisie in elf stappen (Movisie), met ruimte voor gevoelens en associaties. De \
             groep associeert en adviseert eerst schriftelijk; de inbrenger luistert naar het \
             groepsadvies. Voor minstens vijf ervaren deelnemers.",
            "Intervision in eleven steps (Movisie), with room for feelings and associations. The \
             group associates and advises in writing first; the presenter listens to the group \
             advice. For at least five experienced participants.",
        ),
        family: Family::Intervision,
        output: Output::Advice,
        min_participants: Some(5),
        rounds: vec![
            round(
                "collect_cases",
                Selection,
                5,
                Everyone,
                ("Casussen verzamelen", "Collect cases"),
                ("Wie heeft een casus? Noem er een.", "Who has a case? Name one."),
            ),
            round(
                "pitch_cases",
                Selection,
                10,
                Everyone,
                ("Casussen toelichten", "Pitch the cases"),
                ("Licht je casus toe in hooguit drie zinnen.", "Pitch your case in at most three sentences."),
            )
            .rule("Hooguit drie zinnen.", "At most three sentences."),
            round(
                "choose_case",
                Selection,
                5,
                Everyone,
                ("Casus kiezen", "Choose a case"),
                ("Kies de casus die besproken wordt.", "Choose the case to discuss."),
            ),
            round(
                "choose_moderator",
                Narrative,
                3,
                ModeratorOnly,
                ("Gespreksleider kiezen", "Choose the moderator"),
                (
                    "Spreek af wie dit gesprek leidt; de gespreksleider draagt zo nodig over en \
                     wijst de inbrenger aan.",
                    "Agree who leads this discussion; the moderator hands over if needed and sets \
                     the presenter.",
                ),
            ),
            round(
                "explain",
                Narrative,
                10,
                PresenterOnly,
                ("Casus vertellen", "Tell the case"),
                (
                    "De inbrenger vertelt de casus, ook wat hij of zij erbij voelde.",
                    "The presenter tells the case, including what they felt.",
                ),
            )
            .rule(
                "Vertel nog niet wat je uiteindelijk hebt besloten.",
                "Do not tell yet what you eventually decided.",
            ),
            round(
                "associations",
                SilentWrite,
                5,
                AllButPresenter,
                ("Associaties", "Associations"),
                (
                    "Schrijf op wat de casus bij je oproept: beelden, gevoelens, herinneringen. \
                     Alle associaties worden tegelijk en zonder namen zichtbaar.",
                    "Write down what the case evokes in you: images, feelings, memories. All \
                     associations become visible at once, without names.",
                ),
            )
            .pseudonymous(),
            round(
                "clarifying_questions",
                Questions,
                10,
                AllButPresenter,
                ("Verhelderingsvragen", "Clarifying questions"),
                (
                    "Stel korte vragen; de inbrenger antwoordt kort.",
                    "Ask short questions; the presenter answers briefly.",
                ),
            )
            .rule(questions_only().0, questions_only().1),
            round(
                "individual_advice",
                SilentWrite,
                10,
                AllButPresenter,
                ("Individueel advies", "Individual advice"),
                (
                    "Schrijf voor jezelf je advies aan de inbrenger op. Alle adviezen worden \
                     tegelijk zichtbaar.",
                    "Write down your own advice to the presenter. All advice becomes visible at \
                     once.",
                ),
            )
            .one_each(),
            round(
                "group_advice",
                Dialogue,
                15,
                AllButPresenter,
                ("Groepsadvies", "Group advice"),
                (
                    "Bespreek de adviezen en kom samen tot een groepsadvies. De inbrenger \
                     luistert.",
                    "Discuss the advice and arrive at a group advice together. The presenter \
                     listens.",
                ),
            )
            .presenter(PresenterView::ListenOnly),
            round(
                "presenter_decision",
                Narrative,
                10,
                PresenterOnly,
                ("Besluit van de inbrenger", "The presenter's decision"),
                (
                    "De inbrenger vertelt wat hij of zij heeft besloten en wat hij of zij \
                     meeneemt uit de adviezen.",
                    "The presenter tells what they decided and what they take from the advice.",
                ),
            ),
            evaluation(),
        ],
    }
}
