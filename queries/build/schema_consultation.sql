-- Consultation tallies: what residents chose at events (charity pots, questionnaires, sticky dots).
-- grain: consultation_tallies — one row per event × method × category × weight
-- An event is replaced whole when it is imported or entered again (its name is the key).
-- params: none
CREATE TABLE IF NOT EXISTS consultation_tallies (
    event VARCHAR NOT NULL,            -- the event's name, e.g. 'Maldon CSP charity pots 2011'
    event_date DATE NOT NULL,
    area VARCHAR NOT NULL,             -- a district or partnership name, as the officer wrote it
    method VARCHAR NOT NULL,           -- charity pot | questionnaire | dots
    category VARCHAR NOT NULL,         -- the concern as labelled at the event (not merged across events)
    tokens BIGINT NOT NULL,            -- tokens, answers or dots placed
    weight INTEGER NOT NULL,           -- points one token is worth (dots 3/2/1; otherwise 1)
    source VARCHAR,                    -- the file (or the report it came from), or 'entered in the app'
    note VARCHAR,
    loaded_at TIMESTAMP NOT NULL
);
