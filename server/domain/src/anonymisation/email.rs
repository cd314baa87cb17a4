//! E-mail addresses.

use super::boundary::{char_at, char_before};
use super::finding::Span;
use super::kind::Kind;

fn is_local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')
}

fn is_domain_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Finds e-mail addresses by expanding around each `@`: a local part of
/// ASCII letters, digits and `._%+-'` (not starting or ending with a dot), a
/// domain of labels separated by dots ending in an alphabetic top-level
/// domain of two or more letters. Trailing sentence punctuation is excluded.
pub(crate) fn find(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out: Vec<Span> = Vec::new();
    for (at, _) in text.match_indices('@') {
        if out.last().is_some_and(|s| s.end > at) {
            continue;
        }
        let mut start = at;
        while start > 0 && is_local_char(bytes[start - 1]) {
            start -= 1;
        }
        while start < at && matches!(bytes[start], b'.' | b'\'' | b'-') {
            start += 1;
        }
        if start == at || bytes[at - 1] == b'.' || char_before(text, start).is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let mut end = at + 1;
        while end < bytes.len() && is_domain_char(bytes[end]) {
            end += 1;
        }
        // Drop trailing dots and dashes ("...@live.nl.").
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if char_at(text, end).is_some_and(char::is_alphanumeric) {
            continue;
        }
        let domain = &text[at + 1..end];
        let labels: Vec<&str> = domain.split('.').collect();
        let tld = labels[labels.len() - 1];
        let valid = labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
            && tld.len() >= 2
            && tld.bytes().all(|b| b.is_ascii_alphabetic());
        if valid {
            out.push(Span::new(Kind::Email, start, end));
        }
    }
    out
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
