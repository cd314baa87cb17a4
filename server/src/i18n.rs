//! Interface language: Dutch by default, English available. Every interface string comes from
//! `web/locales/<lang>.json`; both files must hold the same keys (a test checks).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::assets::Locales;

/// A supported interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

pub type Catalog = BTreeMap<String, String>;

struct Catalogs {
    nl: Catalog,
    en: Catalog,
}

fn load(lang: Lang) -> Catalog {
    let file = format!("{}.json", lang.code());
    let bytes = Locales::get(&file).unwrap_or_else(|| panic!("web/locales/{file} is missing from the build"));
    serde_json::from_slice(&bytes.data)
        .unwrap_or_else(|e| panic!("web/locales/{file} is not a flat JSON object: {e}"))
}

fn catalogs() -> &'static Catalogs {
    static CATALOGS: OnceLock<Catalogs> = OnceLock::new();
    CATALOGS.get_or_init(|| Catalogs { nl: load(Lang::Nl), en: load(Lang::En) })
}

/// The catalog of one language.
pub fn catalog(lang: Lang) -> &'static Catalog {
    match lang {
        Lang::Nl => &catalogs().nl,
        Lang::En => &catalogs().en,
    }
}

/// The text for `key`, or `None` when the catalog lacks it.
pub fn text(lang: Lang, key: &str) -> Option<&'static str> {
    catalog(lang).get(key).map(String::as_str)
}

/// Every text whose key starts with one of `prefixes`, for a page script (passed as data).
pub fn texts_with_prefixes(lang: Lang, prefixes: &[&str]) -> BTreeMap<&'static str, &'static str> {
    catalog(lang)
        .iter()
        .filter(|(k, _)| prefixes.iter().any(|p| k.starts_with(p)))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}
