//! Fictitious case snippets in the style of the shared samples, one per
//! kind of identifier and per must-not-flag class. Every name, number and
//! address here is invented; BSNs and IBANs are computed to pass their checks.

use beraad_domain::anonymisation::{
    apply_replacements, hard_identifiers, is_valid_bsn, is_valid_iban, scan, suggest_labels,
    try_apply_replacements, Kind,
};

/// A valid BSN built from an 8-digit stem (check digit chosen to pass the 11-proef).
fn bsn(stem: u32) -> String {
    (stem..)
        .find_map(|s| {
            let d = format!("{:08}", s % 100_000_000);
            let sum: u32 = d.bytes().enumerate().map(|(i, b)| (9 - i as u32) * u32::from(b - b'0')).sum();
            (sum % 11 < 10).then(|| format!("{d}{}", sum % 11))
        })
        .expect("a stem works")
}

/// A valid IBAN for a country and BBAN (check digits computed).
fn iban(country: &str, bban: &str) -> String {
    let s = format!("{bban}{country}00");
    let rem = s.bytes().fold(0u32, |acc, b| {
        if b.is_ascii_digit() {
            (acc * 10 + u32::from(b - b'0')) % 97
        } else {
            (acc * 100 + u32::from(b - b'A') + 10) % 97
        }
    });
    format!("{country}{:02}{bban}", 98 - rem)
}

/// Asserts that `scan` finds exactly `expected` (kind, text) in order.
#[track_caller]
fn expect(text: &str, expected: &[(Kind, &str)]) {
    let got: Vec<(Kind, String)> = scan(text).into_iter().map(|f| (f.kind, f.text)).collect();
    let want: Vec<(Kind, String)> = expected.iter().map(|(k, t)| (*k, (*t).to_owned())).collect();
    assert_eq!(got, want, "in {text:?}");
}

use Kind::*;

#[test]
fn bsn_forms_and_non_bsns() {
    let b = bsn(23_456_781);
    assert!(is_valid_bsn(&b));
    let dotted = format!("{}.{}.{}", &b[..4], &b[4..6], &b[6..]);
    let spaced = format!("{} {} {}", &b[..3], &b[3..6], &b[6..]);
    expect(&format!("Zijn BSN is {b}."), &[(Bsn, &b)]);
    expect(&format!("burgerservicenummer {dotted}, graag"), &[(Bsn, &dotted)]);
    expect(&format!("BSN: {spaced}"), &[(Bsn, &spaced)]);
    // A case number failing the 11-proef, digits inside longer numbers, zeros.
    let wrong = format!("{}{}", &b[..8], (b.as_bytes()[8] - b'0' + 1) % 10);
    expect(&format!("Zaaknummer {wrong} en dossier 1{b}2 en 000000000."), &[]);
}

#[test]
fn iban_dutch_and_foreign() {
    let nl = iban("NL", "INGB0001234567");
    let grouped =
        nl.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(" ");
    let be = iban("BE", "068999999501");
    let de = iban("DE", "500105175407324931");
    assert!(is_valid_iban(&nl) && is_valid_iban(&be) && is_valid_iban(&de));
    expect(
        &format!("Rekening {grouped}; eerder {be} en {de}."),
        &[(Iban, &grouped), (Iban, &be), (Iban, &de)],
    );
    // A wrong check digit is not an IBAN.
    let bad = nl.replacen(&nl[2..4], if &nl[2..4] == "11" { "12" } else { "11" }, 1);
    expect(&format!("Rekening {bad}."), &[]);
}

#[test]
fn hard_identifiers_only_bsn_and_iban() {
    let b = bsn(31_415_926);
    let nl = iban("NL", "RABO0123456789");
    let text = format!("Mevrouw Jansen, BSN {b}, IBAN {nl}, tel. 06-12345678, mail m.jansen@example.nl.");
    let hard: Vec<(Kind, String)> = hard_identifiers(&text).into_iter().map(|f| (f.kind, f.text)).collect();
    assert_eq!(hard, vec![(Bsn, b.clone()), (Iban, nl.clone())]);
    assert!(hard_identifiers("Mevrouw Jansen belde op 06-12345678 op 12-03-2024.").is_empty());
    // The eight digits of a mobile number are never a BSN, even when they pass the check.
    for stem in 10_000_000..10_000_200u32 {
        let text = format!("bel 06-{stem}");
        assert!(hard_identifiers(&text).is_empty(), "{text}");
    }
}

