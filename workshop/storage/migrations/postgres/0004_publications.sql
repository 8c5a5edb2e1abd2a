CREATE TABLE publications (
    workshop_id TEXT PRIMARY KEY REFERENCES workshops (id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    options TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
);
