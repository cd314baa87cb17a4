//! Accounts: organisations (and their settings), teams, users, signed-in browsers (web
//! sessions), one-time account tokens (set-up links and invites) and failed sign-ins.

use async_trait::async_trait;
use serde_json::Value;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};

use super::backend::{Backend, SqlStore};
use super::model::{NewOrganisation, NewTeam, NewUser, Organisation, Team, User, UserRole};
use super::query::{found, set_in_organisation};
use super::sql::{ORGANISATION_COLUMNS, TEAM_COLUMNS, USER_COLUMNS};
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

#[async_trait]
pub trait Accounts: Send + Sync {
    // --- organisations and teams -------------------------------------------------------------
    async fn create_organisation(&self, new: &NewOrganisation) -> Result<Organisation>;
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
    async fn rename_team(&self, organisation_id: i64, team_id: i64, name: &str) -> Result<()>;

    // --- users -------------------------------------------------------------------------------
    async fn create_user(&self, new: &Screened<NewUser>) -> Result<User>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    async fn user(&self, id: i64) -> Result<Option<User>>;
    async fn users_of_organisation(&self, organisation_id: i64) -> Result<Vec<User>>;
    async fn set_password_hash(&self, user_id: i64, password_hash: &str) -> Result<()>;
    /// Changes a user's role; `NotFound` when the user is not in that organisation.
    async fn set_user_role(&self, organisation_id: i64, user_id: i64, role: UserRole) -> Result<()>;
    /// Changes a user's display name; `NotFound` when the user is not in that organisation.
    async fn rename_user(&self, organisation_id: i64, user_id: i64, display_name: &str) -> Result<()>;

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
    async fn accept_invite(
        &self,
        token_hash: &str,
        display_name: &Screened<String>,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Option<User>>;
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
impl<DB: Backend> Accounts for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
    for<'a> i64: Encode<'a, DB> + Decode<'a, DB> + Type<DB>,
    for<'a> String: Encode<'a, DB> + Decode<'a, DB> + Type<DB>,
    for<'a> &'a str: Encode<'a, DB> + Type<DB> + ColumnIndex<DB::Row>,
    for<'a> Option<i64>: Encode<'a, DB>,
    for<'a> Option<String>: Encode<'a, DB>,
    for<'a> Option<&'a str>: Encode<'a, DB>,
    for<'a> Json<&'a Value>: Encode<'a, DB> + Type<DB>,
    for<'a> Json<Value>: Decode<'a, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    async fn create_organisation(&self, new: &NewOrganisation) -> Result<Organisation> {
        let sql = format!(
            "INSERT INTO organisations (code, name, settings, created_at) VALUES ($1, $2, '{{}}', $3) \
             RETURNING {ORGANISATION_COLUMNS}"
        );
        Ok(sqlx::query_as(&sql)
            .bind(&new.code)
            .bind(&new.name)
            .bind(new.now_ms)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn organisation_by_code(&self, code: &str) -> Result<Option<Organisation>> {
        let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE code = $1");
        Ok(sqlx::query_as(&sql).bind(code).fetch_optional(&self.pool).await?)
    }

    async fn create_team(&self, new: &Screened<NewTeam>) -> Result<Team> {
        let sql = format!(
            "INSERT INTO teams (organisation_id, name, created_at) VALUES ($1, $2, $3) RETURNING {TEAM_COLUMNS}"
        );
        Ok(sqlx::query_as(&sql)
            .bind(new.organisation_id)
            .bind(&new.name)
            .bind(new.now_ms)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn teams_of_organisation(&self, organisation_id: i64) -> Result<Vec<Team>> {
        let sql = format!("SELECT {TEAM_COLUMNS} FROM teams WHERE organisation_id = $1 ORDER BY name");
        Ok(sqlx::query_as(&sql).bind(organisation_id).fetch_all(&self.pool).await?)
    }

    async fn create_user(&self, new: &Screened<NewUser>) -> Result<User> {
        let sql = format!(
            "INSERT INTO users (organisation_id, email, display_name, role, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {USER_COLUMNS}"
        );
        Ok(sqlx::query_as(&sql)
            .bind(new.organisation_id)
            .bind(new.email.to_lowercase())
            .bind(&new.display_name)
            .bind(new.role.as_str())
            .bind(&new.password_hash)
            .bind(new.now_ms)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        Ok(sqlx::query_as(&sql).bind(email.to_lowercase()).fetch_optional(&self.pool).await?)
    }

    async fn add_team_member(&self, team_id: i64, user_id: i64, now_ms: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (team_id, user_id) DO NOTHING",
        )
        .bind(team_id)
        .bind(user_id)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn teams_of_user(&self, user_id: i64) -> Result<Vec<Team>> {
        let sql = format!(
            "SELECT {TEAM_COLUMNS} FROM teams WHERE id IN (SELECT team_id FROM team_members WHERE user_id = $1) \
             ORDER BY name"
        );
        Ok(sqlx::query_as(&sql).bind(user_id).fetch_all(&self.pool).await?)
    }

    async fn team(&self, id: i64) -> Result<Option<Team>> {
        let sql = format!("SELECT {TEAM_COLUMNS} FROM teams WHERE id = $1");
        Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
    }

    async fn organisation(&self, id: i64) -> Result<Option<Organisation>> {
        let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE id = $1");
        Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
    }

    async fn set_organisation_settings(
        &self,
        organisation_id: i64,
        settings: &Screened<Value>,
    ) -> Result<()> {
        let done = sqlx::query("UPDATE organisations SET settings = $1 WHERE id = $2")
            .bind(Json(&**settings))
            .bind(organisation_id)
            .execute(&self.pool)
            .await?;
        found::<DB>(&done, || format!("organisation {organisation_id}"))
    }

    async fn user(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
    }

    async fn users_of_organisation(&self, organisation_id: i64) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE organisation_id = $1 ORDER BY email");
        Ok(sqlx::query_as(&sql).bind(organisation_id).fetch_all(&self.pool).await?)
    }

    async fn set_password_hash(&self, user_id: i64, password_hash: &str) -> Result<()> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn rename_team(&self, organisation_id: i64, team_id: i64, name: &str) -> Result<()> {
        let sql = "UPDATE teams SET name = $1 WHERE id = $2 AND organisation_id = $3";
        set_in_organisation(&self.pool, sql, (name, team_id, organisation_id), || format!("team {team_id}"))
            .await
    }

    async fn rename_user(&self, organisation_id: i64, user_id: i64, display_name: &str) -> Result<()> {
        let sql = "UPDATE users SET display_name = $1 WHERE id = $2 AND organisation_id = $3";
        set_in_organisation(&self.pool, sql, (display_name, user_id, organisation_id), || {
            format!("user {user_id}")
        })
        .await
    }

    async fn revoke_invite(&self, organisation_id: i64, token_hash: &str, now_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE account_tokens SET expires_at = $3 WHERE token_hash = $1 AND organisation_id = $2 \
             AND kind = 'invite' AND used_at IS NULL AND expires_at > $3",
        )
        .bind(token_hash)
        .bind(organisation_id)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(DB::rows_affected(&done) > 0)
    }

    async fn set_user_role(&self, organisation_id: i64, user_id: i64, role: UserRole) -> Result<()> {
        let sql = "UPDATE users SET role = $1 WHERE id = $2 AND organisation_id = $3";
        set_in_organisation(&self.pool, sql, (role.as_str(), user_id, organisation_id), || {
            format!("user {user_id}")
        })
        .await
    }

    async fn create_web_session(&self, s: &WebSession) -> Result<()> {
        sqlx::query(
            "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, client_addr) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&s.id_hash)
        .bind(s.user_id)
        .bind(&s.csrf_token)
        .bind(s.created_at)
        .bind(s.last_seen_at)
        .bind(&s.client_addr)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn web_session(&self, id_hash: &str) -> Result<Option<WebSession>> {
        let sql = format!("SELECT {} FROM web_sessions WHERE id_hash = $1", WEB_SESSION_COLUMNS);
        Ok(sqlx::query_as(&sql).bind(id_hash).fetch_optional(&self.pool).await?)
    }

    async fn touch_web_session(&self, id_hash: &str, now_ms: i64) -> Result<()> {
        sqlx::query("UPDATE web_sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now_ms)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_web_session(&self, id_hash: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM web_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done) > 0)
    }

    async fn delete_expired_web_sessions(&self, created_before: i64, seen_before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM web_sessions WHERE created_at < $1 OR last_seen_at < $2")
            .bind(created_before)
            .bind(seen_before)
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done))
    }

    async fn create_account_token(&self, new: &NewAccountToken) -> Result<()> {
        let t = &new.token;
        sqlx::query(
            "INSERT INTO account_tokens (token_hash, kind, organisation_id, user_id, email, role, team_id, \
             created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&new.token_hash)
        .bind(t.kind.as_str())
        .bind(t.organisation_id)
        .bind(t.user_id)
        .bind(t.email.as_ref().map(|e| e.to_lowercase()))
        .bind(t.role.map(UserRole::as_str))
        .bind(t.team_id)
        .bind(t.created_by)
        .bind(new.now_ms)
        .bind(t.expires_at)
        .execute(&self.pool)
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
        Ok(sqlx::query_as(&sql)
            .bind(token_hash)
            .bind(kind.as_str())
            .bind(now_ms)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn accept_invite(
        &self,
        token_hash: &str,
        display_name: &Screened<String>,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Option<User>> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND kind = 'invite' \
             AND used_at IS NULL AND expires_at > $1 RETURNING {}",
            ACCOUNT_TOKEN_COLUMNS
        );
        let invite: Option<AccountToken> =
            sqlx::query_as(&sql).bind(now_ms).bind(token_hash).fetch_optional(&mut *tx).await?;
        let Some(invite) = invite else { return Ok(None) };
        let (Some(email), Some(role)) = (invite.email.clone(), invite.role) else {
            return Err(StoreError::Corrupt("an invite without address or role".into()));
        };
        let sql = format!(
            "INSERT INTO users (organisation_id, email, display_name, role, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {USER_COLUMNS}"
        );
        let user: User = sqlx::query_as(&sql)
            .bind(invite.organisation_id)
            .bind(email.to_lowercase())
            .bind(display_name.as_str())
            .bind(role.as_str())
            .bind(password_hash)
            .bind(now_ms)
            .fetch_one(&mut *tx)
            .await?;
        if let Some(team_id) = invite.team_id {
            sqlx::query("INSERT INTO team_members (team_id, user_id, created_at) VALUES ($1, $2, $3)")
                .bind(team_id)
                .bind(user.id)
                .bind(now_ms)
                .execute(&mut *tx)
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
        let user_id: Option<Option<i64>> = sqlx::query_scalar(
            "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND kind = 'setup' \
             AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(now_ms)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(Some(user_id)) = user_id else { return Ok(None) };
        let sql = format!("UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING {USER_COLUMNS}");
        let user: Option<User> =
            sqlx::query_as(&sql).bind(password_hash).bind(user_id).fetch_optional(&mut *tx).await?;
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
        Ok(sqlx::query_as(&sql).bind(organisation_id).bind(now_ms).fetch_all(&self.pool).await?)
    }

    async fn record_sign_in_failure(&self, account: &str, client_addr: &str, now_ms: i64) -> Result<()> {
        sqlx::query("INSERT INTO sign_in_failures (account, client_addr, at) VALUES ($1, $2, $3)")
            .bind(account.to_lowercase())
            .bind(client_addr)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        // Old failures no longer count; drop them now and then.
        sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(now_ms - 24 * 60 * 60 * 1000)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn sign_in_failures_since(
        &self,
        account: &str,
        client_addr: &str,
        since_ms: i64,
    ) -> Result<(i64, i64)> {
        let by_account: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE account = $1 AND at >= $2")
                .bind(account.to_lowercase())
                .bind(since_ms)
                .fetch_one(&self.pool)
                .await?;
        let by_address: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE client_addr = $1 AND at >= $2")
                .bind(client_addr)
                .bind(since_ms)
                .fetch_one(&self.pool)
                .await?;
        Ok((by_account, by_address))
    }

    async fn clear_sign_in_failures(&self, account: &str) -> Result<()> {
        sqlx::query("DELETE FROM sign_in_failures WHERE account = $1")
            .bind(account.to_lowercase())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

const ACCOUNT_TOKEN_COLUMNS: &str =
    "token_hash, kind, organisation_id, user_id, email, role, team_id, created_by, created_at, expires_at";
const WEB_SESSION_COLUMNS: &str = "id_hash, user_id, csrf_token, created_at, last_seen_at, client_addr";
