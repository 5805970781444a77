-- V2: communication preferences and consent (GDPR Art. 7 evidence).

CREATE TABLE profile_preferences (
    id          bigserial   PRIMARY KEY,
    profile_id  bigint      NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    channel     varchar(16) NOT NULL CHECK (channel IN ('email', 'sms', 'push', 'post')),
    topic       varchar(64) NOT NULL,
    opted_in    boolean     NOT NULL,
    source      varchar(32) NOT NULL,          -- web, app, crm, import
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (profile_id, channel, topic)
);

CREATE INDEX idx_profile_preferences_topic ON profile_preferences (topic) WHERE opted_in;

-- Read-only role for analysts / the BI replica user. Created by the DBA bootstrap;
-- guarded so that Testcontainers databases without the role still migrate.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'profiles_readonly') THEN
        GRANT SELECT ON profiles, profile_addresses, profile_preferences TO profiles_readonly;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO profiles_readonly;
    END IF;
END
$$;
