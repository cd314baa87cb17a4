//! The precedent archive's glue between the domain and the store: importing JSON Lines files
//! ([`import`]) and exporting them again ([`export`]), one precedent as people read it
//! ([`view`]), and the precedents most like a text being written ([`similar`]).

pub mod export;
pub mod import;
pub mod lifecycle;
mod markdown_text;
pub mod similar;
pub mod view;

pub use import::{import_file, screen, to_new_precedent, ImportFailure, ImportReport, DEFAULT_ORG_CODE};
