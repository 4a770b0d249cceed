-- bedrock-gateway schema, version 2: spend_logs' primary key becomes (start_time, request_id).
--
-- Why: request ids are random UUIDs, so a primary key on request_id alone puts every new row on a random page of
-- its index. Under load nearly every page of that index is dirtied between two writes of the database: H2 rewrites
-- the whole index each time (multi-MiB write buffers, and work that grows with the table), PostgreSQL splits and
-- logs random pages. Keyed by start time first, new rows go to the end of the index. The key still makes a retried
-- row (same request id, same start time) a duplicate, which is all the spend recorder needs; and it serves every
-- time-range filter, so the separate start_time index goes.
ALTER TABLE spend_logs DROP CONSTRAINT pk_spend_logs;
ALTER TABLE spend_logs ADD CONSTRAINT pk_spend_logs PRIMARY KEY (start_time, request_id);
DROP INDEX ix_spend_logs_start_time;
