//! Personal names. Curated name lists (see `lexicon/`) combined with context
//! rules; see docs/anonymisation.md for the reasoning.
//!
//! A name is a *body*: optional initials, an optional surname prefix, then
//! one to four capitalised name parts joined by spaces, hyphens or prefixes
//! (`J.P. van der Berg`, `Anouk van Leeuwen`, `Öztürk-Bakker`). A body is
//! reported when something makes it a name:
//! 1. a title before it (`mevrouw`, `dhr.`, `de heer`, `mr.`): the title is
//!    part of the span;
//! 2. a role word before it (`cliënte`, `haar zoon`, `partner`): the role
//!    word is not part of the span; after a professional's role word
//!    (`consulent`, `wethouder`) the name is left alone;
//! 3. a label (`naam:`), initials, or a capitalised surname prefix in the
//!    middle of a sentence (`De Vries`, `El Amrani`);
//! 4. a first name or surname from the lists (names that are also Dutch
//!    words need a supporting neighbour at the start of a sentence);
//! 5. any other capitalised word in the middle of a sentence that is not a
//!    stopword, place, organisation, law, street or role word, and does not
//!    follow an article or a place preposition;
//! 6. a later mention of a part of a name found by rules 1-5 (`Jansen`
//!    after `Mevrouw Jansen`), anywhere, also at the start of a sentence.

use std::sync::LazyLock;

use super::finding::Span;
use super::kind::Kind;
use super::lexicon::{fold, Lexicon, LEXICON};
use super::roles::{role_of, role_words, POSSESSIVES};
use super::street::{is_org_word, is_strong_street_word};
use super::tokens::{Gap, Word};
use rustc_hash::{FxHashMap, FxHashSet};

/// Titles and honorifics (folded, without the period).
pub(crate) const TITLES: &[&str] = &[
    "mevrouw",
    "mevr",
    "mw",
    "meneer",
    "mnr",
    "dhr",
    "heer",
    "mr",
    "dr",
    "drs",
    "ir",
    "ing",
    "prof",
    "bc",
    "juffrouw",
    "mejuffrouw",
    "mej",
    "fam",
];

/// Titles that are names only with their period (`Ing.` vs the bank ING).
const TITLES_NEED_DOT: &[&str] = &["ing", "dr", "drs", "ir", "prof", "bc", "mej", "fam", "mevr", "mnr"];

/// Surname prefixes (tussenvoegsels), longest sequences first.
const PREFIXES: &[&[&str]] = &[
    &["van", "der"],
    &["van", "den"],
    &["van", "de"],
    &["van", "het"],
    &["van", "'t"],
    &["in", "'t"],
    &["in", "de"],
    &["in", "den"],
    &["in", "het"],
    &["op", "'t"],
    &["op", "de"],
    &["op", "den"],
    &["op", "ten"],
    &["uit", "de"],
    &["uit", "den"],
    &["uit", "het"],
    &["von", "der"],
    &["de", "la"],
    &["de", "los"],
    &["van"],
    &["de"],
    &["der"],
    &["den"],
    &["ter"],
    &["ten"],
    &["te"],
    &["'t"],
    &["el"],
    &["al"],
    &["ben"],
    &["bin"],
    &["ibn"],
    &["abu"],
    &["bou"],
    &["da"],
    &["di"],
    &["du"],
    &["dos"],
    &["das"],
    &["del"],
    &["della"],
    &["la"],
    &["le"],
    &["von"],
    &["zu"],
    &["vander"],
    &["vanden"],
    &["vande"],
    &["ait"],
    &["oude"],
];

/// Words after which a capitalised word is not a person: articles and
/// demonstratives.
const ARTICLES: &[&str] =
    &["de", "het", "een", "deze", "dit", "onze", "welke", "geen", "elke", "ieder", "iedere"];

/// Prepositions and nouns after which a capitalised word is a place.
const PLACE_WORDS: &[&str] = &[
    "in",
    "uit",
    "te",
    "naar",
    "nabij",
    "richting",
    "vanuit",
    "rond",
    "bij",
    "gemeente",
    "provincie",
    "regio",
    "stad",
    "dorp",
    "wijk",
    "buurt",
    "stadsdeel",
    "woonplaats",
    "plaats",
    "omgeving",
    "land",
    "geboorteland",
    "hoofdstad",
    "via",
    "locatie",
    "vestiging",
];

