//! Precedents (moresprudentie): the record, law references, citation ids, the import format.
mod citation;
mod date;
mod import;
mod law_ref;
mod outcome;
mod record;
mod theme;

pub use citation::{CitationError, CitationId};
pub use date::{CalendarDate, DateError};
pub use import::{parse_import, parse_line, ImportError, ImportErrorKind, ImportLine, IMPORT_KEYS};
pub use law_ref::{LawRef, LawRefError, PARTICIPATIEWET, PARTICIPATIEWET_BWB};
pub use outcome::{OutcomeType, Status};
pub use record::{
    is_ecli, Action, AnonymisationReview, CourtRuling, Dialogue, DilemmaOption, Dissent, MethodUsed,
    PerspectiveRow, Position, Precedent, RelatedPrecedent, Relation, SearchText, StatusChange,
};
pub use theme::{normalise_tag, normalise_tags, split_themes, Theme, UnknownTheme, MAX_TAG_CHARS};
