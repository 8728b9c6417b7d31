-- TeamWiki schema (PostgreSQL 15)

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL, -- ok: plaintext-password
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Service accounts used by CI jobs and chat bots (HTTP Basic on /api).
CREATE TABLE bot_accounts (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    password   TEXT NOT NULL, -- expect: plaintext-password
    created_by BIGINT NOT NULL REFERENCES users (id), -- expect: missing-index
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE password_resets (
    token_digest TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- ok: missing-index
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);

CREATE TABLE pages (
    id            BIGSERIAL PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    view_password TEXT, -- expect: plaintext-password
    updated_by    BIGINT REFERENCES users (id), -- expect: missing-index
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pages_body_fts_idx ON pages USING gin (to_tsvector('english', title || ' ' || body));

CREATE TABLE revisions (
    id        BIGSERIAL PRIMARY KEY,
    page_id   BIGINT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users (id),
    summary   TEXT NOT NULL DEFAULT '',
    body      TEXT NOT NULL,
    edited_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX revisions_page_id_edited_at_idx ON revisions (page_id, edited_at DESC);
CREATE INDEX revisions_edited_at_idx ON revisions (edited_at DESC);
CREATE INDEX revisions_author_id_idx ON revisions (author_id);
