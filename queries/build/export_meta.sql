-- The meta table to a snapshot, stamped with when the snapshot was exported.
-- params: path, exported_at
COPY (
    SELECT * FROM meta WHERE key <> 'snapshot_exported_at'
    UNION ALL SELECT 'snapshot_exported_at', CAST($exported_at AS VARCHAR)
) TO $path (FORMAT parquet, COMPRESSION zstd);