/// Words before a colon that announce a name.
const NAME_LABELS: &[&str] =
    &["naam", "achternaam", "voornaam", "voornamen", "roepnaam", "geboortenaam", "meisjesnaam"];

/// Nouns after which a capitalised run is an organisation's name.
const ORG_NOUNS: &[&str] = &[
    "stichting",
    "woonzorgcentrum",
    "verpleeghuis",
    "zorgcentrum",
    "verzorgingshuis",
    "school",
    "basisschool",
    "ziekenhuis",
    "kerk",
    "moskee",
    "vereniging",
    "bedrijf",
    "winkel",
    "supermarkt",
    "restaurant",
    "kliniek",
    "praktijk",
    "instelling",
    "organisatie",
    "team",
    "afdeling",
    "wijkteam",
    "buurthuis",
    "huisartsenpraktijk",
    "woongroep",
    "zorgboerderij",
    "hotel",
    "camping",
    "cafe",
    "kinderopvang",
    "opvang",
    "locatie",
    "hogeschool",
    "universiteit",
    "firma",
    "bv",
    "nv",
    "woonvorm",
    "zorginstelling",
    "centrum",
    "raad",
    "rechtbank",
    "gerechtshof",
    "ministerie",
    "bureau",
    "dienst",
    "project",
    "programma",
    "fonds",
    "hospice",
    "tehuis",
    "zorglocatie",
    "woonzorglocatie",
    "voetbalclub",
    "club",
    "sportschool",
    "moskeevereniging",
    "uitzendbureau",
    "cursus",
    "training",
    "opleiding",
    "traject",
    "app",
    "website",
    "krant",
    "boek",
    "film",
    "serie",
    "campagne",
    "wijk",
    "buurthuis",
    "theater",
    "museum",
    "werkgever",
    "werkplaats",
    "leerwerkbedrijf",
    "sociaal",
];

/// Multi-word organisation names whose parts could pass for a name.
const ORG_PHRASES: &[&str] = &[
    "albert heijn",
    "leger des heils",
    "zilveren kruis",
    "veilig thuis",
    "raad van state",
    "centrale raad van beroep",
    "tweede kamer",
    "eerste kamer",
    "sint maarten",
    "sint nicolaas",
    "jan linders",
    "hoogvliet",
    "dirk van den broek",
    "vincent van gogh",
    "van gogh",
    "anne frank",
    "willem alexander",
    "maxima",
    "beatrix",
    "juliana",
    "ronald mcdonald",
];

/// A name found by the first pass, in word indices.
#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    first: usize,
    last: usize,
    /// Found through a title, role, label, initials or prefix (not only a list or the capital).
    strong: bool,
    professional: bool,
}

struct Detector<'a> {
    text: &'a str,
    words: &'a [Word<'a>],
    lex: &'static Lexicon,
    /// Words inside an organisation's name.
    blocked: Vec<bool>,
    /// Per word: length of the surname prefix starting there (0 if none).
    prefix: Vec<u8>,
    /// Per word: can be part of a name.
    part: Vec<bool>,
    /// Per word: `PREFIX_HEAD | ORG_NOUN | TRIGGER` bits.
    flags: Vec<u8>,
}

/// Word classes looked up once per word: surname-prefix head, organisation
/// noun, and name trigger (title, label, role word, `de` of `de heer`).
const PREFIX_HEAD: u8 = 1;
const ORG_NOUN: u8 = 2;
const TRIGGER: u8 = 4;

static WORD_FLAGS: LazyLock<FxHashMap<&'static str, u8>> = LazyLock::new(|| {
    let mut m: FxHashMap<&'static str, u8> = FxHashMap::default();
    for p in PREFIXES {
        *m.entry(p[0]).or_default() |= PREFIX_HEAD;
    }
    for w in ORG_NOUNS {
        *m.entry(w).or_default() |= ORG_NOUN;
    }
    for w in TITLES.iter().chain(NAME_LABELS).copied().chain(role_words()).chain(["de"]) {
        *m.entry(w).or_default() |= TRIGGER;
    }
    m
});

