//! API errors: a status, a stable code, optional details and a message in the caller's language.
//!
//! Handlers and extractors make an [`ApiError`] without knowing the language: the error keeps how
//! to say its message, not the words. Its response carries the error in a response extension
//! (and a Dutch body, so it is never empty); [`localise`], one middleware around the router,
//! reads the request's language once (`?lang=`, the `lang` cookie, else Dutch; see
//! `http/lang.rs`) and renders the body in it. The wire format is
//! `{"error": {"code", "message", "details"?}}` ([`ErrorBody`]).

use std::fmt;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::guard::Refusal;
use crate::http::PageLang;
use crate::i18n::{self, Lang};
use crate::live::{errors::LiveFailure, LiveError};
use crate::store::StoreError;

/// How an error's message is said, in any language.
type Say = Arc<dyn Fn(Lang) -> String + Send + Sync>;
/// How an error's details are said (some hold messages too), in any language.
type SayDetails = Arc<dyn Fn(Lang) -> serde_json::Value + Send + Sync>;

#[derive(Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    say: Say,
    /// `{name}` placeholders of the message and their values (a limit, a count found).
    vars: Vec<(String, String)>,
    /// Extra machine-readable detail (e.g. the list of method errors).
    details: Option<SayDetails>,
}

/// An API error answer: `{"error": {…}}`.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: ErrorInfo,
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorInfo {
    /// Stable, machine-readable (`invalid_request`, `no_such_session`, …).
    pub code: String,
    /// For people, in the request's language (Dutch unless `?lang=en` or the `lang` cookie).
    pub message: String,
    /// Extra detail for some codes (the field, the parameter, the list of method errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("details", &self.details.as_ref().map(|d| d(Lang::default())))
            .finish()
    }
}

impl ApiError {
    /// An error whose message is `api.error.<code>` (else `live.error.<code>`).
    pub fn new(status: StatusCode, code: &str) -> Self {
        let key = code.to_owned();
        Self::said(status, code, move |lang| {
            i18n::text(lang, &format!("api.error.{key}"))
                .or_else(|| i18n::text(lang, &format!("live.error.{key}")))
                .unwrap_or(&key)
                .to_owned()
        })
    }

    /// An error whose message `say` gives in a language (a refusal with its own catalog key).
    pub fn said(
        status: StatusCode,
        code: &str,
        say: impl Fn(Lang) -> String + Send + Sync + 'static,
    ) -> Self {
        ApiError { status, code: code.to_owned(), say: Arc::new(say), vars: Vec::new(), details: None }
    }

    /// Fills `{name}` placeholders of the message (e.g. a limit and the count found).
    pub fn with_vars(mut self, vars: &[(&str, String)]) -> Self {
        self.vars.extend(vars.iter().map(|(n, v)| ((*n).to_owned(), v.clone())));
        self
    }

    pub fn with_details(self, details: serde_json::Value) -> Self {
        self.with_details_said(move |_| details.clone())
    }

    /// Details that hold messages, said in the request's language.
    pub fn with_details_said(
        mut self,
        details: impl Fn(Lang) -> serde_json::Value + Send + Sync + 'static,
    ) -> Self {
        self.details = Some(Arc::new(details));
        self
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let mut message = (self.say)(lang);
        for (name, value) in &self.vars {
            message = message.replace(&format!("{{{name}}}"), value);
        }
        message
    }

    /// The answer's body in `lang`.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        ErrorBody {
            error: ErrorInfo {
                code: self.code.clone(),
                message: self.message(lang),
                details: self.details.as_ref().map(|d| d(lang)),
            },
        }
    }

    /// 400 for a body that is not the JSON the route takes.
    pub fn bad_json(e: axum::extract::rejection::JsonRejection) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request")
            .with_details(json!({ "detail": e.body_text() }))
    }

    pub fn store(e: StoreError) -> Self {
        tracing::error!(error = %e, "store error in API");
        match e {
            StoreError::Unavailable { .. } => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_saved"),
            _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    pub fn privacy(refusal: Refusal) -> Self {
        let details = json!({ "kind": refusal.kind, "field": refusal.field, "start": refusal.start });
        let code = refusal.code().to_owned();
        let failure = Arc::new(LiveFailure::Privacy(refusal));
        ApiError::said(StatusCode::UNPROCESSABLE_ENTITY, &code, move |lang| {
            crate::live::errors::message(&failure, lang)
        })
        .with_details(details)
    }

    pub fn live(e: LiveError) -> Self {
        match e {
            LiveError::NoSuchSession => ApiError::new(StatusCode::NOT_FOUND, "no_such_session"),
            LiveError::Failure(f) => Self::failure(f),
        }
    }

    pub fn failure(f: LiveFailure) -> Self {
        let status = match &f {
            LiveFailure::Refused(_) | LiveFailure::Protocol { .. } | LiveFailure::Privacy(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            LiveFailure::Store(_) | LiveFailure::Busy => StatusCode::SERVICE_UNAVAILABLE,
            LiveFailure::Corrupt(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let code = f.code();
        let failure = Arc::new(f);
        ApiError::said(status, code, move |lang| crate::live::errors::message(&failure, lang))
    }
}

/// A JSON body that did not parse is a 400 `invalid_request` (with the parser's words as detail).
impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        ApiError::bad_json(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::store(e)
    }
}

/// The error a response carries for [`localise`] to say in the request's language.
#[derive(Clone)]
struct Unsaid(ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body(Lang::default()))).into_response();
        response.extensions_mut().insert(Unsaid(self));
        response
    }
}

/// The middleware that says every API error in the request's language (read once, here).
pub async fn localise(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let PageLang(lang) = PageLang::from_request_parts(&mut parts, &()).await.unwrap_or_else(|e| match e {});
    let response = next.run(Request::from_parts(parts, body)).await;
    if lang == Lang::default() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    match parts.extensions.get::<Unsaid>() {
        Some(Unsaid(error)) => {
            let said = serde_json::to_vec(&error.body(lang)).unwrap_or_default();
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            Response::from_parts(parts, axum::body::Body::from(said))
        }
        None => Response::from_parts(parts, body),
    }
}
