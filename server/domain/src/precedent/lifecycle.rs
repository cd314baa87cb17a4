//! A precedent's life after drafting: editing the draft, adoption (with its citation id),
//! corrections (a new version; the adopted text never changes in place) and withdrawal (the id
//! stays, marked withdrawn). Pure rules; the store keeps every adopted version.

use serde::Serialize;

use super::record::{Precedent, StatusChange};
use super::{is_ecli, normalise_tags, CalendarDate, CitationId, Status};
use crate::problems::dedupe_and_cap;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest summary (inhoudsindicatie), in characters.
pub const MAX_SUMMARY: usize = 1500;
/// Longest case text, in characters.
pub const MAX_CASE: usize = 20_000;
/// Longest other prose field (question, conclusion, reasoning, dissent, evaluation).
pub const MAX_PROSE: usize = 8000;
/// Longest short field (option label, matrix cell, value, action, tag).
pub const MAX_SHORT: usize = 1000;
/// Most items in one list field (options, tags, values, actions, positions, law references…),
/// checked by [`check_counts`] before any other work.
pub const MAX_ITEMS: usize = 100;
/// Longest reason for a correction or withdrawal.
pub const MAX_REASON: usize = 1000;

/// One problem with a record, by field (a JSON path such as `options[1].damage`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RecordProblem {
    #[error("{field}: mag niet leeg zijn / must not be empty")]
    Empty { field: String },
    #[error("{field}: te lang ({len} tekens, hoogstens {max}) / too long ({len} characters, at most {max})")]
    TooLong { field: String, max: usize, len: usize },
    #[error("{field}: bevat stuurtekens / contains control characters")]
    ControlCharacters { field: String },
    #[error("{field}: te veel onderdelen (hoogstens {max}) / too many items (at most {max})")]
    TooManyItems { field: String, max: usize },
    #[error("{field}: geen geldige ECLI / not a valid ECLI")]
    InvalidEcli { field: String },
    #[error("{field}: geen geldig CVDR-nummer / not a valid CVDR id")]
    InvalidCvdr { field: String },
    /// A law reference that does not parse; `error` is the [`LawRefError`](super::LawRefError)'s code.
    #[error("{field}: geen wetsverwijzing die we herkennen / not a law reference we recognise")]
    InvalidLawRef { field: String, error: String },
    /// The last entry of a long list: this many more problems were found but are not listed
    /// (see [`crate::problems::MAX_PROBLEMS_REPORTED`]).
    #[error("en nog {count} problemen / and {count} more problems")]
    MoreProblems { count: usize },
}

impl RecordProblem {
    pub fn field(&self) -> &str {
        match self {
            Self::Empty { field }
            | Self::TooLong { field, .. }
            | Self::ControlCharacters { field }
            | Self::TooManyItems { field, .. }
            | Self::InvalidEcli { field }
            | Self::InvalidCvdr { field }
            | Self::InvalidLawRef { field, .. } => field,
            Self::MoreProblems { .. } => "",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty { .. } => "empty",
            Self::TooLong { .. } => "too_long",
            Self::ControlCharacters { .. } => "control_characters",
            Self::TooManyItems { .. } => "too_many_items",
            Self::InvalidEcli { .. } => "invalid_ecli",
            Self::InvalidCvdr { .. } => "invalid_cvdr",
            Self::InvalidLawRef { .. } => "invalid_law_ref",
            Self::MoreProblems { .. } => "more_problems",
        }
    }
}

/// Why a lifecycle step is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// Only a draft can be edited in place; an adopted precedent gets a correction.
    #[error("alleen een concept kan worden bewerkt; dit precedent is {0:?}: maak een correctie")]
    NotADraft(Status),
    /// The status transition is not allowed ([`Status::can_become`]).
    #[error("een precedent met status {from:?} kan niet {to:?} worden")]
    CannotBecome { from: Status, to: Status },
    /// Corrections are for adopted precedents only.
    #[error("alleen een vastgesteld precedent kan worden gecorrigeerd")]
    NotAdopted(Status),
    #[error("geef een reden")]
    ReasonRequired,
    #[error("de reden is te lang (hoogstens {MAX_REASON} tekens)")]
    ReasonTooLong,
    #[error("het precedent is niet volledig of niet geldig")]
    Invalid(Vec<RecordProblem>),
    /// A list longer than its hard limit ([`MAX_ITEMS`]), refused before any other work.
    #[error("{field}: te veel onderdelen ({count}, hoogstens {max})")]
    TooManyItems { field: String, max: usize, count: usize },
}

