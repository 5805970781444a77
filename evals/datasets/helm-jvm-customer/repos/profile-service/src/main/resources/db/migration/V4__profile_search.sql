-- V4: fuzzy display-name search for GET /v2/profiles/search.
-- pg_trgm is a trusted extension on RDS (PG 13+), so the database owner may create it;
-- the DBA bootstrap creates it as well.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX IF NOT EXISTS idx_profiles_display_name_trgm
    ON profiles USING gin (display_name gin_trgm_ops);

-- Database-level default so ad-hoc psql sessions behave like the app, which sets it per query.
-- Requires profiles_app to own the database (it does, see db/bootstrap).
ALTER DATABASE customer_profiles SET pg_trgm.similarity_threshold = 0.35;
