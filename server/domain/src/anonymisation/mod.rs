//! Detection of identifying data in case texts (see shared/domain/ANONYMISATION.md).
