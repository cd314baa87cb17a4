//! The hard privacy rule at every entry point: text that contains a BSN or an IBAN is refused
//! whole. The refusal names the kind and where (field and character offset) — never the
//! number — and the text is neither stored, nor logged, nor sent on.
//!
//! The rule is a type: every store write that carries free text (a session's title and case,
//! an organisation's, a team's or a person's name (new or changed), an API token's name, a
//! custom method, a precedent and its session links' notes, a case proposal, a team action's
//! settlement, the live room's commands) takes a [`Screened<T>`], and only this module makes
//! one, after reading the value's free text
//! ([`FreeText`]). A new route cannot write such text without passing here. A handler may check
//! a request's fields first ([`check_text`], [`check_json`]) where the refusal must name them
//! or come before other checks; the store's type is what cannot be forgotten.

use std::ops::Deref;

use serde::Serialize;

use crate::domain::anonymisation::{hard_identifiers, Kind, ReviewInput};
use crate::domain::precedent::Approval;
use crate::domain::session::Command;
use crate::store::{
    ActionSettlement, Harvest, NewApiToken, NewOrganisation, NewPrecedent, NewProposal, NewSession,
    NewSessionLink, NewTeam, NewUser, PrecedentWrite, StoredApproval,
};

/// Why a text was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{kind} found in {field} at character {start}")]
pub struct Refusal {
    /// "bsn" or "iban".
    pub kind: &'static str,
    /// Where: a field name or JSON path, e.g. `content.text` or `line 3: case`.
    pub field: String,
    /// Character offset of the start of the number within that field.
    pub start: usize,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self.kind {
            "bsn" => "bsn_refused",
            _ => "iban_refused",
        }
    }
}

/// Refuses `text` when it holds a BSN or IBAN.
pub fn check_text(field: &str, text: &str) -> Result<(), Refusal> {
    match hard_identifiers(text).first() {
        Some(f) => Err(Refusal {
            kind: if f.kind == Kind::Bsn { "bsn" } else { "iban" },
            field: field.to_owned(),
            start: f.start,
        }),
        None => Ok(()),
    }
}

/// Refuses any string anywhere inside a JSON value (a command, a custom method, an import line).
/// `path` is where the value sits; a refusal names the string's place below it, e.g.
/// `rounds[0].prompt`.
pub fn check_json(path: &str, value: &serde_json::Value) -> Result<(), Refusal> {
    let mut at = Vec::new();
    check_json_in(value, &mut at).map_err(|mut refusal| {
        refusal.field = json_path(path, &at);
        refusal
    })
}

/// One step from a JSON value to a part of it.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// [`check_json`] below the steps in `at`, which hold the way to the refused string when it
/// returns one: the path is written only then (every string is read; nearly all pass).
fn check_json_in<'a>(value: &'a serde_json::Value, at: &mut Vec<Step<'a>>) -> Result<(), Refusal> {
    match value {
        serde_json::Value::String(s) => check_text("", s),
        serde_json::Value::Array(items) => items.iter().enumerate().try_for_each(|(i, v)| {
            at.push(Step::Index(i));
            check_json_in(v, at)?;
            at.pop();
            Ok(())
        }),
        serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            at.push(Step::Key(k));
            check_json_in(v, at)?;
            at.pop();
            Ok(())
        }),
        _ => Ok(()),
    }
}

