CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL, -- ok: plaintext-password
    salt BYTEA NOT NULL,
    reset_token_hash TEXT,
    reset_expires TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    token TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE, -- expect: missing-index
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE, -- expect: missing-index
    label TEXT,
    key_hash TEXT NOT NULL, -- ok: plaintext-password
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE transactions (
    id BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id), -- ok: missing-index
    booked_on DATE NOT NULL,
    amount NUMERIC(14, 2) NOT NULL,
    currency CHAR(3) NOT NULL,
    memo TEXT
);
CREATE INDEX transactions_account_booked ON transactions (account_id, booked_on DESC);

CREATE TABLE operators (
    id SERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password TEXT NOT NULL, -- expect: plaintext-password
    role TEXT NOT NULL DEFAULT 'support'
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    operator_id INTEGER NOT NULL REFERENCES operators (id), -- expect: missing-index
    account_id BIGINT REFERENCES accounts (id), -- expect: missing-index
    action TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT now()
);