impl LifecycleError {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotADraft(_) => "precedent_not_draft",
            Self::CannotBecome { .. } => "precedent_status_conflict",
            Self::NotAdopted(_) => "precedent_not_adopted",
            Self::ReasonRequired => "reason_required",
            Self::ReasonTooLong => "reason_too_long",
            Self::Invalid(_) => "invalid_record",
            Self::TooManyItems { .. } => "too_many_items",
        }
    }
}

/// The year of the citation id: the year of the session, else of adoption.
pub fn citation_year(p: &Precedent, adopted_on: CalendarDate) -> u16 {
    p.session_date.unwrap_or(adopted_on).year()
}

/// Checks every field a moderator can edit; `for_adoption` also requires what an adopted
/// precedent must say (title, summary, case, conclusion).
pub fn validate(p: &Precedent, for_adoption: bool) -> Result<(), Vec<RecordProblem>> {
    let mut v = Check::default();
    v.text("title", &p.title, MAX_TITLE, true);
    v.text("summary", &p.summary, MAX_SUMMARY, for_adoption);
    v.text("case_text", &p.case_text, MAX_CASE, for_adoption);
    v.text("moral_question", &p.moral_question, MAX_PROSE, false);
    v.text("conclusion", &p.conclusion, MAX_PROSE, for_adoption);
    v.text("reasoning", &p.reasoning, MAX_PROSE, false);
    v.text("team", &p.team, MAX_SHORT, false);
    v.text("method.method", &p.method.method, MAX_SHORT, false);
    if let Some(e) = &p.evaluation {
        v.text("evaluation", e, MAX_PROSE, false);
    }
    v.count("options", p.options.len());
    for (i, o) in p.options.iter().enumerate() {
        v.text(&format!("options[{i}].label"), &o.label, MAX_SHORT, true);
        v.text(&format!("options[{i}].damage"), &o.damage, MAX_SHORT, false);
    }
    v.count("perspectives", p.perspectives.len());
    for (i, r) in p.perspectives.iter().enumerate() {
        v.text(&format!("perspectives[{i}].stakeholder"), &r.stakeholder, MAX_SHORT, true);
        v.text(&format!("perspectives[{i}].perspective"), &r.perspective, MAX_SHORT, false);
        v.text(&format!("perspectives[{i}].value"), &r.value, MAX_SHORT, false);
        v.text(&format!("perspectives[{i}].norm"), &r.norm, MAX_SHORT, false);
    }
    v.list("alternatives", &p.alternatives, MAX_SHORT);
    v.count("positions", p.positions.len());
    for (i, r) in p.positions.iter().enumerate() {
        v.text(&format!("positions[{i}].pseudonym"), &r.pseudonym, MAX_SHORT, true);
        v.text(&format!("positions[{i}].choice"), &r.choice, MAX_SHORT, false);
        v.text(&format!("positions[{i}].value"), &r.value, MAX_SHORT, false);
        v.text(&format!("positions[{i}].damage"), &r.damage, MAX_SHORT, false);
        v.text(&format!("positions[{i}].damage_limitation"), &r.damage_limitation, MAX_SHORT, false);
        v.text(&format!("positions[{i}].needs"), &r.needs, MAX_SHORT, false);
    }
    v.list("dialogue.similarities", &p.dialogue.similarities, MAX_PROSE);
    v.list("dialogue.differences", &p.dialogue.differences, MAX_PROSE);
    v.list("values", &p.values, MAX_SHORT);
    v.list("harmed_values", &p.harmed_values, MAX_SHORT);
    v.count("dissent", p.dissent.len());
    for (i, d) in p.dissent.iter().enumerate() {
        v.text(&format!("dissent[{i}].position"), &d.position, MAX_PROSE, true);
        v.list(&format!("dissent[{i}].values"), &d.values, MAX_SHORT);
    }
    v.count("actions", p.actions.len());
    for (i, a) in p.actions.iter().enumerate() {
        v.text(&format!("actions[{i}].what"), &a.what, MAX_SHORT, true);
        v.text(&format!("actions[{i}].who"), &a.who, MAX_SHORT, true);
    }
    v.count("law_refs", p.law_refs.len());
    v.count("local_ordinances", p.local_ordinances.len());
    for (i, c) in p.local_ordinances.iter().enumerate() {
        let ok = c
            .strip_prefix("CVDR")
            .is_some_and(|n| !n.is_empty() && n.len() <= 12 && n.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            v.0.push(RecordProblem::InvalidCvdr { field: format!("local_ordinances[{i}]") });
        }
    }
    v.count("related_precedents", p.related_precedents.len());
    v.count("court_rulings", p.court_rulings.len());
    for (i, c) in p.court_rulings.iter().enumerate() {
        if !is_ecli(&c.ecli) {
            v.0.push(RecordProblem::InvalidEcli { field: format!("court_rulings[{i}].ecli") });
        }
        if let Some(note) = &c.note {
            v.text(&format!("court_rulings[{i}].note"), note, MAX_SHORT, false);
        }
    }
    v.count("themes", p.themes.len());
    v.list("tags", &p.tags, MAX_SHORT);
    if v.0.is_empty() {
        return Ok(());
    }
    let (mut shown, omitted) = dedupe_and_cap(v.0);
    if omitted > 0 {
        shown.push(RecordProblem::MoreProblems { count: omitted });
    }
    Err(shown)
}

