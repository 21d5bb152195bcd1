-- One warehouse table to one Parquet file of a snapshot (python -m cspdash export-parquet).
-- $table is one of db.schema_tables(); query_table() takes it as a value, so no name is spliced into SQL.
-- params: table, path
COPY (SELECT * FROM query_table($table)) TO $path (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880);
