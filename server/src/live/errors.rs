//! Why a command or message did not go through, with a stable code and a message in the
//! participant's language (texts in web/locales, keys `live.error.<code>`).

use crate::domain::session::CommandError;
use crate::i18n::{self, Lang};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum LiveFailure {
    /// The domain refused the command (a rule, a role, a phase, bad content).
    #[error("{0}")]
    Refused(CommandError),
    /// The database did not take the write: nothing was applied.
    #[error("store: {0}")]
    Store(String),
    /// Stored events do not fold (a bug or a hand-edited database).
    #[error("corrupt session log: {0}")]
    Corrupt(String),
    /// Lost the race to other writers too often.
    #[error("busy")]
    Busy,
    /// A BSN or IBAN in the text: refused whole, never stored or sent on.
    #[error("{0}")]
    Privacy(crate::guard::Refusal),
    /// A protocol-level problem with one message (the connection stays).
    #[error("{code}")]
    Protocol { code: &'static str, detail: String },
}

impl LiveFailure {
    pub fn store(e: StoreError) -> Self {
        LiveFailure::Store(e.to_string())
    }

    pub fn protocol(code: &'static str, detail: impl Into<String>) -> Self {
        LiveFailure::Protocol { code, detail: detail.into() }
    }

    pub fn code(&self) -> &'static str {
        match self {
            LiveFailure::Refused(e) => e.code(),
            LiveFailure::Store(_) => "not_saved",
            LiveFailure::Corrupt(_) => "internal",
            LiveFailure::Busy => "busy",
            LiveFailure::Privacy(r) => r.code(),
            LiveFailure::Protocol { code, .. } => code,
        }
    }
}

/// The message for a failure in `lang`. Refusals keep the domain's detail (in English) only
/// when the catalog has no text, which a test rules out for every known code.
pub fn message(failure: &LiveFailure, lang: Lang) -> String {
    let key = format!("live.error.{}", failure.code());
    let text = i18n::text(lang, &key).map(str::to_owned).unwrap_or_else(|| failure.to_string());
    match failure {
        LiveFailure::Protocol { detail, .. } if !detail.is_empty() => format!("{text} ({detail})"),
        LiveFailure::Privacy(r) => format!("{text} ({}, {})", r.field, r.start),
        _ => text,
    }
}
