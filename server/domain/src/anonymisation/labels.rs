//! Replacement labels in court practice: `[cliënt]`, `[partner]`,
//! `[persoon B]`, `[adres]`, `[geboortedatum] 1985`, ... The same person gets
//! the same label throughout a case: `Mevrouw Jansen`, `Jansen` and
//! `mw. Jansen` are one person; `Ahmed` after `haar partner` is `[partner]`.

use super::finding::{Finding, Span};
use super::kind::Kind;
use super::lexicon::fold;
use super::name::name_keys;
use super::offsets::chars_to_bytes;
use super::roles::{role_of, POSSESSIVES};
use rustc_hash::FxHashMap;

/// The label for a non-name kind (names depend on the whole case).
fn fixed_label(kind: Kind, text: &str) -> String {
    match kind {
        Kind::Bsn => "[BSN]".into(),
        Kind::Iban => "[IBAN]".into(),
        Kind::Email => "[e-mail]".into(),
        Kind::Phone => "[telefoonnummer]".into(),
        Kind::Postcode => "[postcode]".into(),
        Kind::Plate => "[kenteken]".into(),
        Kind::Address => "[adres]".into(),
        Kind::Dob => match four_digit_year(text) {
            Some(year) => format!("[geboortedatum] {year}"),
            None => "[geboortedatum]".into(),
        },
        Kind::Name => "[persoon]".into(),
    }
}

fn four_digit_year(date: &str) -> Option<&str> {
    let bytes = date.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                return Some(&date[start..i]);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The last word of `s` (letters, apostrophes and hyphens), folded.
fn last_word(s: &str) -> (String, &str) {
    let trimmed = s.trim_end_matches(|c: char| c.is_whitespace() || c == ',');
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic() || matches!(c, '\'' | '’' | '-'))
        .last()
        .map_or(trimmed.len(), |(i, _)| i);
    (fold(&trimmed[start..]), &trimmed[..start])
}

/// The role word right before a name (`haar zoon Tim`), or in an apposition
/// right after it (`Ahmed, haar partner,`).
fn role_near(text: &str, start: usize, end: usize) -> Option<&'static str> {
    let (word, rest) = last_word(&text[..start]);
    if let Some(role) = role_of(&word) {
        let (before, _) = last_word(rest);
        if !role.needs_possessive || POSSESSIVES.contains(&before.as_str()) {
            return Some(role.label);
        }
    }
    let after = text[end..].strip_prefix(", ")?;
    let mut words = after.split(|c: char| !(c.is_alphabetic() || c == '-')).filter(|w| !w.is_empty());
    let first = fold(words.next()?);
    let candidate = if POSSESSIVES.contains(&first.as_str()) || first == "de" {
        fold(words.next()?)
    } else {
        return None;
    };
    role_of(&candidate).filter(|r| !r.professional).map(|r| r.label)
}

struct Person {
    keys: Vec<String>,
    role: Option<&'static str>,
}

/// Same person: one's name parts contain the other's, or they share a
/// surname and one of them has no first name.
fn same_person(a: &[String], b: &[String]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let a_in_b = a.iter().all(|k| b.contains(k));
    let b_in_a = b.iter().all(|k| a.contains(k));
    a_in_b || b_in_a
}

