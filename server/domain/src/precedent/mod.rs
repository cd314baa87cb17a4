//! Precedents (moresprudentie): the record, law references, citation ids, the import format.
mod approval;
mod citation;
mod date;
mod draft;
mod import;
mod law_ref;
mod lifecycle;
mod outcome;
mod record;
mod theme;

pub use approval::{
    approve, check_approver, check_editable, request_adoption, send_back, AdoptionRule, AdoptionStep,
    Approval, ApprovalError, Reader,
};
pub use citation::{CitationError, CitationId};
pub use date::{CalendarDate, DateError};
pub use draft::{can_draft, draft, pseudonym, DraftContext, DraftError};
pub use import::{parse_import, parse_line, ImportError, ImportErrorKind, ImportLine, IMPORT_KEYS};
pub use law_ref::{LawRef, LawRefError, PARTICIPATIEWET, PARTICIPATIEWET_BWB};
pub use lifecycle::{
    adopt, check_adoptable, check_counts, check_law_refs, citation_year, correct, edit_draft, text_fields,
    validate, withdraw, LifecycleError, RecordProblem,
};
pub use outcome::{OutcomeType, Status};
pub use record::{
    is_ecli, Action, AnonymisationReview, CourtRuling, Dialogue, DilemmaOption, Dissent, MethodUsed,
    PerspectiveRow, Position, Precedent, RelatedPrecedent, Relation, SearchText, StatusChange,
};
pub use theme::{normalise_tag, normalise_tags, split_themes, Theme, UnknownTheme, MAX_TAG_CHARS};
