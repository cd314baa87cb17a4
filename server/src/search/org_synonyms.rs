//! An organisation's own synonym groups, kept in its settings JSON (`"synonyms": [[word, …],
//! …]`, set at `/beheer`) and used by every search of its readers besides the shipped list.

use serde_json::Value;

use crate::domain::text::{parse_groups, MAX_ORG_GROUPS};
use crate::store::{Accounts, StoreError};

/// The settings key.
pub const SETTINGS_KEY: &str = "synonyms";

/// The groups stored in `settings`, re-checked (a group that no longer passes is left out).
pub fn groups_from_settings(settings: &Value) -> Vec<Vec<String>> {
    let text = groups_text(settings);
    parse_groups(&text, MAX_ORG_GROUPS).unwrap_or_default()
}

/// The stored groups as the admin page shows them: one group a line, comma separated.
pub fn groups_text(settings: &Value) -> String {
    let Some(groups) = settings.get(SETTINGS_KEY).and_then(Value::as_array) else { return String::new() };
    groups
        .iter()
        .filter_map(Value::as_array)
        .map(|g| g.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The organisation's groups (none when it has no settings).
pub async fn organisation_synonyms(
    accounts: &dyn Accounts,
    organisation_id: i64,
) -> Result<Vec<Vec<String>>, StoreError> {
    Ok(accounts
        .organisation(organisation_id)
        .await?
        .map(|o| groups_from_settings(&o.settings))
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_round_trip_through_settings() {
        let settings = serde_json::json!({ "synonyms": [["wijkteam", "buurtteam"], ["de", "het"]] });
        assert_eq!(groups_text(&settings), "wijkteam, buurtteam\nde, het");
        // A stored group that does not pass (stopwords) makes the stored list unusable as a whole.
        assert!(groups_from_settings(&settings).is_empty());
        let ok = serde_json::json!({ "synonyms": [["wijkteam", "buurtteam"]] });
        assert_eq!(groups_from_settings(&ok), [vec!["wijkteam".to_string(), "buurtteam".to_string()]]);
        assert!(groups_from_settings(&serde_json::json!({})).is_empty());
    }
}