#[test]
fn emails_phones_postcodes_plates() {
    expect(
        "Mail naar k.el-idrissi@hotmail.com of bel 06 12 34 56 78.",
        &[(Email, "k.el-idrissi@hotmail.com"), (Phone, "06 12 34 56 78")],
    );
    expect(
        "Telefoon: 020-6543210, mobiel +31 (0)6 2345 6789.",
        &[(Phone, "020-6543210"), (Phone, "+31 (0)6 2345 6789")],
    );
    expect("Vast nummer (030) 234 56 78.", &[(Phone, "(030) 234 56 78")]);
    expect("Postcode 3511 LX en 9712CP.", &[(Postcode, "3511 LX"), (Postcode, "9712CP")]);
    expect("Postcode 1234 SS bestaat niet.", &[]);
    expect(
        "Kenteken GB-123-X en 1-KBB-32, ook 12-ABC-3.",
        &[(Plate, "GB-123-X"), (Plate, "1-KBB-32"), (Plate, "12-ABC-3")],
    );
}

#[test]
fn addresses() {
    expect("Hij woont op Kerkstraat 12a in Zwolle.", &[(Address, "Kerkstraat 12a")]);
    expect(
        "Nieuw adres: Burgemeester de Withstraat 7-II, 1051 AB.",
        &[(Address, "Burgemeester de Withstraat 7-II"), (Postcode, "1051 AB")],
    );
    expect("Zij verblijft in verpleeghuis De Linde, kamer 214.", &[(Address, "kamer 214")]);
}

#[test]
fn dates_of_birth_and_other_dates() {
    expect("Geboren op 3 februari 1961 in Paramaribo.", &[(Dob, "3 februari 1961")]);
    expect("geb. 1990-07-21, nu werkzoekend", &[(Dob, "1990-07-21")]);
    expect("Geboortedatum 12/03/1985.", &[(Dob, "12/03/1985")]);
    expect("Het gesprek was op 12 maart 2024 en het besluit op 01-04-2024.", &[]);
}

#[test]
fn names_of_many_origins() {
    expect(
        "Mevrouw Bakker vertelde dat haar dochter Sara ziek is.",
        &[(Name, "Mevrouw Bakker"), (Name, "Sara")],
    );
    expect(
        "Dhr. El Khattabi en zijn vrouw Nadia kwamen samen.",
        &[(Name, "Dhr. El Khattabi"), (Name, "Nadia")],
    );
    expect(
        "Cliënt Kowalski werkt in de kassen; zijn broer Piotr helpt hem.",
        &[(Name, "Kowalski"), (Name, "Piotr")],
    );
    expect("Meneer Tesfamariam spreekt Tigrinya en wat Nederlands.", &[(Name, "Meneer Tesfamariam")]);
    expect("Het gesprek met J. van der Heijden-Öztürk verliep goed.", &[(Name, "J. van der Heijden-Öztürk")]);
    expect("Volgens Fatima Bouzid is de huur te hoog.", &[(Name, "Fatima Bouzid")]);
    expect("Volgens Tesfamariam is de huur te hoog.", &[(Name, "Tesfamariam")]);
    expect("Daarna belde mw. Ramdin over haar kleinzoon Jayden.", &[(Name, "mw. Ramdin"), (Name, "Jayden")]);
    expect("Cliënte mevrouw Yılmaz-de Boer kreeg een boete.", &[(Name, "mevrouw Yılmaz-de Boer")]);
}

