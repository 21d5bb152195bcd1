-- Priority performance tables: each partnership's priorities, their measures, and manual measure values.
-- params: none

-- grain: one row per partnership and priority (from the partnership's YAML file)
CREATE TABLE IF NOT EXISTS priorities (
    partnership VARCHAR NOT NULL,
    priority VARCHAR NOT NULL,
    priority_order INTEGER NOT NULL,   -- 1-based, in the file's order
    source_file VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

-- grain: one row per partnership and measure (measure names are unique within a partnership)
CREATE TABLE IF NOT EXISTS measures (
    partnership VARCHAR NOT NULL,
    priority VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,             -- police (counted from crime_monthly) | manual (measure_values)
    crime_types VARCHAR,               -- police only: '|'-joined police.uk crime types
    unit VARCHAR NOT NULL,             -- count | percent | rate_per_1000 | value
    better VARCHAR NOT NULL,           -- lower | higher
    baseline_from DATE,                -- first of month, inclusive
    baseline_to DATE,
    target_value DOUBLE,               -- a number, or NULL
    target_change_pct DOUBLE,          -- or a % change on the baseline mean, or NULL
    synthetic BOOLEAN NOT NULL,        -- made-up demo values
    area VARCHAR NOT NULL,             -- the area name police measures are counted for
    districts VARCHAR NOT NULL,        -- '|'-joined police.uk district names making up the area
    frequency VARCHAR NOT NULL,        -- monthly | quarterly | annual
    measure_order INTEGER NOT NULL,    -- 1-based within the partnership
    description VARCHAR
);

-- grain: one row per partnership, manual measure and period (a period with no figure has no row: a gap)
CREATE TABLE IF NOT EXISTS measure_values (
    partnership VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    period DATE NOT NULL,              -- first month of the period
    value DOUBLE NOT NULL,
    synthetic BOOLEAN NOT NULL,
    source_file VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
