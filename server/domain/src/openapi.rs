//! With the `openapi` feature: how the types that travel as text (dates, citations, law
//! references, themes, clock times) are described in the API's OpenAPI document. Every other
//! wire type derives its description next to its definition.

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::precedent::{CalendarDate, CitationId, LawRef, Theme};
use crate::rhythm::ClockTime;

/// A string with what it holds and one example.
fn text(description: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(Type::String).description(Some(description)).examples([example]).into()
}

impl PartialSchema for CalendarDate {
    fn schema() -> RefOr<Schema> {
        text("A calendar date, YYYY-MM-DD.", "2026-03-31")
    }
}
impl ToSchema for CalendarDate {}

impl PartialSchema for CitationId {
    fn schema() -> RefOr<Schema> {
        text("A precedent's citation id (docs/archive.md).", "MB:GEM:2026:12")
    }
}
impl ToSchema for CitationId {}

impl PartialSchema for LawRef {
    fn schema() -> RefOr<Schema> {
        text("A law article (docs/archive.md).", "art. 18 lid 4 Participatiewet")
    }
}
impl ToSchema for LawRef {}

impl PartialSchema for Theme {
    fn schema() -> RefOr<Schema> {
        text("A theme of the archive's fixed list (docs/archive.md).", "ontheffing")
    }
}
impl ToSchema for Theme {}

impl PartialSchema for ClockTime {
    fn schema() -> RefOr<Schema> {
        text("A local clock time, HH:MM (Europe/Amsterdam).", "19:30")
    }
}
impl ToSchema for ClockTime {}
