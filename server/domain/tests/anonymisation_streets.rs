//! Street names without a street suffix, followed by a house number, are addresses, not names
//! (issue 15, guard point 3).

use beraad_domain::anonymisation::{scan, Kind};

#[test]
fn bare_street_names_with_a_number_are_addresses() {
    for (text, address) in [
        ("Mevrouw Bakker woonde aan de Weteringschans 28 in Amsterdam.", "Weteringschans 28"),
        ("Het kantoor aan het Lange Voorhout 9 was dicht.", "Lange Voorhout 9"),
        ("Zijn oude adres, Plein 1944 12, klopt niet meer.", "Plein 1944 12"),
        ("Post ging naar Herengracht 502 en kwam terug.", "Herengracht 502"),
        ("Cliënt verhuisde naar Ganzenmarkt 3a, 3512 GD Utrecht.", "Ganzenmarkt 3a"),
    ] {
        let findings = scan(text);
        let addresses: Vec<&str> =
            findings.iter().filter(|f| f.kind == Kind::Address).map(|f| f.text.as_str()).collect();
        assert_eq!(addresses, [address], "{text}: {findings:?}");
        let street = address.split(' ').next().unwrap();
        assert!(
            !findings.iter().any(|f| f.kind == Kind::Name && f.text.contains(street)),
            "{text}: {findings:?}"
        );
    }
}

#[test]
fn numbered_nouns_years_and_quantities_are_not_addresses() {
    for text in [
        "Zij zit in Groep 8 van de basisschool.",
        "Na Fase 2 volgt de evaluatie.",
        "De Jeugdwet 2015 en de Wmo 2015 gelden ook.",
        "Sinds Corona 2020 is alles anders.",
        "Hij heeft Windows 11 op zijn laptop.",
        "Mevrouw Jansen was 2 weken ziek.",
        "In Utrecht 3 keer aangeklopt.",
    ] {
        let findings = scan(text);
        assert!(!findings.iter().any(|f| f.kind == Kind::Address), "{text}: {findings:?}");
    }
}
