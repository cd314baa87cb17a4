//! Dates of birth. A date is a date of birth when a birth cue (`geboren`,
//! `geb.`, `geboortedatum`) precedes it in the same clause, when
//! `(geboortedatum)` follows it, or when it stands in parentheses right after
//! a name (`Jansen (12-03-1985)`). Every other date (a meeting, a decision)
//! is not an identifier.

use super::boundary::{ahead, back};
use super::dates::DateMatch;
use super::finding::Span;
use super::kind::Kind;

const CUES: &[&str] =
    &["geboren", "geb.", "geb ", "geb:", "geboortedatum", "geboortedag", "geboorte", "dob", "d.o.b", "°"];

/// A birth cue in the same clause before byte `start`, at most a few words away.
fn cue_before(text: &str, start: usize) -> bool {
    let from = back(text, start, 48);
    let window = text[from..start].to_lowercase();
    CUES.iter().any(|cue| {
        window.rfind(cue).is_some_and(|at| {
            let between = &window[at + cue.len()..];
            between.chars().count() <= 28 && !between.contains(['.', ';', '!', '?', '\n', ',', '('])
        })
    })
}

fn cue_after(text: &str, end: usize) -> bool {
    let window = text[end..ahead(text, end, 24)].to_lowercase();
    let clause = window.split(['.', ';', '\n']).next().unwrap_or("");
    clause.contains("geboortedatum") || clause.contains("geboren")
}

/// `Jansen (12-03-1985)`: the date opens a parenthesis right after a name.
fn after_name(text: &str, date: &DateMatch, names: &[Span]) -> bool {
    let before = text[..date.start].trim_end();
    let Some(before) = before.strip_suffix('(') else {
        return false;
    };
    let name_end = before.trim_end().len();
    // Names are sorted and do not overlap, so their ends are sorted too.
    let at = names.partition_point(|n| n.end < name_end);
    text[date.end..].trim_start().starts_with(')') && names.get(at).is_some_and(|n| n.end == name_end)
}

/// Splits dates into dates of birth (spans) and other dates (protected).
pub(crate) fn classify(text: &str, dates: &[DateMatch], names: &[Span]) -> (Vec<Span>, Vec<(usize, usize)>) {
    let mut dobs = Vec::new();
    let mut others = Vec::new();
    for d in dates {
        let cued = cue_before(text, d.start) || cue_after(text, d.end);
        if cued || (!d.short_year && after_name(text, d, names)) {
            dobs.push(Span::new(Kind::Dob, d.start, d.end));
        } else {
            others.push((d.start, d.end));
        }
    }
    (dobs, others)
}

#[cfg(test)]
mod tests {
    use super::super::dates;
    use super::*;

    fn dobs(text: &str, names: &[Span]) -> Vec<String> {
        let (d, _) = classify(text, &dates::find(text), names);
        d.iter().map(|s| text[s.start..s.end].to_owned()).collect()
    }

    #[test]
    fn birth_cues() {
        assert_eq!(dobs("Mw. Demir (geboren 17 oktober 1972) mailde", &[]), ["17 oktober 1972"]);
        assert_eq!(dobs("Geboortedatum: 08-12-1995. Adres: X", &[]), ["08-12-1995"]);
        assert_eq!(dobs("geb. 1985-03-12, woont", &[]), ["1985-03-12"]);
        assert_eq!(dobs("hij is geboren op 12/03/1985 in Utrecht", &[]), ["12/03/1985"]);
        assert_eq!(dobs("geb. 3-4-61", &[]), ["3-4-61"]);
        assert_eq!(dobs("12-03-1985 (geboortedatum)", &[]), ["12-03-1985"]);
    }

    #[test]
    fn date_after_a_name() {
        let text = "Jansen (12-03-1985) belde.";
        let name = Span::new(Kind::Name, 0, 6);
        assert_eq!(dobs(text, &[name]), ["12-03-1985"]);
        assert!(dobs(text, &[]).is_empty());
    }

    #[test]
    fn other_dates_are_not_dobs() {
        for text in [
            "Het gesprek was op 12 maart 2024.",
            "Geboren in Syrië, kwam zij op 3 mei 2015 naar Nederland.",
            "Besluit van 01-02-2023, bezwaar op 15-03-2023.",
            "Zij is in 1985 geboren.",
        ] {
            assert!(dobs(text, &[]).is_empty(), "{text}");
        }
    }
}
