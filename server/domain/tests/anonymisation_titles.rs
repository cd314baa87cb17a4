//! Titles and forms of address before names (issue 15, guard point 2): the title and the
//! initials belong to the name's span.

use beraad_domain::anonymisation::{scan, Kind};

fn names(text: &str) -> Vec<String> {
    scan(text).into_iter().filter(|f| f.kind == Kind::Name).map(|f| f.text).collect()
}

#[test]
fn titles_and_initials_before_names() {
    let cases = [
        ("Het advies kwam van mr. P. de Graaf, die de zaak kent.", "mr. P. de Graaf"),
        ("Gisteren belde dhr. J.P. Jansen over zijn aanvraag.", "dhr. J.P. Jansen"),
        ("Wij spraken mevr. drs. A. van der Berg over de regeling.", "mevr. drs. A. van der Berg"),
        ("Daarna schreef ir. K. Bouzid een brief.", "ir. K. Bouzid"),
        ("De brief kwam van dr. Yilmaz.", "dr. Yilmaz"),
        ("Volgens prof. dr. H. Okonkwo is dat juist.", "prof. dr. H. Okonkwo"),
        ("Namens ing. R. Tesfamariam kwam er geen reactie.", "ing. R. Tesfamariam"),
        ("Ook bc. S. Kowalczyk was aanwezig.", "bc. S. Kowalczyk"),
        ("Er kwam een brief van mw. E. Ramdin.", "mw. E. Ramdin"),
        ("Mr. P. de Graaf stuurde een brief.", "Mr. P. de Graaf"),
        ("Dhr. Wubbe belde terug.", "Dhr. Wubbe"),
        ("Mevr. drs. A. van der Berg belde.", "Mevr. drs. A. van der Berg"),
        ("Het gesprek met mevrouw mr. L. Achterberg duurde lang.", "mevrouw mr. L. Achterberg"),
        ("Zij sprak met de heer drs. T. Nijenhuis.", "de heer drs. T. Nijenhuis"),
        ("mr. P. de Graaf belde gisteren.", "mr. P. de Graaf"),
        ("Het advies (mr. P. de Graaf) was duidelijk.", "mr. P. de Graaf"),
        ("Cliënte en dhr. J.P. Jansen kwamen samen.", "dhr. J.P. Jansen"),
        ("Zij sprak met dhr. El Amrani en mw. Ç. Öztürk.", "mw. Ç. Öztürk"),
    ];
    let mut failed = Vec::new();
    for (text, name) in cases {
        let found = names(text);
        if !found.iter().any(|n| n == name) {
            failed.push(format!("{text:?}: expected {name:?}, found {found:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn titles_alone_are_not_names() {
    for text in
        ["De mr. in de zaal zweeg.", "Wij bankieren bij ING.", "Hij studeerde af als ir. en werkt nu hier."]
    {
        assert!(names(text).is_empty(), "{text}: {:?}", names(text));
    }
}