static TITLE_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| TITLES.iter().copied().collect());

/// First words of multi-word places (`den` of `den haag`).
static PLACE_HEADS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    LEXICON.places.iter().filter_map(|p| p.split_once(' ').map(|(h, _)| h.to_owned())).collect()
});

impl<'a> Detector<'a> {
    fn new(text: &'a str, words: &'a [Word]) -> Self {
        let n = words.len();
        let mut d = Detector {
            text,
            words,
            lex: &LEXICON,
            blocked: vec![false; n],
            prefix: vec![0; n],
            part: vec![false; n],
            flags: words.iter().map(|w| WORD_FLAGS.get(w.folded.as_ref()).copied().unwrap_or(0)).collect(),
        };
        d.prefix = (0..n).map(|i| d.compute_prefix_len(i) as u8).collect();
        d.block_organisations();
        d.part = (0..n).map(|i| d.compute_is_part(i)).collect();
        d
    }

    fn prefix_len(&self, i: usize) -> usize {
        usize::from(self.prefix[i])
    }

    fn is_part(&self, i: usize) -> bool {
        self.part[i]
    }

    fn folded(&self, i: usize) -> &str {
        &self.words[i].folded
    }

    /// Marks the capitalised run after an organisation noun (`stichting De
    /// Linde`, `Team Inkomen Oost`, `Bakkerij Smit`) as not-a-name.
    fn block_organisations(&mut self) {
        let n = self.words.len();
        for i in 0..n {
            let f = self.folded(i);
            let w = &self.words[i];
            // An organisation noun, an organisation-like word, or an acronym
            // (`ROC Rijn IJssel`, `GGD Gelderland-Midden`).
            let head = self.flags[i] & ORG_NOUN != 0
                || (w.cap && is_org_word(f) && !self.lex.is_known_name(f))
                || (w.all_caps && !TITLE_SET.contains(f));
            if !head {
                continue;
            }
            let mut j = i + 1;
            let mut last_cap = None;
            while j < n && j <= i + 6 && matches!(self.words[j].gap, Gap::Space | Gap::Hyphen) {
                let w = &self.words[j];
                if w.cap || w.all_caps {
                    last_cap = Some(j);
                } else if !matches!(
                    w.folded.as_ref(),
                    "van" | "de" | "der" | "den" | "het" | "voor" | "en" | "'t" | "in" | "op" | "aan"
                ) {
                    break;
                }
                j += 1;
            }
            if let Some(last) = last_cap {
                for b in &mut self.blocked[i + 1..=last] {
                    *b = true;
                }
            }
        }
    }

    fn is_title(&self, i: usize) -> bool {
        let w = &self.words[i];
        let f = w.folded.as_ref();
        if !TITLE_SET.contains(f) {
            return false;
        }
        if TITLES_NEED_DOT.contains(&f) && !w.dot_after {
            return false;
        }
        if f == "heer" {
            return i > 0 && self.folded(i - 1) == "de";
        }
        true
    }

