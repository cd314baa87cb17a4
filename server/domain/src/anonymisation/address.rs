//! Addresses: a street name followed by a house number (`Stationsweg 8`,
//! `Molenstraat 41-B`, `Van Goghstraat 7-II`, `Kerkstraat 3a`), a
//! capitalised name and number right after an address cue (`woont op Het
//! Zand 3`), and rooms in a care home (`kamer 214` near `verpleeghuis`).
//! Postcodes and place names are not part of the span.
//!
//! Streets without a street suffix (`Weteringschans 28`, `Lange Voorhout 9`,
//! `Plein 1944 12`) are found by their shape: a capitalised word that is not
//! a listed first name or surname, stopword, title, role, organisation or
//! law word, nor one of the nouns that take a number (`Groep 8`, `Fase 2`),
//! followed by a house number of at most four digits that is not a year (a
//! year is part of the name when a house number follows it). No street list
//! is embedded: the official one (BAG) is not on crates.io, and the copy in
//! Deduce's PyPI package is LGPL data of 2.2 MB.

use std::sync::LazyLock;

use regex::Regex;

use super::boundary::{ahead, back, char_at, char_before};
use super::finding::Span;
use super::kind::Kind;
use super::lexicon::LEXICON;
use super::name::TITLES;
use super::roles::role_of;
use super::street::{is_org_word, is_street_word};
use super::tokens::{Gap, Word};

/// Words that announce an address within the next few words.
const CUES: &[&str] = &[
    "woont",
    "wonen",
    "wonend",
    "woonachtig",
    "woonde",
    "verhuisd",
    "verhuist",
    "verhuisde",
    "verhuizen",
    "verblijft",
    "verbleef",
    "adres",
    "woonadres",
    "postadres",
    "briefadres",
    "ingeschreven",
    "inschrijving",
    "woning",
    "huurwoning",
];

/// Lowercase words that may sit inside a street name (`Jan van Galenstraat`).
const STREET_LINKS: &[&str] = &["van", "de", "der", "den", "'t", "het", "la", "le", "ter", "ten"];

/// House-number additions after a space: `12 hs`, `7 II`, `3 bis`.
const SPACED_ADDITIONS: &[&str] =
    &["hs", "bis", "huis", "boven", "beneden", "bg", "I", "II", "III", "IV", "zw", "rd", "hg", "sous"];

/// Words near which `kamer 12` is a room in a care home.
const CARE_WORDS: &[&str] = &[
    "woonzorgcentrum",
    "verpleeghuis",
    "zorgcentrum",
    "verzorgingshuis",
    "zorginstelling",
    "zorglocatie",
    "woonzorg",
    "hospice",
    "tehuis",
    "kliniek",
    "instelling",
    "woongroep",
    "beschermd wonen",
    "verpleegafdeling",
    "psychogeriatrische",
    "revalidatiecentrum",
    "opvang",
    "verblijft",
    "woont",
    "opgenomen",
];

static ROOM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:kamer|kamernummer|appartement|app\.|unit)[ \u{a0}]*(?:nr\.?|nummer)?[ \u{a0}]*[0-9]{1,4}[a-z]?")
        .expect("room regex")
});

/// Capitalised nouns that take a number without being streets.
const NUMBERED_NOUNS: &[&str] = &[
    "groep",
    "klas",
    "fase",
    "ronde",
    "stap",
    "stappen",
    "week",
    "weken",
    "dag",
    "dagen",
    "maand",
    "jaar",
    "kamer",
    "versie",
    "model",
    "type",
    "klasse",
    "niveau",
    "schaal",
    "trede",
    "lijn",
    "bus",
    "tram",
    "route",
    "zone",
    "blok",
    "sector",
    "regio",
    "pagina",
    "blz",
    "punt",
    "punten",
    "nummer",
    "nr",
    "bijlage",
    "hoofdstuk",
    "artikel",
    "lid",
    "sub",
    "team",
    "windows",
    "iphone",
    "covid",
    "corona",
    "seizoen",
    "aflevering",
    "deel",
    "kwartaal",
    "periode",
    "jaargang",
    "editie",
    "sprint",
    "leerjaar",
    "havo",
    "vwo",
    "vmbo",
    "mbo",
    "hbo",
    "graad",
    "categorie",
    "cohort",
    "trein",
    "spoor",
    "perron",
    "gate",
    "terminal",
    "verdieping",
    "etage",
    "stoel",
    "tafel",
    "formulier",
    "vraag",
    "opdracht",
    "taak",
    "module",
    "les",
    "toets",
    "uur",
    "minuut",
    "minuten",
    "postcode",
    "huisnummer",
    "code",
    "pincode",
    "kenteken",
    "zaak",
    "zaaknummer",
    "dossier",
];

