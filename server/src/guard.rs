//! The hard privacy rule at every entry point: text that contains a BSN or an IBAN is refused
//! whole. The refusal names the kind and where (field and character offset) — never the
//! number — and the text is neither stored, nor logged, nor sent on.

use serde::Serialize;

use crate::domain::anonymisation::{hard_identifiers, Kind};

/// Why a text was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{kind} found in {field} at character {start}")]
pub struct Refusal {
    /// "bsn" or "iban".
    pub kind: &'static str,
    /// Where: a field name or JSON path, e.g. `content.text` or `line 3: case`.
    pub field: String,
    /// Character offset of the start of the number within that field.
    pub start: usize,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self.kind {
            "bsn" => "bsn_refused",
            _ => "iban_refused",
        }
    }
}

/// Refuses `text` when it holds a BSN or IBAN.
pub fn check_text(field: &str, text: &str) -> Result<(), Refusal> {
    match hard_identifiers(text).first() {
        Some(f) => Err(Refusal {
            kind: if f.kind == Kind::Bsn { "bsn" } else { "iban" },
            field: field.to_owned(),
            start: f.start,
        }),
        None => Ok(()),
    }
}

/// Refuses any string anywhere inside a JSON value (a command, a custom method, an import line).
pub fn check_json(path: &str, value: &serde_json::Value) -> Result<(), Refusal> {
    match value {
        serde_json::Value::String(s) => check_text(path, s),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().try_for_each(|(i, v)| check_json(&format!("{path}[{i}]"), v))
        }
        serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            let sub = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
            check_json(&sub, v)
        }),
        _ => Ok(()),
    }
}

/// Refuses a serialisable value (e.g. a session command) holding a BSN or IBAN anywhere.
pub fn check<T: Serialize>(value: &T) -> Result<(), Refusal> {
    check_json("", &serde_json::to_value(value).unwrap_or_default())
}
