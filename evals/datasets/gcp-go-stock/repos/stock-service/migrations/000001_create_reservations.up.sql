-- migrate -path migrations -database "$STOCK_RESERVATIONS_DSN" up
CREATE TABLE IF NOT EXISTS reservations (
    id          BIGSERIAL PRIMARY KEY,
    sku         TEXT        NOT NULL,
    warehouse   TEXT        NOT NULL,
    quantity    INTEGER     NOT NULL CHECK (quantity > 0),
    order_id    TEXT        NOT NULL,
    status      TEXT        NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'confirmed', 'released')),
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS reservations_active_idx
    ON reservations (sku, warehouse)
    WHERE status = 'held';

-- Read access for analytics-dbt (IAM database user, only exists in acme-prod).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stock-reservations-ro@acme-prod.iam') THEN
        GRANT SELECT ON reservations TO "stock-reservations-ro@acme-prod.iam";
    END IF;
END
$$;