    /// Number of words forming a surname prefix at `i` (0 if none).
    fn compute_prefix_len(&self, i: usize) -> usize {
        if self.flags[i] & PREFIX_HEAD == 0 {
            return 0;
        }
        'seq: for seq in PREFIXES {
            if i + seq.len() > self.words.len() {
                continue;
            }
            for (k, p) in seq.iter().enumerate() {
                let w = &self.words[i + k];
                if w.folded != *p || (k > 0 && w.gap != Gap::Space) {
                    continue 'seq;
                }
            }
            return seq.len();
        }
        0
    }

    fn is_place(&self, i: usize) -> bool {
        let f = self.folded(i);
        if self.lex.places.contains(f) {
            return true;
        }
        let w = &self.words[i];
        if i > 0 && w.gap == Gap::Hyphen && matches!(self.folded(i - 1), "'s" | "sint") {
            return true;
        }
        if i > 0 && w.gap == Gap::Space && PLACE_HEADS.contains(self.folded(i - 1)) {
            let pair = format!("{} {}", self.folded(i - 1), f);
            if self.lex.places.contains(&pair) {
                return true;
            }
        }
        if i + 1 < self.words.len() && self.words[i + 1].gap == Gap::Space && PLACE_HEADS.contains(f) {
            let pair = format!("{} {}", f, self.folded(i + 1));
            if self.lex.places.contains(&pair) {
                return true;
            }
        }
        after_postcode(self.text, w.start)
    }

    /// A capitalised word that can be part of a name.
    fn compute_is_part(&self, i: usize) -> bool {
        let w = &self.words[i];
        let f = w.folded.as_ref();
        if !w.cap || w.all_caps || f.chars().count() < 2 || self.blocked[i] {
            return false;
        }
        if self.lex.stopwords.contains(f) || role_of(f).is_some() || TITLES.contains(&f) {
            return false;
        }
        // The first half of a compound noun (`Uber-chauffeur`, `Wmo-consulent`).
        if let Some(next) = self.words.get(i + 1) {
            if next.gap == Gap::Hyphen && !next.cap && self.flags[i + 1] & PREFIX_HEAD == 0 {
                return false;
            }
        }
        let known = self.lex.is_known_name(f);
        if known {
            return !self.lex.places.contains(f) || self.lex.first_names.contains(f);
        }
        !(is_strong_street_word(f) || is_org_word(f) || self.is_place(i))
    }

    fn after(&self, i: usize, set: &[&str]) -> bool {
        i > 0
            && self.words[i].gap == Gap::Space
            && set.contains(&self.folded(i - 1))
            && !self.words[i - 1].cap
    }

    /// Parses a name body starting at word `i`; returns its last word.
    fn parse_body(&self, i: usize, leading_prefix: bool) -> Option<usize> {
        let n = self.words.len();
        let mut j = i;
        while j < n && self.words[j].is_initial() {
            if j + 1 < n && matches!(self.words[j + 1].gap, Gap::Dot | Gap::Space) {
                j += 1;
            } else {
                return None;
            }
        }
        if leading_prefix || j > i {
            if let Some(part) = self.after_prefix(j) {
                j = part;
            }
        }
        if j >= n || !(self.is_part(j) || (j > i && self.is_surname_part(j))) {
            return None;
        }
        let mut last = j;
        let mut parts = 1;
        while parts < 4 && last + 1 < n {
            let k = last + 1;
            if !matches!(self.words[k].gap, Gap::Space | Gap::Hyphen) {
                break;
            }
            if let Some(part) = self.after_prefix(k) {
                last = part;
            } else if self.is_part(k) && !self.words[k].sentence_start && !self.starts_new_name(k) {
                last = k;
            } else {
                break;
            }
            parts += 1;
        }
        Some(last)
    }

    /// When a surname prefix starts at `k` and a surname follows it, the
    /// index of that surname word.
    fn after_prefix(&self, k: usize) -> Option<usize> {
        let p = self.prefix_len(k);
        let part = k + p;
        (p > 0
            && part < self.words.len()
            && matches!(self.words[part].gap, Gap::Space | Gap::Hyphen)
            && self.is_surname_part(part))
        .then_some(part)
    }

    /// A capitalised word after a surname prefix: any name part, or a word
    /// that is otherwise a common word but also a listed surname (`Van der
    /// Meer`, `De Lange`).
    fn is_surname_part(&self, i: usize) -> bool {
        let w = &self.words[i];
        self.is_part(i)
            || (w.cap
                && !w.all_caps
                && !self.blocked[i]
                && self.lex.surname_cores.contains(w.folded.as_ref()))
    }

    /// A title or role word begins a new name here.
    fn starts_new_name(&self, k: usize) -> bool {
        self.is_title(k) || role_of(self.folded(k)).is_some()
    }

    /// The professional role word (if any) right before word `i`.
    fn professional_before(&self, i: usize) -> bool {
        i > 0
            && matches!(self.words[i].gap, Gap::Space | Gap::Comma)
            && role_of(self.folded(i - 1)).is_some_and(|r| r.professional)
    }

    fn title_candidate(&self, i: usize) -> Option<Candidate> {
        let (start_idx, t) =
            if self.folded(i) == "de" && i + 1 < self.words.len() && self.folded(i + 1) == "heer" {
                (i, i + 1)
            } else if self.is_title(i) && self.folded(i) != "heer" {
                (i, i)
            } else {
                return None;
            };
        // Titles stack: `mevr. drs. A. van der Berg`, `prof. dr. H. Okonkwo`, `de heer mr. T. Bos`.
        let mut t = t;
        while t + 1 < self.words.len()
            && matches!(self.words[t + 1].gap, Gap::Space | Gap::Dot)
            && self.is_title(t + 1)
            && self.folded(t + 1) != "heer"
        {
            t += 1;
        }
        if t + 1 >= self.words.len() || !matches!(self.words[t + 1].gap, Gap::Space | Gap::Dot) {
            return None;
        }
        let last = self.parse_body(t + 1, true)?;
        Some(Candidate {
            start: start_idx,
            first: start_idx,
            last,
            strong: true,
            professional: self.professional_before(start_idx),
        })
    }

    fn try_at(&self, i: usize) -> Option<Candidate> {
        let n = self.words.len();
        let w = &self.words[i];
        let f = w.folded.as_ref();
        // Fast path: a lowercase word starts a name only as a title, role or label.
        if !w.cap && self.flags[i] & TRIGGER == 0 {
            return None;
        }
        if let Some(c) = self.title_candidate(i) {
            return Some(c);
        }
        // Role word, then a name (or a title and a name).
        if let Some(role) = role_of(f) {
            if i + 1 >= n || !matches!(self.words[i + 1].gap, Gap::Space | Gap::Comma) {
                return None;
            }
            if role.needs_possessive && !(i > 0 && POSSESSIVES.contains(&self.folded(i - 1))) {
                return None;
            }
            if let Some(mut c) = self.title_candidate(i + 1) {
                c.professional |= role.professional;
                return Some(c);
            }
            let last = self.parse_body(i + 1, true)?;
            return Some(Candidate {
                start: i + 1,
                first: i + 1,
                last,
                strong: true,
                professional: role.professional,
            });
        }
        // "Naam: ..."
        if NAME_LABELS.contains(&f) && i + 1 < n && self.text[w.end..self.words[i + 1].start].trim() == ":" {
            let last = self.parse_body(i + 1, true)?;
            return Some(Candidate { start: i + 1, first: i + 1, last, strong: true, professional: false });
        }
        if w.is_initial() {
            let last = self.parse_body(i, true)?;
            let strong = last > i;
            return strong.then_some(Candidate { start: i, first: i, last, strong, professional: false });
        }
        // Capitalised prefix: "De Vries", "El Amrani" mid-sentence; at a
        // sentence start only when the whole surname is listed.
        let p = self.prefix_len(i);
        if w.cap
            && p > 0
            && i + p < n
            && matches!(self.words[i + p].gap, Gap::Space | Gap::Hyphen)
            && self.is_part(i + p)
        {
            let surname = (i..=i + p).map(|k| self.folded(k)).collect::<Vec<_>>().join(" ");
            // "op De Regenboog", "naar De Linde": a named place, unless the surname is listed.
            let located = self.after(i, PLACE_WORDS) || self.after(i, &["op", "aan", "over"]);
            if (!w.sentence_start && !located) || self.lex.surnames.contains(&surname) {
                let last = self.parse_body(i, true)?;
                return Some(Candidate { start: i, first: i, last, strong: false, professional: false });
            }
            return None;
        }
        if !self.is_part(i) {
            return None;
        }
        let known = self.lex.is_known_name(f);
        let weak_position = w.sentence_start || self.after(i, ARTICLES) || self.after(i, PLACE_WORDS);
        if known {
            // A lowercase prefix before a listed surname belongs to it ("van Leeuwen").
            let start = self.listed_prefix_start(i).unwrap_or(i);
            let supported = i + 1 < n && self.words[i + 1].gap == Gap::Space && self.is_part(i + 1);
            if self.lex.ambiguous.contains(f) && weak_position && !supported {
                return None;
            }
            if start == i && self.after(i, ARTICLES) && !supported {
                return None;
            }
            let last = self.parse_body(i, false)?;
            return Some(Candidate { start, first: start, last, strong: false, professional: false });
        }
        // An unlisted word right after another capitalised word that was not
        // taken as a name continues some other proper noun (`Western Union`,
        // `Google Translate`, `Stedelijk Gymnasium`).
        // (A word capitalised only because it starts the sentence does not count.)
        let after_capital =
            i > 0 && w.gap == Gap::Space && self.words[i - 1].cap && !self.words[i - 1].sentence_start;
        if weak_position || after_capital {
            return None;
        }
        let last = self.parse_body(i, false)?;
        Some(Candidate { start: i, first: i, last, strong: false, professional: false })
    }

    /// Start of a lowercase prefix before word `i` that forms a listed surname with it.
    fn listed_prefix_start(&self, i: usize) -> Option<usize> {
        (1..=2).rev().find_map(|len| {
            let s = i.checked_sub(len)?;
            if self.prefix_len(s) != len || self.words[s].cap {
                return None;
            }
            let surname = (s..=i).map(|k| self.folded(k)).collect::<Vec<_>>().join(" ");
            self.lex.surnames.contains(&surname).then_some(s)
        })
    }

    /// The folded name parts of a candidate (no prefixes, initials or titles).
    fn parts(&self, c: &Candidate) -> Vec<String> {
        (c.first..=c.last)
            .filter(|&k| {
                let w = &self.words[k];
                w.cap
                    && !w.is_initial()
                    && !self.is_title(k)
                    && self.prefix_len(k) == 0
                    && w.folded.chars().count() >= 2
            })
            .map(|k| self.words[k].folded.to_string())
            .collect()
    }

    fn is_org_phrase(&self, c: &Candidate) -> bool {
        let phrase = (c.first..=c.last)
            .filter(|&k| !self.is_title(k))
            .map(|k| self.folded(k))
            .collect::<Vec<_>>()
            .join(" ");
        ORG_PHRASES
            .iter()
            .any(|p| phrase == *p || phrase.strip_suffix(p).is_some_and(|head| head.ends_with(' ')))
    }

    fn run(&self) -> Vec<Candidate> {
        let n = self.words.len();
        let mut found: Vec<Candidate> = Vec::new();
        let mut i = 0;
        while i < n {
            match self.try_at(i) {
                Some(c) => {
                    i = c.last + 1;
                    if !self.is_org_phrase(&c) {
                        found.push(c);
                    }
                }
                None => i += 1,
            }
        }
        // Professionals' names stay; so do later bare mentions of them.
        let professional: FxHashSet<String> =
            found.iter().filter(|c| c.professional).flat_map(|c| self.parts(c)).collect();
        found.retain(|c| {
            !c.professional && (c.strong || !self.parts(c).iter().all(|p| professional.contains(p)))
        });
        // Later (or earlier) mentions of a confirmed name part.
        let keys: FxHashSet<String> =
            found.iter().flat_map(|c| self.parts(c)).filter(|p| !professional.contains(p)).collect();
        let mut covered = vec![false; n];
        for c in &found {
            for k in &mut covered[c.start..=c.last] {
                *k = true;
            }
        }
        let mut i = 0;
        while i < n {
            let w = &self.words[i];
            if !covered[i] && w.cap && !self.blocked[i] && keys.contains(w.folded.as_ref()) {
                let start =
                    if i > 0 && self.words[i - 1].cap && self.prefix_len(i - 1) == 1 && !covered[i - 1] {
                        i - 1
                    } else {
                        i
                    };
                if let Some(last) = self.parse_body(start, true) {
                    found.push(Candidate { start, first: start, last, strong: false, professional: false });
                    i = last + 1;
                    continue;
                }
            }
            i += 1;
        }
        found.sort_by_key(|c| c.start);
        found
    }
}

