CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE facilitators (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    facilitator_id TEXT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at DOUBLE PRECISION NOT NULL
);

CREATE TABLE workshops (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    slides_url TEXT NOT NULL,
    recording_url TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    current_activity_id TEXT,
    created_at DOUBLE PRECISION NOT NULL
);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    options TEXT NOT NULL,
    settings TEXT NOT NULL,
    state TEXT NOT NULL,
    round INTEGER NOT NULL,
    results_visible INTEGER NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX activities_workshop ON activities (workshop_id, position);

CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    UNIQUE (workshop_id, device_id)
);

CREATE TABLE ballots (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    round INTEGER NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    created_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    UNIQUE (activity_id, round, participant_id)
);

CREATE TABLE ballot_items (
    ballot_id TEXT NOT NULL REFERENCES ballots (id) ON DELETE CASCADE,
    activity_id TEXT NOT NULL,
    round INTEGER NOT NULL,
    position INTEGER NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (ballot_id, position)
);
CREATE INDEX ballot_items_tally ON ballot_items (activity_id, round, item);

CREATE TABLE applied_requests (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (participant_id, client_id)
);
