//! Street-name and organisation-name morphology shared by the address and
//! name detectors.

use std::sync::LazyLock;

/// Suffixes grouped by their last byte, so a word is compared only with the
/// few suffixes that end like it.
struct Suffixes {
    by_last: Vec<Vec<&'static str>>,
}

impl Suffixes {
    fn new(list: &[&'static str]) -> Self {
        let mut by_last = vec![Vec::new(); 256];
        for s in list {
            by_last[usize::from(*s.as_bytes().last().expect("non-empty suffix"))].push(*s);
        }
        Suffixes { by_last }
    }

    /// The suffixes `word` ends with.
    fn matching<'w>(&'w self, word: &'w str) -> impl Iterator<Item = &'static str> + 'w {
        let bucket = word.as_bytes().last().map_or(&[][..], |&b| &self.by_last[usize::from(b)][..]);
        bucket.iter().copied().filter(move |s| word.ends_with(s))
    }
}

/// Every street ending: the strong ones and the weak ones.
static STREETS: LazyLock<Suffixes> =
    LazyLock::new(|| Suffixes::new(&[STRONG_STREET_SUFFIXES, WEAK_STREET_SUFFIXES].concat()));
static ORGS: LazyLock<Suffixes> = LazyLock::new(|| Suffixes::new(ORG_SUFFIXES));

/// Endings of Dutch street names (`Stationsweg`, `Molenstraat`) besides the strong ones below:
/// these also end surnames or common words.
const WEAK_STREET_SUFFIXES: &[&str] = &[
    "dijk", "pad", "hof", "park", "wal", "haven", "erf", "veld", "baan", "poort", "brug", "akker", "gaarde",
    "weide", "hoeve", "wetering", "vaart", "zoom", "rade", "donk", "kamp", "ring", "dam", "hout", "berg",
    "burcht", "oord", "horst", "kwartier", "galerij", "passage", "kanaal", "bolwerk",
];

/// Words that end like a street but are not streets.
const NOT_STREETS: &[&str] = &[
    "loopbaan",
    "gerechtshof",
    "arbeidsmarkt",
    "uitkering",
    "bedrijvenpark",
    "speelveld",
    "werkveld",
    "vakgebied",
    "beleidsveld",
    "aandachtsveld",
    "spanningsveld",
    "krachtenveld",
    "carriere",
    "hoofdweg",
    "omweg",
    "snelweg",
    "uitweg",
    "middenweg",
    "tussenweg",
    "zijweg",
    "rijbaan",
    "leerpad",
    "zorgpad",
    "ontwikkelpad",
    "trajectpad",
    "gemeenteraad",
    "verjaardag",
];

/// Street words that also occur on their own: `Markt 5`, `Brink 12`.
const STANDALONE_STREETS: &[&str] =
    &["markt", "brink", "dam", "ring", "plein", "vismarkt", "groenmarkt", "kade", "boulevard"];

/// True when a folded word has the shape of a street name.
pub(crate) fn is_street_word(folded: &str) -> bool {
    if STANDALONE_STREETS.contains(&folded) {
        return true;
    }
    if NOT_STREETS.contains(&folded) || folded.ends_with("ering") {
        return false;
    }
    STREETS.matching(folded).any(|s| folded.len() >= s.len() + 3)
}

/// Street endings that are (almost) never surname endings: a word with one
/// of them is not taken as a name. Weaker endings such as `-veld`, `-dijk`,
/// `-kamp` or `-hof` end many surnames (Westerveld, Groenendijk, Haverkamp).
const STRONG_STREET_SUFFIXES: &[&str] = &[
    "straat",
    "straatje",
    "weg",
    "laan",
    "laantje",
    "plein",
    "pleintje",
    "gracht",
    "kade",
    "singel",
    "steeg",
    "steegje",
    "dreef",
    "plantsoen",
    "markt",
    "allee",
    "boulevard",
    "promenade",
];

static STRONG_STREETS: LazyLock<Suffixes> = LazyLock::new(|| Suffixes::new(STRONG_STREET_SUFFIXES));

/// True when a folded word ends like a street and not like a surname.
pub(crate) fn is_strong_street_word(folded: &str) -> bool {
    STANDALONE_STREETS.contains(&folded)
        || (!NOT_STREETS.contains(&folded)
            && STRONG_STREETS.matching(folded).any(|s| folded.len() >= s.len() + 3))
}

/// Endings of organisation, law and scheme names.
const ORG_SUFFIXES: &[&str] = &[
    "wet",
    "regeling",
    "besluit",
    "verordening",
    "beleid",
    "dienst",
    "bank",
    "centrum",
    "school",
    "kliniek",
    "fonds",
    "groep",
    "team",
    "raad",
    "bureau",
    "kantoor",
    "winkel",
    "bedrijf",
    "instituut",
    "academie",
    "vereniging",
    "stichting",
    "werk",
    "zorg",
    "hulp",
    "loket",
    "toeslag",
    "uitkering",
    "voorziening",
    "premie",
    "kamer",
    "rechtbank",
    "ministerie",
    "gemeente",
    "erij",
    "ziekenhuis",
    "verpleeghuis",
    "buurthuis",
    "stadhuis",
    "gemeentehuis",
    "clubhuis",
    "wijkhuis",
    "opvang",
    "norm",
    "organisatie",
    "corporatie",
    "omroep",
    "partij",
    "bond",
    "unie",
    "net",
];

/// True when a folded word has the shape of an organisation or law name.
pub(crate) fn is_org_word(folded: &str) -> bool {
    ORGS.matching(folded).any(|s| folded.len() > s.len() + 2 || folded == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streets() {
        for s in ["stationsweg", "molenstraat", "oudegracht", "markt", "irenelaan", "binnenring"] {
            assert!(is_street_word(s), "{s}");
        }
        for s in ["uitkering", "vergadering", "loopbaan", "weg", "jansen", "gerechtshof"] {
            assert!(!is_street_word(s), "{s}");
        }
    }

    #[test]
    fn organisations() {
        for s in ["participatiewet", "vluchtelingenwerk", "voedselbank", "bakkerij", "team"] {
            assert!(is_org_word(s), "{s}");
        }
        for s in ["jansen", "veldhuis", "demir", "werkman"] {
            assert!(!is_org_word(s), "{s}");
        }
    }
}
