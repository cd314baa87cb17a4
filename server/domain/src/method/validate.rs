//! Reading a moderator's own method from JSON, with every problem reported at its JSON path.
//!
//! The document has the same shape as a serialised [`Method`] (so a built-in from
//! `GET /api/v1/methods` can be copied and adapted), with two conveniences: a text may be a
//! plain string (used for both languages) or `{"nl": …, "en": …}` with one of the two missing
//! (copied from the other); and optional round settings take defaults (`presenter_view: all`,
//! `anonymity: named`, `reveal: immediate` — `when_all_submitted` for `silent_write` —,
//! `order: free` — `round_robin` for `round_robin`).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::problems::dedupe_and_cap;

use super::limits::MAX_ROUNDS;
use super::rules::{check_header, check_min_participants, check_minutes, check_rounds};
use super::{
    Anonymity, Contributors, Family, Localized, Method, MethodError, MethodProblem, Order, Output,
    PresenterView, Reveal, Round, RoundKind, BUILTIN_KEYS,
};

const METHOD_FIELDS: &[&str] =
    &["key", "variant", "name", "description", "family", "output", "min_participants", "rounds"];
const ROUND_FIELDS: &[&str] = &[
    "key",
    "kind",
    "title",
    "prompt",
    "rule",
    "minutes",
    "contributors",
    "presenter_view",
    "anonymity",
    "reveal",
    "order",
    "one_each",
];
const LOCALIZED_FIELDS: &[&str] = &["nl", "en"];

const FAMILIES: &[&str] = &["moral_deliberation", "intervision"];
const OUTPUTS: &[&str] = &["decision", "advice", "insight"];
const KINDS: &[&str] = &[
    "narrative",
    "questions",
    "silent_write",
    "round_robin",
    "dialogue",
    "matrix",
    "options",
    "choice",
    "selection",
    "conclusion",
    "evaluation",
    "look_back",
];
const CONTRIBUTORS: &[&str] = &["everyone", "all_but_presenter", "presenter_only", "moderator_only"];
const PRESENTER_VIEWS: &[&str] = &["all", "listen_only", "absent"];
const ANONYMITIES: &[&str] = &["named", "pseudonymous"];
const REVEALS: &[&str] = &["immediate", "on_moderator", "when_all_submitted"];
const ORDERS: &[&str] = &["free", "round_robin"];

/// Parses and checks a custom method. Returns every problem found, not just the first — at
/// most [`MAX_PROBLEMS_REPORTED`](crate::problems::MAX_PROBLEMS_REPORTED) of them, then one [`MethodProblem::MoreProblems`] counting
/// the rest. A count over its limit ([`check_limits`]) is refused before anything else is read.
pub fn validate_custom(json: &str) -> Result<Method, Vec<MethodError>> {
    validate_custom_value(&parse_custom(json).map_err(|e| vec![e])?)
}

/// The JSON of a custom method, or the `invalid_json` problem.
pub fn parse_custom(json: &str) -> Result<Value, MethodError> {
    serde_json::from_str(json).map_err(|e| {
        MethodError::new(
            "",
            MethodProblem::InvalidJson { line: e.line(), column: e.column(), message: e.to_string() },
        )
    })
}

/// The hard limits on counts, checked in constant time before any other work: more than
/// [`MAX_ROUNDS`] rounds is refused with that one problem.
pub fn check_limits(value: &Value) -> Result<(), MethodError> {
    if let Some(rounds) = value.get("rounds").and_then(Value::as_array) {
        if rounds.len() > MAX_ROUNDS {
            return Err(MethodError::new(
                "rounds",
                MethodProblem::TooManyRounds { max: MAX_ROUNDS, count: rounds.len() },
            ));
        }
    }
    Ok(())
}

/// [`validate_custom`] of JSON already parsed.
pub fn validate_custom_value(value: &Value) -> Result<Method, Vec<MethodError>> {
    check_limits(value).map_err(|e| vec![e])?;
    let mut reader = Reader::default();
    let method = reader.method(value);
    let mut errors = reader.errors;
    if let Some(method) = &method {
        if BUILTIN_KEYS.contains(&method.key.as_str()) {
            errors.push(MethodError::new("key", MethodProblem::ReservedKey { value: method.key.clone() }));
        }
    }
    if errors.is_empty() {
        if let Some(method) = method {
            return Ok(method);
        }
    }
    let (mut shown, omitted) = dedupe_and_cap(errors);
    if omitted > 0 {
        shown.push(MethodError::new("", MethodProblem::MoreProblems { count: omitted }));
    }
    Err(shown)
}

