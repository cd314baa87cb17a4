//! Privacy (AVG), see docs/privacy.md: the daily retention job (`retention_job.rs`), erasing a
//! person's account (`erasure.rs`) and what Beraad holds about a person (`export.rs`, an
//! access request). The store side is `store::Retention`; the rules (periods, bounds) are in
//! `beraad_domain::retention`.

pub mod erasure;
pub mod export;
pub mod retention_job;
