//! Precedents (moresprudentie): the record, law references, citation ids, the import format.