/// Walks the JSON value, collecting shape errors (types, unknown and missing fields, unknown
/// enum values), then applies the value rules of `rules` to every part that could be read, so
/// that one broken round does not hide the problems elsewhere.
#[derive(Default)]
struct Reader {
    errors: Vec<MethodError>,
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

impl Reader {
    fn push(&mut self, path: impl Into<String>, problem: MethodProblem) {
        self.errors.push(MethodError::new(path, problem));
    }

    fn method(&mut self, value: &Value) -> Option<Method> {
        let obj = self.object(value, "", METHOD_FIELDS)?;
        let key = self.required(obj, "", "key").and_then(|v| self.string(v, "key"));
        let variant = self.optional(obj, "variant").and_then(|v| self.string(v, "variant"));
        let name = self.required(obj, "", "name").and_then(|v| self.localized(v, "name"));
        let description =
            self.required(obj, "", "description").and_then(|v| self.localized(v, "description"));
        let family =
            self.required(obj, "", "family").and_then(|v| self.choice::<Family>(v, "family", FAMILIES));
        let output =
            self.required(obj, "", "output").and_then(|v| self.choice::<Output>(v, "output", OUTPUTS));
        let min_participants = match self.optional(obj, "min_participants") {
            None => Some(None),
            Some(v) => self.integer(v, "min_participants").and_then(|n| {
                if u32::try_from(n).is_ok() {
                    Some(Some(n as u32))
                } else {
                    check_min_participants(n, &mut self.errors);
                    None
                }
            }),
        };
        let rounds = self.required(obj, "", "rounds").and_then(|v| self.rounds(v));

        let rounds = rounds.unwrap_or_default();
        let declared = rounds.len();
        let readable = rounds.iter().enumerate().filter_map(|(i, r)| r.as_ref().map(|r| (i, r)));
        if obj.get("rounds").is_some_and(Value::is_array) {
            check_rounds(declared, readable, &mut self.errors);
        }
        let whole = rounds.iter().all(Option::is_some);
        let header = Method {
            key: key?,
            variant,
            name: name?,
            description: description?,
            family: family?,
            output: output?,
            min_participants: min_participants?,
            rounds: Vec::new(),
        };
        check_header(&header, &mut self.errors);
        if !whole || !obj.get("rounds").is_some_and(Value::is_array) {
            return None;
        }
        Some(Method { rounds: rounds.into_iter().flatten().collect(), ..header })
    }

    /// One entry per element of the array; `None` where a round could not be read.
    fn rounds(&mut self, value: &Value) -> Option<Vec<Option<Round>>> {
        let Some(items) = value.as_array() else {
            self.push("rounds", MethodProblem::WrongType { expected: "an array of rounds" });
            return None;
        };
        Some(items.iter().enumerate().map(|(i, item)| self.round(item, &format!("rounds[{i}]"))).collect())
    }

