-- Registered evaluation sets and dataset deletion (issue 10).

-- A dataset can be deleted when its data must go: the bytes are removed from storage, the row stays, so the
-- lineage of the versions trained on it still names the digest and the example count.
alter table training_dataset add column deleted_at timestamptz;
alter table training_dataset add column deleted_by varchar(128);
alter table training_dataset add column deletion_reason text;

-- An adapter's registered evaluation set: a dataset its team keeps (also when training data is deleted) so that
-- the transfer gate compares on real labels.
create table adapter_evaluation_set (
    adapter_id  uuid primary key references adapter (id),
    dataset_id  uuid          not null references training_dataset (id),
    set_by      varchar(128)  not null,
    set_at      timestamptz   not null
);
create index adapter_evaluation_set_dataset_idx on adapter_evaluation_set (dataset_id);
