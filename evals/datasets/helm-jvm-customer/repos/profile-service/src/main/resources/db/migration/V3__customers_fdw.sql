-- V3: read-only foreign tables onto the Accounts team's customers database, used by the
-- nightly profile/customer reconciliation. Only the columns we need are mapped.
-- Placeholders come from spring.flyway.placeholders.* (see application.yml).
-- postgres_fdw itself is created by the DBA bootstrap on RDS; this is a no-op there.

CREATE EXTENSION IF NOT EXISTS postgres_fdw;

CREATE SERVER IF NOT EXISTS customers_srv
    FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '${customersHost}', port '5432', dbname 'customers', fetch_size '1000');

CREATE USER MAPPING IF NOT EXISTS FOR CURRENT_USER
    SERVER customers_srv
    OPTIONS (user '${customersUser}', password '${customersPassword}');

CREATE SCHEMA IF NOT EXISTS customers_remote;

CREATE FOREIGN TABLE IF NOT EXISTS customers_remote.customer_status (
    customer_id uuid        NOT NULL,
    status      text        NOT NULL,
    updated_at  timestamptz NOT NULL
) SERVER customers_srv OPTIONS (schema_name 'public', table_name 'customer_status');
