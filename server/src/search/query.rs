//! A search over the archive: free text plus filters.

use crate::domain::precedent::{CalendarDate, LawRef};

/// Results per page unless asked otherwise.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// The most results one page may hold.
pub const MAX_PER_PAGE: u32 = 100;

/// A search. An empty `text` (or one of stopwords only) lists what the filters match, newest
/// first.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    /// Only this organisation's precedents (all when `None`).
    pub organisation_id: Option<i64>,
    /// What the user typed; parsed with `text::query_terms`.
    pub text: String,
    /// Precedents citing this reference or a more specific one (`art. 18` matches
    /// `art. 18 lid 2`, not `art. 18a`).
    pub law: Option<LawRef>,
    /// A controlled theme (by label) or a free tag.
    pub theme: Option<String>,
    /// A value named in the deliberation.
    pub value: Option<String>,
    /// A method key.
    pub method: Option<String>,
    pub team_id: Option<i64>,
    /// Decided on or after this date.
    pub from: Option<CalendarDate>,
    /// Decided on or before this date.
    pub to: Option<CalendarDate>,
    /// 1-based; 0 counts as 1.
    pub page: u32,
    /// 0 means [`DEFAULT_PER_PAGE`]; capped at [`MAX_PER_PAGE`].
    pub per_page: u32,
    /// The fewest query terms a precedent must hold (0 and 1: any one; capped at the number of
    /// terms). Strict terms (`+word`, phrases) must always be held.
    pub min_terms: u32,
    /// The organisation's own synonym groups, used besides the shipped list.
    pub synonym_groups: Vec<Vec<String>>,
}

impl SearchQuery {
    pub fn page(&self) -> u32 {
        self.page.max(1)
    }

    pub fn per_page(&self) -> u32 {
        if self.per_page == 0 {
            DEFAULT_PER_PAGE
        } else {
            self.per_page.min(MAX_PER_PAGE)
        }
    }

    /// The theme filter as stored: a theme label or a normalised tag.
    pub fn theme_label(&self) -> Option<String> {
        let theme = self.theme.as_deref()?;
        match theme.parse::<crate::domain::precedent::Theme>() {
            Ok(t) => Some(t.label().to_string()),
            Err(_) => crate::domain::precedent::normalise_tag(theme),
        }
    }

    /// The value filter as stored: lower-cased and trimmed.
    pub fn value_label(&self) -> Option<String> {
        self.value.as_deref().and_then(crate::domain::precedent::normalise_tag)
    }

    /// The SQL `LIKE` pattern a stored law key (`LawRef::index_key`) must match: the filter's
    /// key as a prefix (`participatiewet/18/%` matches `participatiewet/18/2/` but not
    /// `participatiewet/18a/`). A filter with a sub but no lid matches that sub under any lid
    /// (`participatiewet/18/%/a/`). Keys hold only letters, digits, `-` and `/`, so nothing in
    /// them is a `LIKE` wildcard.
    pub fn law_pattern(&self) -> Option<String> {
        let law = self.law.as_ref()?;
        let key = law.index_key();
        Some(if law.lid.is_none() && law.sub.is_some() {
            key.replacen("/-/", "/%/", 1)
        } else {
            format!("{key}%")
        })
    }
}

impl SearchQuery {
    /// Whether a stored law key matches the law filter (true without one): the key must fit
    /// [`Self::law_pattern`], whose one `%` stands for any run of characters.
    pub fn law_matches(&self, key: &str) -> bool {
        let Some(pattern) = self.law_pattern() else { return true };
        let (prefix, suffix) = pattern.split_once('%').unwrap_or((pattern.as_str(), ""));
        key.len() >= prefix.len() + suffix.len() && key.starts_with(prefix) && key.ends_with(suffix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(law: &str) -> String {
        SearchQuery { law: Some(LawRef::parse(law).unwrap()), ..SearchQuery::default() }
            .law_pattern()
            .unwrap()
    }

    #[test]
    fn law_matching() {
        let q = |law: &str| SearchQuery { law: Some(LawRef::parse(law).unwrap()), ..SearchQuery::default() };
        assert!(q("art. 18").law_matches("participatiewet/18/2/"));
        assert!(q("art. 18").law_matches("participatiewet/18/"));
        assert!(!q("art. 18").law_matches("participatiewet/18a/"));
        assert!(!q("art. 18a").law_matches("participatiewet/18/"));
        assert!(q("art. 18 sub a").law_matches("participatiewet/18/2/a/"));
        assert!(!q("art. 18 sub a").law_matches("participatiewet/18/2/b/"));
        assert!(SearchQuery::default().law_matches("participatiewet/9/"));
    }

    #[test]
    fn law_patterns() {
        assert_eq!(pattern("art. 18"), "participatiewet/18/%");
        assert_eq!(pattern("art. 18 lid 2"), "participatiewet/18/2/%");
        assert_eq!(pattern("18a"), "participatiewet/18a/%");
        assert_eq!(pattern("art. 18 sub a"), "participatiewet/18/%/a/");
    }
}
