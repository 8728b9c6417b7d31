-- SQLite schema used by the test suite and local development (mirrors the Alembic head).
CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE,
    display_name VARCHAR(120) NOT NULL,
    password_hash VARCHAR(255) NOT NULL, -- ok: plaintext-password
    is_admin BOOLEAN NOT NULL DEFAULT 0,
    otp_secret VARCHAR(32),
    reset_token VARCHAR(64),
    reset_sent_at DATETIME,
    created_at DATETIME
);

CREATE INDEX ix_members_reset_token ON members (reset_token);

CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    name VARCHAR(120) NOT NULL,
    contact_email VARCHAR(255) NOT NULL UNIQUE,
    password VARCHAR(128) NOT NULL, -- expect: plaintext-password
    api_key_hash VARCHAR(255)
);

CREATE TABLE api_sessions (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    created_at DATETIME
);
