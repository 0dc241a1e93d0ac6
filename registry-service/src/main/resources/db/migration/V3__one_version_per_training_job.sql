-- A training job publishes exactly one version (ADR 0005). CompletionService already reuses the version whose
-- lineage names the job; this index is the database backstop against a second one slipping in by a race or
-- a manual upload naming the same trainingJobId. Versions without a job are unconstrained.
create unique index adapter_version_training_job_uk on adapter_version (training_job_id)
    where training_job_id is not null;
