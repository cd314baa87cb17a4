//! The precedent archive's glue between the domain and the store: importing JSON Lines files
//! ([`import`]) and exporting them again ([`export`]).

pub mod export;
pub mod import;
pub mod lifecycle;

pub use import::{import_file, screen, to_new_precedent, ImportFailure, ImportReport, DEFAULT_ORG_CODE};
