-- A team's practice between sessions (PostgreSQL): the case queue and the follow-up of actions.
-- See docs/team-practice.md. Timestamps are unix milliseconds; dates are local (Europe/Amsterdam)
-- calendar dates as 'YYYY-MM-DD'.

-- A case proposed ahead of time, reviewed for identifying data as a session's case is.
CREATE TABLE case_proposals (
    id              BIGSERIAL PRIMARY KEY,
    team_id         BIGINT  NOT NULL REFERENCES teams(id),
    proposer_id     BIGINT  NOT NULL REFERENCES users(id),
    title           TEXT    NOT NULL,
    summary         TEXT    NOT NULL,                -- one line, shown in the queue
    case_text       TEXT    NOT NULL,
    method_key      TEXT    NOT NULL,                -- the proposer's suggested method
    method_variant  TEXT,
    review          JSONB   NOT NULL,                -- JSON: the anonymisation review
    status          TEXT    NOT NULL CHECK (status IN ('open', 'picked', 'withdrawn')),
    session_id      TEXT    REFERENCES sessions(id), -- the prepared session, once picked
    planned_at      BIGINT,                         -- when that session is planned
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX case_proposals_team ON case_proposals (team_id, status, created_at);

-- "Wil ik bespreken": one mark per person and proposal.
CREATE TABLE case_interest (
    proposal_id BIGINT  NOT NULL REFERENCES case_proposals(id),
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);

-- An action a session agreed (its conclusion's actions, in order), followed up by the team.
CREATE TABLE team_actions (
    id                 BIGSERIAL PRIMARY KEY,
    team_id            BIGINT  NOT NULL REFERENCES teams(id),
    session_id         TEXT    NOT NULL REFERENCES sessions(id),
    item_index         BIGINT  NOT NULL,
    what               TEXT    NOT NULL,
    who                TEXT    NOT NULL,
    due_on             TEXT    NOT NULL,
    owner_id           BIGINT  REFERENCES users(id),    -- the team member named in `who`, if one is
    status             TEXT    NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    settled_on         TEXT,
    settled_by         BIGINT  REFERENCES users(id),
    settled_in_session TEXT    REFERENCES sessions(id), -- settled in that session's look-back
    drop_reason        TEXT,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    UNIQUE (session_id, item_index)
);
CREATE INDEX team_actions_team ON team_actions (team_id, status, due_on);

-- Which team action each of a session's previous actions is (its look-back list, in order).
CREATE TABLE look_back_items (
    session_id TEXT    NOT NULL REFERENCES sessions(id),
    item_index BIGINT  NOT NULL,
    action_id  BIGINT  NOT NULL REFERENCES team_actions(id),
    PRIMARY KEY (session_id, item_index)
);

-- What the follow-up has read from each session's event log so far, and the session's facts
-- for the team's history (held to the end, attendance, local date, method).
CREATE TABLE practice_sessions (
    session_id    TEXT    PRIMARY KEY REFERENCES sessions(id),
    team_id       BIGINT  NOT NULL REFERENCES teams(id),
    harvested_seq BIGINT  NOT NULL,
    held          BIGINT  NOT NULL,                  -- 1 when ended
    attendance    BIGINT  NOT NULL,
    held_on       TEXT    NOT NULL,
    method_key    TEXT    NOT NULL
);
CREATE INDEX practice_sessions_team ON practice_sessions (team_id, held_on);
