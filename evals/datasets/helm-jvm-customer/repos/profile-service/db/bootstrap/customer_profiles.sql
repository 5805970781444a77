-- Bootstrap for the Customer Profiles database.
-- Run ONCE per environment as the RDS master user, e.g. for prod:
--   psql "host=customerprofiles-prod-01.c9xk2lmn0pqr.eu-west-1.rds.amazonaws.com dbname=postgres user=nwadmin sslmode=require" \
--        -v app_password="$(aws secretsmanager get-secret-value --secret-id prod/rds/customer_profiles/app-user --query SecretString --output text | jq -r .password)" \
--        -f db/bootstrap/customer_profiles.sql
-- After this, Flyway (src/main/resources/db/migration) owns the schema.
-- customer_profiles_archive is created by the Data Retention team's own bootstrap, not here.

\set ON_ERROR_STOP on

CREATE ROLE profiles_app LOGIN PASSWORD :'app_password' CONNECTION LIMIT 120;
CREATE ROLE profiles_readonly NOLOGIN;
CREATE ROLE backup_operator LOGIN IN ROLE pg_read_all_data;

CREATE DATABASE customer_profiles
    WITH OWNER = profiles_app
         ENCODING = 'UTF8'
         LC_COLLATE = 'en_US.UTF-8'
         LC_CTYPE = 'en_US.UTF-8'
         TEMPLATE = template0;

COMMENT ON DATABASE customer_profiles IS 'Customer Profiles: profiles, preferences, consent. Owner: profiles-team';

REVOKE ALL ON DATABASE customer_profiles FROM PUBLIC;
GRANT CONNECT ON DATABASE customer_profiles TO profiles_readonly;
GRANT CONNECT ON DATABASE customer_profiles TO backup_operator;
ALTER DATABASE customer_profiles SET statement_timeout = '30s';
ALTER DATABASE customer_profiles SET timezone = 'UTC';

\connect customer_profiles

-- Extensions need rds_superuser, so they are created here and not by Flyway.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS postgres_fdw;   -- used by V3 to read the customers database

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO profiles_app;
GRANT USAGE ON SCHEMA public TO profiles_readonly;
