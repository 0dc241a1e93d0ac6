-- Identity and per-team roles (issue 11, ADR 12).

-- Teams own adapters, datasets and API keys. Existing owners become teams.
create table team (
    name         varchar(128) primary key,
    description  text,
    created_by   varchar(256) not null,
    created_at   timestamptz  not null
);
insert into team (name, created_by, created_at)
    select distinct team, 'migration', now() from adapter
    on conflict do nothing;

-- A job belongs to its adapter's team (before, only jobs creating a new adapter named one).
update training_job j set team = a.team from adapter a where j.team is null and a.name = j.adapter_name;
insert into team (name, created_by, created_at)
    select distinct team, 'migration', now() from training_job where team is not null
    on conflict do nothing;

-- API keys: ahk_<id>_<secret>; only the SHA-256 of the whole key is kept.
create table api_key (
    id             varchar(12)  primary key,
    team           varchar(128) not null references team (name),
    name           varchar(64)  not null,
    role           varchar(16)  not null,
    -- comma separated, see security/Scope
    scopes         varchar(256) not null,
    secret_sha256  varchar(64)  not null,
    created_by     varchar(256) not null,
    created_at     timestamptz  not null,
    expires_at     timestamptz,
    revoked_at     timestamptz,
    revoked_by     varchar(256),
    last_used_at   timestamptz,
    constraint api_key_team_name_uk unique (team, name)
);

-- Adapters: who outside the team sees them, and which aliases only a team admin (or the transfer gate) moves.
alter table adapter add column visibility varchar(16) not null default 'PRIVATE';
create table adapter_protected_alias (
    adapter_id  uuid        not null references adapter (id) on delete cascade,
    alias       varchar(64) not null,
    primary key (adapter_id, alias)
);
insert into adapter_protected_alias (adapter_id, alias) select id, 'production' from adapter;

-- Datasets: the teams that uploaded the bytes may read and use them (the bytes are stored once).
create table training_dataset_team (
    dataset_id  uuid         not null references training_dataset (id),
    team        varchar(128) not null references team (name),
    added_by    varchar(256) not null,
    added_at    timestamptz  not null,
    primary key (dataset_id, team)
);
insert into training_dataset_team (dataset_id, team, added_by, added_at)
    select distinct dataset_id, team, 'migration', now() from training_job where team is not null and dataset_id is not null
    on conflict do nothing;
insert into training_dataset_team (dataset_id, team, added_by, added_at)
    select distinct e.dataset_id, a.team, 'migration', now() from adapter_evaluation_set e join adapter a on a.id = e.adapter_id
    on conflict do nothing;

-- Every attempt to move an alias is audited, refused ones too.
alter table alias_history add column outcome varchar(16) not null default 'MOVED';
alter table alias_history add column detail text;
alter table alias_history alter column to_version_id drop not null;

-- Authenticated principals are longer than the free-text actors before them.
alter table adapter alter column created_by type varchar(256);
alter table adapter_version alter column created_by type varchar(256);
alter table adapter_alias alter column updated_by type varchar(256);
alter table alias_history alter column moved_by type varchar(256);
alter table training_dataset alter column created_by type varchar(256);
alter table training_dataset alter column deleted_by type varchar(256);
alter table training_job alter column created_by type varchar(256);
alter table adapter_evaluation_set alter column set_by type varchar(256);
