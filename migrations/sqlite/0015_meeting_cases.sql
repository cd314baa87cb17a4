-- A picked case belongs to one meeting of the team's schedule (issue 14; docs/team-practice.md):
-- the meeting is known by its series date (which it keeps when moved), at most one case per
-- meeting and one meeting per case. The case's title and session are the proposal's.
CREATE TABLE meeting_cases (
    team_id     INTEGER NOT NULL REFERENCES teams(id),
    date        TEXT    NOT NULL,                                -- the meeting's series date
    proposal_id INTEGER NOT NULL UNIQUE REFERENCES case_proposals(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (team_id, date)
);
