//! What the store indexes for one precedent.

/// The searchable parts of a precedent besides its title, given with it to `upsert_precedent`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrecedentIndex {
    /// All other prose, one part a line (see `Precedent::search_text`).
    pub body: String,
    /// `LawRef::index_key()` of every law reference.
    pub law_keys: Vec<String>,
    /// Controlled theme labels.
    pub themes: Vec<String>,
    /// Normalised free tags.
    pub tags: Vec<String>,
    /// Values named in the deliberation, normalised like tags.
    pub values: Vec<String>,
}

impl PrecedentIndex {
    /// The side-table rows `(kind, label)`, without duplicates.
    pub fn labels(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let lists: [(&'static str, &Vec<String>); 3] =
            [("theme", &self.themes), ("tag", &self.tags), ("value", &self.values)];
        for (kind, list) in lists {
            for label in list {
                if let Some(l) = crate::domain::precedent::normalise_tag(label) {
                    if !out.iter().any(|(k, x)| *k == kind && *x == l) {
                        out.push((kind, l));
                    }
                }
            }
        }
        out
    }

    /// The law keys without duplicates.
    pub fn unique_law_keys(&self) -> Vec<String> {
        let mut keys = self.law_keys.clone();
        keys.sort();
        keys.dedup();
        keys
    }
}
