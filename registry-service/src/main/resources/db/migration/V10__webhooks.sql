-- Webhooks (issue 11): team subscriptions, one delivery per event and subscription, every attempt logged.

create table webhook_subscription (
    id                    uuid primary key,
    team                  varchar(128)  not null references team (name),
    url                   varchar(2048) not null,
    -- comma separated event types; a trailing * matches a prefix (dev.adapterhub.registry.*)
    event_types           varchar(2048) not null,
    description           text,
    -- AES-GCM ciphertexts of the signing secrets (whsec_...), see webhook/service/SecretBox
    secret                text          not null,
    previous_secret       text,
    previous_secret_until timestamptz,
    enabled               boolean       not null,
    disabled_reason       text,
    consecutive_failures  integer       not null default 0,
    created_by            varchar(256)  not null,
    created_at            timestamptz   not null,
    updated_at            timestamptz   not null
);
create index webhook_subscription_team_idx on webhook_subscription (team);

create table webhook_delivery (
    id               uuid primary key,
    -- the webhook-id header: the same on every attempt and on a replay
    message_id       varchar(64)   not null,
    subscription_id  uuid          not null references webhook_subscription (id) on delete cascade,
    event_id         uuid,
    event_type       varchar(128)  not null,
    payload          text          not null,
    state            varchar(16)   not null,
    attempts         integer       not null default 0,
    next_attempt_at  timestamptz,
    last_status      integer,
    last_error       text,
    created_at       timestamptz   not null,
    delivered_at     timestamptz,
    constraint webhook_delivery_event_uk unique (subscription_id, event_id)
);
create index webhook_delivery_due_idx on webhook_delivery (state, next_attempt_at);
create index webhook_delivery_subscription_idx on webhook_delivery (subscription_id, created_at);

create table webhook_attempt (
    id             uuid primary key,
    delivery_id    uuid          not null references webhook_delivery (id) on delete cascade,
    attempt        integer       not null,
    started_at     timestamptz   not null,
    duration_ms    bigint        not null,
    status_code    integer,
    error          text,
    -- the receiver's answer, truncated
    response_body  text
);
create index webhook_attempt_delivery_idx on webhook_attempt (delivery_id, attempt);

-- Which outbox events were fanned out to subscriptions (independent of the Kafka relay's published_at).
alter table outbox_event add column webhooks_at timestamptz;
-- Events from before webhooks existed are not delivered.
update outbox_event set webhooks_at = now();
create index outbox_event_webhooks_idx on outbox_event (created_at) where webhooks_at is null;
