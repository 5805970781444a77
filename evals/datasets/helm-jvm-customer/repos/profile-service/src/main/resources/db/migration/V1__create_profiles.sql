-- V1: initial schema. Flyway applies this on startup through the primary datasource,
-- i.e. in customer_profiles. Objects are unqualified and land in schema public.

CREATE TABLE profiles (
    id              bigserial    PRIMARY KEY,
    customer_id     uuid         NOT NULL UNIQUE,   -- customers.id in the customers database; no cross-database FK
    display_name    varchar(120) NOT NULL,
    locale          varchar(16)  NOT NULL DEFAULT 'en-GB',
    date_of_birth   date,
    marketing_opt_in boolean     NOT NULL DEFAULT false,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now(),
    version         integer      NOT NULL DEFAULT 0
);

CREATE TABLE profile_addresses (
    id          bigserial   PRIMARY KEY,
    profile_id  bigint      NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    kind        varchar(16) NOT NULL CHECK (kind IN ('billing', 'shipping')),
    line1       text        NOT NULL,
    line2       text,
    postcode    varchar(16) NOT NULL,
    city        text        NOT NULL,
    country     char(2)     NOT NULL
);

CREATE INDEX idx_profile_addresses_profile_id ON profile_addresses (profile_id);

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_profiles_touch
    BEFORE UPDATE ON profiles
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
