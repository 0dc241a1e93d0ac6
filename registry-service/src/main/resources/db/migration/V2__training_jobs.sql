-- Training jobs (ADR 0005): datasets, jobs with their lease, job events; outbox rows gain a target topic.

-- null = the registry lifecycle topic (adapterhub.events.topic); training events name their topic.
alter table outbox_event add column topic varchar(255);

-- A JSONL dataset of {prompt, completion} lines, stored content-addressed at blobs/sha256/<hex>.
create table training_dataset (
    id             uuid primary key,
    digest         varchar(71)   not null,
    object_key     varchar(1024) not null,
    size_bytes     bigint        not null,
    example_count  integer       not null,
    file_name      varchar(255),
    created_by     varchar(128)  not null,
    created_at     timestamptz   not null,
    constraint training_dataset_digest_uk unique (digest)
);

create table training_job (
    id                      uuid primary key,
    adapter_name            varchar(128)  not null,
    team                    varchar(128),
    base_model_id           uuid          not null references base_model (id),
    dataset_id              uuid          not null references training_dataset (id),
    method                  varchar(16)   not null,
    -- JSON object of the resolved hyperparameters (defaults filled in), see job/dto/Hyperparameters
    hyperparameters         text          not null,
    total_steps             integer       not null,
    state                   varchar(16)   not null,
    failure_reason          text,
    idempotency_key         varchar(128),
    -- SHA-256 of the canonical request body, to tell a replay from a reused key
    request_fingerprint     varchar(64),
    attempt                 integer       not null,
    max_attempts            integer       not null,
    lease_owner             varchar(128),
    lease_token             uuid,
    lease_expires_at        timestamptz,
    current_step            integer       not null default 0,
    latest_loss             double precision,
    latest_learning_rate    double precision,
    tokens_per_second       double precision,
    eta_seconds             double precision,
    latest_eval_loss        double precision,
    latest_eval_exact_match double precision,
    last_checkpoint_step    integer,
    result_version_id       uuid references adapter_version (id),
    created_by              varchar(128)  not null,
    created_at              timestamptz   not null,
    updated_at              timestamptz   not null,
    started_at              timestamptz,
    finished_at             timestamptz,
    constraint training_job_idempotency_uk unique (idempotency_key)
);
create index training_job_state_idx on training_job (state, created_at);
create index training_job_adapter_idx on training_job (adapter_name, created_at);
-- The lease reaper scans only live leases.
create index training_job_lease_idx on training_job (lease_expires_at) where state in ('VALIDATING', 'RUNNING');

-- The per-job event log served by GET /training-jobs/{id}/events (messages and metrics).
create table training_job_event (
    seq         bigint generated always as identity primary key,
    job_id      uuid         not null references training_job (id),
    created_at  timestamptz  not null,
    level       varchar(8)   not null,
    kind        varchar(16)  not null,
    message     text         not null,
    -- JSON object of metric name -> number, for kind METRICS
    metrics     text
);
create index training_job_event_job_idx on training_job_event (job_id, seq);