/// Law references as typed (the JSON API's `law_refs`: strings), each checked with
/// [`LawRef::parse`](super::LawRef::parse): a problem per reference that does not parse, by
/// its field (`law_refs[2]`), so the editor can say it at that field. At most [`MAX_ITEMS`]
/// are read.
pub fn check_law_refs<'a>(typed: impl IntoIterator<Item = &'a str>) -> Vec<RecordProblem> {
    typed
        .into_iter()
        .take(MAX_ITEMS)
        .enumerate()
        .filter_map(|(i, text)| {
            super::LawRef::parse(text).err().map(|e| RecordProblem::InvalidLawRef {
                field: format!("law_refs[{i}]"),
                error: e.code().to_owned(),
            })
        })
        .collect()
}

/// The hard limits on counts: the first list longer than [`MAX_ITEMS`], found in constant time
/// per list, before anything else is read (editing and correcting call it first).
pub fn check_counts(p: &Precedent) -> Result<(), LifecycleError> {
    let mut lists: Vec<(String, usize)> = vec![
        ("options".into(), p.options.len()),
        ("perspectives".into(), p.perspectives.len()),
        ("alternatives".into(), p.alternatives.len()),
        ("positions".into(), p.positions.len()),
        ("dialogue.similarities".into(), p.dialogue.similarities.len()),
        ("dialogue.differences".into(), p.dialogue.differences.len()),
        ("values".into(), p.values.len()),
        ("harmed_values".into(), p.harmed_values.len()),
        ("dissent".into(), p.dissent.len()),
        ("actions".into(), p.actions.len()),
        ("law_refs".into(), p.law_refs.len()),
        ("local_ordinances".into(), p.local_ordinances.len()),
        ("related_precedents".into(), p.related_precedents.len()),
        ("court_rulings".into(), p.court_rulings.len()),
        ("themes".into(), p.themes.len()),
        ("tags".into(), p.tags.len()),
        ("status_history".into(), p.status_history.len()),
    ];
    if p.dissent.len() <= MAX_ITEMS {
        lists.extend(
            p.dissent.iter().enumerate().map(|(i, d)| (format!("dissent[{i}].values"), d.values.len())),
        );
    }
    match lists.into_iter().find(|(_, n)| *n > MAX_ITEMS) {
        Some((field, count)) => Err(LifecycleError::TooManyItems { field, max: MAX_ITEMS, count }),
        None => Ok(()),
    }
}

