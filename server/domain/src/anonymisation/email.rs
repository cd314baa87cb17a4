//! E-mail addresses.

use std::sync::LazyLock;

use regex::Regex;

use super::boundary::char_before;
use super::finding::Span;
use super::kind::Kind;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z0-9_%+'\-](?:[a-z0-9._%+'\-]*[a-z0-9_%+'\-])?@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}")
        .expect("email regex")
});

pub(crate) fn find(text: &str) -> Vec<Span> {
    EMAIL
        .find_iter(text)
        .filter(|m| !char_before(text, m.start()).is_some_and(|c| c.is_alphanumeric() || c == '@'))
        .filter(|m| !text[m.end()..].starts_with(|c: char| c.is_alphanumeric()))
        .map(|m| Span::new(Kind::Email, m.start(), m.end()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn finds_addresses_without_trailing_punctuation() {
        assert_eq!(found("mail s.demir72@live.nl."), ["s.demir72@live.nl"]);
        assert_eq!(
            found("(familie.bouzid@gmail.com) of j-o'neil+x@mail.gemeente-x.nl"),
            ["familie.bouzid@gmail.com", "j-o'neil+x@mail.gemeente-x.nl"]
        );
        assert_eq!(found("Tariq@Example.ORG"), ["Tariq@Example.ORG"]);
    }

    #[test]
    fn no_email_without_domain() {
        assert!(found("stuur het @ de balie of naar info@localhost").is_empty());
        assert!(found("e-mail: volgt").is_empty());
    }
}
