-- Transfer kits (issue 10): what Trans-LoRA needs once a version's training data is gone.

-- A job makes a kit unless it opts out; the task name goes into the discriminator's prompt.
alter table training_job add column transfer_kit_enabled boolean not null default true;
alter table training_job add column transfer_kit_task_name varchar(128);

-- How many examples trained the version (lineage): a transfer synthesises as many.
alter table adapter_version add column training_examples integer;

-- One row per version whose training job handed in a kit (or opted out of one); the seed examples stay in
-- seed_example. No row: the version was uploaded directly.
create table transfer_kit (
    version_id          uuid primary key references adapter_version (id),
    opted_out           boolean          not null,
    task_name           varchar(128),
    real_inputs         integer,
    generated_inputs    integer,
    accuracy_real       double precision,
    accuracy_generated  double precision,
    missing_reason      text,
    created_at          timestamptz      not null
);

-- The discriminator: a PEFT LoRA on the version's base model, stored content-addressed like version files.
create table transfer_kit_file (
    id          uuid primary key,
    version_id  uuid          not null references transfer_kit (version_id),
    file_name   varchar(255)  not null,
    object_key  varchar(1024) not null,
    size_bytes  bigint        not null,
    sha256      varchar(128)   not null,
    constraint transfer_kit_file_uk unique (version_id, file_name)
);