#[test]
fn must_not_flag() {
    for text in [
        "",
        " \n\t ",
        "Op grond van artikel 18 lid 2 Participatiewet volgt een verlaging.",
        "Zie art. 18a en artikel 58, eerste lid.",
        "Het bedrag van € 1.234,56 is teruggevorderd, plus EUR 300.",
        "Cliënte is 42 jaar en heeft drie kinderen van 4, 7 en 12 jaar.",
        "De verlaging was 20 procent gedurende drie maanden; daarna 10%.",
        "In maart 2023 en in 2024 is de regeling aangepast.",
        "De consulent en de cliënt spraken op maandag af met het college van B&W.",
        "De gemeente Arnhem en de Centrale Raad van Beroep oordeelden anders.",
        "Volgens de Participatiewet, de Jeugdwet en de Wmo 2015 kan dat.",
        "Zaaknummer 186252760 staat in het dossier.",
        "Het team Inkomen bespreekt dit op dinsdag 14 mei om 10:30 uur.",
        "Zij kwam in 2019 uit Syrië naar Nederland en spreekt Arabisch.",
        "Hij werkt als Uber-chauffeur en volgt een opleiding bij ROC Rijn IJssel.",
        "Zij stuurt geld via Western Union en gebruikt Google Translate.",
        "De kinderen zitten op De Regenboog en op het Stedelijk Gymnasium.",
        "Op Eerste Kerstdag en met Oud en Nieuw werkt zij in een restaurant.",
    ] {
        expect(text, &[]);
    }
}

#[test]
fn offsets_are_chars_with_multibyte_text() {
    let text = "Cliënte 😀 Anouk Visser (geboren 1 mei 1980) mailt é@x.nl of anouk.visser@voorbeeld.nl.";
    let findings = scan(text);
    let chars: Vec<char> = text.chars().collect();
    for f in &findings {
        let span: String = chars[f.start..f.end].iter().collect();
        assert_eq!(span, f.text);
    }
    let name = findings.iter().find(|f| f.kind == Name).expect("name");
    assert_eq!((name.start, name.end), (10, 22));
    assert!(findings.iter().any(|f| f.kind == Dob && f.text == "1 mei 1980"));
    assert!(findings.iter().any(|f| f.kind == Email && f.text == "anouk.visser@voorbeeld.nl"));
}

#[test]
fn labels_follow_the_person() {
    let text = "Mevrouw Jansen (geboren 12 maart 1985) woont met haar partner Ahmed op Dorpsstraat 3. \
                Jansen vertelde dat mw. Jansen en Ahmed ruzie hebben met buurvrouw Pietersen. \
                Haar zoon Tim en zoon Bram wonen thuis. Later belde Pietersen nogmaals.";
    let findings = scan(text);
    let label = |t: &str| -> Vec<String> {
        findings.iter().filter(|f| f.text == t).map(|f| f.suggestion.clone()).collect()
    };
    assert_eq!(label("Mevrouw Jansen"), ["[cliënt]"]);
    assert_eq!(label("Jansen"), ["[cliënt]"]);
    assert_eq!(label("mw. Jansen"), ["[cliënt]"]);
    assert_eq!(label("Ahmed"), ["[partner]", "[partner]"]);
    assert_eq!(label("Pietersen"), ["[buurvrouw]", "[buurvrouw]"]);
    assert_eq!(label("Tim"), ["[zoon A]"]);
    assert_eq!(label("Bram"), ["[zoon B]"]);
    assert_eq!(label("12 maart 1985"), ["[geboortedatum] 1985"]);
    assert_eq!(label("Dorpsstraat 3"), ["[adres]"]);
}

#[test]
fn second_person_without_role_gets_a_letter() {
    let findings = scan("Meneer Smits belde. Later kwam mevrouw De Graaf langs, en daarna Smits weer.");
    let labels: Vec<(&str, &str)> =
        findings.iter().map(|f| (f.text.as_str(), f.suggestion.as_str())).collect();
    assert_eq!(
        labels,
        [("Meneer Smits", "[cliënt]"), ("mevrouw De Graaf", "[persoon B]"), ("Smits", "[cliënt]")]
    );
}

#[test]
fn applying_the_suggestions_removes_the_identifiers() {
    let b = bsn(27_182_818);
    let text = format!(
        "Cliënte Anouk van Leeuwen (geboren 5 mei 1980, BSN {b}) woont op Stationsweg 8, 6811 KG Arnhem. \
         Haar partner Ahmed is bereikbaar via 06-24681357 of ahmed@example.nl; zijn auto heeft kenteken 74-KLM-2."
    );
    let findings = scan(&text);
    let replacements: Vec<(usize, usize, String)> =
        findings.iter().map(|f| (f.start, f.end, f.suggestion.clone())).collect();
    let clean = apply_replacements(&text, &replacements);
    assert_eq!(
        clean,
        "Cliënte [cliënt] (geboren [geboortedatum] 1980, BSN [BSN]) woont op [adres], [postcode] Arnhem. \
         Haar partner [partner] is bereikbaar via [telefoonnummer] of [e-mail]; zijn auto heeft kenteken [kenteken]."
    );
    assert!(scan(&clean).is_empty(), "{:?}", scan(&clean));
    assert_eq!(try_apply_replacements(&text, &replacements).unwrap(), clean);
    assert_eq!(
        suggest_labels(&text, &findings),
        findings.iter().map(|f| f.suggestion.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn findings_serialise_with_fixed_field_names() {
    let f = &scan("Bel 06-24681357.")[0];
    let json = serde_json::to_value(f).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"kind": "phone", "start": 4, "end": 15, "text": "06-24681357", "suggestion": "[telefoonnummer]", "keepable": true})
    );
    let back: beraad_domain::anonymisation::Finding = serde_json::from_value(json).unwrap();
    assert_eq!(&back, f);
}