/// Labels for byte spans sorted by start.
pub(crate) fn labels_for(text: &str, spans: &[Span]) -> Vec<String> {
    let mut persons: Vec<Person> = Vec::new();
    let mut person_of: Vec<Option<usize>> = vec![None; spans.len()];
    // Name part -> persons having it, so matching is not quadratic.
    let mut by_key: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, s) in spans.iter().enumerate() {
        if s.kind != Kind::Name {
            continue;
        }
        let keys = name_keys(&text[s.start..s.end]);
        let role = role_near(text, s.start, s.end);
        let mut sharing: Vec<usize> = keys.iter().filter_map(|k| by_key.get(k)).flatten().copied().collect();
        sharing.sort_unstable();
        let found = sharing.into_iter().rev().find(|&idx| {
            let p = &persons[idx];
            same_person(&p.keys, &keys) && (role.is_none() || p.role.is_none() || p.role == role)
        });
        let idx = match found {
            Some(idx) => {
                let p = &mut persons[idx];
                for k in &keys {
                    if !p.keys.contains(k) {
                        p.keys.push(k.clone());
                    }
                }
                p.role = p.role.or(role);
                idx
            }
            None => {
                persons.push(Person { keys: keys.clone(), role });
                persons.len() - 1
            }
        };
        for k in keys {
            let list = by_key.entry(k).or_default();
            if list.last() != Some(&idx) {
                list.push(idx);
            }
        }
        person_of[i] = Some(idx);
    }
    let person_labels = person_labels(&persons);
    spans
        .iter()
        .zip(person_of)
        .map(|(s, p)| match p {
            Some(idx) => person_labels[idx].clone(),
            None => fixed_label(s.kind, &text[s.start..s.end]),
        })
        .collect()
}

/// Spreadsheet-style letters: A..Z, then AA, AB, ...
fn letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

fn person_labels(persons: &[Person]) -> Vec<String> {
    let has_client = persons.iter().any(|p| p.role == Some("cliënt"));
    let mut per_role: FxHashMap<&str, usize> = FxHashMap::default();
    for role in persons.iter().filter_map(|p| p.role) {
        *per_role.entry(role).or_default() += 1;
    }
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    let mut roleless = 0usize;
    persons
        .iter()
        .map(|p| match p.role {
            Some(role) if per_role[role] > 1 => {
                let pos = seen.entry(role).or_default();
                *pos += 1;
                format!("[{role} {}]", letters(*pos - 1))
            }
            Some(role) => format!("[{role}]"),
            None => {
                roleless += 1;
                if roleless == 1 && !has_client {
                    "[cliënt]".to_owned()
                } else {
                    // Without an explicit client the first role-less person is
                    // the client, so the next one is B.
                    format!("[persoon {}]", letters(roleless - 1))
                }
            }
        })
        .collect()
}

/// Suggests a replacement label for each finding (char offsets), in order.
/// Names are grouped into persons over the whole text, so the same person
/// gets the same label throughout.
pub fn suggest_labels(text: &str, findings: &[Finding]) -> Vec<String> {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| findings[i].start);
    let mut offsets: Vec<usize> = order.iter().flat_map(|&i| [findings[i].start, findings[i].end]).collect();
    offsets.sort_unstable();
    let Some(bytes) = chars_to_bytes(text, &offsets) else {
        return findings.iter().map(|f| fixed_label(f.kind, &f.text)).collect();
    };
    let byte_of = |c: usize| bytes[offsets.partition_point(|&o| o < c)];
    let spans: Vec<Span> = order
        .iter()
        .map(|&i| {
            let f = &findings[i];
            Span { kind: f.kind, start: byte_of(f.start), end: byte_of(f.end), strong: false }
        })
        .collect();
    let labels = labels_for(text, &spans);
    let mut out = vec![String::new(); findings.len()];
    for (label, &i) in labels.into_iter().zip(&order) {
        out[i] = label;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_go_past_z() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
    }

    #[test]
    fn years_of_birth() {
        assert_eq!(fixed_label(Kind::Dob, "12 maart 1985"), "[geboortedatum] 1985");
        assert_eq!(fixed_label(Kind::Dob, "1985-03-12"), "[geboortedatum] 1985");
        assert_eq!(fixed_label(Kind::Dob, "1-2-85"), "[geboortedatum]");
    }

    #[test]
    fn roles_before_and_after() {
        let text = "haar zoon Tim en Ahmed, haar partner, en zijn vrouw Sara";
        assert_eq!(role_near(text, 10, 13), Some("zoon"));
        assert_eq!(role_near(text, 17, 22), Some("partner"));
        assert_eq!(role_near(text, 52, 56), Some("partner"));
        assert_eq!(role_near("een vrouw Sara", 10, 14), None);
    }
}
