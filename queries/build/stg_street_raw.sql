-- Read data.police.uk street-level CSV files as text, keeping every row and its file.
-- grain: one row per CSV record; rowid order = file order then line order (used for line numbers)
-- Structural problems (field counts, encoding) go to the rejects tables, which the loader checks.
-- params: files
CREATE OR REPLACE TEMP TABLE raw_street AS
SELECT * FROM read_csv(
    $files,
    header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
    strict_mode = true, encoding = 'utf-8', filename = true,
    store_rejects = true, rejects_table = 'street_rejects', rejects_scan = 'street_reject_scans',
    columns = {
        'crime_id': 'VARCHAR', 'month': 'VARCHAR', 'reported_by': 'VARCHAR',
        'falls_within': 'VARCHAR', 'longitude': 'VARCHAR', 'latitude': 'VARCHAR',
        'location': 'VARCHAR', 'lsoa_code': 'VARCHAR', 'lsoa_name': 'VARCHAR',
        'crime_type': 'VARCHAR', 'last_outcome': 'VARCHAR', 'context': 'VARCHAR'
    }
);