#[derive(Default)]
struct Check(Vec<RecordProblem>);

impl Check {
    fn text(&mut self, field: &str, text: &str, max: usize, required: bool) {
        let len = text.chars().count();
        if required && text.trim().is_empty() {
            self.0.push(RecordProblem::Empty { field: field.to_owned() });
        } else if len > max {
            self.0.push(RecordProblem::TooLong { field: field.to_owned(), max, len });
        } else if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
            self.0.push(RecordProblem::ControlCharacters { field: field.to_owned() });
        }
    }

    fn count(&mut self, field: &str, n: usize) {
        if n > MAX_ITEMS {
            self.0.push(RecordProblem::TooManyItems { field: field.to_owned(), max: MAX_ITEMS });
        }
    }

    fn list(&mut self, field: &str, items: &[String], max: usize) {
        self.count(field, items.len());
        for (i, s) in items.iter().enumerate() {
            self.text(&format!("{field}[{i}]"), s, max, true);
        }
    }
}

/// Trims the edges of every prose field and normalises the tags.
fn tidy(mut p: Precedent) -> Precedent {
    for s in [
        &mut p.title,
        &mut p.summary,
        &mut p.case_text,
        &mut p.moral_question,
        &mut p.conclusion,
        &mut p.reasoning,
        &mut p.team,
    ] {
        *s = s.trim().to_owned();
    }
    p.tags = normalise_tags(&p.tags);
    p
}

/// The fields only the lifecycle sets: an edit cannot change them (the anonymisation review
/// is recorded at adoption and correction).
fn keep_managed(stored: &Precedent, mut edited: Precedent) -> Precedent {
    edited.citation = stored.citation.clone();
    edited.import_ref = stored.import_ref.clone();
    edited.adopted_on = stored.adopted_on;
    edited.version = stored.version;
    edited.organisation = stored.organisation.clone();
    edited.status = stored.status;
    edited.status_history = stored.status_history.clone();
    edited.anonymisation_review = stored.anonymisation_review.clone();
    edited
}

/// The moderator's edit of a draft: every field they can edit, checked. Citation, version,
/// status and its history stay as stored.
pub fn edit_draft(stored: &Precedent, edited: Precedent) -> Result<Precedent, LifecycleError> {
    check_counts(&edited)?;
    if stored.status != Status::Draft {
        return Err(LifecycleError::NotADraft(stored.status));
    }
    let next = tidy(keep_managed(stored, edited));
    validate(&next, false).map_err(LifecycleError::Invalid)?;
    Ok(next)
}

/// Adopts a draft under `citation` (assigned by the store, see [`citation_year`]): version 1,
/// adopted today, the status history extended.
pub fn adopt(
    stored: &Precedent,
    citation: CitationId,
    on: CalendarDate,
    by: &str,
) -> Result<Precedent, LifecycleError> {
    check_adoptable(stored)?;
    let mut next = stored.clone();
    next.citation = Some(citation);
    next.adopted_on = Some(on);
    next.version = 1;
    next.status = Status::Adopted;
    next.status_history.push(StatusChange { status: Status::Adopted, on, by: by.to_owned(), reason: None });
    Ok(next)
}

/// Whether `stored` may be adopted now (before a citation number is spent on it).
pub fn check_adoptable(stored: &Precedent) -> Result<(), LifecycleError> {
    if !stored.status.can_become(Status::Adopted) {
        return Err(LifecycleError::CannotBecome { from: stored.status, to: Status::Adopted });
    }
    validate(stored, true).map_err(LifecycleError::Invalid)
}

