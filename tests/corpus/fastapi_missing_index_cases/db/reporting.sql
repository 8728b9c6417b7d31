-- Reporting tables, created by the nightly job's bootstrap (not managed by Alembic).
CREATE TABLE report_runs (
    id BIGSERIAL PRIMARY KEY,
    requested_by INTEGER NOT NULL REFERENCES users (id), -- expect: missing-index
    started_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE report_rows (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL, -- ok: missing-index
    shop_id INTEGER NOT NULL, -- expect: missing-index
    payload JSONB NOT NULL,
    CONSTRAINT fk_report_rows_run FOREIGN KEY (run_id) REFERENCES report_runs (id) ON DELETE CASCADE,
    CONSTRAINT fk_report_rows_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
);
