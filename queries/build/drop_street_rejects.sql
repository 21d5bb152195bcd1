-- Clear the previous batch's rejects, so a batch is judged only by its own files.
-- params: none
DROP TABLE IF EXISTS street_rejects;
DROP TABLE IF EXISTS street_reject_scans;
