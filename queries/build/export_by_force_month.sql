-- A record-grain table (crimes, crime_monthly) to Parquet sorted by force, month and district, so each
-- row group's min/max (zone maps) let a read for one force or a few months skip the rest of the country.
-- 122,880 rows a row group (DuckDB's default, said here on purpose): a force publishes 5k-40k rows a
-- month, so a national file has about 160 groups over 20M rows and a force's 36 months span a handful;
-- smaller groups skip more finely but compress worse and cost a request each in object storage.
-- params: table, path
COPY (SELECT * FROM query_table($table) ORDER BY falls_within, month, district)
TO $path (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880);
