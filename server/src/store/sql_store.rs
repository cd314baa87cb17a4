//! The `Store` implementation shared by both backends, written once. The queries are the same
//! on SQLite and PostgreSQL (`$n` placeholders, `RETURNING`, `ON CONFLICT`); what differs stays
//! in each backend's module, which the macro expects to define:
//! - `MIGRATOR`: the backend's migrations;
//! - `begin_write(&self)`: a transaction that holds the write lock (SQLite: `BEGIN IMMEDIATE`);
//! - `LOCK_SESSION`: the query that reads a session's `last_seq` and locks it for this
//!   transaction (PostgreSQL: `FOR UPDATE`);
//! - `append(&self, &Append)`: runs the macro's `append_in_tx` in a write transaction and commits
//!   (SQLite batches concurrent appends into one commit).
//!
//! It is a macro rather than generic code because sqlx's executor bounds, generic over the
//! database, do not compose with `async_trait`'s `Send` futures.

/// Implements `Store` for `$store`, a struct with a `pool` field of database `$db`.
macro_rules! sql_store {
    ($store:ty, $db:ty, $backend:literal) => {
        #[async_trait::async_trait]
        impl $crate::store::Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn migrate(&self) -> Result<()> {
                MIGRATOR.run(&self.pool).await?;
                Ok(())
            }

            async fn ping(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn close(&self) {
                self.pool.close().await;
            }

            async fn create_organisation(&self, new: &NewOrganisation) -> Result<Organisation> {
                let sql = format!(
                    "INSERT INTO organisations (code, name, settings, created_at) VALUES ($1, $2, '{{}}', $3) \
                     RETURNING {ORGANISATION_COLUMNS}"
                );
                let raw: OrganisationRaw = sqlx::query_as(&sql)
                    .bind(&new.code)
                    .bind(&new.name)
                    .bind(new.now_ms)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(raw.into())
            }

            async fn organisation_by_code(&self, code: &str) -> Result<Option<Organisation>> {
                let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE code = $1");
                let raw: Option<OrganisationRaw> = sqlx::query_as(&sql).bind(code).fetch_optional(&self.pool).await?;
                Ok(raw.map(Into::into))
            }

            async fn create_team(&self, new: &NewTeam) -> Result<Team> {
                let sql = format!(
                    "INSERT INTO teams (organisation_id, name, created_at) VALUES ($1, $2, $3) RETURNING {TEAM_COLUMNS}"
                );
                let raw: TeamRaw = sqlx::query_as(&sql)
                    .bind(new.organisation_id)
                    .bind(&new.name)
                    .bind(new.now_ms)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(raw.into())
            }

            async fn teams_of_organisation(&self, organisation_id: i64) -> Result<Vec<Team>> {
                let sql = format!("SELECT {TEAM_COLUMNS} FROM teams WHERE organisation_id = $1 ORDER BY name");
                let raws: Vec<TeamRaw> = sqlx::query_as(&sql).bind(organisation_id).fetch_all(&self.pool).await?;
                Ok(raws.into_iter().map(Into::into).collect())
            }

            async fn create_user(&self, new: &NewUser) -> Result<User> {
                let sql = format!(
                    "INSERT INTO users (organisation_id, email, display_name, role, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {USER_COLUMNS}"
                );
                let raw: UserRaw = sqlx::query_as(&sql)
                    .bind(new.organisation_id)
                    .bind(new.email.to_lowercase())
                    .bind(&new.display_name)
                    .bind(new.role.as_str())
                    .bind(&new.password_hash)
                    .bind(new.now_ms)
                    .fetch_one(&self.pool)
                    .await?;
                raw.try_into()
            }

            async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
                let raw: Option<UserRaw> =
                    sqlx::query_as(&sql).bind(email.to_lowercase()).fetch_optional(&self.pool).await?;
                raw.map(TryInto::try_into).transpose()
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
                let raws: Vec<TeamRaw> = sqlx::query_as(&sql).bind(user_id).fetch_all(&self.pool).await?;
                Ok(raws.into_iter().map(Into::into).collect())
            }

            async fn create_session(&self, new: &NewSession) -> Result<SessionRow> {
                let mut tx = self.begin_write().await?;
                let sql = format!(
                    "INSERT INTO sessions (id, team_id, title, method_key, status, created_by, last_seq, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $8, $7, $7) RETURNING {SESSION_COLUMNS}"
                );
                let raw: SessionRaw = sqlx::query_as(&sql)
                    .bind(&new.id)
                    .bind(new.team_id)
                    .bind(&new.title)
                    .bind(&new.method_key)
                    .bind(&new.status)
                    .bind(new.created_by)
                    .bind(new.now_ms)
                    .bind(new.events.len() as i64)
                    .fetch_one(&mut *tx)
                    .await?;
                for (i, event) in new.events.iter().enumerate() {
                    insert_event(&mut tx, &new.id, 1 + i as i64, None, event, new.now_ms).await?;
                }
                if let Some(review) = &new.review {
                    sqlx::query("INSERT INTO anonymisation_reviews (session_id, review, created_at) VALUES ($1, $2, $3)")
                        .bind(&new.id)
                        .bind(Json(review))
                        .bind(new.now_ms)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(raw.into())
            }

            async fn session(&self, id: &str) -> Result<Option<SessionRow>> {
                let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1");
                let raw: Option<SessionRaw> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
                Ok(raw.map(Into::into))
            }

            async fn anonymisation_review(&self, session_id: &str) -> Result<Option<serde_json::Value>> {
                let row: Option<Json<serde_json::Value>> =
                    sqlx::query_scalar("SELECT review FROM anonymisation_reviews WHERE session_id = $1")
                        .bind(session_id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|j| j.0))
            }

            async fn sessions_of_team(&self, team_id: i64) -> Result<Vec<SessionRow>> {
                let sql =
                    format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE team_id = $1 ORDER BY created_at DESC");
                let raws: Vec<SessionRaw> = sqlx::query_as(&sql).bind(team_id).fetch_all(&self.pool).await?;
                Ok(raws.into_iter().map(Into::into).collect())
            }

            async fn append_events(&self, append: &Append) -> Result<AppendOutcome> {
                self.append(append).await
            }

            async fn events_since(&self, session_id: &str, after_seq: i64, limit: i64) -> Result<Vec<StoredEvent>> {
                let sql = format!(
                    "SELECT {EVENT_COLUMNS} FROM session_events WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
                );
                let raws: Vec<EventRaw> =
                    sqlx::query_as(&sql).bind(session_id).bind(after_seq).bind(limit).fetch_all(&self.pool).await?;
                Ok(raws.into_iter().map(Into::into).collect())
            }

            async fn create_session_token(
                &self,
                session_id: &str,
                token_hash: &str,
                participant_id: &str,
                now_ms: i64,
            ) -> Result<()> {
                sqlx::query(INSERT_SESSION_TOKEN)
                    .bind(token_hash)
                    .bind(session_id)
                    .bind(participant_id)
                    .bind(now_ms)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn participant_for_token(&self, session_id: &str, token_hash: &str) -> Result<Option<String>> {
                Ok(sqlx::query_scalar(SELECT_TOKEN_PARTICIPANT)
                    .bind(token_hash)
                    .bind(session_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn create_invite(
                &self,
                session_id: &str,
                code_hash: &str,
                expires_at_ms: i64,
                now_ms: i64,
            ) -> Result<()> {
                sqlx::query(INSERT_INVITE)
                    .bind(code_hash)
                    .bind(session_id)
                    .bind(now_ms)
                    .bind(expires_at_ms)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session_for_invite(&self, code_hash: &str, now_ms: i64) -> Result<Option<String>> {
                Ok(sqlx::query_scalar(SELECT_INVITE_SESSION)
                    .bind(code_hash)
                    .bind(now_ms)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn create_custom_method(&self, key: &str, definition: &serde_json::Value, now_ms: i64) -> Result<()> {
                sqlx::query("INSERT INTO custom_methods (key, definition, created_at) VALUES ($1, $2, $3)")
                    .bind(key)
                    .bind(Json(definition))
                    .bind(now_ms)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn custom_methods(&self) -> Result<Vec<serde_json::Value>> {
                let rows: Vec<Json<serde_json::Value>> =
                    sqlx::query_scalar("SELECT definition FROM custom_methods ORDER BY key").fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(|j| j.0).collect())
            }

            async fn custom_method(&self, key: &str) -> Result<Option<serde_json::Value>> {
                let row: Option<Json<serde_json::Value>> =
                    sqlx::query_scalar("SELECT definition FROM custom_methods WHERE key = $1")
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|j| j.0))
            }

            async fn upsert_precedent(&self, new: &NewPrecedent) -> Result<PrecedentRow> {
                let mut tx = self.begin_write().await?;
                let raw = upsert_precedent_in_tx(&mut tx, new).await?;
                tx.commit().await?;
                raw.try_into()
            }

            async fn import_precedents(&self, news: &[NewPrecedent]) -> Result<Vec<PrecedentRow>> {
                let mut tx = self.begin_write().await?;
                let mut raws = Vec::with_capacity(news.len());
                for new in news {
                    raws.push(upsert_precedent_in_tx(&mut tx, new).await?);
                }
                tx.commit().await?;
                raws.into_iter().map(TryInto::try_into).collect()
            }

            async fn precedents_of_organisation(&self, organisation_id: i64) -> Result<Vec<PrecedentRow>> {
                let sql = format!(
                    "SELECT {PRECEDENT_COLUMNS} FROM precedents WHERE organisation_id = $1 ORDER BY decided_on, id"
                );
                let raws: Vec<PrecedentRaw> = sqlx::query_as(&sql).bind(organisation_id).fetch_all(&self.pool).await?;
                raws.into_iter().map(TryInto::try_into).collect()
            }

            async fn search_precedents(&self, query: &SearchQuery) -> Result<SearchPage> {
                self.refresh_search_index().await?;
                let terms = $crate::domain::text::query_terms(&query.text);
                let (search, q, t) = (self.search.clone(), query.clone(), terms.clone());
                let ranked = tokio::task::spawn_blocking(move || search.search(&q, &t))
                    .await
                    .map_err(|e| StoreError::Internal(format!("search task failed: {e}")))?;
                let bodies = self.bodies_of(ranked.hits.iter().map(|h| h.id).collect()).await?;
                Ok($crate::search::assemble(query, &terms, ranked, &bodies))
            }

            async fn refresh_search_index(&self) -> Result<()> {
                let generation: i64 = sqlx::query_scalar(ARCHIVE_GENERATION).fetch_one(&self.pool).await?;
                if self.search.generation() >= generation {
                    return Ok(());
                }
                let _loading = self.search.lock_refresh().await;
                let from = self.search.generation();
                if from >= generation {
                    return Ok(());
                }
                // Page by page: while one page is applied (on a blocking thread) the next is read.
                let failed = |e: tokio::task::JoinError| StoreError::Internal(format!("search index task failed: {e}"));
                let mut applying: Option<tokio::task::JoinHandle<()>> = None;
                let mut after_id = i64::MIN;
                loop {
                    let sources: Vec<$crate::search::IndexSource> = sqlx::query_as(INDEX_SOURCES)
                        .bind(from)
                        .bind(after_id)
                        .bind(INDEX_PAGE)
                        .fetch_all(&self.pool)
                        .await?;
                    let Some(last_id) = sources.last().map(|s| s.id) else { break };
                    let labels: Vec<$crate::search::IndexLabel> = sqlx::query_as(INDEX_LABELS)
                        .bind(from)
                        .bind(after_id)
                        .bind(last_id)
                        .fetch_all(&self.pool)
                        .await?;
                    if let Some(previous) = applying.take() {
                        previous.await.map_err(failed)?;
                    }
                    let (search, more) = (self.search.clone(), sources.len() as i64 == INDEX_PAGE);
                    applying = Some(tokio::task::spawn_blocking(move || search.apply(sources, &labels, from)));
                    after_id = last_id;
                    if !more {
                        break;
                    }
                }
                if let Some(previous) = applying {
                    previous.await.map_err(failed)?;
                }
                // Every change up to `generation` had committed when it was read (writers take
                // generations in commit order), so the index has them all, or newer versions
                // whose own generations are above it and will be read again next time.
                self.search.apply(Vec::new(), &[], generation);
                Ok(())
            }

            async fn precedent(&self, id: i64) -> Result<Option<PrecedentRow>> {
                let sql = format!("SELECT {PRECEDENT_COLUMNS} FROM precedents WHERE id = $1");
                let raw: Option<PrecedentRaw> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
                raw.map(TryInto::try_into).transpose()
            }

            async fn count_precedents(&self, organisation_id: i64) -> Result<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM precedents WHERE organisation_id = $1")
                    .bind(organisation_id)
                    .fetch_one(&self.pool)
                    .await?)
            }

            // --- precedent lifecycle: see `lifecycle.rs`
            async fn create_session_precedent(&self, new: &NewPrecedent) -> Result<$crate::store::DraftOutcome> {
                self.lc_create_session_precedent(new).await
            }
            async fn precedent_of_session(&self, session_id: &str) -> Result<Option<PrecedentRow>> {
                self.lc_precedent_of_session(session_id).await
            }
            async fn precedent_by_citation(&self, citation_id: &str) -> Result<Option<PrecedentRow>> {
                self.lc_precedent_by_citation(citation_id).await
            }
            async fn change_precedent(
                &self,
                id: i64,
                expected: &$crate::store::Expected,
                write: &$crate::store::PrecedentWrite,
                now_ms: i64,
            ) -> Result<$crate::store::ChangeOutcome> {
                self.lc_change_precedent(id, expected, write, now_ms).await
            }
            async fn adopt_precedent(
                &self,
                id: i64,
                expected: &$crate::store::Expected,
                year: i64,
                make: &(dyn Fn(i64) -> std::result::Result<$crate::store::PrecedentWrite, String> + Send + Sync),
                now_ms: i64,
            ) -> Result<$crate::store::ChangeOutcome> {
                self.lc_adopt_precedent(id, expected, year, make, now_ms).await
            }
            async fn precedent_versions(&self, precedent_id: i64) -> Result<Vec<$crate::store::PrecedentVersion>> {
                self.lc_precedent_versions(precedent_id).await
            }
            async fn precedent_version(
                &self,
                precedent_id: i64,
                version: i64,
            ) -> Result<Option<$crate::store::PrecedentVersion>> {
                self.lc_precedent_version(precedent_id, version).await
            }
            async fn link_session(&self, link: &$crate::store::NewSessionLink) -> Result<()> {
                self.lc_link_session(link).await
            }
            async fn links_of_session(&self, session_id: &str) -> Result<Vec<$crate::store::SessionLink>> {
                self.lc_links_of_session(session_id).await
            }
            async fn links_of_precedent(&self, precedent_id: i64) -> Result<Vec<$crate::store::SessionLink>> {
                self.lc_links_of_precedent(precedent_id).await
            }
            async fn team(&self, id: i64) -> Result<Option<Team>> {
                self.lc_team(id).await
            }
            async fn organisation(&self, id: i64) -> Result<Option<Organisation>> {
                self.lc_organisation(id).await
            }
            // authorisation
            async fn set_organisation_settings(&self, organisation_id: i64, settings: &serde_json::Value) -> Result<()> {
                let done = sqlx::query("UPDATE organisations SET settings = $1 WHERE id = $2")
                    .bind(sqlx::types::Json(settings))
                    .bind(organisation_id)
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::store::StoreError::NotFound(format!("organisation {organisation_id}")));
                }
                Ok(())
            }
        }

        impl $store {
            /// The searchable body of each precedent, by id (for snippets), in one query.
            async fn bodies_of(&self, ids: Vec<i64>) -> Result<std::collections::HashMap<i64, String>> {
                if ids.is_empty() {
                    return Ok(std::collections::HashMap::new());
                }
                let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT precedent_id, body FROM precedent_texts WHERE precedent_id IN ({})",
                    marks.join(", ")
                );
                let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
                for id in ids {
                    q = q.bind(id);
                }
                Ok(q.fetch_all(&self.pool).await?.into_iter().collect())
            }
        }

        /// The append rule, inside a transaction that holds the write lock (SQLite: `BEGIN
        /// IMMEDIATE`; PostgreSQL: `LOCK_SESSION` locks the session row): every writer of this
        /// session, in any server process, queues on that lock, so the duplicate check and the
        /// sequence numbers below cannot race. Writes nothing unless it answers `Appended`.
        pub(super) async fn append_in_tx(
            conn: &mut <$db as sqlx::Database>::Connection,
            append: &Append,
        ) -> Result<AppendOutcome> {
            let last_seq: Option<i64> = sqlx::query_scalar(LOCK_SESSION)
                .bind(&append.session_id)
                .fetch_optional(&mut *conn)
                .await?;
            let Some(last_seq) = last_seq else {
                return Err(StoreError::NotFound(format!("session {}", append.session_id)));
            };
            if let Some(client_id) = &append.client_id {
                let seq: Option<i64> =
                    sqlx::query_scalar("SELECT seq FROM session_events WHERE session_id = $1 AND client_id = $2")
                        .bind(&append.session_id)
                        .bind(client_id)
                        .fetch_optional(&mut *conn)
                        .await?;
                if let Some(seq) = seq {
                    return Ok(AppendOutcome::Duplicate { seq });
                }
            }
            if last_seq != append.expected_last_seq {
                return Ok(AppendOutcome::Conflict { last_seq });
            }
            if append.events.is_empty() {
                return Ok(AppendOutcome::Appended { first_seq: last_seq + 1, last_seq });
            }
            for (i, event) in append.events.iter().enumerate() {
                let client_id = if i == 0 { append.client_id.as_deref() } else { None };
                insert_event(
                    &mut *conn,
                    &append.session_id,
                    last_seq + 1 + i as i64,
                    client_id,
                    event,
                    append.now_ms,
                )
                .await?;
            }
            let new_last = last_seq + append.events.len() as i64;
            sqlx::query(
                "UPDATE sessions SET last_seq = $1, updated_at = $2, status = COALESCE($3, status) WHERE id = $4",
            )
            .bind(new_last)
            .bind(append.now_ms)
            .bind(&append.status)
            .bind(&append.session_id)
            .execute(&mut *conn)
            .await?;
            Ok(AppendOutcome::Appended { first_seq: last_seq + 1, last_seq: new_last })
        }

        /// Upserts one precedent and rewrites its search rows, inside the caller's transaction.
        async fn upsert_precedent_in_tx(
            conn: &mut <$db as sqlx::Database>::Connection,
            new: &NewPrecedent,
        ) -> Result<PrecedentRaw> {
            let sql = format!("{UPSERT_PRECEDENT} RETURNING {PRECEDENT_COLUMNS}");
            let raw: PrecedentRaw = sqlx::query_as(&sql)
                .bind(new.organisation_id)
                .bind(new.team_id)
                .bind(&new.session_id)
                .bind(&new.import_ref)
                .bind(new.status.as_str())
                .bind(&new.title)
                .bind(&new.decided_on)
                .bind(&new.method_key)
                .bind(Json(&new.record))
                .bind(new.now_ms)
                .fetch_one(&mut *conn)
                .await?;
            write_precedent_index(&mut *conn, raw.id(), &new.title, &new.index).await?;
            Ok(raw)
        }

        /// Rewrites a precedent's search rows (texts, law keys, themes, tags, values), inside
        /// the caller's transaction.
        async fn write_precedent_index(
            conn: &mut <$db as sqlx::Database>::Connection,
            id: i64,
            title: &str,
            index: &PrecedentIndex,
        ) -> Result<()> {
            sqlx::query(UPSERT_PRECEDENT_TEXT).bind(id).bind(title).bind(&index.body).execute(&mut *conn).await?;
            sqlx::query(DELETE_PRECEDENT_LAWS).bind(id).execute(&mut *conn).await?;
            sqlx::query(DELETE_PRECEDENT_LABELS).bind(id).execute(&mut *conn).await?;
            for key in index.unique_law_keys() {
                sqlx::query(INSERT_PRECEDENT_LAW).bind(id).bind(key).execute(&mut *conn).await?;
            }
            for (kind, label) in index.labels() {
                sqlx::query(INSERT_PRECEDENT_LABEL).bind(id).bind(kind).bind(label).execute(&mut *conn).await?;
            }
            Ok(())
        }

        super::lifecycle::lifecycle_helpers!($db);
        super::lifecycle::lifecycle_methods!($store);

        async fn insert_event(
            conn: &mut <$db as sqlx::Database>::Connection,
            session_id: &str,
            seq: i64,
            client_id: Option<&str>,
            event: &NewEvent,
            now_ms: i64,
        ) -> Result<()> {
            sqlx::query(INSERT_EVENT)
                .bind(session_id)
                .bind(seq)
                .bind(client_id)
                .bind(&event.actor)
                .bind(&event.kind)
                .bind(Json(&event.payload))
                .bind(now_ms)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
    };
}

pub(super) use sql_store;
