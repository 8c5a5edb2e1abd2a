ALTER TABLE workshops ADD COLUMN chat_mode TEXT NOT NULL DEFAULT 'on';
ALTER TABLE workshops ADD COLUMN anonymity TEXT NOT NULL DEFAULT 'named';
ALTER TABLE workshops ADD COLUMN premoderation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE workshops ADD COLUMN blocked_words TEXT NOT NULL DEFAULT '[]';
ALTER TABLE workshops ADD COLUMN presenter_view TEXT NOT NULL DEFAULT 'activity';
ALTER TABLE workshops ADD COLUMN spotlight_message_id TEXT;

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    question INTEGER NOT NULL,
    reply_to TEXT,
    status TEXT NOT NULL,
    answered INTEGER NOT NULL,
    activity_id TEXT,
    created_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX messages_workshop ON messages (workshop_id, created_at);
CREATE INDEX messages_participant ON messages (participant_id, created_at);

CREATE TABLE message_upvotes (
    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (message_id, participant_id)
);
CREATE INDEX message_upvotes_participant ON message_upvotes (participant_id, created_at);

CREATE TABLE bans (
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (workshop_id, participant_id)
);

CREATE TABLE insights (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    parent_id TEXT,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    sources TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX insights_workshop ON insights (workshop_id, position);

CREATE TABLE workshop_members (
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    facilitator_id TEXT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (workshop_id, facilitator_id)
);
