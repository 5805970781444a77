-- Queries against the stock_reservations database, compiled by `sqlc generate`.
-- On-hand quantities live in the stock database and are read directly in internal/reserve.

-- name: CreateReservation :one
INSERT INTO reservations (sku, warehouse, quantity, order_id, expires_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING *;

-- name: SumActiveHolds :one
SELECT COALESCE(SUM(quantity), 0)::int AS held
FROM reservations
WHERE sku = $1 AND warehouse = $2 AND status = 'held' AND expires_at > now();

-- name: ConfirmReservation :exec
UPDATE reservations
SET status = 'confirmed'
WHERE id = $1 AND status = 'held';

-- name: ReleaseExpiredReservations :execrows
UPDATE reservations
SET status = 'released'
WHERE status = 'held' AND expires_at <= now();
