//! Deliberation methods as data: rounds built from the primitives in shared/domain/METHODS.md.
