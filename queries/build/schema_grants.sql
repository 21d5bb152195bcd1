-- Grant flows (money moving funder -> recipient by UK financial year) and the totals sources state.
-- grain: grant_flows — one row per flow of money funder -> recipient in a financial year (grant_key)
-- grain: grant_stated_totals — one row per total a source states (source, financial_year, scope)
-- params: none

CREATE TABLE IF NOT EXISTS grant_flows (
    grant_key VARCHAR PRIMARY KEY,     -- 360Giving Identifier, else 'row-' + hash of the tidy row's content
    financial_year VARCHAR NOT NULL,   -- '2010-11' (April to March)
    funder VARCHAR NOT NULL,
    recipient VARCHAR NOT NULL,
    stream VARCHAR,                    -- grant programme or budget line
    priority VARCHAR,                  -- what the money is for, when the source says
    amount_gbp DOUBLE,                 -- NULL when not known yet ("TBC"): unknown, never zero
    status VARCHAR NOT NULL,           -- actual | provisional
    source VARCHAR NOT NULL,           -- the report or file the figure comes from
    area VARCHAR,                      -- 360Giving Beneficiary Location, when given
    award_date DATE,                   -- 360Giving Award Date (UK calendar day)
    identifier VARCHAR,                -- 360Giving Identifier; NULL for rows from tidy files
    title VARCHAR,
    source_file VARCHAR NOT NULL,      -- the file name it was imported from
    loaded_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS grant_stated_totals (
    source VARCHAR NOT NULL,
    financial_year VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,            -- what the total covers, in the source's words
    stated_gbp DOUBLE NOT NULL,
    funder VARCHAR,                    -- which flows it sums: '|' separates alternatives, NULL = any
    recipient VARCHAR,
    stream VARCHAR,
    note VARCHAR,
    source_file VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source, financial_year, scope)
);
