CREATE TABLE objective_boards (
    activity_id TEXT PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    wall_open INTEGER NOT NULL,
    voting TEXT NOT NULL,
    spotlight_id TEXT
);

CREATE TABLE objectives (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    key_results TEXT NOT NULL,
    aligns_to TEXT,
    theme TEXT NOT NULL,
    hidden INTEGER NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX objectives_activity ON objectives (activity_id, created_at);

CREATE TABLE objective_authors (
    objective_id TEXT NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    PRIMARY KEY (objective_id, participant_id)
);
CREATE INDEX objective_authors_participant ON objective_authors (participant_id);

-- One row per dot. `dot` is the participant's dot number within the activity
-- (0 .. dots-1), so the primary key itself caps how many dots anyone can spend.
CREATE TABLE objective_votes (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    dot INTEGER NOT NULL,
    objective_id TEXT NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (activity_id, participant_id, dot)
);
CREATE INDEX objective_votes_objective ON objective_votes (objective_id);

CREATE TABLE objective_drafts (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (activity_id, participant_id)
);