/// A correction of an adopted precedent: the edited record as version + 1, same citation id.
/// The reason goes with the stored version.
pub fn correct(stored: &Precedent, edited: Precedent, reason: &str) -> Result<Precedent, LifecycleError> {
    check_counts(&edited)?;
    if stored.status != Status::Adopted {
        return Err(LifecycleError::NotAdopted(stored.status));
    }
    check_reason(reason)?;
    let mut next = tidy(keep_managed(stored, edited));
    next.version = stored.version + 1;
    validate(&next, true).map_err(LifecycleError::Invalid)?;
    Ok(next)
}

/// Withdraws a precedent: it keeps its id and citation id, and says why.
pub fn withdraw(
    stored: &Precedent,
    on: CalendarDate,
    by: &str,
    reason: &str,
) -> Result<Precedent, LifecycleError> {
    if !stored.status.can_become(Status::Withdrawn) {
        return Err(LifecycleError::CannotBecome { from: stored.status, to: Status::Withdrawn });
    }
    check_reason(reason)?;
    let mut next = stored.clone();
    next.status = Status::Withdrawn;
    next.status_history.push(StatusChange {
        status: Status::Withdrawn,
        on,
        by: by.to_owned(),
        reason: Some(reason.trim().to_owned()),
    });
    Ok(next)
}

fn check_reason(reason: &str) -> Result<(), LifecycleError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(LifecycleError::ReasonRequired);
    }
    if r.chars().count() > MAX_REASON {
        return Err(LifecycleError::ReasonTooLong);
    }
    Ok(())
}

