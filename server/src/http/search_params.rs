//! The archive search's query string — `q`, `law`, `theme`, `value`, `method`, `team`, `from`,
//! `to`, `page` — read in one place for the JSON API (`/api/v1/precedents`) and the HTML page
//! (`/archief`). [`SearchForm`] keeps what the user typed (a page shows it again next to what
//! is wrong); [`SearchForm::to_query`] turns it into a [`SearchQuery`] or says which parameters
//! do not parse.

use std::collections::HashMap;

use crate::domain::precedent::{CalendarDate, LawRef};
use crate::store::SearchQuery;

/// The parameters, as typed (trimmed; absent = empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SearchForm {
    pub q: String,
    pub law: String,
    pub theme: String,
    pub value: String,
    pub method: String,
    pub team: String,
    pub from: String,
    pub to: String,
    pub page: String,
}

/// A parameter that does not parse; `code` is an `api.error.<code>` message key.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ParamError {
    pub parameter: &'static str,
    pub code: &'static str,
}

/// The parameter names, in the order they are checked and written.
pub const PARAMETERS: [&str; 9] = ["q", "law", "theme", "value", "method", "team", "from", "to", "page"];

impl SearchForm {
    pub fn from_params(params: &HashMap<String, String>) -> Self {
        let get = |key: &str| params.get(key).map(|v| v.trim().to_string()).unwrap_or_default();
        SearchForm {
            q: get("q"),
            law: get("law"),
            theme: get("theme"),
            value: get("value"),
            method: get("method"),
            team: get("team"),
            from: get("from"),
            to: get("to"),
            page: get("page"),
        }
    }

    fn get(&self, key: &str) -> &str {
        match key {
            "q" => &self.q,
            "law" => &self.law,
            "theme" => &self.theme,
            "value" => &self.value,
            "method" => &self.method,
            "team" => &self.team,
            "from" => &self.from,
            "to" => &self.to,
            "page" => &self.page,
            _ => "",
        }
    }

    /// The search, or every parameter that does not parse (in [`PARAMETERS`] order). Blank
    /// parameters count as absent.
    pub fn to_query(&self) -> Result<SearchQuery, Vec<ParamError>> {
        let mut errors = Vec::new();
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let mut check = |parameter: &'static str, code: &'static str, ok: bool| {
            if !ok {
                errors.push(ParamError { parameter, code });
            }
        };
        let law = opt(&self.law).map(|v| LawRef::parse(&v));
        check("law", "invalid_law", !matches!(law, Some(Err(_))));
        let team = opt(&self.team).map(|v| v.parse::<i64>());
        check("team", "invalid_request", !matches!(team, Some(Err(_))));
        let from = opt(&self.from).map(|v| v.parse::<CalendarDate>());
        check("from", "invalid_date", !matches!(from, Some(Err(_))));
        let to = opt(&self.to).map(|v| v.parse::<CalendarDate>());
        check("to", "invalid_date", !matches!(to, Some(Err(_))));
        let page = opt(&self.page).map(|v| v.parse::<u32>().ok().filter(|p| *p >= 1));
        check("page", "invalid_page", !matches!(page, Some(None)));
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SearchQuery {
            organisation_id: None,
            text: self.q.clone(),
            law: law.and_then(Result::ok),
            theme: opt(&self.theme),
            value: opt(&self.value),
            method: opt(&self.method),
            team_id: team.and_then(Result::ok),
            from: from.and_then(Result::ok),
            to: to.and_then(Result::ok),
            page: page.flatten().unwrap_or(1),
            ..SearchQuery::default()
        })
    }

    /// A query string (with the leading `?`) for this form with `changes` applied; blank
    /// parameters are left out, and the page is reset unless `changes` set it.
    pub fn href(&self, path: &str, changes: &[(&str, &str)]) -> String {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for key in PARAMETERS {
            let value = match changes.iter().find(|(k, _)| *k == key) {
                Some((_, v)) => *v,
                None if key == "page" => "",
                None => self.get(key),
            };
            if !value.is_empty() {
                ser.append_pair(key, value);
            }
        }
        let query = ser.finish();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> SearchForm {
        SearchForm::from_params(&pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn a_good_form_becomes_a_query() {
        let q = form(&[
            ("q", " verlaging "),
            ("law", "art. 18"),
            ("from", "2025-01-01"),
            ("page", "2"),
            ("theme", ""),
        ])
        .to_query()
        .unwrap();
        assert_eq!(q.text, "verlaging");
        assert_eq!(q.law.unwrap().article, "18");
        assert_eq!(q.from.unwrap().to_string(), "2025-01-01");
        assert_eq!(q.page, 2);
        assert_eq!(q.theme, None);
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let errors = form(&[("law", "lid 2"), ("from", "2025-02-30"), ("to", "gisteren"), ("page", "0")])
            .to_query()
            .unwrap_err();
        let named: Vec<_> = errors.iter().map(|e| (e.parameter, e.code)).collect();
        assert_eq!(
            named,
            [
                ("law", "invalid_law"),
                ("from", "invalid_date"),
                ("to", "invalid_date"),
                ("page", "invalid_page")
            ]
        );
    }

    #[test]
    fn links_keep_the_form_reset_the_page_and_encode() {
        let f = form(&[("q", "dringende redenen"), ("page", "3"), ("law", "art. 18")]);
        assert_eq!(
            f.href("/archief", &[("theme", "boete")]),
            "/archief?q=dringende+redenen&law=art.+18&theme=boete"
        );
        assert_eq!(f.href("/archief", &[("page", "4")]), "/archief?q=dringende+redenen&law=art.+18&page=4");
        assert_eq!(f.href("/archief", &[("law", "")]), "/archief?q=dringende+redenen");
        assert_eq!(SearchForm::default().href("/archief", &[]), "/archief");
    }
}