#[test]
fn role_words_weekdays_and_professionals_are_not_names() {
    for text in [
        "Cliënte en haar partner kwamen samen; de zoon bleef thuis.",
        "Maandag belde de consulent. Dinsdag kwam de cliënt langs. Januari was zwaar.",
        "Wethouder Van Dam en consulent Pieters bespraken het met jurist mr. Bakker.",
        "Volgens de huisarts, dr. Öztürk, is werken niet mogelijk.",
        "Het UWV, de SVB en de Belastingdienst wisselden gegevens uit via Suwinet.",
    ] {
        expect(text, &[]);
    }
}

#[test]
fn hard_identifiers_have_char_offsets() {
    let b = bsn(16_180_339);
    let text = format!("Cliënte 😀 heeft BSN {b}.");
    let hard = hard_identifiers(&text);
    assert_eq!(hard.len(), 1);
    assert_eq!((hard[0].start, hard[0].end), (20, 29));
    assert_eq!(hard[0].suggestion, "[BSN]");
}

/// Invariants on many generated texts made of identifier-like fragments,
/// multibyte characters and separators: no panic, findings sorted and
/// non-overlapping, offsets in chars matching `text`, hard identifiers a
/// subset of the full scan's kinds.
#[test]
fn invariants_hold_on_generated_texts() {
    const FRAGMENTS: &[&str] = &[
        "Mevrouw",
        "Jansen",
        "mw.",
        "dhr.",
        "J.",
        "van",
        "der",
        "de",
        "Öztürk",
        "ë",
        "é",
        "😀",
        "’s-",
        "-",
        "06",
        "12345678",
        "+31",
        "(0)",
        "0031",
        "NL",
        "91",
        "ABNA",
        "0417",
        "1643",
        "00",
        "1234",
        "AB",
        "SS",
        "12",
        "-",
        "ABC",
        "3",
        "GB",
        "X",
        "@",
        "mail",
        ".nl",
        "€",
        "1.234,56",
        "artikel",
        "18",
        "lid",
        "2",
        "geboren",
        "12",
        "maart",
        "1985",
        "12-03-1985",
        "/",
        ".",
        ",",
        ";",
        ":",
        "(",
        ")",
        "\n",
        " ",
        " ",
        " ",
        "Stationsweg",
        "8",
        "41-B",
        "kamer",
        "verpleeghuis",
        "cliënte",
        "partner",
        "Ahmed",
        "jaar",
        "%",
        "\u{a0}",
        "kenteken",
        "74KLM2",
        "BSN",
        "111222333",
        "zoon",
        "Tim",
        "'t",
        "el",
        "Amrani",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3_000 {
        let len = (next() % 40) as usize;
        let text: String = (0..len).map(|_| FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize]).collect();
        let chars: Vec<char> = text.chars().collect();
        let findings = scan(&text);
        for pair in findings.windows(2) {
            assert!(pair[0].end <= pair[1].start, "overlap in {text:?}: {findings:?}");
        }
        for f in &findings {
            assert!(f.start < f.end && f.end <= chars.len(), "{text:?}: {f:?}");
            assert_eq!(chars[f.start..f.end].iter().collect::<String>(), f.text, "{text:?}");
            assert!(!f.suggestion.is_empty());
        }
        for h in hard_identifiers(&text) {
            assert!(h.kind.is_hard(), "{text:?}: {h:?}");
            assert_eq!(chars[h.start..h.end].iter().collect::<String>(), h.text, "{text:?}");
        }
    }
}
