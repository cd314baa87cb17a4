-- A team's rhythm (issue 14): its meeting schedule, the exceptions to it, absences and swaps
-- for the rotation (which is computed, never stored), private calendar feeds and the
-- reminders sent. Dates are local (Europe/Amsterdam) YYYY-MM-DD; timestamps unix milliseconds.

-- The recurring slot, as beraad-domain's `rhythm::Slot` in JSON; one per team.
CREATE TABLE team_schedules (
    team_id    BIGINT PRIMARY KEY REFERENCES teams(id),
    slot       JSONB   NOT NULL,
    updated_by BIGINT  REFERENCES users(id),
    updated_at BIGINT  NOT NULL
);

-- A skipped meeting or a one-off move, by the meeting's series date.
CREATE TABLE schedule_changes (
    team_id    BIGINT  NOT NULL REFERENCES teams(id),
    date       TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('skip', 'move')),
    to_date    TEXT,                               -- move: the new local date
    to_start   TEXT,                               -- move: the new local start, HH:MM
    created_by BIGINT  REFERENCES users(id),
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, date)
);

-- Someone said they are absent for a meeting.
CREATE TABLE rhythm_absences (
    team_id    BIGINT  NOT NULL REFERENCES teams(id),
    user_id    BIGINT  NOT NULL REFERENCES users(id),
    date       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, user_id, date)
);

-- A duty at one meeting handed to a colleague; shown to the team.
CREATE TABLE rhythm_swaps (
    team_id    BIGINT  NOT NULL REFERENCES teams(id),
    date       TEXT    NOT NULL,
    duty       TEXT    NOT NULL CHECK (duty IN ('moderator', 'case_bringer')),
    from_user  BIGINT  REFERENCES users(id),
    to_user    BIGINT  NOT NULL REFERENCES users(id),
    created_by BIGINT  NOT NULL REFERENCES users(id),
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, date, duty)
);

-- A private calendar feed: 'team:<id>' or 'user:<id>'. Only the token's SHA-256 is stored;
-- renewing replaces it, so the old address stops working.
CREATE TABLE calendar_feeds (
    owner      TEXT    PRIMARY KEY,
    token_hash TEXT    NOT NULL UNIQUE,
    created_at BIGINT  NOT NULL
);

-- Each reminder at most once, whichever process claims it first.
CREATE TABLE sent_reminders (
    team_id    BIGINT  NOT NULL REFERENCES teams(id),
    date       TEXT    NOT NULL,
    duty       TEXT    NOT NULL,
    user_id    BIGINT  NOT NULL REFERENCES users(id),
    claimed_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, date, duty, user_id)
);
