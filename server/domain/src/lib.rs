//! Beraad's pure domain core.
//!
//! Everything here is deterministic and free of I/O: no async, no database, no HTTP.
//! The server decides nothing by itself; it asks this crate and then stores and sends
//! what the crate decided.

pub mod access;
pub mod accounts;
pub mod anonymisation;
pub mod audit;
pub mod local_time;
pub mod method;
#[cfg(feature = "openapi")]
mod openapi;
pub mod practice;
pub mod precedent;
pub mod problems;
pub mod retention;
pub mod rhythm;
pub mod session;
pub mod text;
