//! Accounts: organisations (and their settings), teams, users, signed-in browsers (web
//! sessions), one-time account tokens (set-up links and invites) and failed sign-ins.

use async_trait::async_trait;
use serde_json::Value;

use super::backend::{Backend, SqlStore};
use super::model::{NewOrganisation, NewTeam, NewUser, Organisation, Team, User, UserRole};
use super::query::{found, row_where, set_in_organisation};
use super::sql::{ORGANISATION_COLUMNS, TEAM_COLUMNS, USER_COLUMNS};
use super::statement::Arg;
use super::{Result, StoreError};
use crate::guard::Screened;

/// A signed-in browser, as stored (the cookie's id only as its hash).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct WebSession {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub client_addr: String,
}

/// Which one-time link an account token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountTokenKind {
    /// Sets the password of an existing user (the first admin, `beraad admin create --setup-link`).
    Setup,
    /// Makes a new user in an organisation.
    Invite,
}

impl AccountTokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Setup => "setup",
            Self::Invite => "invite",
        }
    }
}

/// A one-time link before it is stored: what it holds, under the hash of its token.
#[derive(Clone, Debug)]
pub struct NewAccountToken {
    pub token_hash: String,
    pub token: AccountToken,
    pub now_ms: i64,
}

/// A pending (unused, unexpired) invite, for the admin page.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingInvite {
    /// The stored hash of its token: names the invite (to revoke it) without being the link.
    pub token_hash: String,
    pub created_at: i64,
    /// Whom it invites (address, role, team), who invited, until when.
    #[sqlx(flatten)]
    pub token: AccountToken,
}

/// What an unused, unexpired token holds (shown before it is used).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountToken {
    #[sqlx(try_from = "String")]
    pub kind: AccountTokenKind,
    pub organisation_id: i64,
    /// Setup: whose password is set.
    pub user_id: Option<i64>,
    /// Invite: the address, role and (optional) team of the new user.
    pub email: Option<String>,
    pub role: Option<UserRole>,
    pub team_id: Option<i64>,
    /// Who made it (an invite: the admin who invited).
    pub created_by: Option<i64>,
    pub expires_at: i64,
}

impl TryFrom<String> for AccountTokenKind {
    type Error = String;
    fn try_from(text: String) -> std::result::Result<Self, String> {
        [Self::Setup, Self::Invite].into_iter().find(|k| k.as_str() == text).ok_or(text)
    }
}

/// An invite used: its token (as its hash), the name the person chose and their password's
/// hash.
#[derive(Clone, Copy, Debug)]
pub struct Acceptance<'a> {
    pub token_hash: &'a str,
    pub display_name: &'a Screened<String>,
    pub password_hash: &'a str,
}

#[async_trait]
pub trait Accounts: Send + Sync {
    // --- organisations and teams -------------------------------------------------------------
    async fn create_organisation(&self, new: &Screened<NewOrganisation>) -> Result<Organisation>;
    async fn organisation_by_code(&self, code: &str) -> Result<Option<Organisation>>;
    async fn organisation(&self, id: i64) -> Result<Option<Organisation>>;
    /// Replaces an organisation's settings (e.g. `{"archive_readers": "team"}`); `NotFound`
    /// when there is no such organisation.
    async fn set_organisation_settings(&self, organisation_id: i64, settings: &Screened<Value>)
        -> Result<()>;
    async fn create_team(&self, new: &Screened<NewTeam>) -> Result<Team>;
    async fn team(&self, id: i64) -> Result<Option<Team>>;
    async fn teams_of_organisation(&self, organisation_id: i64) -> Result<Vec<Team>>;
    async fn add_team_member(&self, team_id: i64, user_id: i64, now_ms: i64) -> Result<()>;
    async fn teams_of_user(&self, user_id: i64) -> Result<Vec<Team>>;
    /// Renames a team of the organisation; `NotFound` when it has no such team,
    /// `AlreadyExists` when another team has the name.
    async fn rename_team(&self, organisation_id: i64, team_id: i64, name: &Screened<String>) -> Result<()>;