/// A capitalised word that may be a street name without a street suffix.
fn may_be_bare_street(w: &Word<'_>) -> bool {
    let f = w.folded.as_ref();
    w.cap
        && !w.all_caps
        && f.len() >= 4
        && !LEXICON.is_known_name(f)
        && !LEXICON.stopwords.contains(f)
        && !LEXICON.ambiguous.contains(f)
        && !NUMBERED_NOUNS.contains(&f)
        && !TITLES.contains(&f)
        && role_of(f).is_none()
        && !is_org_word(f)
}

/// Quantity words after a number: `3 keer`, `2 weken` (the look-alikes that
/// veto a structured finding in the scan; checked here so that the bare
/// street rule does not even propose them).
const QUANTITY_WORDS: &[&str] = &[
    "keer", "jaar", "jaren", "maand", "maanden", "week", "weken", "dag", "dagen", "uur", "uren", "minuten",
    "euro", "procent", "kinderen", "personen", "stuks", "x",
];

/// A house number after a bare street name: at most four digits, not a year
/// unless another house number follows (`Plein 1944 12`), and no quantity
/// word after it.
fn bare_house_number(text: &str, pos: usize) -> Option<usize> {
    let end = house_number(text, pos)?;
    let number = number_at(text, pos, end);
    let digits = number.bytes().take_while(u8::is_ascii_digit).count();
    let end = match with_year_in_name(text, pos, end) {
        Some(e) => e,
        None if year_like(number) || digits > 4 => return None,
        None => end,
    };
    let next: String = text[end..].chars().skip(1).take_while(|c| c.is_alphabetic()).collect();
    let postcode = next.len() == 2 && next.bytes().all(|b| b.is_ascii_uppercase());
    (!postcode && !QUANTITY_WORDS.contains(&next.to_lowercase().as_str())).then_some(end)
}

/// The house number `house_number(text, pos)` read, without its leading space.
fn number_at(text: &str, pos: usize, end: usize) -> &str {
    text[pos..end].trim_start_matches([' ', '\u{a0}'])
}

fn year_like(number: &str) -> bool {
    number.len() == 4 && (number.starts_with("19") || number.starts_with("20"))
}

/// A year that is part of a street name, followed by the house number:
/// `Plein 1944 12`, `Laan 1940 3a`; returns the end of the house number.
fn with_year_in_name(text: &str, pos: usize, end: usize) -> Option<usize> {
    if !year_like(number_at(text, pos, end)) {
        return None;
    }
    house_number(text, end).filter(|&e| e - end <= 6 && !year_like(number_at(text, end, e)))
}

/// Parses a house number starting with a space at byte `pos`; returns its end.
fn house_number(text: &str, pos: usize) -> Option<usize> {
    let rest = &text[pos..];
    let after = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('\u{a0}'))?;
    let base = pos + (rest.len() - after.len());
    let bytes = text.as_bytes();
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=5).contains(&digits) || after.starts_with('0') {
        return None;
    }
    let mut end = base + digits;
    // A letter glued on: 3a, 12B.
    if bytes.get(end).is_some_and(u8::is_ascii_alphabetic)
        && !char_at(text, end + 1).is_some_and(char::is_alphanumeric)
    {
        end += 1;
    }
    if bytes.get(end) == Some(&b'-') {
        // 41-B, 7-II, 12-14, 3-hoog, 5-bis
        let run = text[end + 1..].chars().take_while(|c| c.is_alphanumeric()).count();
        let suffix = &text[end + 1..end + 1 + run];
        let ok = (1..=4).contains(&run)
            && (suffix.chars().all(|c| c.is_ascii_digit())
                || suffix.chars().all(|c| c.is_ascii_alphabetic()) && run <= 3
                || matches!(suffix, "hoog" | "huis" | "bis"));
        if ok {
            end += 1 + run;
        }
    } else if bytes.get(end) == Some(&b' ') {
        let next: String = text[end + 1..].chars().take_while(|c| c.is_alphanumeric()).collect();
        // `12 hs`, `7 II`, or a spaced letter `12 A` right before a comma or the end.
        let letter_then_stop = next.len() == 1
            && next.bytes().all(|b| b.is_ascii_uppercase())
            && text[end + 2..].chars().next().is_none_or(|c| matches!(c, ',' | ';' | ')' | '\n'));
        if SPACED_ADDITIONS.contains(&next.as_str()) || letter_then_stop {
            end += 1 + next.len();
        }
    }
    if char_at(text, end).is_some_and(char::is_alphanumeric) {
        return None;
    }
    // Not a decimal or a range of something else: "8,5", "8.000".
    let mut after_end = text[end..].chars();
    if matches!(after_end.next(), Some(',' | '.')) && after_end.next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(end)
}