/// `path` followed by `steps`: keys joined with `.`, indexes as `[i]`.
fn json_path(path: &str, steps: &[Step]) -> String {
    let mut out = path.to_owned();
    for step in steps {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Refuses a serialisable value (e.g. a session command) holding a BSN or IBAN anywhere.
pub fn check<T: Serialize>(value: &T) -> Result<(), Refusal> {
    check_json("", &serde_json::to_value(value).unwrap_or_default())
}

/// A value whose free text the guard has read and found free of BSNs and IBANs. Only
/// [`screen`] and [`screen_text`] make one (the private field); the store's writes of free text
/// require one.
///
/// ```compile_fail
/// // Outside the guard a screened value cannot be made by hand:
/// let team = beraad::guard::Screened(String::from("Team 123456782"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Screened<T>(T);

impl<T> Screened<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Screened<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// The free text of a value, field by field, in the order refusals are reported.
pub trait FreeText {
    fn screen(&self) -> Result<(), Refusal>;
}

/// Reads `value`'s free text: the screened value, or the first refusal.
pub fn screen<T: FreeText>(value: T) -> Result<Screened<T>, Refusal> {
    value.screen()?;
    Ok(Screened(value))
}

/// Reads one text, reported as `field`.
pub fn screen_text(field: &str, text: String) -> Result<Screened<String>, Refusal> {
    check_text(field, &text)?;
    Ok(Screened(text))
}

/// A JSON document (a custom method): every string in it.
impl FreeText for serde_json::Value {
    fn screen(&self) -> Result<(), Refusal> {
        check_json("", self)
    }
}

/// A command for the live room (a contribution, a conclusion, a name): every string in it but
/// the ids the server issued ([`Command::with_issued_ids_blanked`]: a participant or
/// contribution id is not written by a person, and may hold nine digits passing the eleven
/// test by chance).
impl FreeText for Command {
    fn screen(&self) -> Result<(), Refusal> {
        check(&*self.with_issued_ids_blanked())
    }
}

/// [`screen`] for a command, handing back the JSON it read (the command serialised, with the
/// server's ids blanked): the live connection checks that JSON's fields against what the client
/// sent, so a command is serialised once for both.
pub fn screen_command(command: Command) -> (serde_json::Value, Result<Screened<Command>, Refusal>) {
    let json = serde_json::to_value(&*command.with_issued_ids_blanked()).expect("commands serialise");
    let verdict = check_json("", &json).map(|()| Screened(command));
    (json, verdict)
}

/// A new organisation: its name (`beraad admin create --org-name`).
impl FreeText for NewOrganisation {
    fn screen(&self) -> Result<(), Refusal> {
        check_text("name", &self.name)
    }
}

impl FreeText for NewTeam {
    fn screen(&self) -> Result<(), Refusal> {
        check_text("name", &self.name)
    }
}

/// A new account: the name shown for it.
impl FreeText for NewUser {
    fn screen(&self) -> Result<(), Refusal> {
        check_text("display_name", &self.display_name)
    }
}

/// What a reviewer kept of the anonymisation findings: each kept text and the reason given.
impl FreeText for ReviewInput {
    fn screen(&self) -> Result<(), Refusal> {
        self.kept.iter().enumerate().try_for_each(|(i, kept)| {
            check_text(&format!("review.kept[{i}].text"), &kept.text)?;
            check_text(&format!("review.kept[{i}].reason"), &kept.reason)
        })
    }
}

/// A new session: its title, its first events (the case, the moderator's name) and the
/// anonymisation review stored with it (the reasons for what was kept).
impl FreeText for NewSession {
    fn screen(&self) -> Result<(), Refusal> {
        check_text("title", &self.header.title)?;
        self.events.iter().try_for_each(|e| check_json("", &e.payload_value()))?;
        self.review.as_ref().map_or(Ok(()), |review| check_json("review", review))
    }
}

/// A draft's place under the four-eyes rule: the review asked with, a reason it was sent back.
impl FreeText for StoredApproval {
    fn screen(&self) -> Result<(), Refusal> {
        self.review.as_ref().map_or(Ok(()), |review| check_json("review", review))?;
        match &self.approval {
            Approval::SentBack { reason, .. } => check_text("reason", reason),
            Approval::None | Approval::Awaiting { .. } => Ok(()),
        }
    }
}

/// A precedent's record holds all its text (title and searchable body come from it).
impl FreeText for NewPrecedent {
    fn screen(&self) -> Result<(), Refusal> {
        check_json("", &self.record)
    }
}

/// A lifecycle step: the record, and the reason kept with the version.
impl FreeText for PrecedentWrite {
    fn screen(&self) -> Result<(), Refusal> {
        check_json("", &self.record)?;
        let reason = self.keep_version.as_ref().and_then(|v| v.reason.as_deref());
        reason.map_or(Ok(()), |r| check_text("reason", r))
    }
}

/// An API token: the name an admin gave it (the scopes are action names, the hash is ours).
impl FreeText for NewApiToken {
    fn screen(&self) -> Result<(), Refusal> {
        check_text("name", &self.name)
    }
}

/// A case proposed for a team's meeting: title, summary, case, and the reasons given in its
/// anonymisation review.
impl FreeText for NewProposal {
    fn screen(&self) -> Result<(), Refusal> {
        check_text("title", &self.case.title)?;
        check_text("summary", &self.case.summary)?;
        check_text("case_text", &self.case.case_text)?;
        check_json("review", &self.case.review)
    }
}

/// A session's link to a precedent: the moderator's note.
impl FreeText for NewSessionLink {
    fn screen(&self) -> Result<(), Refusal> {
        self.note.as_deref().map_or(Ok(()), |note| check_text("note", note))
    }
}

/// Settling a team action: the reason it was dropped.
impl FreeText for ActionSettlement {
    fn screen(&self) -> Result<(), Refusal> {
        self.drop_reason.as_deref().map_or(Ok(()), |reason| check_text("reason", reason))
    }
}

/// What the follow-up read from a session's log: the agreed actions (what, who) and the
/// look-back's settlements.
impl FreeText for Harvest {
    fn screen(&self) -> Result<(), Refusal> {
        self.actions.iter().enumerate().try_for_each(|(i, action)| {
            check_text(&format!("actions[{i}].what"), &action.what)?;
            check_text(&format!("actions[{i}].who"), &action.who)
        })?;
        self.settlements.iter().try_for_each(FreeText::screen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 123456782 passes the 11-proef, NL91ABNA0417164300 mod 97 (both fictitious).
    const BSN: &str = "123456782";
    const IBAN: &str = "NL91ABNA0417164300";

    fn team(name: &str) -> NewTeam {
        NewTeam { organisation_id: 1, name: name.into(), now_ms: 0 }
    }

    #[test]
    fn screening_refuses_as_the_checks_do() {
        let refusal = screen(team(&format!("Team {BSN}"))).unwrap_err();
        assert_eq!((refusal.kind, refusal.field.as_str(), refusal.start), ("bsn", "name", 5));
        assert_eq!(refusal.code(), "bsn_refused");
        let refusal = screen_text("display_name", format!("Anna {IBAN}")).unwrap_err();
        assert_eq!((refusal.code(), refusal.field.as_str()), ("iban_refused", "display_name"));
        let refusal = screen(serde_json::json!({ "rounds": [{ "prompt": BSN }] })).unwrap_err();
        assert_eq!(refusal.field, "rounds[0].prompt");
        let join = Command::Join {
            display_name: format!("x{BSN}"),
            role: crate::domain::session::Role::Participant,
        };
        assert_eq!(screen(join).unwrap_err().field, "display_name");
        let org = |name: &str| NewOrganisation { code: "GEM".into(), name: name.into(), now_ms: 0 };
        let refusal = screen(org(&format!("Gemeente {IBAN}"))).unwrap_err();
        assert_eq!((refusal.code(), refusal.field.as_str(), refusal.start), ("iban_refused", "name", 9));
        assert_eq!(screen(org(&format!("Gemeente {BSN}"))).unwrap_err().code(), "bsn_refused");
        assert_eq!(screen(org("Gemeente Noord")).unwrap().name, "Gemeente Noord");
    }

    /// The ids the server issued are not read; everything a person wrote beside them is.
    #[test]
    fn a_commands_server_ids_are_passed_over_and_its_text_is_read() {
        use crate::domain::session::{
            ActionItem, ClientId, Content, ContributionId, ModerationAction, ParticipantId, Role,
        };
        // Nine digits between letters that pass the eleven test, as a hex contribution id or
        // a participant id can hold by chance.
        let id = ContributionId(0xa123_4567_82bc_def0);
        assert_eq!(id.to_string(), format!("a{BSN}bcdef0"));
        let who = ParticipantId::new(format!("u-{BSN}"));
        let answer = |text: &str| Content::Answer { question_id: id, text: text.into() };
        let with_ids = [
            Command::HandModeration { to: who.clone() },
            Command::SetPresenter { who: who.clone() },
            Command::RemoveParticipant { who: who.clone() },
            Command::SetRole { who: who.clone(), role: Role::Observer },
            Command::WithdrawContribution { contribution_id: id },
            Command::EditContribution { contribution_id: id, content: answer("Ja") },
            Command::ModerateContribution {
                contribution_id: id,
                action: ModerationAction::Mark,
                reason: "Buiten de ronde".into(),
            },
            Command::Contribute { client_id: ClientId::default(), content: answer("Ja") },
            Command::Contribute {
                client_id: ClientId::default(),
                content: Content::Selection { target: id },
            },
        ];
        for command in with_ids {
            // Read whole, each would be refused: the check below can fail.
            assert_eq!(check(&command).unwrap_err().code(), "bsn_refused", "{command:?}");
            assert!(screen(command.clone()).is_ok(), "{command:?}");
            let (json, verdict) = screen_command(command.clone());
            assert!(verdict.is_ok(), "{command:?}");
            let fields = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
            assert_eq!(fields(&json), fields(&serde_json::to_value(&command).unwrap()));
        }
        // Free text beside an id, or named like one, is still read.
        let refused = |command: Command| screen_command(command).1.unwrap_err().field;
        let text = format!("zie {BSN}");
        let moderate = Command::ModerateContribution {
            contribution_id: id,
            action: ModerationAction::Hide,
            reason: text.clone(),
        };
        assert_eq!(refused(moderate), "reason");
        assert_eq!(
            refused(Command::EditContribution { contribution_id: id, content: answer(&text) }),
            "content.text"
        );
        let contribute = Command::Contribute { client_id: ClientId::default(), content: answer(&text) };
        assert_eq!(screen(contribute).unwrap_err().field, "content.text");
        let action = ActionItem { what: "Bellen".into(), who: text.clone(), when: "2026-12-14".into() };
        let conclude = Command::Conclude {
            conclusion: "Maatwerk".into(),
            reasoning: String::new(),
            dissent: String::new(),
            actions: vec![action],
        };
        assert_eq!(refused(conclude), "actions[0].who");
    }

    #[test]
    fn a_refusal_in_json_names_the_way_to_its_string() {
        let value = serde_json::json!({ "a": [1, { "b": ["ok", format!("x {BSN}")] }] });
        assert_eq!(check_json("", &value).unwrap_err().field, "a[1].b[1]");
        assert_eq!(check_json("review", &value).unwrap_err().field, "review.a[1].b[1]");
        let list = serde_json::json!(["ok", IBAN]);
        assert_eq!(check_json("", &list).unwrap_err().field, "[1]");
        assert_eq!(check_json("lines", &list).unwrap_err().field, "lines[1]");
        assert_eq!(check_json("case", &serde_json::json!(BSN)).unwrap_err().field, "case");
        assert!(check_json("", &serde_json::json!({ "a": ["ok", { "b": 123456782 }] })).is_ok());
    }

    #[test]
    fn screened_values_hold_what_was_read() {
        let screened = screen(team("Team Noord")).expect("no numbers");
        assert_eq!(screened.name, "Team Noord");
        assert_eq!(screen_text("name", "Anna".into()).unwrap().into_inner(), "Anna");
    }

    #[test]
    fn a_new_session_is_read_in_its_title_and_events() {
        let session = |title: &str, case: &str| NewSession {
            header: crate::store::SessionHeader {
                id: "s".into(),
                team_id: None,
                title: title.into(),
                method_key: "m".into(),
                status: crate::store::SessionStatus::Lobby,
                created_by: None,
            },
            events: vec![crate::store::NewEvent::new(
                None,
                "session_created",
                &serde_json::json!({ "case_text": case }),
            )],
            review: None,
            now_ms: 0,
        };
        assert_eq!(screen(session(BSN, "")).unwrap_err().field, "title");
        assert_eq!(screen(session("", &format!("zie {IBAN}"))).unwrap_err().field, "case_text");
        assert!(screen(session("Casus", "Een casus")).is_ok());
    }

    #[test]
    fn a_harvest_is_read_in_its_actions_and_settlements() {
        let settlement = |reason: &str| ActionSettlement {
            action_id: 1,
            status: "dropped".into(),
            settled_on: "2026-01-12".into(),
            drop_reason: Some(reason.into()),
            settled_by: None,
            in_session: None,
            now_ms: 0,
        };
        let harvest = |who: &str, reason: &str| Harvest {
            team_id: 1,
            session: crate::store::PracticeSession {
                session_id: "s".into(),
                harvested_seq: 3,
                held: true,
                attendance: 2,
                held_on: "2026-01-05".into(),
                method_key: "cura".into(),
            },
            actions: vec![crate::store::NewTeamAction {
                item_index: 0,
                what: "Terugbellen".into(),
                who: who.into(),
                due_on: "2026-01-10".into(),
                owner_id: None,
            }],
            settlements: vec![settlement(reason)],
            now_ms: 0,
        };
        let refusal = screen(harvest(&format!("Anna {BSN}"), "Niet nodig")).unwrap_err();
        assert_eq!((refusal.code(), refusal.field.as_str()), ("bsn_refused", "actions[0].who"));
        let refusal = screen(harvest("Anna", &format!("rekening {IBAN}"))).unwrap_err();
        assert_eq!((refusal.code(), refusal.field.as_str()), ("iban_refused", "reason"));
        assert!(screen(harvest("Anna", "Niet nodig")).is_ok());
        assert_eq!(screen(settlement(BSN)).unwrap_err().field, "reason");
    }

    /// The store's writes of free text take only screened values: these compile only while
    /// the signatures require `Screened` (a plain value would not fit).
    #[allow(dead_code)]
    fn store_writes_require_screened(
        store: &crate::store::DynStore,
        team: NewTeam,
        p: NewPrecedent,
        more: More,
    ) {
        let org: Screened<NewOrganisation> =
            screen(NewOrganisation { code: "c".into(), name: "n".into(), now_ms: 0 }).unwrap();
        drop(store.create_organisation(&org));
        let team: Screened<NewTeam> = screen(team).unwrap();
        drop(store.create_team(&team));
        let p: Screened<NewPrecedent> = screen(p).unwrap();
        drop(store.upsert_precedent(&p));
        drop(store.create_session_precedent(&p));
        let method: Screened<serde_json::Value> = screen(serde_json::json!({})).unwrap();
        drop(store.create_custom_method("k", &method, 0));
        let name: Screened<String> = screen_text("name", "Team Noord".into()).unwrap();
        drop(store.rename_team(1, 1, &name));
        drop(store.rename_user(1, 1, &name));
        drop(store.create_api_token(&screen(more.token).unwrap()));
        drop(store.create_proposal(&screen(more.proposal).unwrap()));
        drop(store.link_session(&screen(more.link).unwrap()));
        drop(store.settle_action(&screen(more.settlement).unwrap()));
        drop(store.record_harvest(&screen(more.harvest).unwrap()));
    }

    /// The other values [`store_writes_require_screened`] writes.
    struct More {
        token: NewApiToken,
        proposal: NewProposal,
        link: NewSessionLink,
        settlement: ActionSettlement,
        harvest: Harvest,
    }
}
