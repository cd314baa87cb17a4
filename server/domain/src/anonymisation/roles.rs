//! Role words: the words that say who a person is in the case ("cliënte",
//! "haar zoon", "partner"). A capitalised word right after a role word is a
//! name, and the role gives the replacement label. Professionals acting in
//! their role (consulent, wethouder, advocaat...) are not anonymised.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// What a role word says about the person named after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Role {
    /// The label without brackets, e.g. `cliënt`, `partner`, `zoon`.
    pub label: &'static str,
    /// A professional acting in their role: the name is left alone.
    pub professional: bool,
    /// Only a role after a possessive ("haar man", "zijn vrouw").
    pub needs_possessive: bool,
}

const fn person(label: &'static str) -> Role {
    Role { label, professional: false, needs_possessive: false }
}

const fn professional(label: &'static str) -> Role {
    Role { label, professional: true, needs_possessive: false }
}

/// Role words (folded) and their roles.
const ROLES: &[(&str, Role)] = &[
    ("client", person("cliënt")),
    ("cliente", person("cliënt")),
    ("klant", person("cliënt")),
    ("aanvrager", person("cliënt")),
    ("aanvraagster", person("cliënt")),
    ("belanghebbende", person("cliënt")),
    ("bijstandsgerechtigde", person("cliënt")),
    ("uitkeringsgerechtigde", person("cliënt")),
    ("inwoner", person("cliënt")),
    ("inwoonster", person("cliënt")),
    ("partner", person("partner")),
    ("echtgenoot", person("partner")),
    ("echtgenote", person("partner")),
    ("levenspartner", person("partner")),
    ("vriend", person("partner")),
    ("vriendin", person("partner")),
    ("verloofde", person("partner")),
    ("man", Role { label: "partner", professional: false, needs_possessive: true }),
    ("vrouw", Role { label: "partner", professional: false, needs_possessive: true }),
    ("ex", person("ex-partner")),
    ("ex-partner", person("ex-partner")),
    ("ex-man", person("ex-partner")),
    ("ex-vrouw", person("ex-partner")),
    ("zoon", person("zoon")),
    ("zoontje", person("zoon")),
    ("dochter", person("dochter")),
    ("dochtertje", person("dochter")),
    ("kind", person("kind")),
    ("baby", person("kind")),
    ("pleegkind", person("pleegkind")),
    ("pleegzoon", person("pleegzoon")),
    ("pleegdochter", person("pleegdochter")),
    ("stiefzoon", person("stiefzoon")),
    ("stiefdochter", person("stiefdochter")),
    ("moeder", person("moeder")),
    ("vader", person("vader")),
    ("stiefmoeder", person("stiefmoeder")),
    ("stiefvader", person("stiefvader")),
    ("pleegmoeder", person("pleegmoeder")),
    ("pleegvader", person("pleegvader")),
    ("broer", person("broer")),
    ("broertje", person("broer")),
    ("halfbroer", person("broer")),
    ("zus", person("zus")),
    ("zusje", person("zus")),
    ("zuster", person("zus")),
    ("halfzus", person("zus")),
    ("oma", person("grootmoeder")),
    ("grootmoeder", person("grootmoeder")),
    ("opa", person("grootvader")),
    ("grootvader", person("grootvader")),
    ("kleinzoon", person("kleinzoon")),
    ("kleindochter", person("kleindochter")),
    ("kleinkind", person("kleinkind")),
    ("neef", person("neef")),
    ("nicht", person("nicht")),
    ("oom", person("oom")),
    ("tante", person("tante")),
    ("schoonmoeder", person("schoonmoeder")),
    ("schoonvader", person("schoonvader")),
    ("schoonzoon", person("schoonzoon")),
    ("schoondochter", person("schoondochter")),
    ("zwager", person("zwager")),
    ("schoonzus", person("schoonzus")),
    ("buurman", person("buurman")),
    ("buurvrouw", person("buurvrouw")),
    ("huisgenoot", person("huisgenoot")),
    ("huisgenote", person("huisgenoot")),
    ("medebewoner", person("medebewoner")),
    ("kostganger", person("kostganger")),
    ("onderhuurder", person("onderhuurder")),
    ("verhuurder", person("verhuurder")),
    ("huisbaas", person("verhuurder")),
    ("hospita", person("verhuurder")),
    ("werkgever", person("werkgever")),
    ("collega", person("collega")),
    ("leidinggevende", person("leidinggevende")),
    ("baas", person("werkgever")),
    ("mantelzorger", person("mantelzorger")),
    ("kennis", person("kennis")),
    ("vriendje", person("vriend")),
    ("vriendinnetje", person("vriendin")),
    ("getuige", person("getuige")),
    ("familie", person("familie")),
    ("gezin", person("familie")),
    // Professionals acting in their role: not anonymised.
    ("consulent", professional("consulent")),
    ("consulente", professional("consulent")),
    ("klantmanager", professional("klantmanager")),
    ("casemanager", professional("casemanager")),
    ("regisseur", professional("regisseur")),
    ("jobcoach", professional("jobcoach")),
    ("coach", professional("coach")),
    ("wijkcoach", professional("wijkcoach")),
    ("budgetcoach", professional("budgetcoach")),
    ("trajectbegeleider", professional("trajectbegeleider")),
    ("begeleider", professional("begeleider")),
    ("begeleidster", professional("begeleider")),
    ("hulpverlener", professional("hulpverlener")),
    ("schuldhulpverlener", professional("schuldhulpverlener")),
    ("werker", professional("maatschappelijk werker")),
    ("werkster", professional("maatschappelijk werker")),
    ("bewindvoerder", professional("bewindvoerder")),
    ("curator", professional("curator")),
    ("mentor", professional("mentor")),
    ("advocaat", professional("advocaat")),
    ("advocate", professional("advocaat")),
    ("jurist", professional("jurist")),
    ("rechter", professional("rechter")),
    ("notaris", professional("notaris")),
    ("deurwaarder", professional("deurwaarder")),
    ("huisarts", professional("huisarts")),
    ("arts", professional("arts")),
    ("psycholoog", professional("psycholoog")),
    ("psychiater", professional("psychiater")),
    ("verpleegkundige", professional("verpleegkundige")),
    ("wijkverpleegkundige", professional("wijkverpleegkundige")),
    ("wethouder", professional("wethouder")),
    ("burgemeester", professional("burgemeester")),
    ("raadslid", professional("raadslid")),
    ("teamleider", professional("teamleider")),
    ("manager", professional("manager")),
    ("directeur", professional("directeur")),
    ("beleidsmedewerker", professional("beleidsmedewerker")),
    ("beleidsadviseur", professional("beleidsadviseur")),
    ("inspecteur", professional("inspecteur")),
    ("handhaver", professional("handhaver")),
    ("fraudeonderzoeker", professional("fraudeonderzoeker")),
    ("rechercheur", professional("rechercheur")),
    ("wijkagent", professional("wijkagent")),
    ("agent", professional("agent")),
    ("gespreksleider", professional("gespreksleider")),
    ("moderator", professional("moderator")),
    ("voorzitter", professional("voorzitter")),
    ("notulist", professional("notulist")),
    ("docent", professional("docent")),
    ("leraar", professional("leraar")),
    ("lerares", professional("leraar")),
    ("juf", professional("leraar")),
    ("meester", professional("leraar")),
    ("tolk", professional("tolk")),
    ("medewerker", professional("medewerker")),
    ("medewerkster", professional("medewerker")),
    ("ambtenaar", professional("ambtenaar")),
    ("contactpersoon", professional("contactpersoon")),
    ("behandelaar", professional("behandelaar")),
    ("therapeut", professional("therapeut")),
    ("specialist", professional("specialist")),
    ("adviseur", professional("adviseur")),
    ("inbrenger", professional("inbrenger")),
    ("deelnemer", professional("deelnemer")),
];

/// Possessives that make "man" / "vrouw" a role word.
pub(crate) const POSSESSIVES: &[&str] =
    &["haar", "zijn", "hun", "mijn", "diens", "wiens", "uw", "jouw", "d'r", "z'n", "m'n"];

static ROLE_MAP: LazyLock<FxHashMap<&'static str, Role>> = LazyLock::new(|| ROLES.iter().copied().collect());

/// Every role word (folded).
pub(crate) fn role_words() -> impl Iterator<Item = &'static str> {
    ROLES.iter().map(|(w, _)| *w)
}

/// The role of a folded word, if it is a role word.
pub(crate) fn role_of(folded: &str) -> Option<Role> {
    ROLE_MAP.get(folded).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_professionals() {
        assert_eq!(role_of("cliente").unwrap().label, "cliënt");
        assert!(!role_of("zoon").unwrap().professional);
        assert!(role_of("consulent").unwrap().professional);
        assert!(role_of("vrouw").unwrap().needs_possessive);
        assert!(role_of("fiets").is_none());
    }
}
