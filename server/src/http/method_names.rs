//! The method library's names, for pages that show or filter by method key.

use crate::app::AppState;
use crate::domain::method::{builtin_methods, Lang as MethodLang, Method};
use crate::i18n::Lang;
use crate::store::StoreError;

/// The method library: the built-in methods, then the ones added (`POST /api/v1/methods`).
pub async fn all_methods(state: &AppState) -> Result<Vec<Method>, StoreError> {
    let mut methods = builtin_methods();
    for definition in state.store.custom_methods().await? {
        if let Ok(method) = serde_json::from_value::<Method>(definition) {
            methods.push(method);
        }
    }
    Ok(methods)
}

/// The methods' language for a page language.
pub fn method_lang(lang: Lang) -> MethodLang {
    match lang {
        Lang::Nl => MethodLang::Nl,
        Lang::En => MethodLang::En,
    }
}

/// One name per method key, built-in methods first, in `lang`. A method with variants is named
/// once, without the variant (`Dilemmamethode`).
pub async fn method_names(state: &AppState, lang: Lang) -> Result<Vec<(String, String)>, StoreError> {
    let methods = all_methods(state).await?;
    let method_lang = method_lang(lang);
    let mut out: Vec<(String, String)> = Vec::new();
    for m in &methods {
        if out.iter().any(|(key, _)| *key == m.key) {
            continue;
        }
        let name = m.name.get(method_lang);
        let name = if m.variant.is_some() { name.split(" (").next().unwrap_or(name) } else { name };
        out.push((m.key.clone(), name.to_string()));
    }
    Ok(out)
}

/// The name of `key` among `names`, else the key itself.
pub fn name_of<'a>(names: &'a [(String, String)], key: &'a str) -> &'a str {
    names.iter().find(|(k, _)| k == key).map(|(_, n)| n.as_str()).unwrap_or(key)
}

/// The full name of a method and variant (`Dilemmamethode (vraag eerst)`) among `methods`, in
/// `lang`; without a matching variant the method's name as [`method_names`] gives it.
pub fn full_name_of(
    methods: &[Method],
    names: &[(String, String)],
    key: &str,
    variant: Option<&str>,
    lang: Lang,
) -> String {
    methods
        .iter()
        .find(|m| m.key == key && m.variant.as_deref() == variant && variant.is_some())
        .map(|m| m.name.get(method_lang(lang)).to_owned())
        .unwrap_or_else(|| name_of(names, key).to_owned())
}