    fn round(&mut self, value: &Value, path: &str) -> Option<Round> {
        let obj = self.object(value, path, ROUND_FIELDS)?;
        let key = self.required(obj, path, "key").and_then(|v| self.string(v, &join(path, "key")));
        let kind = self
            .required(obj, path, "kind")
            .and_then(|v| self.choice::<RoundKind>(v, &join(path, "kind"), KINDS));
        let title = self.required(obj, path, "title").and_then(|v| self.localized(v, &join(path, "title")));
        let prompt =
            self.required(obj, path, "prompt").and_then(|v| self.localized(v, &join(path, "prompt")));
        let rule = match self.optional(obj, "rule") {
            None => Some(None),
            Some(v) => self.localized(v, &join(path, "rule")).map(Some),
        };
        let minutes = self.required(obj, path, "minutes").and_then(|v| {
            let p = join(path, "minutes");
            let n = self.integer(v, &p)?;
            match u32::try_from(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    check_minutes(&p, n, &mut self.errors);
                    None
                }
            }
        });
        let contributors = self
            .required(obj, path, "contributors")
            .and_then(|v| self.choice::<Contributors>(v, &join(path, "contributors"), CONTRIBUTORS));
        let presenter_view = self.defaulted(obj, path, "presenter_view", PRESENTER_VIEWS);
        let anonymity = self.defaulted::<Anonymity>(obj, path, "anonymity", ANONYMITIES);
        let reveal = match self.optional(obj, "reveal") {
            None => Some(None),
            Some(v) => self.choice::<Reveal>(v, &join(path, "reveal"), REVEALS).map(Some),
        };
        let order = match self.optional(obj, "order") {
            None => Some(None),
            Some(v) => self.choice::<Order>(v, &join(path, "order"), ORDERS).map(Some),
        };
        let kind = kind?;
        let reveal = reveal?.unwrap_or(if kind == RoundKind::SilentWrite {
            Reveal::WhenAllSubmitted
        } else {
            Reveal::Immediate
        });
        let order =
            order?.unwrap_or(if kind == RoundKind::RoundRobin { Order::RoundRobin } else { Order::Free });
        let one_each = match self.optional(obj, "one_each") {
            None => Some(false),
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.push(join(path, "one_each"), MethodProblem::WrongType { expected: "true or false" });
                None
            }
        };
        Some(Round {
            key: key?,
            kind,
            title: title?,
            prompt: prompt?,
            rule: rule?,
            minutes: minutes?,
            contributors: contributors?,
            presenter_view: presenter_view?.unwrap_or(PresenterView::All),
            anonymity: anonymity?.unwrap_or(Anonymity::Named),
            reveal,
            order,
            one_each: one_each?,
        })
    }

    fn object<'a>(&mut self, value: &'a Value, path: &str, known: &[&str]) -> Option<&'a Map<String, Value>> {
        let Some(obj) = value.as_object() else {
            self.push(path, MethodProblem::WrongType { expected: "an object" });
            return None;
        };
        for field in obj.keys() {
            if !known.contains(&field.as_str()) {
                self.push(join(path, field), MethodProblem::UnknownField { field: field.clone() });
            }
        }
        Some(obj)
    }

    fn required<'a>(&mut self, obj: &'a Map<String, Value>, path: &str, field: &str) -> Option<&'a Value> {
        match obj.get(field) {
            Some(Value::Null) | None => {
                self.push(path, MethodProblem::MissingField { field: field.to_owned() });
                None
            }
            Some(v) => Some(v),
        }
    }

    fn optional<'a>(&self, obj: &'a Map<String, Value>, field: &str) -> Option<&'a Value> {
        obj.get(field).filter(|v| !v.is_null())
    }

    /// An optional enum field: `Some(None)` when absent, `None` when present but invalid.
    fn defaulted<T: DeserializeOwned>(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        field: &str,
        expected: &'static [&'static str],
    ) -> Option<Option<T>> {
        match self.optional(obj, field) {
            None => Some(None),
            Some(v) => self.choice(v, &join(path, field), expected).map(Some),
        }
    }

    fn string(&mut self, value: &Value, path: &str) -> Option<String> {
        match value.as_str() {
            Some(s) => Some(s.to_owned()),
            None => {
                self.push(path, MethodProblem::WrongType { expected: "a string" });
                None
            }
        }
    }

    fn integer(&mut self, value: &Value, path: &str) -> Option<i128> {
        let n = value.as_i64().map(i128::from).or_else(|| value.as_u64().map(i128::from));
        if n.is_none() {
            self.push(path, MethodProblem::WrongType { expected: "a whole number" });
        }
        n
    }

    fn choice<T: DeserializeOwned>(
        &mut self,
        value: &Value,
        path: &str,
        expected: &'static [&'static str],
    ) -> Option<T> {
        let s = self.string(value, path)?;
        if !expected.contains(&s.as_str()) {
            self.push(path, MethodProblem::UnknownValue { value: s, expected });
            return None;
        }
        serde_json::from_value(Value::String(s)).ok()
    }

    /// A plain string (both languages) or `{"nl": …, "en": …}` with at least one of the two.
    fn localized(&mut self, value: &Value, path: &str) -> Option<Localized> {
        if let Some(s) = value.as_str() {
            return Some(Localized::new(s, s));
        }
        if !value.is_object() {
            self.push(
                path,
                MethodProblem::WrongType { expected: "a string or an object with `nl` and `en`" },
            );
            return None;
        }
        let obj = self.object(value, path, LOCALIZED_FIELDS)?;
        let nl = match self.optional(obj, "nl") {
            Some(v) => Some(self.string(v, &join(path, "nl"))?),
            None => None,
        };
        let en = match self.optional(obj, "en") {
            Some(v) => Some(self.string(v, &join(path, "en"))?),
            None => None,
        };
        match (nl, en) {
            (Some(nl), Some(en)) => Some(Localized { nl, en }),
            (Some(nl), None) => Some(Localized::new(nl.clone(), nl)),
            (None, Some(en)) => Some(Localized::new(en.clone(), en)),
            (None, None) => {
                self.push(path, MethodProblem::MissingField { field: "nl".into() });
                None
            }
        }
    }
}
