-- Four-eyes adoption (issue 13, point 7): a draft that awaits a colleague's approval, or that a
-- colleague sent back with a reason. One row per precedent; adoption deletes it (in the same
-- transaction). The organisation's rule is its setting `four_eyes`.
CREATE TABLE precedent_approvals (
    precedent_id     INTEGER PRIMARY KEY REFERENCES precedents(id) ON DELETE CASCADE,
    state            TEXT    NOT NULL CHECK (state IN ('awaiting', 'sent_back')),
    requested_by     INTEGER NOT NULL REFERENCES users(id),
    requested_at     INTEGER NOT NULL,
    -- The draft's updated_at when approval was asked: the approver adopts exactly that.
    draft_updated_at INTEGER NOT NULL,
    -- The anonymisation review the author gave when asking (JSON text), used at adoption.
    review           TEXT,
    decided_by       INTEGER REFERENCES users(id),
    reason           TEXT,
    decided_at       INTEGER
);
CREATE INDEX precedent_approvals_state ON precedent_approvals (state);