/// True when the text right before byte `start` is a postcode and a space
/// (`6811 KG Arnhem`): the word is a place.
fn after_postcode(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let b = before.as_bytes();
    b.len() >= 6 && b[b.len() - 2..].iter().all(u8::is_ascii_uppercase) && {
        let rest = before[..before.len() - 2].trim_end();
        rest.len() >= 4 && rest.as_bytes()[rest.len() - 4..].iter().all(u8::is_ascii_digit)
    }
}

/// Finds personal names in `text` (byte spans).
pub(crate) fn find(text: &str, words: &[Word<'_>]) -> Vec<Span> {
    let d = Detector::new(text, words);
    d.run().into_iter().map(|c| Span::new(Kind::Name, words[c.start].start, words[c.last].end)).collect()
}

/// The folded surname key and first-name key of a name's text, for the
/// labeller: titles, initials and prefixes are dropped.
pub(crate) fn name_keys(name: &str) -> Vec<String> {
    let words = super::tokens::tokenize(name);
    let d = Detector::new(name, &words);
    (0..words.len())
        .filter(|&k| {
            let w = &words[k];
            w.cap
                && !w.is_initial()
                && !d.is_title(k)
                && d.prefix_len(k) == 0
                && w.folded.chars().count() >= 2
        })
        .map(|k| fold(&name[words[k].start..words[k].end]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        let words = tokenize(text);
        find(text, &words).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn titles_roles_and_lists() {
        assert_eq!(names("Meneer Smits (BSN) vraagt uitstel."), ["Meneer Smits"]);
        assert_eq!(names("Cliënte Anouk van Leeuwen woont op de Stationsweg."), ["Anouk van Leeuwen"]);
        assert_eq!(names("De aanvraag van Rik; zijn BSN volgt."), ["Rik"]);
        assert_eq!(names("Partner Joyce Verbeek heeft een auto."), ["Joyce Verbeek"]);
        assert_eq!(names("Daarna belde dhr. Yildiz met de balie."), ["dhr. Yildiz"]);
        assert_eq!(names("Mw. Demir (geboren 1972) mailde."), ["Mw. Demir"]);
        assert_eq!(names("Zij sprak met de heer J.P. van der Berg."), ["de heer J.P. van der Berg"]);
        assert_eq!(names("Haar partner Ahmed en zoon Tim wonen thuis."), ["Ahmed", "Tim"]);
    }

    #[test]
    fn prefixes_hyphens_and_origins() {
        assert_eq!(names("Gisteren belde mevrouw El Amrani-de Vries."), ["mevrouw El Amrani-de Vries"]);
        assert_eq!(names("Het gesprek met Kowalczyk ging goed."), ["Kowalczyk"]);
        assert_eq!(names("Het gesprek met Tesfamariam ging goed."), ["Tesfamariam"]);
        assert_eq!(names("Toen kwam De Jong binnen."), ["De Jong"]);
        assert_eq!(names("De Vries belde terug."), ["De Vries"]);
        assert_eq!(names("Mevrouw Öztürk-Bakker is 42 jaar."), ["Mevrouw Öztürk-Bakker"]);
    }

    #[test]
    fn later_mentions_are_found() {
        assert_eq!(
            names("Mevrouw Jansen kwam langs. Jansen vertelde dat mw. Jansen ziek was."),
            ["Mevrouw Jansen", "Jansen", "mw. Jansen"]
        );
    }

    #[test]
    fn professionals_are_left_alone() {
        assert!(names("Consulent Pieter de Wit besprak het. Daarna belde De Wit.").is_empty());
        assert!(names("Wethouder Jansen besloot dat.").is_empty());
        assert!(names("Zij sprak met haar advocaat mr. De Groot.").is_empty());
    }

    #[test]
    fn not_names() {
        for text in [
            "De cliënt kwam op maandag in maart langs.",
            "Volgens de Participatiewet en het college van B&W kan dat.",
            "Zij woont in Arnhem en werkt bij Albert Heijn.",
            "Het Team Inkomen Oost besprak het met het UWV.",
            "Zij verhuisde naar 's-Hertogenbosch, 6811 KG Velp.",
            "Hij spreekt Arabisch en een beetje Nederlands.",
            "Roos en bloemen stonden op tafel.",
            "Ben je er morgen?",
            "Zij woont in woonzorgcentrum De Linde.",
            "In het moreel beraad bleef de vraag open.",
        ] {
            assert!(names(text).is_empty(), "{text}: {:?}", names(text));
        }
    }
}
