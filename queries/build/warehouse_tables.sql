-- The warehouse's tables (base tables of the main schema): what export-parquet writes and a snapshot serves.
-- params: none
SELECT table_name
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
ORDER BY table_name;
