//! One precedent as people read it: every field of PRECEDENTS.md in its order, whatever shape
//! the stored record has. A record written by the drafting flow is a domain [`Precedent`];
//! an imported one keeps the import format's keys (`case`, `question`, `outcome`, …). Both
//! become a [`PrecedentView`], which the precedent page, the Markdown export and the
//! consistency hints share.

use serde::Serialize;
use serde_json::Value;

use crate::domain::precedent::{
    split_themes, AnonymisationReview, CourtRuling, Dialogue, DilemmaOption, Dissent, LawRef, PerspectiveRow,
    Position, Precedent, Relation,
};
use crate::store::{PrecedentRow, PrecedentStatus};

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PrecedentView {
    pub id: i64,
    pub citation_id: Option<String>,
    pub import_ref: Option<String>,
    /// `draft`, `adopted` or `withdrawn`.
    pub status: &'static str,
    pub version: i64,
    pub session_date: Option<String>,
    pub adopted_on: Option<String>,
    pub method: Option<String>,
    pub method_variant: Option<String>,
    pub team: String,
    pub organisation: Option<String>,
    pub title: String,
    pub summary: String,
    pub case_text: String,
    pub moral_question: String,
    pub options: Vec<DilemmaOption>,
    pub perspectives: Vec<PerspectiveRow>,
    pub alternatives: Vec<String>,
    pub positions: Vec<Position>,
    pub dialogue: Dialogue,
    pub conclusion: String,
    pub reasoning: String,
    /// Values that support the positions taken.
    pub values: Vec<String>,
    /// Values the positions harm (a separate list).
    pub harmed_values: Vec<String>,
    pub dissent: Vec<Dissent>,
    pub actions: Vec<ActionView>,
    pub law_refs: Vec<LawRefView>,
    pub local_ordinances: Vec<String>,
    pub related_precedents: Vec<RelatedView>,
    pub court_rulings: Vec<CourtRuling>,
    pub themes: Vec<String>,
    pub tags: Vec<String>,
    /// The outcome type's key (`maatwerk_granted`, …), if the record has one.
    pub outcome: Option<String>,
    // The team's evaluation of its own session is the team's: it is not part of the citable
    // precedent, so the view (page, Markdown, hints) has no such field.
    pub anonymisation_review: Option<AnonymisationReview>,
    pub status_history: Vec<StatusChangeView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionView {
    pub what: String,
    pub who: String,
    pub when: Option<String>,
    pub done: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LawRefView {
    /// As cited: `Participatiewet art. 18 lid 2`.
    pub text: String,
    /// The law register's address of the article, for the Participatiewet.
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelatedView {
    /// `follows`, `deviates_from` or `refines`.
    pub relation: &'static str,
    pub citation: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusChangeView {
    pub status: &'static str,
    pub on: String,
    pub by: String,
    pub reason: Option<String>,
}

impl PrecedentView {
    pub fn from_row(row: &PrecedentRow) -> Self {
        let mut view = match serde_json::from_value::<Precedent>(row.record.clone()) {
            Ok(p) => from_precedent(p),
            Err(_) => from_import_record(&row.record),
        };
        // The row is authoritative for what the store manages itself.
        view.id = row.id;
        view.citation_id = row.citation_id.clone().or(view.citation_id);
        view.import_ref = row.import_ref.clone().or(view.import_ref);
        view.status = status_key(&row.status);
        view.version = row.version.max(1);
        if view.title.trim().is_empty() {
            view.title = row.title.clone();
        }
        if view.session_date.is_none() {
            view.session_date = row.decided_on.clone();
        }
        if view.method.is_none() {
            view.method = row.method_key.clone();
        }
        view
    }

    /// How to cite it: the citation id, else the importer's reference.
    pub fn reference(&self) -> Option<&str> {
        self.citation_id.as_deref().or(self.import_ref.as_deref())
    }
}

fn status_key(status: &PrecedentStatus) -> &'static str {
    status.as_str()
}

fn relation_key(r: Relation) -> &'static str {
    match r {
        Relation::Follows => "follows",
        Relation::DeviatesFrom => "deviates_from",
        Relation::Refines => "refines",
    }
}

fn law_view(law: &LawRef) -> LawRefView {
    LawRefView {
        text: law.to_string(),
        url: law.to_juriconnect().map(|jci| format!("https://wetten.overheid.nl/{jci}")),
    }
}

fn from_precedent(p: Precedent) -> PrecedentView {
    let outcome = serde_json::to_value(p.outcome).ok().and_then(|v| v.as_str().map(str::to_string));
    PrecedentView {
        id: 0,
        citation_id: p.citation.as_ref().map(ToString::to_string),
        import_ref: p.import_ref,
        status: "",
        version: i64::from(p.version),
        session_date: p.session_date.map(|d| d.to_string()),
        adopted_on: p.adopted_on.map(|d| d.to_string()),
        method: Some(p.method.method),
        method_variant: p.method.variant,
        team: p.team,
        organisation: p.organisation,
        title: p.title,
        summary: p.summary,
        case_text: p.case_text,
        moral_question: p.moral_question,
        options: p.options,
        perspectives: p.perspectives,
        alternatives: p.alternatives,
        positions: p.positions,
        dialogue: p.dialogue,
        conclusion: p.conclusion,
        reasoning: p.reasoning,
        values: p.values,
        harmed_values: p.harmed_values,
        dissent: p.dissent,
        actions: p
            .actions
            .into_iter()
            .map(|a| ActionView {
                what: a.what,
                who: a.who,
                when: a.when.map(|d| d.to_string()),
                done: a.done,
            })
            .collect(),
        law_refs: p.law_refs.iter().map(law_view).collect(),
        local_ordinances: p.local_ordinances,
        related_precedents: p
            .related_precedents
            .into_iter()
            .map(|r| RelatedView { relation: relation_key(r.relation), citation: r.citation.to_string() })
            .collect(),
        court_rulings: p.court_rulings,
        themes: p.themes.iter().map(|t| t.label().to_string()).collect(),
        tags: p.tags,
        outcome,
        anonymisation_review: p.anonymisation_review,
        status_history: p
            .status_history
            .into_iter()
            .map(|c| StatusChangeView {
                status: match c.status {
                    crate::domain::precedent::Status::Draft => "draft",
                    crate::domain::precedent::Status::Adopted => "adopted",
                    crate::domain::precedent::Status::Withdrawn => "withdrawn",
                },
                on: c.on.to_string(),
                by: c.by,
                reason: c.reason,
            })
            .collect(),
    }
}

/// An imported record (the import format's keys), read leniently: a missing or odd key is
/// left empty rather than failing the page.
fn from_import_record(r: &Value) -> PrecedentView {
    let text = |key: &str| r.get(key).and_then(Value::as_str).unwrap_or_default().trim().to_string();
    let list = |key: &str| -> Vec<String> {
        r.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let (themes, tags) = split_themes(list("tags"));
    let dissent = text("dissent");
    let nonempty = |s: String| (!s.is_empty()).then_some(s);
    PrecedentView {
        import_ref: nonempty(text("ref")),
        session_date: nonempty(text("date")),
        method: nonempty(text("method")),
        team: text("team"),
        title: text("title"),
        case_text: text("case"),
        moral_question: text("question"),
        conclusion: text("outcome"),
        reasoning: text("reasoning"),
        values: list("values"),
        dissent: if dissent.is_empty() {
            Vec::new()
        } else {
            vec![Dissent { position: dissent, values: Vec::new() }]
        },
        law_refs: list("law_articles")
            .iter()
            .map(|s| match LawRef::parse(s) {
                Ok(law) => law_view(&law),
                Err(_) => LawRefView { text: s.clone(), url: None },
            })
            .collect(),
        themes: themes.iter().map(|t| t.label().to_string()).collect(),
        tags,
        version: 1,
        ..PrecedentView::default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row(record: Value) -> PrecedentRow {
        PrecedentRow {
            id: 7,
            organisation_id: 1,
            team_id: None,
            session_id: None,
            import_ref: Some("S1".into()),
            citation_id: None,
            status: PrecedentStatus::Adopted,
            version: 1,
            title: "Titel".into(),
            decided_on: Some("2025-04-22".into()),
            method_key: Some("dilemma".into()),
            record,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn an_imported_record_maps_to_the_fields() {
        let v = PrecedentView::from_row(&row(json!({
            "ref": "S1", "title": "Afzien van terugvordering", "date": "2025-04-22", "method": "dilemma",
            "case": "Casus.", "question": "Vraag?", "outcome": "Uitkomst.", "reasoning": "Omdat.",
            "values": ["vertrouwen"], "dissent": "Eén collega niet.",
            "law_articles": ["Participatiewet art. 58"], "tags": ["terugvordering", "fout gemeente"], "team": "Team"
        })));
        assert_eq!(v.id, 7);
        assert_eq!(v.reference(), Some("S1"));
        assert_eq!((v.case_text.as_str(), v.moral_question.as_str()), ("Casus.", "Vraag?"));
        assert_eq!(v.conclusion, "Uitkomst.");
        assert_eq!(v.dissent[0].position, "Eén collega niet.");
        assert_eq!(v.themes, ["terugvordering"]);
        assert_eq!(v.tags, ["fout gemeente"]);
        assert_eq!(v.law_refs[0].text, "Participatiewet art. 58");
        assert!(v.law_refs[0].url.as_deref().unwrap().contains("BWBR0015703&artikel=58"));
        assert_eq!(v.status, "adopted");
    }

    #[test]
    fn a_domain_record_keeps_every_field_and_the_row_wins_on_status() {
        use crate::domain::precedent::*;
        let citation = CitationId::new("GEM", 2025, 3).unwrap();
        let p = Precedent {
            citation: Some(citation.clone()),
            import_ref: None,
            session_date: Some("2025-05-01".parse().unwrap()),
            adopted_on: Some("2025-05-08".parse().unwrap()),
            version: 2,
            method: MethodUsed { method: "dilemma".into(), variant: Some("question_first".into()) },
            team: "Team Werk".into(),
            organisation: Some("Gemeente".into()),
            title: "Titel".into(),
            summary: "Kort.".into(),
            case_text: "Casus.".into(),
            moral_question: "Vraag?".into(),
            options: vec![DilemmaOption { label: "A".into(), damage: "Schade A".into() }],
            perspectives: vec![],
            alternatives: vec![],
            positions: vec![],
            dialogue: Dialogue::default(),
            conclusion: "Conclusie.".into(),
            reasoning: "Omdat.".into(),
            values: vec![],
            harmed_values: vec![],
            dissent: vec![],
            actions: vec![Action { what: "Bellen".into(), who: "consulent".into(), when: None, done: None }],
            law_refs: vec![LawRef::parse("art. 18 lid 2").unwrap()],
            local_ordinances: vec![],
            related_precedents: vec![RelatedPrecedent {
                relation: Relation::DeviatesFrom,
                citation: CitationId::new("GEM", 2024, 9).unwrap(),
            }],
            court_rulings: vec![],
            themes: vec![Theme::Verlaging],
            tags: vec!["reistijd".into()],
            outcome: OutcomeType::SanctionWaived,
            evaluation: Some("Goed getimed, te weinig stilte.".into()),
            anonymisation_review: None,
            status: Status::Adopted,
            status_history: vec![StatusChange {
                status: Status::Adopted,
                on: "2025-05-08".parse().unwrap(),
                by: "gespreksleider".into(),
                reason: None,
            }],
        };
        let mut r = row(serde_json::to_value(&p).unwrap());
        r.import_ref = None;
        r.status = PrecedentStatus::Withdrawn;
        r.version = 2;
        let v = PrecedentView::from_row(&r);
        assert_eq!(v.citation_id.as_deref(), Some("MB:GEM:2025:3"));
        assert_eq!(v.status, "withdrawn");
        assert_eq!(v.version, 2);
        assert_eq!(v.method_variant.as_deref(), Some("question_first"));
        assert_eq!(v.options[0].damage, "Schade A");
        assert_eq!(v.related_precedents[0].relation, "deviates_from");
        assert_eq!(v.related_precedents[0].citation, "MB:GEM:2024:9");
        assert_eq!(v.status_history[0].status, "adopted");
        assert_eq!(v.outcome.as_deref(), Some("sanction_waived"));
        assert_eq!(v.law_refs[0].text, "Participatiewet art. 18 lid 2");
        assert_eq!(v.themes, ["verlaging"]);
        // The team's evaluation stays with the team: not in what is published.
        assert!(!serde_json::to_string(&v).unwrap().contains("Goed getimed"));
    }

    #[test]
    fn an_odd_record_still_renders_with_the_row_title() {
        let v = PrecedentView::from_row(&row(json!({"unexpected": 1})));
        assert_eq!(v.title, "Titel");
        assert_eq!(v.session_date.as_deref(), Some("2025-04-22"));
        assert!(v.case_text.is_empty());
    }
}
