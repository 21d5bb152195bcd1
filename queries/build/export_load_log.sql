-- The load log to a snapshot plus one 'export' line, written last: app/data_version reads this table,
-- so every new snapshot changes the app's cache key (and only once the other files are in place).
-- params: path, exported_at, files, rows, detail
COPY (
    SELECT * FROM load_log
    UNION ALL SELECT CAST($exported_at AS TIMESTAMP), 'export', CAST($files AS INTEGER), CAST($rows AS BIGINT), $detail
) TO $path (FORMAT parquet, COMPRESSION zstd);
