-- Free a batch's staging table once it has been handed to the load (in the staging database).
-- params: none
DROP TABLE IF EXISTS stg_street;