fn cue_before(text: &str, words: &[Word<'_>], i: usize) -> bool {
    let from = i.saturating_sub(4);
    for k in (from..i).rev() {
        let gap = &text[words[k].end..words[k + 1].start];
        if gap.contains('\n') || !gap.chars().all(|c| c.is_whitespace() || c == ':') {
            return false;
        }
        if CUES.contains(&words[k].folded.as_ref()) {
            return true;
        }
    }
    false
}

/// Extends a street name to the left over capitalised words and the
/// lowercase links between them (`Burgemeester de Withstraat`).
fn extend_left(words: &[Word<'_>], i: usize) -> usize {
    let mut start = i;
    let mut k = i;
    let mut steps = 0;
    while k > 0 && words[k].gap == Gap::Space && steps < 4 {
        let prev = &words[k - 1];
        let f = prev.folded.as_ref();
        let person_role = role_of(f).is_some_and(|r| !r.professional);
        if TITLES.contains(&f) || person_role || CUES.contains(&f) || prev.all_caps {
            break;
        }
        if prev.cap {
            k -= 1;
            start = k;
        } else if STREET_LINKS.contains(&f) {
            k -= 1;
        } else {
            break;
        }
        steps += 1;
    }
    start
}

pub(crate) fn find(text: &str, words: &[Word<'_>]) -> Vec<Span> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !w.cap || w.all_caps {
            continue;
        }
        let end = if is_street_word(&w.folded) || cue_before(text, words, i) {
            house_number(text, w.end).map(|end| with_year_in_name(text, w.end, end).unwrap_or(end))
        } else if may_be_bare_street(w) {
            bare_house_number(text, w.end)
        } else {
            None
        };
        let Some(end) = end else {
            continue;
        };
        let start = extend_left(words, i);
        out.push(Span::new(Kind::Address, words[start].start, end));
    }
    for m in ROOM.find_iter(text) {
        if char_before(text, m.start()).is_some_and(char::is_alphanumeric)
            || char_at(text, m.end()).is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let window = text[back(text, m.start(), 120)..ahead(text, m.end(), 120)].to_lowercase();
        if CARE_WORDS.iter().any(|c| window.contains(c)) {
            out.push(Span::new(Kind::Address, m.start(), m.end()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let words = tokenize(text);
        find(text, &words).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn street_and_number_forms() {
        let cases = [
            ("woont op Stationsweg 8, 6811 KG Arnhem", "Stationsweg 8"),
            ("Adres: Molenstraat 41-B, 5211AA", "Molenstraat 41-B"),
            ("aan de Van Goghstraat 7-II.", "Van Goghstraat 7-II"),
            ("op Kerkstraat 3a wonen", "Kerkstraat 3a"),
            ("naar Jan van Galenstraat 112 hs verhuisd", "Jan van Galenstraat 112 hs"),
            ("Zij woont op Het Zand 3.", "Het Zand 3"),
            ("op de Markt 12 staat", "Markt 12"),
            ("Prinses Irenelaan 5-3 is het", "Prinses Irenelaan 5-3"),
            ("op Kerkstraat 12 A, 7411 BX", "Kerkstraat 12 A"),
            ("Zij woonde aan de Weteringschans 28 in Amsterdam.", "Weteringschans 28"),
            ("Het kantoor aan het Lange Voorhout 9 was dicht.", "Lange Voorhout 9"),
            ("Zijn oude adres, Plein 1944 12, klopt niet meer.", "Plein 1944 12"),
            ("Hij verbleef een tijd in Oudegracht 231 bis.", "Oudegracht 231 bis"),
        ];
        for (text, expected) in cases {
            assert_eq!(found(text), [expected], "{text}");
        }
    }

    #[test]
    fn care_home_rooms() {
        assert_eq!(found("Zij verblijft in verpleeghuis De Linde, kamer 214."), ["kamer 214"]);
        assert!(found("Het gesprek was in kamer 3 van het stadskantoor.").is_empty());
    }

    #[test]
    fn not_addresses() {
        for text in [
            "artikel 18 lid 2",
            "Hij is 44 jaar.",
            "De uitkering 2024 is verlaagd.",
            "In de Participatiewet 2015 staat het.",
            "de Stationsweg is afgesloten",
            "Loopbaan 3 keer besproken",
            "Zij zit in Groep 8 van de basisschool.",
            "Na Fase 2 volgt de evaluatie.",
            "De Jeugdwet 2015 en de Wmo 2015 gelden ook.",
            "Sinds Corona 2020 is alles anders.",
            "Ahmed 3 keer gebeld.",
            "Mevrouw Jansen 2 weken ziek.",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
