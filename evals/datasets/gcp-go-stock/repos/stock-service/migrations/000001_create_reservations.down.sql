-- Rolls back 000001 on stock_reservations. Never point this at stock_reservations_history.
DROP INDEX IF EXISTS reservations_active_idx;
DROP TABLE IF EXISTS reservations;
