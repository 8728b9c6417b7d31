CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_report_rows_run_id ON report_rows (run_id);
