-- The first record whose values can't be right: month, coordinates, force or crime type.
-- params: none
WITH numbered AS (
    SELECT *, rowid - min(rowid) OVER (PARTITION BY filename) + 2 AS line  -- +1 header, +1 from 0
    FROM raw_street
), checked AS (
    SELECT filename, line,
        CASE
            WHEN month IS NULL OR NOT regexp_full_match(month, '\d{4}-\d{2}')
                THEN 'month ' || coalesce('''' || month || '''', '(empty)') || ' is not YYYY-MM'
            WHEN CAST(substr(month, 6, 2) AS INTEGER) NOT BETWEEN 1 AND 12
              OR CAST(substr(month, 1, 4) AS INTEGER) NOT BETWEEN 2008 AND 2100
                THEN 'month ''' || month || ''' is out of range'
            WHEN nullif(trim(falls_within), '') IS NULL THEN '"Falls within" is empty'
            WHEN nullif(trim(reported_by), '') IS NULL THEN '"Reported by" is empty'
            WHEN nullif(trim(crime_type), '') IS NULL THEN '"Crime type" is empty'
            WHEN (nullif(trim(longitude), '') IS NULL) <> (nullif(trim(latitude), '') IS NULL)
                THEN 'one of longitude/latitude is empty and the other is not'
            WHEN nullif(trim(longitude), '') IS NOT NULL AND (
                    try_cast(longitude AS DOUBLE) IS NULL OR try_cast(latitude AS DOUBLE) IS NULL)
                THEN 'longitude/latitude ''' || longitude || ',' || latitude || ''' is not a number'
            -- data.police.uk covers England, Wales and Northern Ireland: anything outside this
            -- box is a damaged or foreign file, not a crime location.
            WHEN nullif(trim(longitude), '') IS NOT NULL AND (
                    CAST(longitude AS DOUBLE) NOT BETWEEN -8.8 AND 2.0
                 OR CAST(latitude AS DOUBLE) NOT BETWEEN 49.8 AND 55.9)
                THEN 'coordinate ' || longitude || ',' || latitude || ' is outside England, Wales and Northern Ireland'
        END AS problem
    FROM numbered
)
SELECT filename, line, problem FROM checked WHERE problem IS NOT NULL
ORDER BY filename, line
LIMIT 1;
