//! The methods that ship with Beraad, one file per method, faithful to METHODS.md.

mod balint;
mod cura;
mod dilemma;
mod five_step;
mod gossip;
mod incident;
mod incident_short;
mod nijmegen;
mod socratic;

use super::{Anonymity, Contributors, Localized, Method, Order, PresenterView, Reveal, Round, RoundKind};

/// Keys of the built-in methods; custom methods may not take them.
pub const BUILTIN_KEYS: &[&str] = &[
    "dilemma",
    "nijmegen",
    "socratic",
    "cura",
    "incident",
    "incident_short",
    "balint",
    "gossip",
    "five_step",
];

/// Variants of the dilemma method: the order of step 3 (moral question and dilemma) and
/// step 4 (clarifying questions). The first is the default.
pub const DILEMMA_VARIANTS: &[&str] = &[dilemma::QUESTION_FIRST, dilemma::CLARIFY_FIRST];

/// Every built-in method, each variant once, in a stable order.
pub fn builtin_methods() -> Vec<Method> {
    vec![
        dilemma::method(dilemma::Order34::QuestionFirst),
        dilemma::method(dilemma::Order34::ClarifyFirst),
        nijmegen::method(),
        socratic::method(),
        cura::method(),
        incident::method(),
        incident_short::method(),
        balint::method(),
        gossip::method(),
        five_step::method(),
    ]
}

/// The built-in method `key`; `variant` selects a variant where the method has them
/// (`None` is the default variant). Unknown keys and variants give `None`.
pub fn builtin(key: &str, variant: Option<&str>) -> Option<Method> {
    if key == "dilemma" {
        let order = match variant {
            None => dilemma::Order34::QuestionFirst,
            Some(v) => dilemma::Order34::from_key(v)?,
        };
        return Some(dilemma::method(order));
    }
    if variant.is_some() {
        return None;
    }
    Some(match key {
        "nijmegen" => nijmegen::method(),
        "socratic" => socratic::method(),
        "cura" => cura::method(),
        "incident" => incident::method(),
        "incident_short" => incident_short::method(),
        "balint" => balint::method(),
        "gossip" => gossip::method(),
        "five_step" => five_step::method(),
        _ => return None,
    })
}

/// A round with the common defaults: named, visible at once, free order, presenter sees all.
fn round(
    key: &str,
    kind: RoundKind,
    minutes: u32,
    contributors: Contributors,
    title: (&str, &str),
    prompt: (&str, &str),
) -> Round {
    Round {
        key: key.to_owned(),
        kind,
        title: Localized::new(title.0, title.1),
        prompt: Localized::new(prompt.0, prompt.1),
        rule: None,
        minutes,
        contributors,
        presenter_view: PresenterView::All,
        anonymity: Anonymity::Named,
        reveal: if kind == RoundKind::SilentWrite { Reveal::WhenAllSubmitted } else { Reveal::Immediate },
        order: if kind == RoundKind::RoundRobin { Order::RoundRobin } else { Order::Free },
        one_each: false,
    }
}

/// Adjustments to a round, for readable method files.
trait RoundExt {
    fn rule(self, nl: &str, en: &str) -> Self;
    fn presenter(self, view: PresenterView) -> Self;
    /// The presenter listens only, under this rule.
    fn listening(self, nl: &str, en: &str) -> Self;
    fn pseudonymous(self) -> Self;
    fn reveal(self, reveal: Reveal) -> Self;
    fn in_turns(self) -> Self;
    fn one_each(self) -> Self;
}

impl RoundExt for Round {
    fn rule(mut self, nl: &str, en: &str) -> Self {
        self.rule = Some(Localized::new(nl, en));
        self
    }
    fn presenter(mut self, view: PresenterView) -> Self {
        self.presenter_view = view;
        self
    }
    fn listening(self, nl: &str, en: &str) -> Self {
        self.presenter(PresenterView::ListenOnly).rule(nl, en)
    }
    fn pseudonymous(mut self) -> Self {
        self.anonymity = Anonymity::Pseudonymous;
        self
    }
    fn reveal(mut self, reveal: Reveal) -> Self {
        self.reveal = reveal;
        self
    }
    fn in_turns(mut self) -> Self {
        self.order = Order::RoundRobin;
        self
    }
    fn one_each(mut self) -> Self {
        self.one_each = true;
        self
    }
}

/// The closing evaluation several methods share: five minutes, everyone.
fn evaluation() -> Round {
    round(
        "evaluation",
        RoundKind::Evaluation,
        5,
        Contributors::Everyone,
        ("Evaluatie", "Evaluation"),
        (
            "Hoe verliep de bijeenkomst, en wat doen we de volgende keer anders?",
            "How did the meeting go, and what do we do differently next time?",
        ),
    )
}

/// The ground rule of clarifying-question rounds.
fn questions_only() -> (&'static str, &'static str) {
    (
        "Alleen vragen, geen adviezen, oordelen of interpretaties.",
        "Questions only: no advice, judgement or interpretation.",
    )
}