    // --- users -------------------------------------------------------------------------------
    async fn create_user(&self, new: &Screened<NewUser>) -> Result<User>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    async fn user(&self, id: i64) -> Result<Option<User>>;
    async fn users_of_organisation(&self, organisation_id: i64) -> Result<Vec<User>>;
    async fn set_password_hash(&self, user_id: i64, password_hash: &str) -> Result<()>;
    /// Changes a user's role; `NotFound` when the user is not in that organisation.
    async fn set_user_role(&self, organisation_id: i64, user_id: i64, role: UserRole) -> Result<()>;
    /// Changes a user's display name; `NotFound` when the user is not in that organisation.
    async fn rename_user(&self, organisation_id: i64, user_id: i64, name: &Screened<String>) -> Result<()>;

    // --- web sessions ------------------------------------------------------------------------
    async fn create_web_session(&self, session: &WebSession) -> Result<()>;
    async fn web_session(&self, id_hash: &str) -> Result<Option<WebSession>>;
    async fn touch_web_session(&self, id_hash: &str, now_ms: i64) -> Result<()>;
    /// Ends a session; true when there was one.
    async fn delete_web_session(&self, id_hash: &str) -> Result<bool>;
    /// Deletes sessions created before `created_before` or unused since `seen_before`.
    async fn delete_expired_web_sessions(&self, created_before: i64, seen_before: i64) -> Result<u64>;

