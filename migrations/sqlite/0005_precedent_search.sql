-- Precedent search (issue 5). The original title and body are kept for ranking and snippets;
-- the FTS5 table holds the shadow texts made by the domain's `text::index_terms` (stems) and
-- `text::index_words` (folded words), rowid = precedent id. Side tables hold the filters.
CREATE TABLE precedent_texts (
    precedent_id INTEGER PRIMARY KEY REFERENCES precedents(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL
);

CREATE VIRTUAL TABLE precedent_fts USING fts5(
    title_stems, body_stems, title_words, body_words,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- `LawRef::index_key()`, filtered by prefix: 'participatiewet/18/' matches 'participatiewet/18/2/'.
CREATE TABLE precedent_laws (
    precedent_id INTEGER NOT NULL REFERENCES precedents(id) ON DELETE CASCADE,
    law_key      TEXT    NOT NULL,
    PRIMARY KEY (precedent_id, law_key)
);
CREATE INDEX precedent_laws_by_key ON precedent_laws (law_key);

-- Controlled themes (by label), free tags (normalised) and values (lower-cased).
CREATE TABLE precedent_labels (
    precedent_id INTEGER NOT NULL REFERENCES precedents(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('theme', 'tag', 'value')),
    label        TEXT    NOT NULL,
    PRIMARY KEY (precedent_id, kind, label)
);
CREATE INDEX precedent_labels_by_label ON precedent_labels (kind, label);

CREATE INDEX precedents_by_date ON precedents (organisation_id, decided_on);
