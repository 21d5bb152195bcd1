-- Record what this load brought, per force and month (a month not here is missing, not zero).
-- params: force, month, rows, rows_without_location, source_file, loaded_at
INSERT OR REPLACE INTO coverage
VALUES ($force, $month, $rows, $rows_without_location, $source_file, $loaded_at);
