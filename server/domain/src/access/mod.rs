//! Who may do what: one table of role × action, the only place these rules live. The server
//! asks [`allowed`] for every route and every websocket command; team boundaries and the
//! organisation's archive setting are the other two questions, answered by [`may_see_team`] and
//! [`may_read_archive`].

use serde::{Deserialize, Serialize};

/// A person's role in their organisation, or a guest admitted to one session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Moderator,
    Member,
    /// A consultant who searches the archive but does not take part in sessions.
    ArchiveReader,
    /// Someone invited by link into one session only.
    Guest,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Moderator, Role::Member, Role::ArchiveReader, Role::Guest];
}

/// Everything a person can ask of Beraad.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See the dashboard with one's teams and sessions.
    ViewDashboard,
    /// Create a session for one's team and moderate it.
    CreateSession,
    /// Join a session of one's team (a guest: the one session of their invite).
    JoinSession,
    /// Open a session to guests by an invite link.
    InviteGuests,
    /// Add a custom method.
    AddMethod,
    /// Scan a text for identifying data.
    ScanText,
    /// Search and read adopted precedents.
    ReadArchive,
    /// Adopt, correct or withdraw a precedent.
    AdoptPrecedent,
    /// Approve (or send back) a colleague's precedent under the four-eyes rule.
    ApprovePrecedent,
    /// Import precedents from a file.
    ImportPrecedents,
    /// Export the archive.
    ExportArchive,
    /// Invite people, change roles, create teams.
    ManagePeople,
    /// Change organisation settings (e.g. who may read the archive).
    ManageSettings,
    /// Read the audit log.
    ReadAudit,
    /// See one's team's schedule and rotation, say one is absent, swap a duty, subscribe to
    /// the calendar feed.
    ViewTeamRhythm,
    /// Change a team's schedule (slot, skipped dates, moves) and renew its calendar feed.
    PlanTeamRhythm,
    /// Propose a case for one's team's queue and mark "wil ik bespreken".
    ProposeCase,
    /// Pick a case from one's team's queue into a prepared session, and settle anyone's team
    /// action (the owner settles their own with `JoinSession`).
    LeadTeamPractice,
}

impl Action {
    pub const ALL: [Action; 18] = [
        Action::ViewDashboard,
        Action::CreateSession,
        Action::JoinSession,
        Action::InviteGuests,
        Action::AddMethod,
        Action::ScanText,
        Action::ReadArchive,
        Action::AdoptPrecedent,
        Action::ApprovePrecedent,
        Action::ImportPrecedents,
        Action::ExportArchive,
        Action::ManagePeople,
        Action::ManageSettings,
        Action::ReadAudit,
        Action::ViewTeamRhythm,
        Action::PlanTeamRhythm,
        Action::ProposeCase,
        Action::LeadTeamPractice,
    ];
}

/// The table. Reading the archive is further limited by [`may_read_archive`].
pub fn allowed(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match role {
        Admin => true,
        Moderator => matches!(
            action,
            ViewDashboard
                | CreateSession
                | JoinSession
                | InviteGuests
                | AddMethod
                | ScanText
                | ReadArchive
                | AdoptPrecedent
                | ApprovePrecedent
                | ExportArchive
                | ViewTeamRhythm
                | PlanTeamRhythm
                | ProposeCase
                | LeadTeamPractice
        ),
        Member => matches!(
            action,
            ViewDashboard | JoinSession | ScanText | ReadArchive | ViewTeamRhythm | ProposeCase
        ),
        ArchiveReader => matches!(action, ViewDashboard | ReadArchive | ExportArchive),
        Guest => matches!(action, JoinSession),
    }
}

/// Who may read an organisation's archive: a setting per organisation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveReaders {
    /// Everyone in the organisation with a role that allows reading.
    #[default]
    Organisation,
    /// Only members of the team that made a precedent (plus admins and archive readers).
    Team,
}

/// Whether `role`, in the teams `own_teams`, may read a precedent of `precedent_team`.
pub fn may_read_archive(
    role: Role,
    setting: ArchiveReaders,
    own_teams: &[i64],
    precedent_team: Option<i64>,
) -> bool {
    if !allowed(role, Action::ReadArchive) {
        return false;
    }
    match (setting, role) {
        (ArchiveReaders::Organisation, _) | (_, Role::Admin | Role::ArchiveReader) => true,
        (ArchiveReaders::Team, _) => precedent_team.is_some_and(|t| own_teams.contains(&t)),
    }
}

/// Whether someone's role may moderate a team's meetings (and so takes turns moderating in the
/// rotation): those who may create and moderate a session.
pub fn may_moderate(role: Role) -> bool {
    allowed(role, Action::CreateSession)
}

/// Whether someone sees a team's sessions at all (outside the team: as if they did not exist).
pub fn may_see_team(role: Role, own_teams: &[i64], team: i64) -> bool {
    role == Role::Admin || own_teams.contains(&team)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, written out once more as the product's promise: a change to `allowed`
    /// must change this too.
    #[test]
    fn every_role_and_action() {
        use Action::*;
        // Moderators may all but run the organisation and bring in precedents from outside.
        let moderator: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| ![ImportPrecedents, ManagePeople, ManageSettings, ReadAudit].contains(a))
            .collect();
        let expected: &[(Role, &[Action])] = &[
            (Role::Admin, &Action::ALL),
            (Role::Moderator, &moderator),
            (Role::Member, &[ViewDashboard, JoinSession, ScanText, ReadArchive, ViewTeamRhythm, ProposeCase]),
            (Role::ArchiveReader, &[ViewDashboard, ReadArchive, ExportArchive]),
            (Role::Guest, &[JoinSession]),
        ];
        for (role, may) in expected {
            for action in Action::ALL {
                assert_eq!(allowed(*role, action), may.contains(&action), "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn guests_never_see_the_archive_and_team_settings_apply() {
        assert!(!may_read_archive(Role::Guest, ArchiveReaders::Organisation, &[], Some(1)));
        assert!(may_read_archive(Role::Member, ArchiveReaders::Organisation, &[2], Some(1)));
        assert!(!may_read_archive(Role::Member, ArchiveReaders::Team, &[2], Some(1)));
        assert!(may_read_archive(Role::Member, ArchiveReaders::Team, &[1, 2], Some(1)));
        assert!(may_read_archive(Role::ArchiveReader, ArchiveReaders::Team, &[], Some(1)));
        assert!(!may_see_team(Role::Moderator, &[2], 1));
        assert!(may_see_team(Role::Admin, &[], 1));
    }
}
