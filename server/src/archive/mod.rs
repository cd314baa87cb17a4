//! The precedent archive's glue between the domain and the store: importing JSON Lines files
//! ([`import`]) and exporting them again ([`export`]).

pub mod export;
pub mod import;
pub mod similar;
pub mod view;

pub use import::{import_file, screen, ImportFailure, ImportReport, DEFAULT_ORG_CODE};
