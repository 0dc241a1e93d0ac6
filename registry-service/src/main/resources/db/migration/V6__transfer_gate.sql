-- The evaluation gate of a TRANSFER job (issue 10): JSON of job/dto/TransferGateDto, written when the job publishes
-- its version and again when a person promotes or rejects it.
alter table training_job add column transfer_gate text;
