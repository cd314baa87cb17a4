//! Every interface string exists in Dutch and in English.

use beraad::i18n::{catalog, Lang};

#[test]
fn both_languages_have_the_same_keys() {
    let nl: Vec<_> = catalog(Lang::Nl).keys().collect();
    let en: Vec<_> = catalog(Lang::En).keys().collect();
    let missing_en: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
    let missing_nl: Vec<_> = en.iter().filter(|k| !nl.contains(k)).collect();
    assert!(missing_en.is_empty(), "missing in en.json: {missing_en:?}");
    assert!(missing_nl.is_empty(), "missing in nl.json: {missing_nl:?}");
    for lang in Lang::ALL {
        for (key, text) in catalog(lang) {
            assert!(!text.trim().is_empty(), "{key} is empty in {}", lang.code());
        }
    }
}

/// Checks every match of `re` (group 1: a key) in the files of `folder`; returns how many.
fn check_keys_in(folder: &str, re: &str) -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let re = regex_lite::Regex::new(re).unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        for cap in re.captures_iter(&source) {
            for lang in Lang::ALL {
                assert!(
                    catalog(lang).contains_key(&cap[1]),
                    "{} uses {} missing in {}",
                    path.display(),
                    &cap[1],
                    lang.code()
                );
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_key_used_in_a_template_exists() {
    let checked = check_keys_in("web/templates", r#"t\(\s*["']([a-z0-9_.]+)["']\s*\)"#);
    assert!(checked > 10, "expected to find translation keys in the templates, found {checked}");
}

/// The scripts get their strings from the page (`data-strings`); every literal key they ask
/// for must exist in both languages.
#[test]
fn every_key_a_script_asks_for_exists() {
    let checked = check_keys_in("web/static/js", r#"\bt\(\s*["'`]([a-z0-9_.]+)["'`]"#);
    assert!(checked > 50, "expected to find translation keys in the scripts, found {checked}");
}
