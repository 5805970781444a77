-- Minimal stand-in for the Accounts team's customers schema, local development only.
-- The real schema is owned by northwind/accounts-service; keep the columns we read in sync.
CREATE TABLE IF NOT EXISTS customers (
    id          uuid PRIMARY KEY,
    email       text NOT NULL,
    full_name   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS customer_status (
    customer_id uuid PRIMARY KEY REFERENCES customers (id),
    status      text NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO customers (id, email, full_name) VALUES
    ('5b8f0d2e-8a51-4a3c-9a0e-2f6d1c1b7a01', 'ada@example.com',   'Ada Lovelace'),
    ('0c3e4b7a-1f2d-4e5b-8c9a-6d7e8f9a0b12', 'grace@example.com', 'Grace Hopper'),
    ('9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c23', 'alan@example.com',  'Alan Turing')
ON CONFLICT DO NOTHING;

INSERT INTO customer_status (customer_id, status) VALUES
    ('5b8f0d2e-8a51-4a3c-9a0e-2f6d1c1b7a01', 'active'),
    ('0c3e4b7a-1f2d-4e5b-8c9a-6d7e8f9a0b12', 'active'),
    ('9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c23', 'closed')
ON CONFLICT DO NOTHING;
