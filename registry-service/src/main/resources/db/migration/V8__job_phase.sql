-- The phase a job is in and how far along it is (issue 10: a transfer synthesises before its first training step,
-- and every long operation reports progress). Null until the worker reports one.
alter table training_job add column phase varchar(32);
alter table training_job add column phase_done integer;
alter table training_job add column phase_total integer;