/// Every prose field of a record with its path, for the anonymisation scan.
pub fn text_fields(p: &Precedent) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = vec![
        ("title".into(), p.title.as_str()),
        ("summary".into(), p.summary.as_str()),
        ("case_text".into(), p.case_text.as_str()),
        ("moral_question".into(), p.moral_question.as_str()),
        ("conclusion".into(), p.conclusion.as_str()),
        ("reasoning".into(), p.reasoning.as_str()),
    ];
    for (i, o) in p.options.iter().enumerate() {
        out.push((format!("options[{i}].label"), &o.label));
        out.push((format!("options[{i}].damage"), &o.damage));
    }
    for (i, r) in p.perspectives.iter().enumerate() {
        out.push((format!("perspectives[{i}].stakeholder"), &r.stakeholder));
        out.push((format!("perspectives[{i}].perspective"), &r.perspective));
        out.push((format!("perspectives[{i}].value"), &r.value));
        out.push((format!("perspectives[{i}].norm"), &r.norm));
    }
    for (i, a) in p.alternatives.iter().enumerate() {
        out.push((format!("alternatives[{i}]"), a));
    }
    for (i, r) in p.positions.iter().enumerate() {
        out.push((format!("positions[{i}].choice"), &r.choice));
        out.push((format!("positions[{i}].value"), &r.value));
        out.push((format!("positions[{i}].damage"), &r.damage));
        out.push((format!("positions[{i}].damage_limitation"), &r.damage_limitation));
        out.push((format!("positions[{i}].needs"), &r.needs));
    }
    for (i, s) in p.dialogue.similarities.iter().enumerate() {
        out.push((format!("dialogue.similarities[{i}]"), s));
    }
    for (i, s) in p.dialogue.differences.iter().enumerate() {
        out.push((format!("dialogue.differences[{i}]"), s));
    }
    for (i, d) in p.dissent.iter().enumerate() {
        out.push((format!("dissent[{i}].position"), &d.position));
    }
    for (i, a) in p.actions.iter().enumerate() {
        out.push((format!("actions[{i}].what"), &a.what));
    }
    if let Some(e) = &p.evaluation {
        out.push(("evaluation".into(), e));
    }
    out.retain(|(_, t)| !t.trim().is_empty());
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn date(s: &str) -> CalendarDate {
        s.parse().unwrap()
    }

    /// A draft as a session makes it (also the fixture of `approval.rs`'s tests).
    pub(crate) fn record() -> Precedent {
        serde_json::from_value(serde_json::json!({
            "session_date": "2026-03-02", "adopted_on": null, "version": 1,
            "method": {"method": "dilemma"}, "team": "Team Noord", "organisation": "LOCAL",
            "title": "Verlaging bij ziekte", "summary": "Geen verlaging zonder gesprek.",
            "case_text": "Een cliënt meldt zich ziek.", "moral_question": "Verlagen?",
            "conclusion": "Niet verlagen.", "reasoning": "Bestaanszekerheid.",
            "outcome": "sanction_waived", "status": "draft",
            "status_history": [{"status": "draft", "on": "2026-03-02", "by": "gespreksleider"}]
        }))
        .unwrap()
    }

    #[test]
    fn an_edit_keeps_managed_fields_and_is_checked() {
        let stored = record();
        let mut edited = record();
        edited.title = "  Nieuwe titel ".into();
        edited.version = 9;
        edited.status = Status::Adopted;
        edited.citation = Some("MB:X1:2026:5".parse().unwrap());
        edited.tags = vec!["Kostendelersnorm".into(), "kostendelersnorm".into()];
        let next = edit_draft(&stored, edited).unwrap();
        assert_eq!(next.title, "Nieuwe titel");
        assert_eq!((next.version, next.status, next.citation.clone()), (1, Status::Draft, None));
        assert_eq!(next.tags, vec!["kostendelersnorm"]);

        let mut bad = record();
        bad.title = " ".into();
        bad.options
            .push(super::super::DilemmaOption { label: "A".into(), damage: "x".repeat(MAX_SHORT + 1) });
        let Err(LifecycleError::Invalid(problems)) = edit_draft(&stored, bad) else { panic!() };
        let fields: Vec<&str> = problems.iter().map(RecordProblem::field).collect();
        assert_eq!(fields, ["title", "options[0].damage"]);
        assert_eq!(problems[1].code(), "too_long");
    }

    #[test]
    fn adoption_needs_a_complete_draft_and_sets_the_citation() {
        let mut draft = record();
        draft.summary = String::new();
        let Err(LifecycleError::Invalid(p)) = check_adoptable(&draft) else { panic!() };
        assert_eq!(p, vec![RecordProblem::Empty { field: "summary".into() }]);
        // A draft may be saved without a summary.
        assert!(edit_draft(&draft, draft.clone()).is_ok());

        let c: CitationId = "MB:LOCAL:2026:1".parse().unwrap();
        let adopted = adopt(&record(), c.clone(), date("2026-03-09"), "gespreksleider").unwrap();
        assert_eq!(adopted.status, Status::Adopted);
        assert_eq!(adopted.citation, Some(c.clone()));
        assert_eq!(adopted.adopted_on, Some(date("2026-03-09")));
        assert_eq!(adopted.status_history.last().unwrap().status, Status::Adopted);
        assert_eq!(citation_year(&adopted, date("2027-01-01")), 2026);

        // Adopted is final: no second adoption, no edit in place.
        assert_eq!(
            adopt(&adopted, c, date("2026-03-10"), "x").unwrap_err(),
            LifecycleError::CannotBecome { from: Status::Adopted, to: Status::Adopted }
        );
        assert_eq!(edit_draft(&adopted, record()).unwrap_err(), LifecycleError::NotADraft(Status::Adopted));
    }

    #[test]
    fn a_correction_is_a_new_version_under_the_same_citation() {
        let c: CitationId = "MB:LOCAL:2026:1".parse().unwrap();
        let adopted = adopt(&record(), c.clone(), date("2026-03-09"), "gespreksleider").unwrap();
        let mut edited = adopted.clone();
        edited.reasoning = "Bestaanszekerheid weegt zwaarder dan gelijke behandeling.".into();
        edited.citation = None;
        assert_eq!(correct(&adopted, edited.clone(), "  ").unwrap_err(), LifecycleError::ReasonRequired);
        let v2 = correct(&adopted, edited, "typefout").unwrap();
        assert_eq!((v2.version, v2.citation.clone(), v2.status), (2, Some(c), Status::Adopted));
        assert_eq!(correct(&record(), record(), "x").unwrap_err(), LifecycleError::NotAdopted(Status::Draft));
    }

    #[test]
    fn withdrawal_keeps_the_citation_and_records_the_reason() {
        let c: CitationId = "MB:LOCAL:2026:1".parse().unwrap();
        let adopted = adopt(&record(), c.clone(), date("2026-03-09"), "gespreksleider").unwrap();
        assert_eq!(
            withdraw(&adopted, date("2026-04-01"), "g", "").unwrap_err(),
            LifecycleError::ReasonRequired
        );
        let w = withdraw(&adopted, date("2026-04-01"), "gespreksleider", "achterhaald door nieuw beleid")
            .unwrap();
        assert_eq!((w.status, w.citation.clone()), (Status::Withdrawn, Some(c)));
        let last = w.status_history.last().unwrap();
        assert_eq!(last.reason.as_deref(), Some("achterhaald door nieuw beleid"));
        assert!(matches!(
            withdraw(&w, date("2026-04-02"), "g", "nogmaals").unwrap_err(),
            LifecycleError::CannotBecome { from: Status::Withdrawn, .. }
        ));
        assert!(matches!(
            correct(&w, w.clone(), "x").unwrap_err(),
            LifecycleError::NotAdopted(Status::Withdrawn)
        ));
    }

    #[test]
    fn a_list_over_its_limit_is_refused_before_anything_else() {
        let stored = record();
        let mut edited = record();
        edited.tags = (0..65_536).map(|i| format!("tag {i}")).collect();
        edited.title = String::new(); // would be a problem too, but the count comes first
        assert_eq!(
            edit_draft(&stored, edited.clone()).unwrap_err(),
            LifecycleError::TooManyItems { field: "tags".into(), max: MAX_ITEMS, count: 65_536 }
        );
        assert_eq!(edit_draft(&stored, edited.clone()).unwrap_err().code(), "too_many_items");
        let adopted = adopt(&record(), "MB:LOCAL:2026:1".parse().unwrap(), date("2026-03-09"), "g").unwrap();
        assert!(matches!(
            correct(&adopted, edited, "typefout").unwrap_err(),
            LifecycleError::TooManyItems { max: MAX_ITEMS, .. }
        ));
        let mut at_limit = record();
        at_limit.values = vec!["zorg".into(); MAX_ITEMS];
        assert!(check_counts(&at_limit).is_ok());
        at_limit.dissent =
            vec![super::super::Dissent { position: "x".into(), values: vec!["v".into(); 101] }];
        assert_eq!(
            check_counts(&at_limit).unwrap_err(),
            LifecycleError::TooManyItems { field: "dissent[0].values".into(), max: MAX_ITEMS, count: 101 }
        );
    }

    #[test]
    fn law_references_are_checked_one_by_one() {
        let problems = check_law_refs(["art 18 lid 4 PW", "art. achttien", "", "Pw 17"]);
        assert_eq!(
            problems,
            vec![
                RecordProblem::InvalidLawRef {
                    field: "law_refs[1]".into(),
                    error: "law_ref_invalid_article".into()
                },
                RecordProblem::InvalidLawRef { field: "law_refs[2]".into(), error: "law_ref_empty".into() },
            ]
        );
        assert_eq!(problems[0].code(), "invalid_law_ref");
    }

    #[test]
    fn at_most_fifty_problems_are_listed_and_the_rest_counted() {
        let mut bad = record();
        // 100 options (the limit), each with an empty label and a too-long damage: 200 problems.
        bad.options =
            vec![super::super::DilemmaOption { label: " ".into(), damage: "x".repeat(MAX_SHORT + 1) }; 100];
        let problems = validate(&bad, false).unwrap_err();
        assert_eq!(problems.len(), crate::problems::MAX_PROBLEMS_REPORTED + 1);
        assert_eq!(
            problems.last(),
            Some(&RecordProblem::MoreProblems { count: 200 - crate::problems::MAX_PROBLEMS_REPORTED })
        );
        assert_eq!(problems.last().unwrap().code(), "more_problems");
    }
}
