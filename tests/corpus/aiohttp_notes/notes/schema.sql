CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL, -- ok: plaintext-password
    reset_token TEXT,
    reset_expires TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE notes (
    id SERIAL PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES users (id), -- ok: missing-index
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    lock_hash TEXT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX notes_owner_updated ON notes (owner_id, updated_at DESC);

CREATE TABLE shares (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE, -- expect: missing-index
    share_password TEXT NOT NULL, -- expect: plaintext-password
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE tags (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE note_tags (
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id), -- unclear: missing-index
    PRIMARY KEY (note_id, tag_id)
);

CREATE TABLE comments (
    id SERIAL PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE, -- expect: missing-index
    author INTEGER NOT NULL REFERENCES users (id), -- expect: missing-index
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