    // --- one-time account tokens -------------------------------------------------------------
    async fn create_account_token(&self, token: &NewAccountToken) -> Result<()>;
    /// The token if it is of `kind`, unused and not expired at `now_ms`.
    async fn account_token(
        &self,
        token_hash: &str,
        kind: AccountTokenKind,
        now_ms: i64,
    ) -> Result<Option<AccountToken>>;
    /// Uses an invite: marks it used and creates its user (and team membership) in one
    /// transaction. `None` when the invite is unknown, used or expired; `AlreadyExists` when
    /// the address has an account already.
    async fn accept_invite(&self, acceptance: &Acceptance<'_>, now_ms: i64) -> Result<Option<User>>;
    /// Uses a set-up link: marks it used and sets the user's password, in one transaction.
    async fn complete_setup(
        &self,
        token_hash: &str,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Option<User>>;
    async fn pending_invites(&self, organisation_id: i64, now_ms: i64) -> Result<Vec<PendingInvite>>;
    /// Revokes a pending invite of the organisation (its link stops working); false when there
    /// is no such pending invite.
    async fn revoke_invite(&self, organisation_id: i64, token_hash: &str, now_ms: i64) -> Result<bool>;

    // --- failed sign-ins ---------------------------------------------------------------------
    async fn record_sign_in_failure(&self, account: &str, client_addr: &str, now_ms: i64) -> Result<()>;
    /// Failures since `since_ms` for the account and for the address.
    async fn sign_in_failures_since(
        &self,
        account: &str,
        client_addr: &str,
        since_ms: i64,
    ) -> Result<(i64, i64)>;
    /// Forgets an account's failures (after a successful sign-in).
    async fn clear_sign_in_failures(&self, account: &str) -> Result<()>;
}

#[async_trait]
impl<DB: Backend> Accounts for SqlStore<DB> {
    async fn create_organisation(&self, new: &Screened<NewOrganisation>) -> Result<Organisation> {
        let sql = format!(
            "INSERT INTO organisations (code, name, settings, created_at) VALUES ($1, $2, '{{}}', $3) \
             RETURNING {ORGANISATION_COLUMNS}"
        );
        DB::fetch_one(&self.pool, &sql, &[(&new.code).into(), (&new.name).into(), new.now_ms.into()]).await
    }

    async fn organisation_by_code(&self, code: &str) -> Result<Option<Organisation>> {
        row_where(&self.pool, (ORGANISATION_COLUMNS, "organisations", "code"), code.into()).await
    }

    async fn create_team(&self, new: &Screened<NewTeam>) -> Result<Team> {
        let sql = format!(
            "INSERT INTO teams (organisation_id, name, created_at) VALUES ($1, $2, $3) RETURNING {TEAM_COLUMNS}"
        );
        DB::fetch_one(&self.pool, &sql, &[new.organisation_id.into(), (&new.name).into(), new.now_ms.into()])
            .await
    }

    async fn teams_of_organisation(&self, organisation_id: i64) -> Result<Vec<Team>> {
        let sql = format!("SELECT {TEAM_COLUMNS} FROM teams WHERE organisation_id = $1 ORDER BY name");
        DB::fetch_all(&self.pool, &sql, &[organisation_id.into()]).await
    }

    async fn create_user(&self, new: &Screened<NewUser>) -> Result<User> {
        let sql = format!(
            "INSERT INTO users (organisation_id, email, display_name, role, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {USER_COLUMNS}"
        );
        DB::fetch_one(
            &self.pool,
            &sql,
            &[
                new.organisation_id.into(),
                new.email.to_lowercase().into(),
                (&new.display_name).into(),
                new.role.as_str().into(),
                (&new.password_hash).into(),
                new.now_ms.into(),
            ],
        )
        .await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        row_where(&self.pool, (USER_COLUMNS, "users", "email"), email.to_lowercase().into()).await
    }

    async fn add_team_member(&self, team_id: i64, user_id: i64, now_ms: i64) -> Result<()> {
        let sql = "INSERT INTO team_members (team_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (team_id, user_id) DO NOTHING";
        DB::execute(&self.pool, sql, &[team_id.into(), user_id.into(), now_ms.into()]).await?;
        Ok(())
    }

    async fn teams_of_user(&self, user_id: i64) -> Result<Vec<Team>> {
        let sql = format!(
            "SELECT {TEAM_COLUMNS} FROM teams WHERE id IN (SELECT team_id FROM team_members WHERE user_id = $1) \
             ORDER BY name"
        );
        DB::fetch_all(&self.pool, &sql, &[user_id.into()]).await
    }

    async fn team(&self, id: i64) -> Result<Option<Team>> {
        row_where(&self.pool, (TEAM_COLUMNS, "teams", "id"), id.into()).await
    }

    async fn organisation(&self, id: i64) -> Result<Option<Organisation>> {
        row_where(&self.pool, (ORGANISATION_COLUMNS, "organisations", "id"), id.into()).await
    }

    async fn set_organisation_settings(
        &self,
        organisation_id: i64,
        settings: &Screened<Value>,
    ) -> Result<()> {
        let sql = "UPDATE organisations SET settings = $1 WHERE id = $2";
        let done = DB::execute(&self.pool, sql, &[Arg::Json(settings), organisation_id.into()]).await?;
        found(done, || format!("organisation {organisation_id}"))
    }

    async fn user(&self, id: i64) -> Result<Option<User>> {
        row_where(&self.pool, (USER_COLUMNS, "users", "id"), id.into()).await
    }

    async fn users_of_organisation(&self, organisation_id: i64) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE organisation_id = $1 ORDER BY email");
        DB::fetch_all(&self.pool, &sql, &[organisation_id.into()]).await
    }

    async fn set_password_hash(&self, user_id: i64, password_hash: &str) -> Result<()> {
        let sql = "UPDATE users SET password_hash = $1 WHERE id = $2";
        DB::execute(&self.pool, sql, &[password_hash.into(), user_id.into()]).await?;
        Ok(())
    }

    async fn rename_team(&self, organisation_id: i64, team_id: i64, name: &Screened<String>) -> Result<()> {
        let sql = "UPDATE teams SET name = $1 WHERE id = $2 AND organisation_id = $3";
        set_in_organisation(&self.pool, sql, (name.as_str(), team_id, organisation_id), || {
            format!("team {team_id}")
        })
        .await
    }

    async fn rename_user(&self, organisation_id: i64, user_id: i64, name: &Screened<String>) -> Result<()> {
        let sql = "UPDATE users SET display_name = $1 WHERE id = $2 AND organisation_id = $3";
        set_in_organisation(&self.pool, sql, (name.as_str(), user_id, organisation_id), || {
            format!("user {user_id}")
        })
        .await
    }

    async fn revoke_invite(&self, organisation_id: i64, token_hash: &str, now_ms: i64) -> Result<bool> {
        let sql = "UPDATE account_tokens SET expires_at = $3 WHERE token_hash = $1 AND organisation_id = $2 \
             AND kind = 'invite' AND used_at IS NULL AND expires_at > $3";
        let done =
            DB::execute(&self.pool, sql, &[token_hash.into(), organisation_id.into(), now_ms.into()]).await?;
        Ok(done > 0)
    }

    async fn set_user_role(&self, organisation_id: i64, user_id: i64, role: UserRole) -> Result<()> {
        let sql = "UPDATE users SET role = $1 WHERE id = $2 AND organisation_id = $3";
        set_in_organisation(&self.pool, sql, (role.as_str(), user_id, organisation_id), || {
            format!("user {user_id}")
        })
        .await
    }

    async fn create_web_session(&self, s: &WebSession) -> Result<()> {
        let sql =
            "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, client_addr) \
             VALUES ($1, $2, $3, $4, $5, $6)";
        DB::execute(
            &self.pool,
            sql,
            &[
                (&s.id_hash).into(),
                s.user_id.into(),
                (&s.csrf_token).into(),
                s.created_at.into(),
                s.last_seen_at.into(),
                (&s.client_addr).into(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn web_session(&self, id_hash: &str) -> Result<Option<WebSession>> {
        let sql = format!("SELECT {} FROM web_sessions WHERE id_hash = $1", WEB_SESSION_COLUMNS);
        DB::fetch_optional(&self.pool, &sql, &[id_hash.into()]).await
    }

    async fn touch_web_session(&self, id_hash: &str, now_ms: i64) -> Result<()> {
        let sql = "UPDATE web_sessions SET last_seen_at = $1 WHERE id_hash = $2";
        DB::execute(&self.pool, sql, &[now_ms.into(), id_hash.into()]).await?;
        Ok(())
    }

    async fn delete_web_session(&self, id_hash: &str) -> Result<bool> {
        let sql = "DELETE FROM web_sessions WHERE id_hash = $1";
        let done = DB::execute(&self.pool, sql, &[id_hash.into()]).await?;
        Ok(done > 0)
    }

    async fn delete_expired_web_sessions(&self, created_before: i64, seen_before: i64) -> Result<u64> {
        let sql = "DELETE FROM web_sessions WHERE created_at < $1 OR last_seen_at < $2";
        let done = DB::execute(&self.pool, sql, &[created_before.into(), seen_before.into()]).await?;
        Ok(done)
    }

    async fn create_account_token(&self, new: &NewAccountToken) -> Result<()> {
        let t = &new.token;
        let sql =
            "INSERT INTO account_tokens (token_hash, kind, organisation_id, user_id, email, role, team_id, \
             created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
        DB::execute(
            &self.pool,
            sql,
            &[
                (&new.token_hash).into(),
                t.kind.as_str().into(),
                t.organisation_id.into(),
                t.user_id.into(),
                (t.email.as_ref().map(|e| e.to_lowercase())).into(),
                t.role.map(UserRole::as_str).into(),
                t.team_id.into(),
                t.created_by.into(),
                new.now_ms.into(),
                t.expires_at.into(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn account_token(
        &self,
        token_hash: &str,
        kind: AccountTokenKind,
        now_ms: i64,
    ) -> Result<Option<AccountToken>> {
        let sql = format!(
            "SELECT {} FROM account_tokens WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL \
             AND expires_at > $3",
            ACCOUNT_TOKEN_COLUMNS
        );
        DB::fetch_optional(&self.pool, &sql, &[token_hash.into(), kind.as_str().into(), now_ms.into()]).await
    }

    async fn accept_invite(&self, acceptance: &Acceptance<'_>, now_ms: i64) -> Result<Option<User>> {
        let Acceptance { token_hash, display_name, password_hash } = *acceptance;
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND kind = 'invite' \
             AND used_at IS NULL AND expires_at > $1 RETURNING {}",
            ACCOUNT_TOKEN_COLUMNS
        );
        let invite: Option<AccountToken> =
            DB::fetch_optional(&mut *tx, &sql, &[now_ms.into(), token_hash.into()]).await?;
        let Some(invite) = invite else { return Ok(None) };
        let (Some(email), Some(role)) = (invite.email.clone(), invite.role) else {
            return Err(StoreError::Corrupt("an invite without address or role".into()));
        };
        let sql = format!(
            "INSERT INTO users (organisation_id, email, display_name, role, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {USER_COLUMNS}"
        );
        let user: User = DB::fetch_one(
            &mut *tx,
            &sql,
            &[
                invite.organisation_id.into(),
                email.to_lowercase().into(),
                display_name.as_str().into(),
                role.as_str().into(),
                password_hash.into(),
                now_ms.into(),
            ],
        )
        .await?;
        if let Some(team_id) = invite.team_id {
            DB::execute(
                &mut *tx,
                "INSERT INTO team_members (team_id, user_id, created_at) VALUES ($1, $2, $3)",
                &[team_id.into(), user.id.into(), now_ms.into()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Some(user))
    }

    async fn complete_setup(
        &self,
        token_hash: &str,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Option<User>> {
        let mut tx = self.begin_write().await?;
        let user_id: Option<Option<i64>> = DB::scalar_optional(
            &mut *tx,
            "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND kind = 'setup' \
             AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
            &[now_ms.into(), token_hash.into()],
        )
        .await?;
        let Some(Some(user_id)) = user_id else { return Ok(None) };
        let sql = format!("UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING {USER_COLUMNS}");
        let user: Option<User> =
            DB::fetch_optional(&mut *tx, &sql, &[password_hash.into(), user_id.into()]).await?;
        let Some(user) = user else { return Ok(None) };
        tx.commit().await?;
        Ok(Some(user))
    }

    async fn pending_invites(&self, organisation_id: i64, now_ms: i64) -> Result<Vec<PendingInvite>> {
        let sql = format!(
            "SELECT {} FROM account_tokens WHERE organisation_id = $1 AND kind = 'invite' \
             AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
            ACCOUNT_TOKEN_COLUMNS
        );
        DB::fetch_all(&self.pool, &sql, &[organisation_id.into(), now_ms.into()]).await
    }

    async fn record_sign_in_failure(&self, account: &str, client_addr: &str, now_ms: i64) -> Result<()> {
        let sql = "INSERT INTO sign_in_failures (account, client_addr, at) VALUES ($1, $2, $3)";
        DB::execute(&self.pool, sql, &[account.to_lowercase().into(), client_addr.into(), now_ms.into()])
            .await?;
        // Old failures no longer count; drop them now and then.
        let sql = "DELETE FROM sign_in_failures WHERE at < $1";
        DB::execute(&self.pool, sql, &[(now_ms - 24 * 60 * 60 * 1000).into()]).await?;
        Ok(())
    }

    async fn sign_in_failures_since(
        &self,
        account: &str,
        client_addr: &str,
        since_ms: i64,
    ) -> Result<(i64, i64)> {
        let sql = "SELECT COUNT(*) FROM sign_in_failures WHERE account = $1 AND at >= $2";
        let by_account: i64 =
            DB::scalar(&self.pool, sql, &[account.to_lowercase().into(), since_ms.into()]).await?;
        let sql = "SELECT COUNT(*) FROM sign_in_failures WHERE client_addr = $1 AND at >= $2";
        let by_address: i64 = DB::scalar(&self.pool, sql, &[client_addr.into(), since_ms.into()]).await?;
        Ok((by_account, by_address))
    }

    async fn clear_sign_in_failures(&self, account: &str) -> Result<()> {
        let sql = "DELETE FROM sign_in_failures WHERE account = $1";
        DB::execute(&self.pool, sql, &[account.to_lowercase().into()]).await?;
        Ok(())
    }
}

const ACCOUNT_TOKEN_COLUMNS: &str =
    "token_hash, kind, organisation_id, user_id, email, role, team_id, created_by, created_at, expires_at";
const WEB_SESSION_COLUMNS: &str = "id_hash, user_id, csrf_token, created_at, last_seen_at, client_addr";
