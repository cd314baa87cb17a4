//! CURA (Amsterdam UMC): a short deliberation of about 25 minutes, alone or in a small group.
//! Concentrate, Unrush, Reflect, Act.

use super::round;
use crate::method::{Contributors::*, Family, Localized, Method, Output, RoundKind::*};

pub(super) fn method() -> Method {
    Method {
        key: "cura".into(),
        variant: None,
        name: Localized::new("CURA", "CURA"),
        description: Localized::new(
            "Een kort moreel beraad van ongeveer 25 minuten, alleen of in een kleine groep: \
             concentreren, uitstellen (vertragen), reflecteren en handelen (Amsterdam UMC).",
            "A short moral deliberation of about 25 minutes, alone or in a small group: \
             Concentrate, Unrush, Reflect, Act (Amsterdam UMC).",
        ),
        family: Family::MoralDeliberation,
        output: Output::Decision,
        min_participants: None,
        rounds: vec![
            round(
                "concentrate",
                Narrative,
                7,
                Everyone,
                ("C — Concentreren", "C — Concentrate"),
                (
                    "Beschrijf de situatie. Waarover twijfel je?",
                    "Describe the situation. What are you in doubt about?",
                ),
            ),
            round(
                "unrush",
                Dialogue,
                5,
                Everyone,
                ("U — Uitstellen: eerst vertragen", "U — Unrush"),
                (
                    "Benoem je eerste reactie en deel die. Zet haar daarna bewust even opzij.",
                    "Name your first reaction and share it. Then consciously park it.",
                ),
            ),
            round(
                "reflect",
                Matrix,
                8,
                Everyone,
                ("R — Reflecteren", "R — Reflect"),
                (
                    "Wat is belangrijk voor de anderen die erbij betrokken zijn, en wat voor jou? \
                     Noteer per betrokkene het perspectief, de waarde en de norm.",
                    "What matters to the others involved, and what matters to you? Note, for each \
                     person involved, the perspective, the value and the norm.",
                ),
            ),
            round(
                "act",
                Conclusion,
                5,
                Everyone,
                ("A — Actie: handelen", "A — Act"),
                (
                    "Maak een weloverwogen keuze: wat ga je doen, en waarom?",
                    "Make a considered choice: what will you do, and why?",
                ),
            ),
        ],
    }
}
