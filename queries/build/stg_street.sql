-- Read data.police.uk street-level files and clean them in one pass: types, harmonised crime
-- type, district from the LSOA name, and `problem` (NULL when the record is sound).
-- grain: one row per CSV record; rowid order = file order then line order (used for line numbers)
-- One pass matters at national scale: a separate all-text copy cost a second scan and ~2× memory.
-- Structural problems (field counts, encoding) go to the rejects tables, which the loader checks;
-- value problems are kept in `problem` so the loader can name the first one with its line.
-- Only the fields used as keys are trimmed: trim() copies every string, which at 18M rows costs
-- more than reading them; a stray space in a display-only field (location, outcome) is harmless.
-- params: files
CREATE OR REPLACE TEMP TABLE stg_street AS
SELECT
    try_cast(r.month || '-01' AS DATE) AS month,
    nullif(r.crime_id, '') AS crime_id,
    trim(r.reported_by) AS reported_by,
    trim(r.falls_within) AS falls_within,
    try_cast(nullif(trim(r.longitude), '') AS DOUBLE) AS lon,
    try_cast(nullif(trim(r.latitude), '') AS DOUBLE) AS lat,
    nullif(r.location, '') AS location,
    nullif(trim(r.lsoa_code), '') AS lsoa_code,
    nullif(trim(r.lsoa_name), '') AS lsoa_name,
    -- "King's Lynn and West Norfolk 001A" -> "King's Lynn and West Norfolk"
    nullif(regexp_replace(trim(r.lsoa_name), '\s+[0-9]{3}[A-Z]$', ''), '') AS district,
    coalesce(h.harmonised, trim(r.crime_type)) AS crime_type,
    trim(r.crime_type) AS crime_type_original,
    nullif(r.last_outcome, '') AS last_outcome,
    nullif(r.context, '') AS context,
    r.filename AS source_path,
    CASE
        WHEN r.month IS NULL OR NOT regexp_full_match(r.month, '\d{4}-\d{2}')
            THEN 'month ' || coalesce('''' || r.month || '''', '(empty)') || ' is not YYYY-MM'
        WHEN CAST(substr(r.month, 6, 2) AS INTEGER) NOT BETWEEN 1 AND 12
          OR CAST(substr(r.month, 1, 4) AS INTEGER) NOT BETWEEN 2008 AND 2100
            THEN 'month ''' || r.month || ''' is out of range'
        WHEN nullif(trim(r.falls_within), '') IS NULL THEN '"Falls within" is empty'
        WHEN nullif(trim(r.reported_by), '') IS NULL THEN '"Reported by" is empty'
        WHEN nullif(trim(r.crime_type), '') IS NULL THEN '"Crime type" is empty'
        WHEN (nullif(trim(r.longitude), '') IS NULL) <> (nullif(trim(r.latitude), '') IS NULL)
            THEN 'one of longitude/latitude is empty and the other is not'
        WHEN nullif(trim(r.longitude), '') IS NOT NULL AND (
                try_cast(r.longitude AS DOUBLE) IS NULL OR try_cast(r.latitude AS DOUBLE) IS NULL)
            THEN 'longitude/latitude ''' || r.longitude || ',' || r.latitude || ''' is not a number'
        -- data.police.uk covers England, Wales and Northern Ireland: anything outside this
        -- box is a damaged or foreign file, not a crime location.
        WHEN nullif(trim(r.longitude), '') IS NOT NULL AND (
                CAST(r.longitude AS DOUBLE) NOT BETWEEN -8.8 AND 2.0
             OR CAST(r.latitude AS DOUBLE) NOT BETWEEN 49.8 AND 55.9)
            THEN 'coordinate ' || r.longitude || ',' || r.latitude || ' is outside England, Wales and Northern Ireland'
    END AS problem
FROM read_csv(
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
) r
LEFT JOIN crime_type_map h ON h.original = trim(r.crime_type);
