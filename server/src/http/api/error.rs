//! API errors: a status, a stable code and a message in the caller's language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::guard::Refusal;
use crate::i18n::{self, Lang};
use crate::live::{errors::LiveFailure, LiveError};
use crate::store::StoreError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// Extra machine-readable detail (e.g. the list of method errors).
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    /// An error whose message is `api.error.<code>` in `lang`.
    pub fn new(status: StatusCode, code: &str, lang: Lang) -> Self {
        let message = i18n::text(lang, &format!("api.error.{code}"))
            .or_else(|| i18n::text(lang, &format!("live.error.{code}")))
            .unwrap_or(code)
            .to_owned();
        ApiError { status, code: code.to_owned(), message, details: None }
    }

    /// Fills `{name}` placeholders of the message (e.g. a limit and the count found).
    pub fn with_vars(mut self, vars: &[(&str, String)]) -> Self {
        for (name, value) in vars {
            self.message = self.message.replace(&format!("{{{name}}}"), value);
        }
        self
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// 400 for a body that is not the JSON the route takes.
    pub fn bad_json(e: axum::extract::rejection::JsonRejection, lang: Lang) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", lang)
            .with_details(json!({ "detail": e.body_text() }))
    }

    pub fn store(e: StoreError, lang: Lang) -> Self {
        tracing::error!(error = %e, "store error in API");
        match e {
            StoreError::Unavailable { .. } => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_saved", lang)
            }
            _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", lang),
        }
    }

    pub fn privacy(refusal: Refusal, lang: Lang) -> Self {
        let failure = LiveFailure::Privacy(refusal.clone());
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: refusal.code().to_owned(),
            message: crate::live::errors::message(&failure, lang),
            details: Some(json!({ "kind": refusal.kind, "field": refusal.field, "start": refusal.start })),
        }
    }

    pub fn live(e: LiveError, lang: Lang) -> Self {
        match e {
            LiveError::NoSuchSession => ApiError::new(StatusCode::NOT_FOUND, "no_such_session", lang),
            LiveError::Failure(f) => Self::failure(f, lang),
        }
    }

    pub fn failure(f: LiveFailure, lang: Lang) -> Self {
        let status = match &f {
            LiveFailure::Refused(_) | LiveFailure::Protocol { .. } | LiveFailure::Privacy(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            LiveFailure::Store(_) | LiveFailure::Busy => StatusCode::SERVICE_UNAVAILABLE,
            LiveFailure::Corrupt(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            code: f.code().to_owned(),
            message: crate::live::errors::message(&f, lang),
            details: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({ "code": self.code, "message": self.message });
        if let Some(details) = self.details {
            error["details"] = details;
        }
        (self.status, Json(json!({ "error": error }))).into_response()
    }
}
