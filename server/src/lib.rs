//! Beraad: live intervision and moral case deliberation, with a searchable precedent archive.
//!
//! Data flows one way: http/ws → live (commands) → domain (decide) → store (append, commit)
//! → live (fan-out). The rules live in the `beraad-domain` crate; this crate does the I/O.

pub mod app;
pub mod archive;
pub mod assets;
pub mod audit;
pub mod cli;
pub mod clock;
pub mod config;
pub mod cpu;
pub mod feed;
pub mod guard;
pub mod heap;
pub mod http;
pub mod i18n;
pub mod instance_lock;
pub mod live;
pub mod mail;
pub mod metrics;
pub mod net;
pub mod passwords;
pub mod privacy;
pub mod rhythm;
pub mod search;
pub mod secrets;
pub mod shutdown;
pub mod store;
pub mod telemetry;

pub use beraad_domain as domain;
