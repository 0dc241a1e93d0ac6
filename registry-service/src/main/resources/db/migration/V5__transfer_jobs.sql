-- Transfer jobs (issue 10): a job of kind TRANSFER moves a version to another base model with Trans-LoRA. It has
-- no dataset (the original data may be gone); it names the version it moves instead.
alter table training_job add column kind varchar(16) not null default 'TRAINING';
alter table training_job alter column dataset_id drop not null;
alter table training_job add column source_version_id uuid references adapter_version (id);
-- JSON of the resolved transfer settings (job/dto/TransferJobDto without the source reference)
alter table training_job add column transfer_settings text;
alter table training_job add constraint training_job_kind_ck check (
    (kind = 'TRAINING' and dataset_id is not null and source_version_id is null)
    or (kind = 'TRANSFER' and dataset_id is null and source_version_id is not null and transfer_settings is not null));

-- How a transferred version was made: COPY (the source adapter on the new base, same shapes), TRANS_LORA
-- (filtered synthetic data) or TRANS_LORA_UNFILTERED (no discriminator in the kit).
alter table adapter_version add column transfer_method varchar(32);
